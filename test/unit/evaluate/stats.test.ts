import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logGamma, regularizedIncompleteBeta, studentTCdf, studentTTwoSidedP } from '../../../src/stats/distributions.js';
import { neweyWestMinLength, neweyWestT, neweyWestVariance } from '../../../src/evaluate/neweyWest.js';
import { summarizeIc } from '../../../src/evaluate/summary.js';
import { close, throwsCode } from './helpers.js';

test('logGamma matches factorials and Γ(1/2) = √π', () => {
  close(logGamma(1), 0, 1e-14);
  close(logGamma(5), Math.log(24), 1e-14);
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
  close(logGamma(0.1), Math.log(9.513507698668732), 1e-13);
  throwsCode(() => logGamma(0), 'EVAL_BAD_ARGUMENT');
});

test('regularized incomplete beta: closed forms I_x(1,b) = 1 − (1−x)^b, I_x(a,1) = x^a, I_½(a,a) = ½', () => {
  for (const x of [0, 0.1, 0.5, 0.93, 1]) {
    close(regularizedIncompleteBeta(x, 1, 3.5), 1 - (1 - x) ** 3.5, 1e-13);
    close(regularizedIncompleteBeta(x, 2.5, 1), x ** 2.5, 1e-13);
  }
  close(regularizedIncompleteBeta(0.5, 7, 7), 0.5, 1e-13);
  close(regularizedIncompleteBeta(0.5, 400, 400), 0.5, 1e-12);
  throwsCode(() => regularizedIncompleteBeta(1.2, 1, 1), 'EVAL_BAD_ARGUMENT');
});

test('Student t p-values: closed forms for 1 and 2 df, numerical integration for 10 df, normal limit', () => {
  for (const t of [0, 0.3, 1, 2.5, -4, 30]) {
    close(studentTTwoSidedP(t, 1), 1 - (2 / Math.PI) * Math.atan(Math.abs(t)), 1e-13, `df1 t=${t}`);
    close(studentTTwoSidedP(t, 2), 1 - Math.abs(t) / Math.sqrt(2 + t * t), 1e-13, `df2 t=${t}`);
  }
  // p = 2 ∫_t^∞ density, Simpson's rule on [2, 200].
  const df = 10;
  const c = Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2)) / Math.sqrt(df * Math.PI);
  const dens = (x: number): number => c * (1 + (x * x) / df) ** (-(df + 1) / 2);
  let s = 0;
  const a = 2, b = 200, n = 200000, h = (b - a) / n;
  for (let i = 0; i <= n; i++) s += dens(a + i * h) * (i === 0 || i === n ? 1 : i % 2 ? 4 : 2);
  close(studentTTwoSidedP(2, df), 2 * (s * h) / 3, 1e-9);
  close(studentTTwoSidedP(2, df), 0.07338803477074, 1e-10);
  close(studentTTwoSidedP(1.959963984540054, 1e7), 0.05, 1e-6);
  close(studentTCdf(-1, 1), 0.25, 1e-13);
  close(studentTCdf(1, 1), 0.75, 1e-13);
  assert.equal(studentTTwoSidedP(Infinity, 5), 0);
  assert.ok(Number.isNaN(studentTTwoSidedP(NaN, 5)));
});

test('Newey-West: hand-worked lag-1 example, lag 0 equals the plain t, minimum length named', () => {
  // x = 1,2,3,4: e = −1.5,−0.5,0.5,1.5; Σe² = 5; Σ e_t e_{t−1} = 1.25; w1 = ½ → S = (5 + 1.25)/3.
  close(neweyWestVariance([1, 2, 3, 4], 1), 6.25 / 3, 1e-14);
  const r = neweyWestT([1, 2, 3, 4], 1);
  close(r.se, Math.sqrt(6.25 / 3 / 4), 1e-14);
  close(r.t, 2.5 / Math.sqrt(6.25 / 12), 1e-14);
  const x = [0.03, -0.01, 0.05, 0.02, NaN, 0.04, -0.02, 0.01];
  const s = summarizeIc(x);
  close(neweyWestT(x, 0).t, s.t, 1e-13);
  close(s.tNeweyWest, s.t, 1e-13);
  assert.equal(neweyWestMinLength(5), 12);
  const e = throwsCode(() => neweyWestT([1, 2, 3], 1), 'EVAL_SERIES_TOO_SHORT');
  assert.match(e.message, /at least 4/);
  throwsCode(() => neweyWestT([1, 2, 3, 4], -1), 'EVAL_BAD_ARGUMENT');
});

test('summarizeIc: hand-worked mean, std, ICIR, t, p, win rate, skew, kurtosis', () => {
  const s = summarizeIc([0.1, -0.05, NaN, 0.2, 0.05]);
  assert.equal(s.n, 4);
  close(s.mean, 0.075, 1e-14);
  close(s.std, Math.sqrt(0.0325 / 3), 1e-14);
  close(s.icir, 0.075 / Math.sqrt(0.0325 / 3), 1e-13);
  close(s.t, s.icir * 2, 1e-13);
  close(s.pValue, studentTTwoSidedP(s.t, 3), 1e-15);
  assert.equal(s.winRate, 0.75);
  close(s.skew, 0, 1e-12);
  close(s.kurtosis, 1.22265625e-4 / (0.008125 * 0.008125) - 3, 1e-12);
  assert.equal(s.nwLag, 0);
  const s3 = summarizeIc([0.1, -0.05, 0.2, 0.05, 0.1, 0.0, 0.02, -0.01], { horizonPeriods: 3 });
  assert.equal(s3.nwLag, 2);
  const e = throwsCode(() => summarizeIc([0.1, 0.2, 0.3, 0.1, 0.2], { horizonPeriods: 3 }), 'EVAL_SERIES_TOO_SHORT');
  assert.match(e.message, /at least 6/);
  throwsCode(() => summarizeIc([0.1]), 'EVAL_SERIES_TOO_SHORT');
  assert.ok(Number.isNaN(summarizeIc([0.1, 0.1, 0.1]).icir), 'constant ICs: ICIR undefined');
});

test('Newey-West keeps gaps: values on either side of a missing date are lag-2 apart, not lag-1 neighbours', () => {
  // x = 1, 2, NaN, 3, 4 (date-aligned): n = 4, x̄ = 2.5, e = −1.5, −0.5, 0, 0.5, 1.5 (0 at the gap).
  // γ̂0 = 5; γ̂1 = (−0.5)(−1.5) + 0 + 0 + (1.5)(0.5) = 1.5 (the pair 2 → 3 straddles the gap and does
  // not count); S = (5 + 2·½·1.5)/(4 − 1) = 6.5/3. Dropping the NaN first gives γ̂1 = 1.25, S = 6.25/3.
  const x = [1, 2, NaN, 3, 4];
  close(neweyWestVariance(x, 1), 6.5 / 3, 1e-14);
  const r = neweyWestT(x, 1);
  assert.equal(r.n, 4);
  close(r.se, Math.sqrt(6.5 / 3 / 4), 1e-14);
  close(r.t, 2.5 / Math.sqrt(6.5 / 12), 1e-14);
  // Leading and trailing missing dates change nothing (no pair straddles them).
  close(neweyWestVariance([NaN, 1, 2, NaN, 3, 4, NaN], 1), 6.5 / 3, 1e-14);
  // The IC summary uses the date-aligned series of an IcByDate.
  const ic = { dates: ['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30', '2020-05-31'], ic: Float64Array.from(x), n: new Int32Array(5), skipped: { 'too-few-pairs': 1, 'zero-variance': 0 } };
  const s = summarizeIc(ic, { horizonPeriods: 2 });
  close(s.tNeweyWest, 2.5 / Math.sqrt(6.5 / 12), 1e-14);
  // The minimum counts present values only.
  throwsCode(() => neweyWestT([1, NaN, NaN, 2, 3], 1), 'EVAL_SERIES_TOO_SHORT');
});
