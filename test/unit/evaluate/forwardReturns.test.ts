import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodReturns } from '../../../src/data/calendar.js';
import {
  forwardReturnPanel, forwardReturnsFromPrices, forwardReturnsFromReturns, horizonLabel, horizonOf,
} from '../../../src/evaluate/forwardReturns.js';
import { forwardReturns as kernelForwardReturns } from '../../../src/panel/kernels.js';
import { close, days, monthEnds, P, randomMarket, throwsCode } from './helpers.js';

const prices = P([[10, 20], [11, 18], [12.1, NaN], [13, 27]], monthEnds(4));

test('forward returns from prices: p[t+h]/p[t] − 1, labelled in rebalance periods', () => {
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 2], periodsPerYear: 12 });
  assert.deepEqual(fr.horizons.map((h) => h.label), ['1M', '2M']);
  assert.equal(fr.periodsPerYear, 12);
  assert.equal(fr.level, prices.values, 'the price panel is referenced, not copied');
  const h1 = forwardReturnPanel(fr, '1M').values, h2 = forwardReturnPanel(fr, 2).values;
  const e1 = [0.1, -0.1, 0.1, NaN, 13 / 12.1 - 1, NaN, NaN, NaN];
  const e2 = [0.21, NaN, 13 / 11 - 1, 0.5, NaN, NaN, NaN, NaN];
  e1.forEach((v, k) => close(h1[k], v, 1e-12, `1M ${k}`));
  e2.forEach((v, k) => close(h2[k], v, 1e-12, `2M ${k}`));
  assert.deepEqual(horizonOf(fr, 2), { label: '2M', periods: 2 });
});

test('forward returns from period returns compound within the horizon and break across a missing return', () => {
  const R = periodReturns(prices, prices.dates); // row 0 NaN, labelled at the end of each period
  const fr = forwardReturnsFromReturns(R, { horizons: [1, 2], periodsPerYear: 12 });
  const h1 = forwardReturnPanel(fr, '1M').values, h2 = forwardReturnPanel(fr, '2M').values;
  [0.1, -0.1, 0.1, NaN, 13 / 12.1 - 1, NaN, NaN, NaN].forEach((v, k) => close(h1[k], v, 1e-12, `1M ${k}`));
  // 2M from t1 for asset 1: prices give 27/18 − 1 (no price needed in between); returns cannot bridge the gap.
  [1.1 * 1.1 - 1, NaN, 1.1 * (13 / 12.1) - 1, NaN, NaN, NaN, NaN, NaN].forEach((v, k) => close(h2[k], v, 1e-12, `2M ${k}`));
});

test('prices and returns sources agree where no price is missing, and match the kernel forwardReturns', () => {
  const { prices: p0 } = randomMarket(3, 40, 7, { nanRate: 0 });
  const fp = forwardReturnsFromPrices(p0, { horizons: [1, 3, 5], periodsPerYear: 252 });
  const fr = forwardReturnsFromReturns(periodReturns(p0, p0.dates), { horizons: [1, 3, 5], periodsPerYear: 252 });
  for (const h of [1, 3, 5]) {
    const a = forwardReturnPanel(fp, h).values, b = forwardReturnPanel(fr, h).values, c = kernelForwardReturns(p0, h).values;
    for (let k = 0; k < a.length; k++) { close(a[k], c[k], 1e-15); close(b[k], a[k], 1e-10, `h=${h} k=${k}`); }
  }
  assert.equal(horizonLabel(5, 252), '5D');
  assert.equal(horizonLabel(1, 4), '1Q');
  assert.equal(horizonLabel(2, 52), '2W');
  assert.equal(horizonLabel(3, 7), '3P');
});

test('rebalance sampling: daily prices sampled at month ends; daily returns compounded between them', () => {
  const d = days(6);
  const daily = P([[1, 2], [2, 2], [4, 3], [4, 4], [8, 4], [8, 6]], d);
  const reb = [d[1], d[3], d[5]];
  const fp = forwardReturnsFromPrices(daily, { horizons: [1], periodsPerYear: 12, rebalance: reb });
  assert.deepEqual(fp.dates, reb);
  assert.deepEqual([...forwardReturnPanel(fp, 1).values], [1, 1, 1, 0.5, NaN, NaN]);
  const fr = forwardReturnsFromReturns(periodReturns(daily, d), { horizons: [1], periodsPerYear: 12, rebalance: reb });
  const v = forwardReturnPanel(fr, 1).values;
  [1, 1, 1, 0.5, NaN, NaN].forEach((e, k) => close(v[k], e, 1e-12));
  throwsCode(() => forwardReturnsFromPrices(daily, { horizons: [1], periodsPerYear: 12, rebalance: ['2019-01-01'] }), 'EVAL_DATE_NOT_IN_PANEL');
});

test('forward returns: named errors', () => {
  const e = throwsCode(() => forwardReturnsFromPrices(prices, { horizons: [1, 4], periodsPerYear: 12 }), 'EVAL_HORIZON_TOO_LONG');
  assert.match(e.message, /only 4 date/);
  throwsCode(() => forwardReturnsFromPrices(prices, { horizons: [], periodsPerYear: 12 }), 'EVAL_BAD_HORIZON');
  throwsCode(() => forwardReturnsFromPrices(prices, { horizons: [1.5], periodsPerYear: 12 }), 'EVAL_BAD_HORIZON');
  throwsCode(() => forwardReturnsFromPrices(prices, { horizons: [1, { label: 'one', periods: 1 }], periodsPerYear: 12 }), 'EVAL_BAD_HORIZON');
  throwsCode(() => forwardReturnsFromPrices(prices, { horizons: [1] }), 'EVAL_BAD_ARGUMENT');
  throwsCode(() => forwardReturnsFromPrices(P([[1, 0], [1, 1]]), { horizons: [1], periodsPerYear: 12 }), 'EVAL_BAD_PRICE');
  throwsCode(() => forwardReturnsFromReturns(P([[0.1, -1.5], [0, 0]]), { horizons: [1], periodsPerYear: 12 }), 'EVAL_BAD_RETURN');
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  throwsCode(() => horizonOf(fr, '3M'), 'EVAL_UNKNOWN_HORIZON');
});

test('an unchanged price gives a forward return of exactly 0 (division, not L[t+h]·(1/L[t]))', () => {
  // 49·(1/49) − 1 = −1.1e-16 in IEEE arithmetic; 49/49 − 1 = 0.
  const p = P([[49, 10, 100], [49, 10, 110]], monthEnds(2));
  const fr = forwardReturnsFromPrices(p, { horizons: [1], periodsPerYear: 12 });
  const row = forwardReturnPanel(fr, 1).values;
  assert.equal(row[0], 0, 'unchanged price 49');
  assert.equal(row[1], 0, 'unchanged price 10');
  close(row[2], 0.1, 1e-15);
  const k = kernelForwardReturns(p, 1).values;
  for (let i = 0; i < 3; i++) assert.equal(row[i], k[i], `same formula as src/panel/kernels.ts forwardReturns, asset ${i}`);
  // From returns: a zero return leaves the wealth unchanged at any level, so its forward return is 0.
  const r = P([[0.02, 0.01], [48 / 49 - 1, 0.5], [0, 0]], monthEnds(3));
  const fr2 = forwardReturnsFromReturns(r, { horizons: [1], periodsPerYear: 12 });
  const row2 = forwardReturnPanel(fr2, 1).values;
  assert.equal(row2[2], 0);
  assert.equal(row2[3], 0);
});
