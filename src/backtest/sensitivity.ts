/**
 * Cost sensitivity: rerun the same backtest at several proportional cost levels and tabulate the
 * metrics that costs move (CAGR, excess CAGR, IR, cost drag), so a report shows how much of the
 * edge survives realistic costs.
 */
import { RotationError } from '../errors.js';
import { type PerformanceSummary } from '../metrics/tables.js';
import { summarizeBacktest, type BacktestSummaryOptions } from './summary.js';
import { runBacktest } from './engine.js';
import type { BacktestInput, BacktestResult } from './types.js';

/** The default cost grid, bps per unit traded. */
export const DEFAULT_COST_GRID_BPS: readonly number[] = [0, 10, 20, 50];

export interface CostSensitivityRow {
  costBps: number;
  cagr: number;
  excessCagr: number;
  arithmeticExcess: number;
  informationRatio: number;
  sharpe: number;
  maxDrawdown: number;
  excessMaxDrawdown: number;
  /** Annualized one-way turnover (unchanged by costs up to drift effects). */
  turnover: number;
  /** CAGR(gross) − CAGR(net). */
  costDrag: number;
}

export interface CostSensitivity {
  rows: CostSensitivityRow[];
  results: BacktestResult[];
  summaries: PerformanceSummary[];
}

/**
 * Rerun `input` at each cost level c ∈ `costsBps` (default 0, 10, 20, 50 bps per unit traded) and
 * summarize each run (summarizeBacktest with `options`). Row k holds the metrics of run k.
 * Errors: BT_BAD_COST for a negative or non-finite level, plus runBacktest's.
 */
export function costSensitivity(input: BacktestInput, costsBps: readonly number[] = DEFAULT_COST_GRID_BPS, options: BacktestSummaryOptions = {}): CostSensitivity {
  if (costsBps.length === 0) {
    throw new RotationError('BT_BAD_COST', 'The cost grid is empty', {}, 'pass at least one cost level in bps, e.g. [0, 10, 20, 50]');
  }
  const results: BacktestResult[] = [], summaries: PerformanceSummary[] = [], rows: CostSensitivityRow[] = [];
  for (const c of costsBps) {
    const bt = runBacktest({ ...input, costBps: c, name: `${input.name ?? 'strategy'} @ ${c} bps` });
    const s = summarizeBacktest(bt, options);
    results.push(bt);
    summaries.push(s);
    const v = s.values;
    rows.push({
      costBps: c, cagr: v.cagr, excessCagr: v.excessCagr, arithmeticExcess: v.arithmeticExcess, informationRatio: v.informationRatio,
      sharpe: v.sharpe, maxDrawdown: v.maxDrawdown, excessMaxDrawdown: v.excessMaxDrawdown, turnover: v.turnover, costDrag: v.costDrag,
    });
  }
  return { rows, results, summaries };
}
