/**
 * Momentum baselines: top-k equal weight on trailing industry returns measured in calendar months
 * ending at the rebalance date t (month m = the month of t, complete at a month-end t):
 *
 *   mom(L, S)_i = prod_{k = m-L+1}^{m-S} (1 + R_{k,i}) - 1
 *
 *   12-1M: L = 12, S = 1 (months m-11 .. m-1, the latest month skipped);   1M: L = 1, S = 0.
 *
 * An industry with a missing month in the window (fewer than half of its days with a return, see
 * `calendarMonthReturns`) has a NaN score (excluded, counted).
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { calendarMonthReturns, columnsOf, monthlyReturnsPanel, rowsUpTo, type MonthlyReturnsPanel } from './history.js';
import type { Allocator, BoundSpec } from './types.js';
import {
  eligibleFromScores, finishAllocation, newDiagnostics, preferenceOrder, resolveBound, topKEqualWeights, validateContext,
} from './weights.js';

/**
 * Momentum score per industry at `date` from the rows of `returns` dated <= date:
 *   mom_i = prod_{k=m-L+1}^{m-S} (1 + R_{k,i}) - 1   (calendar-month returns R, m = month of date),
 * NaN if fewer than L months of history or any month in the window is NaN. `monthly`: the
 * panel's `monthlyReturnsPanel`, when called at every rebalance date (same numbers, faster).
 */
export function momentumScores(returns: Panel, date: string, industries: readonly string[], lookbackMonths: number, skipMonths: number, monthly?: MonthlyReturnsPanel): Float64Array {
  if (!Number.isInteger(lookbackMonths) || !Number.isInteger(skipMonths) || skipMonths < 0 || lookbackMonths <= skipMonths) {
    throw new RotationError('MOMENTUM_BAD_WINDOW', `Momentum window L=${lookbackMonths}, S=${skipMonths} is invalid`, { lookbackMonths, skipMonths },
      'pass integers with 0 <= skipMonths < lookbackMonths (12-1M: 12, 1; 1M: 1, 0)');
  }
  const cols = columnsOf(returns, industries, 'momentum');
  const end = rowsUpTo(returns, date);
  const mr = calendarMonthReturns(returns, end, cols, monthly);
  const M = mr.months.length, J = cols.length;
  const out = new Float64Array(J).fill(NaN);
  if (M < lookbackMonths) return out;
  for (let j = 0; j < J; j++) {
    let g = 1;
    for (let k = M - lookbackMonths; k <= M - 1 - skipMonths; k++) g *= 1 + mr.values[k * J + j];
    out[j] = Number.isFinite(g) ? g - 1 : NaN;
  }
  return out;
}

export interface MomentumAllocatorOptions {
  /** L (months); default 12. */
  lookbackMonths?: number;
  /** S (most recent months skipped); default 1. */
  skipMonths?: number;
  /** Number of industries held (equal weight); default 5. */
  k?: number;
  caps?: BoundSpec;
  name?: string;
}

/**
 * Top-k equal weight on `momentumScores` (12-1M by default; { lookbackMonths: 1, skipMonths: 0 }
 * for 1M). Before any industry has L months of history it holds equal weight (noted,
 * details.fallback = true).
 */
export function momentumAllocator(options: MomentumAllocatorOptions = {}): Allocator {
  const L = options.lookbackMonths ?? 12, S = options.skipMonths ?? 1, k = options.k ?? 5;
  const name = options.name ?? (S === 0 ? `momentum-${L}m` : `momentum-${L}-${S}m`);
  let monthly: MonthlyReturnsPanel | undefined; // the walk's panel in calendar months, computed once
  return (ctx) => {
    validateContext(ctx, name, { returns: true });
    if (monthly?.source !== ctx.returns) monthly = monthlyReturnsPanel(ctx.returns!);
    const scores = momentumScores(ctx.returns!, ctx.date, ctx.industries, L, S, monthly);
    const diag = newDiagnostics(name, ctx.date);
    const eligible = eligibleFromScores(ctx.industries, scores, diag);
    for (const e of diag.excluded) e.reason = `NaN score (fewer than ${L} complete months of history)`;
    diag.details.scores = scores;
    const order = preferenceOrder(scores, eligible);
    const caps = resolveBound(options.caps, ctx.industries, 1, 'cap');
    if (order.length === 0) {
      // No industry has the history yet: the baseline is not defined, hold the benchmark.
      const n = ctx.industries.length;
      diag.notes.push(`no industry has ${L} complete months of returns: equal weight`);
      diag.details.fallback = true;
      diag.excluded = [];
      diag.nanScores = 0;
      return finishAllocation(ctx, new Float64Array(n).fill(1 / n), diag, { caps, eligible: new Uint8Array(n).fill(1) });
    }
    return finishAllocation(ctx, topKEqualWeights(scores, eligible, k), diag, { caps, eligible, order });
  };
}
