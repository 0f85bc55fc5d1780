/**
 * CSV output with a header row, deterministic number formatting, spreadsheet-formula escaping
 * and atomic writes (a file is written to a fresh temporary name in the same folder, created
 * with flag `wx` so a planted file or symlink is never followed, fsynced and renamed, so a
 * failure never leaves a partial file behind).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Panel } from '../panel/panel.js';
import type { Cell, Row } from './table.js';

/** A text cell that is a plain number ("-0.5", "+3", "1e-4", "-inf"): not formula text. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?inf$/;

/**
 * Text a spreadsheet would run as a formula (OWASP "CSV injection"): a string cell starting with
 * '=', '+', '-', '@', tab or carriage return gets a leading apostrophe ("=HYPERLINK(..)" ->
 * "'=HYPERLINK(..)"), which Excel, LibreOffice and Google Sheets show as text. Number cells are
 * never touched (a negative number is written as "-0.5"), nor are text cells that are plain
 * numbers ("-0.5", "+3").
 */
export function escapeFormulaText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** Quote a field when it holds a comma, quote, or newline (RFC 4180); formula-like text is escaped first (`escapeFormulaText`). */
export function csvField(v: Cell, digits = 10): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(digits)));
  }
  const s = escapeFormulaText(String(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The header line of `columns`. */
function csvHeader(columns: readonly string[]): string {
  return columns.map((c) => csvField(c)).join(',');
}

/** CSV text: header row of `columns`, then one line per row; missing numbers are empty. */
export function toCsv(rows: readonly object[], columns: readonly string[] = rows.length ? Object.keys(rows[0]) : [], digits = 10): string {
  const lines = [csvHeader(columns)];
  for (const r of rows as readonly Row[]) lines.push(columns.map((c) => csvField(r[c], digits)).join(','));
  return lines.join('\n') + '\n';
}

/** One panel of a long CSV (`panelsToLongCsv`) and the text of its constant columns (e.g. { factor: 'pe' }). */
export interface LongCsvBlock {
  readonly panel: Panel;
  readonly fixed?: Readonly<Record<string, string>>;
}

/**
 * Panels as long CSV, without building a row object per cell: the same text as
 *
 *   toCsv(rows, columns, digits),  rows = for each block, date t, asset i (in that order) with a
 *   value v (not NaN; with `positiveOnly`, v > 0): { ...fixed, date, [assetColumn]: asset, [valueColumn]: v }
 *
 * (unit-tested against that definition). Dates, assets and constant columns are formatted once.
 */
export function panelsToLongCsv(
  blocks: readonly LongCsvBlock[], columns: readonly string[],
  options: { readonly valueColumn: string; readonly assetColumn: string; readonly positiveOnly?: boolean }, digits = 10,
): string {
  const lines = [csvHeader(columns)];
  // Per column: DATE, ASSET, VALUE, or the block's constant text.
  const DATE = 0, ASSET = 1, VALUE = 2, FIXED = 3;
  const kinds = columns.map((c) => (c === 'date' ? DATE : c === options.assetColumn ? ASSET : c === options.valueColumn ? VALUE : FIXED));
  const positiveOnly = options.positiveOnly === true;
  for (const { panel, fixed = {} } of blocks) {
    const N = panel.assets.length, values = panel.values;
    const assetText = panel.assets.map((a) => csvField(a));
    const fixedText = columns.map((c) => csvField(fixed[c]));
    for (let t = 0; t < panel.dates.length; t++) {
      const dateText = csvField(panel.dates[t]);
      for (let i = 0; i < N; i++) {
        const v = values[t * N + i];
        if (Number.isNaN(v) || (positiveOnly && !(v > 0))) continue;
        let line = '';
        for (let c = 0; c < kinds.length; c++) {
          const k = kinds[c];
          if (c > 0) line += ',';
          line += k === DATE ? dateText : k === ASSET ? assetText[i] : k === VALUE ? csvField(v, digits) : fixedText[c];
        }
        lines.push(line);
      }
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Write `text` to `file` atomically, creating folders as needed: a fresh temp name
 * `<file>.tmp-<pid>-<random hex>` opened with flag `wx` (fails rather than follow or overwrite
 * anything already there, a symlink included), written, fsynced, closed, renamed over `file`.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`temporary file ${tmp} already exists (not overwritten)`);
    throw e;
  }
  try {
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
