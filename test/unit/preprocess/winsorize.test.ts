import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degenerateCounts, newCrossSectionLog } from '../../../src/panel/kernels.js';
import { winsorizeMad, winsorizeQuantile, winsorizeSigma } from '../../../src/preprocess/winsorize.js';
import { close, P, row, throwsCode } from './helpers.js';

test('sigma winsorization clips to mean ± k·sd (ddof 1) per date, NaN untouched', () => {
  // x = [0, 0, 0, 0, 10]: mean 2, sd = sqrt((4·4 + 64)/4) = sqrt(20); k = 1 → [2 − √20, 2 + √20]
  const p = P([[0, 0, 0, 0, 10, NaN], [1, 2, 3, 4, 5, 6]]);
  const w = winsorizeSigma(p, 1);
  close(row(w, 0), [0, 0, 0, 0, 2 + Math.sqrt(20), NaN]);
  // second date: mean 3.5, sd = sqrt(17.5/5) = 1.8708; k = 1 → [1.629, 5.371]
  const sd = Math.sqrt(17.5 / 5);
  close(row(w, 1), [3.5 - sd, 2, 3, 4, 5, 3.5 + sd]);
  assert.deepEqual(row(p, 0).slice(0, 5), [0, 0, 0, 0, 10]); // input not mutated
});

test('sigma winsorization: constant, single-cell and empty dates are left as they are and logged', () => {
  const log = newCrossSectionLog();
  const p = P([[5, 5, 5], [1, NaN, NaN], [NaN, NaN, NaN]]);
  const w = winsorizeSigma(p, 3, { log });
  close(row(w, 0), [5, 5, 5]);
  close(row(w, 1), [1, NaN, NaN]);
  const c = degenerateCounts(log);
  assert.deepEqual([c.constant, c['too-few'], c.empty], [1, 1, 1]);
  throwsCode(() => winsorizeSigma(p, 0), 'PANEL_BAD_ARGUMENT');
  throwsCode(() => winsorizeSigma(p, Infinity), 'PANEL_BAD_ARGUMENT');
});

test('MAD and quantile winsorization are the panel kernels (re-exported)', () => {
  const p = P([[1, 2, 3, 4, 100]]);
  // median 3, MAD 1 → with k = 2 and no scaling: [1, 5]
  close(row(winsorizeMad(p, 2, { scale: false }), 0), [1, 2, 3, 4, 5]);
  close(row(winsorizeQuantile(p, 0, 0.75), 0), [1, 2, 3, 4, 4]);
});
