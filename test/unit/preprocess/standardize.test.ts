import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degenerateCounts, newCrossSectionLog } from '../../../src/panel/kernels.js';
import { rankToNormal, rankToUnit, zscore } from '../../../src/preprocess/standardize.js';
import { normalQuantile as inverseNormalCdf, normalCdf } from '../../../src/stats/distributions.js';
import { close, P, row } from './helpers.js';

test('inverse normal CDF: reference values to ~1e-15, symmetry, tails and edges', () => {
  const ref: [number, number][] = [
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.025, -1.959963984540054],
    [0.8413447460685429, 1.0000000000000000],
    [0.001, -3.090232306167814],
    [1e-10, -6.361340902404056],
    [0.1, -1.2815515655446004],
    [0.3, -0.5244005127080407],
  ];
  for (const [p, x] of ref) assert.ok(Math.abs(inverseNormalCdf(p) - x) <= 2e-15 * Math.max(1, Math.abs(x)), `Φ⁻¹(${p}) = ${inverseNormalCdf(p)}, expected ${x}`);
  for (const p of [0.01, 0.2, 0.25, 0.49]) assert.ok(Math.abs(inverseNormalCdf(p) + inverseNormalCdf(1 - p)) < 1e-14, `symmetry at ${p}`);
  assert.equal(inverseNormalCdf(0), -Infinity);
  assert.equal(inverseNormalCdf(1), Infinity);
  assert.ok(Number.isNaN(inverseNormalCdf(NaN)) && Number.isNaN(inverseNormalCdf(-0.1)) && Number.isNaN(inverseNormalCdf(1.5)));
  // round trip through the CDF, relative error in p
  for (const p of [1e-200, 1e-50, 1e-8, 0.003, 0.02425, 0.3, 0.7, 0.97575, 0.999]) {
    assert.ok(Math.abs(normalCdf(inverseNormalCdf(p)) / p - 1) < 1e-12, `round trip at ${p}`);
  }
});

test('normal CDF: reference values', () => {
  assert.ok(Math.abs(normalCdf(1) - 0.8413447460685429) < 1e-15);
  assert.ok(Math.abs(normalCdf(-5) / 2.866515718791939e-7 - 1) < 1e-13);
  assert.ok(Math.abs(normalCdf(-3) / 0.0013498980316300946 - 1) < 1e-12);
  assert.equal(normalCdf(0), 0.5);
});

test('rank to normal scores: Φ⁻¹((midrank − 0.5)/n), ties share a score, NaN stays NaN', () => {
  const p = P([[10, 30, 20, 40, NaN], [1, 1, 2, 3, 7]]);
  const s = rankToNormal(p);
  close(row(s, 0), [inverseNormalCdf(0.125), inverseNormalCdf(0.625), inverseNormalCdf(0.375), inverseNormalCdf(0.875), NaN]);
  // ranks 1.5, 1.5, 3, 4, 5 of n = 5
  close(row(s, 1), [inverseNormalCdf(0.2), inverseNormalCdf(0.2), 0, inverseNormalCdf(0.7), inverseNormalCdf(0.9)]);
  const one = rankToNormal(P([[NaN, 3, NaN]]));
  close(row(one, 0), [NaN, 0, NaN]);
});

test('rank to [0, 1] and z-score; a constant cross-section gives NaN plus a count, no division by zero', () => {
  close(row(rankToUnit(P([[3, 1, 2, NaN]])), 0), [1, 0, 0.5, NaN]);
  const log = newCrossSectionLog();
  const z = zscore(P([[2, 2, 2, 2], [1, 2, 3, NaN]]), { log });
  close(row(z, 0), [NaN, NaN, NaN, NaN]);
  close(row(z, 1), [-1, 0, 1, NaN]);
  assert.equal(degenerateCounts(log).constant, 1);
});
