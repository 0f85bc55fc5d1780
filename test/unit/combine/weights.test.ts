import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  equalWeights, icirWeights, icMeanWeights, maxIcirFromMoments, maxIcirWeights, nonNegativeQuadratic, shrinkIcCovariance, weightsAt,
  type WeightSchedule,
} from '../../../src/combine/weights.js';
import type { IcByDate } from '../../../src/evaluate/ic.js';
import { createRng } from '../../../src/random.js';
import { close, monthEnds, throwsCode } from '../evaluate/helpers.js';

function ic(values: number[], dates = monthEnds(values.length)): IcByDate {
  return { dates, ic: Float64Array.from(values), n: new Int32Array(values.length), skipped: { 'too-few-pairs': 0, 'zero-variance': 0 } };
}

function row(s: WeightSchedule, t: number): number[] {
  const K = s.factors.length;
  return [...s.weights.subarray(t * K, (t + 1) * K)];
}

const A = [0.1, 0.2, 0.3, 0.0], B = [-0.1, 0.3, 0.0, 0.2];

test('equal weights are 1/K', () => {
  const s = equalWeights(['a', 'b', 'c', 'd'], monthEnds(3));
  assert.deepEqual(row(s, 2), [0.25, 0.25, 0.25, 0.25]);
  throwsCode(() => equalWeights([], monthEnds(3)), 'COMBINE_NO_FACTORS');
});

test('IC-mean weights: hand-worked, using only ICs known h periods before the date', () => {
  const s = icMeanWeights({ a: ic(A), b: ic(B) }, { horizon: 1, minObservations: 2 });
  assert.ok(row(s, 0).every(Number.isNaN) && row(s, 1).every(Number.isNaN));
  assert.equal(s.skipped.warmup, 2);
  row(s, 2).forEach((v, k) => close(v, [0.6, 0.4][k])); // means 0.15, 0.1 over ICs dated 0..1
  row(s, 3).forEach((v, k) => close(v, [0.75, 0.25][k])); // means 0.2, 0.0667 over 0..2
  const s2 = icMeanWeights({ a: ic(A), b: ic(B) }, { horizon: 2, minObservations: 2 });
  assert.ok(row(s2, 2).every(Number.isNaN));
  row(s2, 3).forEach((v, k) => close(v, [0.6, 0.4][k]));
  const r = icMeanWeights({ a: ic(A), b: ic(B) }, { horizon: 1, window: 2, minObservations: 2 });
  row(r, 3).forEach((v, k) => close(v, [0.25 / 0.4, 0.15 / 0.4][k])); // rolling: ICs dated 1..2
  assert.deepEqual(weightsAt(r, monthEnds(4)[3]), { a: row(r, 3)[0], b: row(r, 3)[1] });
});

test('ICIR weights: hand-worked mean/std, Σ|w| = 1', () => {
  const s = icirWeights(new Map([['a', ic(A)], ['b', ic(B)]]), { horizon: 1, minObservations: 3 });
  const irA = 0.2 / 0.1;
  const mb = 0.2 / 3, sb = Math.sqrt(((-0.1 - mb) ** 2 + (0.3 - mb) ** 2 + (0 - mb) ** 2) / 2);
  const irB = mb / sb;
  row(s, 3).forEach((v, k) => close(v, [irA, irB][k] / (irA + irB), 1e-12));
  assert.equal(s.observations[3], 3);
  const e = throwsCode(() => icirWeights({ a: ic([0.1, 0.1, 0.1, 0.1]), b: ic(B) }, { horizon: 1, minObservations: 2 }), 'COMBINE_ZERO_IC_VARIANCE');
  assert.match(e.message, /"a"/);
});

test('no look-ahead: weights at t are unchanged when ICs dated after t − h are perturbed', () => {
  const rng = createRng(77);
  const T = 50, K = 4, h = 3;
  const base = Array.from({ length: K }, (_, k) => Array.from({ length: T }, () => 0.02 * (k + 1) + 0.1 * rng.normal()));
  const set = (xs: number[][]): Record<string, IcByDate> => Object.fromEntries(xs.map((x, k) => [`f${k}`, ic(x)]));
  const methods: [string, (s: Record<string, IcByDate>) => WeightSchedule][] = [
    ['ic-mean', (s) => icMeanWeights(s, { horizon: h, window: 20, minObservations: 6 })],
    ['icir', (s) => icirWeights(s, { horizon: h, minObservations: 6 })],
    ['max-icir', (s) => maxIcirWeights(s, { horizon: h, window: 20, minObservations: 6 })],
    ['max-icir >= 0', (s) => maxIcirWeights(s, { horizon: h, minObservations: 6, nonNegative: true })],
  ];
  for (const [name, fn] of methods) {
    const ref = fn(set(base));
    for (const t of [8, 15, 30, 49]) {
      const pert = base.map((x) => x.map((v, s) => (s > t - h ? v + 0.5 * rng.normal() : v)));
      const w = fn(set(pert));
      assert.deepEqual(row(w, t), row(ref, t), `${name} t=${t}`);
    }
    // ...and the weights do change when a known IC (dated t − h) is perturbed.
    const t = 30;
    const known = base.map((x) => x.map((v, s) => (s === t - h ? v + 0.5 : v)));
    assert.notDeepEqual(row(fn(set(known)), t), row(ref, t), `${name} uses the IC dated t − h`);
  }
});

test('max-ICIR from moments: w ∝ Σ⁻¹μ; the non-negative variant solves the KKT conditions', () => {
  maxIcirFromMoments([0.2, 0.1], [[4, 0], [0, 1]]).weights.forEach((v, k) => close(v, [1 / 3, 2 / 3][k]));
  maxIcirFromMoments([0.1, 0], [[1, 0.5], [0.5, 1]]).weights.forEach((v, k) => close(v, [2 / 3, -1 / 3][k]));
  maxIcirFromMoments([0.1, 0], [[1, 0.5], [0.5, 1]], { nonNegative: true }).weights.forEach((v, k) => close(v, [1, 0][k]));
  const fb = maxIcirFromMoments([-0.1, -0.2], [[1, 0], [0, 1]], { nonNegative: true });
  assert.ok(fb.fallback);
  assert.deepEqual(fb.weights, [0.5, 0.5]);
  throwsCode(() => maxIcirFromMoments([0.1, 0.1], [[1, 1], [1, 1]]), 'COMBINE_SINGULAR_COVARIANCE');
  // Random problems: compare with brute force over all free sets.
  const rng = createRng(5);
  for (let rep = 0; rep < 30; rep++) {
    const K = 5;
    const X = Array.from({ length: 8 }, () => Array.from({ length: K }, () => rng.normal()));
    const S = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => X.reduce((a, r) => a + r[i] * r[j], 0) / 8 + (i === j ? 0.1 : 0)));
    const mu = Array.from({ length: K }, () => rng.normal());
    const w = nonNegativeQuadratic(S, mu);
    const obj = (v: number[]): number => 0.5 * v.reduce((a, vi, i) => a + vi * v.reduce((b, vj, j) => b + S[i][j] * vj, 0), 0) - v.reduce((a, vi, i) => a + vi * mu[i], 0);
    let best = Infinity;
    for (let mask = 0; mask < 1 << K; mask++) {
      // Unconstrained minimizer on the free set by Gaussian elimination; keep it if feasible.
      const P = [...Array(K).keys()].filter((i) => mask & (1 << i));
      const M = P.map((i) => [...P.map((j) => S[i][j]), mu[i]]);
      for (let c = 0; c < P.length; c++) for (let r = c + 1; r < P.length; r++) { const f = M[r][c] / M[c][c]; for (let q = c; q <= P.length; q++) M[r][q] -= f * M[c][q]; }
      const z = new Array<number>(P.length);
      for (let r = P.length - 1; r >= 0; r--) { let s = M[r][P.length]; for (let q = r + 1; q < P.length; q++) s -= M[r][q] * z[q]; z[r] = s / M[r][r]; }
      if (z.some((v) => v < 0)) continue;
      const v = new Array<number>(K).fill(0);
      P.forEach((i, q) => { v[i] = z[q]; });
      best = Math.min(best, obj(v));
    }
    assert.ok(w.every((v) => v >= 0));
    close(obj(w), best, 1e-10, `rep ${rep}`);
  }
});

test('shrinkage toward the diagonal: hand-worked δ*', () => {
  const x = [[1, 2], [2, 1], [3, 3], [4, 5]];
  const sc = shrinkIcCovariance(x);
  // s12 = 5.5/3; Var̂(s12) = 4/27 · 5.875; δ* = 2Var̂/(2 s12²).
  const s12 = 5.5 / 3, v = (4 / 27) * 5.875;
  close(sc.deltaTarget, v / (s12 * s12), 1e-12);
  close(sc.delta, sc.deltaTarget);
  close(sc.cov[0][1], (1 - sc.delta) * s12, 1e-12);
  close(sc.cov[0][0], 5 / 3); close(sc.cov[1][1], 8.75 / 3);
  close(shrinkIcCovariance(x, { delta: 0.5 }).cov[1][0], 0.5 * s12);
  throwsCode(() => shrinkIcCovariance(x, { delta: 2 }), 'COMBINE_BAD_ARGUMENT');
  throwsCode(() => shrinkIcCovariance([[1, 2], [1, 3]], { names: ['const', 'b'] }), 'COMBINE_ZERO_IC_VARIANCE');
});

test('max-ICIR with a singular IC covariance gives finite weights (duplicated factor, more factors than dates)', () => {
  const rng = createRng(9);
  const a = Array.from({ length: 30 }, () => 0.05 + 0.1 * rng.normal());
  const b = Array.from({ length: 30 }, () => 0.03 + 0.1 * rng.normal());
  const dup = maxIcirWeights({ a: ic(a), a2: ic(a), b: ic(b) }, { horizon: 1, minObservations: 10 });
  for (let t = 11; t < 30; t++) {
    const w = row(dup, t);
    assert.ok(w.every(Number.isFinite), `t=${t} ${w}`);
    close(w.reduce((s, v) => s + Math.abs(v), 0), 1, 1e-12);
    close(w[0], w[1], 1e-9, 'identical factors get identical weights');
    assert.ok(dup.shrinkage[t] > 0);
  }
  // Fixed δ = 0 on a singular covariance: δ is raised until Σ̂ is positive definite.
  const fixed = maxIcirWeights({ a: ic(a), a2: ic(a), b: ic(b) }, { horizon: 1, minObservations: 10, shrinkage: 0 });
  assert.ok(row(fixed, 20).every(Number.isFinite) && fixed.shrinkage[20] > 0);
  const many = Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`f${k}`, ic(Array.from({ length: 8 }, () => 0.02 + 0.1 * rng.normal()))]));
  const wide = maxIcirWeights(many, { horizon: 1, window: 4, minObservations: 3, nonNegative: true });
  for (let t = 4; t < 8; t++) assert.ok(row(wide, t).every(Number.isFinite), `t=${t}`);
});

test('weights: named errors', () => {
  throwsCode(() => icMeanWeights({ a: ic(A), b: ic(B, monthEnds(4, 2001)) }, { horizon: 1 }), 'COMBINE_MISALIGNED');
  throwsCode(() => icMeanWeights({ a: ic(A) }, { horizon: 0 }), 'COMBINE_BAD_ARGUMENT');
  throwsCode(() => icMeanWeights({ a: ic(A) }, { horizon: 1, window: 3, minObservations: 5 }), 'COMBINE_BAD_ARGUMENT');
  throwsCode(() => maxIcirWeights({ a: ic(A) }, { horizon: 1, shrinkage: -1 }), 'COMBINE_BAD_ARGUMENT');
  throwsCode(() => icirWeights({}, { horizon: 1 }), 'COMBINE_NO_FACTORS');
});
