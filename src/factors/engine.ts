/**
 * The machinery every factor shares: input detection, date validation, the per-call cache, the
 * run wrapper (minimum industries per date, loss report by reason, "no computable date" error) and
 * aligned daily industry matrices.
 */
import { RotationError } from '../errors.js';
import { countLoss, newLossReport } from '../data/loss.js';
import type { DataFrequency, IndustryBars, MarketDataset, MonthEndSeries } from '../data/types.js';
import { datasetFrequency, knownMonthAt, lastRowOfMonth, monthIndex } from '../data/frequency.js';
import { forecastCount } from '../data/forecasts.js';
import type { Panel } from '../panel/panel.js';
import type { FactorCache, FactorComputeOptions, FactorDefinition, FactorInput, FactorResult } from './types.js';

/** Trading days per month of the daily lookbacks (1M = 20, 3M = 60, 6M = 120, 12M = 240 rows). */
export const TRADING_DAYS_PER_MONTH = 20;

/** Default minimum number of industries with a value for a date to be kept. */
export const DEFAULT_MIN_INDUSTRIES = 5;

/** A fresh cache for intermediate results shared by the factors computed on `dataset`. */
export function newFactorCache(dataset: MarketDataset): FactorCache {
  return { dataset, store: new Map() };
}

/** Get `key` from the cache, computing it with `make` the first time. */
export function cached<T>(cache: FactorCache, key: string, make: () => T): T {
  if (cache.store.has(key)) return cache.store.get(key) as T;
  const v = make();
  cache.store.set(key, v);
  return v;
}

/** The industry bar fields a factor may read. */
export type BarField = 'open' | 'high' | 'low' | 'close' | 'volume' | 'amount' | 'turnover' | 'pe' | 'pb' | 'ps' | 'dividendYield';
const BAR_FIELDS: readonly BarField[] = Object.freeze(['open', 'high', 'low', 'close', 'volume', 'amount', 'turnover', 'pe', 'pb', 'ps', 'dividendYield'] as BarField[]);

function hasFinite(p: Panel | undefined): boolean {
  if (!p) return false;
  const v = p.values;
  for (let k = 0; k < v.length; k++) if (Number.isFinite(v[k])) return true;
  return false;
}

/**
 * Membership schemes that cover the dataset's industries, with the number of records whose
 * industry is one of the dataset's industry codes, most first (ties by name).
 */
export function membershipSchemes(dataset: MarketDataset): { scheme: string; records: number }[] {
  const codes = new Set(dataset.industries.map((x) => x.code));
  const counts = new Map<string, number>();
  for (const m of dataset.stocks?.membership ?? []) {
    if (codes.has(m.industry)) counts.set(m.scheme, (counts.get(m.scheme) ?? 0) + 1);
  }
  return [...counts.entries()].map(([scheme, records]) => ({ scheme, records }))
    .sort((a, b) => b.records - a.records || (a.scheme < b.scheme ? -1 : a.scheme > b.scheme ? 1 : 0));
}

/**
 * The data requirements a dataset meets (see `FactorInput`): a bar field counts only when its panel
 * has at least one finite value, so an all-NaN placeholder panel is reported missing, never read as zero.
 */
export function datasetInputs(dataset: MarketDataset): Set<FactorInput> {
  const out = new Set<FactorInput>();
  const bars = dataset.industryBars as IndustryBars & Record<string, Panel | undefined>;
  for (const f of BAR_FIELDS) if (hasFinite(bars[f])) out.add(`industryBars.${f}` as FactorInput);
  const intra = dataset.industryIntraday;
  if (intra && intra.days.length > 0 && intra.barsPerDay > 0) {
    const codes = new Set(dataset.industries.map((x) => x.code));
    if (intra.codes.some((c) => codes.has(c))) out.add('industryIntraday');
  }
  if (membershipSchemes(dataset).length > 0) out.add('membership');
  if ((dataset.stocks?.fundamentals?.length ?? 0) > 0) out.add('fundamentals');
  if (dataset.stocks?.forecasts && forecastCount(dataset.stocks.forecasts) > 0) out.add('forecasts');
  if (datasetFrequency(dataset) === 'daily') out.add('calendar.daily');
  const me = dataset.monthEnd as (MonthEndSeries & Record<string, Panel | undefined>) | undefined;
  for (const f of MONTH_END_FIELDS) if (hasFinite(me?.[f])) out.add(`monthEnd.${f}` as FactorInput);
  return out;
}

/** The month-end series a factor may read (MarketDataset.monthEnd). */
export type MonthEndField = keyof MonthEndSeries;
const MONTH_END_FIELDS: readonly MonthEndField[] = Object.freeze(['pe', 'bookToMarket', 'avgFirmSize', 'numFirms'] as MonthEndField[]);

/** The inputs of `inputs` the dataset lacks, in the given order. */
export function missingInputs(dataset: MarketDataset, inputs: readonly FactorInput[]): FactorInput[] {
  const have = datasetInputs(dataset);
  return inputs.filter((x) => !have.has(x));
}

/** Everything a factor kernel needs for one computation. */
export interface FactorContext {
  readonly id: string;
  readonly dataset: MarketDataset;
  /** Rebalance dates asked for. */
  readonly dates: readonly string[];
  /** Row of each rebalance date in the trading calendar (`calendar`). */
  readonly rows: Int32Array;
  /** The trading calendar of the daily bars (industryBars.close.dates). */
  readonly calendar: readonly string[];
  /** Industry codes (columns of the result), dataset.industries order. */
  readonly industries: readonly string[];
  readonly cache: FactorCache;
  readonly scheme?: string;
  /** Calendar frequency of the dataset ('daily' or 'monthly'). */
  readonly frequency: DataFrequency;
  /** Record why cell (date k, industry j) is NaN. The first reason recorded for a cell wins. */
  miss(k: number, j: number, reason: string): void;
  /** Record a reason for every industry of date k. */
  missDate(k: number, reason: string): void;
}

/** A factor kernel: fills a dates x industries Float64Array (NaN = not computable, with a reason via ctx.miss). */
export type FactorKernel = (ctx: FactorContext) => Float64Array;

/** The descriptive part of a factor (everything except `compute` and the fixed frequency). */
export type FactorSpec = Omit<FactorDefinition, 'compute' | 'frequency'>;

/**
 * Build a frozen factor record from its description and kernel; `compute` runs `runFactor`. A
 * lookback in trading days (> 0) adds the input 'calendar.daily': such a factor is unavailable on
 * monthly data, and computing it there is FACTOR_NEEDS_DAILY_DATA.
 */
export function defineFactor(spec: FactorSpec, kernel: FactorKernel): FactorDefinition {
  const dailyRows = spec.lookback.unit === 'trading days' && spec.lookback.value > 0 && !spec.inputs.includes('calendar.daily');
  const def: FactorDefinition = {
    ...spec,
    inputs: Object.freeze(dailyRows ? [...spec.inputs, 'calendar.daily' as FactorInput] : [...spec.inputs]),
    lookback: Object.freeze({ ...spec.lookback }),
    frequency: 'monthly',
    compute: (dataset, dates, options) => runFactor(def, kernel, dataset, dates, options),
  };
  return Object.freeze(def);
}

/**
 * Run a factor kernel with the shared checks:
 * 1. every input present, else FACTOR_MISSING_INPUT listing the missing inputs;
 * 2. at least `minIndustries` industries in the dataset (FACTOR_TOO_FEW_INDUSTRIES);
 * 3. dates non-empty, ascending, each in the calendar (FACTOR_BAD_DATES, FACTOR_DATE_NOT_IN_CALENDAR);
 * 4. the kernel's values; then a date with 0 < (valid industries) < minIndustries is set to NaN
 *    and counted as "fewer than <min> industries with a value on the date";
 * 5. a loss report over the dates x industries cells by reason; no valid cell at all → FACTOR_NO_COMPUTABLE_DATE.
 */
export function runFactor(
  def: FactorDefinition, kernel: FactorKernel, dataset: MarketDataset, dates: readonly string[], options: FactorComputeOptions = {},
): FactorResult {
  const missing = missingInputs(dataset, def.inputs);
  if (missing.includes('calendar.daily')) {
    throw new RotationError('FACTOR_NEEDS_DAILY_DATA',
      `Factor ${def.id} reads trading-day windows (lookback ${def.lookback.value} ${def.lookback.unit}); dataset "${dataset.name}" is monthly`,
      { factor: def.id, dataset: dataset.name, lookback: `${def.lookback.value} ${def.lookback.unit}` },
      'use a month-based factor on monthly data (availableFactors(dataset) lists them), or a daily dataset for this factor');
  }
  if (missing.length) {
    throw new RotationError('FACTOR_MISSING_INPUT', `Factor ${def.id} needs ${missing.join(', ')}, which dataset "${dataset.name}" lacks`,
      { factor: def.id, dataset: dataset.name, missing },
      'compute it on a dataset with these inputs, or pick another factor (availableFactors(dataset) lists what this dataset supports)');
  }
  const minIndustries = options.minIndustries ?? DEFAULT_MIN_INDUSTRIES;
  if (!Number.isInteger(minIndustries) || minIndustries < 1) {
    throw new RotationError('FACTOR_BAD_ARGUMENT', `minIndustries must be an integer >= 1, got ${minIndustries}`,
      { factor: def.id, argument: 'minIndustries' }, 'pass a small integer such as 5 (the default)');
  }
  const industries = dataset.industries.map((x) => x.code);
  if (industries.length < minIndustries) {
    throw new RotationError('FACTOR_TOO_FEW_INDUSTRIES',
      `Dataset "${dataset.name}" has ${industries.length} industries; factor cross-sections need at least ${minIndustries}`,
      { factor: def.id, dataset: dataset.name, industries: industries.length, minIndustries },
      `use a dataset with at least ${minIndustries} industries, or lower minIndustries (CLI --min-industries; a cross-section of fewer industries is not meaningful)`);
  }
  const calendar = dataset.industryBars.close.dates;
  const rows = dateRows(calendar, dates, def.id, dataset.name);
  const cache = options.cache ?? newFactorCache(dataset);
  if (cache.dataset !== dataset) {
    throw new RotationError('FACTOR_CACHE_MISMATCH', `The factor cache was made for dataset "${cache.dataset.name}", not "${dataset.name}"`,
      { factor: def.id, dataset: dataset.name }, 'make one cache per dataset with newFactorCache(dataset)');
  }
  const K = dates.length, J = industries.length;
  const reasons: (string | undefined)[] = new Array(K * J);
  const ctx: FactorContext = {
    id: def.id, dataset, dates, rows, calendar, industries, cache, scheme: options.scheme, frequency: datasetFrequency(dataset),
    miss: (k, j, reason) => { if (reasons[k * J + j] === undefined) reasons[k * J + j] = reason; },
    missDate: (k, reason) => { for (let j = 0; j < J; j++) if (reasons[k * J + j] === undefined) reasons[k * J + j] = reason; },
  };
  const values = kernel(ctx);
  const fewReason = `fewer than ${minIndustries} industries with a value on the date`;
  for (let k = 0; k < K; k++) {
    let n = 0;
    for (let j = 0; j < J; j++) if (values[k * J + j] === values[k * J + j]) n++;
    if (n > 0 && n < minIndustries) {
      for (let j = 0; j < J; j++) {
        if (values[k * J + j] === values[k * J + j]) { values[k * J + j] = NaN; reasons[k * J + j] = fewReason; }
      }
    }
  }
  const loss = newLossReport(`factor:${def.id}`, dataset.name);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < J; j++) {
      loss.rowsRead++;
      const v = values[k * J + j];
      if (v === v) { loss.rowsKept++; continue; }
      countLoss(loss, reasons[k * J + j] ?? 'input value missing (NaN)', 1, { date: dates[k], industry: industries[j] });
    }
  }
  loss.notes.push(`cells are rebalance dates x industries (${K} x ${J}); minimum ${minIndustries} industries per date`);
  if (loss.rowsKept === 0) {
    throw new RotationError('FACTOR_NO_COMPUTABLE_DATE', `Factor ${def.id} has no value on any of the ${K} date(s)`,
      { factor: def.id, dataset: dataset.name, from: dates[0], to: dates[K - 1], reasons: Object.entries(loss.dropped).map(([r, n]) => `${r}: ${n}`) },
      Object.keys(loss.dropped).every((r) => r.startsWith('insufficient history'))
        ? `the factor needs ${def.lookback.value} ${def.lookback.unit} of history before a date: pass later dates or a longer history`
        : 'check that the dataset covers the factor\'s inputs before these dates (see the reasons)');
  }
  return { panel: { dates: [...dates], assets: [...industries], values }, loss };
}

/** Rows of `dates` in `calendar` (both ascending). Errors: FACTOR_BAD_DATES, FACTOR_DATE_NOT_IN_CALENDAR. */
export function dateRows(calendar: readonly string[], dates: readonly string[], factor: string, dataset: string): Int32Array {
  if (dates.length === 0) {
    throw new RotationError('FACTOR_BAD_DATES', 'No rebalance date given', { factor, dataset },
      'pass rebalance dates, e.g. monthEndRebalanceDates(dataset.calendar)');
  }
  const rows = new Int32Array(dates.length);
  let r = 0;
  for (let k = 0; k < dates.length; k++) {
    if (k > 0 && !(dates[k] > dates[k - 1])) {
      throw new RotationError('FACTOR_BAD_DATES', `Rebalance dates not strictly ascending: ${dates[k - 1]} then ${dates[k]}`,
        { factor, dataset, position: k }, 'sort the dates ascending and keep each once');
    }
    while (r < calendar.length && calendar[r] < dates[k]) r++;
    if (r >= calendar.length || calendar[r] !== dates[k]) {
      throw new RotationError('FACTOR_DATE_NOT_IN_CALENDAR', `Rebalance date ${dates[k]} is not a trading date of the dataset`,
        { factor, dataset, date: dates[k], calendarStart: calendar[0], calendarEnd: calendar[calendar.length - 1] },
        'derive the dates from the dataset calendar (monthEndRebalanceDates(dataset.calendar))');
    }
    rows[k] = r;
  }
  return rows;
}

/**
 * A daily industry bar field as a calendar x industries matrix (values[t*J + j], dataset.industries
 * order; NaN for an industry the panel lacks). Cached per field. The panel must share the close
 * panel's dates (FACTOR_MISALIGNED_INPUT).
 */
export function dailyField(ctx: FactorContext, field: BarField): Float64Array {
  return cached(ctx.cache, `bars:${field}`, () => {
    const panel = (ctx.dataset.industryBars as IndustryBars & Record<string, Panel | undefined>)[field];
    const T = ctx.calendar.length, J = ctx.industries.length;
    const out = new Float64Array(T * J).fill(NaN);
    if (!panel) return out;
    const same = panel.dates.length === T && panel.dates.every((d, t) => d === ctx.calendar[t]);
    if (!same) {
      throw new RotationError('FACTOR_MISALIGNED_INPUT', `industryBars.${field} has other dates than industryBars.close`,
        { factor: ctx.id, dataset: ctx.dataset.name, input: `industryBars.${field}` },
        'build every bar panel on the same trading calendar (reindexTo(panel, close.dates, assets))');
    }
    const N = panel.assets.length;
    const col = new Map(panel.assets.map((a, i) => [a, i]));
    const src = panel.values;
    for (let j = 0; j < J; j++) {
      const i = col.get(ctx.industries[j]);
      if (i === undefined) continue;
      for (let t = 0; t < T; t++) {
        const v = src[t * N + i];
        out[t * J + j] = Number.isFinite(v) ? v : NaN;
      }
    }
    return out;
  });
}

/** The "insufficient history" reason for a lookback of L rows. */
export function historyReason(L: number, unit = 'trading days'): string {
  return `insufficient history (lookback ${L} ${unit} before the date)`;
}

/** Reason for NaN inputs inside a daily window. */
export const MISSING_WINDOW = 'missing input data in the lookback window';

/**
 * The row `months` calendar months before row t, for price windows:
 * - daily data: t − 20·months (trading-day rows, the A-share convention 1M = 20 trading days);
 * - monthly data: the row of calendar month month(t) − months (−1 when that month is not in the
 *   calendar, so a gap in monthly data never silently stretches the window).
 * Returns −1 when the row is before the start of the calendar.
 */
export function monthsBackRow(ctx: FactorContext, t: number, months: number): number {
  if (ctx.frequency === 'daily') {
    const r = t - TRADING_DAYS_PER_MONTH * months;
    return r >= 0 ? r : -1;
  }
  const byMonth = cached(ctx.cache, 'cal:lastRowOfMonth', () => lastRowOfMonth(ctx.calendar));
  return byMonth.get(monthIndex(ctx.calendar[t]) - months) ?? -1;
}

/** The lookback in rows of a month-based price window on this dataset: 20·months (daily) or months (monthly). */
export function monthRows(ctx: FactorContext, months: number): number {
  return ctx.frequency === 'daily' ? TRADING_DAYS_PER_MONTH * months : months;
}

/** A month-end series aligned to the factor's industries: values[(m − first)·J + j] for month index m. */
export interface MonthEndMatrix {
  /** Month index (12·year + month − 1) of row 0. */
  first: number;
  months: number;
  values: Float64Array;
}

/** `dataset.monthEnd[field]` as a month-index x industries matrix (NaN where absent). Cached. Duplicate months: MONTHEND_DUPLICATE_MONTH. */
export function monthEndField(ctx: FactorContext, field: MonthEndField): MonthEndMatrix {
  return cached(ctx.cache, `monthEnd:${field}`, () => {
    const panel = ctx.dataset.monthEnd?.[field];
    const J = ctx.industries.length;
    if (!panel || panel.dates.length === 0) return { first: 0, months: 0, values: new Float64Array(0) };
    const first = monthIndex(panel.dates[0]), M = monthIndex(panel.dates[panel.dates.length - 1]) - first + 1;
    const values = new Float64Array(M * J).fill(NaN);
    const N = panel.assets.length;
    const col = new Map(panel.assets.map((a, i) => [a, i]));
    const seen = new Set<number>();
    for (let r = 0; r < panel.dates.length; r++) {
      const m = monthIndex(panel.dates[r]) - first;
      if (seen.has(m)) {
        throw new RotationError('MONTHEND_DUPLICATE_MONTH', `monthEnd.${field} has two rows in the month of ${panel.dates[r]}`,
          { factor: ctx.id, dataset: ctx.dataset.name, date: panel.dates[r] }, 'keep one row per calendar month (the month end)');
      }
      seen.add(m);
      for (let j = 0; j < J; j++) {
        const i = col.get(ctx.industries[j]);
        if (i === undefined) continue;
        const v = panel.values[r * N + i];
        if (Number.isFinite(v)) values[m * J + j] = v;
      }
    }
    return { first, months: M, values };
  });
}

/** Value of a month-end matrix at month index m for industry j (NaN outside its range). */
export function monthEndAt(x: MonthEndMatrix, J: number, m: number, j: number): number {
  const r = m - x.first;
  return r >= 0 && r < x.months ? x.values[r * J + j] : NaN;
}

/** The latest month whose month-end value is known at calendar row t (see `knownMonthAt` in src/data/frequency.ts). */
export function knownMonth(ctx: FactorContext, t: number): number {
  return knownMonthAt(ctx.calendar, t, ctx.frequency);
}
