/**
 * Portfolio constraints of the optimizers: resolution over an industry list, feasibility checks
 * that name the constraints in conflict, and the relaxation order applied when they conflict.
 *
 * Constraint families (the names used in diagnostics):
 *   full-investment   sum_i w_i = 1                               (never relaxed)
 *   long-only         w_i >= 0                                    (never relaxed)
 *   caps              w_i <= cap_i
 *   floors            w_i >= floor_i   (dropped for excluded industries, e.g. NaN score)
 *   max-holdings      #{i : w_i > 0} <= K                          (MIP with binaries z_i)
 *   turnover-budget   sum_i |w_i - w_prev,i| + (weight of removed industries) <= tau
 *
 * Conflicts found before solving (`checkFeasibility`):
 *   floors-exceed-one        sum floor_i > 1                        families: floors, full-investment
 *   caps-below-one           sum over eligible cap_i < 1            families: caps, full-investment
 *   holdings-below-floors    #{floor_i > 0} > K                     families: max-holdings, floors
 *   holdings-caps-below-one  forced names + the K - #forced largest
 *                            other caps sum below 1                 families: max-holdings, caps
 *   turnover-below-forced    tau < minimum turnover the box forces  families: turnover-budget, caps/floors
 *
 * Relaxation order (RELAXATION_ORDER): 1) turnover budget, 2) max holdings, 3) floors, 4) caps.
 * Each conflict is resolved by relaxing the family of the conflict that comes first in that
 * order, by the least amount that removes the conflict:
 *   turnover-budget  tau -> minimum forced turnover (+1e-9)
 *   max-holdings     K   -> smallest K that holds the floors and can reach sum 1 under the caps
 *   floors           floor_i -> floor_i / sum floor  (sum = 1)
 *   caps             cap_i -> min(1, cap_i + (1 - sum cap) / n_eligible)
 * and the check is repeated. If the solver still reports infeasible (the box bound on turnover
 * does not see the holdings count), `relaxNextForSolver` removes the families in the same order.
 */
import { RotationError } from '../errors.js';
import type { BoundSpec, ConstraintFamily, RelaxationRecord, WeightVector } from './types.js';
import { alignPrevious, resolveBound } from './weights.js';
import type { AlignmentReport } from './types.js';

/** Relaxation order: earlier families are loosened first. */
export const RELAXATION_ORDER: readonly ConstraintFamily[] = Object.freeze(['turnover-budget', 'max-holdings', 'floors', 'caps'] as const);

export interface ConstraintSpec {
  /** Upper bound per industry (default 1). */
  caps?: BoundSpec;
  /** Lower bound per industry (default 0). */
  floors?: BoundSpec;
  /** Maximum number of holdings K (default: no limit). */
  maxHoldings?: number;
  /** Budget on two-sided turnover sum |w - w_prev| (default: none). Ignored without previous weights. */
  turnoverBudget?: number;
}

/** Constraints resolved over an industry list. */
export interface ConstraintSet {
  readonly industries: readonly string[];
  /** 1 = may be held (finite score / usable history); ineligible names are fixed at 0. */
  readonly eligible: Uint8Array;
  caps: Float64Array;
  floors: Float64Array;
  /** Infinity = no limit. */
  maxHoldings: number;
  /** Infinity = no budget. */
  turnoverBudget: number;
  /** Previous weights aligned with `industries` (undefined = none: no turnover terms). */
  readonly prev?: Float64Array;
  readonly alignment?: AlignmentReport;
  /** Notes from resolution (floors dropped on excluded names, budget ignored without previous weights). */
  readonly notes: string[];
}

export type ConflictName = 'floors-exceed-one' | 'caps-below-one' | 'holdings-below-floors' | 'holdings-caps-below-one' | 'turnover-below-forced';

export interface Conflict {
  readonly name: ConflictName;
  /** Constraint families in conflict (see the module comment). */
  readonly constraints: readonly (ConstraintFamily | 'full-investment')[];
  /** Named per-industry bounds that bind, e.g. 'cap:IND03', 'floor:IND07', 'removed:IND09'. */
  readonly binding: readonly string[];
  /** What the constraints require vs the limit they meet (e.g. sum of caps 0.8 vs 1). */
  readonly required: number;
  readonly limit: number;
  readonly message: string;
}

export interface FeasibilityReport {
  readonly feasible: boolean;
  readonly conflicts: Conflict[];
  /** Minimum turnover the caps/floors force from w_prev (when previous weights are given). */
  readonly minimumTurnover?: number;
}

/**
 * Resolve a constraint spec over `industries`. Floors on ineligible industries are dropped (noted);
 * a floor above its cap on an eligible industry is a specification error (OPT_FLOOR_ABOVE_CAP);
 * maxHoldings must be an integer >= 1 and turnoverBudget >= 0 (OPT_BAD_CONSTRAINT).
 */
export function resolveConstraints(
  industries: readonly string[], spec: ConstraintSpec, eligible: Uint8Array, previous?: WeightVector,
): ConstraintSet {
  const caps = resolveBound(spec.caps, industries, 1, 'cap');
  const floors = resolveBound(spec.floors, industries, 0, 'floor');
  const notes: string[] = [];
  let dropped = 0;
  for (let i = 0; i < industries.length; i++) {
    if (!eligible[i]) {
      if (floors[i] > 0) dropped++;
      floors[i] = 0;
      continue;
    }
    if (floors[i] > caps[i]) {
      throw new RotationError('OPT_FLOOR_ABOVE_CAP', `Floor ${floors[i]} is above cap ${caps[i]}`, { industry: industries[i] },
        'give every industry floor <= cap');
    }
  }
  if (dropped) notes.push(`${dropped} floor(s) dropped on excluded industries (NaN score or no history)`);
  const K = spec.maxHoldings ?? Infinity;
  if (K !== Infinity && !(Number.isInteger(K) && K >= 1)) {
    throw new RotationError('OPT_BAD_CONSTRAINT', `maxHoldings ${K} must be an integer >= 1`, { constraint: 'max-holdings' },
      'pass maxHoldings as a whole number of industries, or leave it out');
  }
  let tau = spec.turnoverBudget ?? Infinity;
  if (!(tau >= 0)) {
    throw new RotationError('OPT_BAD_CONSTRAINT', `turnoverBudget ${tau} must be >= 0`, { constraint: 'turnover-budget' },
      'pass the budget on sum |w - w_prev| (two-sided; 2 = full turnover), or leave it out');
  }
  let prev: Float64Array | undefined, alignment: AlignmentReport | undefined;
  if (previous) ({ prev, alignment } = alignPrevious(industries, previous));
  if (!prev && tau !== Infinity) {
    notes.push('no previous weights: the turnover budget is not applied (initial portfolio)');
    tau = Infinity;
  }
  return { industries, eligible, caps, floors, maxHoldings: K, turnoverBudget: tau, prev, alignment, notes };
}

/** Copy of a constraint set (vectors copied) for relaxation. */
export function cloneConstraints(s: ConstraintSet): ConstraintSet {
  return { ...s, caps: new Float64Array(s.caps), floors: new Float64Array(s.floors), notes: [...s.notes] };
}

/**
 * Minimum two-sided turnover from w_prev into the box {sum w = 1, floor <= w <= cap, w_i = 0 off
 * the eligible set} (exact for the continuous problem; a lower bound with a holdings limit):
 *
 *   p_i = clip(w_prev,i, floor_i, cap_i)  (0 if ineligible),
 *   min turnover = removed weight + sum_i |p_i - w_prev,i| + |1 - sum_i p_i|.
 *
 * (Moving from p to any feasible w adds at least |sum (w - p)| = |1 - sum p|, and moving in one
 * direction within the box attains it.) Also returns the per-industry bounds that force trades.
 */
export function minimumForcedTurnover(s: ConstraintSet): { value: number; binding: string[] } {
  if (!s.prev) return { value: 0, binding: [] };
  const binding: string[] = [];
  let forced = s.alignment?.removedWeight ?? 0;
  for (const d of s.alignment?.removed ?? []) binding.push(`removed:${d}`);
  let sumP = 0;
  for (let i = 0; i < s.industries.length; i++) {
    const wp = s.prev[i];
    let p: number;
    if (!s.eligible[i]) {
      p = 0;
      if (wp > 0) binding.push(`excluded:${s.industries[i]}`);
    } else if (wp > s.caps[i]) {
      p = s.caps[i]; binding.push(`cap:${s.industries[i]}`);
    } else if (wp < s.floors[i]) {
      p = s.floors[i]; binding.push(`floor:${s.industries[i]}`);
    } else p = wp;
    forced += Math.abs(p - wp);
    sumP += p;
  }
  if (Math.abs(1 - sumP) > 1e-15) binding.push('full-investment');
  return { value: forced + Math.abs(1 - sumP), binding };
}

/** Largest sum of caps reachable with at most K holdings (the floored names are forced in). */
function bestCapSum(s: ConstraintSet, K: number): { sum: number; forced: number } {
  let sum = 0, forced = 0;
  const others: number[] = [];
  for (let i = 0; i < s.industries.length; i++) {
    if (!s.eligible[i]) continue;
    if (s.floors[i] > 0) { sum += s.caps[i]; forced++; } else others.push(s.caps[i]);
  }
  others.sort((a, b) => b - a);
  for (let k = 0; k < Math.min(others.length, Math.max(0, K - forced)); k++) sum += others[k];
  return { sum, forced };
}

const EPS = 1e-12;

/**
 * Check feasibility before solving; every conflict names its constraint families and the
 * per-industry bounds that bind (see the module comment for the list). The turnover check runs
 * only when the box itself is feasible (it measures the distance to the box).
 */
export function checkFeasibility(s: ConstraintSet): FeasibilityReport {
  const conflicts: Conflict[] = [];
  const n = s.industries.length;
  let sumF = 0, sumC = 0;
  const floored: string[] = [];
  const eligibleNames: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!s.eligible[i]) continue;
    eligibleNames.push(s.industries[i]);
    sumF += s.floors[i]; sumC += s.caps[i];
    if (s.floors[i] > 0) floored.push(s.industries[i]);
  }
  if (sumF > 1 + EPS) {
    conflicts.push({
      name: 'floors-exceed-one', constraints: ['floors', 'full-investment'], binding: floored.map((d) => `floor:${d}`),
      required: sumF, limit: 1, message: `floors sum to ${fmt(sumF)} > 1`,
    });
  }
  if (sumC < 1 - EPS) {
    conflicts.push({
      name: 'caps-below-one', constraints: ['caps', 'full-investment'], binding: eligibleNames.map((d) => `cap:${d}`),
      required: 1, limit: sumC, message: `caps of the ${eligibleNames.length} eligible industries sum to ${fmt(sumC)} < 1`,
    });
  }
  if (s.maxHoldings !== Infinity) {
    if (floored.length > s.maxHoldings) {
      conflicts.push({
        name: 'holdings-below-floors', constraints: ['max-holdings', 'floors'], binding: floored.map((d) => `floor:${d}`),
        required: floored.length, limit: s.maxHoldings,
        message: `${floored.length} industries have a positive floor but at most ${s.maxHoldings} may be held`,
      });
    } else if (sumC >= 1 - EPS) {
      const best = bestCapSum(s, s.maxHoldings);
      if (best.sum < 1 - EPS) {
        conflicts.push({
          name: 'holdings-caps-below-one', constraints: ['max-holdings', 'caps'], binding: ['max-holdings'],
          required: 1, limit: best.sum,
          message: `with at most ${s.maxHoldings} holdings the largest caps sum to ${fmt(best.sum)} < 1`,
        });
      }
    }
  }
  let minimumTurnover: number | undefined;
  if (s.prev && conflicts.length === 0) {
    const m = minimumForcedTurnover(s);
    minimumTurnover = m.value;
    if (s.turnoverBudget < m.value - EPS) {
      const fam: (ConstraintFamily | 'full-investment')[] = ['turnover-budget'];
      if (m.binding.some((b) => b.startsWith('cap:'))) fam.push('caps');
      if (m.binding.some((b) => b.startsWith('floor:'))) fam.push('floors');
      fam.push('full-investment');
      conflicts.push({
        name: 'turnover-below-forced', constraints: fam, binding: m.binding, required: m.value, limit: s.turnoverBudget,
        message: `turnover budget ${fmt(s.turnoverBudget)} is below the ${fmt(m.value)} the constraints force from the previous weights`,
      });
    }
  }
  return { feasible: conflicts.length === 0, conflicts, minimumTurnover };
}

/** Position of the first relaxable family of a conflict in RELAXATION_ORDER. */
function relaxTarget(c: Conflict): ConstraintFamily {
  let best = RELAXATION_ORDER.length;
  for (const f of c.constraints) {
    const k = RELAXATION_ORDER.indexOf(f as ConstraintFamily);
    if (k >= 0 && k < best) best = k;
  }
  return RELAXATION_ORDER[best];
}

/**
 * Relax `s` (a copy is returned) until `checkFeasibility` passes, one conflict at a time: the
 * conflict whose earliest family in RELAXATION_ORDER comes first is resolved by relaxing that
 * family by the least amount (module comment). Returns the relaxed set, the records, and the
 * report of the original set.
 */
export function relaxToFeasible(original: ConstraintSet): { set: ConstraintSet; relaxed: RelaxationRecord[]; initial: FeasibilityReport; final: FeasibilityReport } {
  const s = cloneConstraints(original);
  const relaxed: RelaxationRecord[] = [];
  const initial = checkFeasibility(s);
  let report = initial;
  for (let iter = 0; iter < 16 && !report.feasible; iter++) {
    const ordered = [...report.conflicts].sort((a, b) => RELAXATION_ORDER.indexOf(relaxTarget(a)) - RELAXATION_ORDER.indexOf(relaxTarget(b)));
    const c = ordered[0];
    const family = relaxTarget(c);
    relaxed.push(relaxFamily(s, family, c));
    report = checkFeasibility(s);
  }
  if (!report.feasible) {
    throw new RotationError('OPT_INFEASIBLE', 'Constraints remain infeasible after relaxation',
      { constraints: report.conflicts.map((c) => c.name) }, 'loosen the caps/floors by hand; see checkFeasibility for the conflicts');
  }
  return { set: s, relaxed, initial, final: report };
}

function relaxFamily(s: ConstraintSet, family: ConstraintFamily, c: Conflict): RelaxationRecord {
  const n = s.industries.length;
  if (family === 'turnover-budget') {
    const from = s.turnoverBudget;
    s.turnoverBudget = c.required + 1e-9;
    return { constraint: family, reason: c.name, detail: `turnover budget ${fmt(from)} -> ${fmt(s.turnoverBudget)} (the minimum the caps/floors force)`, from, to: s.turnoverBudget };
  }
  if (family === 'max-holdings') {
    const from = s.maxHoldings;
    let nEligible = 0;
    for (let i = 0; i < n; i++) if (s.eligible[i]) nEligible++;
    let K = Math.max(from, bestCapSum(s, 0).forced);
    while (K < nEligible && bestCapSum(s, K).sum < 1 - EPS) K++;
    s.maxHoldings = K >= nEligible ? Infinity : K;
    return { constraint: family, reason: c.name, detail: `max holdings ${from} -> ${s.maxHoldings === Infinity ? 'no limit' : s.maxHoldings}`, from, to: s.maxHoldings };
  }
  if (family === 'floors') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += s.floors[i];
    if (c.name === 'floors-exceed-one' && sum > 0) {
      for (let i = 0; i < n; i++) s.floors[i] /= sum;
      return { constraint: family, reason: c.name, detail: `floors scaled by 1/${fmt(sum)} (sum ${fmt(sum)} -> 1)`, from: sum, to: 1 };
    }
    s.floors.fill(0);
    return { constraint: family, reason: c.name, detail: `floors removed (sum ${fmt(sum)} -> 0)`, from: sum, to: 0 };
  }
  let sumC = 0, nE = 0;
  for (let i = 0; i < n; i++) if (s.eligible[i]) { sumC += s.caps[i]; nE++; }
  if (c.name === 'caps-below-one' && nE > 0) {
    // Raise uniformly; capped names at 1 push the rest up further (repeat until sum reaches 1).
    for (let pass = 0; pass < n && sumC < 1 - EPS; pass++) {
      let open = 0;
      for (let i = 0; i < n; i++) if (s.eligible[i] && s.caps[i] < 1) open++;
      if (open === 0) break;
      const raise = (1 - sumC) / open;
      sumC = 0;
      for (let i = 0; i < n; i++) {
        if (!s.eligible[i]) continue;
        if (s.caps[i] < 1) s.caps[i] = Math.min(1, s.caps[i] + raise);
        sumC += s.caps[i];
      }
    }
    return { constraint: family, reason: c.name, detail: `caps raised uniformly so that they sum to 1 (from ${fmt(c.limit)})`, from: c.limit, to: sumC };
  }
  s.caps.fill(1);
  return { constraint: family, reason: c.name, detail: 'caps removed (all set to 1)', from: sumC, to: nE };
}

/**
 * When the solver reports infeasible after the pre-checks passed (possible with a holdings limit
 * and a turnover budget together), remove the next family in RELAXATION_ORDER that is still
 * active. Returns undefined when nothing is left to relax.
 */
export function relaxNextForSolver(s: ConstraintSet): RelaxationRecord | undefined {
  if (s.turnoverBudget !== Infinity) {
    const from = s.turnoverBudget; s.turnoverBudget = Infinity;
    return { constraint: 'turnover-budget', reason: 'solver-infeasible', detail: `turnover budget ${fmt(from)} removed`, from, to: Infinity };
  }
  if (s.maxHoldings !== Infinity) {
    const from = s.maxHoldings; s.maxHoldings = Infinity;
    return { constraint: 'max-holdings', reason: 'solver-infeasible', detail: `max holdings ${from} removed`, from, to: Infinity };
  }
  let sumF = 0;
  for (let i = 0; i < s.floors.length; i++) sumF += s.floors[i];
  if (sumF > 0) {
    s.floors.fill(0);
    return { constraint: 'floors', reason: 'solver-infeasible', detail: 'floors removed', from: sumF, to: 0 };
  }
  let sumC = 0;
  for (let i = 0; i < s.caps.length; i++) if (s.eligible[i]) sumC += s.caps[i];
  if (s.caps.some((c, i) => s.eligible[i] && c < 1)) {
    s.caps.fill(1);
    return { constraint: 'caps', reason: 'solver-infeasible', detail: 'caps removed', from: sumC, to: Infinity };
  }
  return undefined;
}

function fmt(x: number): string {
  return x === Infinity ? 'none' : Number(x.toPrecision(6)).toString();
}
