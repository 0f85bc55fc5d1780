/**
 * File reading and CSV parsing for every loader.
 *
 * - `readTextFile` checks the path, gunzips by magic bytes (1f 8b), strips a UTF-8 BOM and detects
 *   the encoding: valid UTF-8 first, else GBK (Wind / Windows exports), else a named error.
 * - `parseCsvText` is a columnar parser that writes numeric columns straight into `Float64Array`s
 *   (no per-row objects) and keeps every other column as the exact text of the cell: an identifier
 *   such as stock code "000001" is never coerced to a number. Only columns the caller declares
 *   numeric are parsed as numbers; a cell that is not a number is NaN with status `NUM_TEXT` so the
 *   validator can count it with its row, column and text.
 *
 * Paths in messages and loss reports are relative to the working directory (the project root),
 * never absolute.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { RotationError } from '../errors.js';

/** Status of a numeric cell. */
export const NUM_OK = 0;
/** Blank cell or a recognised missing marker (NA, N/A, NaN, null, None, --). */
export const NUM_BLANK = 1;
/** Text where a number belongs. */
export const NUM_TEXT = 2;

export type TextEncodingName = 'utf-8' | 'gbk';

/** A decoded text file and how it was decoded. */
export interface TextFile {
  /** The path relative to the working directory, forward slashes (what messages show). */
  source: string;
  text: string;
  encoding: TextEncodingName;
  /** True when the file was gzip-compressed (detected by magic bytes, not by name). */
  gzip: boolean;
  /** True when a UTF-8 byte-order mark was stripped. */
  bom: boolean;
  /** Size of the decompressed bytes. */
  bytes: number;
  /** Where the path leads when it is a symbolic link (relative path), else undefined: see `headerForMessage`. */
  linkTarget?: string;
}

/** A row the parser could not keep (wrong number of fields), counted by the validators. */
export interface SkippedRow {
  /** 1-based line number in the file where the record starts. */
  line: number;
  reason: string;
  /** The first 80 characters of the record. */
  excerpt: string;
}

/**
 * A parsed CSV in columnar form. `header` lists the columns in file order; each column is either
 * in `text` (exact cell text, trimmed) or in `num` (parsed numbers, NaN when blank or not a number,
 * with `numStatus` telling which and `badText` keeping the offending text).
 */
export interface CsvTable {
  source: string;
  header: string[];
  nRows: number;
  text: Record<string, string[]>;
  num: Record<string, Float64Array>;
  numStatus: Record<string, Uint8Array>;
  /** Offending text of NUM_TEXT cells, by column then row index. */
  badText: Record<string, Map<number, string>>;
  /** 1-based file line of each row. */
  lines: Int32Array;
  /** Records dropped by the parser (they count as rows read). */
  skipped: SkippedRow[];
  encoding: TextEncodingName;
  bom: boolean;
  gzip: boolean;
  delimiter: string;
  /** Facts to carry into the loss report (encoding found, BOM stripped, ...). */
  notes: string[];
  /** Where `source` leads when it is a symbolic link (relative path), else undefined. */
  linkTarget?: string;
}

/** The folder of shared real data (`$ROTATION_SHARED_DATA`, else `../shared/data`); defined in paths.ts. */
export { sharedDataDir } from './paths.js';

/** `file` relative to the working directory with forward slashes (for messages and loss reports). */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

/**
 * Read a file's bytes, or throw `DATA_FILE_NOT_FOUND` naming the path tried (and a `.gz` or
 * non-`.gz` sibling if one exists).
 */
export function readFileBytes(file: string): Uint8Array {
  const abs = path.resolve(file);
  const shown = displayPath(abs);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch {
    stat = undefined;
  }
  if (!stat) {
    const sibling = abs.endsWith('.gz') ? abs.slice(0, -3) : `${abs}.gz`;
    const hint = fs.existsSync(sibling) ? ` A file ${displayPath(sibling)} exists: did you mean it?` : '';
    throw new RotationError('DATA_FILE_NOT_FOUND', `File not found: ${shown}`, { file: shown },
      `check the path (relative paths are resolved from ${displayPath(process.cwd())}, the working directory), or point the loader at the folder holding the file.${hint}`);
  }
  if (stat.isDirectory()) {
    throw new RotationError('DATA_FILE_NOT_FOUND', `Expected a file but found a directory: ${shown}`, { file: shown },
      'pass the path of a CSV file inside that directory');
  }
  return fs.readFileSync(abs);
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Offset of the first byte that breaks GBK/GB18030 structure, or -1. (Node's GBK decoder silently
 * skips some invalid bytes such as 0xFF even in fatal mode, so the structure is checked here.)
 * Single bytes 00-80; two bytes lead 81-FE, trail 40-7E or 80-FE; four bytes 81-FE 30-39 81-FE 30-39.
 */
export function firstInvalidGbkByte(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b <= 0x80) { i++; continue; }
    if (b === 0xff || i + 1 >= n) return i;
    const b2 = bytes[i + 1];
    if ((b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe)) { i += 2; continue; }
    if (b2 >= 0x30 && b2 <= 0x39 && i + 3 < n) {
      const b3 = bytes[i + 2], b4 = bytes[i + 3];
      if (b3 >= 0x81 && b3 <= 0xfe && b4 >= 0x30 && b4 <= 0x39) { i += 4; continue; }
    }
    return i;
  }
  return -1;
}

function hexAround(bytes: Uint8Array, offset: number): string {
  const out: string[] = [];
  for (let k = offset; k < Math.min(bytes.length, offset + 8); k++) out.push(bytes[k].toString(16).padStart(2, '0'));
  return out.join(' ');
}

/** Offset of the first invalid UTF-8 sequence, or -1 (used for the error message only). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    let len = 0;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) len = 3;
    else if (b >= 0xf0 && b <= 0xf4) len = 4;
    else return i;
    if (i + len > n) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}

/**
 * The longest string V8 can hold (2^29 − 24 UTF-16 code units on 64-bit builds, ~537 M
 * characters): a file decoding to more characters cannot be read as one string.
 */
export const MAX_STRING_CHARS = 2 ** 29 - 24;

function fileTooLarge(source: string, bytes: number, maxChars: number): RotationError {
  return new RotationError('DATA_FILE_TOO_LARGE',
    `File decodes to more than ${maxChars} characters, the longest string the JavaScript engine can hold${Number.isFinite(bytes) ? ` (${Math.round(bytes / 2 ** 20)} MiB of decoded bytes)` : ''}; the bytes are not an encoding problem`,
    { file: source, bytes, limitChars: maxChars },
    'split the export into several files (e.g. by year or by stock range) of under ~500 MB each, or convert it to Parquet and load it through DuckDB (src/data/parquet.ts)');
}

/**
 * Decode bytes as UTF-8 (BOM stripped) or, when that fails, GBK. A text longer than `maxChars`
 * (default MAX_STRING_CHARS, the engine's limit) is `DATA_FILE_TOO_LARGE`, never `DATA_ENCODING`. Throws `DATA_ENCODING` when
 * neither decodes cleanly, saying what was found (UTF-16 BOM, NUL bytes, offending bytes).
 */
export function decodeText(bytes: Uint8Array, source: string, maxChars = MAX_STRING_CHARS): { text: string; encoding: TextEncodingName; bom: boolean } {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const which = bytes[0] === 0xff ? 'UTF-16 LE' : 'UTF-16 BE';
    throw new RotationError('DATA_ENCODING', `File is ${which} (it starts with a ${which} byte-order mark); only UTF-8 and GBK are read`,
      { file: source, offset: 0, bytes: hexAround(bytes, 0) }, 're-save the file as UTF-8 (in Excel: "CSV UTF-8"), or export it again as CSV');
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string | undefined;
  let encoding: TextEncodingName = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch (e) {
    // V8 cannot hold a string this long: the bytes may be perfectly valid (not an encoding problem)
    if (e instanceof RangeError || body.length > maxChars) throw fileTooLarge(source, body.length, maxChars);
    text = undefined;
  }
  if (text !== undefined && text.length > maxChars) throw fileTooLarge(source, body.length, maxChars);
  if (text === undefined) {
    const badUtf8 = firstInvalidUtf8Byte(body);
    const badGbk = firstInvalidGbkByte(body);
    if (bom || badGbk >= 0) {
      const off = badGbk >= 0 ? badGbk : badUtf8;
      throw new RotationError('DATA_ENCODING',
        `File is neither valid UTF-8 (first invalid byte at offset ${badUtf8 + (bom ? 3 : 0)}) nor valid GBK (first invalid byte at offset ${badGbk + (bom ? 3 : 0)})${bom ? ' although it starts with a UTF-8 BOM' : ''}`,
        { file: source, offset: off + (bom ? 3 : 0), bytes: hexAround(body, Math.max(0, off)) },
        'the file is damaged or in another encoding (e.g. Big5, Latin-1, UTF-16): re-export it as UTF-8 CSV');
    }
    try {
      text = new TextDecoder('gbk', { fatal: true }).decode(body);
      encoding = 'gbk';
    } catch {
      throw new RotationError('DATA_ENCODING', 'File is neither valid UTF-8 nor decodable as GBK',
        { file: source, offset: badUtf8, bytes: hexAround(body, Math.max(0, badUtf8)) }, 're-export the file as UTF-8 CSV');
    }
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new RotationError('DATA_ENCODING', `Decoded text contains NUL characters (first at character ${nul}): this is a binary file or UTF-16 without a byte-order mark`,
      { file: source, offset: nul }, 'pass a text CSV file; re-save UTF-16 files as UTF-8');
  }
  return { text, encoding, bom };
}

/** Read a (possibly gzip-compressed) text file and decode it (see `decodeText`). */
export function readTextFile(file: string, maxChars = MAX_STRING_CHARS): TextFile {
  const source = displayPath(file);
  let bytes = readFileBytes(file);
  const gzip = isGzip(bytes);
  if (gzip) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      if (e instanceof RangeError) throw fileTooLarge(source, Number.NaN, maxChars);
      throw new RotationError('DATA_GZIP', `File starts with the gzip magic bytes but does not decompress: ${(e as Error).message}`,
        { file: source }, 'the download is probably truncated: fetch or export the file again');
    }
  }
  const { text, encoding, bom } = decodeText(bytes, source, maxChars);
  const linkTarget = symlinkTarget(file);
  return { source, text, encoding, gzip, bom, bytes: bytes.length, ...(linkTarget === undefined ? {} : { linkTarget }) };
}

/** The relative path a symbolic link at `file` resolves to, or undefined when `file` is not a link. */
export function symlinkTarget(file: string): string | undefined {
  try {
    return fs.lstatSync(file).isSymbolicLink() ? displayPath(fs.realpathSync(file)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header as an error message may show it. A file reached through a symbolic link may be any
 * file on the machine (a link planted in a data folder to a system file, say), so its first line is
 * not echoed: the message gives the column count and where the link leads instead.
 */
export function headerForMessage(t: Pick<CsvTable, 'header' | 'source' | 'linkTarget'>): string[] {
  const cols = t.header.filter((h) => h !== '');
  if (t.linkTarget === undefined) return cols;
  return [`(${cols.length} column(s) not shown: ${t.source} is a symbolic link to ${t.linkTarget})`];
}

export interface ParseCsvOptions {
  /** Source name for messages (a relative path). Default "csv". */
  source?: string;
  /** Columns parsed as numbers: a list of header names or a predicate. Every other column stays text. */
  numeric?: readonly string[] | ((column: string) => boolean);
  /** Field delimiter; detected from the header line (comma, tab, semicolon, pipe) when omitted. */
  delimiter?: string;
  /**
   * Decimal mark of numeric cells: '.' (default; "1,234.5" read as grouped thousands) or ','
   * ("2543,75" = 2543.75, "1.234,5" = 1234.5; a plain "2543.75" is still read).
   */
  decimal?: '.' | ',';
}

/** True for the texts read as a missing number (compared lower-case). */
function isMissingMarker(s: string): boolean {
  switch (s.toLowerCase()) {
    case 'na': case 'n/a': case 'nan': case 'null': case 'none': case '--': case '-': case '#n/a':
      return true;
    default:
      return false;
  }
}
const POW10: readonly number[] = Object.freeze([1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]);
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED_RE = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** Result slot for `parseNumberSpan` (avoids allocating per cell). */
interface NumOut { value: number; status: number }

/**
 * Parse text[s, e) as a number. Fast path for plain decimals with at most 15 significant digits
 * (m / 10^k with both exact is correctly rounded, so it equals `Number()`), fallback otherwise.
 */
function parseNumberSpan(text: string, s: number, e: number, out: NumOut): void {
  while (s < e && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
  while (e > s && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  if (s === e) { out.value = NaN; out.status = NUM_BLANK; return; }
  let i = s;
  let neg = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 45 || c0 === 43) { neg = c0 === 45; i++; }
  let mant = 0, digits = 0, frac = 0, seenDot = false, any = false;
  for (; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      any = true;
      if (mant === 0 && c === 48 && !seenDot) continue;
      if (digits >= 15) break;
      mant = mant * 10 + (c - 48);
      digits++;
      if (seenDot) frac++;
    } else if (c === 46 && !seenDot) {
      seenDot = true;
    } else break;
  }
  if (i === e && any && frac <= 22) {
    // leading zeros after the dot (0.001) do not count as significant digits but do count as frac
    out.value = (neg ? -mant : mant) / POW10[frac];
    out.status = NUM_OK;
    return;
  }
  parseNumberSlow(text.slice(s, e), out);
}

function parseNumberSlow(str: string, out: NumOut): void {
  if (NUMBER_RE.test(str)) {
    out.value = Number(str);
    out.status = Number.isFinite(out.value) ? NUM_OK : NUM_TEXT;
    if (out.status !== NUM_OK) out.value = NaN;
    return;
  }
  if (GROUPED_RE.test(str)) {
    out.value = Number(str.replace(/,/g, ''));
    out.status = NUM_OK;
    return;
  }
  out.value = NaN;
  out.status = isMissingMarker(str) ? NUM_BLANK : NUM_TEXT;
}

const COMMA_DECIMAL_RE = /^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$/;
const DOT_GROUPED_RE = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;

/** Parse a cell written with a decimal comma ("2543,75", "1.234,5"); a plain dot decimal still parses. */
function parseNumberDecimalComma(text: string, s: number, e: number, out: NumOut): void {
  const str = sliceTrim(text, s, e);
  if (str === '') { out.value = NaN; out.status = NUM_BLANK; return; }
  let norm: string | undefined;
  if (DOT_GROUPED_RE.test(str)) norm = str.replace(/\./g, '').replace(',', '.');
  else if (COMMA_DECIMAL_RE.test(str)) norm = str.replace(',', '.');
  if (norm !== undefined) {
    out.value = Number(norm);
    out.status = Number.isFinite(out.value) ? NUM_OK : NUM_TEXT;
    if (out.status !== NUM_OK) out.value = NaN;
    return;
  }
  if (NUMBER_RE.test(str)) { parseNumberSlow(str, out); return; }
  out.value = NaN;
  out.status = isMissingMarker(str) ? NUM_BLANK : NUM_TEXT;
}

/** Parse one cell's text as a number: `{ value, status }` with status NUM_OK / NUM_BLANK / NUM_TEXT. */
export function parseNumberCell(cell: string): { value: number; status: number } {
  const out = { value: NaN, status: NUM_BLANK };
  parseNumberSpan(cell, 0, cell.length, out);
  return out;
}

/** Split one line (no embedded newlines) into trimmed fields, honouring double quotes. */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      i++;
      while (i < n) {
        const c = line[i];
        if (c === '"') {
          if (line[i + 1] === '"') { v += '"'; i += 2; continue; }
          i++;
          break;
        }
        v += c;
        i++;
      }
      const next = line.indexOf(delimiter, i);
      out.push(v);
      if (next < 0) break;
      i = next + delimiter.length;
    } else {
      const next = line.indexOf(delimiter, i);
      if (next < 0) { out.push(line.slice(i).trim()); break; }
      out.push(line.slice(i, next).trim());
      i = next + delimiter.length;
    }
  }
  return out;
}

/** The first non-empty line of `text` (the header line). */
export function firstLine(text: string): string {
  let s = 0;
  while (s < text.length) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = text.length;
    const line = text.slice(s, e).replace(/\r$/, '');
    if (line.trim() !== '') return line;
    s = e + 1;
  }
  return '';
}

/** Count delimiter candidates outside quotes in the header line; comma wins ties. */
export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0, '|': 0 };
  let inQ = false;
  for (const ch of headerLine) {
    if (ch === '"') inQ = !inQ;
    else if (!inQ && ch in counts) counts[ch]++;
  }
  let best = ',';
  for (const d of ['\t', ';', '|']) if (counts[d] > counts[best]) best = d;
  return best;
}

/** The header of a CSV text, trimmed, in file order (no data rows parsed). */
export function readCsvHeader(text: string, delimiter?: string): string[] {
  const line = firstLine(text);
  return splitCsvLine(line, delimiter ?? detectDelimiter(line));
}

class GrowF64 {
  a: Float64Array;
  n = 0;
  constructor(cap: number) { this.a = new Float64Array(Math.max(16, cap)); }
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): Float64Array { return this.a.slice(0, this.n); }
}

class GrowU8 {
  a: Uint8Array;
  n = 0;
  constructor(cap: number) { this.a = new Uint8Array(Math.max(16, cap)); }
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Uint8Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): Uint8Array { return this.a.slice(0, this.n); }
}

class GrowI32 {
  a: Int32Array;
  n = 0;
  constructor(cap: number) { this.a = new Int32Array(Math.max(16, cap)); }
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Int32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): Int32Array { return this.a.slice(0, this.n); }
}

/**
 * Parse CSV text into columns. Throws `DATA_EMPTY_FILE` for an empty text or a header with no
 * data rows, `DATA_DUPLICATE_COLUMN` for a repeated header name. Blank lines are ignored; a
 * record with the wrong number of fields is skipped and listed in `skipped` (it still counts as
 * a row read).
 */
export function parseCsvText(text: string, options: ParseCsvOptions = {}): CsvTable {
  const source = options.source ?? 'csv';
  if (text.trim() === '') {
    throw new RotationError('DATA_EMPTY_FILE', 'File is empty (no header, no rows)', { file: source },
      'export the data again; the file has no content');
  }
  const headerText = firstLine(text);
  const delimiter = options.delimiter ?? detectDelimiter(headerText);
  const commaDecimal = options.decimal === ',';
  if (options.decimal !== undefined && options.decimal !== '.' && options.decimal !== ',') {
    throw new RotationError('DATA_BAD_ARGUMENT', `decimal must be "." or ",", got "${String(options.decimal)}"`, { file: source }, 'pass decimal: "," for files written with decimal commas');
  }

  const header = splitCsvLine(headerText, delimiter);
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (h === '') return;
    if (seen.has(h)) {
      throw new RotationError('DATA_DUPLICATE_COLUMN', `Column "${h}" appears twice in the header`,
        { file: source, line: 1, columns: [seen.get(h)! + 1, j + 1] }, 'rename or remove one of the two columns');
    }
    seen.set(h, j);
  });
  const numericPred = typeof options.numeric === 'function'
    ? options.numeric
    : ((set: Set<string>) => (c: string) => set.has(c))(new Set(options.numeric ?? []));
  const nCols = header.length;
  const isNum = header.map((h) => h !== '' && numericPred(h));
  const estRows = Math.ceil(text.length / Math.max(16, headerText.length)) + 16;
  const numCols: (GrowF64 | null)[] = isNum.map((b) => (b ? new GrowF64(estRows) : null));
  const statCols: (GrowU8 | null)[] = isNum.map((b) => (b ? new GrowU8(estRows) : null));
  const txtCols: (string[] | null)[] = isNum.map((b) => (b ? null : []));
  const badText: Record<string, Map<number, string>> = {};
  const lines = new GrowI32(estRows);
  const skipped: SkippedRow[] = [];

  // Position after the header line.
  let pos = text.indexOf(headerText) + headerText.length;
  if (text.charCodeAt(pos) === 13) pos++;
  if (text.charCodeAt(pos) === 10) pos++;
  let line = 1 + countNewlines(text, 0, text.indexOf(headerText)) + 1;

  const starts = new Int32Array(nCols + 1);
  const ends = new Int32Array(nCols + 1);
  const quoted: (string | null)[] = new Array(nCols + 1).fill(null);
  const prevText: (string | null)[] = new Array(nCols).fill(null);
  const dch = delimiter.charCodeAt(0);
  const dlen = delimiter.length;
  const out: NumOut = { value: NaN, status: NUM_OK };
  const n = text.length;
  let row = 0;

  while (pos < n) {
    const recLine = line;
    const recStart = pos;
    let f = 0;
    let endOfRecord = false;
    while (!endOfRecord) {
      let value: string | null = null;
      let s = pos, e = pos;
      if (text.charCodeAt(pos) === 34) {
        // quoted field
        let v = '';
        let p = pos + 1;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q < 0) { v += text.slice(p); p = n; break; }
          v += text.slice(p, q);
          if (text.charCodeAt(q + 1) === 34) { v += '"'; p = q + 2; continue; }
          p = q + 1;
          break;
        }
        line += countNewlines(v, 0, v.length);
        value = v;
        // skip to delimiter or end of line
        while (p < n && text.charCodeAt(p) !== dch && text.charCodeAt(p) !== 10 && text.charCodeAt(p) !== 13) p++;
        s = e = p;
        pos = p;
      } else {
        let p = pos;
        while (p < n) {
          const c = text.charCodeAt(p);
          if (c === dch || c === 10 || c === 13) break;
          p++;
        }
        s = pos;
        e = p;
        pos = p;
      }
      if (f <= nCols) {
        starts[f] = s;
        ends[f] = e;
        quoted[f] = value;
      }
      f++;
      if (pos >= n) { endOfRecord = true; break; }
      const c = text.charCodeAt(pos);
      if (c === dch && (dlen === 1 || text.startsWith(delimiter, pos))) { pos += dlen; continue; }
      if (c === 13) pos++;
      if (text.charCodeAt(pos) === 10) pos++;
      line++;
      endOfRecord = true;
    }
    // blank line: one empty unquoted field
    if (f === 1 && quoted[0] === null && isBlankSpan(text, starts[0], ends[0])) continue;
    if (f === nCols - 1 && header[nCols - 1] === '') {
      // header ends with a delimiter (unnamed last column) and the row does not: nothing is missing
      starts[f] = ends[f] = starts[f - 1 < 0 ? 0 : f - 1];
      quoted[f] = null;
      f++;
    }
    if (f !== nCols) {
      const rec = text.slice(recStart, Math.min(pos, recStart + 80)).replace(/[\r\n]+$/, '');
      skipped.push({ line: recLine, reason: `${f} field(s), header has ${nCols}`, excerpt: rec });
      continue;
    }
    for (let j = 0; j < nCols; j++) {
      const q = quoted[j];
      const nc = numCols[j];
      if (nc) {
        if (commaDecimal) parseNumberDecimalComma(q ?? text, q !== null ? 0 : starts[j], q !== null ? q.length : ends[j], out);
        else if (q !== null) parseNumberSlowTrim(q, out);
        else parseNumberSpan(text, starts[j], ends[j], out);
        nc.push(out.value);
        statCols[j]!.push(out.status);
        if (out.status === NUM_TEXT) {
          const name = header[j];
          (badText[name] ??= new Map()).set(row, q ?? text.slice(starts[j], ends[j]).trim());
        }
      } else {
        const col = txtCols[j]!;
        if (q !== null) col.push(q.trim());
        else {
          // reuse the previous row's string when the cell is identical (sorted exports repeat codes and dates)
          const prev = prevText[j];
          const s0 = starts[j], e0 = ends[j];
          if (prev !== null && e0 - s0 === prev.length && text.startsWith(prev, s0)) col.push(prev);
          else { const v = sliceTrim(text, s0, e0); col.push(v); prevText[j] = v; }
        }
      }
    }
    lines.push(recLine);
    row++;
  }
  if (row === 0 && skipped.length === 0) {
    throw new RotationError('DATA_EMPTY_FILE', 'File has a header but no data rows', { file: source, header: header },
      'export the data again including the rows, or remove the file');
  }
  const tbl: CsvTable = {
    source, header, nRows: row, text: {}, num: {}, numStatus: {}, badText, lines: lines.done(), skipped,
    encoding: 'utf-8', bom: false, gzip: false, delimiter, notes: [],
  };
  header.forEach((h, j) => {
    if (h === '') return;
    if (numCols[j]) {
      tbl.num[h] = numCols[j]!.done();
      tbl.numStatus[h] = statCols[j]!.done();
    } else {
      tbl.text[h] = txtCols[j]!;
    }
  });
  return tbl;
}

function parseNumberSlowTrim(s: string, out: NumOut): void {
  parseNumberSpan(s, 0, s.length, out);
}

function isBlankSpan(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function sliceTrim(text: string, s: number, e: number): string {
  while (s < e && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
  while (e > s && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  return text.slice(s, e);
}

function countNewlines(text: string, s: number, e: number): number {
  let c = 0;
  for (let i = text.indexOf('\n', s); i >= 0 && i < e; i = text.indexOf('\n', i + 1)) c++;
  return c;
}

/** Notes describing how a file was decoded, for the loss report. */
export function decodingNotes(file: TextFile): string[] {
  const notes = [`encoding: ${file.encoding === 'gbk' ? 'GBK (decoded; not valid UTF-8)' : 'UTF-8'}`];
  if (file.bom) notes.push('UTF-8 byte-order mark stripped');
  if (file.gzip) notes.push('gzip-compressed (detected by magic bytes)');
  return notes;
}

/** Read and parse a CSV file (gzip, BOM and encoding handled; see `readTextFile`, `parseCsvText`). */
export function readCsv(file: string, options: Omit<ParseCsvOptions, 'source'> = {}): CsvTable {
  const tf = readTextFile(file);
  return parseTextFileAsCsv(tf, options);
}

/** Parse an already-read text file as CSV, carrying its decoding facts into the table. */
export function parseTextFileAsCsv(tf: TextFile, options: Omit<ParseCsvOptions, 'source'> = {}): CsvTable {
  const t = parseCsvText(tf.text, { ...options, source: tf.source });
  t.encoding = tf.encoding;
  t.bom = tf.bom;
  t.gzip = tf.gzip;
  t.notes.push(...decodingNotes(tf));
  if (tf.linkTarget !== undefined) t.linkTarget = tf.linkTarget;
  return t;
}

/** Rows 0..n-1 of a text column, or undefined if the column is absent or numeric. */
export function textColumn(t: CsvTable, name: string): string[] | undefined {
  return t.text[name];
}

/**
 * A numeric view of column `name`: parsed numbers and statuses. A text column is parsed on the
 * fly (so a caller that forgot to declare it numeric still gets numbers). Undefined if absent.
 */
export function numericColumn(t: CsvTable, name: string): { values: Float64Array; status: Uint8Array; bad: Map<number, string> } | undefined {
  if (t.num[name]) return { values: t.num[name], status: t.numStatus[name], bad: t.badText[name] ?? new Map() };
  const txt = t.text[name];
  if (!txt) return undefined;
  const values = new Float64Array(txt.length);
  const status = new Uint8Array(txt.length);
  const bad = new Map<number, string>();
  const out: NumOut = { value: NaN, status: NUM_OK };
  for (let i = 0; i < txt.length; i++) {
    parseNumberSpan(txt[i], 0, txt[i].length, out);
    values[i] = out.value;
    status[i] = out.status;
    if (out.status === NUM_TEXT) bad.set(i, txt[i]);
  }
  t.num[name] = values;
  t.numStatus[name] = status;
  t.badText[name] = bad;
  delete t.text[name];
  return { values, status, bad };
}
