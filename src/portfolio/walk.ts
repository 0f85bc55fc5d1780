/**
 * Walk an allocator over rebalance dates (a light harness for studies and benchmarks; the
 * backtest proper adds returns, costs and reports). At each rebalance date d_k the allocator sees
 * the returns panel (it reads rows dated <= d_k only), the scores of d_k (if any) and the weights
 * held going in: the previous target drifted by the returns of (d_{k-1}, d_k]:
 *
 *   w_held,i = w_{k-1,i} prod_{t in (d_{k-1}, d_k]} (1 + r_{t,i}) / sum_j (same)   (NaN return = 0)
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { columnsOf, rowsUpTo } from './history.js';
import type { AllocationDiagnostics, Allocator, WeightVector } from './types.js';

export interface WalkInput {
  /** Daily simple returns (dates x industries). */
  readonly returns: Panel;
  /** Rebalance dates, ascending, each a date of `returns`. */
  readonly rebalanceDates: readonly string[];
  /** Industries available at every date (default: returns.assets), or a function of the date. */
  readonly industries?: readonly string[] | ((date: string) => readonly string[]);
  /** Scores by rebalance date (dates x industries); row d_k is passed as context.scores. */
  readonly scores?: Panel;
  /** Pass drifted previous weights (default true); false passes the previous targets. */
  readonly drift?: boolean;
}

export interface WalkResult {
  readonly dates: readonly string[];
  /** Target weights per rebalance date, aligned with `industries(date)` at that date. */
  readonly weights: WeightVector[];
  readonly diagnostics: AllocationDiagnostics[];
  /** Two-sided turnover at each date vs the held weights (NaN at the first date). */
  readonly turnover: Float64Array;
}

/**
 * Run `allocator` at every rebalance date in order (module comment). Errors: WALK_BAD_DATES
 * (unsorted, not in the returns), plus whatever the allocator throws.
 */
export function walkAllocator(allocator: Allocator, input: WalkInput): WalkResult {
  const { returns, rebalanceDates } = input;
  const dateRow = new Map<string, number>();
  returns.dates.forEach((d, t) => dateRow.set(d, t));
  for (let k = 0; k < rebalanceDates.length; k++) {
    if (!dateRow.has(rebalanceDates[k]) || (k > 0 && rebalanceDates[k] <= rebalanceDates[k - 1])) {
      throw new RotationError('WALK_BAD_DATES', `Rebalance date ${rebalanceDates[k]} is not an ascending date of the returns panel`,
        { date: rebalanceDates[k], position: k }, 'derive rebalance dates from the returns calendar (monthEndRebalanceDates)');
    }
  }
  let scoreRow: Map<string, number> | undefined;
  if (input.scores) {
    scoreRow = new Map();
    input.scores.dates.forEach((d, t) => scoreRow!.set(d, t));
  }
  const weights: WeightVector[] = [], diagnostics: AllocationDiagnostics[] = [];
  const turnover = new Float64Array(rebalanceDates.length).fill(NaN);
  let held: WeightVector | undefined;
  const N = returns.assets.length;
  for (let k = 0; k < rebalanceDates.length; k++) {
    const date = rebalanceDates[k];
    const industries = typeof input.industries === 'function' ? input.industries(date) : (input.industries ?? returns.assets);
    let scores: Float64Array | undefined;
    if (input.scores) {
      const row = scoreRow!.get(date);
      const cols = columnsOf(input.scores, industries, 'walk');
      const S = input.scores.assets.length;
      scores = new Float64Array(industries.length).fill(NaN);
      if (row !== undefined) for (let i = 0; i < industries.length; i++) scores[i] = input.scores.values[row * S + cols[i]];
    }
    const res = allocator({ date, industries, scores, returns, previous: held });
    weights.push({ industries: res.industries, weights: res.weights });
    diagnostics.push(res.diagnostics);
    if (res.diagnostics.turnover !== undefined) turnover[k] = res.diagnostics.turnover;
    // Drift to the next rebalance date.
    if (k + 1 < rebalanceDates.length) {
      const w = Float64Array.from(res.weights);
      if (input.drift !== false) {
        const cols = columnsOf(returns, res.industries, 'walk');
        const from = dateRow.get(date)! + 1, to = rowsUpTo(returns, rebalanceDates[k + 1]);
        for (let t = from; t < to; t++) {
          for (let i = 0; i < w.length; i++) {
            const r = returns.values[t * N + cols[i]];
            if (Number.isFinite(r)) w[i] *= 1 + r;
          }
        }
        let s = 0;
        for (let i = 0; i < w.length; i++) s += w[i];
        if (s > 0) for (let i = 0; i < w.length; i++) w[i] /= s;
      }
      held = { industries: res.industries, weights: w };
    }
  }
  return { dates: [...rebalanceDates], weights, diagnostics, turnover };
}
