/**
 * Extreme-markets study on a hand-built monthly backtest (one row a month, so daily = monthly and
 * realized volatility = |b|): named windows (inside, partly covered, outside the data), the
 * worst-5% and volatility-tercile windows enumerated by hand, drawdowns and the t where the window
 * is long enough, tail metrics (CVaR by the stated convention, downside capture), and the window
 * file (data, not code) with its named errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BacktestResult } from '../../../src/backtest/types.js';
import { newLossReport } from '../../../src/data/loss.js';
import {
  dataDrivenWindows, loadStressWindows, namedStressWindows, stressMarketOf, stressStudy, stressTableRows, type StressWindowFile,
} from '../../../src/studies/stress.js';
import { conditionalValueAtRisk, downsideCapture } from '../../../src/metrics/tail.js';
import { throwsCode } from '../assertions.js';

function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}

/** Month ends 2015-01 .. 2016-12 (24) plus the origin 2014-12-31. */
function monthEnds(): string[] {
  const out: string[] = [];
  for (let y = 2015; y <= 2016; y++) for (let m = 1; m <= 12; m++) out.push(new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10));
  return out;
}

const CRASH: Record<string, number> = { '2015-06': -0.10, '2015-07': -0.05, '2015-08': -0.08, '2015-09': 0.02, '2016-01': -0.15 };

/** b = 1% a month except the crash months; r = b/2 in crash months, b + 0.5% otherwise. */
function fakeBacktest(name = 'model'): BacktestResult {
  const dates = monthEnds();
  const b = dates.map((d) => CRASH[d.slice(0, 7)] ?? 0.01);
  const r = dates.map((d, i) => (d.slice(0, 7) in CRASH ? b[i] / 2 : b[i] + 0.005));
  return {
    name, dates, originDate: '2014-12-31', returns: Float64Array.from(r), grossReturns: Float64Array.from(r), benchmarkName: 'equal weight',
    benchmarkReturns: Float64Array.from(b), weights: undefined as never, targets: undefined as never, rebalances: [],
    rebalanceDates: ['2014-12-31', ...dates], rebalancePeriodsPerYear: 12, periodsPerYear: 12, costBps: 0, execution: 'close', ruin: [], notes: [],
    gapLoss: newLossReport('gaps', 'test'),
  };
}

const FILE: StressWindowFile = {
  version: 1,
  markets: {
    test: {
      label: 'test',
      windows: [
        { name: 'crash', start: '2015-06', end: '2015-09' },
        { name: 'circuit', start: '2016-01', end: '2016-01' },
        { name: 'partly', start: '2014-11', end: '2015-02' },
        { name: 'outside', start: '1987-10', end: '1987-10' },
        { name: 'all', start: '2015-01', end: '2016-12' },
      ],
    },
  },
  datasets: [],
};

test('named windows: returns, excess, drawdowns by hand; too short for a t says why; outside the data is skipped and listed', () => {
  const s = stressStudy([fakeBacktest()], 'test', { file: FILE });
  assert.deepEqual(s.skipped, [{ name: 'outside', start: '1987-10', end: '1987-10', reason: 'outside the backtested months (2015-01..2016-12)' }]);
  assert.ok(s.notes.some((n) => /"partly" .* 2 of 4 months/.test(n)), s.notes.join('|'));
  const crash = s.rows.find((r) => r.window === 'crash')!;
  assert.equal(crash.months, 4);
  close(crash.return, 0.95 * 0.975 * 0.96 * 1.01 - 1);
  close(crash.benchmarkReturn, 0.9 * 0.95 * 0.92 * 1.02 - 1);
  close(crash.excess, (0.95 * 0.975 * 0.96 * 1.01) - (0.9 * 0.95 * 0.92 * 1.02));
  close(crash.maxDrawdown, 0.95 * 0.975 * 0.96 - 1); // trough after August, from W_0 = 1
  close(crash.excessMaxDrawdown, 1.01 / 1.02 - 1); // relative wealth peaks after August, falls in September
  assert.ok(Number.isNaN(crash.t));
  assert.equal(crash.note, 'no t: 4 month(s), a t needs at least 12');
  assert.equal(s.rows.find((r) => r.window === 'partly')!.months, 2);
  // the whole sample: the t of the mean monthly active return by hand
  const all = s.rows.find((r) => r.window === 'all')!;
  const a = monthEnds().map((d) => (d.slice(0, 7) in CRASH ? -CRASH[d.slice(0, 7)] / 2 : 0.005));
  const m = a.reduce((x, y) => x + y) / 24, sd = Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / 23);
  close(all.meanActive, m);
  close(all.t, m / (sd / Math.sqrt(24)), 1e-10);
  assert.equal(all.note, '');
  close(crash.meanReturn, (-0.05 - 0.025 - 0.04 + 0.01) / 4);
  close(crash.meanBenchmark, (-0.10 - 0.05 - 0.08 + 0.02) / 4);
  close(crash.meanActive, crash.meanReturn - crash.meanBenchmark);
  const table = stressTableRows(s);
  const tc = table.find((r) => r.window === 'crash')!;
  assert.equal(tc.t, '');
  close(tc.return as number, crash.return);
});

test('data-driven windows: the worst 5% of months and volatility terciles enumerated by hand', () => {
  const w = dataDrivenWindows(fakeBacktest());
  const worst = w.find((x) => x.kind === 'worst months')!;
  assert.deepEqual(worst.months, ['2015-06', '2016-01']); // k = ceil(0.05 · 24) = 2
  const [low, mid, high] = w.filter((x) => x.kind === 'volatility tercile');
  // |b| = 1% in 19 months (ties by date), then 2%, 5%, 8%, 10%, 15%; cuts at ranks 8 and 16
  assert.deepEqual(low.months, ['2015-01', '2015-02', '2015-03', '2015-04', '2015-05', '2015-10', '2015-11', '2015-12']);
  assert.deepEqual(high.months, ['2015-06', '2015-07', '2015-08', '2015-09', '2016-01', '2016-10', '2016-11', '2016-12']);
  assert.equal(mid.months.length, 8);
  const s = stressStudy([fakeBacktest(), fakeBacktest('other')], null, { file: FILE });
  assert.equal(s.windows.length, 4);
  assert.ok(s.notes[0].includes('data-driven windows only'));
  const wr = s.rows.find((r) => r.window === worst.name && r.strategy === 'model')!;
  close(wr.return, 0.95 * 0.925 - 1);
  assert.ok(Number.isNaN(wr.maxDrawdown));
  assert.match(wr.note, /no drawdown: months not adjacent; no t: 2 month/);
  close(wr.meanActive, (0.05 + 0.075) / 2);
  // compounded figures are not shown for scattered months; the monthly means are
  const tw = stressTableRows(s).find((r) => r.window === worst.name && r.strategy === 'model')!;
  assert.equal(tw.return, '');
  close(tw['mean active / month'] as number, (0.05 + 0.075) / 2);
  throwsCode(() => dataDrivenWindows(fakeBacktest(), { worstShare: 0 }), 'STRESS_BAD_ARGUMENT');
  throwsCode(() => stressStudy([], null, { file: FILE }), 'STRESS_NO_BACKTESTS');
});

test('tail metrics: CVaR 95/99 (mean of the worst ⌈(1 − c)T⌉ months), worst month, downside capture', () => {
  const s = stressStudy([fakeBacktest()], null, { file: FILE });
  const t = s.tails[0];
  close(t.cvar95, (-0.075 - 0.05) / 2); // k = ceil(1.2) = 2
  close(t.cvar99, -0.075); // k = ceil(0.24) = 1
  close(t.worstMonth, -0.075);
  assert.equal(t.worstMonthDate, '2016-01-31');
  close(t.downsideCapture, (-0.05 - 0.025 - 0.04 - 0.075) / (-0.10 - 0.05 - 0.08 - 0.15));
  close(s.tails[1].downsideCapture, 1);
  close(conditionalValueAtRisk([0.03, -0.02, 0.01, -0.04], 0.5), -0.03);
  assert.ok(Number.isNaN(downsideCapture([0.01], [0.02])));
  throwsCode(() => conditionalValueAtRisk([0.01], 1), 'METRIC_BAD_ARGUMENT');
});

test('the window file: markets of the datasets, SW adds 2008 to the A-share windows, bad files named', () => {
  const f = loadStressWindows();
  assert.equal(stressMarketOf('CITIC L1 (Wind export)', f).market, 'ashare');
  assert.equal(stressMarketOf('SW L1 (Wind export)', f).market, 'sw');
  assert.equal(stressMarketOf('French 49 industry portfolios (CRSP 202104)', f).market, 'us');
  const sim = stressMarketOf('simulator(seed=7)', f);
  assert.equal(sim.market, null);
  assert.match(sim.note ?? '', /simulator/);
  const sw = namedStressWindows('sw', f).map((w) => w.name);
  assert.ok(sw.includes('2008 crash') && sw.includes('2015 crash') && sw.includes('2024 small-cap crash'));
  assert.equal(sw[0], '2008 crash', 'windows by start month');
  assert.equal(namedStressWindows('us', f).length, 5);
  throwsCode(() => namedStressWindows('mars', f), 'STRESS_UNKNOWN_MARKET');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stress-'));
  const bad = path.join(dir, 'w.json');
  writeFileSync(bad, JSON.stringify({ version: 1, markets: { x: { label: 'x', windows: [{ name: 'w', start: '2020-05', end: '2020-01' }] } }, datasets: [] }));
  assert.match(throwsCode(() => loadStressWindows(bad), 'STRESS_BAD_FILE').message, /starts \(2020-05\) after it ends/);
  writeFileSync(bad, '{ not json');
  throwsCode(() => loadStressWindows(bad), 'STRESS_BAD_FILE');
});
