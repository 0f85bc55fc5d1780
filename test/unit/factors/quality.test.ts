import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import { gmTtm, ocfNpTtm, roeChgYoy, roeTtm } from '../../../src/factors/quality.js';
import { cellOf, fundamentalsFixture, near } from './helpers.js';

const ds = fundamentalsFixture(400);
const dates = monthEndRebalanceDates(ds.calendar);
const D = '2020-09-30', D2 = '2021-06-30';

test('ROE TTM on I0 at 2020-09-30: Σ NP(q2..q5) / Σ equity(q5) = (54 + 108)/(2·225)', () => {
  near(cellOf(roeTtm.compute(ds, dates).panel, D, 'I0'), 162 / 450);
});

test('ROE change YoY on I0 at 2021-06-30 (P = q8): 198/480 − 150/440; NaN while 8 quarters are not known', () => {
  const res = roeChgYoy.compute(ds, dates);
  near(cellOf(res.panel, D2, 'I0'), 198 / 480 - 150 / 440);
  assert.ok(Number.isNaN(cellOf(res.panel, D, 'I0'))); // q5..q(-2): only 6 quarters exist
  assert.ok((res.loss.dropped['no constituent with the required reports known by the date'] ?? 0) > 0);
});

test('OCF / NP TTM with OCF = NP + 3: (162 + 24)/162 on I0', () => {
  near(cellOf(ocfNpTtm.compute(ds, dates).panel, D, 'I0'), (162 + 24) / 162);
});

test('gross margin TTM on I0: Σ GP(q2..q5) / Σ revenue(q2..q5) = 268/1080', () => {
  near(cellOf(gmTtm.compute(ds, dates).panel, D, 'I0'), 268 / 1080);
});
