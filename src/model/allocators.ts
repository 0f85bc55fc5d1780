/**
 * Allocators by name: the one place a spec's `allocator` section becomes an `Allocator`
 * (src/portfolio/types.ts). Each call returns a new instance (allocators such as the HMM keep a
 * fit cache per walk).
 */
import { RotationError } from '../errors.js';
import type { Allocator } from '../portfolio/types.js';
import type { Solver } from '../portfolio/optimizer.js';
import { scoreOptimizerAllocator } from '../portfolio/optimizer.js';
import { equalWeightAllocator, scoreAllocator } from '../portfolio/weights.js';
import { momentumAllocator } from '../portfolio/momentum.js';
import { meanVarianceAllocator } from '../portfolio/meanVariance.js';
import { hmmRegimeAllocator } from '../portfolio/regime.js';
import type { AllocatorSpec } from './spec.js';

/** Whether the allocator reads the composite score (the others decide from returns alone). */
export function usesScores(a: AllocatorSpec): boolean {
  return a.name === 'top-k' || a.name === 'score-optimizer';
}

/** Whether the allocator needs HiGHS. */
export function needsSolver(a: AllocatorSpec): boolean {
  return a.name === 'score-optimizer' || a.name === 'mean-variance';
}

/**
 * The allocator of `spec` (label `name` in diagnostics). MODEL_NEEDS_SOLVER when a solver-based
 * allocator gets none.
 */
export function allocatorFor(spec: AllocatorSpec, name: string, solver?: Solver): Allocator {
  if (needsSolver(spec) && !solver) {
    throw new RotationError('MODEL_NEEDS_SOLVER', `allocator "${spec.name}" needs the HiGHS solver`, { allocator: spec.name }, 'pass { solver: await loadSolver() } in the model context');
  }
  switch (spec.name) {
    case 'top-k': return scoreAllocator({ method: 'top-k', k: spec.k, ...(spec.buffer ? { buffer: spec.buffer } : {}) });
    case 'score-optimizer': return scoreOptimizerAllocator(solver!, { constraints: { caps: spec.caps, maxHoldings: spec.maxHoldings, turnoverBudget: spec.turnoverBudget }, name });
    case 'equal-weight': return equalWeightAllocator();
    case 'momentum': return momentumAllocator({ lookbackMonths: spec.lookbackMonths, skipMonths: spec.skipMonths, k: spec.k });
    case 'mean-variance': return meanVarianceAllocator(solver!, { covariance: spec.covariance, caps: spec.caps, ...(spec.turnoverPenalty === undefined ? {} : { turnoverPenalty: spec.turnoverPenalty }), name });
    case 'hmm-regimes': return hmmRegimeAllocator({ seed: spec.seed, k: spec.k, name });
  }
}
