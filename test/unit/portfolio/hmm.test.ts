/**
 * Gaussian HMM: causality of the forward filter (bitwise), recovery of a known 2-state HMM,
 * canonical state order across seeds, the data-size rule, and the look-ahead diagnostics.
 * Run: node --import tsx --test test/unit/portfolio/hmm.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RotationError } from '../../../src/errors.js';
import { createRng } from '../../../src/random.js';
import {
  argmaxStates, fitGaussianHmm, forwardFilter, hmmFreeParameters, sampleGaussianHmm, smoothedProbabilitiesUsesFutureData,
  viterbiUsesFutureData, type GaussianHmm,
} from '../../../src/portfolio/hmm.js';

/** assert.ok with a message always given (node's generated message re-parses the transpiled source: very slow). */
function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }

/** The known 2-state model: means +-(0.5, 1.0), correlation 0.3, sticky transitions. */
const TRUE_MODEL: GaussianHmm = {
  nStates: 2, dim: 2, covarianceType: 'full',
  startProb: new Float64Array([0.5, 0.5]),
  transition: new Float64Array([0.97, 0.03, 0.05, 0.95]),
  means: new Float64Array([0.5, 1.0, -0.5, -1.0]),
  covariances: new Float64Array([1, 0.3, 0.3, 1, 1.2, 0.3, 0.3, 1.2]),
};

function accuracy(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let hit = 0;
  for (let t = 0; t < a.length; t++) if (a[t] === b[t]) hit++;
  return hit / a.length;
}

function bytesEqual(a: Float64Array, b: Float64Array): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) return false;
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}

describe('forward filter is causal', () => {
  it('p(z_t | x_1..t) is bitwise unchanged when data after t change', () => {
    const { observations: x } = sampleGaussianHmm(TRUE_MODEL, 600, createRng(1));
    const fit = fitGaussianHmm(x, { nStates: 2, seed: 3 });
    const base = forwardFilter(fit.model, x).probabilities;
    const rng = createRng(99);
    for (const t of [0, 1, 137, 400, 598]) {
      const y = Float64Array.from(x.values);
      for (let k = (t + 1) * 2; k < y.length; k++) y[k] = 10 * rng.normal();
      const other = forwardFilter(fit.model, { rows: 600, cols: 2, values: y }).probabilities;
      ok(bytesEqual(base.subarray(0, (t + 1) * 2), other.subarray(0, (t + 1) * 2)), `filter rows 0..${t} changed`);
      // Truncating the data gives the same prefix too.
      const cut = forwardFilter(fit.model, { rows: t + 1, cols: 2, values: x.values.subarray(0, (t + 1) * 2) }).probabilities;
      ok(bytesEqual(base.subarray(0, (t + 1) * 2), cut), `truncated filter differs at ${t}`);
    }
  });

  it('the smoothed probabilities and Viterbi path DO look ahead (diagnostics only)', () => {
    const { observations: x } = sampleGaussianHmm(TRUE_MODEL, 400, createRng(2));
    const fit = fitGaussianHmm(x, { nStates: 2, seed: 3 });
    const t = 200;
    const y = Float64Array.from(x.values);
    for (let k = (t + 1) * 2; k < y.length; k++) y[k] = -5; // the future says "state 1" loudly
    const a = smoothedProbabilitiesUsesFutureData(fit.model, x);
    const b = smoothedProbabilitiesUsesFutureData(fit.model, { rows: 400, cols: 2, values: y });
    ok(Math.abs(a[t * 2] - b[t * 2]) > 1e-6, 'smoothed p(z_t) moved with future data');
    const filt = forwardFilter(fit.model, x).probabilities;
    let differs = 0;
    const vit = viterbiUsesFutureData(fit.model, x), fst = argmaxStates(filt, 2);
    for (let s = 0; s < 400; s++) if (vit[s] !== fst[s]) differs++;
    ok(differs > 0, 'Viterbi differs from the filtered argmax somewhere');
    for (let s = 0; s < 400; s++) ok(Math.abs(a[s * 2] + a[s * 2 + 1] - 1) < 1e-12, 'smoothed rows sum to 1');
  });
});

describe('fitting', () => {
  it('recovers a known 2-state HMM: filtered states match the truth > 85%', () => {
    const { observations: x, states } = sampleGaussianHmm(TRUE_MODEL, 2000, createRng(5));
    const fit = fitGaussianHmm(x, { nStates: 2, seed: 11 });
    // Canonical order: state 0 has the higher mean of feature 0, as in TRUE_MODEL (0.5 > -0.5).
    const filtered = argmaxStates(forwardFilter(fit.model, x).probabilities, 2);
    const acc = accuracy(filtered, states);
    ok(acc > 0.85, `filtered accuracy ${acc}`);
    const m = fit.model;
    ok(Math.abs(m.means[0] - 0.5) < 0.15 && Math.abs(m.means[2] + 0.5) < 0.15, `means ${Array.from(m.means)}`);
    ok(Math.abs(m.transition[0] - 0.97) < 0.03 && Math.abs(m.transition[3] - 0.95) < 0.03, `transition ${Array.from(m.transition)}`);
    ok(fit.restarts.every((r) => r.logLikelihood <= fit.logLikelihood + 1e-9), 'the best restart is kept');
  });

  it('canonical ordering gives the same labels for fits with different seeds', () => {
    const { observations: x } = sampleGaussianHmm(TRUE_MODEL, 1500, createRng(8));
    const paths = [1, 2, 3, 4].map((seed) => argmaxStates(forwardFilter(fitGaussianHmm(x, { nStates: 2, seed, restarts: 1 }).model, x).probabilities, 2));
    for (const p of paths.slice(1)) ok(accuracy(p, paths[0]) === 1, 'labels agree across seeds');
    // Three states with a diagonal covariance: still ordered by the mean of feature 0, descending.
    const fit = fitGaussianHmm(x, { nStates: 3, covarianceType: 'diag', seed: 9 });
    ok(fit.model.means[0] >= fit.model.means[2] && fit.model.means[2] >= fit.model.means[4], 'descending means of feature 0');
  });

  it('refuses more states than the data support (10 observations per free parameter)', () => {
    // K = 5, D = 2, full: p = 4 + 20 + 10 + 15 = 49 -> needs 490 observations.
    assert.equal(hmmFreeParameters(5, 2, 'full'), 49);
    assert.equal(hmmFreeParameters(3, 2, 'diag'), 2 + 6 + 6 + 6);
    const { observations: x } = sampleGaussianHmm(TRUE_MODEL, 489, createRng(4));
    assert.throws(() => fitGaussianHmm(x, { nStates: 5, seed: 1 }), (e: unknown) =>
      e instanceof RotationError && e.code === 'HMM_TOO_MANY_STATES' && e.where.required === 490 && e.where.freeParameters === 49);
    const { observations: y } = sampleGaussianHmm(TRUE_MODEL, 490, createRng(4));
    fitGaussianHmm(y, { nStates: 5, seed: 1, restarts: 1, maxIter: 5 });
  });

  it('rejects NaN and constant features by name', () => {
    const x = { rows: 300, cols: 1, values: new Float64Array(300).fill(1) };
    assert.throws(() => fitGaussianHmm(x, { nStates: 2, seed: 1 }), (e: unknown) => e instanceof RotationError && e.code === 'HMM_CONSTANT_FEATURE');
    x.values[5] = NaN;
    assert.throws(() => fitGaussianHmm(x, { nStates: 2, seed: 1 }), (e: unknown) => e instanceof RotationError && e.code === 'HMM_BAD_INPUT');
  });

  it('is reproducible: same seed, same fit', () => {
    const { observations: x } = sampleGaussianHmm(TRUE_MODEL, 500, createRng(6));
    const a = fitGaussianHmm(x, { nStates: 2, seed: 5 }), b = fitGaussianHmm(x, { nStates: 2, seed: 5 });
    ok(bytesEqual(a.model.means, b.model.means) && bytesEqual(a.model.transition, b.model.transition), 'identical fits');
  });
});
