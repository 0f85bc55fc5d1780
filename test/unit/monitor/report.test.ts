/**
 * Monitor report and static-vs-dynamic weighting: hand cases, no look-ahead, named errors, and on
 * the default simulator the switched-off factor is detected through the report.
 * Run: node --import tsx --test test/unit/monitor/report.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IcByDate } from '../../../src/evaluate/ic.js';
import type { FactorStudy } from '../../../src/model/evidence.js';
import { factorStudy } from '../../../src/model/evidence.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { createRng } from '../../../src/random.js';
import { alertHistory } from '../../../src/monitor/alerts.js';
import { healthHistory } from '../../../src/monitor/health.js';
import {
  alertRows, alertSummary, detectionLag, firstFlags, healthCountRows, monitorIcs, monitorReport, monitorReportFromIcs, rollingAsOf,
} from '../../../src/monitor/report.js';
import { factorWeightPath, weightingComparison, weightingRowsAfter, weightingSchedules, weightSummary } from '../../../src/studies/monitoring.js';
import { availableIndustries, dailyReturns, modelContext, scoredDates, walkWeights } from '../../../src/model/context.js';
import { modelScore } from '../../../src/model/score.js';
import { backtestModelWeights } from '../../../src/model/run.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { variantOf } from '../../../src/model/spec.js';
import { scoreAllocator } from '../../../src/portfolio/weights.js';
import { walkAllocator } from '../../../src/portfolio/walk.js';
import { comparisonRows, splitRows } from '../../../src/studies/validation.js';
import { throwsCode } from '../assertions.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }
function series(values: readonly number[]): IcByDate {
  const dates = values.map((_, t) => `${2000 + Math.floor(t / 12)}-${String(1 + (t % 12)).padStart(2, '0')}-28`);
  return { dates, ic: Float64Array.from(values), n: new Int32Array(values.length).fill(30), skipped: { 'too-few-pairs': 0, 'zero-variance': 0 } };
}

// A small simulated market (4 years, 1M forward returns only) shared by the study-level tests.
const small = simulateMarket({ nStocks: 300, years: 4, seed: 3 }).dataset;
const smallStudy = factorStudy(small, [1]);
/** Rules under which no alert can fire: mean_S >= -1 always; a long window longer than the history is always in warm-up. */
const SILENT = { lowIc: -1, longWindow: 100000 };

describe('monitorReportFromIcs by hand', () => {
  // 12 good ICs then 4 negative; short 2, long 4 (the hand case of monitor.test.ts): low-ic at 14 and 15, sign-flip at 15.
  const v = [0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, -0.1, -0.2, -0.1, -0.2];
  const good = v.map((_, i) => 0.1 + (i % 2) * 0.05);
  // memoryless rules (no effect band, no confirmation: alerts.ts), so the hand case reads off each date
  const rules = { shortWindow: 2, longWindow: 4, lowIc: 0, minT: 1, significantT: 1e9, minEffect: 0, tBand: 0, confirm: 1 };
  const ics = { f: series(v), g: series(good) };
  const d = series(v).dates;

  it('health, counts, alerts and rolling rows at the last date, in stable orders', () => {
    const r = monitorReportFromIcs(ics, { rules, windows: [2, 4], dataset: 'hand' });
    assert.equal(r.asOf, d[15]);
    assert.deepEqual(r.health.map((h) => [h.factor, h.status]), [['f', 'failed'], ['g', 'healthy']]);
    assert.deepEqual(r.counts, { healthy: 1, weakening: 0, failed: 1, stale: 0, warmup: 0 });
    assert.deepEqual(healthCountRows(r), [{ status: 'healthy', factors: 1 }, { status: 'weakening', factors: 0 }, { status: 'failed', factors: 1 },
      { status: 'stale', factors: 0 }, { status: 'warmup', factors: 0 }]);
    // alerts are listed on the date they were raised: low-ic at 14 (still raised at 15), sign-flip at 15
    assert.deepEqual(r.alerts.map((a) => `${a.date}:${a.factor}:${a.alert}`), [`${d[14]}:f:low-ic`, `${d[15]}:f:sign-flip`]);
    assert.deepEqual(alertSummary(r).map((s) => [s.factor, s['low-ic'], s['sign-flip'], s['t-stat-drop'], s.first, s.last]), [['f', 1, 1, 0, d[14], d[15]], ['g', 0, 0, 0, '', '']]);
    assert.deepEqual(alertRows(r, { from: d[15] }).length, 1);
    // rolling: factor, window, date order; 2 factors x 2 windows x 16 dates
    assert.equal(r.rolling.length, 2 * 2 * 16);
    assert.deepEqual(r.rolling.slice(0, 17).map((x) => `${x.factor}/${x.window}`), [...new Array(16).fill('f/2'), 'f/4']);
    // t = 15, window 2: ICs 13,14 = {-0.2, -0.1} -> mean -0.15
    const last = rollingAsOf(r);
    assert.equal(last.length, 2);
    ok(Math.abs((last[0]['meanIc 2'] as number) + 0.15) < 1e-12);
    assert.deepEqual(r.history.status.f.slice(12), ['healthy', 'healthy', 'weakening', 'failed']);
    // detection of the break at d[12]: flagged at 14 (lag 2), failed at 15 (lag 3), nothing before
    const det = detectionLag(r, 'f', d[12]);
    assert.deepEqual([det.firstFlagged, det.lagFlagged, det.firstFailed, det.lagFailed, det.flaggedBefore, det.statusAsOf], [d[14], 2, d[15], 3, 0, 'failed']);
    assert.ok(Number.isNaN(detectionLag(r, 'g', d[0]).lagFlagged));
    assert.deepEqual(firstFlags(r).map((x) => x.firstFlagged), [d[14], '']);
  });

  it('a report as of an earlier date is the full history cut at that date', () => {
    const full = monitorReportFromIcs(ics, { rules, windows: [2, 4] });
    const early = monitorReportFromIcs(ics, { rules, windows: [2, 4], asOf: d[14] });
    assert.equal(early.asOf, d[14]);
    assert.deepEqual(early.history.dates, d.slice(0, 15));
    assert.deepEqual(early.alerts, full.alerts.filter((a) => a.date <= d[14]));
    assert.deepEqual(early.rolling, full.rolling.filter((x) => x.date <= d[14]));
    assert.deepEqual(early.health.map((h) => h.status), ['weakening', 'healthy']);
  });

  it('no look-ahead: ICs dated after asOf change nothing', () => {
    const t = 13;
    const w = v.slice(); for (let i = t + 1; i < w.length; i++) w[i] = 0.9 * (i % 2 ? 1 : -1);
    const a = monitorReportFromIcs(ics, { rules, asOf: d[t] });
    const b = monitorReportFromIcs({ f: series(w), g: series(good) }, { rules, asOf: d[t] });
    assert.deepEqual(a, b);
    // and the library it builds on agrees with the cut report
    assert.deepEqual(a.alerts, alertHistory(ics, { ...rules }).filter((x) => x.date <= d[t]));
    assert.deepEqual(a.history.status.f, healthHistory(ics, rules).f.slice(0, t + 1));
  });

  it('a factor whose ICs stop is stale, not healthy, once its short window empties', () => {
    // 20 good ICs, then missing: short window 4 needs 3 ICs; expanding needs 12
    const stop = new Array(26).fill(0).map((_, i) => (i < 20 ? 0.1 + (i % 2) * 0.05 : NaN));
    const r = monitorReportFromIcs({ s: series(stop) }, { rules: { shortWindow: 4, longWindow: 8, lowIc: 0, significantT: 1e9 } });
    // t = 21: short W = {17..20} has 3 ICs (ok); t = 22: {18..21} has 2 -> stale
    assert.deepEqual(r.history.status.s.slice(19), ['healthy', 'healthy', 'healthy', 'stale', 'stale', 'stale', 'stale']);
    assert.equal(r.health[0].status, 'stale');
    assert.equal(r.health[0].reasons, 'stale: 0 of the last 4 ICs');
    assert.equal(r.counts.stale, 1);
  });

  it('bad inputs are named errors', () => {
    const e = throwsCode(() => monitorReportFromIcs(ics, { asOf: '2000-02-15' }), 'MONITOR_UNKNOWN_DATE');
    assert.equal(e.where.previous, d[0]); assert.equal(e.where.next, d[1]);
    throwsCode(() => monitorReportFromIcs({}), 'MONITOR_NO_FACTORS');
    throwsCode(() => monitorReportFromIcs({ f: series(v), g: series(good.slice(0, 10)) }), 'MONITOR_BAD_IC_SERIES');
    throwsCode(() => monitorReportFromIcs(ics, { rules: { horizon: 2 } }), 'MONITOR_BAD_ARGUMENT');
    throwsCode(() => monitorReportFromIcs(ics, { rules: { lowIc: NaN } }), 'MONITOR_BAD_ARGUMENT');
    throwsCode(() => monitorReportFromIcs(ics, { windows: [1] }), 'MONITOR_BAD_ARGUMENT');
    const r = monitorReportFromIcs(ics, { rules, asOf: d[10] });
    throwsCode(() => detectionLag(r, 'f', d[11]), 'MONITOR_UNKNOWN_DATE');
    throwsCode(() => detectionLag(r, 'nope', d[0]), 'MONITOR_UNKNOWN_FACTOR');
  });
});

/** `study` with the price level of the forward returns perturbed (seeded) on rows > t: every IC dated >= t changes. */
function perturbedAfter(study: FactorStudy, t: number, seed: number): FactorStudy {
  const N = study.forward.assets.length, level = Float64Array.from(study.forward.level), rng = createRng(seed);
  for (let s = t + 1; s < study.forward.dates.length; s++) {
    for (let i = 0; i < N; i++) level[s * N + i] *= Math.exp(0.2 * (rng.uniform() - 0.5));
  }
  return { ...study, forward: { ...study.forward, level } };
}

describe('monitorReport and weightingSchedules on a factor study', () => {
  it('look-ahead: perturbing returns after t leaves the report at t and the weights and scores up to t unchanged', () => {
    const t = 30, asOf = smallStudy.dates[t];
    const other = perturbedAfter(smallStudy, t, 11);
    assert.deepEqual(monitorReport(smallStudy, { asOf }), monitorReport(other, { asOf }));
    // the perturbation does reach the ICs known later
    assert.notDeepEqual(monitorReport(smallStudy).rolling, monitorReport(other).rolling);
    const a = weightingSchedules(smallStudy), b = weightingSchedules(other);
    const K = a.factors.length, N = a.dynamicScore.assets.length;
    assert.deepEqual(Array.from(a.dynamic.weights.slice(0, K * (t + 1))), Array.from(b.dynamic.weights.slice(0, K * (t + 1))));
    assert.deepEqual(Array.from(a.static.weights.slice(0, K * (t + 1))), Array.from(b.static.weights.slice(0, K * (t + 1))));
    assert.deepEqual(Array.from(a.dynamicScore.values.slice(0, N * (t + 1))), Array.from(b.dynamicScore.values.slice(0, N * (t + 1))));
    assert.notDeepEqual(Array.from(a.dynamic.weights), Array.from(b.dynamic.weights));
  });

  it('monitorIcs and report errors: empty study, unknown factor, unknown as-of date', () => {
    const empty: FactorStudy = { ...smallStudy, batch: { ...smallStudy.batch, results: new Map() } };
    throwsCode(() => monitorReport(empty), 'MONITOR_NO_FACTORS');
    throwsCode(() => monitorReport(smallStudy, { factors: [] }), 'MONITOR_NO_FACTORS');
    throwsCode(() => monitorIcs(smallStudy, { factors: ['mom_12_1', 'no_such_factor'] }), 'MONITOR_UNKNOWN_FACTOR');
    throwsCode(() => monitorReport(smallStudy, { asOf: '2016-02-15' }), 'MONITOR_UNKNOWN_DATE');
    throwsCode(() => weightingComparison(small, empty), 'MONITOR_NO_FACTORS');
    throwsCode(() => weightingSchedules(smallStudy, { factors: ['nope'] }), 'MONITOR_UNKNOWN_FACTOR');
    throwsCode(() => weightingSchedules(smallStudy, { weakeningShrink: 1.5 }), 'MONITOR_BAD_ARGUMENT');
  });
});

describe('weightingComparison', () => {
  it('no factor ever weakening or failed: dynamic = static weights, scores and backtests, exactly', () => {
    const c = weightingComparison(small, smallStudy, { rules: SILENT });
    for (const f of c.factors) ok(c.health[f].every((s) => s !== 'weakening' && s !== 'failed'), `${f} never flagged`);
    assert.deepEqual(Array.from(c.dynamic.weights), Array.from(c.static.weights));
    assert.deepEqual(Array.from(c.dynamicScore.values), Array.from(c.staticScore.values));
    assert.deepEqual(c.runs.map((r) => r.name), ['model: top-5 (static ICIR)', 'model: top-5 (dynamic)']);
    assert.deepEqual(Array.from(c.backtests[1].returns), Array.from(c.backtests[0].returns));
    const strip = (r: Record<string, string | number>) => { const { strategy: _s, weighting: _w, ...m } = r; return m; };
    assert.deepEqual(strip(c.rows[1]), strip(c.rows[0]));
    assert.equal(c.droppedDates.length, 0);
    const after = weightingRowsAfter(c, c.dates[20]);
    assert.equal(after.length, 2);
    assert.deepEqual(strip(after[1]), strip(after[0]));
  });

  it('the static arm is the model of notebooks 04/05: the default spec\'s composite, top-5 walk, engine backtest', () => {
    // memoryless alert rules (no effect band, no confirmation): on this 4-year market no factor fails under the
    // defaults, and the test needs a failed factor to check its zero weight; the static arm ignores the rules
    const c = weightingComparison(small, smallStudy, { rules: { minEffect: 0, tBand: 0, confirm: 1 } });
    const spec = loadModelSpec('models/default.json');
    const score = modelScore(spec, modelContext(small, { study: smallStudy })).score;
    assert.deepEqual(Array.from(c.staticScore.values), Array.from(score.values));
    const dates = scoredDates(score);
    assert.deepEqual(c.dates, dates);
    const walk = walkAllocator(scoreAllocator({ method: 'top-k', k: 5 }), { returns: dailyReturns(small.industryBars.close), rebalanceDates: dates, scores: score, industries: availableIndustries(small) });
    const bt = backtestModelWeights(variantOf(spec, { name: 'model: top-5 (static ICIR)' }), small, walkWeights(walk, small.industries.map((i) => i.code)), { dates, periodsPerYear: 12 });
    assert.deepEqual(c.rows[0], { strategy: 'model: top-5 (static ICIR)', allocator: 'model: top-5', weighting: 'static', ...(({ strategy: _s, ...m }) => m)(comparisonRows([bt])[0]) });
    // the dynamic arm differs (some factor is flagged on this market), and its failed factors weigh 0
    ok(c.factors.some((f) => c.health[f].includes('failed')), 'some factor fails');
    for (const f of c.factors) {
      const w = factorWeightPath(c.dynamic, f);
      c.health[f].forEach((s, t) => { if (s === 'failed' && !Number.isNaN(w[t])) assert.equal(w[t], 0); });
    }
    // rows after a split = splitRows' out-of-sample rows
    const split = c.dates[24];
    const oos = splitRows(c.backtests, split).filter((r) => String(r.sample).startsWith('out-of-sample')).map(({ sample: _x, ...m }) => m);
    assert.deepEqual(weightingRowsAfter(c, split).map(({ allocator: _a, weighting: _w, ...m }) => m), oos);
    const s = weightSummary(c, c.factors[0]);
    assert.equal(s.dates, c.static.dates.filter((_, t) => !Number.isNaN(c.static.weights[t * c.factors.length])).length);
  });
});

describe('default simulator (seed 7)', () => {
  it('the report flags the switched-off factor after the switch, not before; mom_12_1 healthy at the end', () => {
    const sim = simulateMarket({ seed: 7 });
    const r = monitorReport(factorStudy(sim.dataset, [1]), { factors: ['crowding_volume_z', 'mom_12_1'] });
    const det = detectionLag(r, 'crowding_volume_z', sim.truth.switchOff.date);
    assert.equal(det.flaggedBefore, 0);
    ok(det.lagFlagged >= 0 && det.lagFlagged <= 24, `flagged within 24 months, lag ${det.lagFlagged}`);
    assert.equal(det.statusAsOf, 'failed');
    assert.deepEqual(r.health.map((h) => [h.factor, h.status]), [['crowding_volume_z', 'failed'], ['mom_12_1', 'healthy']]);
  });
});
