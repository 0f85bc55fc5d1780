/**
 * The simulator's trading calendar: weekdays minus a deterministic set of A-share-like holidays.
 *
 * Holidays per year Y (a date on a weekend simply adds nothing):
 *   New Year         1 Jan (moved to Monday when it falls on a Sunday)
 *   Spring Festival  eve of Lunar New Year through its 5th day (LNY-1 .. LNY+5)
 *   Qingming         5 Apr (Saturday -> Friday 4 Apr, Sunday -> Monday 6 Apr)
 *   Labour Day       1 .. 3 May
 *   Dragon Boat      LNY + 4 synodic months + 4 days (weekend -> Monday)
 *   Mid-Autumn       LNY + 7 synodic months + 14 days (weekend -> Monday)
 *   National Day     1 .. 7 Oct
 * Lunar New Year = the Beijing-time date of the first *mean* new moon on or after 21 January
 * (mean new moon 2000-01-06 18:14 UTC, synodic month 29.530588853 days). Mean rather than true
 * lunation can put LNY a day off the official date; that is a simulator, not an almanac.
 * The result has about 244 trading days a year, like the real market.
 */
export const MS_PER_DAY = 86_400_000;
const SYNODIC_DAYS = 29.530588853;
const NEW_MOON_EPOCH_MS = Date.UTC(2000, 0, 6, 18, 14);
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Days since 1970-01-01 (UTC) of an ISO date. */
export function isoToDayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

/** ISO yyyy-mm-dd of a day number (days since 1970-01-01 UTC). */
export function dayNumberToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day number of Lunar New Year of calendar year y (mean-new-moon approximation, see above). */
export function lunarNewYearDay(y: number): number {
  const jan21 = Date.UTC(y, 0, 21);
  const synodicMs = SYNODIC_DAYS * MS_PER_DAY;
  const k = Math.ceil((jan21 - BEIJING_OFFSET_MS - NEW_MOON_EPOCH_MS) / synodicMs);
  const beijing = NEW_MOON_EPOCH_MS + k * synodicMs + BEIJING_OFFSET_MS;
  return Math.floor(beijing / MS_PER_DAY);
}

function weekday(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDay();
}

/** Holiday day numbers of year y (weekdays and weekends alike; weekends are closed anyway). */
export function holidayDays(y: number): Set<number> {
  const out = new Set<number>();
  const add = (d: number): void => { out.add(d); };
  const toMonday = (d: number): number => (weekday(d) === 6 ? d + 2 : weekday(d) === 0 ? d + 1 : d);
  add(toMonday(Date.UTC(y, 0, 1) / MS_PER_DAY));
  const lny = lunarNewYearDay(y);
  for (let d = lny - 1; d <= lny + 5; d++) add(d);
  const apr5 = Date.UTC(y, 3, 5) / MS_PER_DAY;
  add(weekday(apr5) === 6 ? apr5 - 1 : weekday(apr5) === 0 ? apr5 + 1 : apr5);
  for (let k = 0; k < 3; k++) add(Date.UTC(y, 4, 1 + k) / MS_PER_DAY);
  add(toMonday(Math.round(lny + 4 * SYNODIC_DAYS + 4)));
  add(toMonday(Math.round(lny + 7 * SYNODIC_DAYS + 14)));
  for (let k = 0; k < 7; k++) add(Date.UTC(y, 9, 1 + k) / MS_PER_DAY);
  return out;
}

/**
 * Trading days from `start` (inclusive) to the last day of the month before start + years
 * (e.g. 2015-01-05 + 10 years -> 2015-01-05 .. 2024-12-31): weekdays that are not holidays.
 */
export function simulatorCalendar(start: string, years: number): string[] {
  const d0 = isoToDayNumber(start);
  const y0 = Number(start.slice(0, 4)), m0 = Number(start.slice(5, 7)) - 1;
  const totalMonths = Math.max(1, Math.round(years * 12));
  const endExclusive = Date.UTC(y0, m0 + totalMonths, 1) / MS_PER_DAY;
  const out: string[] = [];
  let holidays = holidayDays(y0), hy = y0;
  for (let d = d0; d < endExclusive; d++) {
    const iso = dayNumberToIso(d);
    const y = Number(iso.slice(0, 4));
    if (y !== hy) { holidays = holidayDays(y); hy = y; }
    const wd = weekday(d);
    if (wd === 0 || wd === 6 || holidays.has(d)) continue;
    out.push(iso);
  }
  return out;
}
