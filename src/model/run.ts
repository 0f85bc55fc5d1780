/**
 * `runModel(spec, dataset | context)`: the whole model on one dataset — composite score (score.ts),
 * the spec's allocator walked over its rebalance calendar, the daily backtest with the spec's costs
 * and execution against equal weight, and the summaries of the whole window, the in-sample window
 * (to spec.split) and the out-of-sample window, with the significance of the active return.
 *
 * Rebalance calendar: the scored dates d_0 < d_1 < … of the base calendar, every `every`-th one
 * (d_0, d_every, …), with periodsPerYear = base periods / every; that number travels into the
 * backtest, so an every-other-month walk is annualized with 6 periods a year.
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import type { WalkResult } from '../portfolio/walk.js';
import { runBacktest } from '../backtest/engine.js';
import { splitBacktest } from '../backtest/walkForward.js';
import type { BacktestResult, GapPolicy, RebalanceSchedule } from '../backtest/types.js';
import { type PerformanceSummary } from '../metrics/tables.js';
import { backtestSeries, summarizeBacktest } from '../backtest/summary.js';
import { meanExcessT } from '../metrics/significance.js';
import { allocatorFor } from './allocators.js';
import { modelContext, walkWeights, type ModelContext } from './context.js';
import { modelScore, type ModelScore } from './score.js';
import { specHash, specPeriodsPerYear, type ModelSpec } from './spec.js';
import { runWalkJob, type WalkJob } from './walkPool.js';

/** Significance of the mean active return per rebalance period a_t = r_t − b_t in a window. */
export interface ActiveSignificance {
  /** Rebalance periods in the window. */
  n: number;
  /** Mean active return per rebalance period. */
  meanActive: number;
  /** t = mean(a) / (std(a, ddof 1)/√n) (NaN when n < 2). */
  t: number;
}

export interface WindowResult {
  window: 'whole' | 'in-sample' | 'out-of-sample';
  first: string;
  last: string;
  summary: PerformanceSummary;
  significance: ActiveSignificance;
}

export interface ModelRun {
  spec: ModelSpec;
  specHash: string;
  dataset: string;
  score: ModelScore;
  /** Rebalance dates with their periods per year. */
  rebalance: RebalanceSchedule;
  walk: WalkResult;
  /** Target weights, rebalance dates x dataset industries. */
  weights: Panel;
  backtest: BacktestResult;
  /** whole, in-sample, and out-of-sample (when the data go past the split). */
  windows: WindowResult[];
}

/**
 * The rebalance schedule of a spec on its scored dates (module comment), from `start` on when
 * given (a common window for strategies compared side by side).
 */
export function rebalanceSchedule(spec: ModelSpec, scored: readonly string[], start?: string): RebalanceSchedule {
  const from = start === undefined ? scored : scored.filter((d) => d >= start);
  return { dates: from.filter((_, i) => i % spec.calendar.every === 0), periodsPerYear: specPeriodsPerYear(spec.calendar) };
}

/** Checks that need the data: k within the universe, caps feasible, split inside the data. */
export function checkSpecForDataset(spec: ModelSpec, ds: MarketDataset, rebalance?: readonly string[]): void {
  const N = ds.industries.length, a = spec.allocator;
  const k = a.name === 'top-k' || a.name === 'momentum' || a.name === 'hmm-regimes' ? a.k : a.name === 'score-optimizer' ? a.maxHoldings : 0;
  if (k > N) {
    throw new RotationError('MODEL_K_EXCEEDS_UNIVERSE', `allocator "${a.name}" of spec "${spec.name}" holds ${k} industries but ${ds.name} has ${N}`, { spec: spec.name, k, industries: N },
      `choose k <= ${N}`);
  }
  const cap = a.name === 'score-optimizer' || a.name === 'mean-variance' ? a.caps : undefined;
  if (cap !== undefined && cap * N < 1 - 1e-12) {
    throw new RotationError('MODEL_INFEASIBLE_CAPS', `caps ${cap} on ${N} industries cannot sum to 1`, { spec: spec.name, caps: cap, industries: N }, `raise caps to at least ${(1 / N).toFixed(4)}`);
  }
  const first = rebalance?.[0] ?? ds.calendar[0], last = ds.calendar[ds.calendar.length - 1];
  if (!(spec.split >= first && spec.split < last)) {
    throw new RotationError('MODEL_SPLIT_OUTSIDE_DATA', `split ${spec.split} of spec "${spec.name}" leaves an empty in-sample or out-of-sample window`,
      { spec: spec.name, split: spec.split, firstRebalance: first, lastDate: last }, `declare a split between ${first} and ${last}`);
  }
}

/** Mean active return per rebalance period and its t in a backtest (window) on the rebalance basis. */
export function activeSignificance(bt: BacktestResult): ActiveSignificance {
  const s = backtestSeries(bt, 'rebalance');
  const m = meanExcessT(s.returns, s.benchmarkReturns);
  return { n: m.n, meanActive: m.mean, t: m.t };
}

/** Summaries of the whole window and of both sides of the split (rebalance basis, the calendar's periods per year). */
export function windowResults(bt: BacktestResult, split: string): WindowResult[] {
  const row = (window: WindowResult['window'], b: BacktestResult): WindowResult => ({
    window, first: b.originDate, last: b.dates[b.dates.length - 1], summary: summarizeBacktest(b, { basis: 'rebalance' }), significance: activeSignificance(b),
  });
  const { inSample, outOfSample } = splitBacktest(bt, split);
  return [row('whole', bt), row('in-sample', inSample), ...(outOfSample ? [row('out-of-sample', outOfSample)] : [])];
}

/**
 * Backtest target weights on the dataset's closes with the spec's costs and execution; the series'
 * periods per year are the dataset's own (12 on monthly data, the trading calendar's on daily data)
 * when it states them, else the engine's daily default.
 */
export function backtestModelWeights(spec: ModelSpec, ds: MarketDataset, weights: Panel, rebalance: RebalanceSchedule, gapPolicy?: GapPolicy): BacktestResult {
  return runBacktest({
    name: spec.name, close: ds.industryBars.close, open: spec.execution === 'next-open' ? ds.industryBars.open : undefined,
    weights, rebalance, costBps: spec.costs.bps, execution: spec.execution, ...(gapPolicy === undefined ? {} : { gapPolicy }),
    ...(ds.periodsPerYear === undefined ? {} : { periodsPerYear: ds.periodsPerYear }),
  });
}

export interface RunModelOptions {
  /** First rebalance date allowed (default: the spec's first scored date): a common window for comparisons. */
  start?: string;
}

/** Run `spec` on a dataset (module comment). Reuse one context for many specs on the same data. */
export function runModel(spec: ModelSpec, data: MarketDataset | ModelContext, options: RunModelOptions = {}): ModelRun {
  const ctx = 'returns' in data ? data : modelContext(data);
  const prepared = prepareRun(spec, ctx, options);
  const walk = runWalkJob(walkJob(prepared, ctx), ctx.returns, ctx.solver);
  return finishRun(prepared, walk, ctx);
}

/**
 * `runModel` of every spec on one context, in spec order: the scores and calendars first, then the
 * allocator walks (on the context's `walkPool` when it has one: spread over two threads, the same
 * walks bit for bit), then the backtests.
 */
export function runModels(specs: readonly ModelSpec[], ctx: ModelContext, options: RunModelOptions | readonly RunModelOptions[] = {}): ModelRun[] {
  const prepared = specs.map((spec, k) => prepareRun(spec, ctx, Array.isArray(options) ? options[k] : (options as RunModelOptions)));
  const jobs = prepared.map((p) => walkJob(p, ctx));
  const walks = ctx.walkPool ? ctx.walkPool.walk(jobs, ctx.returns, ctx.solver) : jobs.map((j) => runWalkJob(j, ctx.returns, ctx.solver));
  return prepared.map((p, k) => finishRun(p, walks[k], ctx));
}

interface PreparedRun {
  spec: ModelSpec;
  score: ModelScore;
  rebalance: RebalanceSchedule;
}

/** The composite score and the rebalance calendar of `spec`, checked against the dataset. */
function prepareRun(spec: ModelSpec, ctx: ModelContext, options: RunModelOptions = {}): PreparedRun {
  const score = modelScore(spec, ctx);
  const rebalance = rebalanceSchedule(spec, score.scored, options.start);
  if (rebalance.dates.length === 0) {
    throw new RotationError('MODEL_NO_REBALANCE_DATE', `spec "${spec.name}" has no rebalance date${options.start ? ` from ${options.start}` : ''} on ${ctx.ds.name}`,
      { spec: spec.name, start: options.start ?? 'none', scored: score.scored.length }, 'use a longer history, fewer warm-up ICs (composite.minObservations) or an earlier start');
  }
  checkSpecForDataset(spec, ctx.ds, rebalance.dates);
  allocatorFor(spec.allocator, spec.name, ctx.solver); // a missing solver fails here, before any walk
  return { spec, score, rebalance };
}

/** The walk of a prepared run as plain data (the industries of each rebalance date listed). */
function walkJob(p: PreparedRun, ctx: ModelContext): WalkJob {
  return { allocator: p.spec.allocator, name: p.spec.name, rebalanceDates: p.rebalance.dates, industries: p.rebalance.dates.map((d) => ctx.available(d)), scores: p.score.score };
}

/** Weights, backtest and windows of a walked run. */
function finishRun(p: PreparedRun, walk: WalkResult, ctx: ModelContext): ModelRun {
  const weights = walkWeights(walk, ctx.ds.industries.map((i) => i.code));
  const backtest = backtestModelWeights(p.spec, ctx.ds, weights, p.rebalance, ctx.gapPolicy);
  return { spec: p.spec, specHash: specHash(p.spec), dataset: ctx.ds.name, score: p.score, rebalance: p.rebalance, walk, weights, backtest, windows: windowResults(backtest, p.spec.split) };
}
