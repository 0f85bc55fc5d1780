/**
 * Relative metrics by hand. The IR is annualized: it equals empyrical's excess_sharpe
 * (nanmean(r − b) / nanstd(r − b, ddof=1), computed by hand below) times √P.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import {
  activeReturns, arithmeticExcess, excessCagr, excessDrawdownTable, excessMaxDrawdown, informationRatio, monthlyWinRate,
  relativeReturns, relativeWealth, rollingExcess, rollingInformationRatio, trackingError, winRate,
} from '../../../src/metrics/relative.js';
import { cagr } from '../../../src/metrics/returns.js';
import { maxDrawdown } from '../../../src/metrics/drawdown.js';

function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}

const R = [0.01, -0.02, 0.03, -0.01, 0.015, -0.005, 0.02, -0.03, 0.01, 0.005, 0.012, -0.008];
const B = [0.008, -0.015, 0.02, -0.012, 0.01, 0.0, 0.015, -0.02, 0.012, 0.002, 0.01, -0.005];

test('IR = empyrical excess_sharpe · √P (annualized); TE = std(a) · √P', () => {
  const a = R.map((x, t) => x - B[t]);
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
  const excessSharpe = m / sd; // empyrical excess_sharpe, not annualized
  close(excessSharpe, 0.06061365107019033);
  close(informationRatio(R, B, 12), excessSharpe * Math.sqrt(12));
  close(informationRatio(R, B, 12), 0.20997184657164258);
  close(trackingError(R, B, 12), 0.019050172988954475);
  close(trackingError(R, B, 252), sd * Math.sqrt(252));
  assert.deepEqual(Array.from(activeReturns([0.1], [0.04])).map((x) => Math.round(x * 1e12) / 1e12), [0.06]);
});

test('excess return, both labelled definitions: difference of CAGRs and mean active × P', () => {
  close(excessCagr(R, B, 12), cagr(R, 12) - cagr(B, 12));
  const a = R.map((x, t) => x - B[t]);
  close(arithmeticExcess(R, B, 12), (a.reduce((s, v) => s + v, 0) / a.length) * 12);
});

test('relative wealth W/B and excess max drawdown on it (not on cumulated active returns)', () => {
  const r = [0.1, -0.1, 0.05], b = [0.0, 0.1, 0.0];
  const rw = relativeWealth(r, b);
  close(rw[0], 1.1); close(rw[1], (1.1 * 0.9) / 1.1); close(rw[2], (1.1 * 0.9 * 1.05) / 1.1);
  // relative wealth 1.1, 0.9, 0.945: drawdown 0.9 / 1.1 − 1
  close(excessMaxDrawdown(r, b), 0.9 / 1.1 - 1);
  close(excessMaxDrawdown(r, b), maxDrawdown(relativeReturns(r, b)));
  const tbl = excessDrawdownTable(r, b, ['a', 'b', 'c'], 'o');
  assert.equal(tbl[0].start, 'a'); assert.equal(tbl[0].trough, 'b'); assert.equal(tbl[0].recovery, null);
  // a benchmark at −100% makes relative wealth undefined: a named error
  assert.throws(() => relativeReturns([0.1], [-1]), (e: unknown) => e instanceof RotationError && e.code === 'METRIC_BENCHMARK_RUIN');
});

test('monthly win rate compounds days into calendar months; ties are not wins', () => {
  const dates = ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02', '2024-03-01'];
  const r = [0.01, 0.01, -0.01, 0.0, 0.02];
  const b = [0.0, 0.015, 0.0, -0.02, 0.02];
  // Jan: 1.01² − 1 = 0.0201 vs 0.015 → win; Feb: −0.01 vs −0.02 → win; Mar: tie → not a win
  close(monthlyWinRate(dates, r, b), 2 / 3);
  close(winRate([0.1, 0.0, -0.1], [0.0, 0.0, 0.0]), 1 / 3);
});

test('rolling 12M excess and IR over L periods, NaN before a full window', () => {
  const L = 4;
  const ex = rollingExcess(R, B, L), ir = rollingInformationRatio(R, B, L, 12);
  for (let t = 0; t < L - 1; t++) { assert.ok(Number.isNaN(ex[t])); assert.ok(Number.isNaN(ir[t])); }
  for (let t = L - 1; t < R.length; t++) {
    let wr = 1, wb = 1;
    for (let s = t - L + 1; s <= t; s++) { wr *= 1 + R[s]; wb *= 1 + B[s]; }
    close(ex[t], wr - wb);
    close(ir[t], informationRatio(R.slice(t - L + 1, t + 1), B.slice(t - L + 1, t + 1), 12));
  }
  assert.throws(() => rollingExcess(R, B, 1), (e: unknown) => e instanceof RotationError && e.code === 'METRIC_BAD_WINDOW');
  assert.throws(() => informationRatio(R, B.slice(1), 12), (e: unknown) => e instanceof RotationError && e.code === 'METRIC_LENGTH_MISMATCH');
});
