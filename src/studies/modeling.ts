/**
 * The modeling study of notebook 04 as plain data: the model's specs and every baseline spec
 * (models/comparison.json) run through `runModel` on one dataset — each the same composite score
 * and calendar machinery, differing only in what the spec says — and summarized side by side.
 */
import type { Panel } from '../panel/panel.js';
import type { WalkResult } from '../portfolio/walk.js';
import { runModels, type ModelRun } from '../model/run.js';
import type { ModelContext } from '../model/context.js';
import type { ModelSpec } from '../model/spec.js';
import { DEFAULT_MODEL_FILE, loadComparisonSpecs, loadModelSpec, strategySet } from '../model/files.js';

export { dailyReturns, availableIndustries, scoredDates, walkWeights } from '../model/context.js';

export interface AllocationRun {
  name: string;
  /** 'model' or 'baseline' (the spec's role). */
  kind: 'model' | 'baseline';
  walk: WalkResult;
  /** Target weights, rebalance dates x dataset industries (0 where not held). */
  weights: Panel;
  /** The whole model run (spec, score, backtest, windows). */
  run: ModelRun;
}

/** The house strategy set: models/default.json first, then the comparison set (models/comparison.json). */
export function houseSpecs(primary: ModelSpec = loadModelSpec(DEFAULT_MODEL_FILE)): ModelSpec[] {
  return strategySet(primary, loadComparisonSpecs());
}

export interface AllocationStudy {
  /** Rebalance dates of the first spec in the common window. */
  dates: string[];
  returns: Panel;
  /** First rebalance date of the common window: the latest first scored date over the specs. */
  start: string;
  /** Every spec from `start` on (side-by-side tables and tear sheets need one window). */
  runs: AllocationRun[];
  /** Every spec on its own window (from its own first scored date): what its experiment record holds. */
  standalone: ModelRun[];
}

/**
 * Run every spec on the context's dataset, on its own window (`standalone`) and on the common
 * window from the latest first rebalance date over the specs (`runs`); a spec whose own window is
 * the common one is run once.
 */
export function allocationStudy(ctx: ModelContext, specs: readonly ModelSpec[] = houseSpecs()): AllocationStudy {
  const standalone = runModels(specs, ctx);
  const start = standalone.reduce((m, r) => (r.rebalance.dates[0] > m ? r.rebalance.dates[0] : m), '');
  const late = standalone.filter((own) => own.rebalance.dates[0] !== start);
  const rerun = new Map(runModels(late.map((r) => r.spec), ctx, { start }).map((r, k) => [late[k], r]));
  const runs = standalone.map((own) => {
    const run = rerun.get(own) ?? own;
    return { name: run.spec.name, kind: run.spec.role, walk: run.walk, weights: run.weights, run };
  });
  return { dates: [...(runs[0]?.run.rebalance.dates ?? [])], returns: ctx.returns, start, runs, standalone };
}

/** One row per allocator: mean two-sided turnover per rebalance, mean holdings, mean largest weight, fallbacks. */
export function allocationSummary(runs: readonly AllocationRun[]): Record<string, string | number>[] {
  return runs.map((r) => {
    const W = r.weights, N = W.assets.length, T = W.dates.length;
    let turn = 0, nt = 0, held = 0, maxw = 0;
    for (let k = 0; k < T; k++) {
      if (!Number.isNaN(r.walk.turnover[k])) { turn += r.walk.turnover[k]; nt++; }
      let h = 0, m = 0;
      for (let i = 0; i < N; i++) { const w = W.values[k * N + i]; if (w > 1e-6) h++; if (w > m) m = w; }
      held += h; maxw += m;
    }
    const fallbacks = r.walk.diagnostics.filter((d) => d.details && (d.details as Record<string, unknown>).fallback === true).length;
    return {
      allocator: r.name, kind: r.kind, rebalances: T,
      'turnover per rebalance': nt ? turn / nt : NaN,
      'mean holdings': T ? held / T : NaN,
      'mean max weight': T ? maxw / T : NaN,
      'equal-weight fallbacks': fallbacks,
    };
  });
}
