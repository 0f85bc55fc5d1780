/**
 * Hypotheses with verdicts: the verdict rule, Welch t, switch periods and the implemented rank IC
 * on hand-worked cases; the break-even cost zeroes the excess; the IC-window bootstrap's base is
 * the model's own top-k; the four hypotheses on the simulator give generated sentences that quote
 * their evidence.
 * Run: node --import tsx --test test/unit/studies/hypotheses.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { createPanel } from '../../../src/panel/panel.js';
import { modelContext } from '../../../src/model/context.js';
import { runModel } from '../../../src/model/run.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { runBacktest } from '../../../src/backtest/engine.js';
import { summarizeBacktest } from '../../../src/backtest/summary.js';
import { loadSolver } from '../../../src/portfolio/optimizer.js';
import { allocationStudy, houseSpecs } from '../../../src/studies/modeling.js';
import {
  breakEvenCost, hmmHypotheses, implementedRankIc, mvoHypotheses, switchPeriods, topKBootstrap, verdictOf, verdictRows, welchT,
} from '../../../src/studies/hypotheses.js';
import { throwsCode } from '../assertions.js';

test('verdict rule: claimed sign with |t| >= 2 supported, opposite sign with |t| >= 2 not supported, else inconclusive', () => {
  assert.equal(verdictOf(-0.1, -2.5, -1), 'supported');
  assert.equal(verdictOf(0.1, 2.5, -1), 'not supported');
  assert.equal(verdictOf(0.1, 1.99, 1), 'inconclusive');
  assert.equal(verdictOf(0.1, NaN, 1), 'inconclusive');
  assert.equal(verdictOf(0.1, 2, 1), 'supported');
});

test('Welch t, switch periods and the implemented rank IC, by hand', () => {
  // x̄ = 2, ȳ = 5.5, s²x = 1, s²y = 5/3: t = −3.5 / sqrt(1/3 + 5/12) = −3.5 / sqrt(0.75)
  assert.ok(Math.abs(welchT([1, 2, 3], [4, 5, 6, 7]) - -3.5 / Math.sqrt(0.75)) < 1e-12);
  assert.ok(Number.isNaN(welchT([1], [2, 3])));
  // switches at 3 (0→1), 6 (1→2), 8 (2→0); periods within ±1 of one: 2..9
  assert.deepEqual(Array.from(switchPeriods([-1, 0, 0, 1, 1, 1, 2, 2, 0, 0, 0, 0])), [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  const dates = ['2020-01-31', '2020-02-28', '2020-03-31'];
  const close = createPanel(dates, ['A', 'B', 'C'], Float64Array.from([10, 10, 10, 11, 10, 9, 11, 12, 9]));
  const ranking = createPanel(dates, ['A', 'B', 'C'], Float64Array.from([1, 2, 3, 3, 2, 1, 0, 0, 0]));
  // month 1: returns (.1, 0, −.1) against ranking (1, 2, 3): −1; month 2: returns (0, .2, 0), midranks (1.5, 3, 1.5) against (3, 2, 1): 0
  const ic = implementedRankIc(ranking, close, dates);
  assert.deepEqual(ic.dates, dates.slice(0, 2));
  assert.ok(Math.abs(ic.returns[0] + 1) < 1e-12 && Math.abs(ic.returns[1]) < 1e-12);
});

test('simulator: break-even cost, IC-window bootstrap, and the four hypotheses with generated sentences', async () => {
  const ds = simulateMarket({ seed: 3, nStocks: 300, years: 8 }).dataset;
  const solver = await loadSolver();
  const ctx = modelContext(ds, { solver });
  const spec = loadModelSpec('models/default.json');
  const run = runModel(spec, ctx);
  const be = breakEvenCost(ctx, run);
  const excessAt = (c: number) => summarizeBacktest(runBacktest({ name: 'x', close: ds.industryBars.close, weights: run.weights, rebalance: run.rebalance, costBps: c }), { basis: 'rebalance' }).values.arithmeticExcess;
  if (be > 0 && Number.isFinite(be)) {
    assert.ok(Math.abs(excessAt(be)) < 1e-6, `excess at the break-even ${be} bps is ${excessAt(be)}`);
    assert.ok(excessAt(be - 1) > 0 && excessAt(be + 1) < 0);
  } else assert.ok(be === 0 ? excessAt(0) <= 0 : excessAt(10000) > 0);

  const date = run.rebalance.dates[Math.floor(run.rebalance.dates.length / 2)];
  const boot = topKBootstrap(spec, ctx, date, { seed: 5, nBootstrap: 30 });
  const row = run.weights.dates.indexOf(date), N = run.weights.assets.length;
  boot.industries.forEach((c, i) => assert.equal(boot.base[i], run.weights.values[row * N + run.weights.assets.indexOf(c)], `base weight of ${c}`));
  assert.deepEqual(topKBootstrap(spec, ctx, date, { seed: 5, nBootstrap: 30 }), boot, 'seeded');
  assert.ok(boot.meanTurnoverVsBase >= 0 && boot.meanTurnoverVsBase <= 2);
  throwsCode(() => topKBootstrap(loadModelSpec('models/optimizer.json'), ctx, date, { seed: 5 }), 'HYP_MISSING_STRATEGY');

  const study = allocationStudy(ctx, houseSpecs());
  const hs = [...mvoHypotheses(ctx, study, { solver, label: 'sim', nBootstrap: 20 }), ...hmmHypotheses(ctx, study, { label: 'sim' })];
  assert.deepEqual(hs.map((h) => h.id), ['a1-turnover', 'a2-after-costs', 'b1-cross-section', 'b2-regime-switches']);
  for (const h of hs) {
    assert.ok(['supported', 'not supported', 'inconclusive'].includes(h.verdict));
    assert.ok(h.sentence.includes(`is ${h.verdict}`), h.sentence);
    assert.ok(h.evidence.length > 0);
  }
  // the sentence quotes the evidence: annual turnovers of the model and sample MVO
  const ev = hs[0].evidence;
  const to = (name: RegExp) => `${(100 * (ev.find((e) => name.test(String(e.strategy)))!['turnover (annual, one-way)'] as number)).toFixed(0)}%`;
  assert.ok(hs[0].sentence.includes(`turns over ${to(/top-5/)}/yr one-way against ${to(/MVO \(sample\)/)} for sample MVO`), hs[0].sentence);
  if ((ev[0]['turnover (annual, one-way)'] as number) > (ev.find((e) => /sample/.test(String(e.strategy)))!['turnover (annual, one-way)'] as number)) assert.equal(hs[0].verdict, 'not supported');
  assert.equal(verdictRows(hs).length, 4);
  const study2 = { ...study, runs: study.runs.filter((r) => r.run.spec.allocator.name !== 'hmm-regimes') };
  throwsCode(() => hmmHypotheses(ctx, study2), 'HYP_MISSING_STRATEGY');
});
