/**
 * Conversion between arquero tables (the edges: loading, reshaping, export, notebook tables) and
 * the dense date x asset `Panel` (the hot loops).
 *
 *   long table  (date, asset, value), one row per (date, asset)   ⇄  Panel
 *   wide table  (date, <asset 1>, <asset 2>, ...), one row per date ⇄  Panel
 *
 * Parsing rules shared by every reader here:
 * - dates: ISO `yyyy-mm-dd` strings (a real calendar date) or JS `Date` objects, which are
 *   converted to the ISO date of their UTC calendar day (what arquero's `fromCSV` produces for
 *   `2024-01-31`). Anything else is `PANEL_BAD_DATE`.
 * - values: finite numbers are kept; `null`, `undefined`, `''` (or blanks), `NaN` and the string
 *   `"NaN"` are missing (NaN); decimal strings such as `"1.5"`, `"-2e-3"` are parsed; bigint is
 *   converted with `Number`. Other text (`"abc"`, `"NA"`), booleans and objects are
 *   `PANEL_NOT_NUMERIC`; +/-Infinity (number or string) is `PANEL_INFINITE`.
 * - assets: non-empty strings. Numbers are rejected (`PANEL_BAD_ASSET`) because a code such as
 *   `000001` parsed as a number has already lost its leading zeros.
 *
 * Row numbers in errors are 0-based indices into the table as it is seen (after any arquero
 * filter / orderby), i.e. the index `table.object(row)` takes.
 *
 * Error codes thrown here: PANEL_EMPTY_TABLE, PANEL_MISSING_COLUMN, PANEL_BAD_DATE,
 * PANEL_BAD_ASSET, PANEL_NOT_NUMERIC, PANEL_INFINITE, PANEL_DUPLICATE_ROW, PANEL_DUPLICATE_DATE,
 * PANEL_ROW_LENGTHS, PANEL_BAD_ARGUMENT.
 */
import { table as aqTable, type ColumnTable } from 'arquero';
import { RotationError } from '../errors.js';
import { createPanel, isIsoDate, type Panel } from './panel.js';

/** Asset order of a panel built from rows: as first met in the rows, or sorted (code-unit order). */
export type AssetOrder = 'first-seen' | 'sorted';

/** Column names of a long table, plus options. */
export interface LongSpec {
  /** Name of the date column. */
  date: string;
  /** Name of the asset column. */
  asset: string;
  /** Name of the value column. */
  value: string;
  /** Where the data came from (file path relative to the project, dataset name), for errors. */
  source?: string;
  /** Asset order of the panel (default 'first-seen'). */
  assetOrder?: AssetOrder;
}

/** Three parallel row arrays: row r is (dates[r], assets[r], values[r]). */
export interface RowArrays {
  dates: ArrayLike<string>;
  assets: ArrayLike<string>;
  values: ArrayLike<number>;
}

/** Options of `fromRows`. */
export interface RowsOptions {
  /** Asset order of the panel (default 'first-seen'). */
  assetOrder?: AssetOrder;
}

/** Column names of a wide table. */
export interface WideSpec {
  /** Name of the date column. */
  date: string;
  /** Asset columns to read, in this order (default: every column except the date column). */
  assets?: string[];
  /** Where the data came from, for errors. */
  source?: string;
}

/** Options of `toLong`. */
export interface ToLongOptions {
  /** Leave out cells whose value is missing (NaN). Default false: every cell is a row. */
  dropMissing?: boolean;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITE_TEXT = /^[+-]?(inf|infinity)$/i;

/** Column names as names the user would recognize (for "which columns exist"). */
function requireColumn(t: ColumnTable, name: string, role: string, source: string): void {
  if (t.columnIndex(name) < 0) {
    throw new RotationError('PANEL_MISSING_COLUMN', `The ${role} column "${name}" is not in the table`,
      { source, column: name, available: t.columnNames() },
      `pass the name of an existing column as ${role} (the table has: ${t.columnNames().join(', ')})`);
  }
}

function requireRows(nRows: number, source: string): void {
  if (nRows === 0) {
    throw new RotationError('PANEL_EMPTY_TABLE', 'The table has no rows', { source },
      'check the file or the filter that produced the table; a panel needs at least one row');
  }
}

/** Value at row r of column `name`, honouring an arquero filter / orderby. */
function columnReader(t: ColumnTable, name: string): (r: number) => unknown {
  const col = t.column(name)!;
  if (t.isFiltered() || t.isOrdered()) {
    const idx = t.indices();
    return (r) => col.at(idx[r]);
  }
  return (r) => col.at(r);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * Normalize one date cell to ISO `yyyy-mm-dd`: strings must be a real calendar date written
 * yyyy-mm-dd; `Date` objects give the ISO date of their UTC day. Throws `PANEL_BAD_DATE`.
 */
function parseDate(v: unknown, row: number, column: string, source: string): string {
  if (typeof v === 'string' && isIsoDate(v)) return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    const y = v.getUTCFullYear();
    if (y >= 0 && y <= 9999) return v.toISOString().slice(0, 10);
  }
  const compact = typeof v === 'number' || (typeof v === 'string' && /^\d{8}$/.test(v));
  throw new RotationError('PANEL_BAD_DATE', `Unparseable date ${show(v)}`, { source, row, column, value: show(v) },
    compact
      ? 'write dates as ISO yyyy-mm-dd (a compact yyyymmdd date must be converted first, e.g. 20240131 -> 2024-01-31)'
      : 'write dates as ISO yyyy-mm-dd (a real calendar date, e.g. 2024-01-31) or pass JS Date objects');
}

/**
 * Normalize one value cell to a number, NaN = missing (see the module comment for the rules).
 * Throws `PANEL_NOT_NUMERIC` or `PANEL_INFINITE`.
 */
function parseValue(v: unknown, row: number, column: string, source: string): number {
  if (typeof v === 'number') {
    if (v === Infinity || v === -Infinity) throw infinite(v, row, column, source);
    return v;
  }
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '' || s === 'NaN') return NaN;
    if (DECIMAL.test(s)) return Number(s);
    if (INFINITE_TEXT.test(s)) throw infinite(v, row, column, source);
  } else if (typeof v === 'bigint') {
    return Number(v);
  }
  throw new RotationError('PANEL_NOT_NUMERIC', `Non-numeric value ${show(v)}`, { source, row, column, value: show(v) },
    'values must be numbers or decimal text; map missing markers (e.g. "NA", "-", "--") to null before building the panel');
}

function infinite(v: unknown, row: number, column: string, source: string): RotationError {
  return new RotationError('PANEL_INFINITE', `Infinite value ${show(v)}`, { source, row, column, value: show(v) },
    'replace infinities (often a division by zero upstream) with null / NaN or a finite value');
}

function badAsset(v: unknown, row: number, column: string, source: string): RotationError {
  const numeric = typeof v === 'number' || typeof v === 'bigint';
  return new RotationError('PANEL_BAD_ASSET', numeric ? `Asset identifier ${show(v)} is a number, not text` : `Missing or empty asset identifier ${show(v)}`,
    { source, row, column, value: show(v) },
    numeric
      ? 'read the asset column as text so codes keep their leading zeros (e.g. arquero fromCSV(..., { parse: { code: String } }))'
      : 'every row needs a non-empty asset identifier; drop or fix the row');
}

/** Row-level column names, for the messages of the shared assembler. */
interface Columns {
  date: string;
  asset: string;
  value: string;
}

/**
 * Shared assembler of `fromLong` and `fromRows`. `getDate`/`getAsset`/`getValue` read row r
 * (raw, unvalidated); dates and assets are validated once per distinct string.
 */
function assemble(
  nRows: number,
  getDate: (r: number) => unknown,
  getAsset: (r: number) => unknown,
  getValue: (r: number) => unknown,
  cols: Columns,
  source: string,
  assetOrder: AssetOrder,
): Panel {
  if (assetOrder !== 'first-seen' && assetOrder !== 'sorted') {
    throw new RotationError('PANEL_BAD_ARGUMENT', `Unknown assetOrder "${String(assetOrder)}"`, { source, argument: 'assetOrder' },
      "use 'first-seen' or 'sorted'");
  }
  requireRows(nRows, source);
  const dateId = new Map<string, number>();
  const assetId = new Map<string, number>();
  const dateList: string[] = [];
  const assetList: string[] = [];
  const rowDate = new Int32Array(nRows);
  const rowAsset = new Int32Array(nRows);
  const rowValue = new Float64Array(nRows);
  let lastDateRaw: unknown = undefined, lastDate = -1;
  let lastAssetRaw: unknown = undefined, lastAsset = -1;

  for (let r = 0; r < nRows; r++) {
    const dRaw = getDate(r);
    if (dRaw !== lastDateRaw || lastDate < 0) {
      let id = typeof dRaw === 'string' ? dateId.get(dRaw) : undefined;
      if (id === undefined) {
        const d = parseDate(dRaw, r, cols.date, source);
        id = dateId.get(d);
        if (id === undefined) {
          id = dateList.length;
          dateList.push(d);
          dateId.set(d, id);
        }
      }
      lastDateRaw = dRaw;
      lastDate = id;
    }
    rowDate[r] = lastDate;

    const aRaw = getAsset(r);
    if (aRaw !== lastAssetRaw || lastAsset < 0) {
      if (typeof aRaw !== 'string' || aRaw === '') throw badAsset(aRaw, r, cols.asset, source);
      let id = assetId.get(aRaw);
      if (id === undefined) {
        id = assetList.length;
        assetList.push(aRaw);
        assetId.set(aRaw, id);
      }
      lastAssetRaw = aRaw;
      lastAsset = id;
    }
    rowAsset[r] = lastAsset;

    const vRaw = getValue(r);
    rowValue[r] = typeof vRaw === 'number' && vRaw - vRaw === 0 ? vRaw : parseValue(vRaw, r, cols.value, source);
  }

  // Dates ascending: map first-seen id -> sorted position.
  const dates = dateList.slice().sort();
  const dateRemap = remap(dateList, dates);
  const assets = assetOrder === 'sorted' ? assetList.slice().sort() : assetList;
  const assetRemap = assetOrder === 'sorted' ? remap(assetList, assets) : null;

  const T = dates.length, N = assets.length;
  const values = new Float64Array(T * N).fill(NaN);
  const filled = new Uint8Array(T * N);
  for (let r = 0; r < nRows; r++) {
    const t = dateRemap[rowDate[r]];
    const i = assetRemap ? assetRemap[rowAsset[r]] : rowAsset[r];
    const cell = t * N + i;
    if (filled[cell]) {
      let first = 0;
      while (rowDate[first] !== rowDate[r] || rowAsset[first] !== rowAsset[r]) first++;
      throw new RotationError('PANEL_DUPLICATE_ROW', `Duplicate (date, asset) = (${dates[t]}, ${assets[i]}) in rows ${first} and ${r}`,
        { source, rows: [first, r], date: dates[t], asset: assets[i], columns: [cols.date, cols.asset] },
        'keep one row per (date, asset): deduplicate or aggregate the rows before building the panel');
    }
    filled[cell] = 1;
    values[cell] = rowValue[r];
  }
  return createPanel(dates, assets, values, source);
}

/** remap[k] = position of from[k] in to (both hold the same distinct strings). */
function remap(from: readonly string[], to: readonly string[]): Int32Array {
  const pos = new Map<string, number>();
  for (let k = 0; k < to.length; k++) pos.set(to[k], k);
  const out = new Int32Array(from.length);
  for (let k = 0; k < from.length; k++) out[k] = pos.get(from[k])!;
  return out;
}

/**
 * Long table -> Panel. Cell (t, i) = the value of the row with date = dates[t], asset = assets[i];
 * cells with no row are NaN (missing). Dates come out ascending whatever the row order; assets in
 * first-seen order, or sorted with `assetOrder: 'sorted'`.
 *
 * Throws (code, where): PANEL_EMPTY_TABLE (no rows); PANEL_MISSING_COLUMN (column, available
 * columns); PANEL_BAD_DATE (row, column, value); PANEL_BAD_ASSET (row, column, value);
 * PANEL_NOT_NUMERIC (row, column, value); PANEL_INFINITE (row, column, value);
 * PANEL_DUPLICATE_ROW (both rows, date, asset).
 */
export function fromLong(t: ColumnTable, spec: LongSpec): Panel {
  const source = spec.source ?? 'long table';
  requireColumn(t, spec.date, 'date', source);
  requireColumn(t, spec.asset, 'asset', source);
  requireColumn(t, spec.value, 'value', source);
  return assemble(t.numRows(), columnReader(t, spec.date), columnReader(t, spec.asset), columnReader(t, spec.value),
    { date: spec.date, asset: spec.asset, value: spec.value }, source, spec.assetOrder ?? 'first-seen');
}

/**
 * Three parallel row arrays -> Panel, with the semantics of `fromLong` (row r is
 * (dates[r], assets[r], values[r]); dates sorted ascending; missing cells NaN; same errors, the
 * columns named "dates", "assets", "values"). Meant for loaders that already hold typed rows: a
 * single pass with one Map lookup per change of date or asset, so 1M rows take well under 1 s.
 * Also throws PANEL_ROW_LENGTHS when the three arrays differ in length.
 */
export function fromRows(rows: RowArrays, source = 'rows', options: RowsOptions = {}): Panel {
  const src = source;
  const { dates, assets, values } = rows;
  if (dates.length !== assets.length || dates.length !== values.length) {
    throw new RotationError('PANEL_ROW_LENGTHS', `Row arrays differ in length: dates ${dates.length}, assets ${assets.length}, values ${values.length}`,
      { source: src }, 'pass three parallel arrays with one entry per row');
  }
  return assemble(dates.length, (r) => dates[r], (r) => assets[r], (r) => values[r],
    { date: 'dates', asset: 'assets', value: 'values' }, src, options.assetOrder ?? 'first-seen');
}

/**
 * Wide table (a date column plus one column per asset) -> Panel:
 * cell (t, i) = table[row with date = dates[t]][assets[i]]. Rows are sorted by date; assets are
 * `spec.assets` or every column except the date column, in table order.
 *
 * Throws: PANEL_EMPTY_TABLE; PANEL_MISSING_COLUMN (date or a listed asset column, available
 * columns); PANEL_BAD_DATE / PANEL_NOT_NUMERIC / PANEL_INFINITE (row, column, value);
 * PANEL_DUPLICATE_DATE (both rows, the date); PANEL_BAD_ARGUMENT (no asset columns, or the date
 * column listed as an asset).
 */
export function fromWide(t: ColumnTable, spec: WideSpec): Panel {
  const source = spec.source ?? 'wide table';
  requireColumn(t, spec.date, 'date', source);
  const assets = spec.assets ?? t.columnNames().filter((c) => c !== spec.date);
  if (assets.length === 0) {
    throw new RotationError('PANEL_BAD_ARGUMENT', 'The wide table has no asset columns', { source, available: t.columnNames() },
      'add one column per asset next to the date column, or list them in spec.assets');
  }
  for (const a of assets) {
    if (a === spec.date) {
      throw new RotationError('PANEL_BAD_ARGUMENT', `The date column "${a}" is also listed as an asset`, { source, column: a },
        'leave the date column out of spec.assets');
    }
    requireColumn(t, a, 'asset', source);
  }
  const nRows = t.numRows();
  requireRows(nRows, source);
  const readDate = columnReader(t, spec.date);
  const rowDates: string[] = new Array(nRows);
  const firstRow = new Map<string, number>();
  for (let r = 0; r < nRows; r++) {
    const d = parseDate(readDate(r), r, spec.date, source);
    const prev = firstRow.get(d);
    if (prev !== undefined) {
      throw new RotationError('PANEL_DUPLICATE_DATE', `Duplicate date ${d} in rows ${prev} and ${r}`,
        { source, rows: [prev, r], date: d, column: spec.date }, 'keep one row per date in a wide table');
    }
    firstRow.set(d, r);
    rowDates[r] = d;
  }
  const order = Array.from({ length: nRows }, (_, r) => r).sort((a, b) => (rowDates[a] < rowDates[b] ? -1 : rowDates[a] > rowDates[b] ? 1 : 0));
  const N = assets.length;
  const values = new Float64Array(nRows * N);
  for (let i = 0; i < N; i++) {
    const read = columnReader(t, assets[i]);
    for (let k = 0; k < nRows; k++) {
      const r = order[k];
      const v = read(r);
      values[k * N + i] = typeof v === 'number' && v - v === 0 ? v : parseValue(v, r, assets[i], source);
    }
  }
  return createPanel(order.map((r) => rowDates[r]), assets, values, source);
}

/**
 * Panel -> long arquero table with columns `date`, `asset`, `<valueName>`: one row per cell,
 * date-major (row t * nAssets + i is (dates[t], assets[i], values[t, i])). Missing cells keep
 * NaN in the value column (a Float64Array); `dropMissing: true` leaves them out instead.
 * Throws PANEL_BAD_ARGUMENT if valueName is "date" or "asset" or empty.
 */
export function toLong(p: Panel, valueName = 'value', options: ToLongOptions = {}): ColumnTable {
  if (valueName === '' || valueName === 'date' || valueName === 'asset') {
    throw new RotationError('PANEL_BAD_ARGUMENT', `Value column name "${valueName}" clashes with the key columns`, { argument: 'valueName' },
      'name the value column something other than "date", "asset" or ""');
  }
  const T = p.dates.length, N = p.assets.length, src = p.values;
  let m = src.length;
  if (options.dropMissing) {
    m = 0;
    for (let k = 0; k < src.length; k++) if (src[k] === src[k]) m++;
  }
  const date: string[] = new Array(m);
  const asset: string[] = new Array(m);
  const value = new Float64Array(m);
  let r = 0;
  for (let t = 0; t < T; t++) {
    const d = p.dates[t], base = t * N;
    for (let i = 0; i < N; i++) {
      const v = src[base + i];
      if (options.dropMissing && v !== v) continue;
      date[r] = d;
      asset[r] = p.assets[i];
      value[r] = v;
      r++;
    }
  }
  return aqTable({ date, asset, [valueName]: value });
}

/**
 * Panel -> wide arquero table: a `date` column, then one Float64Array column per asset (in panel
 * order) with column[t] = values[t, i] (NaN = missing). Throws PANEL_BAD_ARGUMENT if an asset is
 * named "date".
 */
export function toWide(p: Panel): ColumnTable {
  const T = p.dates.length, N = p.assets.length;
  const cols: Record<string, ArrayLike<unknown>> = { date: p.dates.slice() };
  for (let i = 0; i < N; i++) {
    const a = p.assets[i];
    if (a === 'date') {
      throw new RotationError('PANEL_BAD_ARGUMENT', 'An asset is named "date", which clashes with the date column', { asset: a, position: i },
        'rename the asset (e.g. with selectAssets on a renamed copy) before toWide');
    }
    const col = new Float64Array(T);
    for (let t = 0; t < T; t++) col[t] = p.values[t * N + i];
    cols[a] = col;
  }
  return aqTable(cols);
}
