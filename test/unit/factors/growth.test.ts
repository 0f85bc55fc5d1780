import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import { gmYoyChgQ, npQoqQ, npYoyQ, revYoyQ } from '../../../src/factors/growth.js';
import { cellOf, fundamentalsFixture, makeDataset, near, throwsCode } from './helpers.js';

const ds = fundamentalsFixture(400);
const dates = monthEndRebalanceDates(ds.calendar);
const D = '2020-09-30', D2 = '2021-06-30';

test('NP YoY at 2020-09-30 (latest announced quarter q5 vs q1): 4·Σd / Σ(c + d) for a default industry', () => {
  const p = npYoyQ.compute(ds, dates).panel;
  near(cellOf(p, D, 'I0'), (4 * 3) / 33);
  near(cellOf(p, D, 'I3'), (4 * 6) / 39); // X has left I3 by D
  // I5 also holds Y (q4 vs q0: 1000 vs 1000, not stale yet)
  near(cellOf(p, D, 'I5'), (20 + 55 + 1000 - (16 + 27 + 1000)) / (16 + 27 + 1000));
});

test('point in time: a report announced after the date is not used (S1a: q5 announced 2020-10-15)', () => {
  const p = npYoyQ.compute(ds, dates).panel;
  // S1a current = q4 (15 vs q0 11), S1b q5 (35 vs q1 23)
  near(cellOf(p, D, 'I1'), (15 + 35 - (11 + 23)) / (11 + 23));
  // at 2020-10-30 both have q6 (announced 2020-10-25): S1a 17 vs 13, S1b 38 vs 26
  near(cellOf(p, '2020-10-30', 'I1'), (17 + 38 - (13 + 26)) / (13 + 26));
});

test('point in time: restatements replace a period from their own announce date on', () => {
  const p = npYoyQ.compute(ds, dates).panel;
  // at D S2a's q1 is the 2020-09-10 restatement (100); the 2020-10-10 one (1000) is not known yet
  near(cellOf(p, D, 'I2'), (17 + 40 - (100 + 24)) / Math.abs(100 + 24));
  near(cellOf(p, '2020-08-31', 'I2'), (17 + 40 - (13 + 24)) / (13 + 24));
});

test('point in time: membership as of the date (X moves to I4 on 2020-09-01)', () => {
  const p = npYoyQ.compute(ds, dates).panel;
  near(cellOf(p, D, 'I4'), (19 + 50 + 75 - (15 + 26 + 55)) / (15 + 26 + 55));
  // on 2020-08-31 X is still in I3 (P = q5 announced 2020-08-20)
  near(cellOf(p, '2020-08-31', 'I3'), (18 + 45 + 75 - (14 + 25 + 55)) / (14 + 25 + 55));
});

test('stale reports are left out (Y\'s latest period 2020-03-31 is > 400 days before 2021-06-30)', () => {
  const p = npYoyQ.compute(ds, dates).panel;
  near(cellOf(p, D2, 'I5'), 32 / 67);
});

test('NP QoQ, revenue YoY and gross-margin YoY change on the default industry I0 at 2020-09-30', () => {
  near(cellOf(npQoqQ.compute(ds, dates).panel, D, 'I0'), 3 / 42);
  near(cellOf(revYoyQ.compute(ds, dates).panel, D, 'I0'), (150 - 110) / 110);
  near(cellOf(gmYoyChgQ.compute(ds, dates).panel, D, 'I0'), 35 / 150 - 31 / 110);
});

test('dates before a year of reports is known: NaN with the reason counted', () => {
  const res = npYoyQ.compute(ds, dates);
  // 2020-01-31: latest announced quarter is q2 (2019-09-30): q2 − 4 is not available
  for (let j = 0; j < 6; j++) assert.ok(Number.isNaN(cellOf(res.panel, '2020-01-31', `I${j}`)));
  assert.ok((res.loss.dropped['no constituent with the required reports known by the date'] ?? 0) >= 6);
});

test('missing inputs are named', () => {
  const bare = makeDataset({ J: 6, T: 50, close: () => 1 });
  const e = throwsCode(() => npYoyQ.compute(bare, monthEndRebalanceDates(bare.calendar)), 'FACTOR_MISSING_INPUT');
  assert.deepEqual(e.where.missing, ['fundamentals', 'membership']);
  const noFund = { ...ds, stocks: { ...ds.stocks!, fundamentals: undefined } };
  assert.deepEqual(throwsCode(() => npYoyQ.compute(noFund, dates), 'FACTOR_MISSING_INPUT').where.missing, ['fundamentals']);
});

test('a field that is not a number counts as missing, exactly as NaN does (the typed column keeps that)', () => {
  const fund = ds.stocks!.fundamentals!;
  const withValue = (r: number, v: unknown) => ({ ...ds, stocks: { ...ds.stocks!, fundamentals: fund.map((x, k) => (k === r ? { ...x, netProfit: v as number } : x)) } });
  const base = npYoyQ.compute(ds, dates).panel;
  // a report whose net profit enters some sum: NaN there changes the factor
  const r = fund.findIndex((_, k) => { try { assert.notDeepStrictEqual(npYoyQ.compute(withValue(k, NaN), dates).panel, base); return true; } catch { return false; } });
  assert.ok(r >= 0);
  const nan = npYoyQ.compute(withValue(r, NaN), dates).panel;
  for (const v of [null, undefined, '20', true]) assert.deepStrictEqual(npYoyQ.compute(withValue(r, v), dates).panel, nan, String(v));
});
