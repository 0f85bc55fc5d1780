/**
 * Covariance estimators (sample, Ledoit-Wolf against independent formulas), PSD repair, the
 * mean-variance QP (closed-form 2-asset cases, HiGHS vs the active-set solver), the allocator's
 * reporting and the bootstrap sensitivity study.
 * Run: node --import tsx --test test/unit/portfolio/meanVariance.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sampleCovariance as ssCov } from 'simple-statistics';
import { RotationError } from '../../../src/errors.js';
import { createRng } from '../../../src/random.js';
import { choleskySucceeds, ledoitWolfCovariance, minEigenvalue, repairCovariance, repairedShortWindowSampleCovariance, sampleCovariance } from '../../../src/portfolio/covariance.js';
import { loadSolver, solveProblem, type Solver } from '../../../src/portfolio/optimizer.js';
import { estimateMeanCovariance, meanVarianceAllocator, meanVarianceSensitivity, meanVarianceWeights } from '../../../src/portfolio/meanVariance.js';
import { solveBoxBudgetQp } from '../../../src/portfolio/qp.js';
import type { DenseMatrix } from '../../../src/portfolio/types.js';
import type { Panel } from '../../../src/panel/panel.js';

/** assert.ok with a message always given (node's generated message re-parses the transpiled source: very slow). */
function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }

let solver: Solver;
before(async () => { solver = await loadSolver(); });

/** T x n returns with a common factor and heterogeneous loadings. */
function factorData(seed: number, T: number, n: number): DenseMatrix {
  const rng = createRng(seed);
  const v = new Float64Array(T * n);
  for (let t = 0; t < T; t++) {
    const f = rng.normal();
    for (let j = 0; j < n; j++) v[t * n + j] = 0.01 * (f * (0.5 + 0.1 * j) + rng.normal() * (0.5 + 0.05 * j)) + 0.001 * j;
  }
  return { rows: T, cols: n, values: v };
}

function col(x: DenseMatrix, j: number): number[] {
  return Array.from({ length: x.rows }, (_, t) => x.values[t * x.cols + j]);
}

/**
 * Ledoit-Wolf constant-correlation shrinkage written as PyPortfolioOpt's matrix expressions
 * (pi_mat, theta_mat term by term), with S = X_c'X_c / T: an independent route to delta.
 */
function referenceConstantCorrelation(x: DenseMatrix): number {
  const { rows: T, cols: n } = x;
  const m = Array.from({ length: n }, (_, j) => col(x, j).reduce((a, b) => a + b, 0) / T);
  const Xm = Array.from({ length: T }, (_, t) => Array.from({ length: n }, (_, j) => x.values[t * n + j] - m[j]));
  const dot = (A: number[][], B: number[][]) => // A'B / T for T x n matrices
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => A.reduce((s, r, t) => s + r[i] * B[t][j], 0) / T));
  const S = dot(Xm, Xm);
  const std = S.map((r, i) => Math.sqrt(r[i]));
  let rsum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rsum += S[i][j] / (std[i] * std[j]);
  const rbar = (rsum - n) / (n * (n - 1));
  const F = S.map((r, i) => r.map((v, j) => (i === j ? v : rbar * std[i] * std[j])));
  const y = Xm.map((r) => r.map((v) => v * v));
  const yy = dot(y, y), xx = dot(Xm, Xm);
  const piMat = S.map((r, i) => r.map((v, j) => yy[i][j] - 2 * xx[i][j] * v + v * v));
  let piHat = 0;
  for (const r of piMat) for (const v of r) piHat += v;
  const term1 = dot(Xm.map((r) => r.map((v) => v ** 3)), Xm);
  let rho = 0;
  for (let i = 0; i < n; i++) rho += piMat[i][i];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const theta = term1[i][j] - xx[i][i] * S[i][j] - xx[i][j] * S[i][i] + S[i][i] * S[i][j];
      rho += rbar * (std[j] / std[i]) * theta;
    }
  }
  let gamma = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) gamma += (S[i][j] - F[i][j]) ** 2;
  return Math.max(0, Math.min(1, (piHat - rho) / gamma / T));
}

/** scikit-learn's ledoit_wolf_shrinkage expression (beta_ from X2'X2, delta_ from S). */
function referenceIdentity(x: DenseMatrix): number {
  const { rows: T, cols: n } = x;
  const m = Array.from({ length: n }, (_, j) => col(x, j).reduce((a, b) => a + b, 0) / T);
  const X = Array.from({ length: T }, (_, t) => Array.from({ length: n }, (_, j) => x.values[t * n + j] - m[j]));
  const S = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => X.reduce((s, r) => s + r[i] * r[j], 0) / T));
  const mu = S.reduce((s, r, i) => s + r[i], 0) / n;
  let beta_ = 0;
  for (const r of X) { const q = r.reduce((s, v) => s + v * v, 0); beta_ += q * q; }
  let delta_ = 0;
  for (const r of S) for (const v of r) delta_ += v * v;
  let beta = (beta_ / T - delta_) / (n * T);
  let delta = (delta_ - 2 * mu * S.reduce((s, r, i) => s + r[i], 0) + n * mu * mu) / n;
  beta = Math.min(beta, delta);
  return beta === 0 ? 0 : beta / delta;
}

describe('covariance estimators', () => {
  const x = factorData(11, 60, 6);
  it('sample covariance (ddof 1) matches simple-statistics', () => {
    const S = sampleCovariance(x);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) ok(Math.abs(S[i * 6 + j] - ssCov(col(x, i), col(x, j))) < 1e-15);
  });
  it('Ledoit-Wolf constant correlation matches the PyPortfolioOpt matrix expressions', () => {
    for (const [seed, T, n] of [[11, 60, 6], [3, 36, 10], [5, 200, 4]]) {
      const d = factorData(seed, T, n);
      const lw = ledoitWolfCovariance(d, 'constant-correlation');
      ok(Math.abs(lw.shrinkage - referenceConstantCorrelation(d)) < 1e-10, `seed ${seed}: ${lw.shrinkage}`);
      ok(lw.shrinkage >= 0 && lw.shrinkage <= 1);
      // Shrunk = delta F + (1 - delta) S_mle.
      for (let k = 0; k < n * n; k++) {
        ok(Math.abs(lw.covariance[k] - (lw.shrinkage * lw.targetMatrix[k] + (1 - lw.shrinkage) * lw.sampleMle[k])) < 1e-18);
      }
    }
  });
  it('Ledoit-Wolf identity target matches the scikit-learn expression', () => {
    for (const [seed, T, n] of [[11, 60, 6], [3, 36, 10], [5, 2000, 4]]) {
      const d = factorData(seed, T, n);
      ok(Math.abs(ledoitWolfCovariance(d, 'identity').shrinkage - referenceIdentity(d)) < 1e-10);
    }
    // More data -> less shrinkage.
    ok(ledoitWolfCovariance(factorData(5, 2000, 4), 'identity').shrinkage < ledoitWolfCovariance(factorData(5, 40, 4), 'identity').shrinkage);
  });
  it('rejects bad input by name', () => {
    assert.throws(() => sampleCovariance({ rows: 2, cols: 1, values: new Float64Array([1, NaN]) }), (e: unknown) => e instanceof RotationError && e.code === 'COV_BAD_INPUT');
    assert.throws(() => ledoitWolfCovariance({ rows: 1, cols: 2, values: new Float64Array([1, 2]) }), (e: unknown) => e instanceof RotationError && e.code === 'COV_TOO_FEW_OBSERVATIONS');
    assert.throws(() => ledoitWolfCovariance({ rows: 3, cols: 2, values: new Float64Array([1, 2, 1, 3, 1, 4]) }), (e: unknown) => e instanceof RotationError && e.code === 'COV_CONSTANT_COLUMN');
  });
});

describe('PSD repair', () => {
  // An inconsistent "correlation" matrix: eigenvalues 1.9, 1.9, -0.8.
  const bad = [1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1];
  it('clips eigenvalues at the stated floor and reports it', () => {
    ok(minEigenvalue(bad, 3) < -0.7);
    const r = repairCovariance(bad, 3);
    assert.equal(r.repaired, true);
    assert.equal(r.clipped, 1);
    ok(Math.abs(r.minEigenvalue + 0.8) < 1e-12);
    ok(Math.abs(r.floor - 1e-8) < 1e-20); // 1e-8 x mean eigenvalue (trace/n = 1)
    ok(minEigenvalue(r.covariance, 3) >= r.floor * (1 - 1e-6));
    const fine = repairCovariance([2, 1, 1, 2], 2);
    assert.equal(fine.repaired, false);
    assert.ok(Number.isNaN(fine.minEigenvalue), 'a Cholesky-certified matrix reports no eigenvalue');
  });
  it('a Cholesky factorization of A - shift I exists exactly when every eigenvalue exceeds shift', () => {
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3
    assert.equal(choleskySucceeds([2, 1, 1, 2], 2), true);
    assert.equal(choleskySucceeds([2, 1, 1, 2], 2, 0.999), true);
    assert.equal(choleskySucceeds([2, 1, 1, 2], 2, 1.001), false);
    assert.equal(choleskySucceeds(bad, 3), false);
    assert.equal(choleskySucceeds([1, 0, 0, 0], 2), false);
  });
  it('a short window (n >= 2T) is clipped through the T x T Gram matrix: the n x n route to 1e-12', () => {
    for (const [T, n] of [[12, 31], [36, 120], [2, 5]]) {
      const x = factorData(T * n, T, n);
      const scale = 12;
      const s = sampleCovariance(x).map((v) => v * scale);
      const a = repairCovariance(s, n), b = repairedShortWindowSampleCovariance(x, { scale });
      assert.equal(b.repaired, true);
      assert.equal(b.clipped, a.clipped, `clipped eigenvalues at T=${T}, n=${n}`);
      ok(Math.abs(b.floor - a.floor) <= 1e-15 * a.floor, 'same floor');
      let maxAbs = 0, maxDiff = 0;
      for (let k = 0; k < s.length; k++) { maxAbs = Math.max(maxAbs, Math.abs(a.covariance[k])); maxDiff = Math.max(maxDiff, Math.abs(a.covariance[k] - b.covariance[k])); }
      ok(maxDiff <= 1e-12 * maxAbs, `T=${T}, n=${n}: relative difference ${maxDiff / maxAbs}`);
      ok(minEigenvalue(b.covariance, n) >= b.floor * (1 - 1e-6), 'PSD above the floor');
      // estimateMeanCovariance takes this route for n >= 2T and gives the same mean
      const est = estimateMeanCovariance(x, { covariance: 'sample', scale });
      assert.deepEqual(Array.from(est.covariance), Array.from(b.covariance));
    }
    assert.throws(() => repairedShortWindowSampleCovariance(factorData(1, 10, 5)), (e: unknown) => e instanceof RotationError && e.code === 'COV_BAD_INPUT');
  });
  it('the mean-variance optimizer repairs a non-PSD covariance and reports it', () => {
    const res = meanVarianceWeights(solver, { industries: ['A', 'B', 'C'], mean: [0.01, 0.02, 0.015], covariance: bad.map((v) => v * 0.01), riskAversion: 5 });
    assert.equal(res.repair.repaired, true);
    ok(Math.abs(res.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });
  it('the allocator notes the repair of a rank-deficient sample covariance', () => {
    // 12 monthly observations of 20 industries: the sample covariance has rank <= 11.
    const returns = randomDailyPanel(4, 20, 2019, 2);
    const alloc = meanVarianceAllocator(solver, { covariance: 'sample', lookback: 12, minObservations: 12 });
    const res = alloc({ date: '2020-12-31', industries: returns.assets, returns });
    const rep = res.diagnostics.details.covarianceRepair as { repaired: boolean; clipped: number };
    assert.equal(rep.repaired, true);
    ok(rep.clipped >= 8);
    ok(res.diagnostics.notes.some((s) => s.startsWith('covariance not PSD')));
  });
});

/** Daily returns on weekdays from `year`-01-01 for `years` years. */
function randomDailyPanel(seed: number, n: number, year: number, years: number): Panel {
  const rng = createRng(seed);
  const dates: string[] = [];
  const d = new Date(Date.UTC(year, 0, 1));
  while (d.getUTCFullYear() < year + years) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  const v = new Float64Array(dates.length * n);
  for (let t = 0; t < dates.length; t++) {
    const f = rng.normal() * 0.01;
    for (let j = 0; j < n; j++) v[t * n + j] = t === 0 ? NaN : 0.0003 * (j % 5) + f + 0.01 * rng.normal();
  }
  return { dates, assets: Array.from({ length: n }, (_, j) => `I${String(j).padStart(2, '0')}`), values: v };
}

describe('mean-variance QP', () => {
  it('matches the closed-form 2-asset solution', () => {
    // Uncorrelated, var 0.01 each, mu = (0.02, 0.01), gamma = 5, w1 + w2 = 1:
    //   w1 = (mu1 - mu2 + gamma s2^2) / (gamma (s1^2 + s2^2)) = (0.01 + 0.05) / 0.1 = 0.6.
    const r = meanVarianceWeights(solver, { industries: ['A', 'B'], mean: [0.02, 0.01], covariance: [0.01, 0, 0, 0.01], riskAversion: 5 });
    ok(Math.abs(r.weights[0] - 0.6) < 1e-7 && Math.abs(r.weights[1] - 0.4) < 1e-7);
    // Quadratic turnover penalty kappa = 0.05 from w_prev = (0, 1): mu' = mu + kappa w_prev = (0.02, 0.06),
    // diagonal gamma s^2 + kappa = 0.1: w1 = (0.02 - 0.06 + 0.1) / 0.2 = 0.3.
    const p = meanVarianceWeights(solver, {
      industries: ['A', 'B'], mean: [0.02, 0.01], covariance: [0.01, 0, 0, 0.01], riskAversion: 5,
      previous: { industries: ['A', 'B'], weights: [0, 1] }, turnoverPenalty: 0.05,
    });
    ok(Math.abs(p.weights[0] - 0.3) < 1e-7);
    // Caps bind: w1 <= 0.55.
    const c = meanVarianceWeights(solver, { industries: ['A', 'B'], mean: [0.02, 0.01], covariance: [0.01, 0, 0, 0.01], riskAversion: 5, caps: { A: 0.55 } });
    ok(Math.abs(c.weights[0] - 0.55) < 1e-9);
  });

  it('HiGHS and the exact active-set solver agree on random problems', () => {
    const rng = createRng(21);
    let maxDiff = 0;
    for (let k = 0; k < 40; k++) {
      const n = 3 + rng.int(25);
      const d = factorData(100 + k, 40, n);
      const lw = ledoitWolfCovariance(d);
      const q = lw.covariance.map((v) => v * 10);
      const c = Float64Array.from({ length: n }, () => -0.01 * rng.normal());
      const cap = Math.max(1 / n + 0.01, rng.uniform());
      const lo = new Float64Array(n), hi = new Float64Array(n).fill(cap);
      const a = solveBoxBudgetQp(q, c, lo, hi);
      const h = solveProblem(solver, {
        sense: 'minimize', colNames: Array.from({ length: n }, (_, i) => `w${i}`), cost: c, lower: lo, upper: hi,
        rows: [{ name: 'sum', indices: Array.from({ length: n }, (_, i) => i), values: new Array(n).fill(1), lower: 1, upper: 1 }],
        hessian: { dim: n, values: q }, options: { qp_iteration_limit: 5000 },
      });
      if (h.status !== 'optimal') continue;
      ok(a.objective <= h.objective + 1e-12, 'active-set is at least as good');
      for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(a.x[i] - h.x[i]));
    }
    ok(maxDiff < 1e-4, `max weight difference ${maxDiff}`);
  });
});

describe('allocator and sensitivity study', () => {
  const returns = randomDailyPanel(8, 12, 2016, 5);
  it('penalized weights turn over less than unpenalized ones', () => {
    const plain = meanVarianceAllocator(solver, { caps: 0.3 });
    const pen = meanVarianceAllocator(solver, { caps: 0.3, turnoverPenalty: 1 });
    const prev = { industries: returns.assets, weights: new Array(12).fill(1 / 12) };
    const a = plain({ date: '2019-06-28', industries: returns.assets, returns, previous: prev });
    const b = pen({ date: '2019-06-28', industries: returns.assets, returns, previous: prev });
    ok(b.diagnostics.turnover! < a.diagnostics.turnover!);
    assert.equal(a.diagnostics.details.estimator, `ledoit-wolf (constant-correlation, delta ${(a.diagnostics.details.shrinkage as number).toFixed(4)})`);
  });
  it('falls back to equal weight without enough history, and never reads after the date', () => {
    const alloc = meanVarianceAllocator(solver);
    const early = alloc({ date: '2016-06-30', industries: returns.assets, returns });
    assert.equal(early.diagnostics.details.fallback, true);
    const cut: Panel = { dates: returns.dates.filter((d) => d <= '2019-06-28'), assets: returns.assets, values: returns.values.slice(0, returns.dates.filter((d) => d <= '2019-06-28').length * 12) };
    const full = alloc({ date: '2019-06-28', industries: returns.assets, returns });
    const trunc = alloc({ date: '2019-06-28', industries: returns.assets, returns: cut });
    assert.deepEqual(Array.from(full.weights), Array.from(trunc.weights));
  });
  it('excludes industries with constant returns in the window (no correlation) and gives them 0', () => {
    const flat: Panel = { ...returns, values: Float64Array.from(returns.values) };
    for (let t = 1; t < flat.dates.length; t++) flat.values[t * 12 + 3] = 0;
    const res = meanVarianceAllocator(solver)({ date: '2019-06-28', industries: returns.assets, returns: flat });
    assert.equal(res.weights[3], 0);
    assert.deepEqual(res.diagnostics.excluded.map((e) => e.industry), [returns.assets[3]]);
  });
  it('bootstrap sensitivity is seeded and reports how far the weights move', () => {
    const d = factorData(5, 36, 10);
    const names = Array.from({ length: 10 }, (_, i) => `I${i}`);
    const a = meanVarianceSensitivity(solver, d, names, { seed: 1, nBootstrap: 60, caps: 0.3 });
    const b = meanVarianceSensitivity(solver, d, names, { seed: 1, nBootstrap: 60, caps: 0.3 });
    assert.deepEqual(Array.from(a.heldShare), Array.from(b.heldShare));
    assert.equal(a.meanTurnoverVsBase, b.meanTurnoverVsBase);
    ok(a.meanTurnoverVsBase > 0.1, `mean-variance weights move under resampling (${a.meanTurnoverVsBase})`);
    ok(Math.abs(a.meanAbsWeightChange - a.meanTurnoverVsBase / 10) < 1e-12);
    ok(a.turnoverQuantiles.p05 <= a.turnoverQuantiles.p50 && a.turnoverQuantiles.p50 <= a.turnoverQuantiles.p95);
    for (const s of a.heldShare) ok(s >= 0 && s <= 1);
  });
});
