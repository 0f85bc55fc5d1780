/**
 * Static vs dynamic factor weighting of the model's composite, walked and backtested the same way.
 *
 * Over the same direction-aligned factors and the same 1M rank ICs (an IC dated s is known at
 * s + 1; the composite section of the model spec, models/default.json by default):
 *
 *   static:   w_f(t)  = ICIR weights over W(t) = {s <= t − 1} (icirWeights; the model's causalComposite)
 *   dynamic:  w'_f(t) = w_f(t)·m_f(t) / Σ_g |w_g(t)·m_g(t)|,  m = 0 failed, weakeningShrink
 *             (default 0.5) weakening, 1 healthy / warm-up, health at t from the ICs known at t
 *             (dynamicWeights.ts)
 *   score(t, i) = Σ_f w_f(t) z_f(t, i) / Σ_{f present} |w_f(t)|   (compositeScore)
 *
 * Each score is walked by the model's allocators (top-5; the score optimizer when a solver is
 * given; fresh instances per walk) over the same rebalance dates D = the dates where both scores
 * rate at least 5 industries, and backtested by the engine with the study's costs (10 bps) against
 * equal weight over the available industries. With no weakening or failed factor the dynamic
 * schedule is the static one bit for bit, so the two backtests coincide exactly.
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import type { IcByDate } from '../evaluate/ic.js';
import { alignedFactors, type FactorStudy } from '../model/evidence.js';
import { icByFactor } from '../evaluate/crossSection.js';
import { factorWeightPath, icirWeights, type WeightSchedule } from '../combine/weights.js';

export { factorWeightPath };
import { compositeScore } from '../combine/composite.js';
import type { Solver } from '../portfolio/optimizer.js';
import { availableIndustries, dailyReturns, scoredDates, walkWeights } from '../model/context.js';
import { allocatorFor } from '../model/allocators.js';
import { backtestModelWeights } from '../model/run.js';
import { specPeriodsPerYear, variantOf, type CompositeSpec, type ModelSpec } from '../model/spec.js';
import { DEFAULT_MODEL_FILE, loadModelSpec } from '../model/files.js';
import { walkAllocator } from '../portfolio/walk.js';
import type { AllocationRun } from './modeling.js';
import { comparisonRows, headlineRow } from './validation.js';
import { splitBacktest } from '../backtest/walkForward.js';
import { summarizeBacktest } from '../backtest/summary.js';
import type { BacktestResult } from '../backtest/types.js';
import { dynamicWeights } from '../monitor/dynamicWeights.js';
import type { HealthStatus } from '../monitor/health.js';
import type { AlertRules } from '../monitor/alerts.js';
import { studyFactorIds } from '../monitor/report.js';

export type Weighting = 'static' | 'dynamic';

export interface WeightingOptions {
  /** Factors of the composite (ids of the study). Default: every available factor, registry order (as causalComposite). */
  factors?: readonly string[];
  /** Multiplier of weakening factors' weights, in [0, 1]. Default 0.5. */
  weakeningShrink?: number;
  /** Alert rules behind the health statuses (alerts.ts defaults). */
  rules?: AlertRules;
  /** The ICIR settings (horizon, window, minObservations) of this composite spec. Default: models/default.json's. */
  composite?: CompositeSpec;
}

/** The two weight schedules and composite scores over the same factors and ICs. */
export interface WeightingSchedules {
  factors: string[];
  /** 1M rank ICs of the direction-aligned factors. */
  ics: Record<string, IcByDate>;
  static: WeightSchedule;
  dynamic: WeightSchedule;
  /** Health used by the dynamic weights at each date (aligned with the schedules' dates). */
  health: Record<string, HealthStatus[]>;
  /** Composite scores (rebalance dates x industries). */
  staticScore: Panel;
  dynamicScore: Panel;
}

/**
 * Static (ICIR) and dynamic (health-shrunk ICIR) weights and composites of `study` (module
 * comment). The static score equals causalComposite(study, factors). Errors:
 * MONITOR_NO_FACTORS, MONITOR_UNKNOWN_FACTOR, MONITOR_BAD_ARGUMENT (weakeningShrink, rules).
 */
export function weightingSchedules(study: FactorStudy, options: WeightingOptions = {}): WeightingSchedules {
  const factors = studyFactorIds(study, options.factors);
  const aligned = alignedFactors(study, factors);
  const c = options.composite ?? loadModelSpec(DEFAULT_MODEL_FILE).composite;
  const icOptions = { horizon: c.horizon, window: c.window, minObservations: c.minObservations };
  const ics = icByFactor(aligned, study.forward, icOptions.horizon, { method: 'rank' });
  const stat = icirWeights(ics, icOptions);
  const dyn = dynamicWeights(ics, { ...icOptions, weakeningShrink: options.weakeningShrink, rules: options.rules });
  return {
    factors, ics, static: stat, dynamic: dyn.schedule, health: dyn.health,
    staticScore: compositeScore(aligned, stat).panel,
    dynamicScore: compositeScore(aligned, dyn.schedule).panel,
  };
}

export interface WeightingComparisonOptions extends WeightingOptions {
  /** HiGHS solver: adds the model's score optimizer (models/optimizer.json) to top-5 (models/default.json). */
  solver?: Solver;
  /** The model specs whose allocators walk both scores (default: models/default.json, plus models/optimizer.json with a solver). */
  specs?: readonly ModelSpec[];
  /** Costs per unit traded, bps. Default: each spec's. */
  costBps?: number;
}

/** The model specs of the comparison: default top-5, and the score optimizer when a solver is given. */
export function monitoringSpecs(solver?: Solver): ModelSpec[] {
  return solver ? [loadModelSpec(DEFAULT_MODEL_FILE), loadModelSpec('models/optimizer.json')] : [loadModelSpec(DEFAULT_MODEL_FILE)];
}

/** One backtest row: the headline metrics of comparisonRows (monthly basis) with its allocator and weighting. */
export type WeightingRow = Record<string, string | number> & { strategy: string; allocator: string; weighting: Weighting };

export interface WeightingComparison extends WeightingSchedules {
  dataset: string;
  /** Rebalance dates both walks use (both scores rate >= 5 industries). */
  dates: string[];
  /** Scored by the static composite but not by the dynamic one (every factor failed): left out of both walks. */
  droppedDates: string[];
  /** Walks in allocator order, static then dynamic for each. */
  runs: (Omit<AllocationRun, 'run'> & { allocator: string; weighting: Weighting })[];
  backtests: BacktestResult[];
  /** comparisonRows of `backtests`, same order: cagr, excessCagr (vs equal weight), informationRatio, maxDrawdown, turnover, ... */
  rows: WeightingRow[];
}

/** Strategy label of an allocator under a weighting, e.g. "model: top-5 (dynamic)". */
export function weightingLabel(allocator: string, weighting: Weighting): string {
  return `${allocator} (${weighting === 'static' ? 'static ICIR' : 'dynamic'})`;
}

/**
 * Static vs dynamic weighting walked through the model's allocators and backtested (module
 * comment) on `ds`, whose factor study is `study`. Pure: writes nothing.
 */
export function weightingComparison(ds: MarketDataset, study: FactorStudy, options: WeightingComparisonOptions = {}): WeightingComparison {
  const sched = weightingSchedules(study, options);
  const dynScored = new Set(scoredDates(sched.dynamicScore));
  const staticDates = scoredDates(sched.staticScore);
  const dates = staticDates.filter((d) => dynScored.has(d));
  const droppedDates = staticDates.filter((d) => !dynScored.has(d));
  if (dates.length < 2) {
    throw new RotationError('MONITOR_TOO_FEW_DATES', `Only ${dates.length} rebalance date(s) where both composites rate at least 5 industries`,
      { dataset: study.dataset, static: staticDates.length, dynamic: dynScored.size }, 'use a longer history (the ICIR weights need 12 months of ICs) or more industries');
  }
  const returns = dailyReturns(ds.industryBars.close);
  const available = availableIndustries(ds);
  const industries = ds.industries.map((i) => i.code);
  const runs: WeightingComparison['runs'] = [];
  const backtests: BacktestResult[] = [];
  for (const base of options.specs ?? monitoringSpecs(options.solver)) {
    const spec = options.costBps === undefined ? base : variantOf(base, { costs: { bps: options.costBps } });
    const rebalance = { dates, periodsPerYear: specPeriodsPerYear(spec.calendar) };
    for (const weighting of ['static', 'dynamic'] as const) {
      const allocator = allocatorFor(spec.allocator, spec.name, options.solver); // a fresh instance per walk
      const score = weighting === 'static' ? sched.staticScore : sched.dynamicScore;
      const walk = walkAllocator(allocator, { returns, rebalanceDates: dates, scores: score, industries: available });
      const weights = walkWeights(walk, industries);
      const label = weightingLabel(spec.name, weighting);
      const bt = backtestModelWeights(variantOf(spec, { name: label }), ds, weights, rebalance);
      backtests.push(bt);
      runs.push({ name: label, kind: 'model', walk, weights, allocator: spec.name, weighting });
    }
  }
  const rows = comparisonRows(backtests).map((r, k) => {
    const { strategy, ...metrics } = r;
    return { strategy: String(strategy), allocator: runs[k].allocator, weighting: runs[k].weighting, ...metrics } as WeightingRow;
  });
  return { ...sched, dataset: study.dataset, dates, droppedDates, runs, backtests, rows };
}

/**
 * The comparison rows over the days after `split` only (splitBacktest: the out-of-sample part,
 * metrics on the monthly basis), same order and columns as `cmp.rows`; empty when nothing follows
 * the split. BT_* errors from splitBacktest for a split outside the backtest window.
 */
export function weightingRowsAfter(cmp: WeightingComparison, split: string): WeightingRow[] {
  const out: WeightingRow[] = [];
  cmp.backtests.forEach((bt, k) => {
    const oos = splitBacktest(bt, split).outOfSample;
    if (!oos) return;
    const { strategy, ...metrics } = headlineRow(bt.name, summarizeBacktest(oos, { basis: 'rebalance' }));
    out.push({ strategy: String(strategy), allocator: cmp.runs[k].allocator, weighting: cmp.runs[k].weighting, ...metrics } as WeightingRow);
  });
  return out;
}


/** Mean weight of one factor over the dates in [from, to] with weights, under both schedules. */
export interface WeightSummaryRow {
  factor: string;
  from: string;
  to: string;
  dates: number;
  meanStatic: number;
  meanDynamic: number;
}

/**
 * mean_t w_f(t) over the dates t with from <= d_t <= to where both schedules have weights (static
 * and dynamic), e.g. the switched-off factor's weight after its switch. Default: every date.
 */
export function weightSummary(cmp: WeightingSchedules, factor: string, range: { from?: string; to?: string } = {}): WeightSummaryRow {
  const s = factorWeightPath(cmp.static, factor), d = factorWeightPath(cmp.dynamic, factor);
  const dates = cmp.static.dates;
  const from = range.from ?? dates[0], to = range.to ?? dates[dates.length - 1];
  let n = 0, ms = 0, md = 0;
  dates.forEach((date, t) => {
    if (date < from || date > to || Number.isNaN(s[t]) || Number.isNaN(d[t])) return;
    n++; ms += s[t]; md += d[t];
  });
  return { factor, from, to, dates: n, meanStatic: n ? ms / n : NaN, meanDynamic: n ? md / n : NaN };
}
