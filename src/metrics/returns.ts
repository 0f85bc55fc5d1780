/**
 * Return-stream metrics of one series: total return, CAGR, volatility, Sharpe, downside risk,
 * Sortino, and compounding into calendar periods. Simple returns; wealth compounded from 1;
 * `periodsPerYear` (P) is an explicit argument of every annualized metric (no default).
 *
 * Where a definition coincides with empyrical's (stats.py), the number is the same: see the
 * `reference` column of METRIC_DEFINITIONS (conventions.ts).
 *
 * Inputs are validated: a non-finite return is a gap (METRIC_RETURN_GAP, naming the positions or
 * dates), a bad periodsPerYear is METRIC_BAD_PERIODS_PER_YEAR. Too-short series give NaN, never an
 * error (as empyrical: Sharpe and volatility need T >= 2).
 */
import { RotationError } from '../errors.js';

/** Throws METRIC_BAD_PERIODS_PER_YEAR unless P is a finite number > 0. */
export function checkPeriodsPerYear(periodsPerYear: number, where = 'metric'): void {
  if (!(typeof periodsPerYear === 'number' && Number.isFinite(periodsPerYear) && periodsPerYear > 0)) {
    throw new RotationError('METRIC_BAD_PERIODS_PER_YEAR', `periodsPerYear must be a finite number > 0, got ${String(periodsPerYear)}`,
      { function: where }, 'pass the periods per year of the series explicitly: 252 daily, 12 monthly, 52 weekly (or the calendar\'s periodsPerYear)');
  }
}

/**
 * Throws METRIC_RETURN_GAP when a return is NaN or ±Infinity, listing the dates (or positions):
 * every metric here needs a gap-free series (fill or drop upstream, and say so).
 */
export function checkReturns(returns: ArrayLike<number>, what = 'returns', dates?: readonly string[]): void {
  let bad: (string | number)[] | undefined;
  for (let t = 0; t < returns.length; t++) {
    if (!Number.isFinite(returns[t])) (bad ??= []).push(dates?.[t] ?? t);
  }
  if (bad) {
    throw new RotationError('METRIC_RETURN_GAP', `${bad.length} ${what} value(s) are missing or infinite`,
      { series: what, [dates ? 'dates' : 'positions']: bad },
      'the series must have a finite return on every period; fill gaps upstream (and report them) or restrict the window');
  }
}

/** Throws METRIC_LENGTH_MISMATCH unless the two series have the same length. */
export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what = 'strategy and benchmark'): void {
  if (a.length !== b.length) {
    throw new RotationError('METRIC_LENGTH_MISMATCH', `The ${what} series differ in length: ${a.length} vs ${b.length}`,
      { series: what }, 'align both series on the same dates first');
  }
}

/** Arithmetic mean (1/T) Σ x_t; NaN when T = 0. */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let t = 0; t < n; t++) s += x[t];
  return s / n;
}

/** Sample standard deviation √( Σ (x_t − mean)² / (T − 1) ) (ddof 1, two-pass); NaN when T < 2. */
export function sampleStd(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let ss = 0;
  for (let t = 0; t < n; t++) {
    const d = x[t] - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/** Cumulative wealth W_t = Π_{s≤t} (1 + r_s), t = 1..T (W_0 = 1 is implicit, not stored). */
export function wealthPath(returns: ArrayLike<number>): Float64Array {
  checkReturns(returns);
  const out = new Float64Array(returns.length);
  let w = 1;
  for (let t = 0; t < returns.length; t++) {
    w *= 1 + returns[t];
    out[t] = w;
  }
  return out;
}

/** Final wealth W_T = Π_t (1 + r_t) (1 for an empty series). */
export function finalWealth(returns: ArrayLike<number>): number {
  let w = 1;
  for (let t = 0; t < returns.length; t++) w *= 1 + returns[t];
  return w;
}

/**
 * First period t at which wealth W_t = Π_{s≤t}(1 + r_s) is ≤ 0 (the portfolio is ruined), or −1.
 * Metrics that would take a power or a log of wealth report NaN with a reason from this.
 */
export function firstNonPositiveWealth(returns: ArrayLike<number>): number {
  let w = 1;
  for (let t = 0; t < returns.length; t++) {
    w *= 1 + returns[t];
    if (!(w > 0)) return t;
  }
  return -1;
}

/** Total return W_T − 1 = Π_t (1 + r_t) − 1 (empyrical cum_returns_final − 1); NaN when T = 0. */
export function totalReturn(returns: ArrayLike<number>): number {
  checkReturns(returns);
  return returns.length === 0 ? NaN : finalWealth(returns) - 1;
}

/**
 * CAGR = W_T^(P/T) − 1, T = number of periods (count-based, empyrical annual_return).
 * NaN when T = 0 or when W_T ≤ 0 (a ruined portfolio has no growth rate; no power or log of a
 * non-positive number is taken — see `firstNonPositiveWealth`).
 */
export function cagr(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'cagr');
  checkReturns(returns);
  const n = returns.length;
  if (n === 0) return NaN;
  const w = finalWealth(returns);
  if (!(w > 0)) return NaN;
  return Math.pow(w, periodsPerYear / n) - 1;
}

/** Arithmetic annual return mean(r) · P (uncompounded; qlib's 'sum' mode). */
export function annualMean(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'annualMean');
  checkReturns(returns);
  return mean(returns) * periodsPerYear;
}

/** Annualized volatility std(r, ddof 1) · √P (empyrical annual_volatility); NaN when T < 2. */
export function annualVolatility(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'annualVolatility');
  checkReturns(returns);
  return sampleStd(returns) * Math.sqrt(periodsPerYear);
}

/**
 * Sharpe ratio with a zero risk-free rate: mean(r) / std(r, ddof 1) · √P
 * (empyrical sharpe_ratio(risk_free=0)). NaN when T < 2; ±Infinity/NaN when std = 0 as numpy.
 */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'sharpeRatio');
  checkReturns(returns);
  if (returns.length < 2) return NaN;
  return (mean(returns) / sampleStd(returns)) * Math.sqrt(periodsPerYear);
}

/**
 * Downside risk √( (1/T) Σ_t min(r_t − req, 0)² ) · √P: the mean runs over ALL T periods
 * (periods above `required` count as 0), as empyrical downside_risk. NaN when T = 0.
 */
export function downsideRisk(returns: ArrayLike<number>, periodsPerYear: number, required = 0): number {
  checkPeriodsPerYear(periodsPerYear, 'downsideRisk');
  checkReturns(returns);
  const n = returns.length;
  if (n === 0) return NaN;
  let ss = 0;
  for (let t = 0; t < n; t++) {
    const d = Math.min(returns[t] - required, 0);
    ss += d * d;
  }
  return Math.sqrt(ss / n) * Math.sqrt(periodsPerYear);
}

/**
 * Sortino ratio mean(r − req) · P / downsideRisk(r, P, req) (empyrical sortino_ratio).
 * NaN when T < 2; +Infinity when no period is below `required` (as numpy's division).
 */
export function sortinoRatio(returns: ArrayLike<number>, periodsPerYear: number, required = 0): number {
  checkPeriodsPerYear(periodsPerYear, 'sortinoRatio');
  checkReturns(returns);
  if (returns.length < 2) return NaN;
  const dr = downsideRisk(returns, periodsPerYear, required);
  const num = (mean(returns) - required) * periodsPerYear;
  return num / dr;
}

/** A compounded return per labelled period, in order of first appearance. */
export interface PeriodReturns {
  /** Period label, e.g. '2024-03' (month) or '2024' (year). */
  labels: string[];
  /** r_p = Π_{t∈p} (1 + r_t) − 1. */
  returns: Float64Array;
  /** Number of input periods compounded into each. */
  counts: Int32Array;
  /** Index of the last input period of each group. */
  lastIndex: Int32Array;
}

/**
 * Compound returns into consecutive groups sharing a key: r_p = Π_{t∈p}(1 + r_t) − 1.
 * `key(date)` is applied to each date; dates are ascending so groups are contiguous.
 */
export function compoundBy(dates: readonly string[], returns: ArrayLike<number>, key: (date: string) => string): PeriodReturns {
  checkSameDates(dates, returns);
  return compoundGroups(dates.map(key), returns, dates);
}

/** Compound consecutive runs of equal labels (labels[t] is the group of period t). */
function compoundGroups(keys: readonly string[], returns: ArrayLike<number>, dates: readonly string[]): PeriodReturns {
  checkReturns(returns, 'returns', dates);
  const labels: string[] = [], out: number[] = [], counts: number[] = [], last: number[] = [];
  let w = 1, c = 0;
  for (let t = 0; t < returns.length; t++) {
    if (t > 0 && keys[t] !== keys[t - 1]) {
      labels.push(keys[t - 1]); out.push(w - 1); counts.push(c); last.push(t - 1);
      w = 1; c = 0;
    }
    w *= 1 + returns[t];
    c++;
  }
  if (returns.length > 0) { labels.push(keys[returns.length - 1]); out.push(w - 1); counts.push(c); last.push(returns.length - 1); }
  return { labels, returns: Float64Array.from(out), counts: Int32Array.from(counts), lastIndex: Int32Array.from(last) };
}

/** Calendar-month returns r_m = Π_{t∈m}(1 + r_t) − 1, labels 'yyyy-mm' (partial months included). */
export function monthlyReturns(dates: readonly string[], returns: ArrayLike<number>): PeriodReturns {
  return compoundBy(dates, returns, (d) => d.slice(0, 7));
}

/** Calendar-year returns r_y = Π_{t∈y}(1 + r_t) − 1, labels 'yyyy' (partial years included). */
export function yearlyReturns(dates: readonly string[], returns: ArrayLike<number>): PeriodReturns {
  return compoundBy(dates, returns, (d) => d.slice(0, 4));
}

/**
 * Compound returns into periods ending at `periodEnds` (ascending dates of the series):
 * period k = (end_{k−1}, end_k], the first from the first date; a stub after the last end (if
 * any) is its own period, labelled with the series' last date.
 */
export function compoundToPeriodEnds(dates: readonly string[], returns: ArrayLike<number>, periodEnds: readonly string[]): PeriodReturns {
  checkSameDates(dates, returns);
  let k = 0;
  // label each date with the first period end >= date
  const labelOf: string[] = new Array(dates.length);
  for (let t = 0; t < dates.length; t++) {
    while (k < periodEnds.length && periodEnds[k] < dates[t]) k++;
    labelOf[t] = k < periodEnds.length ? periodEnds[k] : dates[dates.length - 1];
  }
  return compoundGroups(labelOf, returns, dates);
}

function checkSameDates(dates: readonly string[], returns: ArrayLike<number>): void {
  if (dates.length !== returns.length) {
    throw new RotationError('METRIC_LENGTH_MISMATCH', `dates has ${dates.length} entries, returns ${returns.length}`, {},
      'pass one date per return');
  }
}
