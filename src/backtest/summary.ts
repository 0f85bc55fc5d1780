/**
 * Summaries of a backtest: its series on a basis (daily, or compounded into rebalance periods
 * with the calendar's own periods per year), the conventions-table summary of that series, and
 * the rebalance-period strategy / benchmark / active series and their significance test.
 * (The metric definitions live in src/metrics/; this is where a BacktestResult meets them.)
 */
import { RotationError } from '../errors.js';
import { compoundToPeriodEnds } from '../metrics/returns.js';
import { summarizeReturns, type PerformanceSummary, type SummaryOptions } from '../metrics/tables.js';
import { activeReturnTest, type ActiveReturnTest, type ActiveTestOptions, type PeriodSeries, type RebalanceSeries } from '../metrics/activeSignificance.js';
import { windowRebalancePeriods } from './engine.js';
import type { BacktestResult } from './types.js';

export type SummaryBasis = 'daily' | 'rebalance';

export interface BacktestSummaryOptions extends SummaryOptions {
  /** 'daily' (default): the daily series with bt.periodsPerYear; 'rebalance': compounded into rebalance periods with bt.rebalancePeriodsPerYear. */
  basis?: SummaryBasis;
  /** Summarize the benchmark itself (relative metrics NaN) instead of the strategy. */
  benchmark?: boolean;
}

/** The series of a backtest on a basis: dates, r, b, gross and P. */
export function backtestSeries(bt: BacktestResult, basis: SummaryBasis = 'daily'): {
  dates: string[]; returns: Float64Array; benchmarkReturns: Float64Array; grossReturns: Float64Array; periodsPerYear: number; basis: string;
} {
  if (basis === 'daily') {
    return { dates: bt.dates, returns: bt.returns, benchmarkReturns: bt.benchmarkReturns, grossReturns: bt.grossReturns, periodsPerYear: bt.periodsPerYear, basis: 'daily' };
  }
  if (basis !== 'rebalance') {
    throw new RotationError('METRIC_BAD_BASIS', `Unknown basis "${String(basis)}"`, {}, "use 'daily' or 'rebalance'");
  }
  const ends = bt.rebalanceDates.filter((d) => d > bt.originDate);
  const r = compoundToPeriodEnds(bt.dates, bt.returns, ends);
  const b = compoundToPeriodEnds(bt.dates, bt.benchmarkReturns, ends);
  const g = compoundToPeriodEnds(bt.dates, bt.grossReturns, ends);
  return { dates: r.labels, returns: r.returns, benchmarkReturns: b.returns, grossReturns: g.returns, periodsPerYear: bt.rebalancePeriodsPerYear, basis: 'rebalance periods' };
}

/**
 * Summarize a backtest (see summarizeReturns) on the daily series or on rebalance periods.
 * Turnover = Σ one-way turnover of the trades after the initial build / (T / P); the window
 * length for the minimum-window rule is counted in rebalance periods.
 */
export function summarizeBacktest(bt: BacktestResult, options: BacktestSummaryOptions = {}): PerformanceSummary {
  const s = backtestSeries(bt, options.basis ?? 'daily');
  let turnoverSum = 0;
  for (const rec of bt.rebalances) if (!rec.initial) turnoverSum += rec.turnover;
  const windowPeriods = windowRebalancePeriods(bt);
  if (options.benchmark) {
    return summarizeReturns({
      name: bt.benchmarkName, benchmarkName: bt.benchmarkName, dates: s.dates, returns: s.benchmarkReturns, benchmarkReturns: s.benchmarkReturns,
      periodsPerYear: s.periodsPerYear, originDate: bt.originDate, basis: s.basis, windowPeriods, isBenchmark: true,
    }, { ...options, trials: undefined });
  }
  return summarizeReturns({
    name: bt.name, benchmarkName: bt.benchmarkName, dates: s.dates, returns: s.returns, benchmarkReturns: s.benchmarkReturns,
    periodsPerYear: s.periodsPerYear, originDate: bt.originDate, basis: s.basis, grossReturns: s.grossReturns, turnoverSum, windowPeriods,
  }, options);
}

/**
 * The rebalance-period (monthly for month-end rebalancing) returns of a backtest, from
 * `backtestSeries(bt, 'rebalance')`: r_k = Π_{days in period k}(1 + r_d) − 1 and the same for the
 * benchmark, labelled at each period end; active a_k = r_k − b_k (arithmetic, as meanExcessT).
 * As `backtestSeries`, a partial last period (days after the last rebalance date) is a period of
 * its own, labelled at the last day; drop it with `sliceSeries` if a table must hold whole months.
 */
export function rebalancePeriodSeries(bt: BacktestResult): RebalanceSeries {
  const s = backtestSeries(bt, 'rebalance');
  const active = new Float64Array(s.returns.length);
  for (let k = 0; k < active.length; k++) active[k] = s.returns[k] - s.benchmarkReturns[k];
  return {
    strategy: { name: bt.name, dates: s.dates, returns: s.returns },
    benchmark: { name: bt.benchmarkName, dates: s.dates, returns: s.benchmarkReturns },
    active: { name: `${bt.name} − ${bt.benchmarkName}`, dates: s.dates, returns: active },
    periodsPerYear: s.periodsPerYear,
  };
}

/** `activeReturnTest` of a backtest against its own benchmark, on rebalance periods. */
export function backtestActiveTest(bt: BacktestResult, options: ActiveTestOptions = {}): ActiveReturnTest {
  const s = rebalancePeriodSeries(bt);
  return activeReturnTest(s.strategy, s.benchmark, options);
}

