/**
 * Types of the backtest layer: target weights in, daily portfolio and benchmark returns, drifted
 * weights, trades and costs out. See engine.ts for the arithmetic and conventions.ts (metrics) for
 * every definition.
 */
import type { Panel } from '../panel/panel.js';
import type { RebalanceCalendar } from '../data/calendar.js';
import type { LossReport } from '../data/loss.js';

/** A weight vector over named industries (aligned arrays); the portfolio layer's WeightVector fits. */
export interface NamedWeights {
  readonly industries: readonly string[];
  readonly weights: ArrayLike<number>;
}

/** Target weights decided at one rebalance date: a record industry → weight, or aligned arrays. */
export interface TargetWeights {
  /** Rebalance date (ISO), a date of the rebalance calendar. */
  readonly date: string;
  readonly weights: Readonly<Record<string, number>> | NamedWeights;
}

/**
 * Target weights per rebalance date: a Panel (rebalance dates x industries; industries not in
 * the panel get 0; NaN is an error) or a list of `TargetWeights`. Long-only, fully invested:
 * w_i >= 0 and Σ_i w_i = 1 within `weightTolerance` (then rescaled to sum to exactly 1).
 */
export type WeightSchedule = Panel | readonly TargetWeights[];

export type Execution = 'close' | 'next-open';

/**
 * Rebalance dates with the periods per year they stand for (a RebalanceCalendar fits). The
 * periods per year travel with the dates: an every-other-month schedule is 6, not 12.
 */
export interface RebalanceSchedule {
  readonly dates: readonly string[];
  readonly periodsPerYear: number;
}

/**
 * The benchmark the strategy is measured against (daily returns on the backtest's dates):
 * - 'equal-weight' (default): b_t = mean of r_t,i over industries with a valid return on t
 *   (rebalanced daily);
 * - 'returns': a supplied daily return series; its dates must include every backtest date
 *   (BT_BENCHMARK_CALENDAR otherwise) and it must be finite there (BT_RETURN_GAP);
 * - 'weights': a weight schedule on the close panel's industries, simulated like the strategy
 *   (drift between its dates, close execution, no costs); the latest weights on or before the
 *   start are held from the start.
 */
export type BenchmarkSpec =
  | { kind: 'equal-weight'; name?: string }
  | { kind: 'returns'; name?: string; dates: readonly string[]; returns: ArrayLike<number> }
  | { kind: 'weights'; name?: string; weights: WeightSchedule };

/**
 * What the engine does with a held industry-day without a close (see engine.ts, "Gap policy"):
 * `{ maxCarryDays }` carries the last close (return 0) for up to that many trading days, then
 * treats the industry as suspended (weight frozen, not traded) until it trades again; every
 * carried or frozen held industry-day is counted in `BacktestResult.gapLoss`. `'error'`:
 * BT_RETURN_GAP on any held gap (the strict behaviour).
 */
export type GapPolicy = 'error' | { maxCarryDays?: number };

export interface BacktestInput {
  /** Strategy name shown in reports (default 'strategy'). */
  name?: string;
  /** Daily closes, trading dates x industries. Daily returns are close_t / close_{t−1} − 1. */
  close: Panel;
  /** Daily opens, same dates and industries as `close`; needed for execution 'next-open'. */
  open?: Panel;
  weights: WeightSchedule;
  /**
   * Rebalance calendar the weight dates must belong to, with its periods per year; default: month
   * ends of `close.dates` (rebalanceCalendar M/end, partial last month dropped). A bare date list
   * is refused (BT_REBALANCE_NO_PERIODS): say how many periods a year it stands for.
   */
  rebalance?: RebalanceSchedule | RebalanceCalendar | readonly string[];
  benchmark?: BenchmarkSpec;
  /** Proportional cost per unit of value traded (buys and sells), in basis points. Default 0. */
  costBps?: number;
  /** 'close' (default): trade at the rebalance date's close; 'next-open': at the next day's open. */
  execution?: Execution;
  /** Ignore weights dated before `start` (ISO). */
  start?: string;
  /** Last date of the return window (ISO, default the last close date); later weights are ignored. */
  end?: string;
  /** Periods per year of the DAILY series (default 252, the convention's daily factor). */
  periodsPerYear?: number;
  /** |Σ w − 1| allowed before BT_WEIGHTS_SUM (default 1e-6). */
  weightTolerance?: number;
  /**
   * A rebalance date of the window without target weights: 'error' (default, BT_MISSING_WEIGHTS
   * listing them) or 'hold' (no trade; weights keep drifting; counted in notes).
   */
  onMissingWeights?: 'error' | 'hold';
  /** Missing closes of held industries: default `{ maxCarryDays: 5 }` (see GapPolicy). */
  gapPolicy?: GapPolicy;
}

/** One executed trade. Fractions are of portfolio value just before the trade. */
export interface RebalanceRecord {
  /** Rebalance (decision) date. */
  date: string;
  /** Date the trade executed: = date for 'close', the next trading day for 'next-open'. */
  tradeDate: string;
  /** Traded value Σ_i |w*_i − w̃_i| (buys + sells). */
  traded: number;
  /** One-way turnover ½ Σ_i |w*_i − w̃_i| (the initial build: Σ_i w*_i = 1). */
  turnover: number;
  /** Cost c · traded (fraction of value), c = costBps / 1e4. */
  cost: number;
  /**
   * The first trade (building the portfolio from cash): its turnover is the amount bought
   * (= traded = 1), and it is excluded from annualized turnover (its cost is charged).
   */
  initial: boolean;
  /** The date whose return carries the cost: the first day the new weights are held. */
  bookedDate: string;
}

/** A period where a growth factor was ≤ 0: wealth went to zero or below (reported, never logged). */
export interface RuinRecord {
  date: string;
  /** Wealth after that day (≤ 0). */
  wealth: number;
  /** What was ruined: the strategy or the benchmark. */
  series: 'strategy' | 'benchmark';
}

export interface BacktestResult {
  name: string;
  /** Daily dates of the return series: the trading days after `originDate` up to the end. */
  dates: string[];
  /** The first rebalance date: wealth is 1 at its close (W_0), before the initial trade. */
  originDate: string;
  /** Net daily returns (after costs). */
  returns: Float64Array;
  /** Daily returns before costs. */
  grossReturns: Float64Array;
  benchmarkName: string;
  benchmarkReturns: Float64Array;
  /** End-of-day drifted weights (after the trade on a close-trade day), dates x industries. */
  weights: Panel;
  /** Target weights actually traded, decision dates x industries. */
  targets: Panel;
  rebalances: RebalanceRecord[];
  /** Rebalance calendar dates inside the window (the weight dates belong to it). */
  rebalanceDates: string[];
  /** Periods per year of the rebalance calendar (12 for month ends). */
  rebalancePeriodsPerYear: number;
  /** Periods per year of the daily series (252 default). */
  periodsPerYear: number;
  costBps: number;
  execution: Execution;
  /** Wealth ≤ 0 events (empty normally). */
  ruin: RuinRecord[];
  /** Facts a report should state (held rebalance dates, open fallbacks, ignored weights). */
  notes: string[];
  /**
   * The gap policy's count over held industry-days of the whole run: carried and frozen days by
   * reason with examples (date, industry, last close date); frozen rebalances in its notes.
   */
  gapLoss: LossReport;
}
