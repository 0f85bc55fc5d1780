/**
 * The in-memory data model shared by the simulator and every loader.
 *
 * Dense daily data (bars, caps) are `Panel`s on one trading calendar; sparse, event-like data
 * (membership, fundamentals, index weights) are arrays of typed records carrying the date each
 * record became known, so every join can be made as of a date (point in time). Analyst forecasts,
 * by far the most numerous records, are held by column (`ForecastColumns`, src/data/forecasts.ts).
 * A loader or the simulator returns a `MarketDataset` plus the loss reports of how it was built.
 */
import type { Panel } from '../panel/panel.js';
import type { LossReport } from './loss.js';

export interface IndustryInfo {
  code: string;
  name: string;
}

/** Daily industry index bars on the trading calendar (dates x industry codes). */
export interface IndustryBars {
  open: Panel;
  high: Panel;
  low: Panel;
  close: Panel;
  /** Shares traded. */
  volume: Panel;
  /** Traded value in currency units, when the source has it. */
  amount?: Panel;
  /** Turnover rate (traded shares / free-float shares), fraction per day, when available. */
  turnover?: Panel;
  /** Index-level valuation ratios, when the source has them. */
  pe?: Panel;
  pb?: Panel;
  ps?: Panel;
  /** Dividend yield, fraction per year. */
  dividendYield?: Panel;
}

export interface StockInfo {
  code: string;
  name: string;
  /** First trading day (ISO). */
  listDate: string;
  /** Last trading day if delisted within the data, else undefined (still listed). */
  delistDate?: string;
}

/** Daily stock data on the trading calendar (dates x stock codes). NaN where not listed or suspended. */
export interface StockBars {
  /** Adjusted close (total-return adjusted, back-adjusted levels). */
  close: Panel;
  volume: Panel;
  amount?: Panel;
  /** Free-float market cap, currency units. */
  floatCap?: Panel;
  /** Total market cap, currency units. */
  totalCap?: Panel;
  /** 1 = traded that day, 0 = suspended / limit-locked, NaN = not listed. */
  tradable?: Panel;
}

/** A stock's membership of an industry over [validFrom, validTo] inclusive (validTo undefined = open). */
export interface MembershipRecord {
  stock: string;
  industry: string;
  /** Classification scheme, e.g. "citic_l1", "sw_l1". */
  scheme: string;
  validFrom: string;
  validTo?: string;
}

/** One quarterly report. `announceDate` is when it became known: nothing may use it before then. */
export interface FundamentalRecord {
  stock: string;
  /** Fiscal period end, ISO (quarter end: yyyy-03-31, -06-30, -09-30, -12-31). */
  reportPeriod: string;
  announceDate: string;
  /** Single-quarter revenue, currency units. */
  revenue: number;
  /** Single-quarter net profit attributable to parent, currency units. */
  netProfit: number;
  /** Single-quarter gross profit, currency units. */
  grossProfit: number;
  /** Single-quarter operating cash flow, currency units. */
  operatingCashFlow: number;
  /** Shareholders' equity at period end, currency units. */
  equity: number;
  /** Cash dividends declared over the trailing year, currency units (NaN if unknown). */
  dividends: number;
}

/** One analyst forecast. Known from `forecastDate`. */
export interface ForecastRecord {
  stock: string;
  forecastDate: string;
  broker: string;
  /** Fiscal year forecast (e.g. 2024). FY1/FY2 are relative to the forecast date. */
  fiscalYear: number;
  /** Forecast annual net profit, currency units. */
  netProfit: number;
  /** Forecast EPS, currency per share (NaN if not given). */
  eps: number;
  /** Rating on a 1 (sell) .. 5 (strong buy) scale (NaN if not given). */
  rating: number;
}

/**
 * Analyst forecasts by column: row r of every column is one forecast (`ForecastRecord`), known
 * from forecastDate[r]. Columns, not records: a simulated market holds ~315,000 forecasts, which
 * as objects cost ~170 bytes each on the JavaScript heap (~57 MB) and most of the cache's decode
 * time; by column they cost 56 bytes each. Build and read them with src/data/forecasts.ts.
 */
export interface ForecastColumns {
  stock: string[];
  forecastDate: string[];
  broker: string[];
  fiscalYear: Float64Array;
  netProfit: Float64Array;
  eps: Float64Array;
  rating: Float64Array;
}

/** Weight of a stock in an index on a date (fractions; each date sums to 1). */
export interface IndexWeightRecord {
  date: string;
  index: string;
  stock: string;
  weight: number;
}

/**
 * Intraday bars for a set of instruments on a set of days, fixed number of bars per day.
 * Arrays are [day][instrument][bar] flattened: k = (d * codes.length + i) * barsPerDay + b.
 */
export interface IntradayBars {
  codes: string[];
  days: string[];
  /** Bar end times, "HH:MM", length barsPerDay. */
  times: string[];
  barsPerDay: number;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface StockData {
  stocks: StockInfo[];
  bars: StockBars;
  membership: MembershipRecord[];
  fundamentals?: FundamentalRecord[];
  forecasts?: ForecastColumns;
  indexWeights?: IndexWeightRecord[];
  intraday?: IntradayBars;
}

/** Sampling frequency of a dataset's calendar: trading days, or one date per calendar month. */
export type DataFrequency = 'daily' | 'monthly';

/**
 * Month-end industry series (valuation and firm counts) on calendar month-end dates
 * (yyyy-mm-<last calendar day>, one row per month, independent of the trading calendar, so the
 * history may start before the prices do). Each row is known at the last trading day of its month
 * (daily datasets) or at its own date (monthly datasets), unless the loader states a later date
 * (the French annual BE/ME is placed at the month end from which it is known). NaN = no value.
 */
export interface MonthEndSeries {
  /** Index PE-TTM (x), vendor month-end value; 0 and negative masked by the loader. */
  pe?: Panel;
  /** Aggregate book-to-market (sum of BE / sum of ME), placed from the month it is known. */
  bookToMarket?: Panel;
  /** Average firm size (market cap, currency millions) of the industry's members. */
  avgFirmSize?: Panel;
  /** Number of firms in the industry portfolio. */
  numFirms?: Panel;
}

export interface MarketDataset {
  /** Short name shown in reports, e.g. "simulator(seed=7)" or "CITIC L1 (Wind export)". */
  name: string;
  /** Trading calendar: every date the market was open in the data, ascending. */
  calendar: string[];
  industries: IndustryInfo[];
  industryBars: IndustryBars;
  /** Industry-level intraday bars (for high-frequency factors), when available. */
  industryIntraday?: IntradayBars;
  stocks?: StockData;
  /** How the dataset was built: one report per file or stage. */
  losses: LossReport[];
  /** Free-form facts a report should state (survivorship bias, proxies, snapshots). */
  caveats: string[];
  /**
   * Calendar frequency: 'daily' (a trading calendar) or 'monthly' (one date per month, e.g. the
   * French industry files). Absent = inferred by `datasetFrequency` (src/data/frequency.ts).
   */
  frequency?: DataFrequency;
  /**
   * Calendar periods per year, for annualizing per-period statistics of the close series: 12 for
   * monthly data, the trading calendar's own days per year for daily data. Absent = computed by
   * `datasetPeriodsPerYear`.
   */
  periodsPerYear?: number;
  /** Month-end industry series (valuation, size, firm counts), when the source has them. */
  monthEnd?: MonthEndSeries;
}
