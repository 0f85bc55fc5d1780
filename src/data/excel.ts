/**
 * Vendor Excel workbooks (Wind / iFinD / Choice exports, .xlsx) read with exceljs, and the
 * "code/name header rows + one row per date" sheet layout mapped to a dates x codes `Panel` with
 * the same validation and loss reports as the CSV loaders.
 *
 * Sheet layout (Wind's `证券代码 / 证券简称` export, also iFinD and Choice):
 *
 *   row 1   <label, e.g. 证券代码>, code_1, code_2, ..., code_N, <blank>, (anything: ignored)
 *   row 2   <label, e.g. 证券简称>, name_1, ..., name_N
 *   row 3+  <date>, v_1, ..., v_N
 *
 * - The code block is row 1 from column 2 to the first blank cell; columns after it (an
 *   uploader's own calculations) are ignored and the notes say how many.
 * - Dates in column 1: an Excel date cell (exceljs gives a JS Date at UTC midnight), an Excel
 *   serial number (days since 1899-12-30, 1..2958465), or text (yyyy-mm-dd, yyyy/m/d, yyyymmdd).
 *   A row whose column 1 is blank or not a date is dropped and counted (every cell of it).
 * - Values: a number, or a formula cell's cached result (Wind add-in formulas cannot be
 *   recomputed outside Wind). A formula with no cached result, a blank cell, or text is missing
 *   and counted under its own reason. With `valueRule: 'positive'` (valuation multiples) 0 is
 *   masked as "0 (vendor code for missing / negative earnings)" and negatives as "negative";
 *   each under its own reason.
 * - Counts are (date row, code) cells: rowsRead = rowsKept + dropped.
 *
 * Errors: XLSX_FILE_NOT_FOUND, XLSX_NOT_A_WORKBOOK (not a zip: a renamed CSV, or a legacy .xls),
 * XLSX_ENCRYPTED (an OLE container holding an EncryptedPackage: password-protected),
 * XLSX_CORRUPT (the zip or its XML cannot be read), XLSX_UNKNOWN_SHEET (lists the sheets),
 * XLSX_NO_CODES (row 1 has no codes), XLSX_DUPLICATE_CODE, XLSX_NO_DATE_COLUMN (no row with a date
 * in column 1), XLSX_DUPLICATE_DATE.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { countLoss, newLossReport, type LossReport } from './loss.js';
import { displayPath } from './csv.js';

/** A workbook read into memory, with the file it came from (relative display path). */
export interface Workbook {
  source: string;
  book: ExcelJS.Workbook;
  /** Sheet names in workbook order, exactly as stored (trailing spaces kept). */
  sheets: string[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

/** True when an OLE compound file holds the stream name "EncryptedPackage" (UTF-16LE), i.e. an encrypted OOXML workbook. */
function isEncryptedOle(bytes: Uint8Array): boolean {
  const needle = Buffer.from('EncryptedPackage', 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) >= 0;
}

/**
 * Read an .xlsx workbook. The bytes are checked before parsing: a zip (PK\x03\x04) is parsed by
 * exceljs; an OLE container is a password-protected workbook (EncryptedPackage stream) or a legacy
 * .xls; anything else (a CSV renamed .xlsx, HTML "Excel" exports) is XLSX_NOT_A_WORKBOOK with the
 * first bytes shown.
 */
export async function readWorkbook(file: string): Promise<Workbook> {
  const source = displayPath(file);
  let ok = false;
  try { ok = statSync(file).isFile(); } catch { ok = false; }
  if (!ok) {
    throw new RotationError('XLSX_FILE_NOT_FOUND', 'Workbook not found', { file: source, pathTried: path.resolve(file) },
      'check the path (shared vendor data lives under ../shared/data, or set ROTATION_SHARED_DATA)');
  }
  const bytes = readFileSync(file);
  if (startsWith(bytes, OLE_MAGIC)) {
    if (isEncryptedOle(bytes)) {
      throw new RotationError('XLSX_ENCRYPTED', 'The workbook is password-protected (encrypted OOXML package)', { file: source },
        'open it in Excel/WPS with the password and save an unprotected copy (File > Info > Protect Workbook > remove the password)');
    }
    throw new RotationError('XLSX_NOT_A_WORKBOOK', 'The file is a legacy binary .xls (OLE container), not an .xlsx workbook', { file: source },
      'open it in Excel/WPS and save as .xlsx (Excel Workbook), or export from the terminal as .xlsx');
  }
  if (!startsWith(bytes, ZIP_MAGIC)) {
    const head = bytes.subarray(0, 40).toString('utf8').replace(/[^\x20-\x7e\u4e00-\u9fff]/g, '.');
    throw new RotationError('XLSX_NOT_A_WORKBOOK', 'The file is not an .xlsx workbook (no zip signature); it looks like text, e.g. a CSV renamed to .xlsx',
      { file: source, firstBytes: head },
      'read it as a CSV (readCsv / the CSV loaders), or export a real .xlsx from the vendor terminal');
  }
  // exceljs is loaded here, on the first workbook, not when this module is imported: it costs
  // ~19 MB of memory, which a run that reads no workbook (the simulator, CSV data) should not pay.
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new RotationError('XLSX_CORRUPT', `The workbook cannot be read: ${(e as Error).message}`, { file: source },
      'the file is truncated or corrupt: download or export it again');
  }
  return { source, book, sheets: book.worksheets.map((w) => w.name) };
}

/**
 * The sheet named `name`: an exact match, else the one sheet whose name equals `name` after
 * trimming spaces on both (Wind's `申万TTM ` has a trailing space). XLSX_UNKNOWN_SHEET otherwise,
 * listing the sheets there are (quoted, so trailing spaces show).
 */
export function findSheet(wb: Workbook, name: string): ExcelJS.Worksheet {
  const exact = wb.book.worksheets.find((w) => w.name === name);
  if (exact) return exact;
  const trimmed = wb.book.worksheets.filter((w) => w.name.trim() === name.trim());
  if (trimmed.length === 1) return trimmed[0];
  throw new RotationError('XLSX_UNKNOWN_SHEET', `No sheet "${name}" in the workbook`,
    { file: wb.source, sheet: name, sheets: wb.sheets.map((s) => JSON.stringify(s)) },
    `use one of the sheet names listed (${wb.sheets.map((s) => JSON.stringify(s)).join(', ')})`);
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_SERIAL = 2958465; // 9999-12-31

function isoOfUtc(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().slice(0, 10);
}

/**
 * ISO date of a date cell: a JS Date (exceljs' Excel date, UTC midnight), an Excel serial number
 * (whole days; 1 = 1900-01-01 .. 59 = 1900-02-28, 60 = Excel's non-existent 1900-02-29 → null,
 * n >= 61 = 1899-12-30 + n days, e.g. 45000 = 2023-03-15), or text yyyy-mm-dd, yyyy/m/d, yyyy.m.d,
 * yyyymmdd (a time part after a space is ignored). null when it is none of these or not a real
 * calendar date.
 */
export function excelDateToIso(v: unknown): string | null {
  if (v instanceof Date) return isoOfUtc(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 1 || v > MAX_SERIAL) return null;
    const n = Math.floor(v);
    if (n === 60) return null; // Excel's phantom 1900-02-29 (the Lotus leap-year bug)
    // serials 1..59 are 1900-01-01..1900-02-28; from 61 on the 1899-12-30 epoch is exact
    return isoOfUtc(new Date(EXCEL_EPOCH_MS + (n < 60 ? n + 1 : n) * 86_400_000));
  }
  if (typeof v === 'object' && v !== null && 'result' in v) return excelDateToIso((v as { result: unknown }).result);
  if (typeof v !== 'string') return null;
  const s = v.trim().split(/[ T]/)[0];
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return isoOfUtc(dt);
}

/** How a value cell reads: a number, or why it is missing. */
type CellRead = { value: number } | { reason: string; text?: string };

function readValueCell(v: unknown): CellRead {
  if (v === null || v === undefined || v === '') return { reason: 'blank cell' };
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : { reason: 'not a finite number' };
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '' ) return { reason: 'blank cell' };
    const x = Number(t.replace(/,/g, ''));
    return Number.isFinite(x) && /^[-+]?[\d,]*\.?\d+(e[-+]?\d+)?$/i.test(t) ? { value: x } : { reason: 'text where a number belongs (cell masked)', text: t.slice(0, 40) };
  }
  if (typeof v === 'object') {
    const o = v as { formula?: unknown; sharedFormula?: unknown; result?: unknown; error?: unknown };
    if ('error' in o && o.error !== undefined) return { reason: 'Excel error value (e.g. #N/A)', text: String(o.error) };
    if ('formula' in o || 'sharedFormula' in o) {
      if (o.result === undefined || o.result === null) return { reason: 'formula without a cached value (no value)' };
      if (typeof o.result === 'object' && o.result !== null && 'error' in (o.result as object)) {
        return { reason: 'Excel error value (e.g. #N/A)', text: String((o.result as { error: unknown }).error) };
      }
      return readValueCell(o.result);
    }
  }
  return { reason: 'text where a number belongs (cell masked)', text: String(v).slice(0, 40) };
}

export interface CodeSheetOptions {
  /** 'positive' (valuation multiples): 0 and negative values masked, each counted under its own reason. Default 'any'. */
  valueRule?: 'any' | 'positive';
  /** Name of the quantity in loss reasons, e.g. "PE". Default "value". */
  quantity?: string;
  /** Loss report stage. */
  stage?: string;
  /** Ignore rows dated after this ISO date (counted). */
  asOf?: string;
}

export interface CodeSheet {
  /** dates (ascending ISO, as in column 1) x codes (row 1 order). */
  panel: Panel;
  /** Row-2 name of each code (as written, e.g. "农林牧渔(申万)"). */
  names: Map<string, string>;
  loss: LossReport;
}

/**
 * Read a code/name/date sheet (see the module comment) into a dates x codes panel.
 * Errors: XLSX_NO_CODES, XLSX_DUPLICATE_CODE (codes listed with their columns), XLSX_NO_DATE_COLUMN,
 * XLSX_DUPLICATE_DATE.
 */
export function readCodeSheet(wb: Workbook, sheetName: string, options: CodeSheetOptions = {}): CodeSheet {
  const ws = findSheet(wb, sheetName);
  const where0 = { file: wb.source, sheet: ws.name };
  const rule = options.valueRule ?? 'any';
  const q = options.quantity ?? 'value';
  const row1 = ws.getRow(1), row2 = ws.getRow(2);
  const codes: string[] = [];
  for (let c = 2; c <= Math.max(ws.columnCount, 2); c++) {
    const v = row1.getCell(c).value;
    const s = v === null || v === undefined ? '' : String(typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result ?? '' : v).trim();
    if (s === '') break;
    codes.push(s);
  }
  if (codes.length === 0) {
    throw new RotationError('XLSX_NO_CODES', 'Row 1 holds no codes from column 2 on', { ...where0, row: 1 },
      'the sheet must start with a row "证券代码, code_1, code_2, ..." (Wind: export with codes in row 1 and names in row 2)');
  }
  const firstCol = new Map<string, number>();
  const dups: string[] = [];
  codes.forEach((c, j) => {
    if (firstCol.has(c)) dups.push(`${c} (columns ${firstCol.get(c)! + 2} and ${j + 2})`);
    else firstCol.set(c, j);
  });
  if (dups.length) {
    throw new RotationError('XLSX_DUPLICATE_CODE', `${dups.length} code(s) appear twice in row 1`, { ...where0, row: 1, duplicates: dups },
      'keep one column per code (a second export block pasted beside the first?)');
  }
  const names = new Map<string, string>();
  codes.forEach((c, j) => {
    const v = row2.getCell(j + 2).value;
    names.set(c, v === null || v === undefined ? '' : String(typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result ?? '' : v).trim());
  });
  const N = codes.length;
  const ignored = ws.columnCount - (N + 1);
  const loss = newLossReport(options.stage ?? `load workbook sheet ${ws.name.trim()}`, `${wb.source} [${ws.name}]`);
  loss.notes.push(`counts are (date row, code) cells: ${N} codes; rows 1-2 are codes and names`);
  if (ignored > 0) loss.notes.push(`${ignored} column(s) after the first blank header cell (column ${N + 2}) ignored: not part of the code block`);
  const rows: { date: string; r: number; vals: Float64Array }[] = [];
  let anyDate = false;
  for (let r = 3; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const dv = row.getCell(1).value;
    const values = Array.from({ length: N }, (_, j) => row.getCell(j + 2).value);
    const allBlank = (dv === null || dv === undefined || dv === '') && values.every((v) => v === null || v === undefined || v === '');
    if (allBlank) continue; // an empty spreadsheet row is not data
    loss.rowsRead += N;
    const date = excelDateToIso(dv);
    if (date === null) {
      countLoss(loss, 'column 1 is not a date (row dropped)', N, { ...where0, row: r, text: String(dv).slice(0, 40) });
      continue;
    }
    anyDate = true;
    if (options.asOf !== undefined && date > options.asOf) {
      countLoss(loss, `date after asOf ${options.asOf} (row dropped)`, N, { ...where0, row: r, date });
      continue;
    }
    const vals = new Float64Array(N).fill(NaN);
    for (let j = 0; j < N; j++) {
      const cell = readValueCell(values[j]);
      const w = { ...where0, row: r, date, code: codes[j] };
      if ('reason' in cell) { countLoss(loss, cell.reason, 1, cell.text ? { ...w, text: cell.text } : w); continue; }
      const v = cell.value;
      if (rule === 'positive' && v === 0) { countLoss(loss, `${q} = 0 (vendor code for missing or negative earnings; masked)`, 1, w); continue; }
      if (rule === 'positive' && v < 0) { countLoss(loss, `${q} < 0 (negative earnings; masked)`, 1, { ...w, value: v }); continue; }
      vals[j] = v;
      loss.rowsKept++;
    }
    rows.push({ date, r, vals });
  }
  if (!anyDate) {
    throw new RotationError('XLSX_NO_DATE_COLUMN', 'No row from row 3 on has a date in column 1', { ...where0, rowsSeen: ws.rowCount },
      'column 1 must hold the dates (Excel dates, serial numbers or yyyy-mm-dd text), one row per date below the code and name rows');
  }
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.r - b.r));
  for (let k = 1; k < rows.length; k++) {
    if (rows[k].date === rows[k - 1].date) {
      throw new RotationError('XLSX_DUPLICATE_DATE', `Date ${rows[k].date} appears twice`, { ...where0, rows: [rows[k - 1].r, rows[k].r] },
        'keep one row per date');
    }
  }
  const values = new Float64Array(rows.length * N);
  rows.forEach((x, k) => values.set(x.vals, k * N));
  return { panel: createPanel(rows.map((x) => x.date), codes, values, `${wb.source} [${ws.name}]`), names, loss };
}
