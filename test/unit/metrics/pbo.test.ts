/**
 * Probability of backtest overfitting (CSCV) against a hand-enumerated case (S = 4 blocks, N = 3
 * variants, all C(4, 2) = 6 splits written out below), two synthetic cases (pure noise: PBO near
 * 0.5; one variant with a real edge: PBO near 0), the alignment of variants on different
 * calendars, the minimum backtest length against the published figure (N = 45 trials, SR = 1:
 * about 5 years, Bailey et al. 2014) and the named errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignVariants, minimumBacktestLength, probabilityOfBacktestOverfitting } from '../../../src/metrics/pbo.js';
import { createRng } from '../../../src/random.js';
import { throwsCode } from '../assertions.js';

function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}

test('CSCV on a hand-enumerated 4-block, 3-variant case (statistic: mean; first row dropped)', () => {
  // blocks of one row each; a junk first row (the remainder T − S·m = 1) that must be dropped
  const A = [1000, 3, 0, 1, 0], B = [-1000, 1, 2, 0, 2], C = [0, 2, 2, -1, -2];
  const T = 5, N = 3, M = new Float64Array(T * N);
  for (let t = 0; t < T; t++) { M[t * N] = A[t]; M[t * N + 1] = B[t]; M[t * N + 2] = C[t]; }
  const r = probabilityOfBacktestOverfitting(M, T, N, { blocks: 4, statistic: 'mean', names: ['A', 'B', 'C'] });
  assert.equal(r.combinations, 6);
  assert.equal(r.rowsDropped, 1);
  assert.equal(r.rowsPerBlock, 1);
  // splits in bitmask order of the in-sample blocks: {0,1}, {0,2}, {1,2}, {0,3}, {1,3}, {2,3}
  // {0,1}: IS A=3 B=3 C=4 -> C; OOS A=1 B=2 C=−3 -> C worst, rank 1, ω = 1/4, λ = ln(1/3); OOS mean −1.5 (loss)
  // {0,2}: IS A=4 B=1 C=1 -> A; OOS A=0 B=4 C=0 -> A ties C at the bottom, rank 1.5, λ = ln(.375/.625)
  // {1,2}: IS A=1 B=2 C=1 -> B; OOS A=3 B=3 C=0 -> B ties A at the top, rank 2.5, λ = ln(.625/.375)
  // {0,3}: IS A=3 B=3 C=0 -> A (first of the tie); OOS A=1 B=2 C=1 -> rank 1.5
  // {1,3}: IS A=0 B=4 C=0 -> B; OOS A=4 B=1 C=1 -> rank 1.5
  // {2,3}: IS A=1 B=2 C=−3 -> B; OOS A=3 B=3 C=4 -> B ties A at the bottom, rank 1.5
  const l1 = Math.log(1 / 3), l15 = Math.log(0.375 / 0.625), l25 = Math.log(0.625 / 0.375);
  const want = [l1, l15, l25, l15, l15, l15];
  want.forEach((w, c) => close(r.logits[c], w, 1e-12, `split ${c}`));
  close(r.pbo, 5 / 6);
  close(r.probabilityOfLoss, 1 / 6);
  assert.deepEqual(r.chosenCounts, { A: 2, B: 3, C: 1 });
  assert.deepEqual(Array.from(r.inSample), [2, 2, 1, 1.5, 2, 1]);
  assert.deepEqual(Array.from(r.outOfSample), [-1.5, 0, 1.5, 0.5, 0.5, 1.5]);
  // degradation line by hand: x = [2,2,1,1.5,2,1], y = [−1.5,0,1.5,.5,.5,1.5]; x̄ = 1.5833, ȳ = 0.4167
  const x = [2, 2, 1, 1.5, 2, 1], y = [-1.5, 0, 1.5, 0.5, 0.5, 1.5];
  const mx = x.reduce((a, b) => a + b) / 6, my = y.reduce((a, b) => a + b) / 6;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < 6; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  close(r.degradation.slope, sxy / sxx, 1e-12);
  assert.ok(r.degradation.slope < 0, 'performance degrades out of sample');
  assert.match(r.notes[0], /1 period\(s\) at the start dropped/);
});

test('pure noise: PBO near 0.5; one variant with a real edge: PBO near 0 (S = 16)', () => {
  const rng = createRng(11);
  const T = 320, N = 12;
  const noise = new Float64Array(T * N);
  for (let i = 0; i < T * N; i++) noise[i] = 0.02 * rng.normal();
  const r = probabilityOfBacktestOverfitting(noise, T, N);
  assert.equal(r.combinations, 12870);
  assert.equal(r.blocks, 16);
  assert.equal(r.rowsDropped, 0);
  assert.ok(r.pbo > 0.3 && r.pbo < 0.8, `noise PBO ${r.pbo}`);
  assert.equal(r.logits.length, 12870);
  const edge = Float64Array.from(noise);
  for (let t = 0; t < T; t++) edge[t * N + 4] += 0.01; // Sharpe 0.5 per period for variant 4
  const e = probabilityOfBacktestOverfitting(edge, T, N);
  assert.ok(e.pbo < 0.02, `edge PBO ${e.pbo}`);
  assert.ok(e.chosenCounts['4'] > 0.95 * 12870, 'the real edge is chosen in sample');
  assert.ok(e.probabilityOfLoss < 0.01);
});

test('alignVariants keeps the common period ends with a return everywhere and counts the rest', () => {
  const a = { name: 'a', dates: ['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30'], returns: [0.01, 0.02, 0.03, 0.04] };
  const b = { name: 'b', dates: ['2020-02-29', '2020-03-31', '2020-04-30', '2020-05-29'], returns: [0.1, NaN, 0.3, 0.4] };
  const al = alignVariants([a, b], 2);
  assert.deepEqual(al.dates, ['2020-02-29', '2020-04-30']);
  assert.deepEqual(Array.from(al.matrix), [0.02, 0.1, 0.04, 0.3]);
  assert.equal(al.loss.rowsRead, 8);
  assert.equal(al.loss.rowsKept, 4);
  assert.deepEqual(al.loss.dropped, { 'period end not common to all variants': 2, 'missing return on this date in some variant': 2 });
  const e = throwsCode(() => alignVariants([a, b], 3), 'PBO_VARIANTS_NOT_ALIGNED');
  assert.match(e.message, /Only 2 period end/);
  throwsCode(() => alignVariants([a]), 'PBO_TOO_FEW_VARIANTS');
});

test('named errors: fewer than 2 variants, fewer periods than blocks, bad S, non-finite values', () => {
  throwsCode(() => probabilityOfBacktestOverfitting(new Float64Array(20), 20, 1), 'PBO_TOO_FEW_VARIANTS');
  const e = throwsCode(() => probabilityOfBacktestOverfitting(new Float64Array(30), 15, 2), 'PBO_TOO_FEW_PERIODS');
  assert.match(e.message, /at least 16 periods, got 15/);
  throwsCode(() => probabilityOfBacktestOverfitting(new Float64Array(40), 20, 2, { blocks: 5 }), 'PBO_BAD_BLOCKS');
  throwsCode(() => probabilityOfBacktestOverfitting(new Float64Array(40), 20, 2, { blocks: 22 }), 'PBO_BAD_BLOCKS');
  const m = new Float64Array(40); m[7] = NaN;
  throwsCode(() => probabilityOfBacktestOverfitting(m, 20, 2), 'PBO_BAD_MATRIX');
  throwsCode(() => probabilityOfBacktestOverfitting(new Float64Array(39), 20, 2), 'PBO_BAD_MATRIX');
});

test('minimum backtest length: N = 45 trials at SR = 1 need about 5 years (Bailey et al. 2014); upper bound 2 ln N', () => {
  const m = minimumBacktestLength(45, 1);
  assert.ok(Math.abs(m.years - 5) < 0.1, `MinBTL ${m.years}`);
  close(m.upperBoundYears, 2 * Math.log(45));
  assert.ok(m.years < m.upperBoundYears);
  // scales as 1/SR²
  close(minimumBacktestLength(45, 0.5).years, 4 * m.years, 1e-12);
  assert.equal(minimumBacktestLength(1, 1).years, 0);
  throwsCode(() => minimumBacktestLength(45, 0), 'METRIC_BAD_ARGUMENT');
  throwsCode(() => minimumBacktestLength(0, 1), 'METRIC_BAD_TRIALS');
});
