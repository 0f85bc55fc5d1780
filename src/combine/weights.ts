/**
 * Factor weights for a composite, per rebalance date, from the factors' IC series, using ONLY the
 * ICs known before each date.
 *
 * Look-ahead rule. The IC of horizon h measured at date index s uses returns over (d_s, d_{s+h}]
 * and is known only at d_{s+h}. The weights used at date index t are computed from
 *
 *   W(t) = { s : lo(t) <= s <= t − h },   lo(t) = 0 (expanding window) or t − h − window + 1 (rolling)
 *
 * A factor is eligible at t when it has at least `minObservations` ICs in W(t); ineligible factors
 * get weight 0; a date with no eligible factor has no weights (a NaN row, counted as 'warmup').
 * Every weight vector is scaled to Σ_f |w_f| = 1 (signs kept, so a factor with a negative mean IC
 * gets a negative weight unless directions were aligned first).
 *
 *   equal:     w_f = 1/K
 *   IC mean:   w_f ∝ mean_{s∈W} IC_f(s)
 *   ICIR:      w_f ∝ mean_{s∈W} IC_f(s) / std_{s∈W} IC_f(s)          (std ddof 1)
 *   max ICIR:  w ∝ Σ̂⁻¹ μ,  μ = mean IC and Σ̂ the shrunk IC covariance over the dates of W(t)
 *              where every eligible factor has an IC: this maximizes the composite's
 *              ICIR = wᵀμ / √(wᵀΣ̂w) (the IC of a combination is approximately Σ w_f IC_f).
 *              Non-negative variant: argmin_{w >= 0} ½ wᵀΣ̂w − μᵀw (the long-only maximizer of
 *              the same ratio, up to scale), solved exactly by an active-set (Lawson–Hanson) method;
 *              when no mean IC is positive the non-negative problem has only w = 0 and the date
 *              falls back to equal weights (counted as 'no-positive-ic').
 *
 * Shrinkage (Ledoit–Wolf style, toward the diagonal; Schäfer & Strimmer 2005, target "D"):
 * with the T complete rows x_t, w_tij = (x_ti − x̄_i)(x_tj − x̄_j), sample covariance
 * s_ij = (1/(T − 1)) Σ_t w_tij and its estimated variance Var̂(s_ij) = T/(T − 1)³ Σ_t (w_tij − w̄_ij)²,
 *
 *   δ* = clamp( Σ_{i≠j} Var̂(s_ij) / Σ_{i≠j} s_ij² , 0, 1 ),   Σ̂_ii = s_ii,  Σ̂_ij = (1 − δ*) s_ij.
 *
 * A singular or indefinite Σ̂ (e.g. two identical IC series, or more factors than dates) is
 * repaired by raising δ (δ ← max(δ, 10⁻⁶)·10 until the Cholesky factorization succeeds; at δ = 1,
 * Σ̂ is diagonal and positive definite), so weights are never NaN. A factor whose ICs are constant
 * over the window (zero variance, infinite ICIR) throws COMBINE_ZERO_IC_VARIANCE.
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';
import { choleskyFactor, choleskySolve } from '../stats/linalg.js';

/** IC series by factor name (Map or record); all must share the same dates. */
export type IcSeriesSet = ReadonlyMap<string, IcByDate> | Readonly<Record<string, IcByDate>>;

export type WeightMethod = 'equal' | 'ic-mean' | 'icir' | 'max-icir';

/** Why a date got no (or fallback) weights. */
export type WeightSkipReason = 'warmup' | 'no-positive-ic' | 'zero-signal';

/** Weights per rebalance date. */
export interface WeightSchedule {
  method: WeightMethod;
  dates: string[];
  factors: string[];
  /** weights[t * K + k]; Σ_k |w| = 1 per row; a NaN row = no weights at that date. */
  weights: Float64Array;
  /** Dates of the window used at each date (complete rows for max ICIR; ICs of the best-covered factor otherwise). */
  observations: Int32Array;
  /** Shrinkage intensity δ used at each date (max ICIR), NaN otherwise. */
  shrinkage: Float64Array;
  /** Dates without weights ('warmup') or with the equal-weight fallback ('no-positive-ic', 'zero-signal'). */
  skipped: Record<WeightSkipReason, number>;
  /** Horizon of the ICs (periods) and the window, for the record. */
  horizon: number;
  window: number | 'expanding';
}

export interface IcWeightOptions {
  /** Horizon of the IC series in rebalance periods: an IC dated s is known at s + horizon. Required. */
  horizon: number;
  /** Rolling window length (number of IC dates) or 'expanding'. Default 'expanding'. */
  window?: number | 'expanding';
  /** ICs a factor needs in the window to get a weight. Default 12. */
  minObservations?: number;
}

export interface MaxIcirOptions extends IcWeightOptions {
  /** 'ledoit-wolf' (default: δ* above) or a fixed intensity δ in [0, 1]. */
  shrinkage?: 'ledoit-wolf' | number;
  /** Non-negative weights (active-set solution). Default false. */
  nonNegative?: boolean;
}

function entriesOf(ics: IcSeriesSet): [string, IcByDate][] {
  return ics instanceof Map ? [...(ics as ReadonlyMap<string, IcByDate>).entries()] : Object.entries(ics as Record<string, IcByDate>);
}

interface IcMatrix { names: string[]; dates: string[]; x: Float64Array; K: number; T: number }

function icMatrix(ics: IcSeriesSet): IcMatrix {
  const e = entriesOf(ics);
  if (e.length === 0) {
    throw new RotationError('COMBINE_NO_FACTORS', 'No IC series given', { argument: 'ics' }, 'pass { factorName: icByDate(...), ... }');
  }
  const dates = e[0][1].dates;
  for (const [name, s] of e) {
    const same = s.dates.length === dates.length && s.dates.every((d, t) => d === dates[t]);
    if (!same || s.ic.length !== dates.length) {
      throw new RotationError('COMBINE_MISALIGNED', `IC series "${name}" does not have the dates of "${e[0][0]}"`,
        { factor: name, dates: s.dates.length, expected: dates.length },
        'compute every IC series against the same ForwardReturns and factor dates (e.g. one evaluateCrossSections per factor on the same calendar)');
    }
  }
  const K = e.length, T = dates.length;
  const x = new Float64Array(T * K);
  for (let k = 0; k < K; k++) for (let t = 0; t < T; t++) x[t * K + k] = e[k][1].ic[t];
  return { names: e.map(([n]) => n), dates: dates.slice(), x, K, T };
}

function checkOptions(o: IcWeightOptions): { h: number; window: number | 'expanding'; minObs: number } {
  const h = o.horizon;
  if (!Number.isInteger(h) || h < 1) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `horizon must be a positive integer number of periods, got ${String(h)}`, { argument: 'horizon' },
      'pass the horizon of the IC series, e.g. 1 for 1M ICs on month ends (an IC dated s is known at s + horizon)');
  }
  const window = o.window ?? 'expanding';
  if (window !== 'expanding' && (!Number.isInteger(window) || window < 2)) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `window must be 'expanding' or an integer >= 2, got ${String(window)}`, { argument: 'window' },
      'pass e.g. 36 (three years of monthly ICs) or "expanding"');
  }
  const minObs = o.minObservations ?? 12;
  if (!Number.isInteger(minObs) || minObs < 2) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `minObservations must be an integer >= 2, got ${minObs}`, { argument: 'minObservations' },
      'pass e.g. 12');
  }
  if (window !== 'expanding' && minObs > window) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `minObservations (${minObs}) exceeds the window (${window}), so no date could get weights`,
      { argument: 'minObservations', window }, 'lower minObservations or lengthen the window');
  }
  return { h, window, minObs };
}

/** Window W(t) = [lo, hi] of IC dates usable at t: hi = t − horizon, lo = 0 (expanding) or hi − window + 1 (hi < lo = empty). */
export function knownIcWindow(t: number, h: number, window: number | 'expanding'): [number, number] {
  const hi = t - h;
  const lo = window === 'expanding' ? 0 : Math.max(0, hi - window + 1);
  return [lo, hi];
}

function newSchedule(method: WeightMethod, m: { names: string[]; dates: string[] }, h: number, window: number | 'expanding'): WeightSchedule {
  const K = m.names.length, T = m.dates.length;
  return {
    method, dates: m.dates.slice(), factors: m.names.slice(),
    weights: new Float64Array(T * K).fill(NaN), observations: new Int32Array(T), shrinkage: new Float64Array(T).fill(NaN),
    skipped: { warmup: 0, 'no-positive-ic': 0, 'zero-signal': 0 }, horizon: h, window,
  };
}

/** Write v scaled to Σ|v| = 1 into row t; when Σ|v| = 0, equal weights over `eligible` ('zero-signal'). */
function writeRow(s: WeightSchedule, t: number, v: ArrayLike<number>, eligible: ArrayLike<boolean>): void {
  const K = s.factors.length;
  let a = 0;
  for (let k = 0; k < K; k++) a += Math.abs(v[k]);
  if (!(a > 0)) {
    s.skipped['zero-signal']++;
    let c = 0;
    for (let k = 0; k < K; k++) if (eligible[k]) c++;
    for (let k = 0; k < K; k++) s.weights[t * K + k] = eligible[k] ? 1 / c : 0;
    return;
  }
  for (let k = 0; k < K; k++) s.weights[t * K + k] = v[k] / a;
}

/** Equal weights w_f = 1/K for every factor and date. */
export function equalWeights(factors: readonly string[], dates: readonly string[]): WeightSchedule {
  if (factors.length === 0) {
    throw new RotationError('COMBINE_NO_FACTORS', 'No factor given', { argument: 'factors' }, 'pass at least one factor name');
  }
  const s = newSchedule('equal', { names: [...factors], dates: [...dates] }, 1, 'expanding');
  s.weights.fill(1 / factors.length);
  return s;
}

/** Per factor mean and std (ddof 1) of the valid ICs of column k in rows [lo, hi]. */
function columnStats(m: IcMatrix, k: number, lo: number, hi: number): { n: number; mean: number; std: number } {
  let n = 0, s = 0;
  for (let t = lo; t <= hi; t++) { const v = m.x[t * m.K + k]; if (v === v) { s += v; n++; } }
  const mean = n > 0 ? s / n : NaN;
  let ss = 0;
  for (let t = lo; t <= hi; t++) { const v = m.x[t * m.K + k]; if (v === v) ss += (v - mean) * (v - mean); }
  return { n, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

function zeroVariance(name: string, date: string, lo: string, hi: string): RotationError {
  return new RotationError('COMBINE_ZERO_IC_VARIANCE', `The ICs of "${name}" are constant over the window, so its ICIR is infinite`,
    { factor: name, date, windowStart: lo, windowEnd: hi },
    'check the IC series (a constant IC usually means a broken input), lengthen the window, or use IC-mean weights');
}

function icStatWeights(method: 'ic-mean' | 'icir', ics: IcSeriesSet, options: IcWeightOptions): WeightSchedule {
  const { h, window, minObs } = checkOptions(options);
  const m = icMatrix(ics);
  const s = newSchedule(method, m, h, window);
  const v = new Float64Array(m.K), eligible = new Array<boolean>(m.K);
  for (let t = 0; t < m.T; t++) {
    const [lo, hi] = knownIcWindow(t, h, window);
    let any = false, best = 0;
    for (let k = 0; k < m.K; k++) {
      const st = hi >= lo ? columnStats(m, k, lo, hi) : { n: 0, mean: NaN, std: NaN };
      eligible[k] = st.n >= minObs;
      if (st.n > best) best = st.n;
      v[k] = 0;
      if (!eligible[k]) continue;
      any = true;
      if (method === 'ic-mean') v[k] = st.mean;
      else {
        if (!(st.std > 0)) throw zeroVariance(m.names[k], m.dates[t], m.dates[lo], m.dates[hi]);
        v[k] = st.mean / st.std;
      }
    }
    s.observations[t] = best;
    if (!any) { s.skipped.warmup++; continue; }
    writeRow(s, t, v, eligible);
  }
  return s;
}

/**
 * IC-mean weights per date: w_f(t) ∝ mean of IC_f over W(t) (ICs known by t; see the module
 * comment), Σ|w| = 1, factors with < minObservations ICs in W(t) get 0. Errors:
 * COMBINE_BAD_ARGUMENT, COMBINE_MISALIGNED (IC series on different dates), COMBINE_NO_FACTORS.
 */
export function icMeanWeights(ics: IcSeriesSet, options: IcWeightOptions): WeightSchedule {
  return icStatWeights('ic-mean', ics, options);
}

/**
 * ICIR weights per date: w_f(t) ∝ mean/std (ddof 1) of IC_f over W(t), Σ|w| = 1. Uses only ICs
 * dated <= t − horizon. COMBINE_ZERO_IC_VARIANCE when a factor's ICs are constant over W(t).
 */
export function icirWeights(ics: IcSeriesSet, options: IcWeightOptions): WeightSchedule {
  return icStatWeights('icir', ics, options);
}

/** Cholesky factor of a small dense K x K matrix (stats/linalg.ts), pivots relative to 1e-14 of the diagonal. */
function cholesky(A: readonly (readonly number[])[]): Float64Array | null {
  return choleskyFactor(A.flat(), A.length, { relTol: 1e-14 });
}

/** Solve L Lᵀ x = b (stats/linalg.ts) as a plain array. */
function cholSolve(L: Float64Array, b: readonly number[]): number[] {
  return Array.from(choleskySolve(L, b.length, b));
}

/** A shrunk IC covariance with the intensity used. */
export interface ShrunkCovariance {
  /** Column means μ of the rows. */
  mean: number[];
  /** Sample covariance S (ddof 1). */
  sample: number[][];
  /** Σ̂: diagonal of S, off-diagonals (1 − δ)·s_ij; positive definite. */
  cov: number[][];
  /** The intensity used (after any repair). */
  delta: number;
  /** The Ledoit–Wolf-style optimal δ* before repair (or the fixed δ given). */
  deltaTarget: number;
  /** Rows used. */
  n: number;
}

/**
 * Shrink the sample covariance of the complete rows x[t][k] (t = 1..T >= 2) toward its diagonal:
 * Σ̂_ii = s_ii, Σ̂_ij = (1 − δ) s_ij, with δ = δ* (formula in the module comment) or `delta` when
 * given; δ is then raised until Σ̂ is positive definite. COMBINE_ZERO_IC_VARIANCE (naming the
 * column) when a column is constant; COMBINE_BAD_ARGUMENT for T < 2 or δ outside [0, 1].
 */
export function shrinkIcCovariance(x: readonly (readonly number[])[], options: { delta?: number; names?: readonly string[] } = {}): ShrunkCovariance {
  const T = x.length;
  if (T < 2) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `A covariance needs at least 2 rows, got ${T}`, { argument: 'x' }, 'pass more IC dates');
  }
  const K = x[0].length;
  const mean = new Array<number>(K).fill(0);
  for (const row of x) for (let k = 0; k < K; k++) mean[k] += row[k] / T;
  const sample = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (const row of x) for (let i = 0; i < K; i++) for (let j = 0; j <= i; j++) sample[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]);
  for (let i = 0; i < K; i++) for (let j = 0; j <= i; j++) { sample[i][j] /= T - 1; sample[j][i] = sample[i][j]; }
  for (let k = 0; k < K; k++) {
    if (!(sample[k][k] > 0)) {
      const name = options.names?.[k] ?? `column ${k}`;
      throw new RotationError('COMBINE_ZERO_IC_VARIANCE', `The ICs of "${name}" are constant over the window, so the IC covariance is singular on its diagonal`,
        { factor: name, rows: T }, 'check the IC series (a constant IC usually means a broken input), lengthen the window, or use IC-mean weights');
    }
  }
  let delta: number;
  if (options.delta !== undefined) {
    if (!(options.delta >= 0 && options.delta <= 1)) {
      throw new RotationError('COMBINE_BAD_ARGUMENT', `Shrinkage intensity must be in [0, 1], got ${options.delta}`, { argument: 'shrinkage' },
        "pass a number in [0, 1] or 'ledoit-wolf'");
    }
    delta = options.delta;
  } else {
    let num = 0, den = 0;
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        if (i === j) continue;
        const wbar = (sample[i][j] * (T - 1)) / T;
        let v = 0;
        for (const row of x) { const w = (row[i] - mean[i]) * (row[j] - mean[j]) - wbar; v += w * w; }
        num += (T / ((T - 1) ** 3)) * v;
        den += sample[i][j] * sample[i][j];
      }
    }
    delta = den > 0 ? Math.min(1, Math.max(0, num / den)) : 0;
  }
  const deltaTarget = delta;
  const shrunk = (d: number): number[][] => sample.map((row, i) => row.map((v, j) => (i === j ? v : (1 - d) * v)));
  let cov = shrunk(delta);
  while (cholesky(cov) === null && delta < 1) {
    delta = Math.min(1, Math.max(delta, 1e-6) * 10);
    cov = shrunk(delta);
  }
  return { mean, sample, cov, delta, deltaTarget, n: T };
}

/**
 * argmin_{w >= 0} ½ wᵀ S w − μᵀ w for a positive definite S (Lawson–Hanson active set): start at
 * w = 0; repeatedly free the coordinate with the largest positive gradient component μ − S w,
 * solve S_PP z_P = μ_P on the free set P, and step back toward the previous w until z_P > 0.
 * Exact (terminates with the KKT point); w = 0 when μ <= 0.
 */
export function nonNegativeQuadratic(S: readonly (readonly number[])[], mu: readonly number[]): number[] {
  const K = mu.length;
  const w = new Array<number>(K).fill(0);
  const free = new Array<boolean>(K).fill(false);
  const scale = Math.max(1e-300, ...mu.map(Math.abs));
  const tol = 1e-12 * scale;
  for (let outer = 0; outer < 3 * K + 10; outer++) {
    let j = -1, gBest = tol;
    for (let k = 0; k < K; k++) {
      if (free[k]) continue;
      let g = mu[k];
      for (let i = 0; i < K; i++) g -= S[k][i] * w[i];
      if (g > gBest) { gBest = g; j = k; }
    }
    if (j < 0) break;
    free[j] = true;
    for (let inner = 0; inner < 3 * K + 10; inner++) {
      const P: number[] = [];
      for (let k = 0; k < K; k++) if (free[k]) P.push(k);
      const L = cholesky(P.map((a) => P.map((b) => S[a][b])));
      if (L === null) break; // S must be positive definite; shrinkage guarantees it
      const zP = cholSolve(L, P.map((a) => mu[a]));
      if (zP.every((v) => v > 0)) { P.forEach((a, q) => { w[a] = zP[q]; }); break; }
      let alpha = 1;
      P.forEach((a, q) => { if (zP[q] <= 0) alpha = Math.min(alpha, w[a] / (w[a] - zP[q])); });
      P.forEach((a, q) => { w[a] += alpha * (zP[q] - w[a]); });
      for (const a of P) if (w[a] <= 1e-15 * scale) { w[a] = 0; free[a] = false; }
    }
  }
  return w;
}

/**
 * Max-ICIR weights from IC moments: w ∝ Σ⁻¹ μ (or the non-negative solution of
 * min ½ wᵀΣw − μᵀw, w >= 0), scaled to Σ|w| = 1. `cov` must be positive definite (use
 * `shrinkIcCovariance`). Non-negative with no positive μ: equal weights and `fallback: true`.
 */
export function maxIcirFromMoments(mean: readonly number[], cov: readonly (readonly number[])[], options: { nonNegative?: boolean } = {}):
  { weights: number[]; fallback: boolean } {
  const K = mean.length;
  let w: number[];
  if (options.nonNegative) {
    w = nonNegativeQuadratic(cov, mean);
  } else {
    const L = cholesky(cov);
    if (L === null) {
      throw new RotationError('COMBINE_SINGULAR_COVARIANCE', 'The IC covariance is not positive definite', { factors: K },
        'shrink it first (shrinkIcCovariance) or use maxIcirWeights, which shrinks automatically');
    }
    w = cholSolve(L, mean);
  }
  let a = 0;
  for (const v of w) a += Math.abs(v);
  if (!(a > 0)) return { weights: new Array<number>(K).fill(1 / K), fallback: true };
  return { weights: w.map((v) => v / a), fallback: false };
}

/**
 * Max-ICIR weights per date (module comment): over the dates of W(t) where every eligible factor
 * has an IC (at least minObservations of them, else the date is 'warmup'), μ = mean IC,
 * Σ̂ = shrunk covariance (δ recorded in `shrinkage`), w ∝ Σ̂⁻¹μ or the non-negative solution,
 * Σ|w| = 1. Never NaN for a date with weights. Errors as `icirWeights`.
 */
export function maxIcirWeights(ics: IcSeriesSet, options: MaxIcirOptions): WeightSchedule {
  const { h, window, minObs } = checkOptions(options);
  const shrink = options.shrinkage ?? 'ledoit-wolf';
  if (shrink !== 'ledoit-wolf' && !(typeof shrink === 'number' && shrink >= 0 && shrink <= 1)) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `shrinkage must be 'ledoit-wolf' or a number in [0, 1], got ${String(shrink)}`, { argument: 'shrinkage' },
      "pass 'ledoit-wolf' or e.g. 0.5");
  }
  const m = icMatrix(ics);
  const s = newSchedule('max-icir', m, h, window);
  const eligible = new Array<boolean>(m.K);
  for (let t = 0; t < m.T; t++) {
    const [lo, hi] = knownIcWindow(t, h, window);
    const idx: number[] = [];
    for (let k = 0; k < m.K; k++) {
      eligible[k] = hi >= lo && columnStats(m, k, lo, hi).n >= minObs;
      if (eligible[k]) idx.push(k);
    }
    const rows: number[][] = [];
    for (let u = lo; u <= hi && idx.length > 0; u++) {
      const row = idx.map((k) => m.x[u * m.K + k]);
      if (row.every((v) => v === v)) rows.push(row);
    }
    s.observations[t] = rows.length;
    if (idx.length === 0 || rows.length < minObs) { s.skipped.warmup++; continue; }
    const sc = shrinkIcCovariance(rows, { delta: shrink === 'ledoit-wolf' ? undefined : shrink, names: idx.map((k) => m.names[k]) });
    s.shrinkage[t] = sc.delta;
    const res = maxIcirFromMoments(sc.mean, sc.cov, { nonNegative: options.nonNegative });
    if (res.fallback) s.skipped['no-positive-ic']++;
    const v = new Array<number>(m.K).fill(0);
    idx.forEach((k, q) => { v[k] = res.weights[q]; });
    writeRow(s, t, v, eligible);
  }
  return s;
}

/** The weights of date `date` by factor name (NaN when the date has no weights); COMBINE_UNKNOWN_DATE if absent. */
export function weightsAt(s: WeightSchedule, date: string): Record<string, number> {
  const t = s.dates.indexOf(date);
  if (t < 0) {
    throw new RotationError('COMBINE_UNKNOWN_DATE', `No weights for ${date}`, { date, first: s.dates[0], last: s.dates[s.dates.length - 1] },
      'use a date of the IC series the weights were built from');
  }
  const out: Record<string, number> = {};
  s.factors.forEach((f, k) => { out[f] = s.weights[t * s.factors.length + k]; });
  return out;
}

/** Weight w_f(t) of one factor at every date of a schedule (NaN where the date has no weights). Error: MONITOR_UNKNOWN_FACTOR. */
export function factorWeightPath(schedule: WeightSchedule, factor: string): Float64Array {
  const k = schedule.factors.indexOf(factor), K = schedule.factors.length;
  if (k < 0) {
    throw new RotationError('COMBINE_UNKNOWN_FACTOR', `Factor "${factor}" is not weighted by the schedule`, { factor, factors: schedule.factors }, 'pass a factor of the composite');
  }
  return Float64Array.from(schedule.dates, (_, t) => schedule.weights[t * K + k]);
}
