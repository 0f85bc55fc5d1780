import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import {
  align, assertSameShape, createPanel, emptyPanel, isIsoDate, selectAssets, selectDates, sliceDates, type Panel,
} from '../../../src/panel/panel.js';
import { throwsCode } from '../assertions.js';

/** Assert that fn throws a RotationError with this code; returns the error for more checks. */
const D = ['2024-01-31', '2024-02-29', '2024-03-29'];
const A = ['a', 'b'];

function panel(dates: string[], assets: string[], vals: number[]): Panel {
  return createPanel(dates, assets, Float64Array.from(vals));
}

test('isIsoDate accepts real dates and rejects impossible ones', () => {
  assert.ok(isIsoDate('2024-02-29'));
  assert.ok(!isIsoDate('2023-02-29'));
  assert.ok(!isIsoDate('2023-02-30'));
  assert.ok(!isIsoDate('2023-13-01'));
  assert.ok(!isIsoDate('2023-1-01'));
  assert.ok(!isIsoDate('20230101'));
});

/** The definition isIsoDate replaced (regular expression, then Date.UTC's days in month): the reference. */
function isIsoDateByDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

test('isIsoDate equals the regular-expression-and-Date definition: every day 00..32 of every month 00..13 of century, leap and quirk years, and malformed strings', () => {
  const cases: string[] = [];
  for (const y of ['0000', '0001', '0004', '0099', '0100', '0400', '1899', '1900', '1996', '2000', '2023', '2024', '2100', '2400', '9999']) {
    for (let mo = 0; mo <= 13; mo++) for (let d = 0; d <= 32; d++) cases.push(`${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  }
  cases.push('', '2024-01-3', '2024-01-311', '2024/01/31', '2024-01-31 ', ' 2024-01-31', '2024-01-31\n', '２０２４-01-31', '2024-0a-31',
    '2024-01-3a', 'abcd-01-31', '2024_01-31', '2024-01_31', '+024-01-31', '-024-01-31', '2024-1-31', '2024--1-31', '2024-01--1');
  for (const s of cases) assert.equal(isIsoDate(s), isIsoDateByDate(s), s);
  assert.equal(isIsoDate('0000-02-29'), false); // Date.UTC reads year 0 as 1900
  assert.equal(isIsoDate('2000-02-29'), true);
  assert.equal(isIsoDate(20240131 as unknown as string), false);
});

test('createPanel builds a date-major panel', () => {
  const p = panel(D, A, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(p.dates, D);
  assert.deepEqual(p.assets, A);
  assert.equal(p.values[1 * 2 + 1], 4);
});

test('createPanel rejects unsorted dates', () => {
  const e = throwsCode(() => panel(['2024-02-29', '2024-01-31'], ['a'], [1, 2]), 'PANEL_UNSORTED_DATES');
  assert.match(e.message, /2024-02-29 is followed by 2024-01-31/);
});

test('createPanel rejects duplicate dates', () => {
  const e = throwsCode(() => panel(['2024-01-31', '2024-01-31'], ['a'], [1, 2]), 'PANEL_DUPLICATE_DATE');
  assert.match(e.message, /2024-01-31/);
});

test('createPanel rejects impossible and malformed dates', () => {
  const e = throwsCode(() => panel(['2023-02-30'], ['a'], [1]), 'PANEL_BAD_DATE');
  assert.match(e.message, /2023-02-30/);
  throwsCode(() => panel(['2023/01/31'], ['a'], [1]), 'PANEL_BAD_DATE');
});

test('createPanel rejects +/-Infinity and names date and asset', () => {
  const e = throwsCode(() => panel(D, A, [1, 2, 3, Infinity, 5, 6]), 'PANEL_INFINITE');
  assert.match(e.message, /2024-02-29/);
  assert.match(e.message, /asset=b/);
  throwsCode(() => panel(['2024-01-31'], ['a'], [-Infinity]), 'PANEL_INFINITE');
});

test('createPanel rejects duplicate assets and wrong shape; NaN is allowed', () => {
  throwsCode(() => panel(['2024-01-31'], ['a', 'a'], [1, 2]), 'PANEL_DUPLICATE_ASSET');
  throwsCode(() => panel(D, A, [1, 2, 3]), 'PANEL_SHAPE');
  const p = panel(['2024-01-31'], ['a'], [NaN]);
  assert.ok(Number.isNaN(p.values[0]));
});

test('align strict throws PANEL_MISALIGNED listing the symmetric difference', () => {
  const p = panel(D, A, [1, 2, 3, 4, 5, 6]);
  const q = panel(D, ['b', 'c'], [1, 2, 3, 4, 5, 6]);
  const e = throwsCode(() => align(p, q, { assets: 'strict' }), 'PANEL_MISALIGNED');
  assert.deepEqual(e.where.onlyInFirst, ['a']);
  assert.deepEqual(e.where.onlyInSecond, ['c']);
  assert.match(e.message, /onlyInFirst=\[a\]/);
  assert.match(e.message, /onlyInSecond=\[c\]/);
  const r = panel(['2024-01-31', '2024-04-30'], A, [1, 2, 3, 4]);
  const e2 = throwsCode(() => align(p, r, { dates: 'strict' }), 'PANEL_MISALIGNED');
  assert.deepEqual(e2.where.onlyInFirst, ['2024-02-29', '2024-03-29']);
  assert.deepEqual(e2.where.onlyInSecond, ['2024-04-30']);
});

test('align inner keeps common dates and assets with the right values', () => {
  const p = panel(D, A, [1, 2, 3, 4, 5, 6]);
  const q = panel(['2024-02-29', '2024-04-30'], ['b', 'c'], [10, 20, 30, 40]);
  const [pa, qa] = align(p, q);
  assert.deepEqual(pa.dates, ['2024-02-29']);
  assert.deepEqual(pa.assets, ['b']);
  assert.deepEqual([...pa.values], [4]);
  assert.deepEqual([...qa.values], [10]);
  assertSameShape(pa, qa);
});

test('align outer takes unions and fills NaN', () => {
  const p = panel(['2024-02-29'], ['a'], [1]);
  const q = panel(['2024-01-31'], ['b'], [2]);
  const [pa, qa] = align(p, q, { dates: 'outer', assets: 'outer' });
  assert.deepEqual(pa.dates, ['2024-01-31', '2024-02-29']);
  assert.deepEqual(pa.assets, ['a', 'b']);
  assert.deepEqual([...pa.values].map(String), ['NaN', 'NaN', '1', 'NaN']);
  assert.deepEqual([...qa.values].map(String), ['NaN', '2', 'NaN', 'NaN']);
});

test('align with no overlap throws PANEL_NO_OVERLAP', () => {
  const p = panel(['2024-02-29'], ['a'], [1]);
  const q = panel(['2024-01-31'], ['a'], [2]);
  throwsCode(() => align(p, q), 'PANEL_NO_OVERLAP');
});

test('sliceDates is inclusive and validates its bounds', () => {
  const p = panel(D, A, [1, 2, 3, 4, 5, 6]);
  const s = sliceDates(p, '2024-02-01', '2024-03-29');
  assert.deepEqual(s.dates, ['2024-02-29', '2024-03-29']);
  assert.deepEqual([...s.values], [3, 4, 5, 6]);
  assert.deepEqual(sliceDates(p, undefined, '2024-01-31').dates, ['2024-01-31']);
  assert.equal(sliceDates(p, '2025-01-01').dates.length, 0);
  throwsCode(() => sliceDates(p, '2024-02-30'), 'PANEL_BAD_DATE');
});

test('selectAssets reorders and rejects unknown assets by name', () => {
  const p = panel(D, A, [1, 2, 3, 4, 5, 6]);
  const s = selectAssets(p, ['b', 'a']);
  assert.deepEqual([...s.values], [2, 1, 4, 3, 6, 5]);
  const e = throwsCode(() => selectAssets(p, ['a', 'zz']), 'PANEL_UNKNOWN_ASSET');
  assert.deepEqual(e.where.assets, ['zz']);
  assert.match(e.message, /zz/);
});

test('selectDates rejects unknown dates', () => {
  const p = panel(D, A, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...selectDates(p, ['2024-03-29']).values], [5, 6]);
  throwsCode(() => selectDates(p, ['2024-05-31']), 'PANEL_UNKNOWN_DATE');
});

test('assertSameShape detects a different asset order', () => {
  const p = emptyPanel(D, ['a', 'b']);
  const q = emptyPanel(D, ['b', 'a']);
  const e = throwsCode(() => assertSameShape(p, q), 'PANEL_MISALIGNED');
  assert.match(e.message, /different order/);
});
