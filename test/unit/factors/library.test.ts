import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPanel } from '../../../src/panel/panel.js';
import { factorCoverage, pooledMoments, pooledValues } from '../../../src/factors/library.js';
import type { FactorBatch } from '../../../src/factors/registry.js';
import { newLossReport } from '../../../src/data/loss.js';

test('pooledValues drops NaN; pooledMoments matches a hand computation', () => {
  const p = createPanel(['2024-01-31', '2024-02-29'], ['A', 'B'], new Float64Array([1, NaN, 2, 6]));
  assert.deepEqual(Array.from(pooledValues(p)), [1, 2, 6]);
  const m = pooledMoments([1, 2, 6]);
  // mean 3; deviations -2,-1,3; m2 = 14/3; m3 = (-8-1+27)/3 = 6; m4 = (16+1+81)/3 = 98/3
  assert.equal(m.mean, 3);
  assert.ok(Math.abs(m.std - Math.sqrt(7)) < 1e-12);
  assert.ok(Math.abs(m.skew - 6 / (14 / 3) ** 1.5) < 1e-12);
  assert.ok(Math.abs(m.kurtosis - ((98 / 3) / (14 / 3) ** 2 - 3)) < 1e-12);
  assert.ok(Number.isNaN(pooledMoments([5]).std));
});

test('factorCoverage: share of industries with a value per factor and date', () => {
  const p = createPanel(['2024-01-31', '2024-02-29'], ['A', 'B', 'C', 'D'], new Float64Array([1, NaN, 2, 3, NaN, NaN, NaN, 1]));
  const batch: FactorBatch = { results: new Map([['f', { panel: p, loss: newLossReport('f', 'x') }]]), unavailable: [] };
  const c = factorCoverage(batch);
  assert.deepEqual(c.factors, ['f']);
  assert.deepEqual(Array.from(c.share[0]), [0.75, 0.25]);
});
