/**
 * Significance: the t of the mean excess, PSR and DSR against hand computation (Bailey & López de
 * Prado's formulas written out below), and the normal functions against reference values
 * (Python statistics.NormalDist, an independent implementation).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import {
  deflatedSharpeRatio, EULER_GAMMA, expectedMaxSharpe, kurtosis, meanExcessT,
  probabilisticSharpeRatio, skewness,
} from '../../../src/metrics/significance.js';
import { normalCdf, normalQuantile } from '../../../src/stats/distributions.js';
import { informationRatio } from '../../../src/metrics/relative.js';

function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}

const R = [0.02, -0.01, 0.03, 0.015, -0.025, 0.01, 0.04, -0.005, 0.012, 0.008, -0.015, 0.022, 0.005, 0.018, -0.002];

test('normal CDF and quantile match reference values to ~1e-15', () => {
  const ref: [number, number][] = [[-3, 0.0013498980316301035], [1, 0.8413447460685429], [-1.96, 0.024997895148220428],
    [0.5, 0.6914624612740131], [2.5, 0.9937903346742238], [-5, 2.8665157186802404e-07]];
  for (const [x, p] of ref) close(normalCdf(x), p, 1e-14, `Φ(${x})`);
  close(normalQuantile(0.9), 1.2815515655446008, 1e-13);
  close(normalQuantile(1 - 1 / (10 * Math.E)), 1.7892417645816279, 1e-13);
  close(normalQuantile(0.975), 1.959963984540054, 1e-13);
  for (const p of [1e-8, 0.01, 0.3, 0.5, 0.77, 0.999]) close(normalCdf(normalQuantile(p)), p, 1e-12, `p=${p}`);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

test('skewness and kurtosis are population moments (kurtosis not excess)', () => {
  const x = [1, 2, 3, 10];
  const m = 4, d = x.map((v) => v - m);
  const m2 = d.reduce((s, v) => s + v * v, 0) / 4, m3 = d.reduce((s, v) => s + v ** 3, 0) / 4, m4 = d.reduce((s, v) => s + v ** 4, 0) / 4;
  close(skewness(x), m3 / m2 ** 1.5);
  close(kurtosis(x), m4 / m2 ** 2);
  close(skewness(R), -0.14606296023037438, 1e-12);
  close(kurtosis(R), 2.4834167342126396, 1e-12);
});

test('PSR by hand: Φ( (SR − SR*) √(T−1) / √(1 − γ3 SR + (γ4−1)/4 SR²) )', () => {
  const n = R.length;
  const mean = R.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(R.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const sr = mean / sd;
  const g3 = skewness(R), g4 = kurtosis(R);
  const z = (sr * Math.sqrt(n - 1)) / Math.sqrt(1 - g3 * sr + ((g4 - 1) / 4) * sr * sr);
  const psr = probabilisticSharpeRatio(R, 0);
  close(psr.sharpe, sr);
  close(psr.sharpe, 0.4713889420629985);
  close(psr.z, z);
  close(psr.z, 1.6438299097668718, 1e-12);
  close(psr.probability, normalCdf(z));
  close(psr.probability, 0.9498943293484686, 1e-13);
  // a higher threshold lowers the probability
  assert.ok(probabilisticSharpeRatio(R, 0.2).probability < psr.probability);
  assert.ok(Number.isNaN(probabilisticSharpeRatio([0.01, 0.02]).probability), 'T < 3: NaN');
});

test('DSR by hand: expected max Sharpe of N trials, then PSR against it', () => {
  const N = 10, V = 0.01;
  const sr0 = Math.sqrt(V) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / N) + EULER_GAMMA * normalQuantile(1 - 1 / (N * Math.E)));
  close(expectedMaxSharpe(N, V), sr0);
  close(sr0, 0.157459830134575, 1e-12);
  const dsr = deflatedSharpeRatio(R, { count: N, sharpeVariance: V });
  close(dsr.benchmarkSharpe, sr0);
  close(dsr.deflated, probabilisticSharpeRatio(R, sr0).probability);
  close(dsr.deflated, 0.8631836667896413, 1e-12);
  assert.ok(dsr.deflated < probabilisticSharpeRatio(R, 0).probability, 'deflation lowers the PSR');
  // from the list of trial Sharpes: N = length, V = sample variance
  const trials = [0.05, 0.1, -0.02, 0.2, 0.12];
  const m = trials.reduce((s, v) => s + v, 0) / 5;
  const v = trials.reduce((s, x) => s + (x - m) ** 2, 0) / 4;
  close(deflatedSharpeRatio(R, { sharpes: trials }).benchmarkSharpe, expectedMaxSharpe(5, v));
  // annualized trial Sharpes are converted with P: V / P
  close(deflatedSharpeRatio(R, { count: 10, sharpeVariance: 0.12, periodsPerYear: 12 }).sharpeVariance, 0.01);
  assert.equal(expectedMaxSharpe(1, 0.5), 0, 'one trial: no selection');
  assert.throws(() => expectedMaxSharpe(0, 0.1), (e: unknown) => e instanceof RotationError && e.code === 'METRIC_BAD_TRIALS');
  assert.throws(() => expectedMaxSharpe(3, -1), (e: unknown) => e instanceof RotationError && e.code === 'METRIC_BAD_TRIALS');
});

test('t of the mean excess = mean(a)/(std(a)/√T) = IR · √(T/P)', () => {
  const b = R.map((x, t) => x * 0.8 + (t % 3 === 0 ? 0.002 : -0.001));
  const a = R.map((x, t) => x - b[t]);
  const n = a.length, m = a.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  const res = meanExcessT(R, b);
  close(res.t, m / (sd / Math.sqrt(n)));
  close(res.t, informationRatio(R, b, 12) * Math.sqrt(n / 12));
  assert.equal(res.n, n);
});
