/**
 * Index-enhancement optimizer (the SWS index-enhancement test; the linear part of qlib's
 * EnhancedIndexingOptimizer, REFERENCE §1.5, without the risk term), solved as an LP on HiGHS:
 *
 *   maximize   Σ_i s_i w_i
 *   subject to Σ_i w_i = 1,   w_i >= 0,
 *              |w_i − b_i| <= δ                       (stock deviation, e.g. 0.5%)
 *              |Σ_{i∈g} (w_i − b_i)| <= d             (industry deviation, every industry g)
 *              or, with `industryBands`, −below_g <= Σ_{i∈g} (w_i − b_i) <= above_g   (asymmetric bands)
 *              Σ_i |w_i − p_i| <= τ                   (turnover budget, only with previous weights p;
 *                                                     buy/sell split w = p + u − v, see `build`)
 *
 * b = benchmark weights (non-members b = 0), renormalized to Σb = 1 when they do not sum to 1
 * (reported). A NaN score counts as 0 (neutral z-score) and is reported. Stocks with industry code
 * −1 belong to no industry row.
 *
 * Feasibility: without a turnover budget w = b is always feasible. With one, the needed turnover
 * is bounded below by Σ_i dist(p_i, [max(0, b_i − δ), b_i + δ]) (stock deviation) and by
 * Σ_g dist(P_g, [B_g − d, B_g + d]) (industry deviation); the exact minimum is an LP
 * (minimize Σ t_i over the same constraints). When it exceeds τ the binding constraint is named
 * (ENH_INFEASIBLE) or, with `relax: 'auto'`, relaxed in the documented order: widen d by `dStep`
 * up to `maxIndustryDeviation`, then raise τ to the exact minimum turnover at that d. With
 * `industryBands`, widening d from d0 to d widens every band by d − d0 on both sides.
 * After every solve every constraint is verified within 1e-9 (ENH_VERIFY_FAILED otherwise).
 */
import { RotationError } from '../errors.js';
import type { IndexWeightRecord } from '../data/types.js';
import { solveProblem, type LinearRow, type Solver } from '../portfolio/optimizer.js';

/** Tolerance of the post-solve constraint verification. */
export const ENHANCEMENT_TOLERANCE = 1e-9;

export interface EnhancementInput {
  /** Stock codes (length n), for error messages. */
  readonly stocks: readonly string[];
  /** Scores s_i (higher = better); NaN counts as 0. */
  readonly scores: ArrayLike<number>;
  /** Benchmark weights b_i >= 0 (0 for non-members); renormalized to sum 1 if needed. */
  readonly benchmark: ArrayLike<number>;
  /** Industry code of each stock (index into `industries`), −1 = none. */
  readonly industryCodes: ArrayLike<number>;
  /** Industry names (codes index into this list). */
  readonly industries: readonly string[];
  /** Previous weights p_i (enables the turnover budget). */
  readonly previous?: ArrayLike<number>;
  /** δ, maximum |w_i − b_i|. Default 0.005. */
  readonly stockDeviation?: number;
  /** d, maximum |Σ_{i∈g}(w_i − b_i)|. Default 0.02. */
  readonly industryDeviation?: number;
  /**
   * Asymmetric industry bands at d (replace ±d): −below_g <= Σ_{i∈g}(w_i − b_i) <= above_g, both
   * >= 0 (so w = b stays feasible), one entry per industry. Relaxation widens both by d − d0.
   */
  readonly industryBands?: { readonly below: ArrayLike<number>; readonly above: ArrayLike<number> };
  /** τ, maximum Σ|w − p| (needs `previous`). Default Infinity. */
  readonly turnoverBudget?: number;
  /** 'auto' (default): relax d then τ when infeasible; 'none': throw ENH_INFEASIBLE. */
  readonly relax?: 'auto' | 'none';
  /** Step by which d is widened. Default 0.01. */
  readonly dStep?: number;
  /** Largest d tried before raising τ. Default 0.10. */
  readonly maxIndustryDeviation?: number;
  /** Extra HiGHS options for the main LP (snake_case), e.g. { solver: 'ipm' }. */
  readonly highsOptions?: Readonly<Record<string, string | number | boolean>>;
}

/** One relaxation applied to reach feasibility. */
export interface EnhancementRelaxation {
  readonly constraint: 'industryDeviation' | 'turnoverBudget';
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

/** Maximum violation of each constraint family (all <= 1e-9 after a verified solve). */
export interface ConstraintViolations {
  readonly budget: number;
  readonly longOnly: number;
  readonly stockDeviation: number;
  readonly industryDeviation: number;
  readonly turnover: number;
}

export interface EnhancementResult {
  readonly weights: Float64Array;
  /** Benchmark actually used (renormalized if needed). */
  readonly benchmark: Float64Array;
  readonly objective: number;
  /** Σ_i s_i (w_i − b_i): expected active score. */
  readonly activeScore: number;
  /** Σ|w − p| (NaN without previous weights). */
  readonly turnover: number;
  /** Constraint parameters after relaxation. */
  readonly stockDeviation: number;
  readonly industryDeviation: number;
  readonly turnoverBudget: number;
  readonly relaxations: EnhancementRelaxation[];
  /** Σb as given; `benchmarkRenormalized` when |Σb − 1| > 1e-9. */
  readonly benchmarkSum: number;
  readonly benchmarkRenormalized: boolean;
  /** Number of NaN scores treated as 0. */
  readonly unscored: number;
  readonly violations: ConstraintViolations;
  readonly solveMs: number;
}

interface Prepared {
  n: number; G: number;
  s: Float64Array; b: Float64Array; codes: Int32Array; p: Float64Array | undefined;
  B: Float64Array; benchmarkSum: number; renormalized: boolean; unscored: number;
  /** Band offsets at the input d (below_g, above_g >= 0); ±d when no bands are given. */
  below: Float64Array; above: Float64Array;
}

function bad(what: string, where: Record<string, string | number>, fix: string): RotationError {
  return new RotationError('ENH_BAD_INPUT', what, where, fix);
}

function prepare(input: EnhancementInput): Prepared {
  const n = input.stocks.length, G = input.industries.length;
  for (const [name, arr] of [['scores', input.scores], ['benchmark', input.benchmark], ['industryCodes', input.industryCodes]] as const) {
    if (arr.length !== n) throw bad(`${name} has ${arr.length} entries for ${n} stocks`, { field: name }, 'pass one entry per stock');
  }
  if (input.previous && input.previous.length !== n) {
    throw bad(`previous has ${input.previous.length} entries for ${n} stocks`, { field: 'previous' }, 'pass one previous weight per stock');
  }
  const s = new Float64Array(n), b = new Float64Array(n), codes = new Int32Array(n);
  let unscored = 0, sum = 0;
  for (let i = 0; i < n; i++) {
    const v = input.scores[i];
    if (v !== v) { unscored++; s[i] = 0; } else if (!Number.isFinite(v)) {
      throw bad(`Score ${v}`, { stock: input.stocks[i] }, 'scores must be finite or NaN');
    } else s[i] = v;
    const w = input.benchmark[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw bad(`Benchmark weight ${w}`, { stock: input.stocks[i] }, 'benchmark weights must be finite and >= 0 (0 for non-members)');
    b[i] = w; sum += w;
    const c = input.industryCodes[i];
    if (!Number.isInteger(c) || c < -1 || c >= G) throw bad(`Industry code ${c} outside [-1, ${G - 1}]`, { stock: input.stocks[i] }, 'codes index into `industries`; −1 = no industry');
    codes[i] = c;
  }
  if (!(sum > 0)) throw bad('Benchmark weights sum to 0', { stocks: n }, 'pass the index weights of the rebalance date');
  const renormalized = Math.abs(sum - 1) > ENHANCEMENT_TOLERANCE;
  if (renormalized) for (let i = 0; i < n; i++) b[i] /= sum;
  let p: Float64Array | undefined;
  if (input.previous) {
    p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = input.previous[i];
      if (!(v >= 0) || !Number.isFinite(v)) throw bad(`Previous weight ${v}`, { stock: input.stocks[i] }, 'previous weights must be finite and >= 0');
      p[i] = v;
    }
  }
  const B = new Float64Array(G);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) B[codes[i]] += b[i];
  const d = input.industryDeviation ?? 0.02;
  const below = new Float64Array(G).fill(d), above = new Float64Array(G).fill(d);
  if (input.industryBands) {
    for (const [name, arr, out] of [['below', input.industryBands.below, below], ['above', input.industryBands.above, above]] as const) {
      if (arr.length !== G) throw bad(`industryBands.${name} has ${arr.length} entries for ${G} industries`, { field: `industryBands.${name}` }, 'pass one band offset per industry');
      for (let g = 0; g < G; g++) {
        const v = arr[g];
        if (!(v >= 0) || !Number.isFinite(v)) throw bad(`industryBands.${name}[${g}] = ${v}`, { industry: input.industries[g] }, 'band offsets must be finite and >= 0 (w = b must stay feasible)');
        out[g] = v;
      }
    }
  }
  return { n, G, s, b, codes, p, B, benchmarkSum: sum, renormalized, unscored, below, above };
}

/**
 * Lower bounds on the turnover needed to satisfy the deviation constraints from p:
 *   stock:    Σ_i dist(p_i, [max(0, b_i − δ), b_i + δ])
 *   industry: Σ_g dist(P_g, [B_g − d, B_g + d]) (+ |1 − Σp| for the budget row), worst industry named;
 *             with bands, [B_g − below_g − e, B_g + above_g + e] where e = `widen`.
 */
export function turnoverLowerBounds(
  b: Float64Array, codes: Int32Array, p: Float64Array, G: number, delta: number, d: number,
  bands?: { below: ArrayLike<number>; above: ArrayLike<number>; widen: number },
): { stock: number; industry: number; worstIndustry: number } {
  const n = b.length;
  let stock = 0, ps = 0;
  const P = new Float64Array(G), B = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, b[i] - delta), hi = b[i] + delta;
    stock += p[i] < lo ? lo - p[i] : p[i] > hi ? p[i] - hi : 0;
    ps += p[i];
    if (codes[i] >= 0) { P[codes[i]] += p[i]; B[codes[i]] += b[i]; }
  }
  let industry = 0, worst = -1, worstGap = 0;
  for (let g = 0; g < G; g++) {
    const lo = bands ? B[g] - bands.below[g] - bands.widen : B[g] - d, hi = bands ? B[g] + bands.above[g] + bands.widen : B[g] + d;
    const gap = Math.max(0, lo - P[g], P[g] - hi);
    industry += gap;
    if (gap > worstGap) { worstGap = gap; worst = g; }
  }
  industry = Math.max(industry, Math.abs(1 - ps));
  return { stock, industry, worstIndustry: worst };
}

interface Built { cost: Float64Array; lower: Float64Array; upper: Float64Array; rows: LinearRow[]; names: string[] }

/**
 * The LP. Without previous weights x = w. With previous weights p, x = [u (n), v (n)] and
 *   w_i = p_i + u_i − v_i,  u_i in [max(0, lo_i − p_i), max(0, hi_i − p_i)],  v_i in [max(0, p_i − hi_i), max(0, p_i − lo_i)],
 * lo_i = max(0, b_i − δ), hi_i = b_i + δ: every feasible w has a representation with u_i v_i = 0, so
 * Σ(u + v) <= τ gives the same feasible set in w as Σ|w − p| <= τ, with only 1 + G + 1 rows
 * (no per-stock turnover rows). `minTurnover` swaps the objective to minimize Σ(u + v).
 */
function build(pr: Prepared, names: readonly string[], industries: readonly string[], delta: number, widen: number, tau: number, minTurnover: boolean): Built {
  const { n, G, s, b, codes, p, B, below, above } = pr;
  const cols = p ? 2 * n : n;
  const cost = new Float64Array(cols), lower = new Float64Array(cols), upper = new Float64Array(cols);
  const colNames: string[] = new Array(cols);
  let pSum = 0;
  const P = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, b[i] - delta), hi = b[i] + delta;
    if (!p) {
      cost[i] = s[i]; lower[i] = lo; upper[i] = hi; colNames[i] = `w_${names[i]}`;
      continue;
    }
    const pi = p[i];
    pSum += pi;
    if (codes[i] >= 0) P[codes[i]] += pi;
    cost[i] = minTurnover ? 1 : s[i];
    cost[n + i] = minTurnover ? 1 : -s[i];
    lower[i] = Math.max(0, lo - pi); upper[i] = Math.max(0, hi - pi);
    lower[n + i] = Math.max(0, pi - hi); upper[n + i] = Math.max(0, pi - lo);
    colNames[i] = `buy_${names[i]}`; colNames[n + i] = `sell_${names[i]}`;
  }
  const rows: LinearRow[] = [];
  const members: number[][] = Array.from({ length: G }, () => []);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) members[codes[i]].push(i);
  if (!p) {
    rows.push({ name: 'budget', indices: Array.from({ length: n }, (_, i) => i), values: new Array(n).fill(1), lower: 1, upper: 1 });
    for (let g = 0; g < G; g++) {
      if (members[g].length === 0) continue;
      rows.push({ name: `industry_${industries[g]}`, indices: members[g], values: new Array(members[g].length).fill(1), lower: B[g] - below[g] - widen, upper: B[g] + above[g] + widen });
    }
  } else {
    const both = (idx: readonly number[]): number[] => [...idx, ...idx.map((i) => n + i)];
    const signs = (k: number): number[] => [...new Array(k).fill(1), ...new Array(k).fill(-1)];
    const all = Array.from({ length: n }, (_, i) => i);
    rows.push({ name: 'budget', indices: both(all), values: signs(n), lower: 1 - pSum, upper: 1 - pSum });
    for (let g = 0; g < G; g++) {
      if (members[g].length === 0) continue;
      rows.push({ name: `industry_${industries[g]}`, indices: both(members[g]), values: signs(members[g].length), lower: B[g] - below[g] - widen - P[g], upper: B[g] + above[g] + widen - P[g] });
    }
    if (!minTurnover && tau !== Infinity) {
      rows.push({ name: 'turnover_budget', indices: both(all), values: new Array(2 * n).fill(1), lower: -Infinity, upper: tau });
    }
  }
  return { cost, lower, upper, rows, names: colNames };
}

/** Weights from the LP solution x (see `build`), clipped to the stock bounds [max(0, b − δ), b + δ]. */
function weightsFrom(pr: Prepared, x: Float64Array, delta: number): Float64Array {
  const { n, b, p } = pr;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const raw = p ? p[i] + x[i] - x[n + i] : x[i];
    w[i] = Math.min(b[i] + delta, Math.max(Math.max(0, b[i] - delta), raw));
  }
  return w;
}

/**
 * Exact minimum turnover min Σ|w − p| subject to the budget, long-only, stock- and
 * industry-deviation constraints (an LP on the same variables). Requires previous weights.
 */
export function minimumTurnover(solver: Solver, input: EnhancementInput): number {
  const pr = prepare(input);
  if (!pr.p) throw bad('minimumTurnover needs previous weights', { field: 'previous' }, 'pass `previous`');
  return minTurnoverPrepared(solver, pr, input, input.stockDeviation ?? 0.005, 0);
}

/** Minimum turnover with the industry bands widened by `widen` (= d − d0) on both sides. */
function minTurnoverPrepared(solver: Solver, pr: Prepared, input: EnhancementInput, delta: number, widen: number): number {
  const m = build(pr, input.stocks, input.industries, delta, widen, Infinity, true);
  const res = solveProblem(solver, { sense: 'minimize', colNames: m.names, cost: m.cost, lower: m.lower, upper: m.upper, rows: m.rows });
  if (res.status !== 'optimal') {
    throw new RotationError('ENH_SOLVER', `Minimum-turnover LP ended with status ${res.status}`, { modelStatus: res.modelStatus }, 'check the deviation settings (δ, d >= 0)');
  }
  const w = weightsFrom(pr, res.x, delta);
  let t = 0;
  for (let i = 0; i < pr.n; i++) t += Math.abs(w[i] - pr.p![i]);
  return t;
}

/**
 * Max violation of every constraint family for weights w (see the module formula); with `bands`
 * the industry family is −below_g − widen <= Σ_{i∈g}(w_i − b_i) <= above_g + widen instead of ±d.
 */
export function constraintViolations(
  w: ArrayLike<number>, b: ArrayLike<number>, codes: ArrayLike<number>, G: number,
  delta: number, d: number, previous: ArrayLike<number> | undefined, tau: number,
  bands?: { below: ArrayLike<number>; above: ArrayLike<number>; widen: number },
): ConstraintViolations {
  const n = w.length;
  let sum = 0, longOnly = 0, stock = 0, turnover = 0;
  const dev = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    sum += w[i];
    longOnly = Math.max(longOnly, -w[i]);
    stock = Math.max(stock, Math.abs(w[i] - b[i]) - delta);
    if (codes[i] >= 0) dev[codes[i]] += w[i] - b[i];
    if (previous) turnover += Math.abs(w[i] - previous[i]);
  }
  let ind = 0;
  for (let g = 0; g < G; g++) {
    ind = bands
      ? Math.max(ind, dev[g] - bands.above[g] - bands.widen, -bands.below[g] - bands.widen - dev[g])
      : Math.max(ind, Math.abs(dev[g]) - d);
  }
  return {
    budget: Math.abs(sum - 1), longOnly, stockDeviation: Math.max(0, stock), industryDeviation: Math.max(0, ind),
    turnover: previous && tau !== Infinity ? Math.max(0, turnover - tau) : 0,
  };
}

/**
 * Solve the index-enhancement LP (module formula) with feasibility pre-check, documented
 * relaxation (d widened by dStep up to maxIndustryDeviation, then τ raised to the exact minimum
 * turnover) and post-solve verification within 1e-9.
 * Errors: ENH_BAD_INPUT, ENH_INFEASIBLE (names the binding constraint), ENH_SOLVER, ENH_VERIFY_FAILED.
 */
export function enhanceIndex(solver: Solver, input: EnhancementInput): EnhancementResult {
  const t0 = Date.now();
  const pr = prepare(input);
  const delta = input.stockDeviation ?? 0.005;
  let d = input.industryDeviation ?? 0.02;
  let tau = input.turnoverBudget ?? Infinity;
  const relax = input.relax ?? 'auto';
  const dStep = input.dStep ?? 0.01, dMax = Math.max(d, input.maxIndustryDeviation ?? 0.10);
  for (const [name, v] of [['stockDeviation', delta], ['industryDeviation', d], ['dStep', dStep]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw bad(`${name} = ${v}`, { field: name }, `${name} must be a finite number >= 0`);
  }
  if (!(tau >= 0)) throw bad(`turnoverBudget = ${tau}`, { field: 'turnoverBudget' }, 'the turnover budget must be >= 0 (Infinity = none)');
  if (tau !== Infinity && !pr.p) throw bad('A turnover budget needs previous weights', { field: 'turnoverBudget' }, 'pass `previous` or leave the budget out');
  const relaxations: EnhancementRelaxation[] = [];

  const dInput = d;
  const bandsAt = (dd: number) => ({ below: pr.below, above: pr.above, widen: dd - dInput });
  const solveMain = (): ReturnType<typeof solveProblem> => {
    const m = build(pr, input.stocks, input.industries, delta, d - dInput, tau, false);
    return solveProblem(solver, { sense: 'maximize', colNames: m.names, cost: m.cost, lower: m.lower, upper: m.upper, rows: m.rows, options: input.highsOptions });
  };
  // Pre-check with the cheap turnover lower bounds; the exact minimum-turnover LP is run only when
  // the main LP reports infeasible (so a feasible solve costs one LP).
  const feasibleAt = (dd: number, exact: boolean): { ok: boolean; need: number; binding: string } => {
    const lb = turnoverLowerBounds(pr.b, pr.codes, pr.p!, pr.G, delta, dd, bandsAt(dd));
    if (lb.stock > tau + ENHANCEMENT_TOLERANCE) return { ok: false, need: lb.stock, binding: `stock deviation δ=${delta} needs turnover >= ${lb.stock.toFixed(6)}` };
    if (lb.industry > tau + ENHANCEMENT_TOLERANCE) {
      const g = lb.worstIndustry >= 0 ? input.industries[lb.worstIndustry] : 'budget';
      return { ok: false, need: lb.industry, binding: `industry deviation d=${dd} (worst ${g}) needs turnover >= ${lb.industry.toFixed(6)}` };
    }
    if (!exact) return { ok: true, need: lb.industry, binding: '' };
    const need = minTurnoverPrepared(solver, pr, input, delta, dd - dInput);
    if (need > tau + ENHANCEMENT_TOLERANCE) return { ok: false, need, binding: `stock and industry deviation (δ=${delta}, d=${dd}) jointly need turnover >= ${need.toFixed(6)}` };
    return { ok: true, need, binding: '' };
  };
  let res: ReturnType<typeof solveProblem> | undefined;
  if (pr.p && tau !== Infinity) {
    let check = feasibleAt(d, false);
    if (check.ok) {
      res = solveMain();
      if (res.status === 'infeasible') { check = feasibleAt(d, true); res = undefined; }
    }
    if (!check.ok) {
      if (relax === 'none') {
        throw new RotationError('ENH_INFEASIBLE', `Turnover budget τ=${tau} is too small: ${check.binding}`,
          { binding: check.binding, turnoverBudget: tau, industryDeviation: d, stockDeviation: delta, neededTurnover: check.need },
          'widen the industry deviation d, raise the turnover budget τ, or pass relax: "auto"');
      }
      const d0 = d;
      while (!check.ok && d + dStep <= dMax + 1e-12 && dStep > 0) {
        d = Math.min(dMax, d + dStep);
        check = feasibleAt(d, true);
      }
      if (d !== d0) relaxations.push({ constraint: 'industryDeviation', from: d0, to: d, reason: 'turnover budget too small for the industry deviation' });
      if (!check.ok) {
        const need = minTurnoverPrepared(solver, pr, input, delta, d - dInput);
        const newTau = need * (1 + 1e-7) + 1e-10;
        relaxations.push({ constraint: 'turnoverBudget', from: tau, to: newTau, reason: `${check.binding}; raised to the exact minimum turnover` });
        tau = newTau;
      }
    }
  }
  if (!res) res = solveMain();
  if (res.status !== 'optimal') {
    throw new RotationError('ENH_SOLVER', `Index-enhancement LP ended with status ${res.status}`, { modelStatus: res.modelStatus, industryDeviation: d, turnoverBudget: tau },
      'the pre-check passed, so this is numerical: report the inputs');
  }
  const w = weightsFrom(pr, res.x, delta);
  const v = constraintViolations(w, pr.b, pr.codes, pr.G, delta, d, pr.p, tau, bandsAt(d));
  const worst = Math.max(v.budget, v.longOnly, v.stockDeviation, v.industryDeviation, v.turnover);
  if (worst > ENHANCEMENT_TOLERANCE) {
    const name = (Object.keys(v) as (keyof ConstraintViolations)[]).find((k) => v[k] === worst);
    throw new RotationError('ENH_VERIFY_FAILED', `Solution violates ${name} by ${worst.toExponential(3)}`, { constraint: String(name), tolerance: ENHANCEMENT_TOLERANCE },
      'tighten the solver tolerances or report the inputs');
  }
  let obj = 0, active = 0, turnover = pr.p ? 0 : NaN;
  for (let i = 0; i < pr.n; i++) {
    obj += pr.s[i] * w[i];
    active += pr.s[i] * (w[i] - pr.b[i]);
    if (pr.p) turnover += Math.abs(w[i] - pr.p[i]);
  }
  return {
    weights: w, benchmark: pr.b, objective: obj, activeScore: active, turnover,
    stockDeviation: delta, industryDeviation: d, turnoverBudget: tau, relaxations,
    benchmarkSum: pr.benchmarkSum, benchmarkRenormalized: pr.renormalized, unscored: pr.unscored,
    violations: v, solveMs: Date.now() - t0,
  };
}

/**
 * Benchmark weights of `index` as of `date`: the weights of the latest index date d' <= date,
 *   b_i = weight(d', s_i), 0 for non-members. Throws ENH_NO_BENCHMARK when no index date precedes `date`.
 */
export function benchmarkWeightsAsOf(records: readonly IndexWeightRecord[], index: string, date: string, stocks: readonly string[]): { weights: Float64Array; indexDate: string } {
  let best = '';
  for (const r of records) if (r.index === index && r.date <= date && r.date > best) best = r.date;
  if (!best) {
    throw new RotationError('ENH_NO_BENCHMARK', `No ${index} weights on or before ${date}`, { index, date }, 'start the study after the first index date');
  }
  const pos = new Map(stocks.map((s, i) => [s, i]));
  const w = new Float64Array(stocks.length);
  for (const r of records) {
    if (r.index !== index || r.date !== best) continue;
    const i = pos.get(r.stock);
    if (i !== undefined) w[i] += r.weight;
  }
  return { weights: w, indexDate: best };
}
