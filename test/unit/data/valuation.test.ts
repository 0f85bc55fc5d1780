import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { readWorkbook } from '../../../src/data/excel.js';
import { assertBalanced } from '../../../src/data/loss.js';
import type { MarketDataset } from '../../../src/data/types.js';
import { attachMonthEndPe, checkPeCodes, readPeSheet, valuationWorkbookFile } from '../../../src/data/valuation.js';
import { createPanel } from '../../../src/panel/panel.js';
import { throwsCode } from '../assertions.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rotation-val-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Daily dataset on the given dates with industries A, B. */
function daily(dates: string[]): MarketDataset {
  const codes = ['A', 'B'];
  const close = createPanel(dates, codes, new Float64Array(dates.length * 2).fill(100));
  return { name: 'd', calendar: dates, industries: codes.map((code) => ({ code, name: code })), industryBars: { open: close, high: close, low: close, close, volume: close }, losses: [], caveats: [], frequency: 'daily' };
}

test('attachMonthEndPe: a month-end PE is on the daily bars from the last trading day of its month, carried over the next month only', () => {
  const dates = ['2022-01-27', '2022-01-28', '2022-02-01', '2022-02-25', '2022-02-28', '2022-03-01', '2022-03-31', '2022-04-01', '2022-04-29'];
  // PE B-column first, A second: attach reorders to the dataset's industries
  const pe = createPanel(['2021-12-31', '2022-01-31', '2022-02-28', '2022-05-31'], ['B', 'A'], Float64Array.from([20, 10, 21, 11, 22, 12, 25, 15]));
  const ds = attachMonthEndPe(daily(dates), pe, 'pe.xlsx');
  const p = ds.industryBars.pe!;
  const A = (t: number) => p.values[t * 2], B = (t: number) => p.values[t * 2 + 1];
  assert.equal(A(0), 10); // Jan 27: December's value (January's month end is not known yet)
  assert.equal(A(1), 11); // Jan 28 = last trading day of January
  assert.equal(A(3), 11); // Feb 25: still January
  assert.equal(B(4), 22); // Feb 28
  assert.equal(A(5), 12); // Mar 1 carries February
  assert.ok(Number.isNaN(A(6))); // Mar 31: March has no PE row -> NaN, never February's
  assert.ok(Number.isNaN(A(7))); // Apr 1: as of March -> NaN
  assert.ok(Number.isNaN(A(8)));
  assert.deepEqual(ds.monthEnd!.pe!.assets, ['A', 'B']);
  assert.deepEqual([...ds.monthEnd!.pe!.values].slice(0, 2), [10, 20]);
  const loss = ds.losses[ds.losses.length - 1];
  assertBalanced(loss);
  // Dec 2021 and May 2022 month ends are outside the calendar's months: 2 months x 2 industries
  assert.equal(loss.dropped['month end outside the price calendar (kept in monthEnd.pe only)'], 4);
  assert.equal(loss.rowsKept, 4);
});

test('checkPeCodes: codes not matching the price file are listed both ways (VAL_CODES_MISMATCH)', () => {
  const pe = createPanel(['2022-01-31'], ['A', 'X'], Float64Array.from([1, 2]));
  const e = throwsCode(() => checkPeCodes(pe, [{ code: 'A', name: 'a' }, { code: 'B', name: '乙' }], { file: 'f', sheet: 's', dataset: 'd' }), 'VAL_CODES_MISMATCH');
  assert.deepEqual(e.where.industriesWithoutPe, ['B 乙']);
  assert.deepEqual(e.where.peCodesNotInPrices, ['X']);
  checkPeCodes(pe, [{ code: 'X', name: 'x' }, { code: 'A', name: 'a' }], { file: 'f', sheet: 's', dataset: 'd' }); // order does not matter
});

test('readPeSheet: rows re-dated to the month end, two rows in one month -> VAL_DUPLICATE_MONTH', async () => {
  const wb = new ExcelJS.Workbook();
  const ok = wb.addWorksheet('pe');
  [['code', 'A'], ['name', 'a'], [new Date(Date.UTC(2022, 0, 28)), 10], [new Date(Date.UTC(2022, 1, 28)), 0]].forEach((r, i) => r.forEach((v, j) => { ok.getRow(i + 1).getCell(j + 1).value = v; }));
  const dup = wb.addWorksheet('dup');
  [['code', 'A'], ['name', 'a'], ['2022-01-28', 10], ['2022-01-31', 11]].forEach((r, i) => r.forEach((v, j) => { dup.getRow(i + 1).getCell(j + 1).value = v; }));
  const file = path.join(dir, 'pe.xlsx');
  await wb.xlsx.writeFile(file);
  const book = await readWorkbook(file);
  const res = readPeSheet(book, 'pe');
  assert.deepEqual(res.panel.dates, ['2022-01-31', '2022-02-28']);
  assert.equal(res.loss.dropped['PE = 0 (vendor code for missing or negative earnings; masked)'], 1);
  assert.ok(res.loss.notes.some((n) => n.includes('1 row date(s) were not calendar month ends')));
  throwsCode(() => readPeSheet(book, 'dup'), 'VAL_DUPLICATE_MONTH');
});

test('the real CITIC PE sheet against the SW price industries: VAL_CODES_MISMATCH lists both sides', { skip: existsSync(valuationWorkbookFile()) ? false : 'shared valuation workbook absent' }, async () => {
  const wb = await readWorkbook(valuationWorkbookFile());
  const citic = readPeSheet(wb, '中信TTM');
  const sw = readPeSheet(wb, '申万TTM');
  const e = throwsCode(() => checkPeCodes(citic.panel, sw.panel.assets.map((code) => ({ code, name: code })), { file: wb.source, sheet: '中信TTM', dataset: 'SW L1' }), 'VAL_CODES_MISMATCH');
  assert.equal((e.where.industriesWithoutPe as string[]).length, 31);
  assert.equal((e.where.peCodesNotInPrices as string[]).length, 30);
});
