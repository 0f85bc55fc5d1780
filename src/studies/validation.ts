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

/** The backtests of a set of runs, in order. */
export function backtestRuns(runs: readonly AllocationRun[]): BacktestResult[] {
  return runs.map((r) => r.run.backtest);
}

/** The metrics shown in comparison tables. */
export const HEADLINE_METRICS: readonly MetricKey[] = ['cagr', 'excessCagr', 'arithmeticExcess', 'trackingError', 'informationRatio',
  'sharpe', 'maxDrawdown', 'excessMaxDrawdown', 'monthlyWinRate', 'turnover', 'costDrag'];

/** Numeric headline row of a summary (fractions; NaN where unavailable). */
export function headlineRow(label: string, s: PerformanceSummary): Record<string, string | number> {
  const row: Record<string, string | number> = { strategy: label };
  for (const k of HEADLINE_METRICS) row[k] = s.values[k];
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

/** A run's weights at 0, 10, 20 and 50 bps per unit traded (same calendar, same execution). */
export function costRows(ctx: ModelContext, run: ModelRun): CostSensitivityRow[] {
  return costSensitivity({ name: run.spec.name, close: ctx.ds.industryBars.close, weights: run.weights, rebalance: run.rebalance, execution: run.spec.execution,
    open: run.spec.execution === 'next-open' ? ctx.ds.industryBars.open : undefined }, [0, 10, 20, 50], { basis: 'rebalance' }).rows;
}

/**
 * Robustness of a top-k model spec, each variant a spec run through runModel: k ∈ {3, 5, 8};
 * rebalancing every other scored month end (k = 5, periods per year 6); and the composite without
 * each factor family in turn (k = 5).
 */
export function robustnessRows(ctx: ModelContext, base: ModelSpec): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  const add = (variant: string, spec: ModelSpec) => {
    const r = runModel(spec, ctx);
    rows.push({ variant, ...headlineRow(spec.name, summarizeBacktest(r.backtest, { basis: 'rebalance' })) });
  };
  for (const k of [3, 5, 8]) add(`top-${k}, monthly`, variantOf(base, { name: `top-${k}`, allocator: { name: 'top-k', k } }));
  add('top-5, every other month', variantOf(base, { name: 'top-5 bi-monthly', allocator: { name: 'top-k', k: 5 }, calendar: { ...base.calendar, every: 2 } }));
  const names = [...ctx.study(base.calendar.frequency).batch.results.keys()].filter((n) => base.factors === 'all' || base.factors.some((f) => f.id === n));
  const families = [...new Set(names.map((n) => getFactor(n).family))];
  if (families.length > 1) {
    for (const fam of families) {
      const kept = names.filter((n) => getFactor(n).family !== fam).map((id) => ({ id }));
      add(`top-5 without ${fam}`, variantOf(base, { name: `without ${fam}`, allocator: { name: 'top-k', k: 5 }, factors: kept }));
    }
  }
  return rows;
}

/**
 * Trials for the deflated Sharpe ratio: the per-period (daily, not annualized) Sharpe ratio
 * mean(r)/std(r, ddof 1) of every configuration backtested.
 */
export function trialSharpes(bts: readonly BacktestResult[]): { sharpes: Float64Array } {
  return {
    sharpes: Float64Array.from(bts, (bt) => {
      const r = Array.from(bt.returns).filter((v) => !Number.isNaN(v));
      const m = r.reduce((s, v) => s + v, 0) / r.length;
      const sd = Math.sqrt(r.reduce((s, v) => s + (v - m) * (v - m), 0) / (r.length - 1));
      return sd > 0 ? m / sd : NaN;
    }),
  };
}
