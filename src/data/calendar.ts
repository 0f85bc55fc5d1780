/**
 * Explicit calendars: the trading calendar (dates the market was open, taken from the data) and
 * rebalance calendars derived from it (month end by default), plus resampling of daily bars and
 * simple returns between rebalance dates.
 *
 * Horizons are counted in rebalance periods, never inferred from the spacing of the index:
 * `periodsPerYear` is fixed by the frequency (M 12, 2M 6, Q 4, W 52) and travels with the dates.
 *
 * Periods are calendar-fixed, so a rebalance calendar does not depend on where the data starts:
 *   M  = calendar months, 2M = Jan-Feb, Mar-Apr, ..., Nov-Dec, Q = calendar quarters,
 *   W  = ISO weeks Monday..Sunday.
 * anchor 'end' picks the last trading day of each period, 'start' the first.
 */
import { RotationError } from '../errors.js';
import { assertSameShape, isIsoDate, type Panel } from '../panel/panel.js';
import { countLoss, newLossReport, type LossReport } from './loss.js';
import type { MarketDataset } from './types.js';

export type RebalanceFrequency = 'M' | '2M' | 'Q' | 'W';
export type RebalanceAnchor = 'end' | 'start';

/**
 * What to do with a period the data may cover only in part: the last period for anchor 'end'
 * (partial when the data stop before the period's last weekday, Monday..Friday), the first
 * period for anchor 'start' (partial when the data begin after the period's first weekday).
 * 'drop' leaves it out; 'keep' uses the last (first) trading day present anyway.
 *
 * Defaults: 'drop' for anchor 'end' (data cut mid-month must not yield a false month end; a
 * complete month whose last weekday is a holiday and that ends the data is dropped too, the
 * conservative side); 'keep' for anchor 'start' (the first weekday of a period is often a
 * holiday, 1 January or 1 October, so the test would drop complete first periods; pass `from`
 * to skip a first period you know is partial).
 */
export type PartialPeriod = 'drop' | 'keep';

export interface RebalanceOptions {
  frequency: RebalanceFrequency;
  anchor: RebalanceAnchor;
  /** Keep rebalance dates >= from (ISO). */
  from?: string;
  /** Keep rebalance dates <= to (ISO). */
  to?: string;
  partial?: PartialPeriod;
}

export interface RebalanceCalendar {
  /** Rebalance dates, ascending, each a date of the trading calendar. */
  dates: string[];
  /** Rebalance periods per year implied by the frequency: M 12, 2M 6, Q 4, W 52. */
  periodsPerYear: number;
  frequency: RebalanceFrequency;
  anchor: RebalanceAnchor;
}

/** Rebalance periods per year of each calendar frequency: the one home of 12, 6, 4 and 52. */
export const PERIODS_PER_YEAR: Readonly<Record<RebalanceFrequency, number>> = Object.freeze({ M: 12, '2M': 6, Q: 4, W: 52 });
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date (UTC). */
function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

function isoFromDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Weekday of a day number: 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday). */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Period key: months since year 0 grouped by frequency, or ISO week number since 1969-12-29. */
function periodKey(iso: string, frequency: RebalanceFrequency): number {
  if (frequency === 'W') return Math.floor((dayNumber(iso) + 3) / 7);
  const y = Number(iso.slice(0, 4)), m = Number(iso.slice(5, 7)) - 1;
  const months = frequency === 'M' ? 1 : frequency === '2M' ? 2 : 3;
  return y * (12 / months) + Math.floor(m / months);
}

/** First and last calendar day (day numbers) of the period with key `key`. */
function periodBounds(key: number, frequency: RebalanceFrequency): [number, number] {
  if (frequency === 'W') return [key * 7 - 3, key * 7 + 3];
  const months = frequency === 'M' ? 1 : frequency === '2M' ? 2 : 3;
  const perYear = 12 / months;
  const y = Math.floor(key / perYear), m0 = (key - y * perYear) * months;
  return [Date.UTC(y, m0, 1) / MS_PER_DAY, Date.UTC(y, m0 + months, 0) / MS_PER_DAY];
}

/**
 * Validate a calendar: non-empty (CAL_EMPTY), ISO dates (CAL_BAD_DATE), strictly ascending
 * (CAL_UNSORTED, CAL_DUPLICATE_DATE). `what` names the argument in errors.
 */
function checkCalendar(dates: readonly string[], what: string): void {
  if (dates.length === 0) {
    throw new RotationError('CAL_EMPTY', `The ${what} is empty`, { argument: what },
      'pass at least one date (check the date filters and that the data loaded)');
  }
  for (let t = 0; t < dates.length; t++) {
    if (!isIsoDate(dates[t])) {
      throw new RotationError('CAL_BAD_DATE', `Unparseable date "${dates[t]}" in the ${what}`, { argument: what, position: t },
        'write dates as ISO yyyy-mm-dd');
    }
    if (t > 0 && dates[t] <= dates[t - 1]) {
      const dup = dates[t] === dates[t - 1];
      throw new RotationError(dup ? 'CAL_DUPLICATE_DATE' : 'CAL_UNSORTED',
        dup ? `Duplicate date ${dates[t]} in the ${what}` : `The ${what} is not ascending: ${dates[t - 1]} is followed by ${dates[t]}`,
        { argument: what, position: t, date: dates[t] },
        dup ? 'keep each date once' : 'sort the dates ascending');
    }
  }
}

/**
 * The trading calendar: the dates the market was open, from the data.
 *
 * - From a list of dates: validated (non-empty, ISO, strictly ascending) and copied.
 * - From a dataset: the dates of `dataset.calendar` on which at least one industry has a finite
 *   close. Dates where every industry close is NaN are left out and, if `loss` is given,
 *   counted there under "no industry close on the date".
 */
export function tradingCalendar(source: MarketDataset | readonly string[], loss?: LossReport): string[] {
  if (isDateList(source)) {
    checkCalendar(source, 'trading calendar');
    return [...source];
  }
  checkCalendar(source.calendar, `calendar of dataset "${source.name}"`);
  const close = source.industryBars.close;
  const same = close.dates.length === source.calendar.length && close.dates.every((d, t) => d === source.calendar[t]);
  if (!same) {
    throw new RotationError('CAL_MISALIGNED', `Industry close panel dates differ from the calendar of dataset "${source.name}"`,
      { dataset: source.name, calendarDates: source.calendar.length, closeDates: close.dates.length },
      'build industryBars on dataset.calendar (reindexTo(panel, calendar, assets))');
  }
  const N = close.assets.length;
  const out: string[] = [];
  for (let t = 0; t < close.dates.length; t++) {
    let open = false;
    for (let i = 0; i < N && !open; i++) open = Number.isFinite(close.values[t * N + i]);
    if (loss) loss.rowsRead++;
    if (open) {
      out.push(close.dates[t]);
      if (loss) loss.rowsKept++;
    } else if (loss) {
      countLoss(loss, 'no industry close on the date', 1, { date: close.dates[t] });
    }
  }
  if (out.length === 0) {
    throw new RotationError('CAL_EMPTY', `Dataset "${source.name}" has no date with an industry close`, { dataset: source.name },
      'check that the loader filled industryBars.close');
  }
  return out;
}

function isDateList(x: MarketDataset | readonly string[]): x is readonly string[] {
  return Array.isArray(x);
}

/**
 * Rebalance calendar of a trading calendar. For each calendar-fixed period P (see the module
 * comment) that holds at least one trading day:
 *
 *   anchor 'end':   d_P = max { t in calendar : t in P }   (last trading day of the period)
 *   anchor 'start': d_P = min { t in calendar : t in P }   (first trading day of the period)
 *
 * A month whose last weekday is a holiday therefore ends on the trading day before it.
 * A partial last period (anchor 'end') is dropped by default, a partial first period (anchor
 * 'start') kept by default; see `PartialPeriod`. `from` / `to` then keep from <= d_P <= to. `periodsPerYear` is fixed by the
 * frequency. Errors: empty or unsorted calendar (CAL_EMPTY, CAL_UNSORTED, CAL_DUPLICATE_DATE),
 * bad from/to (CAL_BAD_DATE), no date left (CAL_EMPTY).
 */
export function rebalanceCalendar(calendar: readonly string[], options: RebalanceOptions): RebalanceCalendar {
  const { frequency, anchor } = options;
  if (!(frequency in PERIODS_PER_YEAR)) {
    throw new RotationError('CAL_BAD_FREQUENCY', `Unknown rebalance frequency "${String(frequency)}"`, { argument: 'frequency' },
      "use 'M', '2M', 'Q' or 'W'");
  }
  if (anchor !== 'end' && anchor !== 'start') {
    throw new RotationError('CAL_BAD_ANCHOR', `Unknown anchor "${String(anchor)}"`, { argument: 'anchor' }, "use 'end' or 'start'");
  }
  for (const [name, d] of [['from', options.from], ['to', options.to]] as const) {
    if (d !== undefined && !isIsoDate(d)) {
      throw new RotationError('CAL_BAD_DATE', `Unparseable ${name} date "${d}"`, { argument: name }, 'write dates as ISO yyyy-mm-dd');
    }
  }
  checkCalendar(calendar, 'trading calendar');
  const picked: string[] = [];
  let prevKey = periodKey(calendar[0], frequency);
  if (anchor === 'start') picked.push(calendar[0]);
  for (let t = 1; t < calendar.length; t++) {
    const key = periodKey(calendar[t], frequency);
    if (key !== prevKey) {
      picked.push(anchor === 'end' ? calendar[t - 1] : calendar[t]);
      prevKey = key;
    }
  }
  if (anchor === 'end') picked.push(calendar[calendar.length - 1]);

  if ((options.partial ?? (anchor === 'end' ? 'drop' : 'keep')) === 'drop') {
    if (anchor === 'end') {
      const lastDate = calendar[calendar.length - 1];
      let lastWeekday = periodBounds(periodKey(lastDate, frequency), frequency)[1];
      while (weekday(lastWeekday) === 0 || weekday(lastWeekday) === 6) lastWeekday--;
      if (dayNumber(lastDate) < lastWeekday) picked.pop();
    } else {
      const firstDate = calendar[0];
      let firstWeekday = periodBounds(periodKey(firstDate, frequency), frequency)[0];
      while (weekday(firstWeekday) === 0 || weekday(firstWeekday) === 6) firstWeekday++;
      if (dayNumber(firstDate) > firstWeekday) picked.shift();
    }
  }
  const dates = picked.filter((d) => (options.from === undefined || d >= options.from) && (options.to === undefined || d <= options.to));
  if (dates.length === 0) {
    throw new RotationError('CAL_EMPTY', 'No rebalance date left', {
      frequency, anchor, from: options.from, to: options.to, calendarStart: calendar[0], calendarEnd: calendar[calendar.length - 1],
    }, 'widen from/to, or pass partial: "keep" if the data cover less than one full period');
  }
  return { dates, periodsPerYear: PERIODS_PER_YEAR[frequency], frequency, anchor };
}

/**
 * Month-end rebalance dates: the last trading day of each calendar month,
 *   d_m = max { t in calendar : month(t) = m },   from <= d_m <= to,
 * with the last month dropped when the data stop before its last weekday (a partial month;
 * `partial: 'keep'` keeps it). Same as `rebalanceCalendar(calendar, { frequency: 'M', anchor: 'end', from, to }).dates`.
 */
export function monthEndRebalanceDates(
  calendar: readonly string[],
  range: { from?: string; to?: string; partial?: PartialPeriod } = {},
): string[] {
  return rebalanceCalendar(calendar, { frequency: 'M', anchor: 'end', from: range.from, to: range.to, partial: range.partial }).dates;
}

/** The first and last weekday (Monday..Friday) of the period holding `date`, as ISO dates. */
export function periodWeekdayBounds(date: string, frequency: RebalanceFrequency): { first: string; last: string } {
  if (!isIsoDate(date)) {
    throw new RotationError('CAL_BAD_DATE', `Unparseable date "${date}"`, { argument: 'date' }, 'write dates as ISO yyyy-mm-dd');
  }
  let [a, b] = periodBounds(periodKey(date, frequency), frequency);
  while (weekday(a) === 0 || weekday(a) === 6) a++;
  while (weekday(b) === 0 || weekday(b) === 6) b--;
  return { first: isoFromDay(a), last: isoFromDay(b) };
}

/** Daily bar panels to resample; every present panel has the dates and assets of `close`. */
export interface BarPanels {
  open?: Panel;
  high?: Panel;
  low?: Panel;
  close: Panel;
  volume?: Panel;
  amount?: Panel;
}

export interface ResampledBars {
  /** The same fields as the input, one row per rebalance date. */
  bars: BarPanels;
  /** Cells (rebalance dates x assets) with and without a close in the period. */
  loss: LossReport;
}

export interface ResampleOptions {
  /** Start (ISO, inclusive) of the first period; default: the first date of the bars. */
  firstPeriodStart?: string;
  /** Name of the source in the loss report. */
  source?: string;
}

/** Row indices of `dates` in `calendar`; errors if unsorted (CAL_UNSORTED) or absent (CAL_DATE_NOT_IN_CALENDAR). */
function rowsOf(calendar: readonly string[], dates: readonly string[], what: string): number[] {
  checkCalendar(dates, what);
  const index = new Map<string, number>();
  for (let t = 0; t < calendar.length; t++) index.set(calendar[t], t);
  const rows: number[] = [];
  for (let k = 0; k < dates.length; k++) {
    const t = index.get(dates[k]);
    if (t === undefined) {
      throw new RotationError('CAL_DATE_NOT_IN_CALENDAR', `Rebalance date ${dates[k]} is not a date of the trading calendar`,
        { date: dates[k], position: k, calendarStart: calendar[0], calendarEnd: calendar[calendar.length - 1] },
        'derive rebalance dates from the same calendar (rebalanceCalendar / monthEndRebalanceDates)');
    }
    rows.push(t);
  }
  return rows;
}

function datesOf(r: readonly string[] | RebalanceCalendar): readonly string[] {
  return Array.isArray(r) ? r : (r as RebalanceCalendar).dates;
}

/**
 * Resample daily bars to a rebalance calendar d_0 < d_1 < ... . Row k summarizes period
 * P_k = (d_{k-1}, d_k] of the bars' calendar; P_0 = [firstPeriodStart or first bar date, d_0].
 *
 *   close_k  = last finite close in P_k        (the close at d_k, or the latest before it in the period)
 *   open_k   = first finite open in P_k
 *   high_k   = max of finite highs in P_k,     low_k = min of finite lows in P_k
 *   volume_k = sum of finite volumes in P_k,   amount_k likewise
 *
 * A field with no finite value in P_k is NaN; a missing close is counted in the loss report
 * ("no close in period"). Rebalance dates must be dates of the bars (CAL_DATE_NOT_IN_CALENDAR)
 * and ascending (CAL_UNSORTED).
 */
export function resampleBars(bars: BarPanels, rebalance: readonly string[] | RebalanceCalendar, options: ResampleOptions = {}): ResampledBars {
  const close = bars.close;
  const fields = ['open', 'high', 'low', 'volume', 'amount'] as const;
  for (const f of fields) {
    const p = bars[f];
    if (p) assertSameShape(close, p);
  }
  checkCalendar(close.dates, 'bar dates');
  const dates = datesOf(rebalance);
  const rows = rowsOf(close.dates, dates, 'rebalance dates');
  let start0 = 0;
  if (options.firstPeriodStart !== undefined) {
    if (!isIsoDate(options.firstPeriodStart) || options.firstPeriodStart > dates[0]) {
      throw new RotationError('CAL_BAD_DATE', `firstPeriodStart "${options.firstPeriodStart}" is not an ISO date on or before ${dates[0]}`,
        { argument: 'firstPeriodStart' }, 'pass an ISO date no later than the first rebalance date');
    }
    while (close.dates[start0] < options.firstPeriodStart) start0++;
  }
  const N = close.assets.length, K = dates.length;
  const loss = newLossReport('calendar:resample', options.source ?? 'bars');
  const out: Record<string, Float64Array> = {};
  const present = (['close', ...fields] as const).filter((f) => bars[f] !== undefined);
  for (const f of present) out[f] = new Float64Array(K * N).fill(NaN);

  for (let k = 0; k < K; k++) {
    const lo = k === 0 ? start0 : rows[k - 1] + 1, hi = rows[k];
    const o = k * N;
    for (const f of present) {
      const src = bars[f]!.values, dst = out[f];
      for (let t = lo; t <= hi; t++) {
        const base = t * N;
        for (let i = 0; i < N; i++) {
          const v = src[base + i];
          if (!Number.isFinite(v)) continue;
          const cur = dst[o + i];
          if (f === 'close') dst[o + i] = v;
          else if (f === 'open') { if (Number.isNaN(cur)) dst[o + i] = v; }
          else if (f === 'high') { if (Number.isNaN(cur) || v > cur) dst[o + i] = v; }
          else if (f === 'low') { if (Number.isNaN(cur) || v < cur) dst[o + i] = v; }
          else dst[o + i] = Number.isNaN(cur) ? v : cur + v;
        }
      }
    }
    const c = out.close;
    for (let i = 0; i < N; i++) {
      loss.rowsRead++;
      if (Number.isNaN(c[o + i])) countLoss(loss, 'no close in period', 1, { date: dates[k], asset: close.assets[i] });
      else loss.rowsKept++;
    }
  }
  loss.notes.push(`counts are cells (${K} rebalance dates x ${N} assets)`);
  const mk = (values: Float64Array): Panel => ({ dates: [...dates], assets: close.assets, values });
  const res: BarPanels = { close: mk(out.close) };
  for (const f of fields) if (out[f]) res[f] = mk(out[f]);
  return { bars: res, loss };
}

/**
 * Simple returns between consecutive rebalance dates, labelled at the END of each period:
 *
 *   R[k, i] = close(d_k, i) / close(d_{k-1}, i) - 1   for k >= 1,   R[0, i] = NaN,
 *
 * using the closes exactly at the rebalance dates (resample first to carry a stale close).
 * Row k is realised at d_k, so it is a backward-looking (known at d_k) return; pair it with the
 * calendar's `periodsPerYear` for annualisation. A zero previous close gives NaN. Errors: a rebalance date not in the panel
 * (CAL_DATE_NOT_IN_CALENDAR), unsorted or empty rebalance dates (CAL_UNSORTED, CAL_EMPTY).
 */
export function periodReturns(closePanel: Panel, rebalance: readonly string[] | RebalanceCalendar): Panel {
  const dates = datesOf(rebalance);
  const rows = rowsOf(closePanel.dates, dates, 'rebalance dates');
  const N = closePanel.assets.length, K = dates.length;
  const values = new Float64Array(K * N).fill(NaN);
  const src = closePanel.values;
  for (let k = 1; k < K; k++) {
    const a = rows[k - 1] * N, b = rows[k] * N, o = k * N;
    for (let i = 0; i < N; i++) {
      const r = src[b + i] / src[a + i] - 1;
      values[o + i] = Number.isFinite(r) ? r : NaN; // a zero close gives NaN, not Infinity
    }
  }
  return { dates: [...dates], assets: closePanel.assets, values };
}
