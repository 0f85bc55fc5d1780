/**
 * Forecasts by column: records → columns → records is the identity (NaN eps/rating kept, order
 * kept), the builder's columns do not move with later pushes, columns of unequal length are named
 * as an error, and the simulated market's forecasts are columns of the documented types.
 * Run: node --import tsx --test test/unit/data/forecasts.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ForecastColumnsBuilder, checkForecastColumns, forecastAt, forecastColumns, forecastCount, forecastRecords } from '../../../src/data/forecasts.js';
import { simulateMarketCached } from '../../../src/data/simulatorCache.js';
import type { ForecastRecord } from '../../../src/data/types.js';

const records: ForecastRecord[] = [
  { stock: 'S1', forecastDate: '2024-01-10', broker: 'A', fiscalYear: 2024, netProfit: 460_000, eps: 2.37, rating: 5 },
  { stock: 'S0', forecastDate: '2024-01-09', broker: 'B', fiscalYear: 2025, netProfit: -1.5, eps: NaN, rating: NaN },
  { stock: 'S1', forecastDate: '2024-01-10', broker: 'A', fiscalYear: 2025, netProfit: 0, eps: -0, rating: 1 },
];

test('records to columns and back: the same records in the same order', () => {
  const c = forecastColumns(records);
  assert.equal(forecastCount(c), 3);
  assert.deepEqual(c.stock, ['S1', 'S0', 'S1']);
  assert.deepEqual([...c.fiscalYear], [2024, 2025, 2025]);
  assert.ok(c.netProfit instanceof Float64Array && c.eps instanceof Float64Array && c.rating instanceof Float64Array);
  assert.deepStrictEqual(forecastRecords(c), records);
  assert.deepStrictEqual(forecastAt(c, 1), records[1]);
  assert.ok(Object.is(forecastAt(c, 2).eps, -0));
  assert.deepStrictEqual(forecastRecords(forecastColumns([])), []);
});

test('the builder hands out copies: later pushes do not change columns already taken', () => {
  const b = new ForecastColumnsBuilder();
  b.push(records[0]);
  const first = b.columns();
  b.push(records[1]);
  assert.equal(b.length, 2);
  assert.equal(forecastCount(first), 1);
  assert.equal(first.fiscalYear.length, 1);
  assert.deepStrictEqual(forecastRecords(b.columns()), records.slice(0, 2));
});

test('columns of unequal length, or a missing column, are DATA_BAD_FORECASTS naming the column', () => {
  const c = forecastColumns(records);
  assert.doesNotThrow(() => checkForecastColumns(c));
  const short = { ...c, eps: c.eps.subarray(0, 2) };
  assert.throws(() => checkForecastColumns(short, { dataset: 'hand-built' }), (e: Error & { code?: string; where?: Record<string, unknown> }) =>
    e.code === 'DATA_BAD_FORECASTS' && e.where?.column === 'eps' && e.where?.dataset === 'hand-built' && /2 values where "stock" has 3/.test(e.message));
  const missing = { ...c, broker: undefined } as unknown as typeof c;
  assert.throws(() => checkForecastColumns(missing), (e: Error & { code?: string }) => e.code === 'DATA_BAD_FORECASTS' && /"broker" has no values/.test(e.message));
});

test('the simulated market holds its forecasts by column, every column the same length', () => {
  const fc = simulateMarketCached({ seed: 3, nStocks: 300, years: 8 }).dataset.stocks!.forecasts!;
  const n = forecastCount(fc);
  assert.ok(n > 10_000, `${n} forecasts`);
  for (const k of ['stock', 'forecastDate', 'broker'] as const) assert.ok(Array.isArray(fc[k]) && fc[k].length === n, k);
  for (const k of ['fiscalYear', 'netProfit', 'eps', 'rating'] as const) assert.ok(fc[k] instanceof Float64Array && fc[k].length === n, k);
  assert.ok(fc.fiscalYear.every((y) => Number.isInteger(y)));
});
