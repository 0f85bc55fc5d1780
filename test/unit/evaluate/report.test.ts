import { test } from 'node:test';
import assert from 'node:assert/strict';
import { icForHorizon } from '../../../src/evaluate/crossSection.js';
import { forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { factorReport, reportRows, withAdjustedPValues } from '../../../src/evaluate/report.js';
import { summarizeIc } from '../../../src/evaluate/summary.js';
import { RotationError } from '../../../src/errors.js';
import { createPanel } from '../../../src/panel/panel.js';
import { close, monthEnds, randomMarket } from './helpers.js';

test('factorReport: one call, consistent with the parts; direction −1 flips the IC signs', () => {
  const { prices: p, factor: f } = randomMarket(61, 72, 30);
  const d = monthEnds(72);
  const prices = createPanel(d, p.assets, p.values), factor = createPanel(d, f.assets, f.values);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 3, 6], periodsPerYear: 12 });
  const r = factorReport(factor, fr, { name: 'demo' });
  assert.deepEqual(r.horizons.map((h) => h.horizon.label), ['1M', '3M', '6M']);
  assert.deepEqual(r.groupSpec, { topK: 5 }, 'small cross-section: top-5 / bottom-5 by default');
  const ref = icForHorizon(factor, fr, '3M');
  for (let t = 0; t < 72; t++) close(r.horizons[1].rankIc.ic[t], ref.ic[t], 0);
  assert.deepEqual(r.horizons[1].rankIcSummary, summarizeIc(ref, { horizonPeriods: 3 }));
  assert.equal(r.horizons[2].rankIcSummary.nwLag, 5);
  assert.ok(r.horizons[0].rankIcSummary.mean > 0.1, 'the planted one-period signal shows');
  assert.equal(r.decay.lags.length, 13);
  close(r.decay.mean[0], r.horizons[0].rankIcSummary.mean, 1e-12);
  assert.deepEqual(r.heatmap.years, [2015, 2016, 2017, 2018, 2019, 2020]);
  assert.ok(r.definitions.length > 5);
  assert.ok(r.horizons[0].longShort.steps === 71 && r.horizons[2].longShort.steps === 11);
  assert.ok(r.meanRankAutocorrelation < 0.3, 'an i.i.d. factor has little rank autocorrelation');
  const neg = factorReport(factor, fr, { direction: -1, horizons: ['1M'], decayLags: 2 });
  close(neg.horizons[0].rankIcSummary.mean, -r.horizons[0].rankIcSummary.mean, 1e-12);
  const rows = reportRows([r, neg]);
  assert.equal(rows.length, 4);
  assert.equal(rows[0].factor, 'demo');
  close(rows[0].rankIc, r.horizons[0].rankIcSummary.mean, 0);
});

test('withAdjustedPValues: Holm and BH across the factors of each horizon, row order kept', () => {
  const row = (factor: string, horizon: string, p: number) => ({
    factor, horizon, ic: 0, icir: 0, rankIc: 0, rankIcir: 0, t: 0, tNeweyWest: 0, pValueNeweyWest: p,
    winRate: 0, meanSpread: 0, longShortAnnualized: 0, topTurnover: 0, dates: 100,
  });
  // 1M family: p = 0.01, 0.04, 0.03 (m = 3). Holm: sorted 0.01, 0.03, 0.04 → 0.03, 0.06, 0.06 (running max of 0.04).
  // BH: 3·0.01 = 0.03, 1.5·0.03 = 0.045, 0.04 → running min from the top: 0.03, 0.04, 0.04.
  // 3M family: p = 0.2, NaN → m = 1: unchanged, NaN stays NaN.
  const rows = [row('a', '1M', 0.01), row('a', '3M', 0.2), row('b', '1M', 0.04), row('b', '3M', NaN), row('c', '1M', 0.03)];
  const adj = withAdjustedPValues(rows);
  assert.deepEqual(adj.map((r) => r.factor + r.horizon), ['a1M', 'a3M', 'b1M', 'b3M', 'c1M']);
  const near = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);
  near(adj[0].pHolm, 0.03); near(adj[2].pHolm, 0.06); near(adj[4].pHolm, 0.06);
  near(adj[0].pBH, 0.03); near(adj[2].pBH, 0.04); near(adj[4].pBH, 0.04);
  near(adj[1].pHolm, 0.2); near(adj[1].pBH, 0.2);
  assert.ok(Number.isNaN(adj[3].pHolm) && Number.isNaN(adj[3].pBH));
});

test('a constant factor: the evaluation error names the factor (not EVAL_SERIES_TOO_SHORT naming nothing)', () => {
  const { prices: p, factor: f } = randomMarket(62, 48, 30);
  const d = monthEnds(48);
  const prices = createPanel(d, p.assets, p.values);
  const constant = createPanel(d, f.assets, new Float64Array(f.values.length).fill(1.5));
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  let caught: unknown;
  try { factorReport(constant, fr, { name: 'flat_one' }); } catch (e) { caught = e; }
  assert.ok(caught instanceof RotationError, String(caught));
  assert.equal(caught.code, 'EVAL_SERIES_TOO_SHORT');
  assert.equal(caught.where.factor, 'flat_one');
  assert.match(caught.message, /^Factor flat_one: /);
});
