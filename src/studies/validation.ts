/**
 * The validation study of notebook 05 as plain data: every strategy of the modeling study
 * backtested by `runModel` (daily, the spec's costs, equal-weight benchmark), a declared
 * in-sample / out-of-sample split (the spec's), cost sensitivity, and robustness variants — each a
 * spec variant (top-k, rebalance every other month, a factor family dropped) run through the same
 * model layer, so each is annualized with its own calendar's periods per year.
 */
import { getFactor } from '../factors/registry.js';
import type { BacktestResult } from '../backtest/types.js';
import { splitBacktest } from '../backtest/walkForward.js';
import { costSensitivity, type CostSensitivityRow } from '../backtest/sensitivity.js';
import { type PerformanceSummary } from '../metrics/tables.js';
import { summarizeBacktest } from '../backtest/summary.js';
import type { MetricKey } from '../metrics/conventions.js';
import { runModel, type ModelRun } from '../model/run.js';
import type { ModelContext } from '../model/context.js';
import { variantOf, type ModelSpec } from '../model/spec.js';
import type { AllocationRun } from './modeling.js';
import { activeSharpes, backtestSignificanceRows, type SignificanceRow } from '../backtest/significanceRows.js';

export { bestBaselineName, type SignificanceRow } from '../backtest/significanceRows.js';

/** The backtests of a set of runs, in order. */
export function backtestRuns(runs: readonly AllocationRun[]): BacktestResult[] {
  return runs.map((r) => r.run.backtest);
}

/** The metrics shown in comparison tables. */
export const HEADLINE_METRICS: readonly MetricKey[] = ['cagr', 'excessCagr', 'arithmeticExcess', 'trackingError', 'informationRatio',
  'sharpe', 'maxDrawdown', 'excessMaxDrawdown', 'monthlyWinRate', 'turnover', 'costDrag'];

/** Numeric headline row of a summary (fractions; NaN where unavailable), ending with its window "first..last". */
export function headlineRow(label: string, s: PerformanceSummary): Record<string, string | number> {
  const row: Record<string, string | number> = { strategy: label };
  for (const k of HEADLINE_METRICS) row[k] = s.values[k];
  row.window = `${s.originDate}..${s.end}`;
  return row;
}

/** Headline rows of backtests on the rebalance basis (each with its calendar's periods per year). */
export function comparisonRows(bts: readonly BacktestResult[]): Record<string, string | number>[] {
  return bts.map((bt) => headlineRow(bt.name, summarizeBacktest(bt, { basis: 'rebalance' })));
}

/** In-sample (through `split`) and out-of-sample rows for each backtest, rebalance basis. */
export function splitRows(bts: readonly BacktestResult[], split: string): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  for (const bt of bts) {
    const { inSample, outOfSample } = splitBacktest(bt, split);
    out.push({ sample: `in-sample (to ${split})`, ...headlineRow(bt.name, summarizeBacktest(inSample, { basis: 'rebalance' })) });
    if (outOfSample) out.push({ sample: `out-of-sample (after ${split})`, ...headlineRow(bt.name, summarizeBacktest(outOfSample, { basis: 'rebalance' })) });
  }
  return out;
}

/**
 * Significance of every run's active return per rebalance period (monthly), per window — whole
 * sample, in-sample (periods ending <= split), out-of-sample — with the t of the difference
 * against the BEST BASELINE, the baseline with the highest IN-SAMPLE mean active return (chosen
 * without reading the out-of-sample window). Columns: strategy, kind, window, first, last,
 * periods, meanActive, tActive, tNeweyWest, pActive, bestBaseline, meanVsBestBaseline,
 * tVsBestBaseline, pVsBestBaseline, note (src/backtest/significanceRows.ts). Runs on different
 * calendars: METRIC_CALENDAR_MISMATCH; a split leaving a window empty: METRIC_EMPTY_WINDOW.
 */
export function significanceRows(runs: readonly AllocationRun[], split: string): SignificanceRow[] {
  return backtestSignificanceRows(runs.map((r) => ({ backtest: r.run.backtest, kind: r.kind })), split);
}

/** The whole-sample significance columns of performance.csv, keyed by strategy name. */
export const PERFORMANCE_SIGNIFICANCE_COLUMNS = ['meanActive', 'tActive', 'tNeweyWest', 'pActive', 'tVsBestBaseline', 'pVsBestBaseline'] as const;

/**
 * performance.csv rows: comparisonRows (strategy, HEADLINE_METRICS, window) followed by the
 * whole-sample significance columns of `significanceRows` and the best baseline's name.
 */
export function performanceRows(runs: readonly AllocationRun[], split: string): Record<string, string | number>[] {
  const sig = significanceRows(runs, split).filter((r) => r.window === 'whole sample');
  return comparisonRows(runs.map((r) => r.run.backtest)).map((row, k) => {
    const s = sig[k];
    const out: Record<string, string | number> = { ...row };
    for (const c of PERFORMANCE_SIGNIFICANCE_COLUMNS) out[c] = s[c];
    out.bestBaseline = s.bestBaseline;
    return out;
  });
}

/** A run's weights at 0, 10, 20 and 50 bps per unit traded (same calendar, same execution). */
export function costRows(ctx: ModelContext, run: ModelRun): CostSensitivityRow[] {
  return costSensitivity({ name: run.spec.name, close: ctx.ds.industryBars.close, weights: run.weights, rebalance: run.rebalance, execution: run.spec.execution,
    open: run.spec.execution === 'next-open' ? ctx.ds.industryBars.open : undefined }, [0, 10, 20, 50], { basis: 'rebalance' }).rows;
}

/**
 * The robustness variants of a top-k model spec, each a spec: k ∈ {3, 5, 8}; rebalancing every
 * other scored month end (k = 5, periods per year 6); and the composite without each factor family
 * in turn (k = 5).
 */
export function robustnessSpecs(ctx: ModelContext, base: ModelSpec): { variant: string; spec: ModelSpec }[] {
  const out: { variant: string; spec: ModelSpec }[] = [];
  for (const k of [3, 5, 8]) out.push({ variant: `top-${k}, monthly`, spec: variantOf(base, { name: `top-${k}`, allocator: { name: 'top-k', k } }) });
  out.push({ variant: 'top-5, every other month', spec: variantOf(base, { name: 'top-5 bi-monthly', allocator: { name: 'top-k', k: 5 }, calendar: { ...base.calendar, every: 2 } }) });
  const names = [...ctx.study(base.calendar.frequency).batch.results.keys()].filter((n) => base.factors === 'all' || base.factors.some((f) => f.id === n));
  const families = [...new Set(names.map((n) => getFactor(n).family))];
  if (families.length > 1) {
    for (const fam of families) {
      const kept = names.filter((n) => getFactor(n).family !== fam).map((id) => ({ id }));
      out.push({ variant: `top-5 without ${fam}`, spec: variantOf(base, { name: `without ${fam}`, allocator: { name: 'top-k', k: 5 }, factors: kept }) });
    }
  }
  return out;
}

/** Robustness of a top-k model spec (robustnessSpecs), each variant run through runModel, one headline row each. */
export function robustnessRows(ctx: ModelContext, base: ModelSpec): Record<string, string | number>[] {
  return robustnessSpecs(ctx, base).map(({ variant, spec }) => ({ variant, ...headlineRow(spec.name, summarizeBacktest(runModel(spec, ctx).backtest, { basis: 'rebalance' })) }));
}

/**
 * Trials for the deflated Sharpe ratio of ACTIVE returns: the per-period (rebalance period, not
 * annualized) information ratio mean(a)/std(a, ddof 1), a = r − b per rebalance period, of every
 * configuration backtested (src/backtest/significanceRows.ts activeSharpes). Pair it with the
 * number of configurations tried on the dataset from the run log: see `runLogTrials`.
 */
export function trialSharpes(bts: readonly BacktestResult[]): { sharpes: Float64Array } {
  return { sharpes: activeSharpes(bts) };
}

/**
 * Trials of the deflated active Sharpe: N = the number of configurations tried on the dataset
 * (from the run log, at least the backtests given), V = the sample variance of the active
 * per-period Sharpes of `bts` (the configurations whose returns are at hand stand in for all N).
 */
export function runLogTrials(bts: readonly BacktestResult[], triedOnDataset: number): { count: number; sharpeVariance: number } {
  const sr = Array.from(activeSharpes(bts)).filter((v) => Number.isFinite(v));
  const m = sr.reduce((a, v) => a + v, 0) / sr.length;
  const v = sr.length > 1 ? sr.reduce((a, x) => a + (x - m) * (x - m), 0) / (sr.length - 1) : 0;
  return { count: Math.max(triedOnDataset, bts.length), sharpeVariance: v };
}
