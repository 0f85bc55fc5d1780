/**
 * Active-return significance, paired differences, the deflated Sharpe on active returns, Holm and
 * Benjamini-Hochberg adjustments and the split windows, against hand-worked cases: the t and its
 * Student-t p (closed form for 3 df), a Newey-West long-run variance written out term by term,
 * and the step-down / step-up adjustments computed by hand (statsmodels multipletests / R p.adjust
 * definitions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBacktest } from '../../../src/backtest/engine.js';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import { activeReturnTest, activeTestMinPeriods, activeTestsByWindow, deflatedActiveSharpe, differenceTest, differenceTestsByWindow, neweyWestRuleLag, splitSeries, splitWindows, type PeriodSeries } from '../../../src/metrics/activeSignificance.js';
import { backtestActiveTest, rebalancePeriodSeries } from '../../../src/backtest/summary.js';
import { benjaminiHochbergAdjust, deflatedSharpeRatio, holmAdjust } from '../../../src/metrics/significance.js';
import { randomCloses } from '../backtest/helpers.js';
import { throwsCode } from '../assertions.js';

function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}

function monthEnds(T: number, year = 2015): string[] {
  return Array.from({ length: T }, (_, t) => new Date(Date.UTC(year, t + 1, 0)).toISOString().slice(0, 10));
}

const S = (name: string, returns: number[], dates = monthEnds(returns.length)): PeriodSeries => ({ name, dates, returns });

test('activeReturnTest: hand-worked 4-period case (t, Student-t p with 3 df in closed form, Newey-West lag 1)', () => {
  // Benchmark b, strategy r = b + d with d = 1, 2, 3, 4 (%): d̄ = 2.5, s = √(5/3), t = 2.5/(s/2) = 3.8729833.
  // Student t, 3 df: p = 1 − (2/π)(u/(1 + u²) + atan u), u = t/√3.
  // Newey-West lag 1: e = −1.5, −0.5, 0.5, 1.5; γ̂0 = 5, γ̂1 = 1.25; S = (5 + 2·½·1.25)/3 = 6.25/3; t_NW = 2.5/√(S/4).
  const b = [0.01, -0.02, 0.005, 0.03];
  const d = [0.01, 0.02, 0.03, 0.04];
  const r = b.map((x, k) => x + d[k]);
  const res = activeReturnTest(S('model', r), S('equal weight', b), { lag: 1, minPeriods: 4 });
  const tHand = 0.025 / (Math.sqrt(5 / 3) * 0.01 / 2);
  close(res.mean, 0.025, 1e-14);
  close(res.std, Math.sqrt(5 / 3) * 0.01, 1e-13);
  close(res.t, tHand, 1e-12);
  close(tHand, 3.872983346207417, 1e-12);
  const u = tHand / Math.sqrt(3);
  close(res.pValue, 1 - (2 / Math.PI) * (u / (1 + u * u) + Math.atan(u)), 1e-12, 'p');
  close(res.tNeweyWest, 0.025 / Math.sqrt((6.25 / 3) * 1e-4 / 4), 1e-12, 't_NW');
  assert.equal(res.lag, 1);
  assert.equal(res.n, 4);
  assert.equal(res.label, 'model − equal weight');
  assert.equal(res.start, '2015-01-31');
  assert.equal(res.end, '2015-04-30');
});

test('activeReturnTest: 24 months, default lag floor(4(T/100)^(2/9)) = 2, Newey-West written out term by term', () => {
  const d = [0.012, -0.004, 0.02, -0.011, 0.006, 0.015, -0.008, 0.003, 0.009, -0.017, 0.021, 0.001,
    -0.006, 0.013, 0.004, -0.012, 0.018, -0.002, 0.007, 0.011, -0.009, 0.005, 0.016, -0.003];
  const b = d.map((_, k) => 0.01 * Math.sin(k));
  const r = b.map((x, k) => x + d[k]);
  assert.equal(neweyWestRuleLag(24), 2);
  assert.equal(neweyWestRuleLag(12), 2);
  assert.equal(neweyWestRuleLag(60), 3);
  assert.equal(neweyWestRuleLag(120), 4);
  assert.equal(neweyWestRuleLag(240), 4);
  assert.equal(neweyWestRuleLag(500), 5);
  const res = activeReturnTest(S('r', r), S('b', b));
  const T = 24, L = 2;
  const m = d.reduce((a, x) => a + x, 0) / T;
  const e = d.map((x) => x - m);
  let s = e.reduce((a, x) => a + x * x, 0);
  for (let l = 1; l <= L; l++) {
    let g = 0;
    for (let t = l; t < T; t++) g += e[t] * e[t - l];
    s += 2 * (1 - l / (L + 1)) * g;
  }
  const S_ = s / (T - 1);
  close(res.tNeweyWest, m / Math.sqrt(S_ / T), 1e-10);
  close(res.t, m / Math.sqrt(e.reduce((a, x) => a + x * x, 0) / (T - 1) / T), 1e-10);
  assert.equal(res.lag, 2);
});

test('activeReturnTest refuses too few periods and names the minimum; different calendars are a named error', () => {
  const r11 = Array.from({ length: 11 }, (_, k) => 0.01 * ((k % 3) - 1));
  const b11 = r11.map(() => 0.001);
  const e = throwsCode(() => activeReturnTest(S('r', r11), S('b', b11)), 'METRIC_TOO_FEW_PERIODS');
  assert.match(e.message, /at least 12/);
  assert.equal(activeTestMinPeriods(11), 12);
  // With minPeriods 3 the Newey-West requirement decides: lag 2 at T = 5 needs 6.
  const e2 = throwsCode(() => activeReturnTest(S('r', r11.slice(0, 5)), S('b', b11.slice(0, 5)), { minPeriods: 3 }), 'METRIC_TOO_FEW_PERIODS');
  assert.match(e2.message, /at least 6/);
  // Calendars: same length, shifted dates; and different lengths.
  const r = Array.from({ length: 14 }, (_, k) => 0.01 * Math.cos(k));
  const b = r.map(() => 0);
  const e3 = throwsCode(() => activeReturnTest(S('r', r), S('b', b, monthEnds(14, 2016))), 'METRIC_CALENDAR_MISMATCH');
  assert.match(e3.message, /2015-01-31.*2016-01-31/);
  throwsCode(() => differenceTest(S('a', r), S('b', b.slice(0, 13), monthEnds(13))), 'METRIC_CALENDAR_MISMATCH');
  throwsCode(() => activeReturnTest(S('r', [...r.slice(0, 13), NaN]), S('b', b)), 'METRIC_RETURN_GAP');
});

test('differenceTest: the paired t of r^A − r^B equals the t of the difference of the active returns', () => {
  const T = 18;
  const bench = Array.from({ length: T }, (_, k) => 0.02 * Math.sin(0.7 * k));
  const a = bench.map((x, k) => x + 0.004 + 0.01 * Math.cos(1.3 * k));
  const c = bench.map((x, k) => x + 0.001 + 0.008 * Math.sin(2.1 * k));
  const res = differenceTest(S('model', a), S('momentum', c));
  const d = a.map((x, k) => (x - bench[k]) - (c[k] - bench[k]));
  const m = d.reduce((u, x) => u + x, 0) / T;
  const sd = Math.sqrt(d.reduce((u, x) => u + (x - m) ** 2, 0) / (T - 1));
  close(res.mean, m, 1e-12);
  close(res.t, m / (sd / Math.sqrt(T)), 1e-10);
  assert.equal(res.label, 'model vs momentum');
  // Antisymmetric.
  close(differenceTest(S('momentum', c), S('model', a)).t, -res.t, 1e-12);
});

test('deflatedActiveSharpe is the deflated Sharpe of r − b (not of r), with the trials passed in', () => {
  const T = 36;
  const b = Array.from({ length: T }, (_, k) => 0.03 * Math.sin(0.9 * k) + 0.01);
  const r = b.map((x, k) => x + 0.003 + 0.01 * Math.cos(1.7 * k));
  const a = r.map((x, k) => x - b[k]);
  const trials = { count: 20, sharpeVariance: 0.01 };
  const dsr = deflatedActiveSharpe(S('r', r), S('b', b), trials);
  const ref = deflatedSharpeRatio(a, trials);
  close(dsr.deflated, ref.deflated, 1e-14);
  close(dsr.sharpe, ref.sharpe, 1e-14);
  assert.equal(dsr.trials, 20);
  assert.notEqual(dsr.sharpe, deflatedSharpeRatio(r, trials).sharpe);
  throwsCode(() => deflatedActiveSharpe(S('r', r.slice(0, 10)), S('b', b.slice(0, 10)), trials), 'METRIC_TOO_FEW_PERIODS');
  throwsCode(() => deflatedActiveSharpe(S('r', r), S('b', b), { count: 0, sharpeVariance: 0.01 }), 'METRIC_BAD_TRIALS');
});

test('Holm and Benjamini-Hochberg: hand-worked cases, input order kept, NaN left out, capped at 1', () => {
  // p = 0.01, 0.04, 0.03, 0.005 (m = 4). Sorted: 0.005, 0.01, 0.03, 0.04.
  // Holm: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, 1·0.04 = 0.04 → running max 0.02, 0.03, 0.06, 0.06.
  // BH: (4/1)·0.005 = 0.02, (4/2)·0.01 = 0.02, (4/3)·0.03 = 0.04, (4/4)·0.04 = 0.04 → running min from the top: same.
  const p = [0.01, 0.04, 0.03, 0.005];
  const h = holmAdjust(p), bh = benjaminiHochbergAdjust(p);
  [0.03, 0.06, 0.06, 0.02].forEach((v, k) => close(h[k], v, 1e-15, `holm ${k}`));
  [0.02, 0.04, 0.04, 0.02].forEach((v, k) => close(bh[k], v, 1e-15, `bh ${k}`));
  // R p.adjust(c(.01,.02,.03,.04,.05)): holm .05 .08 .09 .09 .09; BH .05 each.
  const q = [0.01, 0.02, 0.03, 0.04, 0.05];
  [0.05, 0.08, 0.09, 0.09, 0.09].forEach((v, k) => close(holmAdjust(q)[k], v, 1e-15, `holm q ${k}`));
  benjaminiHochbergAdjust(q).forEach((v, k) => close(v, 0.05, 1e-15, `bh q ${k}`));
  // BH step-up: a larger p can pull a smaller one down (0.04·3/2 = 0.06 > 0.045·3/3).
  // p = 0.04, 0.045, NaN, 0.6: m = 3; BH: 3·0.04 = 0.12, 1.5·0.045 = 0.0675, 0.6 → min from top: 0.0675, 0.0675, 0.6.
  const w = [0.04, 0.045, NaN, 0.6];
  const bw = benjaminiHochbergAdjust(w), hw = holmAdjust(w);
  close(bw[0], 0.0675, 1e-15); close(bw[1], 0.0675, 1e-15); assert.ok(Number.isNaN(bw[2])); close(bw[3], 0.6, 1e-15);
  // Holm (m = 3): 0.12, 2·0.045 = 0.09 → max 0.12, 0.6 → 0.6.
  close(hw[0], 0.12, 1e-15); close(hw[1], 0.12, 1e-15); assert.ok(Number.isNaN(hw[2])); close(hw[3], 0.6, 1e-15);
  // Capped at 1.
  assert.deepEqual(Array.from(holmAdjust([0.5, 0.6])), [1, 1]);
  throwsCode(() => holmAdjust([0.1, 1.2]), 'METRIC_BAD_P_VALUE');
  throwsCode(() => benjaminiHochbergAdjust([-0.1]), 'METRIC_BAD_P_VALUE');
});

test('splitWindows: the split date closes the in-sample window; an empty window is a named error', () => {
  const dates = monthEnds(24, 2019);
  const w = splitWindows(dates, '2019-12-31');
  assert.deepEqual(w.inSample, { start: 0, end: 12, first: '2019-01-31', last: '2019-12-31' });
  assert.deepEqual(w.outOfSample, { start: 12, end: 24, first: '2020-01-31', last: '2020-12-31' });
  const sp = splitSeries(S('r', dates.map((_, k) => k), dates), '2020-06-15');
  assert.equal(sp.inSample.dates.length, 17);
  assert.equal(sp.outOfSample.returns[0], 17);
  const e = throwsCode(() => splitWindows(dates, '2021-03-31'), 'METRIC_EMPTY_WINDOW');
  assert.match(e.message, /out-of-sample.*2019-01-31 to 2020-12-31/);
  throwsCode(() => splitWindows(dates, '2018-12-31'), 'METRIC_EMPTY_WINDOW');
  throwsCode(() => splitWindows(dates, '2019/12/31'), 'METRIC_BAD_ARGUMENT');
});

test('rebalancePeriodSeries: monthly returns of a backtest compound its daily returns; active = r − b', () => {
  const closes = randomCloses(3, 320, 4);
  const me = monthEndRebalanceDates(closes.dates);
  const weights = me.map((date) => ({ date, weights: { I01: 1 } }));
  const bt = runBacktest({ name: 'all in I01', close: closes, weights });
  const s = rebalancePeriodSeries(bt);
  assert.equal(s.periodsPerYear, 12);
  // Period ends: the month ends after the first, then the last day (a partial last month, as backtestSeries).
  const last = closes.dates[closes.dates.length - 1];
  const ends = last > me[me.length - 1] ? [...me, last] : me;
  assert.deepEqual(s.strategy.dates, ends.slice(1));
  // Holding 100% of I01 from month end to month end, no costs: r_k = close(me_k)/close(me_{k−1}) − 1.
  const N = 4, row = (d: string): number => closes.dates.indexOf(d);
  for (let k = 1; k < ends.length; k++) {
    const hand = closes.values[row(ends[k]) * N] / closes.values[row(ends[k - 1]) * N] - 1;
    close(s.strategy.returns[k - 1], hand, 1e-12, `month ${ends[k]}`);
    close(s.active.returns[k - 1], s.strategy.returns[k - 1] - s.benchmark.returns[k - 1], 1e-15);
  }
  const t = backtestActiveTest(bt);
  assert.equal(t.n, ends.length - 1);
  close(t.t, activeReturnTest(s.strategy, s.benchmark).t, 1e-15);
});

test('activeTestsByWindow / differenceTestsByWindow: whole, in-sample and out-of-sample, each equal to the test on the slice', () => {
  const dates = monthEnds(36, 2018);
  const b = dates.map((_, k) => 0.01 * Math.sin(0.8 * k));
  const r = b.map((x, k) => x + 0.002 + 0.01 * Math.cos(1.9 * k));
  const ws = activeTestsByWindow(S('r', r, dates), S('b', b, dates), '2019-12-31');
  assert.deepEqual(ws.map((w) => [w.window, w.test.n, w.test.start, w.test.end]), [
    ['whole sample', 36, '2018-01-31', '2020-12-31'], ['in-sample', 24, '2018-01-31', '2019-12-31'], ['out-of-sample', 12, '2020-01-31', '2020-12-31']]);
  close(ws[2].test.t, activeReturnTest(S('r', r.slice(24), dates.slice(24)), S('b', b.slice(24), dates.slice(24))).t, 1e-15);
  const ds = differenceTestsByWindow(S('r', r, dates), S('b', b, dates), '2019-12-31');
  close(ds[1].test.t, ws[1].test.t, 1e-15);
  const e = throwsCode(() => activeTestsByWindow(S('r', r, dates), S('b', b, dates), '2020-06-30'), 'METRIC_TOO_FEW_PERIODS');
  assert.match(e.message, /out-of-sample window \(2020-07-31 to 2020-12-31.*at least 12/);
  throwsCode(() => activeTestsByWindow(S('r', r, dates), S('b', b, dates), '2021-01-31'), 'METRIC_EMPTY_WINDOW');
});
