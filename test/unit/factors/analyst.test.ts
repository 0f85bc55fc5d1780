import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import type { ForecastRecord, MembershipRecord } from '../../../src/data/types.js';
import { coverageChg3m, fy1Dispersion, fy1Rev1m, fy1Rev3m, fy2Rev1m, fy2Rev3m, upgradeShare3m } from '../../../src/factors/analyst.js';
import { fiscalYear1, monthsBefore, dayNumber } from '../../../src/factors/constituents.js';
import { cellOf, makeDataset, makeStocks, near } from './helpers.js';

const membership: MembershipRecord[] = [];
for (let j = 0; j < 6; j++) {
  for (const x of ['a', 'b']) membership.push({ stock: `S${j}${x}`, industry: `I${j}`, scheme: 'test_l1', validFrom: '2019-01-01' });
}
const f = (stock: string, forecastDate: string, broker: string, fiscalYear: number, netProfit: number): ForecastRecord =>
  ({ stock, forecastDate, broker, fiscalYear, netProfit, eps: NaN, rating: NaN });
const forecasts: ForecastRecord[] = [
  // I0 (see the test comments for the consensus at each date)
  f('S0a', '2020-03-01', 'B1', 2020, 100), f('S0a', '2020-07-15', 'B1', 2020, 110), f('S0a', '2020-09-15', 'B1', 2020, 120),
  f('S0a', '2020-06-20', 'B2', 2020, 90),
  f('S0a', '2020-08-01', 'B1', 2021, 200), f('S0a', '2020-09-25', 'B1', 2021, 220),
  f('S0b', '2020-05-10', 'B3', 2020, 50), f('S0b', '2020-09-20', 'B3', 2020, 30), f('S0b', '2020-04-01', 'B3', 2021, 80),
  f('S0b', '2020-09-01', 'B4', 2020, 35),
  // known only after D: must not change anything at D
  f('S0a', '2020-10-05', 'B1', 2020, 999), f('S0b', '2020-10-06', 'B9', 2021, 999),
];
for (let j = 1; j < 6; j++) {
  forecasts.push(
    f(`S${j}a`, '2020-05-15', 'B1', 2020, 100), f(`S${j}a`, '2020-05-15', 'B1', 2021, 150),
    f(`S${j}a`, '2020-09-10', 'B1', 2020, 100 + 10 * j), f(`S${j}a`, '2020-09-10', 'B1', 2021, 150 + 5 * j),
    f(`S${j}a`, '2020-05-20', 'B2', 2020, 100), f(`S${j}a`, '2020-09-12', 'B2', 2020, 100 + 10 * j),
  );
}
const ds = makeDataset({ J: 6, T: 400, start: '2020-01-01', close: () => 100, stocks: (cal) => makeStocks(cal, membership, undefined, forecasts) });
const dates = monthEndRebalanceDates(ds.calendar);
const D = '2020-09-30';

test('calendar helpers: FY1 = year of the date; N months before with the day clamped', () => {
  assert.equal(fiscalYear1('2020-03-31'), 2020);
  assert.equal(monthsBefore('2020-09-30', 1), dayNumber('2020-08-30'));
  assert.equal(monthsBefore('2020-05-31', 3), dayNumber('2020-02-29'));
  assert.equal(monthsBefore('2020-01-31', 1), dayNumber('2019-12-31'));
});

test('FY1 revision: consensus = mean of each broker\'s latest forecast within 180 days, summed over members', () => {
  // at D: S0a {B1 120, B2 90} → 105; S0b {B3 30, B4 35} → 32.5. At D−1M (2020-08-30): S0a {110, 90} → 100, S0b {50} → 50.
  // At D−3M (2020-06-30): S0a {100, 90} → 95, S0b {50} → 50.
  near(cellOf(fy1Rev1m.compute(ds, dates).panel, D, 'I0'), (137.5 - 150) / 150);
  near(cellOf(fy1Rev3m.compute(ds, dates).panel, D, 'I0'), (137.5 - 145) / 145);
  for (let j = 1; j < 6; j++) near(cellOf(fy1Rev3m.compute(ds, dates).panel, D, `I${j}`), 0.1 * j);
});

test('FY2 revision: only members with a consensus at both dates count; none → NaN with the reason', () => {
  // FY2 = 2021. 1M: S0a 220 vs 200; S0b has none at D (its 2020-04-01 forecast is > 180 days old)
  near(cellOf(fy2Rev1m.compute(ds, dates).panel, D, 'I0'), 0.1);
  const r3 = fy2Rev3m.compute(ds, dates);
  assert.ok(Number.isNaN(cellOf(r3.panel, D, 'I0')));
  assert.ok((r3.loss.dropped['no member with a FY2 consensus at both t and t − 3M'] ?? 0) >= 1);
  for (let j = 1; j < 6; j++) near(cellOf(r3.panel, D, `I${j}`), (5 * j) / 150);
});

test('upgrade share over 3 months: I0 has 3 upgrades and 1 downgrade; first forecasts are not changes', () => {
  const p = upgradeShare3m.compute(ds, dates).panel;
  near(cellOf(p, D, 'I0'), 0.75);
  for (let j = 1; j < 6; j++) near(cellOf(p, D, `I${j}`), 1);
});

test('coverage change over 3 months: distinct brokers per member within 180 days, summed', () => {
  const p = coverageChg3m.compute(ds, dates).panel;
  near(cellOf(p, D, 'I0'), 4 / 3 - 1); // D: S0a {B1, B2}, S0b {B3, B4}; D−3M: S0a {B1, B2}, S0b {B3}
  for (let j = 1; j < 6; j++) near(cellOf(p, D, `I${j}`), 0);
});

test('FY1 dispersion: Σ sd across brokers / Σ |consensus| over members with >= 2 brokers', () => {
  const p = fy1Dispersion.compute(ds, dates).panel;
  near(cellOf(p, D, 'I0'), (Math.sqrt(450) + Math.sqrt(12.5)) / (105 + 32.5));
  for (let j = 1; j < 6; j++) near(cellOf(p, D, `I${j}`), 0);
});

test('forecast columns of unequal length stop the analyst factors with DATA_BAD_FORECASTS naming the column', () => {
  const bad = makeDataset({ J: 6, T: 400, start: '2020-01-01', close: () => 100, stocks: (cal) => makeStocks(cal, membership, undefined, forecasts) });
  const fc = bad.stocks!.forecasts!;
  bad.stocks!.forecasts = { ...fc, netProfit: fc.netProfit.subarray(1) };
  assert.throws(() => fy1Rev1m.compute(bad, monthEndRebalanceDates(bad.calendar)),
    (e: Error & { code?: string; where?: Record<string, unknown> }) => e.code === 'DATA_BAD_FORECASTS' && e.where?.column === 'netProfit');
});
