/**
 * Streaming CSV reading for files too large to decode into one string (the A-share stock panels:
 * 5,000 stocks x 2,500 days is ~12.5 M rows, ~500 MB of text; V8 strings stop at ~537 M
 * characters, and one decoded string plus a string object per cell is ~250 bytes per row).
 *
 * `readCsvStream` returns the same `CsvTable` as `readCsv` (same columns, numbers, statuses,
 * offending texts, file line numbers, skipped records, notes), built chunk by chunk:
 *   bytes (read in 1 MB pieces; a gzip file inflated in a worker thread and handed over piece by
 *   piece, `gunzipPieces`) -> UTF-8 decoded in streaming mode
 *   -> cut into chunks of ~`chunkChars` characters at a newline outside double quotes
 *   -> each chunk parsed by `parseCsvText` (header line + chunk, so every parsing rule is the one
 *      readCsv applies) -> columns appended: numbers into typed arrays, text cells interned
 *      (one string per distinct value: dates and codes repeat, so a text column costs a pointer
 *      per row instead of a string per cell).
 * Peak memory is the typed columns plus one chunk, not the file. Anything the streaming path
 * does not handle (a file that is not UTF-8, e.g. GBK; UTF-16; a missing file) is handed to
 * `readCsv`, whose named errors and decoding rules apply unchanged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RotationError } from '../errors.js';
import { decodingNotes, detectDelimiter, displayPath, parseCsvText, readCsv, symlinkTarget, type CsvTable, type ParseCsvOptions, type SkippedRow } from './csv.js';

export interface StreamCsvOptions extends Omit<ParseCsvOptions, 'source'> {
  /** Characters per parsed chunk (default 1 M: smaller chunks leave less garbage per step); a chunk ends at a newline outside quotes. */
  chunkChars?: number;
  /** Bytes per read (default 1 MB). */
  readBytes?: number;
}

/** Raised inside the reader when the streaming path cannot decode the file; `readCsv` takes over. */
class NotStreamable extends Error {}

/** The file's decompressed bytes, piece by piece (plain: positioned reads; gzip: incremental inflate). */
function* bytePieces(abs: string, source: string, readBytes: number, gzipOut: { gzip: boolean }): Generator<Uint8Array> {
  const fd = fs.openSync(abs, 'r');
  try {
    const head = Buffer.alloc(2);
    const got = fs.readSync(fd, head, 0, 2, 0);
    const gzip = got === 2 && head[0] === 0x1f && head[1] === 0x8b;
    gzipOut.gzip = gzip;
    const buf = Buffer.alloc(readBytes);
    let pos = 0;
    const raw = function* (): Generator<Uint8Array> {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, readBytes, pos);
        if (n <= 0) return;
        pos += n;
        yield buf.subarray(0, n);
      }
    };
    if (!gzip) {
      yield* raw();
      return;
    }
    yield* gunzipPieces(abs, source, readBytes);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The inflated bytes of a gzip file, piece by piece, synchronously: Node has no synchronous
 * incremental inflate (gunzipSync holds the whole output, twice while it joins it), so a worker
 * thread streams the file through zlib's Gunzip and hands pieces over one shared slot
 * (SharedArrayBuffer + Atomics; ctrl[0]: 0 empty, 1 full, 2 end, 3 error, 4 cancelled by the reader).
 */
function* gunzipPieces(abs: string, source: string, slotBytes: number): Generator<Uint8Array> {
  const slot = Math.max(64 * 1024, slotBytes);
  const sab = new SharedArrayBuffer(16 + slot);
  const ctrl = new Int32Array(sab, 0, 4), data = new Uint8Array(sab, 16, slot);
  const worker = new Worker(GUNZIP_WORKER, { eval: true, workerData: { file: abs, sab, slot }, execArgv: [] });
  worker.unref();
  try {
    for (;;) {
      // wait while the slot is empty (a late notify of the previous hand-over can wake us early)
      while (Atomics.load(ctrl, 0) === 0) {
        if (Atomics.wait(ctrl, 0, 0, 120_000) === 'timed-out') {
          throw new RotationError('DATA_GZIP', 'Decompressing the file stalled for 120 s', { file: source }, 'check the file system; export the file again');
        }
      }
      const state = Atomics.load(ctrl, 0);
      if (state === 1) {
        const piece = data.slice(0, ctrl[1]);
        Atomics.store(ctrl, 0, 0);
        Atomics.notify(ctrl, 0);
        yield piece;
      } else if (state === 2) {
        return;
      } else {
        const msg = new TextDecoder().decode(data.slice(0, ctrl[1]));
        throw new RotationError('DATA_GZIP', `File starts with the gzip magic bytes but does not decompress: ${msg}`,
          { file: source }, 'the download is probably truncated: fetch or export the file again');
      }
    }
  } finally {
    Atomics.store(ctrl, 0, 4);
    Atomics.notify(ctrl, 0);
    void worker.terminate();
  }
}

/** The worker of `gunzipPieces` (plain JavaScript, evaluated as CommonJS). */
const GUNZIP_WORKER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { file, sab, slot } = workerData;
const ctrl = new Int32Array(sab, 0, 4), data = new Uint8Array(sab, 16, slot);
let stopped = false;
const put = (state, bytes) => {
  // wait for the slot to be empty (or the reader to cancel)
  while (Atomics.load(ctrl, 0) === 1) Atomics.wait(ctrl, 0, 1);
  if (Atomics.load(ctrl, 0) === 4) { stopped = true; return; }
  data.set(bytes, 0);
  ctrl[1] = bytes.length;
  Atomics.store(ctrl, 0, state);
  Atomics.notify(ctrl, 0);
};
const input = fs.createReadStream(file);
const gunzip = zlib.createGunzip();
const fail = (e) => { if (stopped) return; stopped = true; put(3, Buffer.from(String(e && e.message || e)).subarray(0, slot)); input.destroy(); gunzip.destroy(); };
input.on('error', fail);
gunzip.on('error', fail);
gunzip.on('data', (chunk) => {
  for (let o = 0; o < chunk.length && !stopped; o += slot) put(1, chunk.subarray(o, Math.min(chunk.length, o + slot)));
  if (stopped) { input.destroy(); gunzip.destroy(); }
});
gunzip.on('end', () => { if (!stopped) put(2, new Uint8Array(0)); });
input.pipe(gunzip);
`;

function countNewlines(text: string, s: number, e: number): number {
  let c = 0;
  for (let i = text.indexOf('\n', s); i >= 0 && i < e; i = text.indexOf('\n', i + 1)) c++;
  return c;
}

/** Columns being assembled from parsed chunks. */
class Assembler {
  rows = 0;
  numParts: Record<string, Float64Array[]> = {};
  statParts: Record<string, Uint8Array[]> = {};
  text: Record<string, string[]> = {};
  intern: Record<string, Map<string, string>> = {};
  badText: Record<string, Map<number, string>> = {};
  lineParts: Int32Array[] = [];
  skipped: SkippedRow[] = [];
  first?: CsvTable;

  add(t: CsvTable, lineOffset: number): void {
    this.first ??= t;
    for (const h of Object.keys(t.num)) {
      (this.numParts[h] ??= []).push(t.num[h]);
      (this.statParts[h] ??= []).push(t.numStatus[h]);
    }
    for (const h of Object.keys(t.text)) {
      const out = (this.text[h] ??= []), dict = (this.intern[h] ??= new Map());
      for (const v of t.text[h]) {
        let s = dict.get(v);
        if (s === undefined) { s = v; dict.set(v, v); }
        out.push(s);
      }
    }
    for (const [h, m] of Object.entries(t.badText)) {
      const dst = (this.badText[h] ??= new Map());
      for (const [r, v] of m) dst.set(r + this.rows, v);
    }
    const lines = t.lines;
    if (lineOffset !== 0) for (let k = 0; k < lines.length; k++) lines[k] += lineOffset;
    this.lineParts.push(lines);
    for (const s of t.skipped) this.skipped.push({ ...s, line: s.line + lineOffset });
    this.rows += t.nRows;
  }
}

/** Concatenate chunk arrays, dropping each from `parts` once copied (the transient is one column, not the table). */
function concatParts<T extends Float64Array | Uint8Array | Int32Array>(parts: T[], out: T): T {
  let o = 0;
  for (let k = 0; k < parts.length; k++) {
    out.set(parts[k] as never, o);
    o += parts[k].length;
    parts[k] = undefined as unknown as T;
  }
  parts.length = 0;
  return out;
}

/**
 * Read and parse a CSV file in streaming chunks (module comment): the same `CsvTable` as
 * `readCsv(file, options)`, without holding the decoded file as one string. Errors: those of
 * `readCsv` / `parseCsvText` (DATA_FILE_NOT_FOUND, DATA_EMPTY_FILE, DATA_DUPLICATE_COLUMN,
 * DATA_GZIP, DATA_ENCODING via the readCsv fallback).
 */
export function readCsvStream(file: string, options: StreamCsvOptions = {}): CsvTable {
  const abs = path.resolve(file);
  const source = displayPath(abs);
  const { chunkChars: chunkOpt, readBytes: readOpt, ...parseOptions } = options;
  let isFile = false;
  try { isFile = fs.statSync(abs).isFile(); } catch { /* readCsv names the problem */ }
  if (!isFile) return readCsv(file, parseOptions);
  const chunkChars = Math.max(1, chunkOpt ?? 1024 * 1024);
  const readBytes = Math.max(1, readOpt ?? 1024 * 1024);
  try {
    const t = streamParse(abs, source, parseOptions, chunkChars, readBytes);
    const linkTarget = symlinkTarget(abs);
    if (linkTarget !== undefined) t.linkTarget = linkTarget;
    return t;
  } catch (e) {
    if (e instanceof NotStreamable) return readCsv(file, parseOptions);
    throw e;
  }
}

function streamParse(abs: string, source: string, parseOptions: Omit<ParseCsvOptions, 'source'>, chunkChars: number, readBytes: number): CsvTable {
  const gz = { gzip: false };
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let started = false, bom = false;
  let carry = '';
  // header state
  let headerLine: string | undefined, delimiter = '', linesBefore = 0;
  // quote-parity scan state over `carry`
  let scan = 0, inQuotes = false, lastCut = -1;
  const asm = new Assembler();

  const parseChunk = (chunk: string, firstLine: number) => {
    if (chunk.trim() === '') return;
    const t = parseCsvText(`${headerLine}\n${chunk}`, { ...parseOptions, delimiter, source });
    asm.add(t, firstLine - 2);
  };
  const takeHeader = (): boolean => {
    // the first non-blank line (as `firstLine` in csv.ts), once a newline after it has arrived
    let s = 0;
    while (s < carry.length) {
      const e = carry.indexOf('\n', s);
      if (e < 0) return false;
      const line = carry.slice(s, e).replace(/\r$/, '');
      if (line.trim() !== '') {
        headerLine = line;
        delimiter = parseOptions.delimiter ?? detectDelimiter(line);
        linesBefore = countNewlines(carry, 0, e + 1);
        carry = carry.slice(e + 1);
        return true;
      }
      s = e + 1;
    }
    return false;
  };
  const emit = (final: boolean) => {
    if (headerLine === undefined && !takeHeader()) return;
    for (;;) {
      if (!final && carry.length < chunkChars) return;
      if (final) {
        parseChunk(carry, linesBefore + 1);
        carry = '';
        return;
      }
      // advance the scan to the end of carry, remembering the last newline outside quotes
      for (; scan < carry.length; scan++) {
        const c = carry.charCodeAt(scan);
        if (c === 34) inQuotes = !inQuotes;
        else if (c === 10 && !inQuotes) lastCut = scan;
      }
      if (lastCut < 0) return; // one record longer than a chunk: keep reading
      const chunk = carry.slice(0, lastCut + 1);
      parseChunk(chunk, linesBefore + 1);
      linesBefore += countNewlines(chunk, 0, chunk.length);
      carry = carry.slice(lastCut + 1);
      // the cut was outside quotes: rescan the remainder from its start
      scan = 0; inQuotes = false; lastCut = -1;
      for (; scan < carry.length; scan++) {
        const c = carry.charCodeAt(scan);
        if (c === 34) inQuotes = !inQuotes;
        else if (c === 10 && !inQuotes) lastCut = scan;
      }
      if (carry.length < chunkChars) return;
    }
  };

  for (const piece of bytePieces(abs, source, readBytes, gz)) {
    let bytes = piece;
    if (!started) {
      started = true;
      if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) throw new NotStreamable('UTF-16');
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) { bom = true; bytes = bytes.subarray(3); }
    }
    if (bytes.indexOf(0) >= 0) throw new NotStreamable('NUL bytes');
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw new NotStreamable('not UTF-8');
    }
    carry += text;
    emit(false);
  }
  try {
    carry += decoder.decode();
  } catch {
    throw new NotStreamable('not UTF-8');
  }
  emit(true);
  if (headerLine === undefined) {
    if (carry.trim() === '') return parseCsvText('', { ...parseOptions, source }); // DATA_EMPTY_FILE
    headerLine = carry.replace(/\r?\n?$/, '').replace(/\r$/, '');
    return parseCsvText(headerLine, { ...parseOptions, source }); // header only: DATA_EMPTY_FILE (or a duplicate column)
  }
  if (asm.rows === 0 && asm.skipped.length === 0) {
    return parseCsvText(headerLine, { ...parseOptions, source }); // header only: DATA_EMPTY_FILE
  }
  const header = asm.first!.header; // set: a chunk with rows or skipped records was parsed
  const tbl: CsvTable = {
    source, header, nRows: asm.rows, text: {}, num: {}, numStatus: {}, badText: asm.badText,
    lines: concatParts(asm.lineParts, new Int32Array(asm.rows)), skipped: asm.skipped,
    encoding: 'utf-8', bom, gzip: gz.gzip, delimiter, notes: [],
  };
  for (const h of Object.keys(asm.numParts)) {
    tbl.num[h] = concatParts(asm.numParts[h], new Float64Array(asm.rows));
    tbl.numStatus[h] = concatParts(asm.statParts[h], new Uint8Array(asm.rows));
  }
  for (const h of Object.keys(asm.text)) tbl.text[h] = asm.text[h];
  tbl.notes.push(...decodingNotes({ source, text: '', encoding: 'utf-8', gzip: gz.gzip, bom, bytes: 0 }));
  return tbl;
}
