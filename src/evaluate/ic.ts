/**
 * Information coefficient per date: the cross-sectional correlation between a factor and the
 * (forward) returns it should predict.
 *
 *   IC_t      = Pearson(f_t, r_t)                      over the assets where both are valid
 *   rank IC_t = Pearson(midrank(f_t), midrank(r_t))    (Spearman; ties get average ranks, the
 *                                                       ranks taken over the jointly valid pairs)
 *
 * Both panels must already be aligned (same dates and assets in the same order); align first with
 * `align(factor, returns)`. The factor at date t is paired with the return stored at date t, so
 * `returns` should be forward returns (see `forwardReturns`).
 */
import { RotationError } from '../errors.js';
import { fastMidranksInto, newFastRankScratch } from './fastRank.js';
import { assertSameShape, type Panel } from '../panel/panel.js';

/** Options of `icByDate` / `rankIcByDate`. */
export interface IcOptions {
  /** Minimum number of jointly valid (factor, return) pairs for a date to get an IC. Default 3. */
  minAssets?: number;
}

/**
 * Why a date got no IC:
 * - 'too-few-pairs': fewer than `minAssets` jointly valid pairs;
 * - 'zero-variance': the factor or the returns are constant over the valid pairs.
 */
export type IcSkipReason = 'too-few-pairs' | 'zero-variance';

/** Per-date IC series. */
export interface IcByDate {
  /** The panel dates (all of them, skipped dates included). */
  dates: string[];
  /** IC of each date; NaN for skipped dates. */
  ic: Float64Array;
  /** Number of jointly valid (factor, return) pairs on each date (also for skipped dates). */
  n: Int32Array;
  /** Number of skipped (NaN) dates by reason. */
  skipped: Record<IcSkipReason, number>;
}

function checkMinAssets(minAssets: number): void {
  if (!Number.isInteger(minAssets) || minAssets < 2) {
    throw new RotationError('IC_BAD_ARGUMENT', `minAssets must be an integer >= 2, got ${minAssets}`, { argument: 'minAssets', value: minAssets },
      'pass minAssets >= 2 (a correlation needs at least two pairs); 3 is the default');
  }
}

/** Copy the jointly valid (factor, return) pairs of one date's row into a and b; returns their count. */
function gatherPairs(fv: Float64Array, rv: Float64Array, base: number, N: number, a: Float64Array, b: Float64Array): number {
  let n = 0;
  for (let i = 0; i < N; i++) {
    const x = fv[base + i], y = rv[base + i];
    if (x === x && y === y) { a[n] = x; b[n] = y; n++; }
  }
  return n;
}

/**
 * Pearson IC per date over the jointly valid pairs (f_i, r_i), i = 1..n:
 *
 *   IC_t = Σ(f − f̄)(r − r̄) / sqrt(Σ(f − f̄)² · Σ(r − r̄)²)
 *
 * (two-pass, centred sums; clamped to [−1, 1] against rounding). NaN, and counted in `skipped`,
 * when n < minAssets ('too-few-pairs') or either side is constant ('zero-variance').
 * Throws PANEL_MISALIGNED unless both panels have the same dates and assets; IC_BAD_ARGUMENT
 * when minAssets is not an integer >= 2.
 */
export function icByDate(factor: Panel, returns: Panel, options: IcOptions = {}): IcByDate {
  assertSameShape(factor, returns);
  const minAssets = options.minAssets ?? 3;
  checkMinAssets(minAssets);
  const T = factor.dates.length, N = factor.assets.length;
  const fv = factor.values, rv = returns.values;
  const a = new Float64Array(N), b = new Float64Array(N);
  const ic = new Float64Array(T).fill(NaN);
  const count = new Int32Array(T);
  const skipped: Record<IcSkipReason, number> = { 'too-few-pairs': 0, 'zero-variance': 0 };
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gatherPairs(fv, rv, base, N, a, b);
    count[t] = n;
    if (n < minAssets) { skipped['too-few-pairs']++; continue; }
    let sa = 0, sb = 0;
    let aMin = a[0], aMax = a[0], bMin = b[0], bMax = b[0];
    for (let m = 0; m < n; m++) {
      const x = a[m], y = b[m];
      sa += x; sb += y;
      if (x < aMin) aMin = x; else if (x > aMax) aMax = x;
      if (y < bMin) bMin = y; else if (y > bMax) bMax = y;
    }
    if (aMin === aMax || bMin === bMax) { skipped['zero-variance']++; continue; }
    const ma = sa / n, mb = sb / n;
    let sab = 0, saa = 0, sbb = 0;
    for (let m = 0; m < n; m++) {
      const x = a[m] - ma, y = b[m] - mb;
      sab += x * y; saa += x * x; sbb += y * y;
    }
    if (!(saa > 0 && sbb > 0)) { skipped['zero-variance']++; continue; }
    const r = sab / Math.sqrt(saa * sbb);
    ic[t] = r > 1 ? 1 : r < -1 ? -1 : r;
  }
  return { dates: factor.dates.slice(), ic, n: count, skipped };
}

/**
 * Rank IC (Spearman) per date: with ranks taken over the n jointly valid pairs,
 *
 *   rankIC_t = Σ(Rf − m)(Rr − m) / sqrt(Σ(Rf − m)² · Σ(Rr − m)²),   m = (n + 1)/2,
 *
 * where Rf, Rr are midranks (ties share the average rank; the mean of midranks is exactly
 * (n + 1)/2). Equals `scipy.stats.spearmanr` / simple-statistics `sampleRankCorrelation` on the
 * valid pairs. NaN, and counted in `skipped`, when n < minAssets ('too-few-pairs') or all factor
 * values or all returns tie ('zero-variance'). Hot path: scratch buffers are allocated once per
 * call; each date gathers the pairs, co-sorts (key, index) in typed arrays and assigns midranks.
 * Throws PANEL_MISALIGNED / IC_BAD_ARGUMENT as `icByDate`.
 */
export function rankIcByDate(factor: Panel, returns: Panel, options: IcOptions = {}): IcByDate {
  assertSameShape(factor, returns);
  const minAssets = options.minAssets ?? 3;
  checkMinAssets(minAssets);
  const T = factor.dates.length, N = factor.assets.length;
  const fv = factor.values, rv = returns.values;
  const a = new Float64Array(N), b = new Float64Array(N);
  const ra = new Float64Array(N), rb = new Float64Array(N);
  const scratch = newFastRankScratch(N);
  const ic = new Float64Array(T).fill(NaN);
  const count = new Int32Array(T);
  const skipped: Record<IcSkipReason, number> = { 'too-few-pairs': 0, 'zero-variance': 0 };
  for (let t = 0; t < T; t++) {
    const base = t * N;
    const n = gatherPairs(fv, rv, base, N, a, b);
    count[t] = n;
    if (n < minAssets) { skipped['too-few-pairs']++; continue; }
    fastMidranksInto(a, n, ra, scratch);
    fastMidranksInto(b, n, rb, scratch);
    const m = (n + 1) / 2;
    let sab = 0, saa = 0, sbb = 0;
    for (let k = 0; k < n; k++) {
      const x = ra[k] - m, y = rb[k] - m;
      sab += x * y; saa += x * x; sbb += y * y;
    }
    if (saa === 0 || sbb === 0) { skipped['zero-variance']++; continue; }
    const r = sab / Math.sqrt(saa * sbb);
    ic[t] = r > 1 ? 1 : r < -1 ? -1 : r;
  }
  return { dates: factor.dates.slice(), ic, n: count, skipped };
}
