/**
 * Calendar frequency of a dataset (daily trading calendar or monthly) and its periods per year,
 * plus calendar-month arithmetic for month-based lookbacks.
 *
 * - frequency: `dataset.frequency` when the loader set it, else inferred from the calendar: the
 *   median gap between consecutive dates >= 20 calendar days means monthly, else daily.
 * - periods per year: 12 for monthly data; for daily data the trading calendar's own density,
 *   round((T − 1) / years), years = (last − first) / 365.25 days (≈ 244 for A-shares, ≈ 252 for
 *   the US); a calendar spanning less than 30 days falls back to DAILY_PERIODS_PER_YEAR (252).
 */
import { RotationError } from '../errors.js';
import { DAILY_PERIODS_PER_YEAR } from '../metrics/conventions.js';
import type { DataFrequency, MarketDataset } from './types.js';

/** Monthly calendars have one date per calendar month. */
export const MONTHLY_PERIODS_PER_YEAR = 12;
/** Median gap (calendar days) from which a calendar counts as monthly. */
const MONTHLY_MIN_MEDIAN_GAP = 20;
const MS_PER_DAY = 86_400_000;

function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

/** 'monthly' when the median gap between consecutive dates is >= 20 calendar days, else 'daily' (fewer than 2 dates: 'daily'). */
export function inferFrequency(calendar: readonly string[]): DataFrequency {
  if (calendar.length < 2) return 'daily';
  const gaps: number[] = [];
  for (let t = 1; t < calendar.length; t++) gaps.push(dayNumber(calendar[t]) - dayNumber(calendar[t - 1]));
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] >= MONTHLY_MIN_MEDIAN_GAP ? 'monthly' : 'daily';
}

/** The dataset's calendar frequency: `ds.frequency` if set, else `inferFrequency(ds.calendar)`. */
export function datasetFrequency(ds: MarketDataset): DataFrequency {
  return ds.frequency ?? inferFrequency(ds.calendar);
}

/**
 * Periods per year of a calendar: 12 if monthly; daily: round((T − 1) / ((last − first) / 365.25)),
 * or DAILY_PERIODS_PER_YEAR when the calendar spans under 30 days.
 */
export function calendarPeriodsPerYear(calendar: readonly string[], frequency: DataFrequency): number {
  if (frequency === 'monthly') return MONTHLY_PERIODS_PER_YEAR;
  const T = calendar.length;
  if (T < 2) return DAILY_PERIODS_PER_YEAR;
  const days = dayNumber(calendar[T - 1]) - dayNumber(calendar[0]);
  if (days < 30) return DAILY_PERIODS_PER_YEAR;
  return Math.round((T - 1) / (days / 365.25));
}

/** The dataset's periods per year: `ds.periodsPerYear` if set, else `calendarPeriodsPerYear(ds.calendar, datasetFrequency(ds))`. */
export function datasetPeriodsPerYear(ds: MarketDataset): number {
  const p = ds.periodsPerYear ?? calendarPeriodsPerYear(ds.calendar, datasetFrequency(ds));
  if (!(p > 0) || !Number.isFinite(p)) {
    throw new RotationError('DATA_BAD_PERIODS_PER_YEAR', `periodsPerYear must be a positive number, got ${p}`, { dataset: ds.name },
      'set periodsPerYear to 12 for monthly data or the trading days per year for daily data (or leave it unset to compute it)');
  }
  return p;
}

/** Month index of an ISO date: 12·year + (month − 1) (so consecutive calendar months differ by 1). */
export function monthIndex(iso: string): number {
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

/** ISO month-end (last calendar day) of a month index. */
export function monthEndOfIndex(m: number): string {
  const y = Math.floor(m / 12), mo = (m % 12) + 1;
  const d = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Row of the last date of each calendar month in `calendar` (ascending ISO dates): month index → row. */
export function lastRowOfMonth(calendar: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  for (let t = 0; t < calendar.length; t++) out.set(monthIndex(calendar[t]), t);
  return out;
}

/**
 * The latest calendar month whose month-end value is known at row t of `calendar`: month(t) when
 * t is the last row of its month and that month is complete (monthly data; or a next row in a
 * later month; or, for the final row, t on or after the month's last weekday), else month(t) − 1.
 * A vendor month-end value (e.g. Wind's PE dated the calendar month end) is thereby known at the
 * last trading day of its month and never read before it.
 */
export function knownMonthAt(calendar: readonly string[], t: number, frequency: DataFrequency): number {
  const m = monthIndex(calendar[t]);
  if (frequency === 'monthly') return m;
  if (t + 1 < calendar.length) return monthIndex(calendar[t + 1]) > m ? m : m - 1;
  const d = calendar[t];
  let last = new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0));
  while (last.getUTCDay() === 0 || last.getUTCDay() === 6) last = new Date(last.getTime() - MS_PER_DAY);
  return d >= last.toISOString().slice(0, 10) ? m : m - 1;
}
