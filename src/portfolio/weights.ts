/**
 * Scores to weights at one rebalance date, the weight invariants, and alignment with the previous
 * weights.
 *
 * Rules shared by every scheme here:
 * - an industry with a NaN score is excluded (weight 0) and counted in `diagnostics.nanScores`;
 * - ties in score are broken by position in `industries` (earlier first), never by noise;
 * - caps are applied by water-filling (`applyCaps`); if the held names cannot absorb the weight
 *   under their caps, the next-best eligible names are added (holdings relaxed), and only if every
 *   eligible name is at its cap are the caps raised (caps relaxed); both are recorded;
 * - every returned vector passes `checkWeights`.
 */
import { RotationError } from '../errors.js';
import type {
  AlignmentReport, AllocationContext, AllocationDiagnostics, AllocationResult, Allocator, BoundSpec, RelaxationRecord,
  WeightVector,
} from './types.js';

/** Tolerance of the weight invariants: |sum w - 1| <= 1e-9, w_i <= cap_i + 1e-9. */
export const WEIGHT_TOLERANCE = 1e-9;
/** Negative weights down to -1e-12 are solver noise and clipped to 0; below that is an error. */
export const NEGATIVE_TOLERANCE = 1e-12;
/** A weight above this counts as a holding. */
export const HOLDING_THRESHOLD = 1e-10;

export interface CheckWeightsOptions {
  /** Per-industry caps aligned with the weights (checked within 1e-9). */
  caps?: ArrayLike<number>;
  /** 1 = industry excluded (NaN score ...): its weight must be exactly 0. */
  excluded?: ArrayLike<number>;
  /** Industry names for error messages. */
  industries?: readonly string[];
  /** Who produced the weights (allocator name, date) for error messages. */
  where?: Record<string, string | number>;
}

/**
 * Check the weight invariants and return a cleaned copy:
 *
 *   no NaN/Inf;  w_i >= -1e-12 (then clipped to 0);  |sum_i w_i - 1| <= 1e-9;
 *   w_i <= cap_i + 1e-9;  w_i = 0 where excluded.
 *
 * Throws RotationError WEIGHTS_EMPTY, WEIGHTS_NAN, WEIGHTS_NEGATIVE, WEIGHTS_SUM, WEIGHTS_CAP,
 * WEIGHTS_EXCLUDED naming the industry.
 */
export function checkWeights(weights: ArrayLike<number>, options: CheckWeightsOptions = {}): Float64Array {
  const n = weights.length;
  const name = (i: number): string | number => options.industries?.[i] ?? i;
  const where = options.where ?? {};
  if (n === 0) {
    throw new RotationError('WEIGHTS_EMPTY', 'Weight vector is empty', { ...where }, 'allocate over at least one industry');
  }
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!Number.isFinite(w)) {
      throw new RotationError('WEIGHTS_NAN', `Weight ${w} is not a finite number`, { ...where, industry: name(i) },
        'check the allocator inputs (scores, covariance) for NaN; weights must be finite');
    }
    if (w < -NEGATIVE_TOLERANCE) {
      throw new RotationError('WEIGHTS_NEGATIVE', `Negative weight ${w} (long-only, tolerance -1e-12)`, { ...where, industry: name(i) },
        'the allocator must produce long-only weights; check the solver status and the lower bounds');
    }
    out[i] = w <= 0 ? 0 : w;
    sum += out[i];
  }
  if (!(Math.abs(sum - 1) <= WEIGHT_TOLERANCE)) {
    throw new RotationError('WEIGHTS_SUM', `Weights sum to ${sum}, not 1 (tolerance 1e-9)`, { ...where, sum },
      'renormalize (w / sum w) or check the full-investment constraint');
  }
  if (options.caps) {
    for (let i = 0; i < n; i++) {
      if (out[i] > options.caps[i] + WEIGHT_TOLERANCE) {
        throw new RotationError('WEIGHTS_CAP', `Weight ${out[i]} exceeds its cap ${options.caps[i]} (tolerance 1e-9)`,
          { ...where, industry: name(i) }, 'apply the caps (applyCaps) or record a caps relaxation and pass the relaxed caps');
      }
    }
  }
  if (options.excluded) {
    for (let i = 0; i < n; i++) {
      if (options.excluded[i] && out[i] !== 0) {
        throw new RotationError('WEIGHTS_EXCLUDED', `Excluded industry has weight ${out[i]}`, { ...where, industry: name(i) },
          'industries with a NaN score or no history must get weight 0');
      }
    }
  }
  return out;
}

/**
 * Resolve a per-industry bound: a number applies to all industries, a record maps industry ->
 * bound (missing names get `fallback`). Values must be finite and in [0, 1] (WEIGHTS_BAD_BOUND).
 */
export function resolveBound(spec: BoundSpec | undefined, industries: readonly string[], fallback: number, what: string): Float64Array {
  const out = new Float64Array(industries.length);
  for (let i = 0; i < industries.length; i++) {
    const v = spec === undefined ? fallback : typeof spec === 'number' ? spec : (spec[industries[i]] ?? fallback);
    if (!Number.isFinite(v) || v < 0 || v > 1) {
      throw new RotationError('WEIGHTS_BAD_BOUND', `${what} ${v} is not in [0, 1]`, { bound: what, industry: industries[i] },
        `pass ${what} as a fraction of the portfolio in [0, 1]`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Align previous weights onto `industries` by name: prev[i] = previous weight of industries[i]
 * (0 if the industry is new). Industries only in the previous set are removed (sold in full);
 * their weight is reported. Previous weights must be finite and >= 0 (WEIGHTS_BAD_PREVIOUS).
 */
export function alignPrevious(industries: readonly string[], previous: WeightVector): { prev: Float64Array; alignment: AlignmentReport } {
  if (previous.industries.length !== previous.weights.length) {
    throw new RotationError('WEIGHTS_BAD_PREVIOUS', `Previous weights have ${previous.weights.length} values for ${previous.industries.length} industries`,
      {}, 'pass previous weights aligned with their industry list');
  }
  const index = new Map<string, number>();
  industries.forEach((d, i) => index.set(d, i));
  const prev = new Float64Array(industries.length);
  const seen = new Set<string>();
  const removed: string[] = [];
  let removedWeight = 0;
  for (let k = 0; k < previous.industries.length; k++) {
    const d = previous.industries[k], w = previous.weights[k];
    if (!Number.isFinite(w) || w < -NEGATIVE_TOLERANCE) {
      throw new RotationError('WEIGHTS_BAD_PREVIOUS', `Previous weight ${w} is not a finite non-negative number`, { industry: d },
        'pass the weights actually held (long-only, finite)');
    }
    if (seen.has(d)) {
      throw new RotationError('WEIGHTS_BAD_PREVIOUS', `Industry "${d}" appears twice in the previous weights`, { industry: d },
        'list each industry once');
    }
    seen.add(d);
    const i = index.get(d);
    const wc = Math.max(0, w);
    if (i === undefined) {
      if (wc > 0) removed.push(d);
      removedWeight += wc;
    } else {
      prev[i] = wc;
    }
  }
  const added = industries.filter((d) => !seen.has(d));
  return { prev, alignment: { added, removed, removedWeight } };
}

/**
 * Two-sided turnover against previous weights over the union of industries:
 *   turnover = sum_{i in current} |w_i - w_prev,i| + sum_{i removed} w_prev,i.
 */
export function turnover(industries: readonly string[], weights: ArrayLike<number>, previous: WeightVector): number {
  const { prev, alignment } = alignPrevious(industries, previous);
  let s = alignment.removedWeight;
  for (let i = 0; i < industries.length; i++) s += Math.abs(weights[i] - prev[i]);
  return s;
}

/** An empty diagnostics record for allocator `allocator` at `date`. */
export function newDiagnostics(allocator: string, date: string): AllocationDiagnostics {
  return { allocator, date, held: 0, excluded: [], nanScores: 0, binding: [], relaxed: [], notes: [], details: {} };
}

/**
 * Validate the generic parts of a context: industries non-empty and unique, scores (when present
 * or required) aligned, returns present when required. Errors: ALLOC_NO_INDUSTRIES,
 * ALLOC_DUPLICATE_INDUSTRY, ALLOC_NO_SCORES, ALLOC_SCORES_LENGTH, ALLOC_NO_RETURNS.
 */
export function validateContext(ctx: AllocationContext, allocator: string, needs: { scores?: boolean; returns?: boolean } = {}): void {
  if (ctx.industries.length === 0) {
    throw new RotationError('ALLOC_NO_INDUSTRIES', 'No industry available at the rebalance date', { allocator, date: ctx.date },
      'pass the industries investable at the date (at least one)');
  }
  const seen = new Set<string>();
  for (const d of ctx.industries) {
    if (seen.has(d)) {
      throw new RotationError('ALLOC_DUPLICATE_INDUSTRY', `Industry "${d}" listed twice`, { allocator, date: ctx.date, industry: d },
        'list each available industry once');
    }
    seen.add(d);
  }
  if (needs.scores && !ctx.scores) {
    throw new RotationError('ALLOC_NO_SCORES', `Allocator ${allocator} needs scores`, { allocator, date: ctx.date },
      'pass context.scores aligned with context.industries');
  }
  if (ctx.scores && ctx.scores.length !== ctx.industries.length) {
    throw new RotationError('ALLOC_SCORES_LENGTH', `${ctx.scores.length} scores for ${ctx.industries.length} industries`,
      { allocator, date: ctx.date }, 'pass one score per industry, aligned with context.industries (NaN for none)');
  }
  if (needs.returns && !ctx.returns) {
    throw new RotationError('ALLOC_NO_RETURNS', `Allocator ${allocator} needs past returns`, { allocator, date: ctx.date },
      'pass context.returns (dates x industries simple returns; rows after the date are ignored)');
  }
}

/**
 * Mark NaN scores as excluded (recorded in `diag`) and return the eligibility mask
 * (1 = finite score).
 */
export function eligibleFromScores(industries: readonly string[], scores: ArrayLike<number>, diag: AllocationDiagnostics): Uint8Array {
  const ok = new Uint8Array(industries.length);
  for (let i = 0; i < industries.length; i++) {
    if (Number.isFinite(scores[i])) ok[i] = 1;
    else {
      diag.nanScores++;
      diag.excluded.push({ industry: industries[i], reason: 'NaN score' });
    }
  }
  return ok;
}

/**
 * Order of eligible industries by descending score, ties by position (stable):
 *   i before j  iff  s_i > s_j  or  (s_i = s_j and i < j).
 */
export function preferenceOrder(scores: ArrayLike<number>, eligible: ArrayLike<number>): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (eligible[i]) idx.push(i);
  idx.sort((a, b) => (scores[b] - scores[a]) || (a - b));
  return idx;
}

/**
 * Water-fill `raw` (>= 0, any positive sum) under caps, in place of a plain renormalization:
 *
 *   w = raw / sum(raw); repeat: w_i > cap_i -> w_i = cap_i and the excess is spread over the
 *   uncapped holdings in proportion to their weight, until no cap is exceeded.
 *
 * If the holdings are all at their caps with weight left over, eligible non-held industries are
 * added in `order` (holdings relaxed, recorded as 'max-holdings'); if every eligible industry is
 * at its cap, all eligible caps are raised by the same amount (recorded as 'caps') and the
 * returned `caps` are the relaxed ones. Throws WEIGHTS_NOTHING_ELIGIBLE if nothing is eligible.
 */
export function applyCaps(
  raw: ArrayLike<number>, caps: Float64Array, eligible: ArrayLike<number>, order: readonly number[], relaxed: RelaxationRecord[],
): { weights: Float64Array; caps: Float64Array } {
  const n = raw.length;
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) { w[i] = eligible[i] && raw[i] > 0 ? raw[i] : 0; sum += w[i]; }
  let nEligible = 0;
  for (let i = 0; i < n; i++) if (eligible[i]) nEligible++;
  if (nEligible === 0) {
    throw new RotationError('WEIGHTS_NOTHING_ELIGIBLE', 'No eligible industry to hold', { industries: n },
      'every industry has a NaN score or no history at this date; skip the date or fall back to equal weight');
  }
  if (!(sum > 0)) {
    // Nothing positive: start from the first preferred industry.
    w[order[0]] = 1;
    sum = 1;
  }
  for (let i = 0; i < n; i++) w[i] /= sum;
  const fixed = new Uint8Array(n);
  for (let iter = 0; iter <= n; iter++) {
    let excess = 0, free = 0;
    for (let i = 0; i < n; i++) {
      if (!fixed[i] && w[i] > caps[i]) { excess += w[i] - caps[i]; w[i] = caps[i]; fixed[i] = 1; }
    }
    if (excess <= 0) break;
    for (let i = 0; i < n; i++) if (!fixed[i] && w[i] > 0) free += w[i];
    if (free > 0) {
      for (let i = 0; i < n; i++) if (!fixed[i] && w[i] > 0) w[i] += excess * (w[i] / free);
      continue;
    }
    // Every holding is at its cap: add names in preference order.
    let left = excess;
    let added = 0, before = 0;
    for (let i = 0; i < n; i++) if (w[i] > 0) before++;
    for (const i of order) {
      if (left <= 0) break;
      if (w[i] > 0 || fixed[i] || caps[i] <= 0) continue;
      const take = Math.min(caps[i], left);
      w[i] = take; left -= take; added++;
      if (take >= caps[i]) fixed[i] = 1;
    }
    if (added > 0) {
      relaxed.push({ constraint: 'max-holdings', reason: 'caps-below-one-among-holdings', detail: `holdings ${before} -> ${before + added}: the held names' caps sum below 1`, from: before, to: before + added });
    }
    if (left > 1e-15) {
      // Every eligible name is at its cap: raise the caps uniformly.
      const raise = left / nEligible;
      const newCaps = new Float64Array(caps);
      let capSum = 0;
      for (let i = 0; i < n; i++) if (eligible[i]) { capSum += caps[i]; newCaps[i] = caps[i] + raise; w[i] += raise; }
      relaxed.push({ constraint: 'caps', reason: 'caps-below-one', detail: `eligible caps sum to ${capSum.toFixed(6)} < 1: every eligible cap raised by ${raise.toExponential(3)}`, from: capSum, to: capSum + left });
      return { weights: polishSum(w, newCaps, eligible), caps: newCaps };
    }
    break;
  }
  return { weights: polishSum(w, caps, eligible), caps };
}

/**
 * Remove floating-point residue so that sum w = 1 to machine precision without breaking
 * 0 <= w <= cap: the residual r = 1 - sum w is spread over eligible names in proportion to their
 * room (cap - w when r > 0, w when r < 0).
 */
export function polishSum(w: Float64Array, caps: ArrayLike<number>, eligible: ArrayLike<number>, floors?: ArrayLike<number>): Float64Array {
  const n = w.length;
  for (let pass = 0; pass < 3; pass++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const lo = floors ? floors[i] : 0;
      if (!eligible[i]) w[i] = 0;
      else if (w[i] < lo) w[i] = lo;
      else if (w[i] > caps[i]) w[i] = caps[i];
      sum += w[i];
    }
    const r = 1 - sum;
    if (r === 0) break;
    let room = 0;
    for (let i = 0; i < n; i++) if (eligible[i]) room += r > 0 ? caps[i] - w[i] : w[i] - (floors ? floors[i] : 0);
    if (!(room > 0)) break;
    for (let i = 0; i < n; i++) {
      if (!eligible[i]) continue;
      const ri = r > 0 ? caps[i] - w[i] : w[i] - (floors ? floors[i] : 0);
      w[i] += r * (ri / room);
    }
  }
  return w;
}

/**
 * Top-k equal weight: the k eligible industries with the highest scores (ties by position) get
 * 1/k each (k = min(k, #eligible)), the rest 0; then caps (`applyCaps`).
 */
export function topKEqualWeights(scores: ArrayLike<number>, eligible: ArrayLike<number>, k: number): Float64Array {
  checkK(k);
  const order = preferenceOrder(scores, eligible);
  const m = Math.min(k, order.length);
  const w = new Float64Array(scores.length);
  for (let r = 0; r < m; r++) w[order[r]] = 1 / m;
  return w;
}

/**
 * Top-k with a holding buffer b: an industry held going in (previous weight > HOLDING_THRESHOLD)
 * stays while its rank r (1 = best eligible score, ties by position) is <= k + b; the free slots
 * up to k are filled with the best-ranked industries not yet selected; the m = min(k, #eligible)
 * selected get 1/m each:
 *
 *   keep = { i held : r_i <= k + b },  |keep| <= k (the k best-ranked of them if more),
 *   S = keep ∪ (best-ranked non-kept eligible until |S| = m),   w_i = 1/m for i in S.
 *
 * With b = 0 (or no previous weights) S is the top k, so the weights equal `topKEqualWeights`.
 * `held[i]` = 1 when industry i is held going in.
 */
export function topKBufferedWeights(scores: ArrayLike<number>, eligible: ArrayLike<number>, k: number, buffer: number, held: ArrayLike<number>): Float64Array {
  checkK(k);
  checkBuffer(buffer);
  const order = preferenceOrder(scores, eligible);
  const m = Math.min(k, order.length);
  const w = new Float64Array(scores.length);
  const chosen = new Uint8Array(scores.length);
  let n = 0;
  for (let r = 0; r < order.length && r < k + buffer && n < m; r++) {
    if (held[order[r]]) { chosen[order[r]] = 1; n++; }
  }
  for (let r = 0; r < order.length && n < m; r++) {
    if (!chosen[order[r]]) { chosen[order[r]] = 1; n++; }
  }
  for (let i = 0; i < w.length; i++) if (chosen[i]) w[i] = 1 / m;
  return w;
}

function checkBuffer(b: number): void {
  if (!Number.isInteger(b) || b < 0) {
    throw new RotationError('WEIGHTS_BAD_OPTION', `Top-k buffer = ${b} must be an integer >= 0`, { option: 'buffer' }, 'pass buffer >= 0 (0 = plain top-k), e.g. 2');
  }
}

/**
 * Rank-weighted: among the eligible (or only the top k, when given), w_i ∝ midrank_i with the
 * highest score ranked n (ties share the average rank):  w_i = r_i / sum_j r_j.
 */
export function rankWeights(scores: ArrayLike<number>, eligible: ArrayLike<number>, k?: number): Float64Array {
  if (k !== undefined) checkK(k);
  const order = preferenceOrder(scores, eligible);
  const m = k === undefined ? order.length : Math.min(k, order.length);
  const w = new Float64Array(scores.length);
  // Midranks over the selected m names: descending order, position p -> rank m - p, ties averaged.
  let p = 0, total = 0;
  while (p < m) {
    let e = p;
    while (e + 1 < m && scores[order[e + 1]] === scores[order[p]]) e++;
    const r = m - (p + e) / 2;
    for (let q = p; q <= e; q++) { w[order[q]] = r; total += r; }
    p = e + 1;
  }
  for (let i = 0; i < w.length; i++) w[i] /= total;
  return w;
}

/**
 * Score tilt around equal weight over the n eligible industries:
 *
 *   z_i = (s_i - mean s) / std(s)  (sample std, ddof 1),   w_i = max(0, 1/n + lambda z_i),
 *   w = w / sum w,
 *
 * with lambda = 0.5/n by default (a +2 sd industry doubles its benchmark weight). A constant or
 * single-name cross-section gives equal weight (`degenerate` true).
 */
export function scoreTiltWeights(scores: ArrayLike<number>, eligible: ArrayLike<number>, lambda?: number): { weights: Float64Array; degenerate: boolean; lambda: number } {
  const N = scores.length;
  let n = 0, mean = 0;
  for (let i = 0; i < N; i++) if (eligible[i]) { n++; mean += scores[i]; }
  const w = new Float64Array(N);
  const lam = lambda ?? 0.5 / Math.max(n, 1);
  if (lambda !== undefined && !(Number.isFinite(lambda) && lambda >= 0)) {
    throw new RotationError('WEIGHTS_BAD_OPTION', `Tilt lambda ${lambda} must be a finite number >= 0`, { option: 'lambda' },
      'pass lambda >= 0 (active weight per unit z-score), e.g. 0.5 / n');
  }
  if (n === 0) return { weights: w, degenerate: true, lambda: lam };
  mean /= n;
  let ss = 0;
  for (let i = 0; i < N; i++) if (eligible[i]) ss += (scores[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const degenerate = !(sd > 0);
  let sum = 0;
  for (let i = 0; i < N; i++) {
    if (!eligible[i]) continue;
    const z = degenerate ? 0 : (scores[i] - mean) / sd;
    w[i] = Math.max(0, 1 / n + lam * z);
    sum += w[i];
  }
  for (let i = 0; i < N; i++) w[i] /= sum;
  return { weights: w, degenerate, lambda: lam };
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new RotationError('WEIGHTS_BAD_OPTION', `Top-k k = ${k} must be an integer >= 1`, { option: 'k' }, 'pass k >= 1, e.g. 5');
  }
}

/**
 * Final step of every allocator: water-fill under `caps` (when given), check the invariants
 * (`checkWeights`, with excluded industries forced to 0), count holdings and measure the
 * turnover against `ctx.previous`. The caps in force (after any relaxation) are stored in
 * `diagnostics.details.caps`.
 */
export function finishAllocation(
  ctx: AllocationContext, raw: ArrayLike<number>, diag: AllocationDiagnostics,
  options: { caps?: Float64Array; eligible: Uint8Array; order?: readonly number[]; skipCaps?: boolean },
): AllocationResult {
  const n = ctx.industries.length;
  let caps = options.caps ?? new Float64Array(n).fill(1);
  let w: Float64Array;
  if (options.skipCaps) {
    w = Float64Array.from(raw);
  } else {
    const order = options.order ?? Array.from({ length: n }, (_, i) => i).filter((i) => options.eligible[i]);
    const r = applyCaps(raw, caps, options.eligible, order, diag.relaxed);
    w = r.weights; caps = r.caps;
  }
  const excluded = new Uint8Array(n);
  for (let i = 0; i < n; i++) excluded[i] = options.eligible[i] ? 0 : 1;
  const weights = checkWeights(w, { caps, excluded, industries: ctx.industries, where: { allocator: diag.allocator, date: ctx.date } });
  diag.details.caps = caps;
  let held = 0;
  for (let i = 0; i < n; i++) if (weights[i] > HOLDING_THRESHOLD) held++;
  diag.held = held;
  if (ctx.previous) {
    const { prev, alignment } = alignPrevious(ctx.industries, ctx.previous);
    let t = alignment.removedWeight;
    for (let i = 0; i < n; i++) t += Math.abs(weights[i] - prev[i]);
    diag.turnover = t;
    diag.alignment = alignment;
  }
  for (const r of diag.relaxed) if (!diag.binding.includes(r.reason)) diag.binding.push(r.reason);
  return { industries: [...ctx.industries], weights, diagnostics: diag };
}

export interface EqualWeightOptions {
  /** Per-industry caps (1/n above a cap triggers a recorded caps relaxation). */
  caps?: BoundSpec;
}

/** Benchmark allocator: w_i = 1/n over the n industries available at t. */
export function equalWeightAllocator(options: EqualWeightOptions = {}): Allocator {
  return (ctx) => {
    validateContext(ctx, 'equal-weight');
    const n = ctx.industries.length;
    const diag = newDiagnostics('equal-weight', ctx.date);
    const eligible = new Uint8Array(n).fill(1);
    const caps = resolveBound(options.caps, ctx.industries, 1, 'cap');
    return finishAllocation(ctx, new Float64Array(n).fill(1 / n), diag, { caps, eligible });
  };
}

export type ScoreWeighting = 'top-k' | 'rank' | 'tilt';

export interface ScoreAllocatorOptions {
  method: ScoreWeighting;
  /** Number of holdings for 'top-k' (required) and optionally for 'rank'. */
  k?: number;
  /**
   * 'top-k' only: holding buffer b (default 0): a held industry stays until its rank leaves
   * k + b (`topKBufferedWeights`, reading `context.previous`).
   */
  buffer?: number;
  /** Tilt lambda for 'tilt' (default 0.5/n). */
  lambda?: number;
  caps?: BoundSpec;
  /** Name in diagnostics (default the method). */
  name?: string;
}

/**
 * Allocator from `context.scores` by a closed-form rule: 'top-k' (topKEqualWeights), 'rank'
 * (rankWeights), 'tilt' (scoreTiltWeights); NaN scores excluded; caps by water-filling.
 */
export function scoreAllocator(options: ScoreAllocatorOptions): Allocator {
  if (options.method === 'top-k' && options.k === undefined) {
    throw new RotationError('WEIGHTS_BAD_OPTION', 'top-k needs k', { option: 'k' }, 'pass { method: "top-k", k: 5 }');
  }
  if (options.k !== undefined) checkK(options.k);
  if (options.buffer !== undefined) {
    checkBuffer(options.buffer);
    if (options.method !== 'top-k' && options.buffer > 0) {
      throw new RotationError('WEIGHTS_BAD_OPTION', `A holding buffer applies only to method "top-k", not "${options.method}"`, { option: 'buffer' }, 'remove buffer or use method "top-k"');
    }
  }
  const buffer = options.buffer ?? 0;
  const name = options.name ?? options.method;
  return (ctx) => {
    validateContext(ctx, name, { scores: true });
    const scores = ctx.scores!;
    const diag = newDiagnostics(name, ctx.date);
    const eligible = eligibleFromScores(ctx.industries, scores, diag);
    const caps = resolveBound(options.caps, ctx.industries, 1, 'cap');
    const order = preferenceOrder(scores, eligible);
    if (order.length === 0) {
      throw new RotationError('WEIGHTS_NOTHING_ELIGIBLE', 'Every score is NaN', { allocator: name, date: ctx.date },
        'compute scores for at least one industry, or use the equal-weight allocator at this date');
    }
    let raw: Float64Array;
    if (options.method === 'top-k' && buffer > 0 && ctx.previous) {
      const { prev } = alignPrevious(ctx.industries, ctx.previous);
      const held = new Uint8Array(prev.length);
      for (let i = 0; i < prev.length; i++) held[i] = prev[i] > HOLDING_THRESHOLD ? 1 : 0;
      raw = topKBufferedWeights(scores, eligible, options.k!, buffer, held);
      diag.details.buffer = buffer;
    } else if (options.method === 'top-k') raw = topKEqualWeights(scores, eligible, options.k!);
    else if (options.method === 'rank') raw = rankWeights(scores, eligible, options.k);
    else {
      const t = scoreTiltWeights(scores, eligible, options.lambda);
      raw = t.weights;
      diag.details.lambda = t.lambda;
      if (t.degenerate) diag.notes.push('constant or single-name scores: tilt is equal weight');
    }
    return finishAllocation(ctx, raw, diag, { caps, eligible, order });
  };
}
