import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromCSV, table } from 'arquero';
import { fromLong, fromRows, fromWide, toLong, toWide } from '../../../src/panel/table.js';
import { createPanel } from '../../../src/panel/panel.js';
import { throwsCode } from '../assertions.js';

const spec = { date: 'date', asset: 'code', value: 'v' };

test('fromLong sorts dates, keeps first-seen asset order, fills gaps with NaN', () => {
  const t = table({
    date: ['2024-02-29', '2024-01-31', '2024-01-31', '2024-02-29'],
    code: ['b', 'b', 'a', 'a'],
    v: [4, 2, 1, null],
  });
  const p = fromLong(t, spec);
  assert.deepEqual(p.dates, ['2024-01-31', '2024-02-29']);
  assert.deepEqual(p.assets, ['b', 'a']);
  assert.deepEqual([...p.values].map(String), ['2', '1', '4', 'NaN']);
  const s = fromLong(t, { ...spec, assetOrder: 'sorted' });
  assert.deepEqual(s.assets, ['a', 'b']);
  assert.deepEqual([...s.values].map(String), ['1', '2', 'NaN', '4']);
});

test('fromLong: missing cells (no row), null, undefined, blank and "NaN" are NaN; numeric text is parsed', () => {
  const t = table({
    date: ['2024-01-31', '2024-01-31', '2024-01-31', '2024-01-31', '2024-01-31', '2024-02-29'],
    code: ['a', 'b', 'c', 'd', 'e', 'a'],
    v: [undefined, '', ' ', 'NaN', '1.5', '-2e-3'],
  });
  const p = fromLong(t, spec);
  assert.deepEqual([...p.values].map(String), ['NaN', 'NaN', 'NaN', 'NaN', '1.5', '-0.002', 'NaN', 'NaN', 'NaN', 'NaN']);
});

test('fromLong accepts JS Date objects (UTC day) and respects arquero filters', () => {
  const t = table({
    date: [new Date(Date.UTC(2024, 0, 31)), new Date(Date.UTC(2024, 1, 29, 15)), new Date(Date.UTC(2024, 2, 1))],
    code: ['a', 'a', 'a'],
    v: [1, 2, 3],
  });
  const p = fromLong(t, spec);
  assert.deepEqual(p.dates, ['2024-01-31', '2024-02-29', '2024-03-01']);
  const f = fromLong(t.filter((d: { v: number }) => d.v > 1), spec);
  assert.deepEqual(f.dates, ['2024-02-29', '2024-03-01']);
  assert.deepEqual([...f.values], [2, 3]);
});

test('fromLong reads a CSV parsed by arquero (auto-typed dates)', () => {
  const t = fromCSV('date,code,v\n2024-02-29,x1,3\n2024-01-31,x1,1.25\n2024-01-31,x2,\n');
  const p = fromLong(t, spec);
  assert.deepEqual(p.dates, ['2024-01-31', '2024-02-29']);
  assert.deepEqual([...p.values].map(String), ['1.25', 'NaN', '3', 'NaN']);
});

test('fromLong: duplicate (date, asset) names both rows, the date and the asset', () => {
  const t = table({ date: ['2024-01-31', '2024-02-29', '2024-01-31'], code: ['a', 'a', 'a'], v: [1, 2, 3] });
  const e = throwsCode(() => fromLong(t, { ...spec, source: 'prices.csv' }), 'PANEL_DUPLICATE_ROW');
  assert.deepEqual(e.where.rows, [0, 2]);
  assert.equal(e.where.date, '2024-01-31');
  assert.equal(e.where.asset, 'a');
  assert.match(e.message, /rows 0 and 2/);
  assert.match(e.message, /2024-01-31/);
  assert.match(e.message, /prices\.csv/);
});

test('fromLong: unparseable date names row, column and value', () => {
  for (const bad of ['2023-02-30', '31/01/2024', 20240131, null, new Date(NaN)]) {
    const t = table({ date: ['2024-01-31', bad], code: ['a', 'b'], v: [1, 2] });
    const e = throwsCode(() => fromLong(t, spec), 'PANEL_BAD_DATE');
    assert.equal(e.where.row, 1);
    assert.equal(e.where.column, 'date');
    assert.match(e.message, /row=1, column=date, value=/);
  }
  const t = table({ date: ['2023-02-30'], code: ['a'], v: [1] });
  assert.match(throwsCode(() => fromLong(t, spec), 'PANEL_BAD_DATE').message, /"2023-02-30"/);
});

test('fromLong: text that is not a number names row, column and value', () => {
  for (const bad of ['abc', 'NA', '1,5', true, {}]) {
    const t = table({ date: ['2024-01-31', '2024-01-31'], code: ['a', 'b'], v: [1, bad] });
    const e = throwsCode(() => fromLong(t, spec), 'PANEL_NOT_NUMERIC');
    assert.equal(e.where.row, 1);
    assert.equal(e.where.column, 'v');
  }
  const t = table({ date: ['2024-01-31'], code: ['a'], v: ['abc'] });
  assert.match(throwsCode(() => fromLong(t, spec), 'PANEL_NOT_NUMERIC').message, /row=0, column=v, value="abc"/);
});

test('fromLong: +/-Infinity (number or text) names row and column', () => {
  for (const bad of [Infinity, -Infinity, 'Infinity', '-inf']) {
    const t = table({ date: ['2024-01-31', '2024-01-31', '2024-02-29'], code: ['a', 'b', 'a'], v: [1, 2, bad] });
    const e = throwsCode(() => fromLong(t, spec), 'PANEL_INFINITE');
    assert.equal(e.where.row, 2);
    assert.equal(e.where.column, 'v');
    assert.match(e.message, /row=2, column=v/);
  }
});

test('fromLong: empty table and missing column (lists the existing columns)', () => {
  throwsCode(() => fromLong(table({ date: [], code: [], v: [] }), spec), 'PANEL_EMPTY_TABLE');
  const t = table({ date: ['2024-01-31'], ticker: ['a'], v: [1] });
  const e = throwsCode(() => fromLong(t, spec), 'PANEL_MISSING_COLUMN');
  assert.equal(e.where.column, 'code');
  assert.deepEqual(e.where.available, ['date', 'ticker', 'v']);
  assert.match(e.message, /"code"/);
  assert.match(e.message, /date, ticker, v/);
});

test('fromLong: numeric or empty asset identifiers are rejected', () => {
  const t = table({ date: ['2024-01-31', '2024-01-31'], code: ['a', 1], v: [1, 2] });
  const e = throwsCode(() => fromLong(t, spec), 'PANEL_BAD_ASSET');
  assert.equal(e.where.row, 1);
  assert.equal(e.where.column, 'code');
  throwsCode(() => fromLong(table({ date: ['2024-01-31'], code: [''], v: [1] }), spec), 'PANEL_BAD_ASSET');
  throwsCode(() => fromLong(table({ date: ['2024-01-31'], code: ['a'], v: [1] }), { ...spec, assetOrder: 'x' as 'sorted' }), 'PANEL_BAD_ARGUMENT');
});

test('fromRows matches fromLong and reports errors with column names dates/assets/values', () => {
  const rows = { dates: ['2024-02-29', '2024-01-31', '2024-01-31'], assets: ['x', 'y', 'x'], values: Float64Array.from([3, 2, 1]) };
  const p = fromRows(rows, 'rows.csv');
  const q = fromLong(table({ date: rows.dates, code: rows.assets, v: rows.values }), spec);
  assert.deepEqual(p, q);
  assert.deepEqual(fromRows(rows, 'r', { assetOrder: 'sorted' }).assets, ['x', 'y']);
  throwsCode(() => fromRows({ dates: ['2024-01-31'], assets: ['a', 'b'], values: [1, 2] }), 'PANEL_ROW_LENGTHS');
  const dup = throwsCode(() => fromRows({ dates: ['2024-01-31', '2024-01-31'], assets: ['a', 'a'], values: [1, 2] }), 'PANEL_DUPLICATE_ROW');
  assert.deepEqual(dup.where.rows, [0, 1]);
  const bd = throwsCode(() => fromRows({ dates: ['2024-01-31', '2024-1-31'], assets: ['a', 'a'], values: [1, 2] }), 'PANEL_BAD_DATE');
  assert.equal(bd.where.row, 1);
  assert.equal(bd.where.column, 'dates');
  const inf = throwsCode(() => fromRows({ dates: ['2024-01-31'], assets: ['a'], values: [Infinity] }), 'PANEL_INFINITE');
  assert.equal(inf.where.column, 'values');
  assert.ok(Number.isNaN(fromRows({ dates: ['2024-01-31'], assets: ['a'], values: [NaN] }).values[0]));
  throwsCode(() => fromRows({ dates: [], assets: [], values: [] }), 'PANEL_EMPTY_TABLE');
});

test('fromRows handles 200k shuffled rows and puts every value in its cell', () => {
  const T = 200, N = 1000;
  const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10));
  const M = T * N;
  const rd: string[] = new Array(M), ra: string[] = new Array(M), rv = new Float64Array(M);
  for (let k = 0; k < M; k++) {
    const kk = (k * 7919) % M; // a permutation, since gcd(7919, M) = 1
    const t = Math.floor(kk / N), i = kk % N;
    rd[k] = dates[t]; ra[k] = `A${i}`; rv[k] = t * 10000 + i;
  }
  const p = fromRows({ dates: rd, assets: ra, values: rv }, 'rows', { assetOrder: 'sorted' });
  assert.deepEqual(p.dates, dates);
  const ai = p.assets.indexOf('A17');
  assert.equal(p.values[5 * N + ai], 5 * 10000 + 17);
});

test('fromWide sorts rows by date and reads asset columns', () => {
  const t = table({ date: ['2024-02-29', '2024-01-31'], a: [3, 1], b: ['4', null] });
  const p = fromWide(t, { date: 'date' });
  assert.deepEqual(p.dates, ['2024-01-31', '2024-02-29']);
  assert.deepEqual(p.assets, ['a', 'b']);
  assert.deepEqual([...p.values].map(String), ['1', 'NaN', '3', '4']);
  assert.deepEqual(fromWide(t, { date: 'date', assets: ['b'] }).assets, ['b']);
});

test('fromWide errors: duplicate dates, bad values, missing columns, empty table', () => {
  const dup = throwsCode(() => fromWide(table({ date: ['2024-01-31', '2024-01-31'], a: [1, 2] }), { date: 'date' }), 'PANEL_DUPLICATE_DATE');
  assert.deepEqual(dup.where.rows, [0, 1]);
  assert.match(dup.message, /2024-01-31/);
  const bad = throwsCode(() => fromWide(table({ date: ['2024-01-31', '2024-02-29'], a: [1, 'x'] }), { date: 'date' }), 'PANEL_NOT_NUMERIC');
  assert.equal(bad.where.row, 1);
  assert.equal(bad.where.column, 'a');
  throwsCode(() => fromWide(table({ date: ['2024-01-31'], a: [-Infinity] }), { date: 'date' }), 'PANEL_INFINITE');
  throwsCode(() => fromWide(table({ date: ['2024-13-01'], a: [1] }), { date: 'date' }), 'PANEL_BAD_DATE');
  const miss = throwsCode(() => fromWide(table({ date: ['2024-01-31'], a: [1] }), { date: 'date', assets: ['zz'] }), 'PANEL_MISSING_COLUMN');
  assert.deepEqual(miss.where.available, ['date', 'a']);
  throwsCode(() => fromWide(table({ day: ['2024-01-31'] }), { date: 'date' }), 'PANEL_MISSING_COLUMN');
  throwsCode(() => fromWide(table({ date: [], a: [] }), { date: 'date' }), 'PANEL_EMPTY_TABLE');
  throwsCode(() => fromWide(table({ date: ['2024-01-31'] }), { date: 'date' }), 'PANEL_BAD_ARGUMENT');
});

test('toLong / toWide round-trip through fromLong / fromWide', () => {
  const p = createPanel(['2024-01-31', '2024-02-29'], ['x', 'y'], Float64Array.from([1, NaN, 3, 4]));
  const long = toLong(p, 'ret');
  assert.deepEqual(long.columnNames(), ['date', 'asset', 'ret']);
  assert.equal(long.numRows(), 4);
  assert.deepEqual(fromLong(long, { date: 'date', asset: 'asset', value: 'ret' }), p);
  const dropped = toLong(p, 'ret', { dropMissing: true });
  assert.equal(dropped.numRows(), 3);
  assert.deepEqual(dropped.array('asset'), ['x', 'x', 'y']);
  const wide = toWide(p);
  assert.deepEqual(wide.columnNames(), ['date', 'x', 'y']);
  assert.deepEqual(fromWide(wide, { date: 'date' }), p);
  throwsCode(() => toLong(p, 'asset'), 'PANEL_BAD_ARGUMENT');
  throwsCode(() => toWide(createPanel(['2024-01-31'], ['date'], Float64Array.from([1]))), 'PANEL_BAD_ARGUMENT');
});
