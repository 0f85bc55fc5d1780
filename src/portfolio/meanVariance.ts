/**
 * Mean-variance baseline (PyPortfolioOpt `max_quadratic_utility` with a covariance shrinkage
 * option), solved as a box-constrained, fully-invested QP:
 *
 *   maximize  mu' w - (gamma/2) w' Sigma w - (kappa/2) sum_i (w_i - w_prev,i)^2
 *   s.t.      sum_i w_i = 1,  0 <= w_i <= cap_i
 *
 * (i.e. minimize -(mu + kappa w_prev)' w + 1/2 w' (gamma Sigma + kappa I) w.)
 *
 * The turnover penalty is QUADRATIC on purpose: the L1 form kappa sum |w - w_prev| needs auxiliary
 * columns t_i >= +/-(w_i - w_prev,i) outside the Hessian, and HiGHS 1.15's active-set QP solver
 * (qpasm, the only QP solver in the WebAssembly build) cycles to its time limit on that form
 * (ERGO-Code/HiGHS#1583; reproduced here on most simulator months), and can then fail the next
 * run. With only w in a positive definite Hessian it solves every case in ~1-2 ms. The L1
 * turnover penalty, turnover budget and proportional costs live in the score optimizer (an LP).
 *
 * Estimation at rebalance date t from the rows of the returns panel dated <= t:
 *   frequency 'monthly' (default): calendar-month compounded returns, the last `lookback` (36) months;
 *   frequency 'daily': daily returns, the last `lookback` (252) days, mu and Sigma scaled to a month
 *     by the window's trading days per month (T_days / months spanned) so kappa stays per month.
 *   mu = trailing mean; Sigma = Ledoit-Wolf toward constant correlation (default), toward
 *   scaled identity, or the sample covariance (ddof 1). Sigma is then repaired by eigenvalue
 *   clipping (covariance.ts) and the repair is reported. Industries with a NaN in the window are
 *   excluded ('insufficient history'); with fewer than `minObservations` periods the allocator
 *   falls back to equal weight (noted).
 * gamma (risk aversion) is in the units of the period: the argmax without turnover terms does not
 * depend on the period length (mu and Sigma scale alike).
 *
 * Solver (default `qp: 'active-set'`, qp.ts): accelerated projected gradient on the capped
 * simplex (O(n^2) per iteration) identifies the active set, and the exact active-set solver
 * finishes from it (one Cholesky of the free block, usually one or two iterations), so a date
 * costs O(K n^2 + m^3) (m held industries) instead of HiGHS' dense QP: 300 industries solve in
 * milliseconds. `qp: 'highs'` keeps the former path (HiGHS with an iteration limit, polished by
 * the active-set solver, which solves from scratch when HiGHS does not prove optimality; qpasm
 * cycles on a few % of bootstrapped problems); the tests check the two agree to 1e-8.
 * The covariance estimate is repaired once (`estimateMeanCovariance`); the allocator passes that
 * repair on, so the optimizer does not decompose Sigma a second time.
 *
 * `meanVarianceSensitivity` measures the known weakness: bootstrap the window (seeded), re-estimate,
 * re-optimize, report how far the weights move.
 */
import { DAILY_PERIODS_PER_YEAR } from '../metrics/conventions.js';
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { createRng } from '../random.js';
import { checkFeasibility, cloneConstraints, relaxToFeasible, resolveConstraints } from './constraints.js';
import { columnMeans, ledoitWolfCovariance, repairCovariance, repairedShortWindowSampleCovariance, sampleCovariance, type CovarianceRepair, type RepairOptions, type ShrinkageTarget } from './covariance.js';
import { calendarMonthReturns, columnsOf, completeWindow, monthlyReturnsPanel, rowsUpTo, type MonthlyReturnsPanel } from './history.js';
import { solveProblem, type LinearRow, type Solver } from './optimizer.js';
import { projectedGradientBoxBudget, solveBoxBudgetQp } from './qp.js';
import type { Allocator, BoundSpec, DenseMatrix, RelaxationRecord, WeightVector } from './types.js';
import { checkWeights, finishAllocation, newDiagnostics, polishSum, resolveBound, validateContext } from './weights.js';

export type CovarianceEstimator = 'sample' | 'ledoit-wolf';

export interface EstimationOptions {
  /** 'ledoit-wolf' (default) or 'sample'. */
  covariance?: CovarianceEstimator;
  /** Ledoit-Wolf target (default 'constant-correlation'). */
  shrinkageTarget?: ShrinkageTarget;
  /** Eigenvalue floor of the PSD repair (default relative 1e-8 of the mean eigenvalue). */
  repair?: RepairOptions;
  /** Multiply mu and Sigma by this (e.g. trading days per month for daily data); default 1. */
  scale?: number;
}

export interface MeanCovarianceEstimate {
  readonly mean: Float64Array;
  /** Repaired (PSD) covariance, n x n row-major. */
  readonly covariance: Float64Array;
  readonly repair: CovarianceRepair;
  /** Ledoit-Wolf shrinkage intensity (NaN for the sample estimator). */
  readonly shrinkage: number;
  readonly estimator: string;
}

/** mu_j = scale x (1/T) sum_t x_tj. */
function scaledMeans(window: DenseMatrix, scale: number): Float64Array {
  const mean = columnMeans(window);
  if (scale !== 1) for (let j = 0; j < mean.length; j++) mean[j] *= scale;
  return mean;
}

/**
 * mu_j = (scale/T) sum_t x_tj;  Sigma = scale x (sample covariance (ddof 1) or Ledoit-Wolf),
 * then `repairCovariance` (eigenvalue clipping; reported). A sample covariance from a window of
 * T periods with n >= 2T industries is singular for certain and is clipped through the T x T Gram
 * matrix instead (`repairedShortWindowSampleCovariance`: the same matrix to rounding, O(T n^2)
 * instead of O(n^3)); below that size the n x n route is kept, so results on 30-50 industries
 * are unchanged to the bit.
 */
export function estimateMeanCovariance(window: DenseMatrix, options: EstimationOptions = {}): MeanCovarianceEstimate {
  const scale = options.scale ?? 1;
  const est = options.covariance ?? 'ledoit-wolf';
  let cov: Float64Array, shrinkage = NaN, label: string;
  if (est === 'sample' && window.cols >= 2 * window.rows) {
    // A window much shorter than the cross-section: S is singular, and the T x T route gives the
    // same clipped matrix (to rounding) at a fraction of the cost (repairedShortWindowSampleCovariance).
    const repair = repairedShortWindowSampleCovariance(window, { ...options.repair, scale });
    return { mean: scaledMeans(window, scale), covariance: repair.covariance, repair, shrinkage, estimator: 'sample (ddof 1)' };
  }
  if (est === 'sample') {
    cov = sampleCovariance(window);
    label = 'sample (ddof 1)';
  } else if (est === 'ledoit-wolf') {
    const lw = ledoitWolfCovariance(window, options.shrinkageTarget ?? 'constant-correlation');
    cov = lw.covariance; shrinkage = lw.shrinkage;
    label = `ledoit-wolf (${lw.target}, delta ${lw.shrinkage.toFixed(4)})`;
  } else {
    throw new RotationError('MV_BAD_OPTION', `Unknown covariance estimator "${String(est)}"`, { option: 'covariance' }, 'use "ledoit-wolf" or "sample"');
  }
  const mean = scaledMeans(window, scale);
  if (scale !== 1) for (let k = 0; k < cov.length; k++) cov[k] *= scale;
  const repair = repairCovariance(cov, window.cols, options.repair);
  return { mean, covariance: repair.covariance, repair, shrinkage, estimator: label };
}

export interface MeanVarianceInput {
  readonly industries: readonly string[];
  readonly mean: ArrayLike<number>;
  /** n x n row-major; repaired first if not PSD (reported in the result). */
  readonly covariance: ArrayLike<number>;
  /** gamma > 0. */
  readonly riskAversion: number;
  readonly previous?: WeightVector;
  /** Per-industry caps (default 1); caps summing below 1 are relaxed (recorded). */
  readonly caps?: BoundSpec;
  /** kappa: quadratic turnover penalty (kappa/2) sum (w - w_prev)^2 (default 0 = none; needs previous). */
  readonly turnoverPenalty?: number;
  /**
   * The repair report whose `covariance` IS `covariance` (the same array, e.g. from
   * `estimateMeanCovariance`): Sigma is then used as is and this report returned, instead of
   * repairing (eigen-decomposing) it again. Ignored when it is another array.
   */
  readonly covarianceRepair?: CovarianceRepair;
  /** QP solver: 'active-set' (default: projected-gradient start + exact active set) or 'highs' (module comment). */
  readonly qp?: QpMethod;
}

export type QpMethod = 'active-set' | 'highs';

/** `qpSolver` of a solve by the default path. */
export const QP_ACTIVE_SET = 'active-set (projected-gradient start)';

/** True when a `qpSolver` label records that HiGHS did not prove optimality and the active-set solver solved from scratch. */
export function isQpFallback(qpSolver: string): boolean {
  return qpSolver.startsWith('active-set (HiGHS');
}

export interface MeanVarianceResult {
  readonly industries: readonly string[];
  readonly weights: Float64Array;
  /** mu' w - (gamma/2) w' Sigma w - (kappa/2) sum (w - w_prev)^2 over the held set. */
  readonly utility: number;
  /** Two-sided turnover sum |w - w_prev| incl. removed industries (NaN without previous weights). */
  readonly turnover: number;
  readonly expectedReturn: number;
  readonly variance: number;
  readonly repair: CovarianceRepair;
  readonly relaxed: RelaxationRecord[];
  readonly binding: string[];
  /** Caps actually applied (after any relaxation). */
  readonly caps: Float64Array;
  /** QP_ACTIVE_SET (default path), 'highs', or 'active-set (HiGHS: ...)' when HiGHS did not prove optimality and the fallback solved it. */
  readonly qpSolver: string;
}

/**
 * Solve the mean-variance QP of the module comment:
 *   min -(mu + kappa w_prev)' w + 1/2 w' (gamma Sigma + kappa I) w,  sum w = 1,  0 <= w <= cap
 * (projected gradient + exact active set by default; HiGHS with `qp: 'highs'`).
 * A non-PSD covariance is repaired by eigenvalue clipping (`repair.repaired`) unless
 * `covarianceRepair` says it already was; caps summing below 1 are relaxed (RELAXATION_ORDER,
 * recorded). Errors: MV_BAD_INPUT, OPT_SOLVER_FAILED.
 */
export function meanVarianceWeights(solver: Solver, input: MeanVarianceInput): MeanVarianceResult {
  const n = input.industries.length;
  if (input.mean.length !== n || input.covariance.length !== n * n) {
    throw new RotationError('MV_BAD_INPUT', `mean has ${input.mean.length} and covariance ${input.covariance.length} entries for ${n} industries`, {},
      'pass mu (n) and Sigma (n x n, row-major) aligned with industries');
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(input.mean[i])) {
      throw new RotationError('MV_BAD_INPUT', `Expected return ${input.mean[i]}`, { industry: input.industries[i] }, 'drop industries without history before optimizing');
    }
  }
  const gamma = input.riskAversion, kappa = input.turnoverPenalty ?? 0;
  if (!(gamma > 0 && Number.isFinite(gamma)) || !(kappa >= 0 && Number.isFinite(kappa))) {
    throw new RotationError('MV_BAD_INPUT', `riskAversion ${gamma} must be > 0 and turnoverPenalty ${kappa} >= 0`, {}, 'pass gamma > 0 (e.g. 10) and kappa >= 0');
  }
  const qpMethod = input.qp ?? 'active-set';
  if (qpMethod !== 'active-set' && qpMethod !== 'highs') {
    throw new RotationError('MV_BAD_OPTION', `Unknown QP solver "${String(qpMethod)}"`, { option: 'qp' }, 'use "active-set" (default) or "highs"');
  }
  const repair = input.covarianceRepair && input.covarianceRepair.covariance === input.covariance ? input.covarianceRepair : repairCovariance(input.covariance, n);
  const eligible = new Uint8Array(n).fill(1);
  const original = resolveConstraints(input.industries, { caps: input.caps }, eligible, input.previous);
  const report = checkFeasibility(original);
  const binding: string[] = [];
  for (const c of report.conflicts) binding.push(c.name, ...c.binding);
  const relaxed: RelaxationRecord[] = [];
  let set = cloneConstraints(original);
  if (!report.feasible) {
    const r = relaxToFeasible(original);
    set = r.set; relaxed.push(...r.relaxed);
  }
  const prev = set.prev;
  const k = prev ? kappa : 0;
  const colNames: string[] = [], cost = new Float64Array(n), lower = new Float64Array(n), upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    colNames.push(`w_${input.industries[i]}`);
    cost[i] = -input.mean[i] - (prev ? k * prev[i] : 0);
    upper[i] = set.caps[i];
  }
  const q = new Float64Array(n * n);
  for (let idx = 0; idx < n * n; idx++) q[idx] = gamma * repair.covariance[idx];
  for (let i = 0; i < n; i++) q[i * n + i] += k;
  let x: Float64Array, qpSolver: string;
  if (qpMethod === 'active-set') {
    try {
      // A short projected-gradient run only has to find the active set (60 iterations at most);
      // the active-set solver then finishes exactly from it whatever is left.
      const pg = projectedGradientBoxBudget(q, cost, lower, upper, { tol: 1e-7, maxIterations: 60 });
      x = solveBoxBudgetQp(q, cost, lower, upper, { start: pg.x }).x;
      qpSolver = QP_ACTIVE_SET;
    } catch (e) {
      throw new RotationError('OPT_SOLVER_FAILED', `Mean-variance QP failed: ${(e as Error).message}`, { industries: n }, 'check mu and Sigma for extreme values');
    }
  } else {
    // HiGHS first (iteration-limited, so a cycling qpasm stops after a few ms deterministically).
    // Its solution (feasibility/optimality tolerance ~1e-7) is polished by the exact active-set
    // solver (qp.ts) warm-started at it; if HiGHS did not prove optimality, the active-set solver
    // solves the QP from scratch.
    const rows: LinearRow[] = [{ name: 'full_investment', indices: Array.from({ length: n }, (_, i) => i), values: new Array(n).fill(1), lower: 1, upper: 1 }];
    const res = solveProblem(solver, {
      sense: 'minimize', colNames, cost, lower, upper, rows, hessian: { dim: n, values: q }, timeLimit: 5,
      options: { qp_iteration_limit: 50 * n + 500 },
    });
    try {
      if (res.status === 'optimal') {
        x = solveBoxBudgetQp(q, cost, lower, upper, { start: res.x }).x;
        qpSolver = 'highs';
      } else {
        x = solveBoxBudgetQp(q, cost, lower, upper).x;
        qpSolver = `active-set (HiGHS: ${res.status}, model status ${res.modelStatus})`;
      }
    } catch (e) {
      throw new RotationError('OPT_SOLVER_FAILED', `Mean-variance QP failed (HiGHS ${res.status}, model status ${res.modelStatus}): ${(e as Error).message}`,
        { industries: n }, 'check mu and Sigma for extreme values');
    }
  }
  const w = polishSum(x, set.caps, eligible);
  const weights = checkWeights(w, { caps: set.caps, industries: input.industries, where: { allocator: 'mean-variance' } });
  let er = 0, v = 0, sq = 0, to = NaN;
  if (prev) to = set.alignment?.removedWeight ?? 0;
  for (let i = 0; i < n; i++) {
    er += input.mean[i] * weights[i];
    for (let j = 0; j < n; j++) v += weights[i] * repair.covariance[i * n + j] * weights[j];
    if (prev) { sq += (weights[i] - prev[i]) ** 2; to += Math.abs(weights[i] - prev[i]); }
  }
  return {
    industries: input.industries, weights, utility: er - (gamma / 2) * v - (k / 2) * sq, expectedReturn: er, variance: v, turnover: to,
    repair, relaxed, binding, caps: set.caps, qpSolver,
  };
}

export interface MeanVarianceWindowOptions {
  /** 'monthly' (default) or 'daily' estimation data. */
  frequency?: 'monthly' | 'daily';
  /** Periods in the window (default 36 months / 252 days). */
  lookback?: number;
  /** Fewer usable periods -> no estimate (default ceil(2/3 x lookback)). */
  minObservations?: number;
}

export interface MeanVarianceWindow {
  /** Complete-data window over `industries` (rows = periods). */
  readonly window: DenseMatrix;
  /** Industries kept (complete history in the window). */
  readonly industries: string[];
  /** Industries dropped for a NaN in the window or constant returns over it. */
  readonly dropped: string[];
  /** mu/Sigma scale to a month (1 for monthly; trading days per month for daily). */
  readonly scale: number;
  readonly enough: boolean;
}

/**
 * The estimation window at `date` (rows of `returns` dated <= date only): calendar-month
 * compounded (or daily) returns over the last `lookback` periods, industries with a NaN in the
 * window or constant returns over it dropped. `enough` is false with fewer than `minObservations` periods.
 * `monthly`: the panel's `monthlyReturnsPanel`, when called at every rebalance date (same numbers, faster).
 */
export function meanVarianceWindow(returns: Panel, date: string, industries: readonly string[], options: MeanVarianceWindowOptions = {}, monthly?: MonthlyReturnsPanel): MeanVarianceWindow {
  const freq = options.frequency ?? 'monthly';
  if (freq !== 'monthly' && freq !== 'daily') {
    throw new RotationError('MV_BAD_OPTION', `Unknown frequency "${String(freq)}"`, { option: 'frequency' }, 'use "monthly" or "daily"');
  }
  const lookback = options.lookback ?? (freq === 'monthly' ? 36 : DAILY_PERIODS_PER_YEAR);
  const minObs = options.minObservations ?? Math.ceil((2 / 3) * lookback);
  if (!Number.isInteger(lookback) || lookback < 2) {
    throw new RotationError('MV_BAD_OPTION', `lookback ${lookback} must be an integer >= 2`, { option: 'lookback' }, 'pass e.g. 36 (months)');
  }
  const cols = columnsOf(returns, industries, 'mean-variance');
  const end = rowsUpTo(returns, date);
  const J = cols.length;
  let values: Float64Array, rows: number;
  if (freq === 'monthly') {
    const mr = calendarMonthReturns(returns, end, cols, monthly);
    values = mr.values; rows = mr.months.length;
  } else {
    values = new Float64Array(end * J);
    for (let t = 0; t < end; t++) for (let j = 0; j < J; j++) values[t * J + j] = returns.values[t * returns.assets.length + cols[j]];
    rows = end;
  }
  let cw = completeWindow(values, rows, J, lookback);
  // A column with zero variance in the window (constant returns) has no correlation: drop it too.
  const constant = cw.kept.filter((_, k) => {
    const { rows: T, cols: n, values: v } = cw.window;
    for (let t = 1; t < T; t++) if (v[t * n + k] !== v[k]) return false;
    return true;
  });
  if (constant.length) {
    const keep = cw.kept.filter((j) => !constant.includes(j));
    const n0 = cw.window.cols, T = cw.window.rows;
    const vals = new Float64Array(T * keep.length);
    const pos = keep.map((j) => cw.kept.indexOf(j));
    for (let t = 0; t < T; t++) for (let k = 0; k < keep.length; k++) vals[t * keep.length + k] = cw.window.values[t * n0 + pos[k]];
    cw = { window: { rows: T, cols: keep.length, values: vals }, kept: keep, dropped: [...cw.dropped, ...constant].sort((a, b) => a - b) };
  }
  let scale = 1;
  if (freq === 'daily' && cw.window.rows > 0) {
    const months = new Set<string>();
    for (let t = end - cw.window.rows; t < end; t++) months.add(returns.dates[t].slice(0, 7));
    scale = cw.window.rows / Math.max(1, months.size);
  }
  return {
    window: cw.window, industries: cw.kept.map((j) => industries[j]), dropped: cw.dropped.map((j) => industries[j]),
    scale, enough: cw.window.rows >= minObs && cw.kept.length > 0,
  };
}

export interface MeanVarianceAllocatorOptions extends MeanVarianceWindowOptions, EstimationOptions {
  /** gamma (default 10). */
  riskAversion?: number;
  caps?: BoundSpec;
  /** kappa of the quadratic turnover penalty (kappa/2) sum (w - w_prev)^2 (default 0: none). */
  turnoverPenalty?: number;
  /** QP solver (default 'active-set'; module comment). */
  qp?: QpMethod;
  name?: string;
}

/**
 * Mean-variance allocator: at each t, `meanVarianceWindow` -> `estimateMeanCovariance` ->
 * `meanVarianceWeights`. Industries without complete history get 0 (excluded); with too little
 * history the allocator returns equal weight (noted, details.fallback = true).
 */
export function meanVarianceAllocator(solver: Solver, options: MeanVarianceAllocatorOptions = {}): Allocator {
  const gamma = options.riskAversion ?? 10;
  const name = options.name ?? `mean-variance${options.turnoverPenalty ? '-penalized' : ''}`;
  let monthly: MonthlyReturnsPanel | undefined; // the walk's panel in calendar months, computed once
  return (ctx) => {
    validateContext(ctx, name, { returns: true });
    const n = ctx.industries.length;
    const diag = newDiagnostics(name, ctx.date);
    if ((options.frequency ?? 'monthly') === 'monthly' && monthly?.source !== ctx.returns) monthly = monthlyReturnsPanel(ctx.returns!);
    const win = meanVarianceWindow(ctx.returns!, ctx.date, ctx.industries, options, monthly);
    const caps = resolveBound(options.caps, ctx.industries, 1, 'cap');
    if (!win.enough) {
      diag.notes.push(`fewer than the minimum ${options.frequency ?? 'monthly'} observations (${win.window.rows}): equal weight`);
      diag.details.fallback = true;
      return finishAllocation(ctx, new Float64Array(n).fill(1 / n), diag, { caps, eligible: new Uint8Array(n).fill(1) });
    }
    for (const d of win.dropped) diag.excluded.push({ industry: d, reason: 'insufficient history (NaN or constant returns in the estimation window)' });
    const est = estimateMeanCovariance(win.window, { covariance: options.covariance, shrinkageTarget: options.shrinkageTarget, repair: options.repair, scale: win.scale });
    const prevSub = ctx.previous;
    const res = meanVarianceWeights(solver, {
      industries: win.industries, mean: est.mean, covariance: est.covariance, riskAversion: gamma, previous: prevSub,
      caps: capsRecord(win.industries, ctx.industries, caps), turnoverPenalty: options.turnoverPenalty,
      covarianceRepair: est.repair, qp: options.qp,
    });
    const index = new Map<string, number>();
    ctx.industries.forEach((d, i) => index.set(d, i));
    const w = new Float64Array(n), eligible = new Uint8Array(n), finalCaps = new Float64Array(caps);
    win.industries.forEach((d, k) => { const i = index.get(d)!; w[i] = res.weights[k]; eligible[i] = 1; finalCaps[i] = res.caps[k]; });
    diag.binding.push(...res.binding);
    diag.relaxed.push(...res.relaxed);
    diag.details.estimator = est.estimator;
    diag.details.shrinkage = est.shrinkage;
    diag.details.covarianceRepair = { repaired: est.repair.repaired, minEigenvalue: est.repair.minEigenvalue, floor: est.repair.floor, clipped: est.repair.clipped };
    diag.details.observations = win.window.rows;
    diag.details.expectedReturn = res.expectedReturn;
    diag.details.variance = res.variance;
    diag.details.utility = res.utility;
    diag.details.qpSolver = res.qpSolver;
    if (isQpFallback(res.qpSolver)) diag.notes.push(`QP solved by the active-set fallback: ${res.qpSolver}`);
    if (est.repair.repaired) diag.notes.push(`covariance not PSD (min eigenvalue ${est.repair.minEigenvalue.toExponential(3)}): ${est.repair.clipped} eigenvalue(s) clipped at ${est.repair.floor.toExponential(3)}`);
    return finishAllocation(ctx, w, diag, { caps: finalCaps, eligible, skipCaps: true });
  };
}

function capsRecord(sub: readonly string[], all: readonly string[], caps: Float64Array): Record<string, number> {
  const index = new Map<string, number>();
  all.forEach((d, i) => index.set(d, i));
  const out: Record<string, number> = {};
  for (const d of sub) out[d] = caps[index.get(d)!];
  return out;
}

export interface SensitivityOptions extends EstimationOptions {
  /** Number of bootstrap resamples (default 200). */
  nBootstrap?: number;
  /** Seed of the resampling (createRng). */
  seed: number;
  /** Block length of a circular moving-block bootstrap (default 1 = iid rows). */
  blockLength?: number;
  /** gamma (default 10). */
  riskAversion?: number;
  caps?: BoundSpec;
  /** A weight above this counts as held (default 1e-4). */
  heldThreshold?: number;
  /** QP solver (default 'active-set'; module comment). */
  qp?: QpMethod;
}

export interface SensitivityReport {
  readonly industries: readonly string[];
  /** Weights from the original window. */
  readonly base: Float64Array;
  readonly runs: number;
  /** mean over runs of (1/n) sum_i |w_b,i - w_0,i|. */
  readonly meanAbsWeightChange: number;
  /** mean over runs of sum_i |w_b,i - w_0,i| (two-sided turnover vs the base solution). */
  readonly meanTurnoverVsBase: number;
  /** 5%, 50%, 95% quantiles (type 7) of the turnover vs base over runs. */
  readonly turnoverQuantiles: { p05: number; p50: number; p95: number };
  /** Share of runs in which each industry is held (w > heldThreshold). */
  readonly heldShare: Float64Array;
  /** Mean and standard deviation (ddof 1) of each industry's weight over runs. */
  readonly weightMean: Float64Array;
  readonly weightStd: Float64Array;
  /** Mean number of holdings over runs, and in the base solution. */
  readonly meanHoldings: number;
  readonly baseHoldings: number;
  /** Runs whose covariance needed a PSD repair. */
  readonly repairedRuns: number;
  /** Solves (base included) where HiGHS did not prove optimality and the active-set fallback solved the QP (only with qp 'highs'). */
  readonly fallbackRuns: number;
}

/**
 * Sensitivity of mean-variance weights to estimation error: B resamples of the T rows of
 * `window` (iid, or circular blocks of `blockLength`, seeded), each re-estimated
 * (`estimateMeanCovariance`) and re-optimized (`meanVarianceWeights`); reports
 *   mean |w_b - w_0| (per industry, averaged), turnover_b = sum_i |w_b,i - w_0,i|, the share of
 *   runs holding each industry, and weight mean/std.
 */
export function meanVarianceSensitivity(solver: Solver, window: DenseMatrix, industries: readonly string[], options: SensitivityOptions): SensitivityReport {
  const B = options.nBootstrap ?? 200, L = options.blockLength ?? 1, gamma = options.riskAversion ?? 10;
  const thr = options.heldThreshold ?? 1e-4;
  if (!Number.isInteger(B) || B < 1 || !Number.isInteger(L) || L < 1) {
    throw new RotationError('MV_BAD_OPTION', `nBootstrap ${B} and blockLength ${L} must be integers >= 1`, {}, 'pass e.g. nBootstrap 200, blockLength 1');
  }
  if (window.cols !== industries.length) {
    throw new RotationError('MV_BAD_INPUT', `window has ${window.cols} columns for ${industries.length} industries`, {}, 'align the window with the industries');
  }
  const T = window.rows, n = window.cols;
  let fallbackRuns = 0;
  const solve = (x: DenseMatrix): { w: Float64Array; repaired: boolean } => {
    const est = estimateMeanCovariance(x, options);
    const r = meanVarianceWeights(solver, { industries, mean: est.mean, covariance: est.covariance, riskAversion: gamma, caps: options.caps, covarianceRepair: est.repair, qp: options.qp });
    if (isQpFallback(r.qpSolver)) fallbackRuns++;
    return { w: r.weights, repaired: est.repair.repaired };
  };
  const base = solve(window).w;
  const rng = createRng(options.seed);
  const sumW = new Float64Array(n), sumW2 = new Float64Array(n), held = new Float64Array(n);
  const turnovers: number[] = [];
  let sumAbs = 0, sumHold = 0, repairedRuns = 0;
  const buf = new Float64Array(T * n);
  for (let b = 0; b < B; b++) {
    let r = 0;
    while (r < T) {
      const start = rng.int(T);
      for (let k = 0; k < L && r < T; k++, r++) {
        const src = ((start + k) % T) * n;
        for (let j = 0; j < n; j++) buf[r * n + j] = window.values[src + j];
      }
    }
    const { w, repaired } = solve({ rows: T, cols: n, values: buf });
    if (repaired) repairedRuns++;
    let to = 0, h = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.abs(w[i] - base[i]);
      to += d;
      sumW[i] += w[i]; sumW2[i] += w[i] * w[i];
      if (w[i] > thr) { held[i]++; h++; }
    }
    turnovers.push(to);
    sumAbs += to / n;
    sumHold += h;
  }
  const weightMean = new Float64Array(n), weightStd = new Float64Array(n), heldShare = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    weightMean[i] = sumW[i] / B;
    weightStd[i] = B > 1 ? Math.sqrt(Math.max(0, (sumW2[i] - B * weightMean[i] ** 2) / (B - 1))) : 0;
    heldShare[i] = held[i] / B;
  }
  const sorted = [...turnovers].sort((a, b) => a - b);
  const q = (p: number): number => {
    const h = (sorted.length - 1) * p, lo = Math.floor(h), hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  };
  let baseHoldings = 0;
  for (let i = 0; i < n; i++) if (base[i] > thr) baseHoldings++;
  return {
    industries, base, runs: B, meanAbsWeightChange: sumAbs / B, meanTurnoverVsBase: turnovers.reduce((a, b) => a + b, 0) / B,
    turnoverQuantiles: { p05: q(0.05), p50: q(0.5), p95: q(0.95) }, heldShare, weightMean, weightStd,
    meanHoldings: sumHold / B, baseHoldings, repairedRuns, fallbackRuns,
  };
}
