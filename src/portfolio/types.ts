/**
 * Shared types of the portfolio layer: the `Allocator` interface every weighting scheme and
 * baseline implements (so a backtest can swap them), its context and result, and the
 * diagnostics every allocation carries.
 *
 *   allocator(context at rebalance date t) -> { industries, weights, diagnostics }
 *
 * Weights are long-only and fully invested over `context.industries`:
 *   sum_i w_i = 1 (within 1e-9),  w_i >= 0,  w_i <= cap_i (within 1e-9),  no NaN,
 *   w_i = 0 for every industry the allocator excluded (NaN score, no history).
 * `checkWeights` (weights.ts) enforces this on every returned vector.
 */
import type { Panel } from '../panel/panel.js';

/** A weight vector over named industries (aligned arrays). */
export interface WeightVector {
  readonly industries: readonly string[];
  readonly weights: ArrayLike<number>;
}

/**
 * What an allocator sees at rebalance date t. Nothing dated after `date` may be used: allocators
 * read only the rows of `returns` (and of any feature panel they own) with date <= `date`, so
 * passing the full-history panel is safe.
 */
export interface AllocationContext {
  /** Rebalance date t (ISO yyyy-mm-dd). */
  readonly date: string;
  /** Industries available (investable) at t; the result's weights are aligned with this list. */
  readonly industries: readonly string[];
  /** Composite score per industry, aligned with `industries`; NaN = no score (excluded, weight 0). */
  readonly scores?: ArrayLike<number>;
  /**
   * Past simple returns, dates x assets (daily by default; any frequency whose dates are ISO).
   * Rows dated after `date` are ignored. Assets must include every industry that needs history.
   */
  readonly returns?: Panel;
  /** Weights held going into the rebalance (may cover a different industry set; aligned by name). */
  readonly previous?: WeightVector;
}

/** One constraint that was loosened to make a problem feasible, and by how much. */
export interface RelaxationRecord {
  /** Constraint family relaxed: 'turnover-budget' | 'max-holdings' | 'floors' | 'caps'. */
  readonly constraint: ConstraintFamily;
  /** The conflict that forced it (e.g. 'turnover-below-forced'). */
  readonly reason: string;
  /** Human-readable from -> to (e.g. 'turnover budget 0.10 -> 0.35'). */
  readonly detail: string;
  /** Limit before and after (Infinity = removed); for per-industry vectors, the sum. */
  readonly from: number;
  readonly to: number;
}

/** Constraint families in the order they are relaxed (see constraints.ts RELAXATION_ORDER). */
export type ConstraintFamily = 'turnover-budget' | 'max-holdings' | 'floors' | 'caps';

/** Industries present now but not in the previous weights (added) and the reverse (removed). */
export interface AlignmentReport {
  readonly added: string[];
  readonly removed: string[];
  /** Previous weight on removed industries (sold in full at this rebalance). */
  readonly removedWeight: number;
}

export interface AllocationDiagnostics {
  /** Allocator name, e.g. 'equal-weight', 'top-k', 'mean-variance', 'hmm-regime'. */
  readonly allocator: string;
  readonly date: string;
  /** Number of industries with weight > 0. */
  held: number;
  /** Industries given weight 0 by rule, with the reason ('NaN score', 'insufficient history', ...). */
  excluded: { industry: string; reason: string }[];
  /** Count of industries whose score was NaN (a subset of `excluded`). */
  nanScores: number;
  /** Alignment against `context.previous`, when given. */
  alignment?: AlignmentReport;
  /** Two-sided turnover sum_i |w_i - w_prev,i| over the union of industries (removed ones count). */
  turnover?: number;
  /** Constraints found in conflict before solving, by name (empty when feasible as given). */
  binding: string[];
  /** Relaxations applied, in the order applied. */
  relaxed: RelaxationRecord[];
  /** Free-form facts (fallbacks, degenerate inputs). */
  notes: string[];
  /** Allocator-specific details (objective value, shrinkage, regime probabilities, ...). */
  details: Record<string, unknown>;
}

export interface AllocationResult {
  /** = context.industries. */
  readonly industries: readonly string[];
  /** Aligned with `industries`; passes `checkWeights`. */
  readonly weights: Float64Array;
  readonly diagnostics: AllocationDiagnostics;
}

/**
 * The common interface of every weighting scheme and baseline: a synchronous function of the
 * context at t. Allocators that need HiGHS receive a loaded solver when they are created
 * (`const solver = await loadSolver(); const mv = meanVarianceAllocator(solver, {...})`).
 */
export type Allocator = (context: AllocationContext) => AllocationResult;

/** A dense row-major matrix: values[r * cols + c]. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

/** Per-industry bound given as one number for all industries or a map by industry name. */
export type BoundSpec = number | Readonly<Record<string, number>>;
