import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { table as aqTable } from 'arquero';
import { RotationError } from '../../../src/errors.js';
import { assertBalanced } from '../../../src/data/loss.js';
import { readCsv } from '../../../src/data/csv.js';
import { numericFieldNames, validateIndustryBars, validateStockBars } from '../../../src/data/schema.js';
import { readParquet, readParquetColumns, readParquetTable, writeParquet } from '../../../src/data/parquet.js';

function tmp(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-parquet-')), name);
}

async function rejectsCode(p: Promise<unknown>, code: string): Promise<RotationError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof RotationError, `expected RotationError ${code}, got ${String(caught)}`);
  assert.equal((caught as RotationError).code, code, (caught as RotationError).message);
  return caught as RotationError;
}

test('row objects round-trip: codes stay text with zeros, numbers exact, NaN/null ↔ NULL', async () => {
  const f = tmp('rows.parquet');
  const rows = [
    { date: '2024-01-02', code: '000001.SZ', close: 9.21, volume: 115836645, flag: true },
    { date: '2024-01-03', code: '000001.SZ', close: 0.1 + 0.2, volume: NaN, flag: false },
    { date: '2024-01-03', code: '600000.SH', close: 1e-300, volume: null, flag: null },
  ];
  const res = await writeParquet(rows, f);
  assert.equal(res.rows, 3);
  const back = await readParquetColumns(f);
  assert.deepEqual(back.names, ['date', 'code', 'close', 'volume', 'flag']);
  assert.deepEqual(back.columns.code, ['000001.SZ', '000001.SZ', '600000.SH']);
  assert.deepEqual(Array.from(back.columns.close as Float64Array), [9.21, 0.1 + 0.2, 1e-300]);
  const vol = back.columns.volume as Float64Array;
  assert.equal(vol[0], 115836645);
  assert.ok(Number.isNaN(vol[1]) && Number.isNaN(vol[2]));
  assert.deepEqual(back.columns.flag, [true, false, false]);
});

test('arquero table round-trip (typed arrays in, typed arrays out; Date → ISO day)', async () => {
  const f = tmp('aq.parquet');
  const t = aqTable({
    date: [new Date(Date.UTC(2024, 0, 2)), new Date(Date.UTC(2024, 0, 3))],
    asset: ['000001', '000002'],
    value: Float64Array.from([1.5, NaN]),
  });
  await writeParquet(t, f);
  const back = await readParquet(f);
  assert.equal(back.numRows(), 2);
  assert.deepEqual(back.array('date'), ['2024-01-02', '2024-01-03']);
  assert.deepEqual(back.array('asset'), ['000001', '000002']);
  const v = back.column('value') as unknown as Float64Array;
  assert.ok(v instanceof Float64Array, 'numeric columns are stored as Float64Array');
  const filtered = await (async () => { const g = tmp('filtered.parquet'); await writeParquet(t.filter((d: { asset: string }) => d.asset === '000002'), g); return readParquetColumns(g); })();
  assert.deepEqual(filtered.columns.asset, ['000002'], 'a filtered arquero table writes only its visible rows');
  assert.equal(v[0], 1.5);
  assert.ok(Number.isNaN(v[1]));
});

test('canonical table: CSV → Parquet → validator gives the same panels as the CSV path', async () => {
  const csvT = readCsv('data/samples/industry_bars.csv', { numeric: numericFieldNames('industry_bars') });
  const fromCsv = validateIndustryBars(csvT);
  const f = tmp('industry_bars.parquet');
  await writeParquet(csvT, f);
  const pq = await readParquetTable(f, 'industry_bars');
  const fromPq = validateIndustryBars(pq);
  assertBalanced(fromPq.loss);
  assert.deepEqual(fromPq.calendar, fromCsv.calendar);
  assert.deepEqual(fromPq.industries, fromCsv.industries);
  for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) {
    assert.deepEqual(Array.from(fromPq.bars[k].values), Array.from(fromCsv.bars[k].values), k);
  }
  assert.deepEqual(Array.from(fromPq.bars.amount!.values), Array.from(fromCsv.bars.amount!.values));
});

test('BIGINT / INTEGER / DATE columns written by DuckDB are read as numbers and ISO text (no bigint in JS)', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const f = tmp('typed.parquet');
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  await c.run(`COPY (SELECT DATE '2024-01-02' AS date, '000001.SZ' AS code, 12345678901::BIGINT AS volume, 7::INTEGER AS n, 9.5::DECIMAL(10,2) AS close, NULL::DOUBLE AS amount) TO '${f.replace(/'/g, "''")}' (FORMAT parquet)`);
  c.closeSync();
  inst.closeSync();
  const back = await readParquetColumns(f);
  assert.deepEqual(back.columns.date, ['2024-01-02']);
  assert.equal((back.columns.volume as Float64Array)[0], 12345678901);
  assert.equal(typeof (back.columns.n as Float64Array)[0], 'number');
  assert.equal((back.columns.close as Float64Array)[0], 9.5);
  assert.ok(Number.isNaN((back.columns.amount as Float64Array)[0]));
  const t = await readParquetTable(f, 'stock_bars');
  const r = validateStockBars(t);
  assertBalanced(r.loss);
  assert.equal(r.bars.volume.values[0], 12345678901);
});

test('errors: mixed column types, no columns, missing file, not a Parquet file', async () => {
  await rejectsCode(writeParquet([{ code: '000001' }, { code: 1 }], tmp('mixed.parquet')), 'DATA_PARQUET_MIXED_TYPES');
  await rejectsCode(writeParquet([], tmp('empty.parquet')), 'DATA_EMPTY_TABLE');
  await rejectsCode(writeParquet([{ a: 1 }], path.join(os.tmpdir(), 'no-such-dir-rotation', 'x.parquet')), 'DATA_DIR_NOT_FOUND');
  await rejectsCode(readParquet('data/samples/none.parquet'), 'DATA_FILE_NOT_FOUND');
  await rejectsCode(readParquet('data/samples/industry_bars.csv'), 'DATA_PARQUET_UNREADABLE');
});
