/**
 * Daily scores: the composite at the close of any trading day (factors computed at that day,
 * composite weights of the last month end at or before it). On a month end the daily rule gives
 * the month-end score exactly; perturbing data after the day leaves its score unchanged; a
 * non-trading day is a named error naming the nearest trading days.
 * Run: node --import tsx --test test/unit/model/dailyScore.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { createPanel } from '../../../src/panel/panel.js';
import { modelContext } from '../../../src/model/context.js';
import { dailyScore, modelScore, nearestTradingDays, scoreModel } from '../../../src/model/score.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { throwsCode } from '../assertions.js';

const ds = simulateMarket({ seed: 3, nStocks: 300, years: 8 }).dataset;
const ctx = modelContext(ds);
const spec = loadModelSpec('models/default.json');
const m = modelScore(spec, ctx);
const monthEnd = m.scored[Math.floor(m.scored.length / 2)];
const midMonth = ds.calendar[ds.calendar.indexOf(monthEnd) + 10];

test('on a month end the daily rule gives the month-end score exactly', () => {
  const daily = dailyScore(spec, ctx, monthEnd, m);
  const monthly = scoreModel(spec, ctx, monthEnd);
  assert.deepEqual(daily, monthly);
  assert.ok(daily.filter((r) => !Number.isNaN(r.score)).length >= 5);
});

test('a mid-month trading day is scored with that day\'s factors and the last month end\'s weights; scoreModel accepts it', () => {
  assert.ok(!m.score.dates.includes(midMonth), 'a day off the factor calendar');
  const rows = scoreModel(spec, ctx, midMonth);
  assert.equal(rows[0].date, midMonth);
  assert.deepEqual(rows.map((r) => r.rank).filter((r) => !Number.isNaN(r)), Array.from({ length: rows.filter((r) => !Number.isNaN(r.rank)).length }, (_, i) => i + 1));
  // scores move between the month end and the day (prices moved), so the day is not the month end relabelled
  const atMonthEnd = new Map(scoreModel(spec, ctx, monthEnd).map((r) => [r.industry, r.score]));
  assert.ok(rows.some((r) => Math.abs(r.score - atMonthEnd.get(r.industry)!) > 1e-9));
});

test('no look-ahead: perturbing every close after the day leaves its daily score unchanged (and changes a later day)', () => {
  const close = ds.industryBars.close, N = close.assets.length;
  const v = Float64Array.from(close.values);
  close.dates.forEach((d, t) => { if (d > midMonth) for (let i = 0; i < N; i++) v[t * N + i] *= 1 + 0.3 * Math.sin(7 * t + i); });
  const perturbed = { ...ds, industryBars: { ...ds.industryBars, close: createPanel(close.dates, close.assets, v) } };
  const ctx2 = modelContext(perturbed);
  assert.deepEqual(scoreModel(spec, ctx2, midMonth), scoreModel(spec, ctx, midMonth));
  const later = ds.calendar[ds.calendar.indexOf(midMonth) + 5];
  assert.notDeepEqual(scoreModel(spec, ctx2, later).map((r) => r.score), scoreModel(spec, ctx, later).map((r) => r.score));
});

test('a non-trading day is MODEL_NOT_TRADING_DAY naming the nearest trading days; before the warm-up is MODEL_NOT_SCORED', () => {
  // a weekend day between two trading days
  let k = ds.calendar.indexOf(midMonth);
  while (Date.parse(ds.calendar[k + 1]) - Date.parse(ds.calendar[k]) < 2 * 86400e3) k++;
  const gap = new Date(Date.parse(ds.calendar[k]) + 86400e3).toISOString().slice(0, 10);
  const e = throwsCode(() => scoreModel(spec, ctx, gap), 'MODEL_NOT_TRADING_DAY');
  assert.equal(e.where.previousTradingDay, ds.calendar[k]);
  assert.equal(e.where.nextTradingDay, ds.calendar[k + 1]);
  assert.deepEqual(nearestTradingDays(['2020-01-02', '2020-01-06'], '2020-01-04'), { previous: '2020-01-02', next: '2020-01-06' });
  assert.deepEqual(nearestTradingDays(['2020-01-02', '2020-01-06'], '2021-01-04'), { previous: '2020-01-06', next: undefined });
  throwsCode(() => scoreModel(spec, ctx, ds.calendar[5]), 'MODEL_NOT_SCORED');
});
