import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCrossSections } from '../../../src/evaluate/crossSection.js';
import { forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { cumulativeGroupReturns, groupSpread, longShortAnnualized, summarizeGroups } from '../../../src/evaluate/groups.js';
import { close, monthEnds, P } from './helpers.js';

// Two assets, A1 always the top (factor 2 > 1). Prices over 5 month ends.
const d = monthEnds(5);
const prices = P([[100, 100], [110, 100], [121, 90], [121, 99], [133.1, 99]], d);
const factor = P([[1, 2], [1, 2], [1, 2], [1, 2], [1, 2]], d);

test('cumulative group wealth and the long-short on non-overlapping 2-period steps (hand-worked)', () => {
  const fr = forwardReturnsFromPrices(prices, { horizons: [2], periodsPerYear: 12 });
  const g = evaluateCrossSections(factor, fr, { groups: { topK: 1 }, minAssets: 2 }).horizons[0].groups!;
  const c = cumulativeGroupReturns(g);
  // Steps from d0 (returns 0.21 / −0.10) and d2 (0.10 / 0.10); d4 has no forward return.
  assert.deepEqual(c.dates, [d[0], d[2]]);
  close(c.wealth[0], 1.21); close(c.wealth[1], 0.9);
  close(c.wealth[2], 1.331); close(c.wealth[3], 0.99);
  close(c.longShort[0], 0.69); close(c.longShort[1], 0.69);
  assert.deepEqual([...c.flatSteps], [0, 0, 0]);
  const ls = longShortAnnualized(g);
  assert.equal(ls.steps, 2);
  assert.equal(ls.periods, 4);
  close(ls.annualized, 0.69 ** (12 / 4) - 1);
});

test('one-period horizon: every date is a step; annualized long-short compounds each month', () => {
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const g = evaluateCrossSections(factor, fr, { groups: { topK: 1 }, minAssets: 2 }).horizons[0].groups!;
  const ls = longShortAnnualized(g);
  const r = [[0.1, 0], [0.1, -0.1], [0, 0.1], [0.1, 0]]; // [bottom A0, top A1]
  const W = r.reduce((w, [b, t]) => w * (1 + t - b), 1);
  close(ls.wealth, W);
  close(ls.annualized, W ** (12 / 4) - 1);
  const sp = groupSpread(g);
  close(sp.spread[0], -0.1); close(sp.spread[2], 0.1);
  assert.ok(Number.isNaN(sp.se[0]), 'one member per group: no standard error');
  const s = summarizeGroups(g);
  close(s.meanSpread, (-0.1 - 0.2 + 0.1 - 0.1) / 4);
  close(s.mean[0], 0.3 / 4);
  assert.deepEqual([...s.nDates], [4, 4]);
});

test('spread standard error per alphalens: √(s_top²/n_top + s_bot²/n_bot)', () => {
  const p = P([[1, 1, 1, 1], [1.01, 1.03, 1.02, 1.06]], monthEnds(2));
  const f = P([[1, 2, 3, 4], [1, 2, 3, 4]], monthEnds(2));
  const fr = forwardReturnsFromPrices(p, { horizons: [1], periodsPerYear: 12 });
  const g = evaluateCrossSections(f, fr, { groups: { quantiles: 2 }, minAssets: 2 }).horizons[0].groups!;
  const sp = groupSpread(g);
  close(sp.spread[0], 0.04 - 0.02);
  const vb = (0.01 ** 2 + 0.01 ** 2) / 1, vt = (0.02 ** 2 + 0.02 ** 2) / 1;
  close(sp.se[0], Math.sqrt(vb / 2 + vt / 2), 1e-10);
});
