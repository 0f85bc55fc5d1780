/**
 * Legend labels for HMM regime states: each state named by what the market did while it was the
 * filtered (argmax) state, so a reader sees "state 1: +18%/yr, vol 12%" instead of "state 1".
 */
import { RotationError } from '../errors.js';
import { annualMean, annualVolatility } from '../metrics/returns.js';

export interface RegimeStateStats {
  state: number;
  /** Days with this state as the filtered argmax (and a finite return). */
  days: number;
  /** Annualized mean return mean(r_t | s_t = k) · P. */
  meanReturn: number;
  /** Annualized volatility std(r_t | s_t = k, ddof 1) · √P. */
  volatility: number;
  /** "state k: +m%/yr, vol v% (n days)". */
  label: string;
}

const pct = (v: number, signed: boolean): string => (Number.isFinite(v) ? `${signed && v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%` : '–');

/**
 * Statistics and labels of each state k = 0..K−1 of a regime path: over the dates t with
 * states[t] = k (−1 = no state yet: skipped) and a finite return r_t, the annualized mean
 * mean(r) · P and volatility std(r) · √P (annualMean / annualVolatility). `returns` is the market
 * series on the same dates (e.g. the equal-weight mean of the industries' daily returns).
 * REPORT_REGIME_LENGTH when states and returns differ in length.
 */
export function regimeStateStats(states: ArrayLike<number>, returns: ArrayLike<number>, nStates: number, periodsPerYear: number): RegimeStateStats[] {
  if (states.length !== returns.length) {
    throw new RotationError('REPORT_REGIME_LENGTH', `regime states (${states.length}) and returns (${returns.length}) differ in length`,
      { states: states.length, returns: returns.length }, 'pass the market returns on the regime path\'s own dates (path.dates)');
  }
  const out: RegimeStateStats[] = [];
  for (let k = 0; k < nStates; k++) {
    const r: number[] = [];
    for (let t = 0; t < states.length; t++) if (states[t] === k && Number.isFinite(returns[t])) r.push(returns[t]);
    const meanReturn = r.length ? annualMean(r, periodsPerYear) : NaN;
    const volatility = r.length >= 2 ? annualVolatility(r, periodsPerYear) : NaN;
    out.push({ state: k, days: r.length, meanReturn, volatility, label: `state ${k}: ${pct(meanReturn, true)}/yr, vol ${pct(volatility, false)} (${r.length} days)` });
  }
  return out;
}

/** `names` map for chart legends: "state k" → its label (regimeStateStats). */
export function regimeLegendNames(stats: readonly RegimeStateStats[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of stats) out[`state ${s.state}`] = s.label;
  return out;
}
