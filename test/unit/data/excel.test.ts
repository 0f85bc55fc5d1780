import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { excelDateToIso, findSheet, readCodeSheet, readWorkbook } from '../../../src/data/excel.js';
import { assertBalanced } from '../../../src/data/loss.js';
import { valuationWorkbookFile } from '../../../src/data/valuation.js';
import { rejectsCode, throwsCode } from '../assertions.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rotation-xlsx-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));


type Cell = ExcelJS.CellValue;

/** Write a workbook with one sheet per entry (rows of cell values) and return its path. */
async function writeBook(name: string, sheets: Record<string, Cell[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [sheet, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(sheet);
    rows.forEach((r, i) => r.forEach((v, j) => { if (v !== null && v !== undefined) ws.getRow(i + 1).getCell(j + 1).value = v; }));
  }
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * A Wind-like PE sheet named with a trailing space: codes A, B, C; dates as an Excel date, a serial
 * number (44255 = 2021-02-28), text; values of every kind; an uploader column after a blank column.
 */
const PE_ROWS: Cell[][] = [
  ['证券代码', 'A.SI', 'B.SI', 'C.SI', null, 'A.SI'],
  ['证券简称', '甲(申万)', '乙(申万)', '丙(申万)', null, 'x'],
  [d('2021-01-31'), 10, 0, { formula: 'W(B$1,$A3)', result: 20.5 } as Cell, null, 99],
  [44255, -5, 12, { formula: 'W(C$1,$A4)' } as Cell, null, 99],
  ['2021-03-31', 11, null, 'n/a', null, 99],
  ['not a date', 1, 2, 3, null, 99],
];

test('excelDateToIso: Excel dates, serial numbers (with the 1900 leap-year bug) and text dates', () => {
  assert.equal(excelDateToIso(d('2022-08-31')), '2022-08-31');
  assert.equal(excelDateToIso(1), '1900-01-01');
  assert.equal(excelDateToIso(59), '1900-02-28');
  assert.equal(excelDateToIso(60), null); // 1900-02-29 does not exist
  assert.equal(excelDateToIso(61), '1900-03-01');
  assert.equal(excelDateToIso(44561), '2021-12-31');
  assert.equal(excelDateToIso(45000.75), '2023-03-15'); // a time fraction is dropped
  assert.equal(excelDateToIso('2021-3-5'), '2021-03-05');
  assert.equal(excelDateToIso('2021/03/31 00:00:00'), '2021-03-31');
  assert.equal(excelDateToIso('20210331'), '2021-03-31');
  assert.equal(excelDateToIso('2021-02-30'), null);
  assert.equal(excelDateToIso('证券代码'), null);
  assert.equal(excelDateToIso(null), null);
});

test('readCodeSheet: trailing-space sheet found, codes/names, every cell kind counted under its own reason, balanced', async () => {
  const file = await writeBook('pe.xlsx', { 'Other': [['x']], '申万TTM ': PE_ROWS });
  const wb = await readWorkbook(file);
  assert.deepEqual(wb.sheets, ['Other', '申万TTM ']);
  assert.equal(findSheet(wb, '申万TTM').name, '申万TTM ');
  const res = readCodeSheet(wb, '申万TTM', { valueRule: 'positive', quantity: 'PE' });
  assert.deepEqual(res.panel.assets, ['A.SI', 'B.SI', 'C.SI']);
  assert.deepEqual(res.panel.dates, ['2021-01-31', '2021-02-28', '2021-03-31']);
  assert.equal(res.names.get('B.SI'), '乙(申万)');
  const v = [...res.panel.values];
  assert.deepEqual(v.map((x) => (Number.isNaN(x) ? null : x)), [10, null, 20.5, null, 12, null, 11, null, null]);
  assertBalanced(res.loss);
  assert.equal(res.loss.rowsRead, 12); // 4 dated-or-not rows x 3 codes
  assert.equal(res.loss.rowsKept, 4);
  assert.deepEqual(res.loss.dropped, {
    'PE = 0 (vendor code for missing or negative earnings; masked)': 1,
    'PE < 0 (negative earnings; masked)': 1,
    'formula without a cached value (no value)': 1,
    'blank cell': 1,
    'text where a number belongs (cell masked)': 1,
    'column 1 is not a date (row dropped)': 3,
  });
  assert.ok(res.loss.notes.some((n) => n.includes('2 column(s) after the first blank header cell')));
  // the same sheet without the positive rule keeps 0 and the negative value
  const any = readCodeSheet(wb, '申万TTM ');
  assert.equal(any.loss.rowsKept, 6);
});

test('unknown sheet: XLSX_UNKNOWN_SHEET lists the sheets (quoted, trailing spaces visible)', async () => {
  const wb = await readWorkbook(await writeBook('two.xlsx', { 'Other': [['x']], '申万TTM ': PE_ROWS }));
  const e = throwsCode(() => findSheet(wb, '中信TTM'), 'XLSX_UNKNOWN_SHEET');
  assert.deepEqual(e.where.sheets, ['"Other"', '"申万TTM "']);
  assert.match(e.fix, /"申万TTM "/);
});

test('bad sheets: no date column, duplicate codes, duplicate dates, no codes', async () => {
  const file = await writeBook('bad.xlsx', {
    nodate: [['code', 'A', 'B'], ['name', 'a', 'b'], ['x', 1, 2], [null, 3, 4]],
    dupcode: [['code', 'A', 'B', 'A'], ['name', 'a', 'b', 'a2'], [d('2021-01-31'), 1, 2, 3]],
    dupdate: [['code', 'A'], ['name', 'a'], [d('2021-01-31'), 1], ['2021-01-31', 2]],
    nocodes: [['code'], ['name'], [d('2021-01-31')]],
  });
  const wb = await readWorkbook(file);
  throwsCode(() => readCodeSheet(wb, 'nodate'), 'XLSX_NO_DATE_COLUMN');
  const e = throwsCode(() => readCodeSheet(wb, 'dupcode'), 'XLSX_DUPLICATE_CODE');
  assert.deepEqual(e.where.duplicates, ['A (columns 2 and 4)']);
  throwsCode(() => readCodeSheet(wb, 'dupdate'), 'XLSX_DUPLICATE_DATE');
  throwsCode(() => readCodeSheet(wb, 'nocodes'), 'XLSX_NO_CODES');
});

test('not a workbook: a renamed CSV, corrupt bytes, a password-protected (encrypted OLE) file, a legacy .xls, a missing file', async () => {
  const csv = path.join(dir, 'prices.xlsx');
  writeFileSync(csv, '日期,农林牧渔\n2021-01-04,1000\n');
  const e = await rejectsCode(readWorkbook(csv), 'XLSX_NOT_A_WORKBOOK');
  assert.match(String(e.where.firstBytes), /日期/);
  const corrupt = path.join(dir, 'corrupt.xlsx');
  writeFileSync(corrupt, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
  await rejectsCode(readWorkbook(corrupt), 'XLSX_CORRUPT');
  // Excel's password protection stores the workbook as an EncryptedPackage stream in an OLE
  // compound file; this builds the signature and the stream name (the rest is not needed to detect it).
  const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const enc = path.join(dir, 'protected.xlsx');
  writeFileSync(enc, Buffer.concat([ole, Buffer.alloc(504), Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(50), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(100)]));
  await rejectsCode(readWorkbook(enc), 'XLSX_ENCRYPTED');
  const xls = path.join(dir, 'legacy.xlsx');
  writeFileSync(xls, Buffer.concat([ole, Buffer.alloc(504), Buffer.from('Workbook', 'utf16le')]));
  await rejectsCode(readWorkbook(xls), 'XLSX_NOT_A_WORKBOOK');
  // a real zip that is not a workbook
  const good = await writeBook('ok.xlsx', { s: [['x']] });
  const { readFileSync } = await import('node:fs');
  const truncated = path.join(dir, 'truncated.xlsx');
  writeFileSync(truncated, readFileSync(good).subarray(0, 300));
  await rejectsCode(readWorkbook(truncated), 'XLSX_CORRUPT');
  await rejectsCode(readWorkbook(path.join(dir, 'nope.xlsx')), 'XLSX_FILE_NOT_FOUND');
});

const realSkip = existsSync(valuationWorkbookFile()) ? false : 'shared valuation workbook absent (../shared/data/sw_citic_valuation); set ROTATION_SHARED_DATA';

test('the real Wind workbook: 8 sheets, SW sheet with a trailing space, cached formula results, CITIC before 2004-12 empty', { skip: realSkip }, async () => {
  const wb = await readWorkbook(valuationWorkbookFile());
  assert.equal(wb.sheets.length, 8);
  assert.ok(wb.sheets.includes('申万TTM '));
  const sw = readCodeSheet(wb, '申万TTM', { valueRule: 'positive', quantity: 'PE' });
  assert.equal(sw.panel.assets.length, 31);
  assert.equal(sw.panel.assets[0], '801010.SI');
  assert.equal(sw.names.get('801010.SI'), '农林牧渔(申万)');
  assert.equal(sw.panel.dates[0], '2000-12-31');
  assert.equal(sw.panel.dates[sw.panel.dates.length - 1], '2022-08-31');
  assert.ok(Math.abs(sw.panel.values[0] - 65.69000244140625) < 1e-12); // 801010.SI on 2000-12-31 (cached result)
  assertBalanced(sw.loss);
  const ci = readCodeSheet(wb, '中信TTM', { valueRule: 'positive', quantity: 'PE' });
  assert.equal(ci.panel.assets.length, 30);
  assertBalanced(ci.loss);
  const N = 30;
  const r = ci.panel.dates.indexOf('2004-11-30');
  for (let j = 0; j < N; j++) assert.ok(Number.isNaN(ci.panel.values[r * N + j]));
  const r60 = ci.panel.dates.indexOf('2005-09-30');
  assert.ok(Math.abs(ci.panel.values[r60 * N] - 9.737700462341309) < 1e-12); // the PROVENANCE example, CI005001.WI
  assert.ok((ci.loss.dropped['formula without a cached value (no value)'] ?? 0) >= 48 * 29);
});
