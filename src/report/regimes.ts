/**
 * Legend labels for HMM regime states: each state named by what the market did while it was the
 * filtered (argmax) state, so a reader sees "state 1: +18%/yr, vol 12%" instead of "state 1".
 */
import { RotationError } from '../errors.js';
import { annualMean, annualVolatility } from '../metrics/returns.js';
import type { Panel } from '../panel/panel.js';

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
 * REPORT_REGIME_LENGTH when states and returns differ in length. Descriptive: the label of a
 * state summarizes the whole path (it names the state; it is not a signal and not used by any model).
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

/**
 * Legend names for a regime path straight from the daily industry returns panel it was fitted on
 * (dates x industries, e.g. dailyReturns(close)): the market return of a date is the equal-weight
 * mean r_t = (1/n_t) Σ_i r_{t,i} over the industries with a finite return (NaN when none), then
 * regimeStateStats. REPORT_REGIME_LENGTH when the panel's dates are not the path's.
 */
export function regimeLegendNamesFromReturns(
  path: { dates: readonly string[]; states: ArrayLike<number>; nStates: number }, returns: Panel, periodsPerYear: number,
): Record<string, string> {
  if (returns.dates.length !== path.dates.length || returns.dates[0] !== path.dates[0]) {
    throw new RotationError('REPORT_REGIME_LENGTH', `the returns panel (${returns.dates.length} dates from ${returns.dates[0]}) is not on the regime path's dates (${path.dates.length} from ${path.dates[0]})`,
      { returnsStart: returns.dates[0], pathStart: path.dates[0] }, 'pass the returns panel the regime features were built from');
  }
  const N = returns.assets.length;
  const market = new Float64Array(returns.dates.length);
  for (let t = 0; t < market.length; t++) {
    let s = 0, n = 0;
    for (let i = 0; i < N; i++) { const v = returns.values[t * N + i]; if (Number.isFinite(v)) { s += v; n++; } }
    market[t] = n ? s / n : NaN;
  }
  return regimeLegendNames(regimeStateStats(path.states, market, path.nStates, periodsPerYear));
}
