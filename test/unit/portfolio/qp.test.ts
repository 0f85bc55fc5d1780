/**
 * The box-and-budget QP min 1/2 w'Qw + c'w, sum w = 1, lo <= w <= hi: the projection onto the
 * capped simplex (hand-worked), the projected-gradient + active-set path against HiGHS on random
 * problems (N = 5, 30, 100), an independent KKT certificate, the mean-variance optimizer's two
 * paths, and the typed eigen-decomposition against ml-matrix.
 * Run: node --import tsx --test test/unit/portfolio/qp.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { createRng, type Rng } from '../../../src/random.js';
import { ledoitWolfCovariance, repairCovariance, symmetricEigen } from '../../../src/portfolio/covariance.js';
import { loadSolver, solveProblem, type Solver } from '../../../src/portfolio/optimizer.js';
import { meanVarianceWeights, QP_ACTIVE_SET } from '../../../src/portfolio/meanVariance.js';
import { projectBoxBudget, projectedGradientBoxBudget, solveBoxBudgetQp } from '../../../src/portfolio/qp.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }

let solver: Solver;
before(async () => { solver = await loadSolver(); });

/** A random mean-variance-like problem: Q = gamma x Ledoit-Wolf covariance of factor returns (+ kappa I), c = -mu. */
function randomProblem(rng: Rng, n: number): { q: Float64Array; c: Float64Array; lo: Float64Array; hi: Float64Array } {
  const T = 60, v = new Float64Array(T * n);
  for (let t = 0; t < T; t++) {
    const f = rng.normal();
    for (let j = 0; j < n; j++) v[t * n + j] = 0.01 * (f * (0.5 + rng.uniform()) + rng.normal());
  }
  const q = ledoitWolfCovariance({ rows: T, cols: n, values: v }).covariance.map((x) => 10 * x);
  const kappa = rng.uniform() < 0.5 ? 0 : 0.05;
  for (let i = 0; i < n; i++) q[i * n + i] += kappa;
  const c = Float64Array.from({ length: n }, () => -0.01 * rng.normal());
  const cap = Math.max(1.5 / n, 0.1 + 0.5 * rng.uniform());
  return { q, c, lo: new Float64Array(n), hi: new Float64Array(n).fill(cap) };
}

/**
 * KKT residual of x, computed here from the definitions (independent of qp.ts): g = Qx + c,
 * lambda = mean of g over the free variables; free g_i = lambda, at lo g_i >= lambda, at hi g_i <= lambda.
 */
function kktResidual(q: ArrayLike<number>, c: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>, x: ArrayLike<number>): number {
  const n = c.length, g: number[] = [];
  for (let i = 0; i < n; i++) { let s = c[i]; for (let j = 0; j < n; j++) s += q[i * n + j] * x[j]; g.push(s); }
  const free = [...Array(n).keys()].filter((i) => x[i] > lo[i] + 1e-12 && x[i] < hi[i] - 1e-12);
  const lambda = free.reduce((s, i) => s + g[i], 0) / Math.max(1, free.length);
  let r = Math.abs(Array.from(x).reduce((s, v) => s + v, 0) - 1);
  for (let i = 0; i < n; i++) {
    r = Math.max(r, lo[i] - x[i], x[i] - hi[i]);
    if (free.includes(i)) r = Math.max(r, Math.abs(g[i] - lambda));
    else if (x[i] <= lo[i] + 1e-12) r = Math.max(r, lambda - g[i]);
    else r = Math.max(r, g[i] - lambda);
  }
  return r;
}

describe('projectBoxBudget', () => {
  it('hand-worked: v = (1, 0.2, 0.1, -1), 0 <= x <= 0.5 -> tau = -0.1, x = (0.5, 0.3, 0.2, 0)', () => {
    // x1 = min(0.5, 1 - tau) = 0.5; free x2, x3: 0.5 + (0.2 - tau) + (0.1 - tau) = 1 -> tau = -0.1; x4 = max(0, -0.9) = 0.
    const x = new Float64Array(4);
    projectBoxBudget([1, 0.2, 0.1, -1], [0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5], x);
    const want = [0.5, 0.3, 0.2, 0];
    for (let i = 0; i < 4; i++) ok(Math.abs(x[i] - want[i]) < 1e-15, `x[${i}] = ${x[i]}`);
  });
  it('is the closest feasible point: no random feasible point is nearer', () => {
    const rng = createRng(3);
    for (let k = 0; k < 20; k++) {
      const n = 2 + rng.int(30);
      const v = Float64Array.from({ length: n }, () => rng.normal());
      const lo = new Float64Array(n), hi = new Float64Array(n).fill(Math.max(1.2 / n, rng.uniform()));
      const x = new Float64Array(n);
      projectBoxBudget(v, lo, hi, x);
      ok(Math.abs(x.reduce((s, a) => s + a, 0) - 1) < 1e-13, 'sums to 1');
      const dist = (y: ArrayLike<number>) => { let s = 0; for (let i = 0; i < n; i++) s += (y[i] - v[i]) ** 2; return s; };
      for (let r = 0; r < 50; r++) {
        const y = new Float64Array(n);
        projectBoxBudget(Float64Array.from({ length: n }, () => rng.normal()), lo, hi, y); // a feasible point
        const t = rng.uniform(), z = Float64Array.from(x, (xi, i) => (1 - t) * xi + t * y[i]);
        ok(dist(z) >= dist(x) - 1e-12, 'a feasible point is closer than the projection');
      }
    }
  });
});

describe('projected gradient + active set vs HiGHS', () => {
  it('random problems N = 5, 30, 100: at least as good as HiGHS, KKT to 1e-10, equal to HiGHS polished to 1e-8', () => {
    const rng = createRng(5);
    let maxRaw = 0, maxPolished = 0, maxKkt = 0, cases = 0;
    for (const n of [5, 30, 100]) {
      for (let rep = 0; rep < 4; rep++) {
        const { q, c, lo, hi } = randomProblem(rng, n);
        const pg = projectedGradientBoxBudget(q, c, lo, hi, { tol: 1e-7, maxIterations: 60 });
        const a = solveBoxBudgetQp(q, c, lo, hi, { start: pg.x });
        const h = solveProblem(solver, {
          sense: 'minimize', colNames: Array.from({ length: n }, (_, i) => `w${i}`), cost: c, lower: lo, upper: hi,
          rows: [{ name: 'sum', indices: Array.from({ length: n }, (_, i) => i), values: new Array(n).fill(1), lower: 1, upper: 1 }],
          hessian: { dim: n, values: q }, options: { qp_iteration_limit: 50000 },
        });
        assert.equal(h.status, 'optimal', `HiGHS on case n=${n} #${rep}`);
        cases++;
        ok(a.objective <= h.objective + 1e-12, `n=${n}: objective ${a.objective} vs HiGHS ${h.objective}`);
        const polished = solveBoxBudgetQp(q, c, lo, hi, { start: h.x });
        for (let i = 0; i < n; i++) {
          maxRaw = Math.max(maxRaw, Math.abs(a.x[i] - h.x[i]));
          maxPolished = Math.max(maxPolished, Math.abs(a.x[i] - polished.x[i]));
        }
        maxKkt = Math.max(maxKkt, kktResidual(q, c, lo, hi, a.x));
      }
    }
    assert.equal(cases, 12);
    console.log(`12 problems: KKT residual ${maxKkt.toExponential(1)}, vs HiGHS polished ${maxPolished.toExponential(1)}, vs HiGHS raw ${maxRaw.toExponential(1)}`);
    ok(maxKkt < 1e-10, `KKT residual ${maxKkt}`);
    ok(maxPolished < 1e-8, `vs HiGHS polished: ${maxPolished}`);
    // HiGHS' qpasm stops at its own tolerance (~1e-6 in the weights here).
    ok(maxRaw < 1e-5, `vs HiGHS raw: ${maxRaw}`);
  });
  it('the mean-variance optimizer: the default path equals the HiGHS path to 1e-8 (with caps, turnover penalty)', () => {
    const rng = createRng(8);
    let maxDiff = 0;
    for (const n of [5, 30, 100]) {
      const { q } = randomProblem(rng, n);
      const industries = Array.from({ length: n }, (_, i) => `I${i}`);
      const mean = Float64Array.from({ length: n }, () => 0.01 * rng.normal());
      const prevW = Float64Array.from({ length: n }, () => rng.uniform());
      const s = prevW.reduce((a, b) => a + b, 0);
      const previous = { industries, weights: prevW.map((w) => w / s) };
      const input = { industries, mean, covariance: q.map((x) => x / 10), riskAversion: 10, caps: Math.max(1.5 / n, 0.2), previous, turnoverPenalty: 0.05 };
      const a = meanVarianceWeights(solver, input);
      const h = meanVarianceWeights(solver, { ...input, qp: 'highs' });
      assert.equal(a.qpSolver, QP_ACTIVE_SET);
      assert.equal(h.qpSolver, 'highs');
      for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(a.weights[i] - h.weights[i]));
      ok(a.utility >= h.utility - 1e-12, 'utility at least HiGHS\'');
    }
    ok(maxDiff < 1e-8, `max weight difference ${maxDiff}`);
  });
  it('the covariance is not repaired twice when its repair report is passed on', () => {
    const bad = Float64Array.from([1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1]); // not PSD
    const rep = repairCovariance(bad, 3);
    const r = meanVarianceWeights(solver, { industries: ['A', 'B', 'C'], mean: [0.01, 0.02, 0.0], covariance: rep.covariance, covarianceRepair: rep, riskAversion: 5 });
    assert.equal(r.repair, rep);
    const again = meanVarianceWeights(solver, { industries: ['A', 'B', 'C'], mean: [0.01, 0.02, 0.0], covariance: bad, covarianceRepair: rep, riskAversion: 5 });
    assert.notEqual(again.repair, rep, 'a report of another array is ignored');
    assert.equal(again.repair.repaired, true);
  });
});

describe('symmetricEigen', () => {
  it('equals ml-matrix EigenvalueDecomposition (same algorithm) and reconstructs A; values-only gives the same values', () => {
    const rng = createRng(13);
    for (const n of [1, 2, 7, 40]) {
      const T = 10, x = Array.from({ length: T * n }, () => rng.normal());
      const a = new Float64Array(n * n);
      for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += x[t * n + i] * x[t * n + j];
      const rows: number[][] = [];
      for (let i = 0; i < n; i++) rows.push(Array.from(a.subarray(i * n, (i + 1) * n)));
      const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
      const e = symmetricEigen(a, n), v = symmetricEigen(a, n, { vectors: false });
      for (let k = 0; k < n; k++) {
        ok(Math.abs(e.values[k] - ref.realEigenvalues[k]) <= 1e-12 * Math.max(1, Math.abs(ref.realEigenvalues[k])), `value ${k}`);
        assert.equal(v.values[k], e.values[k]);
        for (let i = 0; i < n; i++) ok(Math.abs(e.vectors[k * n + i] - ref.eigenvectorMatrix.get(i, k)) < 1e-10, `vector ${k}`);
      }
      // A = V diag(values) V'
      let err = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += e.vectors[k * n + i] * e.values[k] * e.vectors[k * n + j];
        err = Math.max(err, Math.abs(s - a[i * n + j]));
      }
      ok(err < 1e-10 * Math.max(1, Math.abs(e.values[n - 1])), `reconstruction ${err}`);
    }
  });
});
