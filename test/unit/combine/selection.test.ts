/**
 * Walk-forward factor selection on hand-made IC series: the window, the threshold, k, ties, and
 * the restriction of a weight schedule.
 * Run: node --import tsx --test test/unit/combine/selection.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IcByDate } from '../../../src/evaluate/ic.js';
import { equalWeights, icirWeights } from '../../../src/combine/weights.js';
import { restrictSchedule, walkForwardSelection } from '../../../src/combine/selection.js';
import { throwsCode } from '../assertions.js';

const dates = ['2020-01-31', '2020-02-28', '2020-03-31', '2020-04-30', '2020-05-29'];
const series = (ic: number[]): IcByDate => ({ dates, ic: Float64Array.from(ic), n: new Int32Array(ic.length).fill(30), skipped: { 'too-few-pairs': 0, 'zero-variance': 0 } });

test('S(t) = the k factors with the largest ICIR over ICs dated <= t − h, above the threshold', () => {
  // a: ICs 0.1, 0.3 → mean 0.2, sd 0.1414, ICIR 1.414 at t = 2 (window [0, 1]); b: 0.1, 0.1 → sd 0 → not eligible;
  // c: −0.1, −0.3 → ICIR −1.414 (below 0)
  const ics = { a: series([0.1, 0.3, 0.5, NaN, 0.2]), b: series([0.1, 0.1, 0.2, 0.1, 0]), c: series([-0.1, -0.3, 0.4, 0.4, 0.4]) };
  const s = walkForwardSelection(ics, { horizon: 1, k: 1, minIcir: 0, minObservations: 2, window: 'expanding' });
  const K = 3, row = (t: number) => Array.from(s.selected.subarray(t * K, t * K + K));
  assert.deepEqual(row(0), [0, 0, 0]); // nothing known
  assert.deepEqual(row(1), [0, 0, 0]); // one IC each < minObservations
  assert.deepEqual(row(2), [1, 0, 0]);
  assert.ok(Math.abs(s.icir[2 * K] - 0.2 / Math.sqrt(0.02)) < 1e-12);
  assert.ok(Number.isNaN(s.icir[2 * K + 1]), 'zero IC variance: no ICIR');
  // t = 4: window [0, 3]; a: 0.1, 0.3, 0.5 (NaN skipped) → 0.3/0.2 = 1.5; b: 0.1,0.1,0.2,0.1 → 0.125/0.05 = 2.5; c: −0.1,−0.3,0.4,0.4 → 0.1/0.356 = 0.28
  assert.deepEqual(row(4), [0, 1, 0]);
  const s2 = walkForwardSelection(ics, { horizon: 1, k: 2, minIcir: 0.5, minObservations: 2, window: 'expanding' });
  assert.deepEqual(Array.from(s2.selected.subarray(4 * K, 5 * K)), [1, 1, 0]);
  assert.equal(s2.count[4], 2);
  // a rolling window of 2 IC dates at t = 4: [2, 3]; a has one IC → out; b 0.2, 0.1; c 0.4, 0.4 (sd 0)
  const s3 = walkForwardSelection(ics, { horizon: 1, k: 3, minIcir: -10, minObservations: 2, window: 2 });
  assert.deepEqual(Array.from(s3.selected.subarray(4 * K, 5 * K)), [0, 1, 0]);
  throwsCode(() => walkForwardSelection(ics, { horizon: 1, k: 0, minIcir: 0, minObservations: 2, window: 'expanding' }), 'COMBINE_BAD_ARGUMENT');
});

test('restrictSchedule keeps the selected weights and renormalizes Σ|w| = 1; no selection = no weights', () => {
  const ics = { a: series([0.1, 0.3, 0.5, 0.2, 0.2]), b: series([0.2, 0.1, 0.2, 0.1, 0.3]), c: series([-0.1, -0.3, 0.4, 0.4, 0.1]) };
  const sel = walkForwardSelection(ics, { horizon: 1, k: 2, minIcir: 0, minObservations: 2, window: 'expanding' });
  const eq = restrictSchedule(equalWeights(['a', 'b', 'c'], dates), sel);
  const K = 3;
  for (let t = 0; t < dates.length; t++) {
    const w = Array.from(eq.weights.subarray(t * K, t * K + K));
    if (sel.count[t] === 0) assert.ok(w.every(Number.isNaN), `row ${t} has no weights`);
    else {
      w.forEach((x, k) => assert.equal(x, sel.selected[t * K + k] ? 1 / sel.count[t] : 0));
    }
  }
  const icir = icirWeights(ics, { horizon: 1, window: 'expanding', minObservations: 2 });
  const r = restrictSchedule(icir, sel);
  const t = 4;
  const kept = [0, 1, 2].filter((k) => sel.selected[t * K + k]);
  const total = kept.reduce((s, k) => s + Math.abs(icir.weights[t * K + k]), 0);
  for (const k of kept) assert.ok(Math.abs(r.weights[t * K + k] - icir.weights[t * K + k] / total) < 1e-15);
  throwsCode(() => restrictSchedule(equalWeights(['a', 'b'], dates), sel), 'COMBINE_MISALIGNED');
});
