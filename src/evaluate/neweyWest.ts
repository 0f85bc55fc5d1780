/**
 * Newey-West (HAC) standard error of a mean, for IC series of overlapping horizons: the IC of an
 * h-period horizon measured every period shares h − 1 periods of returns with its neighbours, so
 * consecutive ICs are autocorrelated and the plain t = mean/(std/√T) overstates significance.
 *
 * The series is DATE-ALIGNED: x_t for t = 1..T are the values on consecutive dates of the calendar,
 * NaN where a date has no value (a skipped IC). Gaps are KEPT, so two values on either side of a
 * missing date are lag-2 apart, never lag-1 neighbours. With a_t = 1 when x_t is present, 0 when
 * missing, n = Σ a_t present values, x̄ = Σ a_t x_t / n, e_t = a_t (x_t − x̄) (demeaned, zero-filled),
 * Bartlett weights w_l = 1 − l/(L + 1) and lag L (default h − 1):
 *
 *   γ̂_l = Σ_{t=l+1..T} e_t e_{t−l}      (only pairs with both dates present contribute)
 *   S   = (1/(n − 1)) · [ γ̂_0 + 2 Σ_{l=1..L} w_l γ̂_l ]                            (long-run variance)
 *   se_NW = √(S/n),   t_NW = x̄/se_NW.
 *
 * This is the amplitude-modulated estimator of Parzen (1963, "On spectral analysis with missing
 * observations and amplitude modulation", Sankhyā A 25) as used for Newey-West by Datta & Du (2012,
 * "Newey-West type estimators with missing data"): every lag's sum is divided by the same count of
 * present values (not by its own number of pairs), which is the standard estimator applied to the
 * zero-filled demeaned series and keeps S >= 0 with Bartlett weights. Without gaps it is the usual
 * Newey-West (1987) estimator. The sums are normalized by n − 1 (not n as in statsmodels' HAC), so
 * at L = 0 the long-run variance is the sample variance (ddof 1) and t_NW equals the plain t.
 * Minimum: n >= 2(L + 1) present values (two non-overlapping windows of the horizon).
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
 * Newey-West long-run variance S of the date-aligned series x (NaN = a date without a value; gaps
 * kept, see the module comment) with Bartlett lag L:
 * S = (1/(n − 1)) [γ̂_0 + 2 Σ_{l=1..L} (1 − l/(L + 1)) γ̂_l], γ̂_l = Σ_{t>l} e_t e_{t−l} over pairs of
 * present values l dates apart, e = x − x̄ on present dates, n = number of present values.
 * EVAL_SERIES_TOO_SHORT when n < 2(L + 1); EVAL_BAD_ARGUMENT for a bad lag.
 */
export function neweyWestVariance(x: ArrayLike<number>, lag: number): number {
  return neweyWestMoments(x, lag).S;
}

/** x̄, n and S of the date-aligned series (see neweyWestVariance). */
function neweyWestMoments(x: ArrayLike<number>, lag: number): { mean: number; n: number; S: number } {
  checkLag(lag);
  const T = x.length;
  let n = 0, mean = 0;
  for (let t = 0; t < T; t++) { const v = x[t]; if (v === v) { mean += v; n++; } }
  assertNeweyWestLength(n, lag);
  mean /= n;
  // e_t = x_t − x̄ on present dates, 0 on missing ones: a missing date contributes nothing to any lag.
  const e = new Float64Array(T);
  for (let t = 0; t < T; t++) { const v = x[t]; e[t] = v === v ? v - mean : 0; }
  let s = 0;
  for (let t = 0; t < T; t++) s += e[t] * e[t];
  for (let l = 1; l <= lag; l++) {
    let g = 0;
    for (let t = l; t < T; t++) g += e[t] * e[t - l];
    s += 2 * (1 - l / (lag + 1)) * g;
  }
  return { mean, n, S: s / (n - 1) };
}

/**
 * Newey-West t of the mean of the date-aligned series x (NaN = missing date, gaps kept):
 * t_NW = x̄ / √(S/n), S = neweyWestVariance(x, lag), n = present values. Returns t, se, the lag and n.
 */
export function neweyWestT(x: ArrayLike<number>, lag: number): { t: number; se: number; lag: number; n: number } {
  const { mean, n, S } = neweyWestMoments(x, lag);
  const se = Math.sqrt(Math.max(0, S) / n);
  return { t: se > 0 ? mean / se : NaN, se, lag, n };
}
