/**
 * The factor record: what a factor is (id, family, definition, formula, inputs, lookback,
 * direction, point-in-time rule) and how it is computed on a dataset at rebalance dates.
 */
import type { LossReport } from '../data/loss.js';
import type { MarketDataset } from '../data/types.js';
import type { Panel } from '../panel/panel.js';

export type FactorFamily = 'valuation' | 'growth' | 'quality' | 'technical' | 'analyst' | 'high_frequency';

/** The families in display order. */
export const FACTOR_FAMILIES: readonly FactorFamily[] = Object.freeze(['valuation', 'growth', 'quality', 'technical', 'analyst', 'high_frequency'] as FactorFamily[]);

/**
 * A named data requirement. 'industryBars.<field>' = that industry bar panel with at least one
 * finite value; 'industryIntraday' = industry intraday bars covering at least one industry;
 * 'membership' = stock → industry membership records for the dataset's industries;
 * 'fundamentals' / 'forecasts' = stock quarterly reports / analyst forecasts;
 * 'calendar.daily' = a daily trading calendar (a factor whose windows are trading-day rows, e.g. a
 * daily volatility, lists it; on monthly data it is unavailable and asking for it is
 * FACTOR_NEEDS_DAILY_DATA); 'monthEnd.<field>' = that month-end series (MarketDataset.monthEnd)
 * with at least one finite value.
 */
export type FactorInput =
  | 'industryBars.open' | 'industryBars.high' | 'industryBars.low' | 'industryBars.close' | 'industryBars.volume'
  | 'industryBars.amount' | 'industryBars.turnover'
  | 'industryBars.pe' | 'industryBars.pb' | 'industryBars.ps' | 'industryBars.dividendYield'
  | 'industryIntraday' | 'membership' | 'fundamentals' | 'forecasts'
  | 'calendar.daily'
  | 'monthEnd.pe' | 'monthEnd.bookToMarket' | 'monthEnd.avgFirmSize' | 'monthEnd.numFirms';

/**
 * How far back a factor reads. 'trading days' = rows of a daily calendar (daily data only);
 * 'months' = calendar months: on monthly data the row of the same calendar month m months earlier,
 * on daily data m × 20 trading days for price windows (TRADING_DAYS_PER_MONTH) and the month-end
 * row m calendar months earlier for month-end series.
 */
export interface Lookback {
  value: number;
  unit: 'trading days' | 'quarters' | 'months';
}

export interface FactorResult {
  /** dates (the rebalance dates asked for) x industry codes (dataset.industries order). */
  panel: Panel;
  /** Cells read = dates x industries; kept = valid cells; dropped by reason (insufficient history, missing input, too few industries, ...). */
  loss: LossReport;
}

/** Options of a factor computation. */
export interface FactorComputeOptions {
  /** A date with fewer valid industries than this is set to NaN and counted. Default 5. */
  minIndustries?: number;
  /** Membership scheme for constituent aggregation; default: the scheme that covers the dataset's industries. */
  scheme?: string;
  /** Shared intermediate results (see newFactorCache); pass one cache to compute many factors on one dataset. */
  cache?: FactorCache;
}

/** Intermediate results shared across factors computed on the same dataset (explicit, per call site; never module state). */
export interface FactorCache {
  readonly dataset: MarketDataset;
  readonly store: Map<string, unknown>;
}

export interface FactorDefinition {
  /** snake_case id, e.g. mom_12_1. */
  readonly id: string;
  readonly family: FactorFamily;
  /** One line. */
  readonly definition: string;
  /** The formula as text. */
  readonly formula: string;
  readonly inputs: readonly FactorInput[];
  readonly lookback: Lookback;
  /** +1: higher is better (expected to outperform); −1: lower is better. */
  readonly direction: 1 | -1;
  /** Evaluated at the rebalance dates (month ends of the calendar). */
  readonly frequency: 'monthly';
  /** What the value at date t may read. */
  readonly pointInTime: string;
  /** Set when the factor is a daily-bar proxy of an intraday concept: what it stands in for. */
  readonly proxy?: string;
  /** Compute at the rebalance dates `dates` (ascending, each a date of the dataset calendar). */
  compute(dataset: MarketDataset, dates: readonly string[], options?: FactorComputeOptions): FactorResult;
}
