/**
 * NaN-aware per-date (cross-sectional) kernels on a `Panel`.
 *
 * Every kernel works date by date on the contiguous slice values[t*N .. (t+1)*N): it gathers the
 * valid (non-NaN) cells into scratch buffers allocated once per call, computes the statistic from
 * the valid cells only, and writes a new Panel (the input is never mutated). NaN in -> NaN out.
 *
 * Degenerate dates (no valid cell, too few cells, a constant cross-section, collinear regressors)
 * are not errors: they give NaN for that date (or, where noted, a well-defined fallback) and, when
 * the caller passes `{ log }`, are recorded in a `CrossSectionLog` by reason so a report can count
 * them instead of silently carrying NaN.
 */
import { RotationError } from '../errors.js';
import { assertSameShape, withValues, type Panel } from './panel.js';

/**
 * Why a date's cross-section was degenerate:
 * - 'empty': no valid cell on the date (output all NaN);
 * - 'too-few': fewer valid cells than the statistic needs (zscore: n < 2; regressOut: fewer
 *   jointly valid rows than parameters) (output all NaN);
 * - 'constant': zero dispersion (zscore: all valid values equal -> all NaN; winsorizeMad: MAD = 0
 *   -> values left unclipped);
 * - 'collinear': regressOut dropped a regressor that is (numerically) a combination of the others
 *   on that date, e.g. an all-zero industry dummy. The residual is still computed (the projection
 *   onto the regressors' span is unique); the date is logged for information.
 */
export type DegenerateReason = 'empty' | 'too-few' | 'constant' | 'collinear';

/** Collects degenerate dates by reason: degenerate.get(reason) = dates, in the order met. */
export interface CrossSectionLog {
  readonly degenerate: Map<DegenerateReason, string[]>;
}

/** Options shared by the cross-sectional kernels. */
export interface KernelOptions {
  /** Where to record degenerate dates (see `newCrossSectionLog`). Nothing is recorded without it. */
  log?: CrossSectionLog;
}

/** Options of `winsorizeMad`. */
export interface MadOptions extends KernelOptions {
  /**
   * Multiply the MAD by the normal-consistency constant 1.4826 (= 1/Φ⁻¹(0.75)), so that
   * 1.4826·MAD estimates the standard deviation of normal data. Default true; false uses the raw MAD.
   */
  scale?: boolean;
}

/** Options of `regressOut`. */
export interface RegressOptions extends KernelOptions {
  /** Include an intercept (a column of ones) among the regressors. Default true. */
  intercept?: boolean;
}

/** An empty log: pass it as `{ log }` to one or more kernels, then read `degenerate` or `degenerateCounts`. */
export function newCrossSectionLog(): CrossSectionLog {
  return { degenerate: new Map() };
}

/** Count of logged dates by reason: counts[reason] = degenerate.get(reason).length (0 when absent). */
export function degenerateCounts(log: CrossSectionLog): Record<DegenerateReason, number> {
  const counts: Record<DegenerateReason, number> = { empty: 0, 'too-few': 0, constant: 0, collinear: 0 };
  for (const [reason, dates] of log.degenerate) counts[reason] = dates.length;
  return counts;
}

function note(log: CrossSectionLog | undefined, reason: DegenerateReason, date: string): void {
  if (!log) return;
  const list = log.degenerate.get(reason);
  if (list) list.push(date);
  else log.degenerate.set(reason, [date]);
}

function badArgument(what: string, argument: string, value: unknown, fix: string): RotationError {
  return new RotationError('PANEL_BAD_ARGUMENT', what, { argument, value: String(value) }, fix);
}

// ---------------------------------------------------------------------------------------------
// Sorting and midranks (shared with evaluate/ic.ts)

/** Scratch buffers for `midranksInto`, sized for cross-sections of up to `capacity` cells. */
export interface RankScratch {
  readonly keys: Float64Array;
  readonly idx: Int32Array;
}

/** Allocate rank scratch for up to `capacity` cells (allocate once per call, reuse across dates). */
export function newRankScratch(capacity: number): RankScratch {
  return { keys: new Float64Array(Math.max(1, capacity)), idx: new Int32Array(Math.max(1, capacity)) };
}

/**
 * Sort keys[lo..hi] (inclusive) ascending, applying the same permutation to idx[lo..hi].
 * Quicksort (median-of-three pivot, Hoare partition, which handles many ties well, smaller side
 * first so the stack depth is O(log n)) with insertion sort below 16 elements. Keys must not be NaN.
 */
function coSort(k: Float64Array, ix: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    let tk: number, ti: number;
    if (k[mid] < k[lo]) { tk = k[mid]; k[mid] = k[lo]; k[lo] = tk; ti = ix[mid]; ix[mid] = ix[lo]; ix[lo] = ti; }
    if (k[hi] < k[lo]) { tk = k[hi]; k[hi] = k[lo]; k[lo] = tk; ti = ix[hi]; ix[hi] = ix[lo]; ix[lo] = ti; }
    if (k[hi] < k[mid]) { tk = k[hi]; k[hi] = k[mid]; k[mid] = tk; ti = ix[hi]; ix[hi] = ix[mid]; ix[mid] = ti; }
    const pivot = k[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (k[i] < pivot) i++;
      while (k[j] > pivot) j--;
      if (i <= j) {
        tk = k[i]; k[i] = k[j]; k[j] = tk;
        ti = ix[i]; ix[i] = ix[j]; ix[j] = ti;
        i++; j--;
      }
    }
    if (j - lo < hi - i) {
      coSort(k, ix, lo, j);
      lo = i;
    } else {
      coSort(k, ix, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const key = k[i], id = ix[i];
    let j = i - 1;
    while (j >= lo && k[j] > key) {
      k[j + 1] = k[j];
      ix[j + 1] = ix[j];
      j--;
    }
    k[j + 1] = key;
    ix[j + 1] = id;
  }
}

/** Sort a[lo..hi] (inclusive) ascending in place; same algorithm as `coSort` without an index. */
function sortRange(a: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    let tk: number;
    if (a[mid] < a[lo]) { tk = a[mid]; a[mid] = a[lo]; a[lo] = tk; }
    if (a[hi] < a[lo]) { tk = a[hi]; a[hi] = a[lo]; a[lo] = tk; }
    if (a[hi] < a[mid]) { tk = a[hi]; a[hi] = a[mid]; a[mid] = tk; }
    const pivot = a[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { tk = a[i]; a[i] = a[j]; a[j] = tk; i++; j--; }
    }
    if (j - lo < hi - i) {
      sortRange(a, lo, j);
      lo = i;
    } else {
      sortRange(a, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const key = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > key) { a[j + 1] = a[j]; j--; }
    a[j + 1] = key;
  }
}

/**
 * Midranks of x[0..n) into out[0..n) (x must hold no NaN):
 *
 *   out[i] = 1 + #{j : x_j < x_i} + (#{j : x_j = x_i} − 1) / 2
 *
 * so ranks run 1..n and tied values share the average of the ranks they span (Spearman's
 * convention, `scipy.stats.rankdata(method='average')`). Sorts a copy of x in `scratch`
 * (capacity >= n); allocation-free. Returns nothing; `out` may not alias `x`.
 */
export function midranksInto(x: Float64Array, n: number, out: Float64Array, scratch: RankScratch): void {
  const keys = scratch.keys, idx = scratch.idx;
  for (let i = 0; i < n; i++) {
    keys[i] = x[i];
    idx[i] = i;
  }
  if (n > 1) coSort(keys, idx, 0, n - 1);
  let j = 0;
  while (j < n) {
    let e = j;
    const v = keys[j];
    while (e + 1 < n && keys[e + 1] === v) e++;
    const r = (j + e) / 2 + 1;
    for (let q = j; q <= e; q++) out[idx[q]] = r;
    j = e + 1;
  }
}

/**
 * Empirical quantile of sorted s[0..n) (n >= 1), linear interpolation (Hyndman-Fan type 7, numpy's
 * default): h = (n − 1)·q, Q(q) = s[⌊h⌋] + (h − ⌊h⌋)·(s[⌊h⌋ + 1] − s[⌊h⌋]).
 */
function quantileSorted(s: Float64Array, n: number, q: number): number {
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = lo + 1 < n ? lo + 1 : n - 1;
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** Copy the valid cells of row `base..base+N` into vals/pos (positions); returns the count n. */
function gather(src: Float64Array, base: number, N: number, vals: Float64Array, pos: Int32Array): number {
  let n = 0;
  for (let i = 0; i < N; i++) {
    const v = src[base + i];
    if (v === v) {
      vals[n] = v;
      pos[n] = i;
      n++;
    }
  }
  return n;
}

function nanPanel(p: Panel): Float64Array {
  return new Float64Array(p.values.length).fill(NaN);
}

// ---------------------------------------------------------------------------------------------
// Kernels

/**
 * Cross-sectional midrank per date: among the n valid cells of date t,
 * rank[t, i] = 1 + #{j : x_j < x_i} + (#{j : x_j = x_i} − 1)/2  (1..n, ties averaged).
 * NaN cells stay NaN; an all-NaN date is logged 'empty'.
 */
export function rank(p: Panel, options: KernelOptions = {}): Panel {
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = nanPanel(p);
  const vals = new Float64Array(N), pos = new Int32Array(N), r = new Float64Array(N);
  const scratch = newRankScratch(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gather(src, base, N, vals, pos);
    if (n === 0) { note(options.log, 'empty', p.dates[t]); continue; }
    midranksInto(vals, n, r, scratch);
    for (let m = 0; m < n; m++) out[base + pos[m]] = r[m];
  }
  return withValues(p, out);
}

/**
 * Cross-sectional percentile rank per date: pr = (midrank − 1)/(n − 1) in [0, 1] over the n valid
 * cells (lowest 0, highest 1, ties share their average); a date with a single valid cell gives 0.5.
 * NaN stays NaN; an all-NaN date is logged 'empty'.
 */
export function percentileRank(p: Panel, options: KernelOptions = {}): Panel {
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = nanPanel(p);
  const vals = new Float64Array(N), pos = new Int32Array(N), r = new Float64Array(N);
  const scratch = newRankScratch(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gather(src, base, N, vals, pos);
    if (n === 0) { note(options.log, 'empty', p.dates[t]); continue; }
    if (n === 1) { out[base + pos[0]] = 0.5; continue; }
    midranksInto(vals, n, r, scratch);
    const d = n - 1;
    for (let m = 0; m < n; m++) out[base + pos[m]] = (r[m] - 1) / d;
  }
  return withValues(p, out);
}

/**
 * Cross-sectional z-score per date: z = (x − mean)/std over the n valid cells, with the sample
 * standard deviation std = sqrt(Σ(x − mean)²/(n − 1)) (ddof 1). A date with n < 2 ('too-few') or
 * with all valid values equal ('constant') gives all-NaN, never a division by zero.
 */
export function zscore(p: Panel, options: KernelOptions = {}): Panel {
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = nanPanel(p);
  const vals = new Float64Array(N), pos = new Int32Array(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gather(src, base, N, vals, pos);
    if (n === 0) { note(options.log, 'empty', p.dates[t]); continue; }
    if (n < 2) { note(options.log, 'too-few', p.dates[t]); continue; }
    let sum = 0, min = vals[0], max = vals[0];
    for (let m = 0; m < n; m++) {
      const v = vals[m];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min === max) { note(options.log, 'constant', p.dates[t]); continue; }
    const mean = sum / n;
    let ss = 0;
    for (let m = 0; m < n; m++) { const d = vals[m] - mean; ss += d * d; }
    const sd = Math.sqrt(ss / (n - 1));
    if (!(sd > 0)) { note(options.log, 'constant', p.dates[t]); continue; }
    for (let m = 0; m < n; m++) out[base + pos[m]] = (vals[m] - mean) / sd;
  }
  return withValues(p, out);
}

/**
 * Cross-sectional demeaning per date: x − mean, mean = Σx/n over the n valid cells.
 * NaN stays NaN; an all-NaN date is logged 'empty'.
 */
export function demean(p: Panel, options: KernelOptions = {}): Panel {
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = nanPanel(p);
  const vals = new Float64Array(N), pos = new Int32Array(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gather(src, base, N, vals, pos);
    if (n === 0) { note(options.log, 'empty', p.dates[t]); continue; }
    let sum = 0;
    for (let m = 0; m < n; m++) sum += vals[m];
    const mean = sum / n;
    for (let m = 0; m < n; m++) out[base + pos[m]] = vals[m] - mean;
  }
  return withValues(p, out);
}

/**
 * Quantile winsorization per date: x ↦ min(max(x, Q(lower)), Q(upper)), where Q is the empirical
 * quantile of the date's valid cells with linear interpolation (type 7, numpy's default):
 * h = (n − 1)·q, Q(q) = s[⌊h⌋] + (h − ⌊h⌋)·(s[⌊h⌋+1] − s[⌊h⌋]) on the sorted values s.
 * Requires 0 <= lower < upper <= 1 (else PANEL_BAD_ARGUMENT). NaN stays NaN.
 */
export function winsorizeQuantile(p: Panel, lower = 0.01, upper = 0.99, options: KernelOptions = {}): Panel {
  if (!(lower >= 0 && upper <= 1 && lower < upper)) {
    throw badArgument(`Winsorize quantiles must satisfy 0 <= lower < upper <= 1, got lower=${lower}, upper=${upper}`,
      'lower, upper', `${lower}, ${upper}`, 'pass quantiles such as lower = 0.01, upper = 0.99');
  }
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = nanPanel(p);
  const vals = new Float64Array(N), pos = new Int32Array(N), sorted = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gather(src, base, N, vals, pos);
    if (n === 0) { note(options.log, 'empty', p.dates[t]); continue; }
    for (let m = 0; m < n; m++) sorted[m] = vals[m];
    sortRange(sorted, 0, n - 1);
    const lo = quantileSorted(sorted, n, lower), hi = quantileSorted(sorted, n, upper);
    for (let m = 0; m < n; m++) {
      const v = vals[m];
      out[base + pos[m]] = v < lo ? lo : v > hi ? hi : v;
    }
  }
  return withValues(p, out);
}

/** The normal-consistency constant 1.4826 ≈ 1/Φ⁻¹(0.75): 1.4826·MAD estimates σ for normal data. */
export const MAD_NORMAL_SCALE = 1.4826;

/**
 * Median-absolute-deviation winsorization per date ("winsorize_med"): with med = median(x) and
 * MAD = median(|x − med|) over the valid cells, x ↦ clip(x, med − k·c·MAD, med + k·c·MAD), where
 * c = 1.4826 (the normal-consistency constant, 1/Φ⁻¹(0.75)) or c = 1 with `scale: false`.
 * A date with MAD = 0 (more than half the values equal) is left unclipped and logged 'constant'.
 * Requires k > 0 (else PANEL_BAD_ARGUMENT). NaN stays NaN.
 */
export function winsorizeMad(p: Panel, k = 3, options: MadOptions = {}): Panel {
  if (!(k > 0) || !Number.isFinite(k)) {
    throw badArgument(`MAD multiple k must be a positive finite number, got ${k}`, 'k', k, 'pass k such as 3 or 5');
  }
  const c = options.scale === false ? 1 : MAD_NORMAL_SCALE;
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = nanPanel(p);
  const vals = new Float64Array(N), pos = new Int32Array(N), sorted = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gather(src, base, N, vals, pos);
    if (n === 0) { note(options.log, 'empty', p.dates[t]); continue; }
    for (let m = 0; m < n; m++) sorted[m] = vals[m];
    sortRange(sorted, 0, n - 1);
    const med = quantileSorted(sorted, n, 0.5);
    for (let m = 0; m < n; m++) sorted[m] = Math.abs(vals[m] - med);
    sortRange(sorted, 0, n - 1);
    const mad = quantileSorted(sorted, n, 0.5);
    if (mad === 0) {
      note(options.log, 'constant', p.dates[t]);
      for (let m = 0; m < n; m++) out[base + pos[m]] = vals[m];
      continue;
    }
    const lo = med - k * c * mad, hi = med + k * c * mad;
    for (let m = 0; m < n; m++) {
      const v = vals[m];
      out[base + pos[m]] = v < lo ? lo : v > hi ? hi : v;
    }
  }
  return withValues(p, out);
}

/** A regressor column whose norm falls below this fraction of its original norm after
 * orthogonalization against the earlier ones is treated as collinear and dropped. */
const COLLINEAR_TOL = 1e-8;

/**
 * Per-date OLS residual of y on the regressors xs (plus an intercept unless `intercept: false`):
 *
 *   e_t = y_t − X_t·β_t,   β_t = argmin ‖y_t − X_t·β‖²,   X_t = [1, x1_t, …, xk_t]
 *
 * over the rows (assets) where y and every x are valid; other rows get NaN. Solved by modified
 * Gram-Schmidt on the columns of X_t followed by projecting y out (numerically stable, and the
 * residual stays well defined when X_t is rank deficient: a regressor that is a combination of the
 * earlier ones on that date, e.g. an all-zero industry dummy, is dropped and the date logged
 * 'collinear'). A date with fewer valid rows than parameters (k + intercept) gives NaN ('too-few').
 * The residual satisfies Σ e·x = 0 for every regressor (and Σ e = 0 with the intercept).
 * All panels must have the same dates and assets (PANEL_MISALIGNED otherwise).
 */
export function regressOut(y: Panel, xs: readonly Panel[], options: RegressOptions = {}): Panel {
  for (const x of xs) assertSameShape(y, x);
  const intercept = options.intercept ?? true;
  const T = y.dates.length, N = y.assets.length, K = xs.length, P = K + (intercept ? 1 : 0);
  const out = nanPanel(y);
  const pos = new Int32Array(N), ry = new Float64Array(N);
  const Q = new Float64Array(Math.max(1, P) * N); // column j occupies Q[j*N .. j*N + n)
  const accepted = new Int32Array(Math.max(1, P));
  const xv = xs.map((x) => x.values);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    let n = 0;
    for (let i = 0; i < N; i++) {
      const v = y.values[base + i];
      if (v !== v) continue;
      let ok = true;
      for (let j = 0; j < K; j++) {
        const w = xv[j][base + i];
        if (w !== w) { ok = false; break; }
      }
      if (!ok) continue;
      ry[n] = v;
      pos[n] = i;
      n++;
    }
    if (n === 0) { note(options.log, 'empty', y.dates[t]); continue; }
    if (n < P) { note(options.log, 'too-few', y.dates[t]); continue; }
    // Fill the design columns.
    let col = 0;
    if (intercept) { for (let m = 0; m < n; m++) Q[m] = 1; col = 1; }
    for (let j = 0; j < K; j++, col++) {
      const q0 = col * N, xj = xv[j];
      for (let m = 0; m < n; m++) Q[q0 + m] = xj[base + pos[m]];
    }
    // Modified Gram-Schmidt with dropping of (numerically) dependent columns.
    let nAcc = 0;
    let dropped = false;
    for (let j = 0; j < P; j++) {
      const qj = j * N;
      let norm0 = 0;
      for (let m = 0; m < n; m++) norm0 += Q[qj + m] * Q[qj + m];
      norm0 = Math.sqrt(norm0);
      if (norm0 > 0) {
        for (let a = 0; a < nAcc; a++) {
          const qa = accepted[a] * N;
          let d = 0;
          for (let m = 0; m < n; m++) d += Q[qa + m] * Q[qj + m];
          for (let m = 0; m < n; m++) Q[qj + m] -= d * Q[qa + m];
        }
      }
      let norm = 0;
      for (let m = 0; m < n; m++) norm += Q[qj + m] * Q[qj + m];
      norm = Math.sqrt(norm);
      if (!(norm0 > 0) || norm <= COLLINEAR_TOL * norm0) { dropped = true; continue; }
      const inv = 1 / norm;
      for (let m = 0; m < n; m++) Q[qj + m] *= inv;
      accepted[nAcc++] = j;
    }
    if (dropped) note(options.log, 'collinear', y.dates[t]);
    // Project y out of the accepted orthonormal columns (MGS on the augmented column).
    for (let a = 0; a < nAcc; a++) {
      const qa = accepted[a] * N;
      let d = 0;
      for (let m = 0; m < n; m++) d += Q[qa + m] * ry[m];
      for (let m = 0; m < n; m++) ry[m] -= d * Q[qa + m];
    }
    for (let m = 0; m < n; m++) out[base + pos[m]] = ry[m];
  }
  return withValues(y, out);
}

/**
 * Forward simple returns over k rows of the panel (k periods of its calendar):
 *
 *   fwd[t, i] = p[t + k, i] / p[t, i] − 1
 *
 * NaN when either price is NaN or t + k is past the last date. k must be a positive integer
 * (PANEL_BAD_ARGUMENT); every valid price must be > 0 (PANEL_BAD_PRICE, naming date and asset).
 * Per asset (time series), not cross-sectional; the result has the same dates and assets.
 */
/**
 * One row of simple returns between two rows of a level panel (prices or a wealth index), BY
 * DIVISION — the one implementation of a forward return in the project (this file's
 * `forwardReturns`, `forwardReturnRowInto` and `evaluateCrossSections` in src/evaluate all call it):
 *
 *   out[k] = L[b1 + c_k] / L[b0 + c_k] − 1,   c_k = cols[k] (or k without cols),  k = 0..n−1,
 *
 * NaN when either level is NaN, and (with `segment`) when segment[b1 + c_k] ≠ segment[b0 + c_k]
 * (a missing return in between). Division, not L[b1]·(1/L[b0]): an unchanged level gives exactly
 * 0 (x/x = 1 in IEEE arithmetic), whereas the reciprocal form gives ±1e-16 for some levels (49·(1/49)
 * = 0.9999999999999999), which breaks exact ties between unchanged prices in a rank IC.
 */
export function levelReturnRowInto(level: ArrayLike<number>, b0: number, b1: number, n: number, out: Float64Array,
  cols: ArrayLike<number> | null = null, segment: ArrayLike<number> | null = null): void {
  if (segment === null) {
    if (cols === null) for (let k = 0; k < n; k++) out[k] = level[b1 + k] / level[b0 + k] - 1;
    else for (let k = 0; k < n; k++) { const c = cols[k]; out[k] = level[b1 + c] / level[b0 + c] - 1; }
  } else {
    for (let k = 0; k < n; k++) {
      const c = cols === null ? k : cols[k];
      out[k] = segment[b1 + c] === segment[b0 + c] ? level[b1 + c] / level[b0 + c] - 1 : NaN;
    }
  }
}

export function forwardReturns(prices: Panel, k: number): Panel {
  if (!Number.isInteger(k) || k < 1) {
    throw badArgument(`Forward-return horizon k must be a positive integer, got ${k}`, 'k', k,
      'pass the horizon in rows of the panel, e.g. 1 for the next period');
  }
  const T = prices.dates.length, N = prices.assets.length, v = prices.values;
  for (let c = 0; c < v.length; c++) {
    const x = v[c];
    if (x <= 0) {
      const t = Math.floor(c / N), i = c % N;
      throw new RotationError('PANEL_BAD_PRICE', `Non-positive price ${x}`, { date: prices.dates[t], asset: prices.assets[i] },
        'prices must be > 0; mask bad prices as NaN first (e.g. mapValues(p, (x) => (x > 0 ? x : NaN)))');
    }
  }
  const out = nanPanel(prices);
  for (let t = 0; t + k < T; t++) levelReturnRowInto(v, t * N, (t + k) * N, N, out.subarray(t * N, (t + 1) * N)); // NaN propagates
  return withValues(prices, out);
}
