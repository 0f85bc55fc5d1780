/**
 * Summary statistics of an IC series (alphalens' "information table" plus Newey-West).
 *
 * Over the T non-missing ICs x_1..x_T (skipped dates removed, order kept):
 *
 *   mean = Σx/T,  std = √(Σ(x − mean)²/(T − 1)),  ICIR = mean/std (not annualized),
 *   t = ICIR·√T,  p = two-sided Student t with T − 1 df,
 *   t_NW = mean/√(S/T) with the Bartlett long-run variance S of lag L (default horizon − 1),
 *          computed on the DATE-ALIGNED series: a skipped date stays a gap, so the ICs on either
 *          side of it are not lag-1 neighbours (src/evaluate/neweyWest.ts states the estimator),
 *   p_NW = two-sided Student t with T − 1 df at t_NW,
 *   win rate = #{x > 0}/T,
 *   skew = m3/m2^{3/2},  kurtosis = m4/m2² − 3 (excess), m_k = (1/T)Σ(x − mean)^k
 *   (scipy's defaults, bias = True, as alphalens' IC Skew / IC Kurtosis).
 */
import type { IcByDate } from './ic.js';
import { finiteValues, neweyWestT, assertNeweyWestLength } from './neweyWest.js';
import { studentTTwoSidedP } from '../stats/distributions.js';
import { RotationError } from '../errors.js';

export interface IcSummary {
  /** Number of non-missing ICs (dates). */
  n: number;
  mean: number;
  std: number;
  /** mean/std; NaN when std = 0. */
  icir: number;
  /** ICIR·√T. */
  t: number;
  /** Two-sided p of t, Student t with T − 1 df. */
  pValue: number;
  /** Newey-West lag used. */
  nwLag: number;
  tNeweyWest: number;
  pValueNeweyWest: number;
  /** Share of ICs > 0. */
  winRate: number;
  skew: number;
  /** Excess kurtosis. */
  kurtosis: number;
}

export interface SummaryOptions {
  /** Horizon length in periods; the default Newey-West lag is horizonPeriods − 1. Default 1. */
  horizonPeriods?: number;
  /** Newey-West lag (overrides horizonPeriods − 1). */
  lag?: number;
}

/**
 * Summary of an IC series (see the module comment for every formula). NaN entries (skipped
 * dates) are removed. Errors: EVAL_SERIES_TOO_SHORT when fewer than max(2, 2(L + 1)) ICs remain
 * (the message names the minimum); EVAL_BAD_ARGUMENT for a bad lag or horizon.
 */
export function summarizeIc(ic: IcByDate | ArrayLike<number>, options: SummaryOptions = {}): IcSummary {
  const raw: ArrayLike<number> = isIcByDate(ic) ? ic.ic : ic;
  const h = options.horizonPeriods ?? 1;
  if (!Number.isInteger(h) || h < 1) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `horizonPeriods must be a positive integer, got ${h}`, { argument: 'horizonPeriods' },
      'pass the horizon length in rebalance periods');
  }
  const lag = options.lag ?? h - 1;
  const x = finiteValues(raw);
  const T = x.length;
  assertNeweyWestLength(T, Number.isInteger(lag) && lag >= 0 ? lag : 0, 'IC series');
  let mean = 0, pos = 0, lo = Infinity, hi = -Infinity;
  for (let t = 0; t < T; t++) { mean += x[t]; if (x[t] > 0) pos++; if (x[t] < lo) lo = x[t]; if (x[t] > hi) hi = x[t]; }
  mean /= T;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let t = 0; t < T; t++) {
    const d = x[t] - mean, d2 = d * d;
    m2 += d2; m3 += d2 * d; m4 += d2 * d2;
  }
  const std = lo === hi ? 0 : Math.sqrt(m2 / (T - 1)); // a constant series has std exactly 0
  m2 /= T; m3 /= T; m4 /= T;
  const icir = std > 0 ? mean / std : NaN;
  const t = icir * Math.sqrt(T);
  const nw = neweyWestT(raw, lag); // on the date-aligned series: skipped dates stay gaps
  return {
    n: T,
    mean,
    std,
    icir,
    t,
    pValue: studentTTwoSidedP(t, T - 1),
    nwLag: lag,
    tNeweyWest: nw.t,
    pValueNeweyWest: studentTTwoSidedP(nw.t, T - 1),
    winRate: pos / T,
    skew: std > 0 ? m3 / Math.pow(m2, 1.5) : NaN,
    kurtosis: std > 0 ? m4 / (m2 * m2) - 3 : NaN,
  };
}

function isIcByDate(x: IcByDate | ArrayLike<number>): x is IcByDate {
  return typeof x === 'object' && x !== null && 'ic' in x && 'dates' in x;
}
