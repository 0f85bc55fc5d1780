/**
 * The modeling study of notebook 04 as plain data: the model's composite score (ICIR-weighted
 * over every available factor, weights from ICs already known at each date — no full-sample
 * selection), turned into weights by the model's allocators and by every baseline through the one
 * `Allocator` interface, walked over the same month-end rebalance dates.
 */
import { createPanel, type Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import type { FactorStudy } from '../evaluate/study.js';
import { alignedFactors } from '../evaluate/study.js';
import { icByFactor } from '../evaluate/crossSection.js';
import { icirWeights } from '../combine/weights.js';
import { compositeScore } from '../combine/composite.js';
import type { Allocator } from './types.js';
import type { Solver } from './optimizer.js';
import { scoreOptimizerAllocator } from './optimizer.js';
import { equalWeightAllocator, scoreAllocator } from './weights.js';
import { momentumAllocator } from './momentum.js';
import { meanVarianceAllocator } from './meanVariance.js';
import { hmmRegimeAllocator } from './regime.js';
import { walkAllocator, type WalkResult } from './walk.js';

/** The model's ICIR weighting: 1M rank ICs (known one period after their date), expanding window, at least 12 ICs. */
export const CAUSAL_ICIR_OPTIONS: Readonly<{ horizon: 1; window: 'expanding'; minObservations: 12 }> = Object.freeze({ horizon: 1, window: 'expanding', minObservations: 12 });

/**
 * Causal composite of `names` (default: every available factor): direction-aligned factors, ICIR weights over an expanding window of 1M rank
 * ICs (an IC dated s is known at s + 1; at least 12 ICs; CAUSAL_ICIR_OPTIONS), score = Σ_f w_f(t)·z_f(t).
 */
export function causalComposite(study: FactorStudy, names: readonly string[] = [...study.batch.results.keys()]): Panel {
  const aligned = alignedFactors(study, names);
  const ics = icByFactor(aligned, study.forward, CAUSAL_ICIR_OPTIONS.horizon, { method: 'rank' });
  return compositeScore(aligned, icirWeights(ics, CAUSAL_ICIR_OPTIONS)).panel;
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

/** Rebalance dates where the score has at least `minScored` industries (the model can act). */
export function scoredDates(score: Panel, minScored = 5): string[] {
  const N = score.assets.length;
  return score.dates.filter((_, t) => {
    let c = 0;
    for (let i = 0; i < N; i++) if (!Number.isNaN(score.values[t * N + i])) c++;
    return c >= minScored;
  });
}

export interface AllocationRun {
  name: string;
  /** 'model' or 'baseline'. */
  kind: 'model' | 'baseline';
  walk: WalkResult;
  /** Target weights, rebalance dates x dataset industries (0 where not held). */
  weights: Panel;
}

/** Target weights of a walk as a Panel over the dataset's industries. */
export function walkWeights(walk: WalkResult, industries: readonly string[]): Panel {
  const N = industries.length, col = new Map(industries.map((c, i) => [c, i]));
  const v = new Float64Array(walk.dates.length * N);
  walk.weights.forEach((w, k) => w.industries.forEach((c, j) => { v[k * N + col.get(c)!] = w.weights[j]; }));
  return createPanel(walk.dates, industries, v);
}

/**
 * The model's allocators, new instances on every call: top-5 equal weight, and (when a solver is
 * given) the score optimizer (caps 15%, at most 10 holdings, turnover budget Σ|w − w_prev| <= 0.6).
 */
export function modelAllocators(solver?: Solver): { name: string; kind: 'model'; allocator: Allocator }[] {
  const out: { name: string; kind: 'model'; allocator: Allocator }[] = [
    { name: 'model: top-5', kind: 'model', allocator: scoreAllocator({ method: 'top-k', k: 5 }) },
  ];
  if (solver) out.push({ name: 'model: optimizer', kind: 'model', allocator: scoreOptimizerAllocator(solver, { constraints: { caps: 0.15, maxHoldings: 10, turnoverBudget: 0.6 }, name: 'model: optimizer' }) });
  return out;
}

/** The allocators compared in 04 and 05: the model's two and every baseline, by name. */
export function studyAllocators(solver: Solver, seed: number): { name: string; kind: 'model' | 'baseline'; allocator: Allocator }[] {
  return [
    ...modelAllocators(solver),
    { name: 'equal weight', kind: 'baseline', allocator: equalWeightAllocator() },
    { name: 'momentum 12-1M', kind: 'baseline', allocator: momentumAllocator({ lookbackMonths: 12, skipMonths: 1, k: 5 }) },
    { name: 'momentum 1M', kind: 'baseline', allocator: momentumAllocator({ lookbackMonths: 1, skipMonths: 0, k: 5 }) },
    { name: 'MVO (sample)', kind: 'baseline', allocator: meanVarianceAllocator(solver, { covariance: 'sample', caps: 0.3, name: 'MVO (sample)' }) },
    { name: 'MVO (Ledoit-Wolf, turnover penalty)', kind: 'baseline', allocator: meanVarianceAllocator(solver, { covariance: 'ledoit-wolf', caps: 0.3, turnoverPenalty: 0.05, name: 'MVO (Ledoit-Wolf, turnover penalty)' }) },
    { name: 'HMM regimes', kind: 'baseline', allocator: hmmRegimeAllocator({ seed, k: 5, name: 'HMM regimes' }) },
  ];
}

/** Walk every allocator of `studyAllocators` over the scored month ends of `ds`. */
export function allocationStudy(ds: MarketDataset, score: Panel, solver: Solver, seed = 7): { dates: string[]; returns: Panel; runs: AllocationRun[] } {
  const returns = dailyReturns(ds.industryBars.close);
  const dates = scoredDates(score);
  const industries = ds.industries.map((i) => i.code);
  const available = availableIndustries(ds);
  const runs = studyAllocators(solver, seed).map(({ name, kind, allocator }) => {
    const walk = walkAllocator(allocator, { returns, rebalanceDates: dates, scores: score, industries: available });
    return { name, kind, walk, weights: walkWeights(walk, industries) };
  });
  return { dates, returns, runs };
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
