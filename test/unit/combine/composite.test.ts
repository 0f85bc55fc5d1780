import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compositeScore } from '../../../src/combine/composite.js';
import { alignDirection } from '../../../src/combine/direction.js';
import { equalWeights, icirWeights, icMeanWeights } from '../../../src/combine/weights.js';
import { assertBalanced } from '../../../src/data/loss.js';
import { icByFactor, icForHorizon } from '../../../src/evaluate/crossSection.js';
import { forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { zscore } from '../../../src/panel/kernels.js';
import { createPanel } from '../../../src/panel/panel.js';
import { createRng } from '../../../src/random.js';
import { close, days, monthEnds, P, throwsCode } from '../evaluate/helpers.js';

test('composite: weights renormalized over the factors present for each asset (hand-worked)', () => {
  const f1 = P([[1, 2, NaN, 4]]), f2 = P([[3, NaN, NaN, 1]]);
  const c = compositeScore({ f1, f2 }, { f1: 0.75, f2: -0.25 }, { standardize: false });
  close(c.panel.values[0], (0.75 * 1 - 0.25 * 3) / 1);
  close(c.panel.values[1], 2, 1e-15); // only f1 present: 0.75·2/0.75
  assert.ok(Number.isNaN(c.panel.values[2]));
  close(c.panel.values[3], (0.75 * 4 - 0.25 * 1) / 1);
  assert.equal(c.loss.rowsKept, 3);
  assert.deepEqual(c.loss.dropped, { 'no factor value': 1 });
  assertBalanced(c.loss);
  const two = compositeScore({ f1, f2 }, { f1: 0.75, f2: -0.25 }, { standardize: false, minFactors: 2 });
  assert.ok(Number.isNaN(two.panel.values[1]));
  assert.deepEqual(two.loss.dropped, { 'no factor value': 1, 'fewer than 2 weighted factors': 1 });
  const zeroW = compositeScore({ f1, f2 }, { f1: 0, f2: 1 }, { standardize: false });
  assert.ok(Number.isNaN(zeroW.panel.values[1]));
  assert.deepEqual(zeroW.loss.dropped, { 'no factor value': 1, 'only zero-weight factors present': 1 });
});

test('composite with a weight schedule: z-scores by default, NaN rows for dates without weights', () => {
  const d = days(4);
  const f1 = P([[1, 2, 3], [3, 2, 1], [1, 3, 2], [2, 1, 3]], d), f2 = P([[1, 1, 2], [0, 1, 0], [5, 4, 3], [1, 2, 3]], d);
  const eq = compositeScore({ f1, f2 }, equalWeights(['f1', 'f2'], d));
  const z1 = zscore(f1).values, z2 = zscore(f2).values;
  for (let k = 0; k < 12; k++) close(eq.panel.values[k], (z1[k] + z2[k]) / 2, 1e-12);
  const ics = {
    f1: { dates: d, ic: Float64Array.from([0.1, 0.3, 0.2, 0.1]), n: new Int32Array(4), skipped: { 'too-few-pairs': 0, 'zero-variance': 0 } },
    f2: { dates: d, ic: Float64Array.from([0.1, 0.1, 0.0, 0.2]), n: new Int32Array(4), skipped: { 'too-few-pairs': 0, 'zero-variance': 0 } },
  };
  const w = icMeanWeights(ics, { horizon: 1, minObservations: 2 });
  const c = compositeScore({ f1, f2 }, w);
  assert.ok([...c.panel.values.subarray(0, 6)].every(Number.isNaN));
  assert.equal(c.loss.dropped['no weights for the date'], 6);
  // Date 2 uses ICs dated 0..1: means 0.2 and 0.1 → weights 2/3, 1/3.
  for (let i = 0; i < 3; i++) close(c.panel.values[6 + i], (2 / 3) * z1[6 + i] + (1 / 3) * z2[6 + i], 1e-12);
  assertBalanced(c.loss);
  throwsCode(() => compositeScore({ f1 }, { f1: 1, zz: 1 }), 'COMBINE_UNKNOWN_FACTOR');
  throwsCode(() => compositeScore({ f1 }, { f1: NaN }), 'COMBINE_BAD_ARGUMENT');
});

test('pipeline: direction alignment → IC series → ICIR weights → composite; the composite carries both signals', () => {
  const rng = createRng(4);
  const T = 120, N = 30, d = monthEnds(T), as = Array.from({ length: N }, (_, i) => `I${i}`);
  const a = new Float64Array(T * N), b = new Float64Array(T * N), p = new Float64Array(T * N);
  const lvl = new Float64Array(N).fill(1);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      a[k] = rng.normal(); b[k] = rng.normal();
      if (t > 0) lvl[i] *= 1 + 0.05 * (0.15 * a[k - N] - 0.15 * b[k - N] + rng.normal()); // b: lower is better
      p[k] = lvl[i];
    }
  }
  const fr = forwardReturnsFromPrices(createPanel(d, as, p), { horizons: [1], periodsPerYear: 12 });
  const raw = { mom_12_1: createPanel(d, as, a), vol_3m: createPanel(d, as, b) }; // vol_3m has direction −1
  const aligned = alignDirection(raw);
  const ics = icByFactor(aligned, fr, '1M');
  assert.deepEqual([...ics.mom_12_1.ic], [...icForHorizon(aligned.mom_12_1, fr, 1).ic]);
  const w = icirWeights(ics, { horizon: 1, window: 36, minObservations: 12 });
  for (let t = 13; t < T; t++) assert.ok(w.weights[t * 2] > 0 && w.weights[t * 2 + 1] > 0, `t=${t}`);
  const comp = compositeScore(aligned, w);
  const mean = (x: Float64Array): number => { let s = 0, c = 0; x.forEach((v, t) => { if (t > 13 && !Number.isNaN(v)) { s += v; c++; } }); return s / c; };
  const ca = mean(ics.mom_12_1.ic), cb = mean(ics.vol_3m.ic), cc = mean(icForHorizon(comp.panel, fr, 1).ic);
  assert.ok(ca > 0.05 && cb > 0.05, `${ca} ${cb}`);
  assert.ok(cc > Math.max(ca, cb), `composite ${cc} vs ${ca}, ${cb}`);
});
