/**
 * Significance of a claim about a strategy: is its monthly (rebalance-period) active return more
 * than luck, does it beat another strategy, does it survive the number of configurations tried,
 * and which of many factors survive multiple testing. The building blocks every comparison table
 * (notebooks 04, 05, 07, 08, the tear sheet, performance.csv) reports per strategy and window.
 *
 * Series are `PeriodSeries`: returns labelled by the END date of each period. Two series are
 * compared only on the SAME calendar (METRIC_CALENDAR_MISMATCH otherwise, naming the first date
 * that differs): aligning silently would compare different months.
 *
 * One home for each statistic: the t distribution is src/evaluate/studentT.ts, the Newey-West
 * estimator src/evaluate/neweyWest.ts, the deflated Sharpe src/metrics/significance.ts.
 */
import { RotationError } from '../errors.js';
import { neweyWestMinLength, neweyWestT } from '../evaluate/neweyWest.js';
import { studentTTwoSidedP } from '../stats/distributions.js';
import { MIN_WINDOW_PERIODS } from './conventions.js';
import { checkReturns, mean, sampleStd } from './returns.js';
import { deflatedSharpeRatio, type DeflatedSharpe, type TrialsSpec } from './significance.js';

/** A return series on a calendar of period-end dates (ISO, strictly ascending). */
export interface PeriodSeries {
  /** Shown in errors and tables. */
  readonly name?: string;
  readonly dates: readonly string[];
  readonly returns: ArrayLike<number>;
}

/**
 * Newey & West (1994) rule-of-thumb lag for a Bartlett kernel on T observations:
 *   L(T) = floor(4 (T/100)^(2/9)).
 * E.g. L(12) = L(24) = 2, L(60) = 3, L(120) = L(240) = 4, L(500) = 5.
 */
export function neweyWestRuleLag(T: number): number {
  if (!(T >= 1)) return 0;
  return Math.floor(4 * Math.pow(T / 100, 2 / 9));
}

/** Options of the active-return and difference tests. */
export interface ActiveTestOptions {
  /** Newey-West lag; default `neweyWestRuleLag(T)`. */
  lag?: number;
  /** Fewest periods accepted; default MIN_WINDOW_PERIODS (12, one year of months). Never below max(3, 2(L + 1)). */
  minPeriods?: number;
}

/** The t test of a mean per-period difference d_t (active return, or the difference of two strategies). */
export interface ActiveReturnTest {
  /** What was tested, e.g. "model − equal weight". */
  label: string;
  /** Number of periods T (degrees of freedom T − 1). */
  n: number;
  start: string;
  end: string;
  /** Mean per-period difference d̄ = (1/T) Σ d_t (per month on a monthly calendar, not annualized). */
  mean: number;
  /** std(d, ddof 1). */
  std: number;
  /** Plain t = d̄ / (std/√T) (iid). */
  t: number;
  /** Two-sided p of t, Student t with T − 1 df. */
  pValue: number;
  /** Newey-West lag L used. */
  lag: number;
  /** t_NW = d̄ / se_NW (Bartlett kernel, lag L; src/evaluate/neweyWest.ts). */
  tNeweyWest: number;
  /** Two-sided p of t_NW, Student t with T − 1 df. */
  pValueNeweyWest: number;
}

/** The name of a series for messages. */
function nameOf(s: PeriodSeries, fallback: string): string {
  return s.name ?? fallback;
}

/**
 * Throws METRIC_CALENDAR_MISMATCH unless a and b have exactly the same dates (the message names
 * the first position where they differ, or the lengths).
 */
export function assertSameCalendar(a: PeriodSeries, b: PeriodSeries): void {
  const na = nameOf(a, 'first series'), nb = nameOf(b, 'second series');
  if (a.dates.length !== a.returns.length || b.dates.length !== b.returns.length) {
    const s = a.dates.length !== a.returns.length ? a : b;
    throw new RotationError('METRIC_LENGTH_MISMATCH', `Series "${nameOf(s, 'series')}" has ${s.dates.length} dates but ${s.returns.length} returns`,
      { series: nameOf(s, 'series') }, 'pass one return per date');
  }
  const n = Math.min(a.dates.length, b.dates.length);
  for (let t = 0; t < n; t++) {
    if (a.dates[t] !== b.dates[t]) {
      throw new RotationError('METRIC_CALENDAR_MISMATCH',
        `"${na}" and "${nb}" are on different calendars: period ${t + 1} ends ${a.dates[t]} in "${na}" but ${b.dates[t]} in "${nb}"`,
        { position: t, [na]: a.dates[t], [nb]: b.dates[t] },
        'compare strategies backtested over the same window and rebalance calendar (same start, end and rebalance dates)');
    }
  }
  if (a.dates.length !== b.dates.length) {
    const longer = a.dates.length > b.dates.length ? a : b;
    throw new RotationError('METRIC_CALENDAR_MISMATCH',
      `"${na}" has ${a.dates.length} periods and "${nb}" ${b.dates.length}: "${nameOf(longer, 'series')}" continues to ${longer.dates[longer.dates.length - 1]}`,
      { [na]: a.dates.length, [nb]: b.dates.length, firstExtraDate: longer.dates[n] },
      'compare strategies backtested over the same window and rebalance calendar (same start, end and rebalance dates)');
  }
}

/**
 * The minimum number of periods a test with these options needs:
 * max(minPeriods (default 12), 3, 2(L + 1)) with L the lag at that length.
 */
export function activeTestMinPeriods(T: number, options: ActiveTestOptions = {}): number {
  const lag = options.lag ?? neweyWestRuleLag(T);
  return Math.max(options.minPeriods ?? MIN_WINDOW_PERIODS, 3, neweyWestMinLength(lag));
}

/** The paired t test of d_t = a_t − b_t (shared by activeReturnTest and differenceTest). */
function pairedTest(a: PeriodSeries, b: PeriodSeries, label: string, options: ActiveTestOptions): ActiveReturnTest {
  assertSameCalendar(a, b);
  const T = a.dates.length;
  checkReturns(a.returns, `returns of "${nameOf(a, 'first series')}"`, a.dates);
  checkReturns(b.returns, `returns of "${nameOf(b, 'second series')}"`, b.dates);
  const lag = options.lag ?? neweyWestRuleLag(T);
  if (!Number.isInteger(lag) || lag < 0) {
    throw new RotationError('METRIC_BAD_ARGUMENT', `Newey-West lag must be an integer >= 0, got ${lag}`, { argument: 'lag' },
      'omit lag for the Newey-West (1994) rule floor(4(T/100)^(2/9)), or pass a whole number of periods');
  }
  const min = activeTestMinPeriods(T, options);
  if (T < min) {
    throw new RotationError('METRIC_TOO_FEW_PERIODS',
      `${label}: ${T} period(s)${T > 0 ? ` (${a.dates[0]} to ${a.dates[T - 1]})` : ''}; a significance figure needs at least ${min} ` +
      `(the window minimum ${options.minPeriods ?? MIN_WINDOW_PERIODS}, and 2 x (lag + 1) = ${neweyWestMinLength(lag)} for Newey-West lag ${lag})`,
      { series: label, periods: T, minimum: min, lag },
      'use a longer window (move the split date, or start the backtest earlier), or report the figure as not available');
  }
  const d = new Float64Array(T);
  for (let t = 0; t < T; t++) d[t] = a.returns[t] - b.returns[t];
  const m = mean(d), sd = sampleStd(d);
  const tPlain = sd > 0 ? m / (sd / Math.sqrt(T)) : NaN;
  const nw = neweyWestT(d, lag);
  return {
    label, n: T, start: a.dates[0], end: a.dates[T - 1], mean: m, std: sd,
    t: tPlain, pValue: studentTTwoSidedP(tPlain, T - 1),
    lag, tNeweyWest: nw.t, pValueNeweyWest: studentTTwoSidedP(nw.t, T - 1),
  };
}

/**
 * Is the strategy's active return more than luck? With a_t = r_t − b_t over the T periods of the
 * common calendar (monthly for a month-end rebalanced backtest):
 *
 *   ā = (1/T) Σ a_t,  s = std(a, ddof 1),  t = ā/(s/√T),  p = P(|T_{T−1}| >= |t|) (Student t),
 *   t_NW = ā/√(S/T), S the Bartlett long-run variance of lag L = floor(4(T/100)^(2/9))
 *   (Newey & West 1994) unless given, p_NW with T − 1 df.
 *
 * Errors: METRIC_CALENDAR_MISMATCH (different dates), METRIC_TOO_FEW_PERIODS (fewer than
 * `activeTestMinPeriods`, named in the message), METRIC_RETURN_GAP (a non-finite return).
 */
export function activeReturnTest(strategy: PeriodSeries, benchmark: PeriodSeries, options: ActiveTestOptions = {}): ActiveReturnTest {
  return pairedTest(strategy, benchmark, `${nameOf(strategy, 'strategy')} − ${nameOf(benchmark, 'benchmark')}`, options);
}

/**
 * Does strategy A beat strategy B? The paired t of d_t = r^A_t − r^B_t, which equals the
 * difference of their active returns against any common benchmark ((r^A − b) − (r^B − b)):
 * the same statistics as `activeReturnTest` (plain t, Newey-West t, two-sided Student t p-values)
 * on d. Use it for "the model against the best baseline". Same errors as `activeReturnTest`.
 */
export function differenceTest(a: PeriodSeries, b: PeriodSeries, options: ActiveTestOptions = {}): ActiveReturnTest {
  return pairedTest(a, b, `${nameOf(a, 'A')} vs ${nameOf(b, 'B')}`, options);
}

/** A backtest's strategy and benchmark returns compounded into rebalance periods. */
export interface RebalanceSeries {
  strategy: PeriodSeries;
  benchmark: PeriodSeries;
  /** r_t − b_t per rebalance period. */
  active: PeriodSeries;
  periodsPerYear: number;
}

/**
 * Deflated Sharpe ratio of the ACTIVE return a_t = r_t − b_t (Bailey & López de Prado 2014):
 * DSR = PSR(SR*0) on a, SR*0 = expected maximum Sharpe of N trials (see `deflatedSharpeRatio`).
 * The per-period Sharpe of a is the per-period information ratio ā/std(a). `trials` must describe
 * the ACTIVE Sharpes of the configurations tried for this dataset (their count from the
 * experiment log, and the variance of their per-period active Sharpes, or the list of them).
 * Errors: METRIC_CALENDAR_MISMATCH, METRIC_TOO_FEW_PERIODS (T < max(12 or minPeriods, 3)),
 * METRIC_BAD_TRIALS, METRIC_RETURN_GAP.
 */
export function deflatedActiveSharpe(strategy: PeriodSeries, benchmark: PeriodSeries, trials: TrialsSpec,
  options: { minPeriods?: number } = {}): DeflatedSharpe {
  assertSameCalendar(strategy, benchmark);
  const T = strategy.dates.length, min = Math.max(options.minPeriods ?? MIN_WINDOW_PERIODS, 3);
  if (T < min) {
    throw new RotationError('METRIC_TOO_FEW_PERIODS',
      `Deflated Sharpe of "${nameOf(strategy, 'strategy')}" active returns: ${T} period(s); needs at least ${min}`,
      { series: nameOf(strategy, 'strategy'), periods: T, minimum: min }, 'use a longer window or report the figure as not available');
  }
  checkReturns(strategy.returns, 'strategy returns', strategy.dates);
  checkReturns(benchmark.returns, 'benchmark returns', benchmark.dates);
  const a = new Float64Array(T);
  for (let t = 0; t < T; t++) a[t] = strategy.returns[t] - benchmark.returns[t];
  return deflatedSharpeRatio(a, trials);
}

/** The two windows of a split: periods ending on or before the split date, and after it. */
export interface SplitWindows {
  splitDate: string;
  /** Positions [start, end) of the in-sample periods (dates <= splitDate). */
  inSample: { start: number; end: number; first: string; last: string };
  /** Positions [start, end) of the out-of-sample periods (dates > splitDate). */
  outOfSample: { start: number; end: number; first: string; last: string };
}

/**
 * Split a calendar of period-end dates at `splitDate`: in-sample = dates <= splitDate,
 * out-of-sample = dates > splitDate (a period ending on the split date is in-sample). A split that
 * leaves either window empty is METRIC_EMPTY_WINDOW (naming the split, the calendar's range and
 * the window); an unparseable or unsorted calendar is METRIC_BAD_ARGUMENT.
 */
export function splitWindows(dates: readonly string[], splitDate: string): SplitWindows {
  if (typeof splitDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(splitDate)) {
    throw new RotationError('METRIC_BAD_ARGUMENT', `Split date must be an ISO date yyyy-mm-dd, got "${String(splitDate)}"`,
      { argument: 'splitDate' }, 'pass e.g. "2019-12-31"');
  }
  for (let t = 1; t < dates.length; t++) {
    if (!(dates[t] > dates[t - 1])) {
      throw new RotationError('METRIC_BAD_ARGUMENT', `Dates are not strictly ascending at ${dates[t]} (position ${t})`,
        { position: t, date: dates[t] }, 'pass the period-end dates in order, each once');
    }
  }
  let k = 0;
  while (k < dates.length && dates[k] <= splitDate) k++;
  const T = dates.length;
  const range = T > 0 ? `${dates[0]} to ${dates[T - 1]}` : 'no dates';
  if (k === 0 || k === T) {
    const empty = k === 0 ? 'in-sample (dates <= split)' : 'out-of-sample (dates > split)';
    throw new RotationError('METRIC_EMPTY_WINDOW',
      `Split date ${splitDate} leaves the ${empty} window empty: the periods run ${range}`,
      { splitDate, window: k === 0 ? 'in-sample' : 'out-of-sample', first: dates[0] ?? '', last: dates[T - 1] ?? '', periods: T },
      T > 1 ? `choose a split date on or after ${dates[0]} and before ${dates[T - 1]}` : 'use a longer history');
  }
  return {
    splitDate,
    inSample: { start: 0, end: k, first: dates[0], last: dates[k - 1] },
    outOfSample: { start: k, end: T, first: dates[k], last: dates[T - 1] },
  };
}

/** A series restricted to positions [start, end) (a window of `splitWindows`). */
export function sliceSeries(s: PeriodSeries, window: { start: number; end: number }): PeriodSeries {
  return { name: s.name, dates: s.dates.slice(window.start, window.end), returns: Array.prototype.slice.call(s.returns, window.start, window.end) as number[] };
}

/** The in-sample and out-of-sample parts of a series split at `splitDate` (see splitWindows). */
export function splitSeries(s: PeriodSeries, splitDate: string): { inSample: PeriodSeries; outOfSample: PeriodSeries; windows: SplitWindows } {
  const w = splitWindows(s.dates, splitDate);
  return { inSample: sliceSeries(s, w.inSample), outOfSample: sliceSeries(s, w.outOfSample), windows: w };
}

/** One window of a split comparison. */
export interface WindowTest {
  window: 'whole sample' | 'in-sample' | 'out-of-sample';
  test: ActiveReturnTest;
}

/**
 * `activeReturnTest` of strategy vs benchmark over the whole sample, in-sample (dates <= split)
 * and out-of-sample (dates > split), in that order. The calendars are checked first
 * (METRIC_CALENDAR_MISMATCH), then the split (METRIC_EMPTY_WINDOW); a window shorter than the
 * minimum is METRIC_TOO_FEW_PERIODS naming the window and the minimum.
 */
export function activeTestsByWindow(strategy: PeriodSeries, benchmark: PeriodSeries, splitDate: string, options: ActiveTestOptions = {}): WindowTest[] {
  return testsByWindow(strategy, benchmark, splitDate, options, activeReturnTest);
}

/** `differenceTest` of A vs B over the whole sample, in-sample and out-of-sample (see activeTestsByWindow). */
export function differenceTestsByWindow(a: PeriodSeries, b: PeriodSeries, splitDate: string, options: ActiveTestOptions = {}): WindowTest[] {
  return testsByWindow(a, b, splitDate, options, differenceTest);
}

function testsByWindow(a: PeriodSeries, b: PeriodSeries, splitDate: string, options: ActiveTestOptions,
  fn: (x: PeriodSeries, y: PeriodSeries, o: ActiveTestOptions) => ActiveReturnTest): WindowTest[] {
  assertSameCalendar(a, b);
  const w = splitWindows(a.dates, splitDate);
  const out: WindowTest[] = [{ window: 'whole sample', test: fn(a, b, options) }];
  for (const [window, range] of [['in-sample', w.inSample], ['out-of-sample', w.outOfSample]] as const) {
    const sa = sliceSeries(a, range), sb = sliceSeries(b, range);
    try {
      out.push({ window, test: fn(sa, sb, options) });
    } catch (e) {
      if (e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS') {
        throw new RotationError('METRIC_TOO_FEW_PERIODS', `${window} window (${range.first} to ${range.last}, split ${splitDate}): ${e.message}`,
          { ...e.where, window, splitDate }, 'move the split date so both windows have at least the minimum, or report the window as not available');
      }
      throw e;
    }
  }
  return out;
}
