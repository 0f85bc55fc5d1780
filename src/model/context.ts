/**
 * What every spec run on one dataset shares: daily returns, the industries tradable on each date,
 * the factor study per factor calendar (computed once, on first use), and the solver.
 */
import { createPanel, type Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import { industryLevelDataset } from '../data/industryLevel.js';
import { RotationError } from '../errors.js';
import type { Solver } from '../portfolio/optimizer.js';
import type { WalkResult } from '../portfolio/walk.js';
import type { GapPolicy } from '../backtest/types.js';
import { factorStudy, type FactorStudy } from './evidence.js';
import type { BaseFrequency } from './spec.js';
import type { WalkPool } from './walkPool.js';

export interface ModelContext {
  readonly ds: MarketDataset;
  /** Daily simple returns of the industry closes. */
  readonly returns: Panel;
  /** Industries with a valid close on a date: what an allocator may hold then (the benchmark's universe). */
  readonly available: (date: string) => string[];
  /** HiGHS, needed by the score optimizer and mean-variance allocators. */
  readonly solver?: Solver;
  /** Missing-close policy of every backtest on these data (engine default when undefined). */
  readonly gapPolicy?: GapPolicy;
  /** Minimum industries a factor needs on a date (factor engine default when undefined). */
  readonly minIndustries?: number;
  /** A helper thread for the allocator walks of `runModels` (walkPool.ts); none = one thread. */
  readonly walkPool?: WalkPool;
  /** The factor study of a base calendar (1, 3, 6 periods ahead), computed once. */
  study(frequency?: BaseFrequency): FactorStudy;
  /**
   * Results computed once per context, by key: `modelScore`'s composite scores under
   * `score:<scoreKey>` (src/model/score.ts), so specs that differ only in what the score does not
   * read (allocator, costs, execution, split) share one.
   */
  readonly memo: Map<string, unknown>;
}

export interface ModelContextOptions {
  solver?: Solver;
  /** A study already computed (reused for its frequency). */
  study?: FactorStudy;
  gapPolicy?: GapPolicy;
  minIndustries?: number;
  walkPool?: WalkPool;
}

/** Daily simple returns r[t] = close[t]/close[t−1] − 1 (NaN on the first row or a missing close). */
export function dailyReturns(close: Panel): Panel {
  const T = close.dates.length, N = close.assets.length;
  const v = new Float64Array(T * N).fill(NaN);
  for (let t = 1; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const a = close.values[(t - 1) * N + i], b = close.values[t * N + i];
      if (a > 0 && b > 0) v[t * N + i] = b / a - 1;
    }
  }
  return createPanel(close.dates, close.assets, v);
}

/** Industries with a valid close on each date: what an allocator may hold then (the benchmark's universe). */
export function availableIndustries(ds: MarketDataset): (date: string) => string[] {
  const close = ds.industryBars.close, N = close.assets.length;
  const row = new Map(close.dates.map((d, t) => [d, t]));
  return (date) => {
    const t = row.get(date);
    return t === undefined ? [] : close.assets.filter((_, i) => !Number.isNaN(close.values[t * N + i]));
  };
}

/** Dates where `score` has at least `minScored` industries (the model can act). */
export function scoredDates(score: Panel, minScored = 5): string[] {
  const N = score.assets.length;
  return score.dates.filter((_, t) => {
    let c = 0;
    for (let i = 0; i < N; i++) if (!Number.isNaN(score.values[t * N + i])) c++;
    return c >= minScored;
  });
}

/** Target weights of a walk as a Panel over the dataset's industries (0 where not held). */
export function walkWeights(walk: WalkResult, industries: readonly string[]): Panel {
  const N = industries.length, col = new Map(industries.map((c, i) => [c, i]));
  const v = new Float64Array(walk.dates.length * N);
  walk.weights.forEach((w, k) => w.industries.forEach((c, j) => { v[k * N + col.get(c)!] = w.weights[j]; }));
  return createPanel(walk.dates, industries, v);
}

/** A context for `ds`; studies are computed lazily and cached per base frequency. */
export function modelContext(ds: MarketDataset, options: ModelContextOptions = {}): ModelContext {
  const studies = new Map<BaseFrequency, FactorStudy>();
  if (options.study) studies.set(options.study.frequency, options.study);
  return {
    ds, returns: dailyReturns(ds.industryBars.close), available: availableIndustries(ds), solver: options.solver,
    gapPolicy: options.gapPolicy, minIndustries: options.minIndustries, walkPool: options.walkPool, memo: new Map(),
    study(frequency: BaseFrequency = 'M') {
      let s = studies.get(frequency);
      if (!s) { s = factorStudy(ds, [1, 3, 6], frequency, { minIndustries: options.minIndustries }); studies.set(frequency, s); }
      return s;
    },
  };
}

/**
 * `ctx` on the industry level of its dataset alone (industryLevelDataset: no stock data, no
 * intraday bars), for the stages after the factor library: the factor studies of `frequencies` are
 * taken from `ctx` (computed now if not yet) and kept; the returns, solver, gap policy, minimum
 * industries, memo (the composite scores) and walk pool (unless `options` gives one: a command
 * that starts it only now) are the same. A study of another frequency would need the stock data it
 * no longer holds, so asking for one is MODEL_STUDY_NOT_KEPT (never a study of fewer factors).
 * Once the caller drops `ctx`, the stock-level data can be freed.
 */
export function industryLevelContext(ctx: ModelContext, frequencies: readonly BaseFrequency[], options: Pick<ModelContextOptions, 'walkPool'> = {}): ModelContext {
  // No closure here may capture `ctx`: the returned methods share this function's closure context,
  // and a captured `ctx` would keep the whole dataset alive.
  const kept = new Map<BaseFrequency, FactorStudy>();
  for (const f of frequencies) kept.set(f, ctx.study(f));
  const ds = industryLevelDataset(ctx.ds);
  return {
    ds, returns: ctx.returns, available: availableIndustries(ds), solver: ctx.solver,
    gapPolicy: ctx.gapPolicy, minIndustries: ctx.minIndustries, walkPool: options.walkPool ?? ctx.walkPool, memo: ctx.memo,
    study(frequency: BaseFrequency = 'M') {
      const s = kept.get(frequency);
      if (!s) {
        throw new RotationError('MODEL_STUDY_NOT_KEPT', `the factor study at frequency ${frequency} was not computed before the stock-level data of ${ds.name} was released`,
          { frequency, kept: [...kept.keys()] }, `list ${frequency} among the frequencies given to industryLevelContext (every spec's calendar.frequency)`);
      }
      return s;
    },
  };
}
