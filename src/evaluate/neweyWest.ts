/**
 * Newey-West (HAC) standard error of a mean, for IC series of overlapping horizons: the IC of an
 * h-period horizon measured every period shares h − 1 periods of returns with its neighbours, so
 * consecutive ICs are autocorrelated and the plain t = mean/(std/√T) overstates significance.
 *
 * With e_t = x_t − x̄ (t = 1..T), Bartlett weights w_l = 1 − l/(L + 1) and lag L (default h − 1):
 *
 *   S = (1/(T − 1)) · [ Σ_t e_t² + 2 Σ_{l=1..L} w_l Σ_{t=l+1..T} e_t e_{t−l} ]      (long-run variance)
 *   se_NW = √(S/T),   t_NW = x̄/se_NW.
 *
 * The autocovariances are normalized by T − 1 (not T as in statsmodels' HAC), so at L = 0 the
 * long-run variance is the sample variance (ddof 1) and t_NW equals the plain t. Bartlett weights
 * keep S >= 0. Minimum length: T >= 2(L + 1) (two non-overlapping windows of the horizon).
 */
import { RotationError } from '../errors.js';

/** The minimum series length for a Newey-West estimate with lag L: 2(L + 1). */
export function neweyWestMinLength(lag: number): number {
  return 2 * (lag + 1);
}

function checkLag(lag: number): void {
  if (!Number.isInteger(lag) || lag < 0) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `Newey-West lag must be an integer >= 0, got ${lag}`, { argument: 'lag', value: lag },
      'pass lag = horizon − 1 for an h-period horizon sampled every period (0 for non-overlapping)');
  }
}

/** Non-NaN values of x, in order. */
export function finiteValues(x: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) out[j++] = x[i];
  return out;
}

/** Throws EVAL_SERIES_TOO_SHORT, naming the minimum length, when T < 2(L + 1). */
export function assertNeweyWestLength(T: number, lag: number, what = 'series'): void {
  const min = neweyWestMinLength(lag);
  if (T < min) {
    throw new RotationError('EVAL_SERIES_TOO_SHORT',
      `The ${what} has ${T} non-missing value(s); a Newey-West estimate with lag ${lag} needs at least ${min} (2 x (lag + 1))`,
      { length: T, lag, minimum: min },
      `use a longer history, or a shorter horizon (lag = horizon − 1), or pass a smaller lag explicitly`);
  }
}

/**
 * Newey-West long-run variance S of x (NaN values removed, order kept) with Bartlett lag L:
 * S = (1/(T − 1)) [Σ e_t² + 2 Σ_{l=1..L} (1 − l/(L + 1)) Σ_{t>l} e_t e_{t−l}], e = x − x̄.
 * EVAL_SERIES_TOO_SHORT when T < 2(L + 1); EVAL_BAD_ARGUMENT for a bad lag.
 */
export function neweyWestVariance(x: ArrayLike<number>, lag: number): number {
  checkLag(lag);
  const v = finiteValues(x);
  const T = v.length;
  assertNeweyWestLength(T, lag);
  let mean = 0;
  for (let t = 0; t < T; t++) mean += v[t];
  mean /= T;
  for (let t = 0; t < T; t++) v[t] -= mean;
  let s = 0;
  for (let t = 0; t < T; t++) s += v[t] * v[t];
  for (let l = 1; l <= lag; l++) {
    let g = 0;
    for (let t = l; t < T; t++) g += v[t] * v[t - l];
    s += 2 * (1 - l / (lag + 1)) * g;
  }
  return s / (T - 1);
}

/** Newey-West t of the mean of x: t_NW = x̄ / √(S/T), S = neweyWestVariance(x, lag). Returns t, se, the lag and T. */
export function neweyWestT(x: ArrayLike<number>, lag: number): { t: number; se: number; lag: number; n: number } {
  const S = neweyWestVariance(x, lag);
  const v = finiteValues(x);
  const T = v.length;
  let mean = 0;
  for (let t = 0; t < T; t++) mean += v[t];
  mean /= T;
  const se = Math.sqrt(Math.max(0, S) / T);
  return { t: se > 0 ? mean / se : NaN, se, lag, n: T };
}
