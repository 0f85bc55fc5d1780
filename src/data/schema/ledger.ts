/**
 * Row-level validation: the row ledger (each row counted once under its first problem, strict
 * mode throws), the issue kinds, required-column checks and the cell readers validators share.
 */
import { RotationError, type Where } from '../../errors.js';
import { countLoss, newLossReport, type LossReport } from '../loss.js';
import { headerForMessage, NUM_BLANK, NUM_OK, NUM_TEXT, numericColumn, type CsvTable, type SkippedRow } from '../csv.js';
import { TableSchema } from './tables.js';
import { DateFormat, normalizeDate } from './dates.js';

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
      { file: t.source, missing, expected: schema.fields.filter((x) => x.required).map((x) => x.name), found: headerForMessage(t) },
      `add the column(s) or rename the vendor's header (see data/README.md for the vendor mappings; pass --vendor (library: { vendor }) if auto-detection picked the wrong one)`);
  }
  const known = new Set([...schema.fields.map((x) => x.name), ...also]);
  const unknown = found.filter((h) => !known.has(h));
  return unknown.length ? [`unknown column(s) ignored: ${unknown.join(', ')}`] : [];
}

export function assertAsOf(asOf: string | undefined): void {
  if (asOf !== undefined && normalizeDate(asOf) !== asOf) {
    throw new RotationError('DATA_BAD_DATE', `asOf "${asOf}" is not an ISO date`, { argument: 'asOf' }, 'pass asOf as yyyy-mm-dd');
  }
}

export function stringCol(t: CsvTable, name: string): string[] | undefined {
  if (t.text[name]) return t.text[name];
  if (t.num[name]) {
    // a numeric-parsed column used as text: rebuild the text (only for safety; loaders declare types)
    const v = t.num[name];
    return Array.from(v, (x) => (Number.isNaN(x) ? '' : String(x)));
  }
  return undefined;
}

interface NumCol { values: Float64Array; status: Uint8Array; bad: Map<number, string> }

export function numCol(t: CsvTable, name: string): NumCol | undefined {
  return numericColumn(t, name);
}

/**
 * Read a required numeric cell: drop the row when blank / text / (positive && <= 0).
 * Returns the value or NaN when dropped.
 */
export function requireNumber(led: RowLedger, c: NumCol, i: number, col: string, positive: boolean, extra: Where): number {
  const st = c.status[i];
  if (st === NUM_TEXT) { led.drop(i, ISSUES.textDrop(col), { ...extra, column: col, text: c.bad.get(i) ?? '' }); return NaN; }
  if (st === NUM_BLANK) { led.drop(i, ISSUES.blankRequired(col), { ...extra, column: col }); return NaN; }
  const v = c.values[i];
  if (positive && !(v > 0)) { led.drop(i, ISSUES.nonPositiveDrop(col), { ...extra, column: col, value: v }); return NaN; }
  return v;
}

/** Read an optional numeric cell: NaN when blank; masked (NaN, counted) when text / (positive && <= 0) / (nonNegative && < 0). */
export function optionalNumber(led: RowLedger, c: NumCol | undefined, i: number, col: string, rule: 'any' | 'positive' | 'nonNegative', extra: Where): number {
  if (!c) return NaN;
  const st = c.status[i];
  if (st === NUM_TEXT) { led.mask(i, ISSUES.textMask(col), { ...extra, column: col, text: c.bad.get(i) ?? '' }); return NaN; }
  if (st !== NUM_OK) return NaN;
  const v = c.values[i];
  if (rule === 'positive' && !(v > 0)) { led.mask(i, ISSUES.nonPositiveMask(col), { ...extra, column: col, value: v }); return NaN; }
  if (rule === 'nonNegative' && v < 0) { led.mask(i, ISSUES.negativeVolume(col), { ...extra, column: col, value: v }); return NaN; }
  return v;
}
