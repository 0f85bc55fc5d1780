/**
 * The validation study of notebook 05 as plain data: every allocator of the modeling study
 * backtested on daily industry returns with the same costs, a declared in-sample / out-of-sample
 * split, cost sensitivity, and robustness variants (top-k, rebalance frequency, factor-family
 * ablation). All scores are causal (see causalComposite).
 */
import type { Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import type { FactorStudy } from '../evaluate/study.js';
import { getFactor } from '../factors/registry.js';
import { runBacktest } from './engine.js';
import type { BacktestResult } from './types.js';
import { splitBacktest } from './walkForward.js';
import { costSensitivity, type CostSensitivityRow } from './sensitivity.js';
import { summarizeBacktest, type PerformanceSummary } from '../metrics/tables.js';
import type { MetricKey } from '../metrics/conventions.js';
import { availableIndustries, causalComposite, dailyReturns, scoredDates, walkWeights, type AllocationRun } from '../portfolio/study.js';
import { scoreAllocator } from '../portfolio/weights.js';
import { walkAllocator } from '../portfolio/walk.js';

/** Costs charged in every backtest of the study unless stated: 10 bps per unit traded. */
export const STUDY_COST_BPS = 10;

/** Backtest of target weights (rebalance dates x industries) on the dataset's daily closes. */
export function backtestWeights(ds: MarketDataset, name: string, weights: Panel, costBps = STUDY_COST_BPS): BacktestResult {
  return runBacktest({ name, close: ds.industryBars.close, weights, rebalance: weights.dates, costBps });
}

/** One backtest per allocation run, same costs and benchmark (equal weight over available industries). */
export function backtestRuns(ds: MarketDataset, runs: readonly AllocationRun[], costBps = STUDY_COST_BPS): BacktestResult[] {
  return runs.map((r) => backtestWeights(ds, r.name, r.weights, costBps));
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

/** Headline rows of backtests on the monthly (rebalance) basis, P = 12. */
export function comparisonRows(bts: readonly BacktestResult[]): Record<string, string | number>[] {
  return bts.map((bt) => headlineRow(bt.name, summarizeBacktest(bt, { basis: 'rebalance' })));
}

/** In-sample (through `split`) and out-of-sample rows for each backtest, monthly basis. */
export function splitRows(bts: readonly BacktestResult[], split: string): Record<string, string | number>[] {
  const out: Record<string, string | number>[] = [];
  for (const bt of bts) {
    const { inSample, outOfSample } = splitBacktest(bt, split);
    out.push({ sample: `in-sample (to ${split})`, ...headlineRow(bt.name, summarizeBacktest(inSample, { basis: 'rebalance' })) });
    if (outOfSample) out.push({ sample: `out-of-sample (after ${split})`, ...headlineRow(bt.name, summarizeBacktest(outOfSample, { basis: 'rebalance' })) });
  }
  return out;
}

/** The model at 0, 10, 20 and 50 bps per unit traded. */
export function costRows(ds: MarketDataset, run: AllocationRun): CostSensitivityRow[] {
  return costSensitivity({ name: run.name, close: ds.industryBars.close, weights: run.weights, rebalance: run.weights.dates }, [0, 10, 20, 50], { basis: 'rebalance' }).rows;
}

/** Top-k equal weight on a score, walked and backtested over the given rebalance dates. */
function topKBacktest(ds: MarketDataset, score: Panel, dates: readonly string[], k: number, name: string): BacktestResult {
  const walk = walkAllocator(scoreAllocator({ method: 'top-k', k }), {
    returns: dailyReturns(ds.industryBars.close), rebalanceDates: dates, scores: score, industries: availableIndustries(ds),
  });
  return backtestWeights(ds, name, walkWeights(walk, ds.industries.map((i) => i.code)));
}

/**
 * Robustness of the top-k model: k ∈ {3, 5, 8}; monthly vs every-other-month rebalancing (k = 5);
 * and the composite without each factor family in turn (k = 5).
 */
export function robustnessRows(ds: MarketDataset, study: FactorStudy): Record<string, string | number>[] {
  const score = causalComposite(study);
  const dates = scoredDates(score);
  const rows: Record<string, string | number>[] = [];
  const add = (variant: string, bt: BacktestResult) => rows.push({ variant, ...headlineRow(bt.name, summarizeBacktest(bt, { basis: 'rebalance' })) });
  for (const k of [3, 5, 8]) add(`top-${k}, monthly`, topKBacktest(ds, score, dates, k, `top-${k}`));
  add('top-5, every other month', topKBacktest(ds, score, dates.filter((_, i) => i % 2 === 0), 5, 'top-5 bi-monthly'));
  const names = [...study.batch.results.keys()];
  const families = [...new Set(names.map((n) => getFactor(n).family))];
  if (families.length > 1) {
    for (const fam of families) {
      const kept = names.filter((n) => getFactor(n).family !== fam);
      const s = causalComposite(study, kept);
      add(`top-5 without ${fam}`, topKBacktest(ds, s, scoredDates(s), 5, `without ${fam}`));
    }
  }
  return rows;
}

/** Declared in-sample end for the validation study: design choices were made looking at data to here. */
export const STUDY_SPLIT = '2019-12-31';

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
