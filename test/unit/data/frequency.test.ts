import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  calendarPeriodsPerYear, datasetPeriodsPerYear, inferFrequency, knownMonthAt, lastRowOfMonth, monthEndOfIndex, monthIndex,
} from '../../../src/data/frequency.js';
import { DAILY_PERIODS_PER_YEAR } from '../../../src/metrics/conventions.js';
import type { MarketDataset } from '../../../src/data/types.js';
import { createPanel } from '../../../src/panel/panel.js';
import { throwsCode } from '../assertions.js';

test('inferFrequency: median gap >= 20 days is monthly', () => {
  assert.equal(inferFrequency(['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30']), 'monthly');
  assert.equal(inferFrequency(['2020-01-02', '2020-01-03', '2020-01-06', '2020-02-28']), 'daily');
  assert.equal(inferFrequency(['2020-01-02']), 'daily');
});

test('calendarPeriodsPerYear: 12 monthly; daily = (T − 1) / years, hand-counted; short calendars fall back to 252', () => {
  assert.equal(calendarPeriodsPerYear(['2020-01-31', '2020-02-29'], 'monthly'), 12);
  // every weekday of 2019-01-01 .. 2020-12-31 (731 days): 523 dates -> 522 / (730 / 365.25) = 261.18 -> 261
  const cal: string[] = [];
  for (let d = Date.UTC(2019, 0, 1); d <= Date.UTC(2020, 11, 31); d += 86_400_000) {
    const w = new Date(d).getUTCDay();
    if (w !== 0 && w !== 6) cal.push(new Date(d).toISOString().slice(0, 10));
  }
  assert.equal(cal.length, 523);
  assert.equal(calendarPeriodsPerYear(cal, 'daily'), 261);
  assert.equal(calendarPeriodsPerYear(cal.slice(0, 10), 'daily'), DAILY_PERIODS_PER_YEAR);
  const ds = { name: 'x', calendar: cal, periodsPerYear: 0 } as unknown as MarketDataset;
  throwsCode(() => datasetPeriodsPerYear(ds), 'DATA_BAD_PERIODS_PER_YEAR');
  const c = createPanel(cal, ['A'], new Float64Array(cal.length).fill(1));
  assert.equal(datasetPeriodsPerYear({ name: 'y', calendar: cal, industries: [], industryBars: { open: c, high: c, low: c, close: c, volume: c }, losses: [], caveats: [] }), 261);
});

test('month arithmetic and knownMonthAt (a month end is known from the last trading day of its month)', () => {
  assert.equal(monthIndex('2021-03-15'), 2021 * 12 + 2);
  assert.equal(monthEndOfIndex(monthIndex('2024-02-03')), '2024-02-29');
  const cal = ['2022-01-27', '2022-01-28', '2022-02-01', '2022-02-24'];
  assert.deepEqual([...lastRowOfMonth(cal)], [[monthIndex('2022-01-01'), 1], [monthIndex('2022-02-01'), 3]]);
  const jan = monthIndex('2022-01-31');
  assert.equal(knownMonthAt(cal, 0, 'daily'), jan - 1);
  assert.equal(knownMonthAt(cal, 1, 'daily'), jan);
  assert.equal(knownMonthAt(cal, 2, 'daily'), jan);
  // the final row 2022-02-24 is before February's last weekday (Feb 28): February is not complete
  assert.equal(knownMonthAt(cal, 3, 'daily'), jan);
  assert.equal(knownMonthAt([...cal.slice(0, 3), '2022-02-28'], 3, 'daily'), jan + 1);
  assert.equal(knownMonthAt(['2022-01-31', '2022-02-28'], 0, 'monthly'), jan);
});
