import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factorCorrelationMatrix, icCorrelationMatrix } from '../../../src/evaluate/correlation.js';
import { monthlyIcTable } from '../../../src/evaluate/heatmap.js';
import { mapValues } from '../../../src/panel/panel.js';
import { close, P, pearson, randomMarket, spearman, throwsCode } from './helpers.js';

test('factor correlation matrix: mean over dates of cross-sectional Spearman; f with −f is −1', () => {
  const { factor } = randomMarket(51, 12, 30, { nanRate: 0.1 });
  const neg = mapValues(factor, (v) => -v), cube = mapValues(factor, (v) => v ** 3 + 1);
  const m = factorCorrelationMatrix({ f: factor, neg, cube });
  assert.deepEqual(m.names, ['f', 'neg', 'cube']);
  close(m.matrix[0][1], -1); close(m.matrix[0][2], 1); close(m.matrix[1][2], -1);
  assert.equal(m.n[0][1], 12);
  const a = P([[1, 2, 3, 4], [1, 2, 3, 4]]), b = P([[1, 3, 2, 4], [4, 3, 1, 2]]);
  const h = factorCorrelationMatrix(new Map([['a', a], ['b', b]]));
  close(h.matrix[0][1], (spearman([1, 2, 3, 4], [1, 3, 2, 4]) + spearman([1, 2, 3, 4], [4, 3, 1, 2])) / 2);
  const p = factorCorrelationMatrix({ a, b }, { method: 'pearson' });
  close(p.matrix[0][1], (pearson([1, 2, 3, 4], [1, 3, 2, 4]) + pearson([1, 2, 3, 4], [4, 3, 1, 2])) / 2);
  throwsCode(() => factorCorrelationMatrix({ a }, { names: ['zz'] }), 'EVAL_UNKNOWN_FACTOR');
  throwsCode(() => factorCorrelationMatrix({ a, c: P([[1, 2, 3]]) }), 'PANEL_MISALIGNED');
});

test('IC correlation matrix: Pearson over dates where both ICs exist', () => {
  const m = icCorrelationMatrix({ x: [0.1, 0.2, NaN, 0.3, 0.1], y: [0.2, 0.1, 0.5, 0.4, NaN] });
  close(m.matrix[0][1], pearson([0.1, 0.2, 0.3], [0.2, 0.1, 0.4]));
  assert.equal(m.n[0][1], 3);
  assert.equal(m.matrix[0][0], 1);
  throwsCode(() => icCorrelationMatrix({ x: [1, 2], y: [1, 2, 3] }), 'EVAL_MISALIGNED');
});

test('monthly IC heat map: mean IC per (year, month), NaN where none', () => {
  const t = monthlyIcTable({
    dates: ['2020-01-15', '2020-01-31', '2020-03-31', '2022-12-30'],
    ic: Float64Array.from([0.1, 0.3, NaN, -0.2]), n: new Int32Array(4), skipped: { 'too-few-pairs': 0, 'zero-variance': 1 },
  });
  assert.deepEqual(t.years, [2020, 2021, 2022]);
  close(t.mean[0][0], 0.2);
  assert.equal(t.count[0][0], 2);
  assert.ok(Number.isNaN(t.mean[0][2]) && t.count[0][2] === 0);
  assert.ok(t.mean[1].every(Number.isNaN));
  close(t.mean[2][11], -0.2);
});
