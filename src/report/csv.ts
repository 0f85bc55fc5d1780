/**
 * CSV output with a header row, deterministic number formatting and atomic writes (a file is
 * written to a temporary name in the same folder and renamed, so a failure never leaves a
 * partial file behind).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Cell, Row } from './table.js';

/** Quote a field when it holds a comma, quote, or newline (RFC 4180). */
export function csvField(v: Cell, digits = 10): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(digits)));
  }
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text: header row of `columns`, then one line per row; missing numbers are empty. */
export function toCsv(rows: readonly object[], columns: readonly string[] = rows.length ? Object.keys(rows[0]) : [], digits = 10): string {
  const lines = [columns.map((c) => csvField(c)).join(',')];
  for (const r of rows as readonly Row[]) lines.push(columns.map((c) => csvField(r[c], digits)).join(','));
  return lines.join('\n') + '\n';
}

/** Write `text` to `file` atomically (temp file + rename), creating folders as needed. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
