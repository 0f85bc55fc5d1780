/**
 * Summaries and tables of a return stream against its benchmark: every metric of the conventions
 * table with a reason when it is NaN, the per-year table, the monthly excess grid, and the metric
 * table rows a report displays. A backtest is summarized by src/backtest/summary.ts; metric table
 * rows for display are built by src/report/metricTable.ts.
 */
import { RotationError } from '../errors.js';
import { METRIC_DEFINITIONS, MIN_WINDOW_PERIODS, type MetricKey } from './conventions.js';
import { calmarRatio, maxDrawdown, maxDrawdownEpisode, type DrawdownEpisode } from './drawdown.js';
import {
  arithmeticExcess, excessCagr, informationRatio, monthlyWinRate, relativeReturns, trackingError,
} from './relative.js';
import {
  annualMean, annualVolatility, cagr, checkPeriodsPerYear, checkReturns, checkSameLength, compoundToPeriodEnds,
  downsideRisk, firstNonPositiveWealth, monthlyReturns, sharpeRatio, sortinoRatio, totalReturn, yearlyReturns,
} from './returns.js';
import {
  deflatedSharpeRatio, meanExcessT, probabilisticSharpeRatio,
  type DeflatedSharpe, type MeanExcessTest, type SharpeInference, type TrialsSpec,
} from './significance.js';

export interface SummaryInput {
  name: string;
  benchmarkName?: string;
  /** Date of each period (its end). */
  dates: readonly string[];
  returns: ArrayLike<number>;
  benchmarkReturns: ArrayLike<number>;
  periodsPerYear: number;
  /** Label of W_0 (the close before the first period); default 'start'. */
  originDate?: string;
  /** Describes the periods, e.g. 'daily' (shown in footers). */
  basis?: string;
  /** Returns before costs, for the cost drag. */
  grossReturns?: ArrayLike<number>;
  /** Σ one-way turnover over the trades after the initial build, for annualized turnover. */
  turnoverSum?: number;
  /** Rebalance periods in the window (default: the number of periods). */
  windowPeriods?: number;
  /** Set when the series is the benchmark itself: relative metrics are NaN ("benchmark"). */
  isBenchmark?: boolean;
}

export interface SummaryOptions {
  /** Configurations tried before this one, for the deflated Sharpe (NaN with a reason without). */
  trials?: TrialsSpec;
  /** Window (rebalance periods) below which marked metrics are NaN; default MIN_WINDOW_PERIODS = 12. */
  minWindowPeriods?: number;
}

export interface PerformanceSummary {
  name: string;
  benchmarkName: string;
  basis: string;
  periodsPerYear: number;
  originDate: string;
  start: string;
  end: string;
  /** Number of periods T. */
  nPeriods: number;
  /** Rebalance periods in the window. */
  windowPeriods: number;
  /** Every metric of METRIC_DEFINITIONS (kind 'metric'); NaN when not available. */
  values: Record<MetricKey, number>;
  /** Why a metric is NaN (short window, ruin, no trials, benchmark itself, zero variance). */
  reasons: Partial<Record<MetricKey, string>>;
  maxDrawdown: DrawdownEpisode | null;
  excessMaxDrawdown: DrawdownEpisode | null;
  meanExcess: MeanExcessTest;
  psr: SharpeInference;
  dsr: DeflatedSharpe | null;
  /** Wealth ≤ 0 (strategy or benchmark): date and wealth. */
  ruin: { series: 'strategy' | 'benchmark'; date: string; wealth: number }[];
}

function wealthAt(r: ArrayLike<number>, t: number): number {
  let w = 1;
  for (let s = 0; s <= t; s++) w *= 1 + r[s];
  return w;
}

/**
 * Summarize a return stream r against a benchmark b (same periods): every `kind: 'metric'` entry
 * of METRIC_DEFINITIONS, by the formula stated there. NaN values carry a reason:
 *  - window shorter than `minWindowPeriods` rebalance periods → the metrics marked with a minimum;
 *  - wealth ≤ 0 → CAGR, Calmar, excess CAGR, cost drag (no power or log of a non-positive wealth);
 *  - no trials → DSR; the benchmark itself → relative metrics; zero variance → ratios.
 * Errors: METRIC_RETURN_GAP, METRIC_LENGTH_MISMATCH, METRIC_BAD_PERIODS_PER_YEAR.
 */
export function summarizeReturns(input: SummaryInput, options: SummaryOptions = {}): PerformanceSummary {
  const { dates, returns: r, benchmarkReturns: b, periodsPerYear: P } = input;
  checkPeriodsPerYear(P, 'summarizeReturns');
  checkSameLength(r, b);
  checkSameLength(dates as unknown as ArrayLike<number>, r, 'dates and returns');
  checkReturns(r, 'strategy returns', dates);
  checkReturns(b, 'benchmark returns', dates);
  if (r.length === 0) {
    throw new RotationError('METRIC_EMPTY', `Return series "${input.name}" is empty`, { series: input.name }, 'summarize a window with at least one period');
  }
  const origin = input.originDate ?? 'start';
  const T = r.length;
  const windowPeriods = input.windowPeriods ?? T;
  const minWin = options.minWindowPeriods ?? MIN_WINDOW_PERIODS;
  const values = {} as Record<MetricKey, number>;
  const reasons: Partial<Record<MetricKey, string>> = {};
  const ruin: PerformanceSummary['ruin'] = [];
  const ruinR = firstNonPositiveWealth(r), ruinB = firstNonPositiveWealth(b);
  if (ruinR >= 0) ruin.push({ series: 'strategy', date: dates[ruinR], wealth: wealthAt(r, ruinR) });
  if (ruinB >= 0) ruin.push({ series: 'benchmark', date: dates[ruinB], wealth: wealthAt(b, ruinB) });
  const ruinReason = (which: 'strategy' | 'benchmark'): string => {
    const x = ruin.find((z) => z.series === which)!;
    return `${which} wealth ≤ 0 on ${x.date} (W = ${x.wealth.toPrecision(4)}): no growth rate (no power or log of a non-positive wealth)`;
  };

  const set = (key: MetricKey, fn: () => number, reason?: string): void => {
    if (reason) { values[key] = NaN; reasons[key] = reason; return; }
    const v = fn();
    values[key] = v;
    if (Number.isNaN(v)) reasons[key] ??= T < 2 ? 'needs at least 2 periods' : 'undefined (zero variance or no drawdown)';
  };
  const rel = !input.isBenchmark;
  const benchReason = input.isBenchmark ? 'the benchmark itself' : undefined;
  const ruinedR = ruinR >= 0 ? ruinReason('strategy') : undefined;
  const ruinedB = ruinB >= 0 ? ruinReason('benchmark') : undefined;

  set('totalReturn', () => totalReturn(r));
  set('cagr', () => cagr(r, P), ruinedR);
  set('annualMean', () => annualMean(r, P));
  set('volatility', () => annualVolatility(r, P));
  set('sharpe', () => sharpeRatio(r, P));
  set('downsideRisk', () => downsideRisk(r, P));
  set('sortino', () => sortinoRatio(r, P));
  set('maxDrawdown', () => maxDrawdown(r));
  set('calmar', () => calmarRatio(r, P), ruinedR);
  set('excessCagr', () => excessCagr(r, b, P), benchReason ?? ruinedR ?? ruinedB);
  set('arithmeticExcess', () => arithmeticExcess(r, b, P), benchReason);
  set('trackingError', () => trackingError(r, b, P), benchReason);
  set('informationRatio', () => informationRatio(r, b, P), benchReason);
  set('excessMaxDrawdown', () => maxDrawdown(relativeReturns(r, b, dates)), benchReason ?? ruinedB);
  set('monthlyWinRate', () => monthlyWinRate(dates, r, b), benchReason);
  if (input.turnoverSum === undefined) set('turnover', () => NaN, benchReason ?? 'no trade record (not a backtest)');
  else set('turnover', () => input.turnoverSum! / (T / P));
  if (input.grossReturns === undefined) set('costDrag', () => NaN, benchReason ?? 'no gross returns (not a backtest)');
  else {
    const g = input.grossReturns;
    checkSameLength(g, r, 'gross and net');
    const ruinedG = firstNonPositiveWealth(g) >= 0 ? 'gross wealth ≤ 0: no growth rate' : undefined;
    set('costDrag', () => cagr(g, P) - cagr(r, P), ruinedR ?? ruinedG);
  }
  const meanExcess = meanExcessT(r, b);
  set('meanExcessT', () => meanExcess.t, benchReason);
  const psr = probabilisticSharpeRatio(r, 0);
  set('psr', () => psr.probability);
  let dsr: DeflatedSharpe | null = null;
  if (options.trials) {
    dsr = deflatedSharpeRatio(r, options.trials);
    set('dsr', () => dsr!.deflated);
  } else {
    set('dsr', () => NaN, benchReason ?? 'number of configurations tried not given (pass trials)');
  }

  if (windowPeriods < minWin) {
    for (const d of METRIC_DEFINITIONS) {
      if (d.kind !== 'metric' || d.minWindowPeriods === 0) continue;
      const k = d.key as MetricKey;
      if (reasons[k] && Number.isNaN(values[k]) && !/window/.test(reasons[k]!)) {
        // keep the more specific reason, add the window one
        reasons[k] = `${reasons[k]}; window has ${windowPeriods} rebalance periods, needs ≥ ${minWin}`;
      } else {
        reasons[k] = `window has ${windowPeriods} rebalance periods, needs ≥ ${minWin}`;
      }
      values[k] = NaN;
    }
  }

  return {
    name: input.name,
    benchmarkName: input.benchmarkName ?? 'benchmark',
    basis: input.basis ?? 'periods',
    periodsPerYear: P,
    originDate: origin,
    start: dates[0],
    end: dates[T - 1],
    nPeriods: T,
    windowPeriods,
    values,
    reasons,
    maxDrawdown: maxDrawdownEpisode(r, dates, origin),
    excessMaxDrawdown: rel && ruinB < 0 ? maxDrawdownEpisode(relativeReturns(r, b, dates), dates, origin) : null,
    meanExcess,
    psr,
    dsr,
    ruin,
  };
}

export interface AnnualRow {
  year: string;
  /** Periods in the year (partial first / last years have fewer). */
  periods: number;
  /** r_y = Π_{t∈y}(1 + r_t) − 1. */
  strategy: number;
  benchmark: number;
  /** r_y − b_y. */
  excess: number;
  /** Max drawdown within the year (wealth reset to 1 at the year start). */
  maxDrawdown: number;
  /** Excess max drawdown within the year (relative wealth reset to 1). */
  excessMaxDrawdown: number;
  /** Annualized IR within the year (NaN with fewer than 2 periods). */
  informationRatio: number;
}

/** Per-calendar-year table: compounded strategy and benchmark returns, excess r_y − b_y, drawdowns and IR within the year. */
export function annualTable(dates: readonly string[], r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): AnnualRow[] {
  checkPeriodsPerYear(periodsPerYear, 'annualTable');
  const ry = yearlyReturns(dates, r), by = yearlyReturns(dates, b);
  const out: AnnualRow[] = [];
  let start = 0;
  for (let k = 0; k < ry.labels.length; k++) {
    const end = ry.lastIndex[k] + 1;
    const rs = Array.prototype.slice.call(r, start, end) as number[];
    const bs = Array.prototype.slice.call(b, start, end) as number[];
    out.push({
      year: ry.labels[k], periods: ry.counts[k], strategy: ry.returns[k], benchmark: by.returns[k], excess: ry.returns[k] - by.returns[k],
      maxDrawdown: maxDrawdown(rs), excessMaxDrawdown: maxDrawdown(relativeReturns(rs, bs)), informationRatio: informationRatio(rs, bs, periodsPerYear),
    });
    start = end;
  }
  return out;
}

export interface MonthlyGrid {
  years: string[];
  months: string[];
  /** values[y][m] = r_m − b_m for year y, month m (0 = January); NaN when the month is outside the window. */
  values: Float64Array[];
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Monthly excess grid (year x month): cell = r_m − b_m with r_m = Π_{t∈m}(1 + r_t) − 1. */
export function monthlyExcessGrid(dates: readonly string[], r: ArrayLike<number>, b: ArrayLike<number>): MonthlyGrid {
  const rm = monthlyReturns(dates, r), bm = monthlyReturns(dates, b);
  const years: string[] = [];
  const values: Float64Array[] = [];
  for (let k = 0; k < rm.labels.length; k++) {
    const y = rm.labels[k].slice(0, 4), m = Number(rm.labels[k].slice(5, 7)) - 1;
    if (years[years.length - 1] !== y) { years.push(y); values.push(new Float64Array(12).fill(NaN)); }
    values[values.length - 1][m] = rm.returns[k] - bm.returns[k];
  }
  return { years, months: MONTH_NAMES.slice(), values };
}
