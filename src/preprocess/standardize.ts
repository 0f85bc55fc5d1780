/**
 * Standardization per date (NaN-aware): put each date's cross-section on a common scale.
 *
 * - z-score: (x − mean)/std, ddof 1 (`zscore`, the panel kernel, re-exported);
 * - rank to [0, 1]: (midrank − 1)/(n − 1) (`rankToUnit`, the `percentileRank` kernel);
 * - rank to normal scores: Φ⁻¹((midrank − 0.5)/n) (`rankToNormal`, defined here), with an accurate
 *   inverse normal CDF (`inverseNormalCdf`: Acklam's rational approximation refined by one Halley
 *   step on an accurate Φ, relative error ~1e-15).
 */
import { midranksInto, newRankScratch, percentileRank, type KernelOptions } from '../panel/kernels.js';
import { withValues, type Panel } from '../panel/panel.js';

export { zscore } from '../panel/kernels.js';

/**
 * Rank to [0, 1] per date: u = (midrank − 1)/(n − 1) over the n valid cells (lowest 0, highest 1,
 * ties averaged; a single valid cell gives 0.5). Same as `percentileRank`.
 */
export function rankToUnit(p: Panel, options: KernelOptions = {}): Panel {
  return percentileRank(p, options);
}

const SQRT2 = Math.SQRT2;
const SQRT2PI = Math.sqrt(2 * Math.PI);

/**
 * Standard normal CDF Φ(x) = ½·erfc(−x/√2), accurate to ~1e-15 relative in both tails:
 * for |x| <= 3 Marsaglia's Taylor series Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …);
 * for |x| > 3 the continued fraction of the Mills ratio, Φ(−|x|) = φ(x)·1/(x + 1/(x + 2/(x + 3/(x + …)))).
 * Φ(NaN) = NaN, Φ(±∞) = 1 or 0.
 */
export function normalCdf(x: number): number {
  if (x !== x) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const ax = Math.abs(x);
  const phi = Math.exp(-0.5 * x * x) / SQRT2PI;
  if (ax <= 3) {
    let term = x, sum = x;
    const x2 = x * x;
    for (let k = 3; k < 200; k += 2) {
      term *= x2 / k;
      const next = sum + term;
      if (next === sum) break;
      sum = next;
    }
    return 0.5 + phi * sum;
  }
  // Lower tail Q = Φ(−|x|) by the continued fraction, evaluated bottom-up with a fixed depth
  // (|x| > 3 converges to double precision well within 200 terms).
  let f = ax;
  for (let k = 200; k >= 1; k--) f = ax + k / f;
  const tail = phi / f;
  return x < 0 ? tail : 1 - tail;
}

// Acklam's coefficients (P. J. Acklam, "An algorithm for computing the inverse normal cumulative
// distribution function", relative error < 1.15e-9 before refinement).
const A: readonly number[] = Object.freeze([-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]);
const B: readonly number[] = Object.freeze([-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]);
const C: readonly number[] = Object.freeze([-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]);
const D: readonly number[] = Object.freeze([7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]);
const P_LOW = 0.02425;

/**
 * Inverse standard normal CDF x = Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation
 * (central region |p − ½| <= ½ − 0.02425, tails through q = √(−2 ln p)), then one Halley step
 *
 *   e = Φ(x) − p,  u = e·√(2π)·exp(x²/2),  x ← x − u/(1 + x·u/2)
 *
 * on the accurate `normalCdf`, giving ~1e-15 relative accuracy (e.g. Φ⁻¹(0.975) = 1.959963984540054).
 * Φ⁻¹(0) = −∞, Φ⁻¹(1) = +∞, NaN or p outside [0, 1] → NaN.
 */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5, r = q * q;
    x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // Halley refinement. In the upper tail refine on the complement so 1 − p keeps its precision.
  if (p > 0.5) {
    const e = (1 - normalCdf(x)) - (1 - p);
    const u = -e * SQRT2PI * Math.exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  } else {
    const e = normalCdf(x) - p;
    const u = e * SQRT2PI * Math.exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}

/**
 * Rank to normal scores per date (van der Waerden / Blom-type with offset ½):
 *
 *   s = Φ⁻¹((midrank − 0.5)/n)
 *
 * over the n valid cells, so scores are symmetric around 0 and ties share a score. NaN stays NaN;
 * a date with a single valid cell gives 0; an all-NaN date is logged 'empty'.
 */
export function rankToNormal(p: Panel, options: KernelOptions = {}): Panel {
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = new Float64Array(src.length).fill(NaN);
  const vals = new Float64Array(N), pos = new Int32Array(N), r = new Float64Array(N);
  const scratch = newRankScratch(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    let n = 0;
    for (let i = 0; i < N; i++) {
      const v = src[base + i];
      if (v === v) { vals[n] = v; pos[n] = i; n++; }
    }
    if (n === 0) {
      if (options.log) {
        const list = options.log.degenerate.get('empty');
        if (list) list.push(p.dates[t]); else options.log.degenerate.set('empty', [p.dates[t]]);
      }
      continue;
    }
    midranksInto(vals, n, r, scratch);
    for (let m = 0; m < n; m++) out[base + pos[m]] = inverseNormalCdf((r[m] - 0.5) / n);
  }
  return withValues(p, out);
}
