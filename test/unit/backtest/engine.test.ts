/**
 * The backtest engine by hand: daily-rebalanced equal weight reproduces the benchmark exactly,
 * monthly equal weight differs only by drift, drift and cost arithmetic, the next-open option,
 * the named input errors, short windows and negative wealth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rebalanceCalendar } from '../../../src/data/calendar.js';
import { runBacktest, sliceBacktest, windowRebalancePeriods } from '../../../src/backtest/engine.js';
import { costSensitivity } from '../../../src/backtest/sensitivity.js';
import { oneWayTurnover, tradeCost, tradedValue, netOfCost } from '../../../src/backtest/costs.js';
import type { TargetWeights } from '../../../src/backtest/types.js';
import { summarizeBacktest } from '../../../src/backtest/summary.js';
import { excessCagr, trackingError } from '../../../src/metrics/relative.js';
import { businessDays, close, panelOf, randomCloses } from './helpers.js';
import { throwsCode } from '../assertions.js';


const ew = (assets: readonly string[]) => Object.fromEntries(assets.map((a) => [a, 1 / assets.length]));

test('equal weight rebalanced daily reproduces the equal-weight benchmark exactly (zero excess, zero TE)', () => {
  const closeP = randomCloses(11, 300, 31);
  const reb = closeP.dates.slice(0, -1);
  const weights: TargetWeights[] = reb.map((date) => ({ date, weights: ew(closeP.assets) }));
  const bt = runBacktest({ close: closeP, weights, rebalance: { dates: reb, periodsPerYear: 252 } });
  assert.equal(bt.returns.length, 299);
  let maxDiff = 0;
  for (let t = 0; t < bt.returns.length; t++) maxDiff = Math.max(maxDiff, Math.abs(bt.returns[t] - bt.benchmarkReturns[t]));
  assert.ok(maxDiff < 1e-12, `max |r − b| = ${maxDiff}`);
  assert.ok(Math.abs(trackingError(bt.returns, bt.benchmarkReturns, 252)) < 1e-12);
  assert.ok(Math.abs(excessCagr(bt.returns, bt.benchmarkReturns, 252)) < 1e-12);
});

test('monthly equal weight differs from the daily-rebalanced benchmark only by drift (2 assets, by hand)', () => {
  const dates = ['2024-01-31', '2024-02-01', '2024-02-02', '2024-02-05'];
  const closeP = panelOf(dates, ['A', 'B'], [[100, 100], [110, 95], [99, 104.5], [99, 104.5]]);
  const bt = runBacktest({ close: closeP, weights: [{ date: '2024-01-31', weights: { A: 0.5, B: 0.5 } }], rebalance: { dates: ['2024-01-31'], periodsPerYear: 12 } });
  // day 1: 0.5 · 10% + 0.5 · (−5%) = 2.5% = benchmark
  close(bt.returns[0], 0.025); close(bt.benchmarkReturns[0], 0.025);
  // drift: wA = 0.5 · 1.1 / 1.025, wB = 0.5 · 0.95 / 1.025
  const wA = 0.55 / 1.025, wB = 0.475 / 1.025;
  close(bt.weights.values[0], wA); close(bt.weights.values[1], wB);
  // day 2: wA · (−10%) + wB · (+10%) ≠ benchmark mean(−10%, +10%) = 0
  close(bt.returns[1], -0.1 * wA + 0.1 * wB);
  close(bt.benchmarkReturns[1], 0);
  // buy and hold: final wealth 0.5 · 0.99 + 0.5 · 1.045
  close((1 + bt.returns[0]) * (1 + bt.returns[1]) * (1 + bt.returns[2]), 0.5 * 0.99 + 0.5 * 1.045);
  assert.equal(bt.rebalances.length, 1);
});

test('drift, trade and cost arithmetic by hand (close execution, 25 bps)', () => {
  const dates = ['2024-01-31', '2024-02-01', '2024-02-29', '2024-03-01'];
  const closeP = panelOf(dates, ['A', 'B', 'C'], [[10, 20, 50], [11, 20, 45], [12.1, 19, 45], [12.1, 20.9, 49.5]]);
  const c = 25 / 1e4;
  const bt = runBacktest({
    close: closeP, costBps: 25, rebalance: { dates: ['2024-01-31', '2024-02-29'], periodsPerYear: 12 },
    weights: [{ date: '2024-01-31', weights: { A: 0.5, B: 0.3, C: 0.2 } }, { date: '2024-02-29', weights: { A: 0.2, B: 0.2, C: 0.6 } }],
  });
  // day 1 (2024-02-01): initial build from cash, traded = 1, cost c · 1 booked on the first day held
  const g1 = 0.5 * 0.1 + 0.3 * 0 + 0.2 * -0.1;
  close(bt.grossReturns[0], g1);
  close(bt.returns[0], (1 - c) * (1 + g1) - 1);
  let w = [0.5 * 1.1, 0.3 * 1.0, 0.2 * 0.9].map((x) => x / (1 + g1));
  // day 2 (2024-02-29): drift again, then trade at the close
  const r2 = [0.1, -0.05, 0];
  const g2 = w[0] * r2[0] + w[1] * r2[1] + w[2] * r2[2];
  close(bt.returns[1], g2, 1e-12, 'no trade booked on day 2');
  w = w.map((x, i) => (x * (1 + r2[i])) / (1 + g2));
  close(bt.weights.values[3], w[0]); close(bt.weights.values[4], w[1]); close(bt.weights.values[5], w[2]);
  const target = [0.2, 0.2, 0.6];
  const traded = Math.abs(target[0] - w[0]) + Math.abs(target[1] - w[1]) + Math.abs(target[2] - w[2]);
  // day 3 (2024-03-01): new weights, cost of the 2024-02-29 trade booked here
  const r3 = [0, 0.1, 0.1];
  const g3 = 0.2 * r3[0] + 0.2 * r3[1] + 0.6 * r3[2];
  close(bt.grossReturns[2], g3);
  close(bt.returns[2], (1 - c * traded) * (1 + g3) - 1);
  assert.equal(bt.rebalances.length, 2);
  const [r0, r1] = bt.rebalances;
  assert.deepEqual({ initial: r0.initial, date: r0.date, booked: r0.bookedDate }, { initial: true, date: '2024-01-31', booked: '2024-02-01' });
  close(r0.traded, 1); close(r0.turnover, 1); close(r0.cost, c);
  close(r1.traded, traded); close(r1.turnover, traded / 2); close(r1.cost, c * traded);
  assert.equal(r1.tradeDate, '2024-02-29'); assert.equal(r1.bookedDate, '2024-03-01');
  // the helpers say the same
  close(tradedValue(target, w), traded); close(oneWayTurnover(target, w), traded / 2);
  close(tradeCost(traded, 25), c * traded); close(netOfCost(g3, c * traded), bt.returns[2]);
});

test('next-open execution by hand: overnight on old weights, trade at the open, intraday on new weights', () => {
  const dates = ['2024-01-31', '2024-02-01', '2024-02-29', '2024-03-01'];
  const closeP = panelOf(dates, ['A', 'B'], [[100, 50], [104, 50], [110, 55], [121, 55]]);
  const openP = panelOf(dates, ['A', 'B'], [[99, 50], [102, 51], [108, 54], [115, 56]]);
  const c = 10 / 1e4;
  const bt = runBacktest({
    close: closeP, open: openP, execution: 'next-open', costBps: 10, rebalance: { dates: ['2024-01-31', '2024-02-29'], periodsPerYear: 12 },
    weights: [{ date: '2024-01-31', weights: { A: 1, B: 0 } }, { date: '2024-02-29', weights: { A: 0, B: 1 } }],
  });
  // day 1: cash overnight (0), buy A at the open 102 (traded 1, cost c), intraday 104/102 − 1
  const q1 = 104 / 102 - 1;
  close(bt.returns[0], (1 - c) * (1 + q1) - 1);
  close(bt.grossReturns[0], q1);
  // day 2: hold A close to close
  close(bt.returns[1], 110 / 104 - 1);
  // day 3: overnight on A (115/110), sell A buy B at the open (traded 2), intraday on B 55/56
  const o3 = 115 / 110 - 1, q3 = 55 / 56 - 1;
  close(bt.returns[2], (1 + o3) * (1 - 2 * c) * (1 + q3) - 1);
  assert.equal(bt.rebalances[1].tradeDate, '2024-03-01');
  close(bt.rebalances[1].traded, 2); close(bt.rebalances[1].turnover, 1);
  // the benchmark still earns close to close
  close(bt.benchmarkReturns[0], (104 / 100 - 1 + 0) / 2);
  throwsCode(() => runBacktest({ close: closeP, execution: 'next-open', weights: [{ date: '2024-01-31', weights: { A: 1 } }], rebalance: { dates: ['2024-01-31'], periodsPerYear: 12 } }), 'BT_NO_OPEN');
});

test('a missing open falls back to the previous close, counted in the notes', () => {
  const dates = ['2024-01-31', '2024-02-01', '2024-02-02'];
  const closeP = panelOf(dates, ['A', 'B'], [[100, 50], [104, 50], [110, 55]]);
  const openP = panelOf(dates, ['A', 'B'], [[99, 50], [NaN, 51], [108, 54]]);
  const bt = runBacktest({ close: closeP, open: openP, execution: 'next-open', weights: [{ date: '2024-01-31', weights: { A: 1 } }], rebalance: { dates: ['2024-01-31'], periodsPerYear: 12 } });
  close(bt.returns[0], 104 / 100 - 1);
  assert.ok(bt.notes.some((n) => /had no open/.test(n)));
});

test('weights on dates that are not rebalance dates: named error listing them', () => {
  const closeP = randomCloses(3, 80, 4);
  const cal = rebalanceCalendar(closeP.dates, { frequency: 'M', anchor: 'end' });
  const bad = [closeP.dates[5], closeP.dates[7]];
  const weights: TargetWeights[] = [...cal.dates, ...bad].map((date) => ({ date, weights: ew(closeP.assets) }));
  const e = throwsCode(() => runBacktest({ close: closeP, weights, rebalance: cal }), 'BT_WEIGHTS_OFF_CALENDAR');
  assert.deepEqual(e.where.dates, bad);
  const e2 = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: cal.dates[0], weights: ew(closeP.assets) }, { date: cal.dates[2], weights: ew(closeP.assets) }], rebalance: cal }), 'BT_MISSING_WEIGHTS');
  assert.deepEqual(e2.where.dates, [cal.dates[1]]);
  const held = runBacktest({ close: closeP, weights: [{ date: cal.dates[0], weights: ew(closeP.assets) }], rebalance: cal, onMissingWeights: 'hold' });
  assert.ok(held.notes.some((n) => /held/.test(n)));
  throwsCode(() => runBacktest({ close: closeP, weights, rebalance: { dates: [...cal.dates, '2020-02-01'], periodsPerYear: 12 } }), 'BT_REBALANCE_OFF_CALENDAR');
});

test('weights not summing to 1, negative, NaN or on unknown industries: the date and industry are named', () => {
  const closeP = randomCloses(4, 30, 3);
  const d = closeP.dates[0];
  const e1 = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: 0.5, I02: 0.3 } }], rebalance: { dates: [d], periodsPerYear: 12 } }), 'BT_WEIGHTS_SUM');
  assert.deepEqual(e1.where.dates, [d]);
  const e2 = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: 1.2, I02: -0.2 } }], rebalance: { dates: [d], periodsPerYear: 12 } }), 'BT_WEIGHTS_NEGATIVE');
  assert.match(e2.message, new RegExp(`${d} I02`));
  throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: NaN, I02: 1 } }], rebalance: { dates: [d], periodsPerYear: 12 } }), 'BT_WEIGHTS_NAN');
  const e4 = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { XX: 1 } }], rebalance: { dates: [d], periodsPerYear: 12 } }), 'BT_UNKNOWN_INDUSTRY');
  assert.deepEqual(e4.where.industries, ['XX']);
  // an unknown industry with weight 0 is harmless (allocators over a wider universe)
  assert.equal(runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: 1, XX: 0 } }], rebalance: { dates: [d], periodsPerYear: 12 } }).targets.values[0], 1);
  throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: 1 } }, { date: d, weights: { I02: 1 } }], rebalance: { dates: [d], periodsPerYear: 12 } }), 'BT_DUPLICATE_WEIGHTS');
  throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: 1 } }], rebalance: { dates: [d], periodsPerYear: 12 }, costBps: -5 }), 'BT_BAD_COST');
  // a weights Panel works like the list; tiny negatives are solver noise, clipped
  const wp = panelOf([d], ['I01', 'I02', 'I03'], [[0.5, 0.5 + 1e-13, -1e-13]]);
  const bt = runBacktest({ close: closeP, weights: wp, rebalance: { dates: [d], periodsPerYear: 12 } });
  close(bt.targets.values[2], 0);
});

test("with gapPolicy 'error' a held industry without a return (gap in the closes) is a named error listing the dates", () => {
  const dates = businessDays('2024-01-01', 6);
  const closeP = panelOf(dates, ['A', 'B'], [[1, 1], [1.1, 1], [NaN, 1.1], [NaN, 1.2], [1.2, 1.1], [1.3, 1]]);
  const e = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 0.5, B: 0.5 } }], rebalance: { dates: [dates[0]], periodsPerYear: 12 }, gapPolicy: 'error' }), 'BT_RETURN_GAP');
  assert.deepEqual(e.where.dates, [dates[2], dates[3], dates[4]]);
  // an industry not held may have gaps; the equal-weight benchmark averages the valid ones
  const bt = runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { B: 1 } }], rebalance: { dates: [dates[0]], periodsPerYear: 12 } });
  close(bt.benchmarkReturns[1], 0.1);
});

test('a benchmark on a different calendar is a named error; supplied returns and weights benchmarks', () => {
  const closeP = randomCloses(5, 60, 4);
  const d0 = closeP.dates[0];
  const base = { close: closeP, weights: [{ date: d0, weights: ew(closeP.assets) }], rebalance: { dates: [d0], periodsPerYear: 12 } };
  const ref = runBacktest(base);
  const e = throwsCode(() => runBacktest({ ...base, benchmark: { kind: 'returns', dates: ref.dates.slice(5), returns: ref.benchmarkReturns.slice(5) } }), 'BT_BENCHMARK_CALENDAR');
  assert.equal((e.where.missing as string[]).length, 5);
  const shifted = ref.dates.map((d) => (d === ref.dates[10] ? '2020-01-04' : d)).sort(); // a Saturday
  throwsCode(() => runBacktest({ ...base, benchmark: { kind: 'returns', dates: shifted, returns: ref.benchmarkReturns } }), 'BT_BENCHMARK_CALENDAR');
  const gap = Float64Array.from(ref.benchmarkReturns); gap[3] = NaN;
  const e3 = throwsCode(() => runBacktest({ ...base, benchmark: { kind: 'returns', dates: ref.dates, returns: gap } }), 'BT_RETURN_GAP');
  assert.deepEqual(e3.where.dates, [ref.dates[3]]);
  const same = runBacktest({ ...base, benchmark: { kind: 'returns', name: 'EW', dates: ref.dates, returns: ref.benchmarkReturns } });
  assert.deepEqual(Array.from(same.benchmarkReturns), Array.from(ref.benchmarkReturns));
  assert.equal(same.benchmarkName, 'EW');
  // a weights benchmark equal to the strategy's buy-and-hold weights gives the strategy's returns
  const wb = runBacktest({ ...base, benchmark: { kind: 'weights', weights: [{ date: d0, weights: ew(closeP.assets) }] } });
  for (let t = 0; t < wb.returns.length; t++) close(wb.benchmarkReturns[t], wb.returns[t], 1e-14);
  throwsCode(() => runBacktest({ ...base, benchmark: { kind: 'weights', weights: [{ date: closeP.dates[3], weights: ew(closeP.assets) }] } }), 'BT_BENCHMARK_CALENDAR');
});

test('a window shorter than 12 rebalance periods runs; metrics that need more are NaN with a reason', () => {
  const closeP = randomCloses(6, 130, 5);
  const cal = rebalanceCalendar(closeP.dates, { frequency: 'M', anchor: 'end' });
  const bt = runBacktest({ close: closeP, weights: cal.dates.map((date) => ({ date, weights: ew(closeP.assets) })), rebalance: cal });
  assert.ok(windowRebalancePeriods(bt) < 12);
  const s = summarizeBacktest(bt);
  for (const k of ['cagr', 'sharpe', 'informationRatio', 'psr', 'monthlyWinRate'] as const) {
    assert.ok(Number.isNaN(s.values[k]), k);
    assert.match(s.reasons[k]!, /needs ≥ 12/);
  }
  assert.ok(Number.isFinite(s.values.totalReturn));
  assert.ok(Number.isFinite(s.values.maxDrawdown));
});

test('negative wealth is reported, never logged', () => {
  const dates = businessDays('2024-01-01', 5);
  const closeP = panelOf(dates, ['A', 'B'], [[100, 100], [110, 101], [-55, 102], [-50, 103], [-40, 104]]);
  const bt = runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 1 } }], rebalance: { dates: [dates[0]], periodsPerYear: 12 } });
  assert.equal(bt.ruin[0].series, 'strategy');
  assert.equal(bt.ruin[0].date, dates[2]);
  assert.ok(bt.ruin[0].wealth < 0);
  assert.ok(bt.notes.some((n) => /wealth fell to/.test(n)));
  const s = summarizeBacktest(bt, { minWindowPeriods: 0 });
  assert.ok(Number.isNaN(s.values.cagr));
  assert.match(s.reasons.cagr!, /wealth ≤ 0 on/);
  assert.ok(Number.isNaN(s.values.calmar));
  assert.equal(s.ruin[0].date, dates[2]);
  for (const v of bt.returns) assert.ok(Number.isFinite(v));
});

test('deterministic; slicing and rebalance-period basis', () => {
  const closeP = randomCloses(7, 400, 8);
  const cal = rebalanceCalendar(closeP.dates, { frequency: 'M', anchor: 'end' });
  const weights = cal.dates.map((date, k) => ({ date, weights: Object.fromEntries(closeP.assets.map((a, i) => [a, ((i + k) % 3 === 0 ? 3 : 1)])) }))
    .map((w) => { const s = Object.values(w.weights).reduce((x, y) => x + y, 0); return { date: w.date, weights: Object.fromEntries(Object.entries(w.weights).map(([a, v]) => [a, v / s])) }; });
  const a = runBacktest({ close: closeP, weights, rebalance: cal, costBps: 15 });
  const b = runBacktest({ close: closeP, weights, rebalance: cal, costBps: 15 });
  assert.deepEqual(Array.from(a.returns), Array.from(b.returns));
  assert.deepEqual(Array.from(a.weights.values), Array.from(b.weights.values));
  assert.equal(a.periodsPerYear, 252);
  assert.equal(a.rebalancePeriodsPerYear, 12);
  // daily weights sum to 1
  const N = closeP.assets.length;
  for (let t = 0; t < a.dates.length; t += 37) { let s = 0; for (let i = 0; i < N; i++) s += a.weights.values[t * N + i]; close(s, 1); }
  // slicing keeps returns and re-bases the origin
  const mid = a.dates[150];
  const later = sliceBacktest(a, mid);
  assert.equal(later.originDate, a.dates[149]);
  assert.deepEqual(Array.from(later.returns), Array.from(a.returns.slice(150)));
  assert.ok(later.rebalances.every((r) => r.bookedDate >= mid));
  // rebalance basis: monthly compounding of the daily series, P = 12
  const s = summarizeBacktest(a, { basis: 'rebalance' });
  assert.equal(s.periodsPerYear, 12);
  close(s.values.totalReturn, summarizeBacktest(a).values.totalReturn);
});

test('cost sensitivity reruns at 0, 10, 20, 50 bps: CAGR falls, cost drag rises, 0 at 0 bps', () => {
  const closeP = randomCloses(8, 700, 6);
  const cal = rebalanceCalendar(closeP.dates, { frequency: 'M', anchor: 'end' });
  const weights = cal.dates.map((date, k) => ({ date, weights: { [closeP.assets[k % 6]]: 0.5, [closeP.assets[(k + 1) % 6]]: 0.5 } }));
  const cs = costSensitivity({ close: closeP, weights, rebalance: cal });
  assert.deepEqual(cs.rows.map((r) => r.costBps), [0, 10, 20, 50]);
  assert.equal(cs.rows[0].costDrag, 0);
  for (let k = 1; k < 4; k++) {
    assert.ok(cs.rows[k].cagr < cs.rows[k - 1].cagr);
    assert.ok(cs.rows[k].costDrag > cs.rows[k - 1].costDrag);
  }
  assert.ok(cs.rows[0].turnover > 0);
});

test('a bare rebalance date list is refused: its periods per year must be stated (BT_REBALANCE_NO_PERIODS)', () => {
  const closeP = randomCloses(5, 80, 3);
  const d = closeP.dates[0];
  const e = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: 1 } }], rebalance: [d] }), 'BT_REBALANCE_NO_PERIODS');
  assert.match(e.fix, /periodsPerYear/);
  throwsCode(() => runBacktest({ close: closeP, weights: [{ date: d, weights: { I01: 1 } }], rebalance: { dates: [d], periodsPerYear: 0 } }), 'METRIC_BAD_PERIODS_PER_YEAR');
});
