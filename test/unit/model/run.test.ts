/**
 * runModel / scoreModel on a small simulated market: the default spec equals the model assembled
 * by hand from the library pieces; every calendar is annualized with its own periods per year (a
 * daily-basis computation agrees for monthly, bi-monthly and quarterly rebalancing); walk-forward
 * selection reads no future IC; data-dependent spec errors are named.
 * Run: node --import tsx --test test/unit/model/run.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { createPanel } from '../../../src/panel/panel.js';
import { icByFactor } from '../../../src/evaluate/crossSection.js';
import { icirWeights } from '../../../src/combine/weights.js';
import { compositeScore } from '../../../src/combine/composite.js';
import { scoreAllocator } from '../../../src/portfolio/weights.js';
import { walkAllocator } from '../../../src/portfolio/walk.js';
import { runBacktest } from '../../../src/backtest/engine.js';
import { summarizeBacktest } from '../../../src/backtest/summary.js';
import { alignedFactors } from '../../../src/model/evidence.js';
import { modelContext, scoredDates, walkWeights } from '../../../src/model/context.js';
import { modelScore, scoreModel } from '../../../src/model/score.js';
import { runModel } from '../../../src/model/run.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { variantOf, type ModelSpec } from '../../../src/model/spec.js';
import { throwsCode } from '../assertions.js';

const ds = simulateMarket({ seed: 3, nStocks: 300, years: 8 }).dataset;
const ctx = modelContext(ds);
const spec = loadModelSpec('models/default.json');

test('the default spec is the model assembled by hand: ICIR composite of every factor, top-5 walk, monthly backtest at 10 bps', () => {
  const study = ctx.study('M');
  const names = [...study.batch.results.keys()];
  const aligned = alignedFactors(study, names);
  const ics = icByFactor(aligned, study.forward, 1, { method: 'rank' });
  const score = compositeScore(aligned, icirWeights(ics, { horizon: 1, window: 'expanding', minObservations: 12 })).panel;
  const dates = scoredDates(score, 5);
  const walk = walkAllocator(scoreAllocator({ method: 'top-k', k: 5 }), { returns: ctx.returns, rebalanceDates: dates, scores: score, industries: ctx.available });
  const bt = runBacktest({ name: 'hand', close: ds.industryBars.close, weights: walkWeights(walk, ds.industries.map((i) => i.code)), rebalance: { dates, periodsPerYear: 12 }, costBps: 10 });
  const run = runModel(spec, ctx);
  assert.deepEqual(Array.from(run.score.score.values), Array.from(score.values));
  assert.deepEqual(run.rebalance.dates, dates);
  assert.deepEqual(Array.from(run.backtest.returns), Array.from(bt.returns));
  assert.equal(run.windows.length, 3);
  assert.deepEqual(run.windows.map((w) => w.window), ['whole', 'in-sample', 'out-of-sample']);
  assert.ok(run.windows[1].last <= spec.split && run.windows[2].first >= spec.split);
});

/** CAGR and annual one-way turnover of a backtest from its DAILY series and elapsed calendar time. */
function dailyBasis(bt: ReturnType<typeof runBacktest>): { excessCagr: number; turnover: number } {
  let w = 1, b = 1;
  bt.returns.forEach((r, t) => { w *= 1 + r; b *= 1 + bt.benchmarkReturns[t]; });
  const years = (Date.parse(bt.dates[bt.dates.length - 1]) - Date.parse(bt.originDate)) / (365.25 * 86_400_000);
  const traded = bt.rebalances.filter((r) => !r.initial).reduce((s, r) => s + r.turnover, 0);
  return { excessCagr: w ** (1 / years) - b ** (1 / years), turnover: traded / years };
}

test('annualization follows the calendar: monthly, every other month and quarterly agree with a daily-basis computation', () => {
  for (const every of [1, 2, 3]) {
    const v: ModelSpec = variantOf(spec, { name: `every ${every}`, calendar: { ...spec.calendar, every } });
    const run = runModel(v, ctx);
    assert.equal(run.rebalance.periodsPerYear, 12 / every);
    assert.equal(run.backtest.rebalancePeriodsPerYear, 12 / every);
    const s = summarizeBacktest(run.backtest, { basis: 'rebalance' }).values;
    const d = dailyBasis(run.backtest);
    assert.ok(Math.abs(s.excessCagr - d.excessCagr) < 0.004, `every ${every}: excess CAGR ${s.excessCagr} (rebalance basis) vs ${d.excessCagr} (daily basis)`);
    assert.ok(Math.abs(s.turnover / d.turnover - 1) < 0.05, `every ${every}: turnover ${s.turnover} vs ${d.turnover}`);
  }
  // the defect this pins: the same every-other-month weights annualized as if monthly disagree
  const bi = runModel(variantOf(spec, { calendar: { ...spec.calendar, every: 2 } }), ctx);
  const wrong = runBacktest({ close: ds.industryBars.close, weights: bi.weights, rebalance: { dates: bi.rebalance.dates, periodsPerYear: 12 }, costBps: 10 });
  const sw = summarizeBacktest(wrong, { basis: 'rebalance' }).values, d = dailyBasis(bi.backtest);
  assert.ok(Math.abs(sw.turnover / d.turnover - 2) < 0.1, `monthly-annualized bi-monthly turnover is about twice the truth: ${sw.turnover} vs ${d.turnover}`);
});

test('walk-forward selection uses only ICs known at each date: changing the data after t leaves the selection and scores up to t unchanged', () => {
  const wf = variantOf(spec, { name: 'walk-forward 3', selection: { rule: 'walk-forward', k: 3, minRankIcir: 0, minObservations: 12, window: 'expanding' } });
  const m = modelScore(wf, ctx);
  const sel = m.selection!;
  const K = sel.factors.length, T = sel.dates.length;
  for (let t = 0; t < T; t++) assert.ok(sel.count[t] <= 3);
  assert.ok(sel.count.some((c) => c === 3), 'some dates select 3 factors');
  // perturb every close after the cut: everything dated at or before the cut must be unchanged
  const cut = sel.dates[Math.floor(T * 0.6)];
  const close = ds.industryBars.close, N = close.assets.length;
  const v = Float64Array.from(close.values);
  close.dates.forEach((d, t) => { if (d > cut) for (let i = 0; i < N; i++) v[t * N + i] *= 1 + 0.3 * Math.sin(7 * t + i); });
  const perturbed = { ...ds, industryBars: { ...ds.industryBars, close: createPanel(close.dates, close.assets, v) } };
  const m2 = modelScore(wf, modelContext(perturbed));
  const tc = sel.dates.indexOf(cut);
  // ICs dated s are known at s + 1, and the factors themselves read closes up to t
  assert.deepEqual(Array.from(m2.selection!.selected.subarray(0, (tc + 1) * K)), Array.from(sel.selected.subarray(0, (tc + 1) * K)));
  const S = m.score.assets.length;
  assert.deepEqual(Array.from(m2.score.values.subarray(0, (tc + 1) * S)), Array.from(m.score.values.subarray(0, (tc + 1) * S)));
  assert.notDeepEqual(Array.from(m2.score.values.subarray((tc + 2) * S)), Array.from(m.score.values.subarray((tc + 2) * S)));
});

test('scoreModel ranks industries at a scored date; data-dependent spec errors are named', () => {
  const rows = scoreModel(spec, ctx, 'latest');
  assert.equal(rows.length, ds.industries.length);
  assert.deepEqual(rows.slice(0, 3).map((r) => r.rank), [1, 2, 3]);
  assert.ok(rows[0].score >= rows[1].score);
  throwsCode(() => scoreModel(spec, ctx, ds.calendar[0]), 'MODEL_NOT_SCORED');
  throwsCode(() => scoreModel(spec, ctx, '2019/12/31'), 'MODEL_BAD_DATE');
  throwsCode(() => runModel(variantOf(spec, { allocator: { name: 'top-k', k: ds.industries.length + 1 } }), ctx), 'MODEL_K_EXCEEDS_UNIVERSE');
  throwsCode(() => runModel(variantOf(spec, { split: '2040-12-31' }), ctx), 'MODEL_SPLIT_OUTSIDE_DATA');
  throwsCode(() => runModel(variantOf(spec, { split: '2001-12-31' }), ctx), 'MODEL_SPLIT_OUTSIDE_DATA');
  throwsCode(() => runModel(variantOf(spec, { allocator: { name: 'mean-variance', covariance: 'sample', caps: 0.3 } }), ctx), 'MODEL_NEEDS_SOLVER');
  const noValuation = variantOf(spec, { factors: [{ id: 'mom_12_1' }, { id: 'ep_pct_5y' }] });
  const e = throwsCode(() => runModel(noValuation, ctx), 'MODEL_FACTOR_UNAVAILABLE');
  assert.deepEqual(e.where.factors, ['ep_pct_5y']);
});
