/**
 * Date texts of vendor files to ISO dates: the accepted layouts, an explicit --date-format, and the
 * hint that names a year-last layout when dates are rejected.
 */
import { RotationError } from '../../errors.js';

// ---------------------------------------------------------------------------------------------
// Dates

const DAYS_IN_MONTH: readonly number[] = Object.freeze([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

function isoFromParts(y: number, m: number, d: number): string | null {
  if (!(y >= 1800 && y <= 9999) || m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1];
  if (d > dim) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

const DATE_SEP_RE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_COMPACT_RE = /^(\d{4})(\d{2})(\d{2})(?:\.0+)?$/;
const DATE_CN_RE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;

/**
 * Normalise a vendor date to ISO yyyy-mm-dd, or null if it is not a real date.
 * Accepts 2024-01-31, 2024/1/31, 2024.1.31, 20240131 (also "20240131.0" from spreadsheets),
 * 2024年1月31日, and any of these followed by a time (2024-01-31 00:00:00, ...T00:00:00Z).
 */
export function normalizeDate(s: string): string | null {
  const t = s.trim();
  if (t.length === 10 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45) {
    const y = +t.slice(0, 4), m = +t.slice(5, 7), d = +t.slice(8, 10);
    if (Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d)) return isoFromParts(y, m, d) === t ? t : isoFromParts(y, m, d);
  }
  const mt = DATE_SEP_RE.exec(t) ?? DATE_COMPACT_RE.exec(t) ?? DATE_CN_RE.exec(t);
  if (!mt) return null;
  return isoFromParts(Number(mt[1]), Number(mt[2]), Number(mt[3]));
}

const QUARTER_RE = /^(\d{4})\s*[qQ]([1-4])$/;
const QUARTER_ENDS: readonly string[] = Object.freeze(['03-31', '06-30', '09-30', '12-31']);

/** Normalise a report period: a date (must be a quarter end) or "2024q1" / "2024Q1"; null if neither. */
export function normalizeReportPeriod(s: string): string | null {
  const q = QUARTER_RE.exec(s.trim());
  if (q) return `${q[1]}-${QUARTER_ENDS[Number(q[2]) - 1]}`;
  const d = normalizeDate(s);
  if (d === null) return null;
  return QUARTER_ENDS.includes(d.slice(5)) ? d : null;
}

/** Normalise a bar time to HH:MM ("9:31", "09:31:00", "0931" accepted); null if not a time. */
export function normalizeTime(s: string): string | null {
  const t = s.trim();
  const m = /^(\d{1,2}):?(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]), mi = Number(m[2]);
  if (h > 23 || mi > 59) return null;
  return `${h < 10 ? '0' : ''}${h}:${m[2]}`;
}

/**
 * How day-first and month-first dates are read: 'YYYY-MM-DD' (default: year first only, every
 * form `normalizeDate` accepts), 'MM/DD/YYYY' (US: 01/02/2024 = 2 January) or 'DD/MM/YYYY'
 * (01/02/2024 = 1 February). Separators '/', '-' or '.'; a time may follow. Year-first dates are
 * accepted under every format (they are unambiguous).
 */
export type DateFormat = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'DD/MM/YYYY';

/** The accepted `dateFormat` values. */
export const DATE_FORMATS: readonly DateFormat[] = Object.freeze(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY'] as DateFormat[]);

const DATE_YEAR_LAST_RE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/** Normalise `s` under `format` (see DateFormat) to ISO yyyy-mm-dd, or null. */
export function normalizeDateAs(format: DateFormat | undefined, s: string): string | null {
  if (format === undefined || format === 'YYYY-MM-DD') return normalizeDate(s);
  const m = DATE_YEAR_LAST_RE.exec(s.trim());
  if (!m) return normalizeDate(s);
  const a = Number(m[1]), b = Number(m[2]), y = Number(m[3]);
  return format === 'MM/DD/YYYY' ? isoFromParts(y, a, b) : isoFromParts(y, b, a);
}

/** Throws DATA_BAD_ARGUMENT unless `format` is undefined or one of DATE_FORMATS. */
export function assertDateFormat(format: unknown): void {
  if (format !== undefined && !DATE_FORMATS.includes(format as DateFormat)) {
    throw new RotationError('DATA_BAD_ARGUMENT', `Unknown date format "${String(format)}"`, { argument: 'dateFormat' }, `use one of ${DATE_FORMATS.join(', ')}`);
  }
}

/** A date normaliser that remembers the distinct texts it rejected. */
export interface DateNormalizer {
  (s: string): string | null;
  /** Distinct texts that were not dates (for the format hint). */
  rejected(): string[];
}

/** A per-call memo for date normalisation (daily files repeat a few thousand dates a million times). */
export function dateNormalizer(format?: DateFormat): DateNormalizer {
  assertDateFormat(format);
  const cache = new Map<string, string | null>();
  const fn = ((s: string) => {
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) {
      v = normalizeDateAs(format, s);
      cache.set(s, v);
    }
    return v ?? null;
  }) as DateNormalizer;
  fn.rejected = () => [...cache].filter(([, v]) => v === null).map(([k]) => k);
  return fn;
}

/**
 * A note naming the likely format of rejected dates written year last (dd/dd/yyyy), or undefined:
 * "dates look like MM/DD/YYYY" when some second part is above 12 and no first part is, DD/MM/YYYY
 * in the opposite case, both when no part is above 12; undefined unless most rejected texts are year-last.
 */
export function yearLastHint(rejected: readonly string[]): string | undefined {
  const m = rejected.map((t) => DATE_YEAR_LAST_RE.exec(t.trim())).filter((x): x is RegExpExecArray => x !== null);
  if (m.length === 0 || m.length * 2 < rejected.length) return undefined;
  const firstOver = m.some((x) => Number(x[1]) > 12), secondOver = m.some((x) => Number(x[2]) > 12);
  const fmt = secondOver && !firstOver ? 'MM/DD/YYYY' : firstOver && !secondOver ? 'DD/MM/YYYY' : 'MM/DD/YYYY or DD/MM/YYYY';
  return `dates look like ${fmt} (${m.length} distinct year-last date texts rejected, e.g. "${m[0][0]}")`;
}
