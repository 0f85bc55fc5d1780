import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearRegression, mean, sampleStandardDeviation } from 'simple-statistics';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import { createRng } from '../../../src/random.js';
import {
  crowdingVolumeZ, maGap3m, mom12m1, mom1m, mom3m, mom6m, residMom12m1, trendR2_3m, vol3m, volumeChg1m,
} from '../../../src/factors/technical.js';
import { cellOf, makeDataset, near, throwsCode } from './helpers.js';

// Industry j: daily log return μ_j + σ_j·(−1)^s, so ln C_t = ln 100 + μ_j·t − σ_j·[t odd].
const MU = [0.002, -0.001, 0.0005, 0.001, -0.0005, 0.0015];
const SIG = [0, 0, 0.01, 0.02, 0.005, 0.015];
const lnC = (t: number, j: number) => Math.log(100) + MU[j] * t - SIG[j] * (t % 2);
const ds = makeDataset({
  J: 6, T: 300,
  close: (t, j) => Math.exp(lnC(t, j)),
  volume: (t, j) => 1000 + 10 * j * t,
});
const dates = monthEndRebalanceDates(ds.calendar);
const last = dates[dates.length - 1];
const tLast = ds.calendar.indexOf(last);

test('momentum on log-linear prices: exp(L·μ) − 1 exactly (1M, 3M, 6M, 12-1)', () => {
  const r1 = mom1m.compute(ds, dates).panel, r3 = mom3m.compute(ds, dates).panel, r6 = mom6m.compute(ds, dates).panel;
  const r12 = mom12m1.compute(ds, dates).panel;
  for (let j = 0; j < 6; j++) {
    near(cellOf(r1, last, `I${j}`), Math.exp(20 * MU[j]) - 1, 1e-10, `mom_1m I${j}`);
    near(cellOf(r3, last, `I${j}`), Math.exp(60 * MU[j]) - 1, 1e-10, `mom_3m I${j}`);
    near(cellOf(r6, last, `I${j}`), Math.exp(120 * MU[j]) - 1, 1e-10, `mom_6m I${j}`);
    near(cellOf(r12, last, `I${j}`), Math.exp(220 * MU[j]) - 1, 1e-10, `mom_12_1 I${j}`);
  }
});

test('insufficient history: early dates NaN and counted by reason; the loss report balances', () => {
  const res = mom12m1.compute(ds, dates);
  const early = dates.filter((d) => ds.calendar.indexOf(d) < 240);
  assert.ok(early.length > 0);
  for (const d of early) assert.ok(Number.isNaN(cellOf(res.panel, d, 'I0')));
  assert.equal(res.loss.dropped['insufficient history (lookback 240 trading days before the date)'], early.length * 6);
  assert.equal(res.loss.rowsRead, dates.length * 6);
  assert.equal(res.loss.rowsRead, res.loss.rowsKept + Object.values(res.loss.dropped).reduce((a, b) => a + b, 0));
  assert.equal(res.panel.dates.length, dates.length);
  assert.deepEqual(res.panel.assets, ['I0', 'I1', 'I2', 'I3', 'I4', 'I5']);
});

test('lookback longer than the whole history: named error', () => {
  const short = makeDataset({ J: 6, T: 100, close: (t, j) => 100 + t + j });
  const e = throwsCode(() => mom12m1.compute(short, monthEndRebalanceDates(short.calendar)), 'FACTOR_NO_COMPUTABLE_DATE');
  assert.match(e.message, /240 trading days/);
  assert.equal(e.where.factor, 'mom_12_1');
});

test('vol_3m: alternating log returns μ ± σ give σ·√(60/59)·√252', () => {
  const r = vol3m.compute(ds, dates).panel;
  for (let j = 0; j < 6; j++) near(cellOf(r, last, `I${j}`), SIG[j] * Math.sqrt(60 / 59) * Math.sqrt(252), 1e-9, `vol I${j}`);
});

test('trend_r2_3m: a pure log-linear trend has R² = 1 signed by the slope; wiggles lower it', () => {
  const r = trendR2_3m.compute(ds, dates).panel;
  near(cellOf(r, last, 'I0'), 1, 1e-12);
  near(cellOf(r, last, 'I1'), -1, 1e-12);
  // reference: R² of ln C on s over the last 60 rows
  for (const j of [2, 3, 4, 5]) {
    const pts: [number, number][] = [];
    for (let s = tLast - 59; s <= tLast; s++) pts.push([s, lnC(s, j)]);
    const { m, b } = linearRegression(pts);
    const ys = pts.map((p) => p[1]), ybar = mean(ys);
    const sse = pts.reduce((a, [x, y]) => a + (y - (m * x + b)) ** 2, 0), sst = ys.reduce((a, y) => a + (y - ybar) ** 2, 0);
    near(cellOf(r, last, `I${j}`), Math.sign(m) * (1 - sse / sst), 1e-8, `trend I${j}`);
  }
});

test('ma_gap_3m: C_t / mean(C over 60 rows) − 1', () => {
  const r = maGap3m.compute(ds, dates).panel;
  for (let j = 0; j < 6; j++) {
    let s = 0;
    for (let q = tLast - 59; q <= tLast; q++) s += Math.exp(lnC(q, j));
    near(cellOf(r, last, `I${j}`), Math.exp(lnC(tLast, j)) / (s / 60) - 1, 1e-12, `ma_gap I${j}`);
  }
});

test('volume_chg_1m: linear volume 1000 + 10·j·t gives ln((1000 + 10j(t − 9.5)) / (1000 + 10j(t − 79.5)))', () => {
  const r = volumeChg1m.compute(ds, dates).panel;
  for (let j = 0; j < 6; j++) {
    near(cellOf(r, last, `I${j}`), Math.log((1000 + 10 * j * (tLast - 9.5)) / (1000 + 10 * j * (tLast - 79.5))), 1e-12, `volume_chg I${j}`);
  }
});

test('crowding_volume_z: z-score of the 20-day mean log volume against its trailing 240 days', () => {
  const res = crowdingVolumeZ.compute(ds, dates);
  const r = res.panel;
  const A = (s: number, j: number) => { let a = 0; for (let q = s - 19; q <= s; q++) a += Math.log(1000 + 10 * j * q); return a / 20; };
  for (const j of [1, 3, 5]) {
    const hist: number[] = [];
    for (let s = tLast - 239; s <= tLast; s++) hist.push(A(s, j));
    near(cellOf(r, last, `I${j}`), (A(tLast, j) - mean(hist)) / sampleStandardDeviation(hist), 1e-9, `crowding I${j}`);
  }
  // I0 has constant volume: zero dispersion → NaN with a reason, never a division by zero
  assert.ok(Number.isNaN(cellOf(r, last, 'I0')));
  assert.ok((res.loss.dropped['missing input data in the lookback window'] ?? 0) > 0);
});

test('resid_mom_12_1 matches a reference regression (β on the equal-weight market, t-stat of r − β·m)', () => {
  const rng = createRng(11);
  const T = 300, J = 6;
  const ret = Array.from({ length: T }, () => new Array<number>(J).fill(0));
  for (let s = 1; s < T; s++) {
    const mk = 0.01 * rng.normal();
    for (let j = 0; j < J; j++) ret[s][j] = 0.0003 * j + (0.6 + 0.15 * j) * mk + 0.005 * rng.normal();
  }
  const close = Array.from({ length: J }, () => new Array<number>(T).fill(100));
  for (let j = 0; j < J; j++) for (let s = 1; s < T; s++) close[j][s] = close[j][s - 1] * (1 + ret[s][j]);
  const noisy = makeDataset({ J, T, close: (t, j) => close[j][t] });
  const r = residMom12m1.compute(noisy, dates).panel;
  // reference: simple returns recomputed from the closes, market = their cross-sectional mean
  const rr = (s: number, j: number) => close[j][s] / close[j][s - 1] - 1;
  const m = (s: number) => mean([0, 1, 2, 3, 4, 5].map((j) => rr(s, j)));
  for (let j = 0; j < J; j++) {
    const pts: [number, number][] = [];
    for (let s = tLast - 239; s <= tLast - 20; s++) pts.push([m(s), rr(s, j)]);
    const beta = linearRegression(pts).m;
    const e = pts.map(([x, y]) => y - beta * x);
    near(cellOf(r, last, `I${j}`), (mean(e) / sampleStandardDeviation(e)) * Math.sqrt(e.length), 1e-9, `resid_mom I${j}`);
  }
});

test('a date with fewer than 5 industries is NaN and counted (the minimum is stated)', () => {
  const gap = dates[dates.length - 2];
  const tGap = ds.calendar.indexOf(gap);
  const holes = makeDataset({ J: 6, T: 300, close: (t, j) => (t === tGap && j < 2 ? NaN : Math.exp(lnC(t, j))) });
  const res = mom1m.compute(holes, dates);
  for (let j = 0; j < 6; j++) assert.ok(Number.isNaN(cellOf(res.panel, gap, `I${j}`)));
  assert.equal(res.loss.dropped['fewer than 5 industries with a value on the date'], 4);
  assert.equal(res.loss.dropped['missing input data in the lookback window'], 2);
  // the same date is kept with minIndustries 4
  const res4 = mom1m.compute(holes, dates, { minIndustries: 4 });
  assert.ok(Number.isFinite(cellOf(res4.panel, gap, 'I3')));
});

test('too few industries in the dataset: named error stating the minimum', () => {
  const three = makeDataset({ J: 3, T: 60, close: (t) => 100 + t });
  const e = throwsCode(() => mom1m.compute(three, monthEndRebalanceDates(three.calendar)), 'FACTOR_TOO_FEW_INDUSTRIES');
  assert.equal(e.where.minIndustries, 5);
  assert.match(e.message, /at least 5/);
});

test('bad dates: not in the calendar, not ascending, empty', () => {
  throwsCode(() => mom1m.compute(ds, ['2020-06-06']), 'FACTOR_DATE_NOT_IN_CALENDAR'); // a Saturday
  throwsCode(() => mom1m.compute(ds, [dates[3], dates[2]]), 'FACTOR_BAD_DATES');
  throwsCode(() => mom1m.compute(ds, []), 'FACTOR_BAD_DATES');
  throwsCode(() => mom1m.compute(ds, dates, { minIndustries: 0 }), 'FACTOR_BAD_ARGUMENT');
});

test('the value at a date does not depend on which other dates are asked for', () => {
  const all = mom3m.compute(ds, dates).panel;
  const one = mom3m.compute(ds, [last]).panel;
  for (let j = 0; j < 6; j++) assert.equal(cellOf(one, last, `I${j}`), cellOf(all, last, `I${j}`));
});
