import { test } from 'node:test';
import assert from 'node:assert/strict';
import { icForHorizon } from '../../../src/evaluate/crossSection.js';
import { forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { factorReport, reportRows } from '../../../src/evaluate/report.js';
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
