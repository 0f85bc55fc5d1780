/**
 * Canonical file schemas (one typed definition per table) and the validators that turn parsed CSV
 * columns into the in-memory data model of `types.ts` plus a `LossReport`.
 *
 * Policy:
 * - Structural problems throw a `RotationError`: missing file, empty file, undecodable encoding
 *   (all in csv.ts), a missing required column (`DATA_MISSING_COLUMN`, listing expected and
 *   found), duplicate keys such as (date, code) (`DATA_DUPLICATE_KEY`), overlapping membership
 *   windows for one stock (`DATA_MEMBERSHIP_OVERLAP`), index weights not summing to 100 % within
 *   0.5 pp on a date (`DATA_WEIGHTS_NOT_100`, unless `renormalize`).
 * - Row-level problems are dropped (the row is unusable) or masked (the cell becomes NaN, the rest
 *   of the row is kept) and counted with row/column examples; with `{ strict: true }` the first
 *   one throws instead. Each row is counted once, under its first problem, so
 *   rowsRead = rowsKept + sum(dropped) holds; `rowsKept` counts rows kept intact, a masked row is
 *   counted under its masking reason. Cell-level mask totals are added to the notes.
 * - Unknown columns are listed in the loss report notes and ignored.
 */
import { RotationError, type Where } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { countLoss, newLossReport, type LossReport } from './loss.js';
import { NUM_BLANK, NUM_OK, NUM_TEXT, numericColumn, type CsvTable, type SkippedRow } from './csv.js';
import type {
  FundamentalRecord, ForecastRecord, IndexWeightRecord, IndustryBars, IndustryInfo, IntradayBars,
  MembershipRecord, StockBars, StockInfo,
} from './types.js';

export type TableName =
  | 'industry_bars' | 'stock_bars' | 'industry_membership' | 'fundamentals'
  | 'analyst_forecasts' | 'intraday_bars' | 'index_weights' | 'stocks';

export type FieldType = 'date' | 'string' | 'number' | 'integer' | 'time';

/** One column of a canonical file. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Unit after loading (vendor units are converted by vendors.ts). */
  readonly unit: string;
  readonly required: boolean;
  readonly meaning: string;
  /** When the value may be used (point-in-time rule). */
  readonly pointInTime: string;
}

/** A canonical table layout. */
export interface TableSchema {
  readonly name: TableName;
  readonly title: string;
  readonly description: string;
  /** Columns that identify a row: duplicates are an error. */
  readonly key: readonly string[];
  /** The column holding the date the row became known (checked against `asOf`). */
  readonly knownDate: string;
  /** File names the loader looks for in a `--data DIR` folder (gz allowed). */
  readonly fileNames: readonly string[];
  readonly fields: readonly FieldSpec[];
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

const f = (name: string, type: FieldType, unit: string, required: boolean, meaning: string, pointInTime: string): FieldSpec =>
  ({ name, type, unit, required, meaning, pointInTime });

const BAR_PIT = 'known at that day\'s close; usable for decisions made after the close of `date`';

/** The canonical schemas, by table name. Frozen. */
export const SCHEMAS: Readonly<Record<TableName, TableSchema>> = deepFreeze({
  industry_bars: {
    name: 'industry_bars', title: 'Industry index daily bars',
    description: 'One row per (trading day, industry index). Long layout; a wide close-only layout (date + one column per industry) is also read by loadIndustryBarsCsv.',
    key: ['date', 'code'], knownDate: 'date', fileNames: ['industry_bars.csv', 'industry_bars.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'trading day', BAR_PIT),
      f('code', 'string', '-', true, 'industry index code, e.g. CI005001.WI (never parsed as a number)', 'static'),
      f('name', 'string', '-', false, 'industry short name', 'static'),
      f('open', 'number', 'index points', false, 'opening level (NaN panel if the column is absent)', BAR_PIT),
      f('high', 'number', 'index points', false, 'highest level', BAR_PIT),
      f('low', 'number', 'index points', false, 'lowest level', BAR_PIT),
      f('close', 'number', 'index points', true, 'closing level (price index)', BAR_PIT),
      f('volume', 'number', 'shares', false, 'shares traded', BAR_PIT),
      f('amount', 'number', 'CNY', false, 'traded value', BAR_PIT),
      f('turnover', 'number', 'fraction per day', false, 'traded shares / free-float shares', BAR_PIT),
      f('pe', 'number', 'ratio', false, 'index price / earnings', BAR_PIT),
      f('pb', 'number', 'ratio', false, 'index price / book', BAR_PIT),
      f('ps', 'number', 'ratio', false, 'index price / sales', BAR_PIT),
      f('dividend_yield', 'number', 'fraction per year', false, 'trailing dividend yield', BAR_PIT),
    ],
  },
  stock_bars: {
    name: 'stock_bars', title: 'Stock daily bars',
    description: 'One row per (trading day, stock). Suspended days may be absent (NaN in the panels).',
    key: ['date', 'code'], knownDate: 'date', fileNames: ['stock_bars.csv', 'stock_bars.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'trading day', BAR_PIT),
      f('code', 'string', '-', true, 'stock code with exchange suffix, e.g. 000001.SZ (kept as text: leading zeros matter)', 'static'),
      f('close', 'number', 'CNY (adjusted)', true, 'total-return adjusted close (back-adjusted levels)', BAR_PIT),
      f('volume', 'number', 'shares', false, 'shares traded (NaN panel if the column is absent)', BAR_PIT),
      f('amount', 'number', 'CNY', false, 'traded value', BAR_PIT),
      f('float_cap', 'number', 'CNY', false, 'free-float market cap', BAR_PIT),
      f('total_cap', 'number', 'CNY', false, 'total market cap', BAR_PIT),
      f('tradable', 'number', '0/1', false, '1 = traded that day, 0 = suspended or limit-locked', BAR_PIT),
    ],
  },
  industry_membership: {
    name: 'industry_membership', title: 'Industry membership',
    description: 'One row per (stock, classification scheme, validity window). Windows of one stock in one scheme must not overlap.',
    key: ['stock', 'scheme', 'valid_from'], knownDate: 'valid_from', fileNames: ['industry_membership.csv', 'industry_membership.csv.gz'],
    fields: [
      f('stock', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('industry', 'string', '-', true, 'industry code in the scheme', 'valid from valid_from'),
      f('industry_name', 'string', '-', false, 'industry name', 'static'),
      f('scheme', 'string', '-', false, 'classification scheme, e.g. citic_l1, sw_l1 (default from the loader option)', 'static'),
      f('valid_from', 'date', 'ISO yyyy-mm-dd', true, 'first day of membership (inclusive)', 'membership is known from valid_from; a snapshot back-dated to the start of the data is look-ahead (the loader says so in caveats)'),
      f('valid_to', 'date', 'ISO yyyy-mm-dd', false, 'last day of membership (inclusive); blank or a date in year >= 2100 (e.g. 2200-01-01) = still valid', 'known on valid_to'),
    ],
  },
  fundamentals: {
    name: 'fundamentals', title: 'Quarterly fundamentals',
    description: 'One row per (stock, report period, announcement). Restatements are new rows with a later announce_date.',
    key: ['stock', 'report_period', 'announce_date'], knownDate: 'announce_date', fileNames: ['fundamentals.csv', 'fundamentals.csv.gz'],
    fields: [
      f('stock', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('report_period', 'date', 'ISO quarter end', true, 'fiscal period end (yyyy-03-31, -06-30, -09-30, -12-31; 2024q1 accepted)', 'never usable before announce_date'),
      f('announce_date', 'date', 'ISO yyyy-mm-dd', true, 'date the report became public; must be after report_period', 'the record may be used from announce_date on (as-of join on this column)'),
      f('revenue', 'number', 'CNY', true, 'single-quarter revenue', 'from announce_date'),
      f('net_profit', 'number', 'CNY', true, 'single-quarter net profit attributable to parent', 'from announce_date'),
      f('gross_profit', 'number', 'CNY', false, 'single-quarter gross profit', 'from announce_date'),
      f('operating_cash_flow', 'number', 'CNY', false, 'single-quarter operating cash flow', 'from announce_date'),
      f('equity', 'number', 'CNY', false, 'shareholders\' equity at period end', 'from announce_date'),
      f('dividends', 'number', 'CNY', false, 'cash dividends declared over the trailing year', 'from announce_date'),
    ],
  },
  analyst_forecasts: {
    name: 'analyst_forecasts', title: 'Analyst forecasts',
    description: 'One row per (stock, forecast date, broker, fiscal year).',
    key: ['stock', 'forecast_date', 'broker', 'fiscal_year'], knownDate: 'forecast_date', fileNames: ['analyst_forecasts.csv', 'analyst_forecasts.csv.gz'],
    fields: [
      f('stock', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('forecast_date', 'date', 'ISO yyyy-mm-dd', true, 'date the forecast was published', 'usable from forecast_date on'),
      f('broker', 'string', '-', true, 'issuing broker / institution', 'static'),
      f('fiscal_year', 'integer', 'year', true, 'fiscal year forecast (FY1/FY2 are relative to forecast_date)', 'from forecast_date'),
      f('net_profit', 'number', 'CNY', true, 'forecast annual net profit attributable to parent', 'from forecast_date'),
      f('eps', 'number', 'CNY per share', false, 'forecast EPS', 'from forecast_date'),
      f('rating', 'number', '1..5', false, 'rating, 1 = sell .. 5 = strong buy', 'from forecast_date'),
    ],
  },
  intraday_bars: {
    name: 'intraday_bars', title: 'Intraday bars',
    description: 'One row per (day, bar end time, instrument); the same bar times every day.',
    key: ['date', 'time', 'code'], knownDate: 'date', fileNames: ['intraday_bars.csv', 'intraday_bars.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'trading day', 'known at the bar end time'),
      f('time', 'time', 'HH:MM', true, 'bar end time (local exchange time)', 'known at the bar end time'),
      f('code', 'string', '-', true, 'instrument code', 'static'),
      f('open', 'number', 'price or index points', false, 'bar open', 'known at the bar end time'),
      f('high', 'number', 'price or index points', false, 'bar high', 'known at the bar end time'),
      f('low', 'number', 'price or index points', false, 'bar low', 'known at the bar end time'),
      f('close', 'number', 'price or index points', true, 'bar close', 'known at the bar end time'),
      f('volume', 'number', 'shares', false, 'shares traded in the bar', 'known at the bar end time'),
    ],
  },
  index_weights: {
    name: 'index_weights', title: 'Index constituent weights',
    description: 'One row per (date, index, stock). Weights of one index on one date sum to 100 (percent) within 0.5 pp; in memory they are fractions summing to 1.',
    key: ['date', 'index', 'stock'], knownDate: 'date', fileNames: ['index_weights.csv', 'index_weights.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'date the weights apply to', 'known on date (published weights; usable from the next rebalance)'),
      f('index', 'string', '-', true, 'index code, e.g. 000905.SH', 'static'),
      f('stock', 'string', '-', true, 'constituent stock code', 'static'),
      f('weight_pct', 'number', 'percent', true, 'weight in percent (loaded as a fraction)', 'known on date'),
    ],
  },
  stocks: {
    name: 'stocks', title: 'Stock list',
    description: 'One row per stock.',
    key: ['code'], knownDate: 'list_date', fileNames: ['stocks.csv', 'stocks.csv.gz'],
    fields: [
      f('code', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('name', 'string', '-', true, 'short name (latest)', 'the latest name, not point in time'),
      f('list_date', 'date', 'ISO yyyy-mm-dd', true, 'first trading day', 'static'),
      f('delist_date', 'date', 'ISO yyyy-mm-dd', false, 'last trading day if delisted', 'known on delist_date'),
    ],
  },
} satisfies Record<TableName, TableSchema>);

/** All canonical table names, in documentation order. */
export const TABLE_NAMES: readonly TableName[] = Object.freeze([
  'industry_bars', 'stock_bars', 'industry_membership', 'fundamentals', 'analyst_forecasts', 'intraday_bars', 'index_weights', 'stocks',
] as TableName[]);

/** The schema of a table; throws `DATA_UNKNOWN_TABLE` for a name that is not canonical. */
export function schemaFor(name: string): TableSchema {
  const s = (SCHEMAS as Record<string, TableSchema>)[name];
  if (!s) {
    throw new RotationError('DATA_UNKNOWN_TABLE', `Unknown table "${name}"`, { table: name }, `use one of ${TABLE_NAMES.join(', ')}`);
  }
  return s;
}

/** Names of the numeric (number/integer) fields of a table. */
export function numericFieldNames(name: TableName): string[] {
  return SCHEMAS[name].fields.filter((x) => x.type === 'number' || x.type === 'integer').map((x) => x.name);
}

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

// ---------------------------------------------------------------------------------------------
// Row ledger: counts each row once, throws in strict mode

/** A kind of row-level problem: stable error code, loss-report reason, how to fix it. */
export interface Issue {
  code: string;
  reason: string;
  fix: string;
}

/** Options shared by the validators. */
export interface ValidateOptions {
  /** Throw on the first row-level problem instead of dropping / masking and counting it. */
  strict?: boolean;
  /** Drop rows whose known date (schema `knownDate`) is after this ISO date. */
  asOf?: string;
  /** Stage name for the loss report (default "load <table>"). */
  stage?: string;
  /** How dates are written (default year first; see DateFormat). */
  dateFormat?: DateFormat;
  /**
   * Bars dated after this ISO date are future rows (a vendor placeholder, a typo such as 2030):
   * dropped and counted as "date in the future". The folder loader sets it to today when no
   * `asOf` is given. Ignored when `asOf` is given (asOf cuts first).
   */
  notAfter?: string;
}

const KEEP = 0, MASKED = 1, DROPPED = 2;

/**
 * Tracks what happened to each row of one file. Each row is counted once, under its first problem:
 * a dropped row is gone; a masked row is kept with some cells NaN. `finish()` returns the balanced
 * loss report (rowsRead = rows parsed + rows the parser skipped).
 */
export class RowLedger {
  readonly report: LossReport;
  private readonly state: Uint8Array;
  private readonly cellMasks = new Map<string, number>();
  private readonly strict: boolean;
  private readonly source: string;
  private readonly lines: Int32Array | undefined;

  constructor(stage: string, source: string, nRows: number, options: { strict?: boolean; skipped?: readonly SkippedRow[]; lines?: Int32Array } = {}) {
    this.report = newLossReport(stage, source);
    this.state = new Uint8Array(nRows);
    this.strict = options.strict ?? false;
    this.source = source;
    this.lines = options.lines;
    const skipped = options.skipped ?? [];
    this.report.rowsRead = nRows + skipped.length;
    for (const s of skipped) {
      const where = { file: source, line: s.line, record: s.excerpt };
      if (this.strict) {
        throw new RotationError('DATA_RAGGED_ROW', `Record has the wrong number of fields: ${s.reason}`, where,
          'quote fields that contain the delimiter, or remove footer/notes lines from the export');
      }
      countLoss(this.report, 'wrong number of fields (row dropped)', 1, where);
    }
  }

  /** The `where` of row i: file, line (1-based) and the extra keys given. */
  where(i: number, extra: Where = {}): Record<string, string | number> {
    const w: Record<string, string | number> = { file: this.source };
    if (this.lines) w.line = this.lines[i];
    else w.row = i + 1;
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) w[k] = Array.isArray(v) ? v.join(', ') : (v as string | number);
    return w;
  }

  private hit(i: number, issue: Issue, extra: Where, newState: number): void {
    const where = this.where(i, extra);
    if (this.strict) throw new RotationError(issue.code, issue.reason, where, issue.fix);
    if (this.state[i] === KEEP) {
      this.state[i] = newState;
      countLoss(this.report, issue.reason, 1, where);
    } else if (newState === DROPPED) {
      this.state[i] = DROPPED;
    }
  }

  /** Drop row i for `issue` (counted unless the row was already counted). */
  drop(i: number, issue: Issue, extra: Where = {}): void {
    this.hit(i, issue, extra, DROPPED);
  }

  /** Mask `cells` cell(s) of row i for `issue`: the row stays, the cells become NaN (the caller sets them). */
  mask(i: number, issue: Issue, extra: Where = {}, cells = 1): void {
    this.hit(i, issue, extra, MASKED);
    this.cellMasks.set(issue.reason, (this.cellMasks.get(issue.reason) ?? 0) + cells);
  }

  isDropped(i: number): boolean {
    return this.state[i] === DROPPED;
  }

  /** Count of rows not dropped (intact + masked). */
  usableRows(): number {
    let c = 0;
    for (let i = 0; i < this.state.length; i++) if (this.state[i] !== DROPPED) c++;
    return c;
  }

  /** Close the report: rowsKept = rows intact; masked-cell totals go into the notes. */
  finish(): LossReport {
    let kept = 0;
    for (let i = 0; i < this.state.length; i++) if (this.state[i] === KEEP) kept++;
    this.report.rowsKept = kept;
    const masks = [...this.cellMasks.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const [reason, n] of masks) this.report.notes.push(`cells masked to NaN for "${reason}": ${n}`);
    return this.report;
  }
}

/** The catalogue of row-level issues. `col` names the column in the reason. */
export const ISSUES = Object.freeze({
  badDate: (col: string): Issue => ({ code: 'DATA_BAD_DATE', reason: `${col}: unparseable date (row dropped)`, fix: 'write dates as yyyy-mm-dd, yyyymmdd or yyyy/m/d' }),
  blankId: (col: string): Issue => ({ code: 'DATA_MISSING_VALUE', reason: `${col}: blank identifier (row dropped)`, fix: `fill in ${col} or remove the row` }),
  badId: (col: string, pattern: string): Issue => ({ code: 'DATA_BAD_IDENTIFIER', reason: `${col}: not a valid code (row dropped)`, fix: `${col} must match ${pattern}; the source may have failed to fetch it` }),
  blankRequired: (col: string): Issue => ({ code: 'DATA_MISSING_VALUE', reason: `${col}: blank required value (row dropped)`, fix: `fill in ${col} or remove the row` }),
  textDrop: (col: string): Issue => ({ code: 'DATA_NOT_A_NUMBER', reason: `${col}: text where a number belongs (row dropped)`, fix: `write ${col} as a plain number (e.g. 1234.5); blank or NA for missing` }),
  textMask: (col: string): Issue => ({ code: 'DATA_NOT_A_NUMBER', reason: `${col}: text where a number belongs (masked to NaN)`, fix: `write ${col} as a plain number (e.g. 1234.5); blank or NA for missing` }),
  nonPositiveDrop: (col: string): Issue => ({ code: 'DATA_NONPOSITIVE_PRICE', reason: `${col} <= 0 (row dropped)`, fix: `prices must be > 0; remove the row or leave ${col} blank if unknown` }),
  nonPositiveMask: (col: string): Issue => ({ code: 'DATA_NONPOSITIVE_PRICE', reason: `${col} <= 0 (masked to NaN)`, fix: `prices must be > 0; leave ${col} blank if unknown` }),
  negativeVolume: (col: string): Issue => ({ code: 'DATA_NEGATIVE_VOLUME', reason: `${col} < 0 (masked to NaN)`, fix: `volumes cannot be negative; check the export of ${col}` }),
  highBelowLow: (): Issue => ({ code: 'DATA_HIGH_BELOW_LOW', reason: 'high < low (high and low masked to NaN)', fix: 'check whether high and low are swapped in the export' }),
  futureDate: (col: string, today: string): Issue => ({ code: 'DATA_FUTURE_DATE', reason: `${col} in the future, after ${today} (row dropped)`, fix: 'future rows are placeholders or typos (e.g. 2030 for 2020): correct or remove them, or pass --asof' }),
  afterAsOf: (col: string, asOf: string): Issue => ({ code: 'DATA_AFTER_AS_OF', reason: `${col} after asOf ${asOf} (row dropped)`, fix: `remove rows known after ${asOf}, or load with a later asOf` }),
  announcedEarly: (): Issue => ({ code: 'DATA_ANNOUNCED_BEFORE_PERIOD_END', reason: 'announce_date on or before report_period end (row dropped: not point in time)', fix: 'use the real announcement date (公告日期), not the period end; a report cannot be published before its period ends' }),
  notQuarterEnd: (): Issue => ({ code: 'DATA_BAD_DATE', reason: 'report_period: not a quarter end (row dropped)', fix: 'report_period must be yyyy-03-31, -06-30, -09-30 or -12-31 (2024q1 accepted)' }),
  badWindow: (): Issue => ({ code: 'DATA_BAD_WINDOW', reason: 'valid_to before valid_from (row dropped)', fix: 'swap or correct the window dates' }),
  badWeight: (): Issue => ({ code: 'DATA_BAD_WEIGHT', reason: 'weight_pct blank, not a number or negative (row dropped)', fix: 'weights must be numbers >= 0' }),
  badTime: (): Issue => ({ code: 'DATA_BAD_TIME', reason: 'time: not HH:MM (row dropped)', fix: 'write bar times as HH:MM' }),
  badInteger: (col: string): Issue => ({ code: 'DATA_NOT_A_NUMBER', reason: `${col}: not an integer (row dropped)`, fix: `write ${col} as a whole number, e.g. 2024` }),
  outOfRange: (col: string, range: string): Issue => ({ code: 'DATA_OUT_OF_RANGE', reason: `${col}: outside ${range} (masked to NaN)`, fix: `${col} must be in ${range}` }),
  zeroPlaceholder: (cols: string): Issue => ({ code: 'DATA_ZERO_PLACEHOLDER', reason: `${cols} = 0 placeholder with a valid close (masked to NaN)`, fix: 'the vendor writes 0 for "no data"; nothing to fix, the zeros are treated as missing' }),
});

/**
 * Check the header against a schema. Throws `DATA_MISSING_COLUMN` listing expected and found
 * columns when a required one is absent; returns notes naming unknown (ignored) columns.
 */
export function checkColumns(t: CsvTable, schema: TableSchema, also: readonly string[] = []): string[] {
  const found = t.header.filter((h) => h !== '');
  const have = new Set(found);
  const missing = schema.fields.filter((x) => x.required && !have.has(x.name)).map((x) => x.name);
  if (missing.length) {
    throw new RotationError('DATA_MISSING_COLUMN',
      `Required column(s) ${missing.join(', ')} missing for table ${schema.name}`,
      { file: t.source, missing, expected: schema.fields.filter((x) => x.required).map((x) => x.name), found },
      `add the column(s) or rename the vendor's header (see data/README.md for the vendor mappings; pass --vendor (library: { vendor }) if auto-detection picked the wrong one)`);
  }
  const known = new Set([...schema.fields.map((x) => x.name), ...also]);
  const unknown = found.filter((h) => !known.has(h));
  return unknown.length ? [`unknown column(s) ignored: ${unknown.join(', ')}`] : [];
}

function assertAsOf(asOf: string | undefined): void {
  if (asOf !== undefined && normalizeDate(asOf) !== asOf) {
    throw new RotationError('DATA_BAD_DATE', `asOf "${asOf}" is not an ISO date`, { argument: 'asOf' }, 'pass asOf as yyyy-mm-dd');
  }
}

function stringCol(t: CsvTable, name: string): string[] | undefined {
  if (t.text[name]) return t.text[name];
  if (t.num[name]) {
    // a numeric-parsed column used as text: rebuild the text (only for safety; loaders declare types)
    const v = t.num[name];
    return Array.from(v, (x) => (Number.isNaN(x) ? '' : String(x)));
  }
  return undefined;
}

interface NumCol { values: Float64Array; status: Uint8Array; bad: Map<number, string> }

function numCol(t: CsvTable, name: string): NumCol | undefined {
  return numericColumn(t, name);
}

/**
 * Read a required numeric cell: drop the row when blank / text / (positive && <= 0).
 * Returns the value or NaN when dropped.
 */
function requireNumber(led: RowLedger, c: NumCol, i: number, col: string, positive: boolean, extra: Where): number {
  const st = c.status[i];
  if (st === NUM_TEXT) { led.drop(i, ISSUES.textDrop(col), { ...extra, column: col, text: c.bad.get(i) ?? '' }); return NaN; }
  if (st === NUM_BLANK) { led.drop(i, ISSUES.blankRequired(col), { ...extra, column: col }); return NaN; }
  const v = c.values[i];
  if (positive && !(v > 0)) { led.drop(i, ISSUES.nonPositiveDrop(col), { ...extra, column: col, value: v }); return NaN; }
  return v;
}

/** Read an optional numeric cell: NaN when blank; masked (NaN, counted) when text / (positive && <= 0) / (nonNegative && < 0). */
function optionalNumber(led: RowLedger, c: NumCol | undefined, i: number, col: string, rule: 'any' | 'positive' | 'nonNegative', extra: Where): number {
  if (!c) return NaN;
  const st = c.status[i];
  if (st === NUM_TEXT) { led.mask(i, ISSUES.textMask(col), { ...extra, column: col, text: c.bad.get(i) ?? '' }); return NaN; }
  if (st !== NUM_OK) return NaN;
  const v = c.values[i];
  if (rule === 'positive' && !(v > 0)) { led.mask(i, ISSUES.nonPositiveMask(col), { ...extra, column: col, value: v }); return NaN; }
  if (rule === 'nonNegative' && v < 0) { led.mask(i, ISSUES.negativeVolume(col), { ...extra, column: col, value: v }); return NaN; }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Long rows -> panels

/** Result of arranging long rows into date x asset panels. */
export interface PanelGrid {
  dates: string[];
  assets: string[];
  /** Cell index t * nAssets + i of each row, -1 for rows not placed. */
  cell: Int32Array;
}

/**
 * Arrange rows (date, asset) into a grid: dates ascending, assets ascending (code order), one
 * cell per row. Rows with `use[i] = 0` are not placed. Throws `DATA_DUPLICATE_KEY` listing the
 * first duplicates (date, code, both lines).
 */
export function gridFromRows(dates: readonly string[], assets: readonly string[], use: Uint8Array, source: string, lines?: Int32Array,
  keyNames: [string, string] = ['date', 'code']): PanelGrid {
  const n = dates.length;
  const dset = new Map<string, number>(), aset = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    if (!use[r]) continue;
    if (!dset.has(dates[r])) dset.set(dates[r], 0);
    if (!aset.has(assets[r])) aset.set(assets[r], 0);
  }
  const D = [...dset.keys()].sort();
  const A = [...aset.keys()].sort();
  D.forEach((d, t) => dset.set(d, t));
  A.forEach((a, i) => aset.set(a, i));
  const nA = A.length;
  const owner = new Int32Array(D.length * nA).fill(-1);
  const cell = new Int32Array(n).fill(-1);
  const dups: string[] = [];
  let nDup = 0;
  for (let r = 0; r < n; r++) {
    if (!use[r]) continue;
    const k = dset.get(dates[r])! * nA + aset.get(assets[r])!;
    if (owner[k] >= 0) {
      nDup++;
      if (dups.length < 10) {
        const a = owner[k];
        dups.push(`${dates[r]} ${assets[r]} (${lines ? `lines ${lines[a]} and ${lines[r]}` : `rows ${a + 1} and ${r + 1}`})`);
      }
      continue;
    }
    owner[k] = r;
    cell[r] = k;
  }
  if (nDup) {
    throw new RotationError('DATA_DUPLICATE_KEY', `${nDup} duplicate (${keyNames[0]}, ${keyNames[1]}) row(s)`,
      { file: source, duplicates: dups },
      `keep one row per (${keyNames[0]}, ${keyNames[1]}); a vendor export appended twice or two files merged is the usual cause`);
  }
  return { dates: D, assets: A, cell };
}

/** Scatter row values into a panel on a grid (NaN where no row). */
export function panelFromGrid(grid: PanelGrid, rowValues: Float64Array, source: string): Panel {
  const out = new Float64Array(grid.dates.length * grid.assets.length).fill(NaN);
  const cell = grid.cell;
  for (let r = 0; r < cell.length; r++) if (cell[r] >= 0) out[cell[r]] = rowValues[r];
  return createPanel(grid.dates, grid.assets, out, source);
}

// ---------------------------------------------------------------------------------------------
// Validators

/** Industry bars: the panels of `IndustryBars` on the file's calendar, plus names. */
export interface IndustryBarsResult {
  industries: IndustryInfo[];
  calendar: string[];
  bars: IndustryBars;
  loss: LossReport;
}

export interface BarsValidateOptions extends ValidateOptions {
  /**
   * Treat zeros in these columns as the vendor's "no data" placeholder when the close is valid:
   * masked to NaN and counted (CITIC via Wind writes open/high/low/volume = 0 before an index
   * had trading data).
   */
  zeroIsMissing?: readonly string[];
}

const OHLV = Object.freeze(['open', 'high', 'low', 'volume'] as const);

const OPTIONAL_INDUSTRY_NUMS: readonly (readonly [string, keyof IndustryBars])[] = Object.freeze([
  ['amount', 'amount'], ['turnover', 'turnover'], ['pe', 'pe'], ['pb', 'pb'], ['ps', 'ps'], ['dividend_yield', 'dividendYield'],
] as const);

/** Shared bar checks for one row: returns false when the row is dropped. */
function checkBarRow(led: RowLedger, i: number, dateRaw: string, date: string | null, code: string,
  asOf: string | undefined, dateCol: string, notAfter?: string): boolean {
  if (code === '') { led.drop(i, ISSUES.blankId('code'), { date: dateRaw }); return false; }
  if (date === null) { led.drop(i, ISSUES.badDate(dateCol), { column: dateCol, text: dateRaw, code }); return false; }
  if (asOf !== undefined && date > asOf) { led.drop(i, ISSUES.afterAsOf(dateCol, asOf), { date, code }); return false; }
  if (asOf === undefined && notAfter !== undefined && date > notAfter) { led.drop(i, ISSUES.futureDate(dateCol, notAfter), { date, code }); return false; }
  return true;
}

/**
 * Validate long industry bars (canonical columns) into `IndustryBars`.
 * close: blank / text / <= 0 drops the row; open, high, low: text or <= 0 masks the cell;
 * volume, amount: text or < 0 masks; high < low masks both; dates after `asOf` drop the row;
 * duplicate (date, code) throws.
 */
export function validateIndustryBars(t: CsvTable, options: BarsValidateOptions = {}): IndustryBarsResult {
  const schema = SCHEMAS.industry_bars;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load industry_bars', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, codeTxt = stringCol(t, 'code')!;
  const nameTxt = stringCol(t, 'name');
  const n = t.nRows;
  const normDate = dateNormalizer(options.dateFormat);
  const dates = new Array<string>(n);
  const use = new Uint8Array(n);
  const close = numCol(t, 'close')!;
  const cols = { open: numCol(t, 'open'), high: numCol(t, 'high'), low: numCol(t, 'low'), volume: numCol(t, 'volume') };
  const vals = { open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  const opt = OPTIONAL_INDUSTRY_NUMS.filter(([c]) => t.header.includes(c)).map(([c, k]) => ({ c, k, col: numCol(t, c)!, v: new Float64Array(n) }));
  const zero = new Set(options.zeroIsMissing ?? []);
  const zeroCols = OHLV.filter((c) => zero.has(c));
  for (const c of ['open', 'high', 'low', 'volume'] as const) if (!cols[c]) led.report.notes.push(`column ${c} absent: its panel is all NaN`);
  for (let i = 0; i < n; i++) {
    const code = codeTxt[i];
    const d = normDate(dateTxt[i]);
    if (!checkBarRow(led, i, dateTxt[i], d, code, options.asOf, 'date', options.notAfter)) continue;
    const ex = { date: d!, code };
    const c = requireNumber(led, close, i, 'close', true, ex);
    if (Number.isNaN(c)) continue;
    // vendor zero placeholders (e.g. CITIC before trading data existed): bit k set = column k is a 0 placeholder
    let zbits = 0;
    if (zeroCols.length) {
      const zs: string[] = [];
      for (let k = 0; k < OHLV.length; k++) {
        const col = cols[OHLV[k]];
        if (zero.has(OHLV[k]) && col && col.status[i] === NUM_OK && col.values[i] === 0) { zbits |= 1 << k; zs.push(OHLV[k]); }
      }
      if (zs.length) led.mask(i, ISSUES.zeroPlaceholder(zeroCols.join('/')), { ...ex, columns: zs.join('/') }, zs.length);
    }
    const o = zbits & 1 ? NaN : optionalNumber(led, cols.open, i, 'open', 'positive', ex);
    let h = zbits & 2 ? NaN : optionalNumber(led, cols.high, i, 'high', 'positive', ex);
    let l = zbits & 4 ? NaN : optionalNumber(led, cols.low, i, 'low', 'positive', ex);
    const v = zbits & 8 ? NaN : optionalNumber(led, cols.volume, i, 'volume', 'nonNegative', ex);
    if (h < l) { led.mask(i, ISSUES.highBelowLow(), { ...ex, high: h, low: l }, 2); h = NaN; l = NaN; }
    vals.open[i] = o; vals.high[i] = h; vals.low[i] = l; vals.close[i] = c; vals.volume[i] = v;
    for (const x of opt) x.v[i] = optionalNumber(led, x.col, i, x.c, x.c === 'amount' ? 'nonNegative' : 'any', ex);
    dates[i] = d!;
    use[i] = 1;
  }
  const dateHint = yearLastHint(normDate.rejected());
  if (dateHint) led.report.notes.push(dateHint);
  const grid = gridFromRows(dates, codeTxt, use, t.source, t.lines);
  const src = t.source;
  const bars: IndustryBars = {
    open: panelFromGrid(grid, vals.open, src), high: panelFromGrid(grid, vals.high, src), low: panelFromGrid(grid, vals.low, src),
    close: panelFromGrid(grid, vals.close, src), volume: panelFromGrid(grid, vals.volume, src),
  };
  for (const x of opt) (bars as unknown as Record<string, Panel>)[x.k] = panelFromGrid(grid, x.v, src);
  const names = new Map<string, string>();
  const renamed = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const nm = nameTxt ? nameTxt[i] : '';
    const prev = names.get(codeTxt[i]);
    if (prev === undefined) names.set(codeTxt[i], nm);
    else if (nm !== '' && prev !== nm) { renamed.add(codeTxt[i]); names.set(codeTxt[i], nm); }
  }
  if (renamed.size) led.report.notes.push(`industry name changed within the file for ${[...renamed].sort().join(', ')} (the latest name is used)`);
  const industries = grid.assets.map((code) => ({ code, name: names.get(code) || code }));
  return { industries, calendar: grid.dates, bars, loss: led.finish() };
}

/** Stock bars: `StockBars` panels on the file's calendar. */
export interface StockBarsResult {
  stocks: string[];
  calendar: string[];
  bars: StockBars;
  loss: LossReport;
}

/**
 * Validate long stock bars into `StockBars`. close: blank / text / <= 0 drops the row; volume and
 * amount: text or < 0 masks; caps: text or <= 0 masks; tradable: not 0/1 masks; dates after
 * `asOf` drop the row; duplicate (date, code) throws.
 */
export function validateStockBars(t: CsvTable, options: ValidateOptions = {}): StockBarsResult {
  const schema = SCHEMAS.stock_bars;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load stock_bars', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, codeTxt = stringCol(t, 'code')!;
  const n = t.nRows;
  const normDate = dateNormalizer(options.dateFormat);
  const dates = new Array<string>(n);
  const use = new Uint8Array(n);
  const close = numCol(t, 'close')!;
  const vol = numCol(t, 'volume');
  if (!vol) led.report.notes.push('column volume absent: its panel is all NaN');
  const optional = (['amount', 'float_cap', 'total_cap', 'tradable'] as const).filter((c) => t.header.includes(c));
  const ocols = optional.map((c) => ({ c, col: numCol(t, c)!, v: new Float64Array(n) }));
  const vc = new Float64Array(n), vv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const code = codeTxt[i];
    const d = normDate(dateTxt[i]);
    if (!checkBarRow(led, i, dateTxt[i], d, code, options.asOf, 'date', options.notAfter)) continue;
    const ex = { date: d!, code };
    const c = requireNumber(led, close, i, 'close', true, ex);
    if (Number.isNaN(c)) continue;
    vc[i] = c;
    vv[i] = optionalNumber(led, vol, i, 'volume', 'nonNegative', ex);
    for (const o of ocols) {
      let x = optionalNumber(led, o.col, i, o.c, o.c === 'amount' ? 'nonNegative' : o.c === 'tradable' ? 'any' : 'positive', ex);
      if (o.c === 'tradable' && !Number.isNaN(x) && x !== 0 && x !== 1) {
        led.mask(i, ISSUES.outOfRange('tradable', '{0, 1}'), { ...ex, value: x });
        x = NaN;
      }
      o.v[i] = x;
    }
    dates[i] = d!;
    use[i] = 1;
  }
  const dateHint = yearLastHint(normDate.rejected());
  if (dateHint) led.report.notes.push(dateHint);
  const grid = gridFromRows(dates, codeTxt, use, t.source, t.lines);
  const bars: StockBars = { close: panelFromGrid(grid, vc, t.source), volume: panelFromGrid(grid, vv, t.source) };
  const key: Record<string, keyof StockBars> = { amount: 'amount', float_cap: 'floatCap', total_cap: 'totalCap', tradable: 'tradable' };
  for (const o of ocols) (bars as unknown as Record<string, Panel>)[key[o.c]] = panelFromGrid(grid, o.v, t.source);
  return { stocks: grid.assets, calendar: grid.dates, bars, loss: led.finish() };
}

/** Membership records plus their loss report. */
export interface MembershipResult {
  records: MembershipRecord[];
  /** Industry code -> name, when the file has names. */
  industryNames: Map<string, string>;
  loss: LossReport;
}

export interface MembershipValidateOptions extends ValidateOptions {
  /** Scheme for rows without a scheme column / blank scheme. Default "unspecified". */
  scheme?: string;
  /** Industry codes must match this pattern; other values drop the row (e.g. a vendor's "获取失败" = fetch failed). */
  industryPattern?: RegExp;
}

/** True when a valid_to value means "still valid": blank, or a date in year >= 2100 (2200-01-01 is JoinQuant's). */
export function isOpenEnd(iso: string | null, raw: string): boolean {
  return raw.trim() === '' || (iso !== null && iso >= '2100-01-01');
}

/**
 * Validate membership windows. Bad dates or valid_to < valid_from drop the row; rows with
 * valid_from after `asOf` are dropped. Overlapping windows for one stock in one scheme throw
 * `DATA_MEMBERSHIP_OVERLAP` naming the stock and both windows (with lines).
 */
export function validateMembership(t: CsvTable, options: MembershipValidateOptions = {}): MembershipResult {
  const schema = SCHEMAS.industry_membership;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load industry_membership', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const stock = stringCol(t, 'stock')!, industry = stringCol(t, 'industry')!, from = stringCol(t, 'valid_from')!;
  const to = stringCol(t, 'valid_to'), scheme = stringCol(t, 'scheme'), iname = stringCol(t, 'industry_name');
  const defScheme = options.scheme ?? 'unspecified';
  if (!scheme) led.report.notes.push(`no scheme column: scheme "${defScheme}" used for every row`);
  const records: (MembershipRecord & { _row: number })[] = [];
  const industryNames = new Map<string, string>();
  let openEnds = 0;
  for (let i = 0; i < t.nRows; i++) {
    const s = stock[i], ind = industry[i];
    if (s === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    if (ind === '') { led.drop(i, ISSUES.blankId('industry'), { stock: s }); continue; }
    if (options.industryPattern && !options.industryPattern.test(ind)) { led.drop(i, ISSUES.badId('industry', String(options.industryPattern)), { stock: s, column: 'industry', text: ind }); continue; }
    const vf = normalizeDateAs(options.dateFormat, from[i]);
    if (vf === null) { led.drop(i, ISSUES.badDate('valid_from'), { stock: s, column: 'valid_from', text: from[i] }); continue; }
    const rawTo = to ? to[i] : '';
    const vtIso = rawTo.trim() === '' ? null : normalizeDateAs(options.dateFormat, rawTo);
    if (rawTo.trim() !== '' && vtIso === null) { led.drop(i, ISSUES.badDate('valid_to'), { stock: s, column: 'valid_to', text: rawTo }); continue; }
    const open = isOpenEnd(vtIso, rawTo);
    if (!open && vtIso! < vf) { led.drop(i, ISSUES.badWindow(), { stock: s, valid_from: vf, valid_to: vtIso! }); continue; }
    if (options.asOf !== undefined && vf > options.asOf) { led.drop(i, ISSUES.afterAsOf('valid_from', options.asOf), { stock: s, valid_from: vf }); continue; }
    if (open && rawTo.trim() !== '') openEnds++;
    const sc = scheme && scheme[i] !== '' ? scheme[i] : defScheme;
    const rec: MembershipRecord & { _row: number } = { stock: s, industry: ind, scheme: sc, validFrom: vf, _row: i };
    if (!open) rec.validTo = vtIso!;
    records.push(rec);
    if (iname && iname[i] !== '') industryNames.set(ind, iname[i]);
  }
  if (openEnds) led.report.notes.push(`${openEnds} valid_to value(s) in year >= 2100 (e.g. 2200-01-01) read as "still valid"`);
  // overlap check per (scheme, stock)
  const groups = new Map<string, (MembershipRecord & { _row: number })[]>();
  for (const r of records) {
    const k = `${r.scheme}\u0000${r.stock}`;
    const g = groups.get(k);
    if (g) g.push(r); else groups.set(k, [r]);
  }
  const overlaps: string[] = [];
  let first: { a: MembershipRecord & { _row: number }; b: MembershipRecord & { _row: number } } | undefined;
  const lineOf = (r: { _row: number }) => (t.lines ? t.lines[r._row] : r._row + 1);
  const win = (r: MembershipRecord) => `[${r.validFrom} .. ${r.validTo ?? 'open'}] ${r.industry}`;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a._row - b._row));
    for (let k = 1; k < g.length; k++) {
      const a = g[k - 1], b = g[k];
      if (a.validTo === undefined || b.validFrom <= a.validTo) {
        if (!first) first = { a, b };
        overlaps.push(`${b.stock} (${b.scheme}): ${win(a)} line ${lineOf(a)} overlaps ${win(b)} line ${lineOf(b)}`);
      }
    }
  }
  if (first) {
    const { a, b } = first;
    throw new RotationError('DATA_MEMBERSHIP_OVERLAP',
      `Stock ${a.stock} has overlapping ${a.scheme} membership windows ${win(a)} and ${win(b)}${overlaps.length > 1 ? ` (${overlaps.length} overlaps in total)` : ''}`,
      { file: t.source, stock: a.stock, lines: [lineOf(a), lineOf(b)], overlaps },
      'close the earlier window (valid_to) the day before the later one starts, or remove the duplicate row');
  }
  const out = records.map(({ _row, ...r }) => { void _row; return r; });
  return { records: out, industryNames, loss: led.finish() };
}

/** Fundamentals records plus their loss report. */
export interface FundamentalsResult {
  records: FundamentalRecord[];
  loss: LossReport;
}

/**
 * Validate quarterly fundamentals. A bad report period or announcement date, or an announcement
 * on/before the period end (not point in time), drops the row; announcements after `asOf` drop the
 * row; text in a number column masks the cell; duplicate (stock, report_period, announce_date) throws.
 */
export function validateFundamentals(t: CsvTable, options: ValidateOptions = {}): FundamentalsResult {
  const schema = SCHEMAS.fundamentals;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load fundamentals', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const stock = stringCol(t, 'stock')!, rp = stringCol(t, 'report_period')!, ad = stringCol(t, 'announce_date')!;
  const fields: [keyof FundamentalRecord, string][] = [
    ['revenue', 'revenue'], ['netProfit', 'net_profit'], ['grossProfit', 'gross_profit'], ['operatingCashFlow', 'operating_cash_flow'],
    ['equity', 'equity'], ['dividends', 'dividends'],
  ];
  const cols = fields.map(([k, c]) => ({ k, c, col: numCol(t, c) }));
  const records: FundamentalRecord[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const s = stock[i];
    if (s === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    const per = normalizeReportPeriod(rp[i]);
    if (per === null) {
      if (normalizeDateAs(options.dateFormat, rp[i]) !== null) led.drop(i, ISSUES.notQuarterEnd(), { stock: s, report_period: rp[i] });
      else led.drop(i, ISSUES.badDate('report_period'), { stock: s, column: 'report_period', text: rp[i] });
      continue;
    }
    const ann = normalizeDateAs(options.dateFormat, ad[i]);
    if (ann === null) { led.drop(i, ISSUES.badDate('announce_date'), { stock: s, column: 'announce_date', text: ad[i] }); continue; }
    if (ann <= per) { led.drop(i, ISSUES.announcedEarly(), { stock: s, report_period: per, announce_date: ann }); continue; }
    if (options.asOf !== undefined && ann > options.asOf) { led.drop(i, ISSUES.afterAsOf('announce_date', options.asOf), { stock: s, announce_date: ann }); continue; }
    const rec = { stock: s, reportPeriod: per, announceDate: ann } as FundamentalRecord;
    const ex = { stock: s, report_period: per };
    for (const x of cols) (rec as unknown as Record<string, number>)[x.k] = optionalNumber(led, x.col, i, x.c, 'any', ex);
    const key = `${s}|${per}|${ann}`;
    if (seen.has(key)) {
      if (dups.length < 10) dups.push(`${s} ${per} announced ${ann} (lines ${t.lines[seen.get(key)!]} and ${t.lines[i]})`);
      continue;
    }
    seen.set(key, i);
    records.push(rec);
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', `Duplicate (stock, report_period, announce_date) rows`, { file: t.source, duplicates: dups },
      'keep one row per announcement; a restatement needs its own (later) announce_date');
  }
  return { records, loss: led.finish() };
}

/** Forecast records plus their loss report. */
export interface ForecastsResult {
  records: ForecastRecord[];
  loss: LossReport;
}

/**
 * Validate analyst forecasts. Bad forecast_date, blank stock/broker or a non-integer fiscal_year
 * drop the row; forecast_date after `asOf` drops the row; net_profit / eps text masks; rating outside
 * 1..5 masks; duplicate (stock, forecast_date, broker, fiscal_year) throws.
 */
export function validateForecasts(t: CsvTable, options: ValidateOptions = {}): ForecastsResult {
  const schema = SCHEMAS.analyst_forecasts;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load analyst_forecasts', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const stock = stringCol(t, 'stock')!, fd = stringCol(t, 'forecast_date')!, broker = stringCol(t, 'broker')!;
  const fy = numCol(t, 'fiscal_year')!, np = numCol(t, 'net_profit')!, eps = numCol(t, 'eps'), rating = numCol(t, 'rating');
  const records: ForecastRecord[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const s = stock[i];
    if (s === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    if (broker[i] === '') { led.drop(i, ISSUES.blankId('broker'), { stock: s }); continue; }
    const d = normalizeDateAs(options.dateFormat, fd[i]);
    if (d === null) { led.drop(i, ISSUES.badDate('forecast_date'), { stock: s, column: 'forecast_date', text: fd[i] }); continue; }
    if (options.asOf !== undefined && d > options.asOf) { led.drop(i, ISSUES.afterAsOf('forecast_date', options.asOf), { stock: s, forecast_date: d }); continue; }
    const y = fy.values[i];
    if (fy.status[i] !== NUM_OK || !Number.isInteger(y)) { led.drop(i, ISSUES.badInteger('fiscal_year'), { stock: s, column: 'fiscal_year', text: fy.bad.get(i) ?? String(y) }); continue; }
    const ex = { stock: s, forecast_date: d };
    const rec: ForecastRecord = {
      stock: s, forecastDate: d, broker: broker[i], fiscalYear: y,
      netProfit: optionalNumber(led, np, i, 'net_profit', 'any', ex),
      eps: optionalNumber(led, eps, i, 'eps', 'any', ex),
      rating: optionalNumber(led, rating, i, 'rating', 'any', ex),
    };
    if (!Number.isNaN(rec.rating) && (rec.rating < 1 || rec.rating > 5)) {
      led.mask(i, ISSUES.outOfRange('rating', '1..5'), { ...ex, value: rec.rating });
      rec.rating = NaN;
    }
    const key = `${s}|${d}|${broker[i]}|${y}`;
    if (seen.has(key)) {
      if (dups.length < 10) dups.push(`${s} ${d} ${broker[i]} FY${y} (lines ${t.lines[seen.get(key)!]} and ${t.lines[i]})`);
      continue;
    }
    seen.set(key, i);
    records.push(rec);
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', 'Duplicate (stock, forecast_date, broker, fiscal_year) rows', { file: t.source, duplicates: dups },
      'keep one forecast per broker, stock, fiscal year and date');
  }
  return { records, loss: led.finish() };
}

/** Intraday bars plus their loss report. */
export interface IntradayResult {
  bars: IntradayBars;
  loss: LossReport;
}

/**
 * Validate intraday bars into `IntradayBars` (days x codes x bar times, NaN where absent). Same
 * price/volume rules as daily bars; a bad time drops the row; duplicate (date, time, code) throws.
 */
export function validateIntradayBars(t: CsvTable, options: ValidateOptions = {}): IntradayResult {
  const schema = SCHEMAS.intraday_bars;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load intraday_bars', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, timeTxt = stringCol(t, 'time')!, codeTxt = stringCol(t, 'code')!;
  const close = numCol(t, 'close')!;
  const cols = { open: numCol(t, 'open'), high: numCol(t, 'high'), low: numCol(t, 'low'), volume: numCol(t, 'volume') };
  const n = t.nRows;
  const normDate = dateNormalizer(options.dateFormat);
  const rd = new Array<string>(n), rt = new Array<string>(n);
  const use = new Uint8Array(n);
  const v = { open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const code = codeTxt[i];
    const d = normDate(dateTxt[i]);
    if (!checkBarRow(led, i, dateTxt[i], d, code, options.asOf, 'date', options.notAfter)) continue;
    const tm = normalizeTime(timeTxt[i]);
    if (tm === null) { led.drop(i, ISSUES.badTime(), { date: d!, code, text: timeTxt[i] }); continue; }
    const ex = { date: d!, time: tm, code };
    const c = requireNumber(led, close, i, 'close', true, ex);
    if (Number.isNaN(c)) continue;
    let h = optionalNumber(led, cols.high, i, 'high', 'positive', ex);
    let l = optionalNumber(led, cols.low, i, 'low', 'positive', ex);
    if (h < l) { led.mask(i, ISSUES.highBelowLow(), { ...ex, high: h, low: l }, 2); h = NaN; l = NaN; }
    v.open[i] = optionalNumber(led, cols.open, i, 'open', 'positive', ex);
    v.high[i] = h; v.low[i] = l; v.close[i] = c;
    v.volume[i] = optionalNumber(led, cols.volume, i, 'volume', 'nonNegative', ex);
    rd[i] = d!; rt[i] = tm; use[i] = 1;
  }
  const days = [...new Set(rd.filter((_, i) => use[i]))].sort();
  const times = [...new Set(rt.filter((_, i) => use[i]))].sort();
  const codes = [...new Set(codeTxt.filter((_, i) => use[i]))].sort();
  const di = new Map(days.map((d, k) => [d, k])), ti = new Map(times.map((x, k) => [x, k])), ci = new Map(codes.map((x, k) => [x, k]));
  const B = times.length, C = codes.length;
  const size = days.length * C * B;
  const out = { open: new Float64Array(size).fill(NaN), high: new Float64Array(size).fill(NaN), low: new Float64Array(size).fill(NaN), close: new Float64Array(size).fill(NaN), volume: new Float64Array(size).fill(NaN) };
  const owner = new Int32Array(size).fill(-1);
  const dups: string[] = [];
  let nDup = 0;
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const k = (di.get(rd[i])! * C + ci.get(codeTxt[i])!) * B + ti.get(rt[i])!;
    if (owner[k] >= 0) { nDup++; if (dups.length < 10) dups.push(`${rd[i]} ${rt[i]} ${codeTxt[i]} (lines ${t.lines[owner[k]]} and ${t.lines[i]})`); continue; }
    owner[k] = i;
    out.open[k] = v.open[i]; out.high[k] = v.high[i]; out.low[k] = v.low[i]; out.close[k] = v.close[i]; out.volume[k] = v.volume[i];
  }
  if (nDup) {
    throw new RotationError('DATA_DUPLICATE_KEY', `${nDup} duplicate (date, time, code) row(s)`, { file: t.source, duplicates: dups },
      'keep one bar per (date, time, code)');
  }
  const bars: IntradayBars = { codes, days, times, barsPerDay: B, ...out };
  return { bars, loss: led.finish() };
}

/** Index weights (fractions) plus their loss report. */
export interface IndexWeightsResult {
  records: IndexWeightRecord[];
  loss: LossReport;
}

export interface IndexWeightsValidateOptions extends ValidateOptions {
  /** Rescale each (date, index) to sum to 100 % instead of throwing when off by more than 0.5 pp. */
  renormalize?: boolean;
  /** Unit of weight_pct in the file: 'percent' (default), 'fraction' (sums to 1), or 'auto' (decided from the sums). */
  weightUnit?: 'percent' | 'fraction' | 'auto';
  /** Tolerance in percentage points (default 0.5). */
  tolerancePp?: number;
}

/**
 * Validate index weights: blank / text / negative weights drop the row; each (date, index) must
 * sum to 100 % within 0.5 pp, else `DATA_WEIGHTS_NOT_100` lists the dates (with `renormalize` the
 * weights are rescaled and the notes say so). Records carry fractions (sum 1 per date and index).
 */
export function validateIndexWeights(t: CsvTable, options: IndexWeightsValidateOptions = {}): IndexWeightsResult {
  const schema = SCHEMAS.index_weights;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load index_weights', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, index = stringCol(t, 'index')!, stock = stringCol(t, 'stock')!;
  const w = numCol(t, 'weight_pct')!;
  const tol = options.tolerancePp ?? 0.5;
  const rows: { date: string; index: string; stock: string; w: number; row: number }[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    if (stock[i] === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    if (index[i] === '') { led.drop(i, ISSUES.blankId('index'), { stock: stock[i] }); continue; }
    const d = normalizeDateAs(options.dateFormat, dateTxt[i]);
    if (d === null) { led.drop(i, ISSUES.badDate('date'), { stock: stock[i], column: 'date', text: dateTxt[i] }); continue; }
    if (options.asOf !== undefined && d > options.asOf) { led.drop(i, ISSUES.afterAsOf('date', options.asOf), { date: d, stock: stock[i] }); continue; }
    if (w.status[i] !== NUM_OK || w.values[i] < 0) {
      led.drop(i, ISSUES.badWeight(), { date: d, index: index[i], stock: stock[i], column: 'weight_pct', text: w.bad.get(i) ?? (w.status[i] === NUM_BLANK ? '' : String(w.values[i])) });
      continue;
    }
    const key = `${d}|${index[i]}|${stock[i]}`;
    if (seen.has(key)) { if (dups.length < 10) dups.push(`${d} ${index[i]} ${stock[i]} (lines ${t.lines[seen.get(key)!]} and ${t.lines[i]})`); continue; }
    seen.set(key, i);
    rows.push({ date: d, index: index[i], stock: stock[i], w: w.values[i], row: i });
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', 'Duplicate (date, index, stock) rows', { file: t.source, duplicates: dups },
      'keep one weight per stock, index and date');
  }
  const sums = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.date}|${r.index}`;
    sums.set(k, (sums.get(k) ?? 0) + r.w);
  }
  let unit = options.weightUnit ?? 'percent';
  if (unit === 'auto') {
    const all = [...sums.values()];
    unit = all.length && all.every((s) => s <= 1.5) ? 'fraction' : 'percent';
    led.report.notes.push(`weight unit detected from the sums: ${unit}`);
  }
  const scale = unit === 'fraction' ? 100 : 1;
  const off: string[] = [];
  for (const [k, s] of [...sums.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const pct = s * scale;
    if (Math.abs(pct - 100) > tol) {
      const [d, ix] = k.split('|');
      off.push(`${d} ${ix}: ${pct.toFixed(3)}%`);
    }
  }
  if (off.length && !options.renormalize) {
    throw new RotationError('DATA_WEIGHTS_NOT_100', `Index weights do not sum to 100% (within ${tol} pp) on ${off.length} (date, index) pair(s)`,
      { file: t.source, dates: off },
      'check for missing constituents or a wrong unit (weights must be percent; fractions summing to 1 need { weightUnit: "fraction" }); or load with --renormalize (library: { renormalize: true }) to rescale each date to 100%');
  }
  if (options.renormalize) {
    led.report.notes.push(off.length
      ? `renormalized weights to 100% on ${off.length} (date, index) pair(s) off by more than ${tol} pp: ${off.slice(0, 10).join('; ')}${off.length > 10 ? '; …' : ''}`
      : 'renormalize requested: every (date, index) already summed to 100% within tolerance; rescaled exactly to 100%');
  }
  const records: IndexWeightRecord[] = rows.map((r) => {
    const s = sums.get(`${r.date}|${r.index}`)!;
    const frac = options.renormalize ? (s > 0 ? r.w / s : NaN) : (r.w * scale) / 100;
    return { date: r.date, index: r.index, stock: r.stock, weight: frac };
  });
  return { records, loss: led.finish() };
}

/** Stock list plus its loss report. */
export interface StocksResult {
  stocks: StockInfo[];
  loss: LossReport;
}

/**
 * Validate the stock list. Blank code or name, a bad list_date or a bad delist_date drop the row;
 * list_date after `asOf` drops the row; duplicate codes throw.
 */
export function validateStocks(t: CsvTable, options: ValidateOptions = {}): StocksResult {
  const schema = SCHEMAS.stocks;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load stocks', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const code = stringCol(t, 'code')!, name = stringCol(t, 'name')!, ld = stringCol(t, 'list_date')!, dd = stringCol(t, 'delist_date');
  const stocks: StockInfo[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const c = code[i];
    if (c === '') { led.drop(i, ISSUES.blankId('code')); continue; }
    if (name[i] === '') { led.drop(i, ISSUES.blankRequired('name'), { code: c }); continue; }
    const l = normalizeDateAs(options.dateFormat, ld[i]);
    if (l === null) { led.drop(i, ISSUES.badDate('list_date'), { code: c, column: 'list_date', text: ld[i] }); continue; }
    if (options.asOf !== undefined && l > options.asOf) { led.drop(i, ISSUES.afterAsOf('list_date', options.asOf), { code: c, list_date: l }); continue; }
    const rawD = dd ? dd[i] : '';
    const dl = rawD.trim() === '' ? null : normalizeDateAs(options.dateFormat, rawD);
    if (rawD.trim() !== '' && dl === null) { led.drop(i, ISSUES.badDate('delist_date'), { code: c, column: 'delist_date', text: rawD }); continue; }
    if (seen.has(c)) { if (dups.length < 10) dups.push(`${c} (lines ${t.lines[seen.get(c)!]} and ${t.lines[i]})`); continue; }
    seen.set(c, i);
    const s: StockInfo = { code: c, name: name[i], listDate: l };
    if (dl !== null && !(options.asOf !== undefined && dl > options.asOf)) s.delistDate = dl;
    stocks.push(s);
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', 'Duplicate stock codes', { file: t.source, duplicates: dups }, 'keep one row per stock');
  }
  return { stocks, loss: led.finish() };
}
