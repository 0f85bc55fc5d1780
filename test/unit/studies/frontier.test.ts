/**
 * The turnover frontier: one-way budgets are run as two-sided spec budgets (2b) and the realized
 * per-rebalance turnover respects them; buffer 0 and the default optimizer budget reproduce the
 * house specs' runs exactly; the in-sample choice rule (ties at 2 decimals to the lower budget)
 * and its out-of-sample check on hand-made frontiers; bad budgets are named errors; the chart.
 * Run: node --import tsx --test test/unit/studies/frontier.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { modelContext } from '../../../src/model/context.js';
import { runModel } from '../../../src/model/run.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { loadSolver } from '../../../src/portfolio/optimizer.js';
import { budgetChoice, checkOneWayBudget, frontierRows, turnoverFrontier, type FrontierPoint, type TurnoverFrontier } from '../../../src/studies/frontier.js';
import { frontierChart } from '../../../src/report/frontierFigures.js';
import { throwsCode } from '../assertions.js';

const optimizer = loadModelSpec('models/optimizer.json'), topK = loadModelSpec('models/default.json');

test('bad budgets: <= 0 is below the minimum feasible, > 1 or not a number is a bad budget', () => {
  throwsCode(() => checkOneWayBudget(0), 'FRONTIER_BUDGET_BELOW_MINIMUM');
  throwsCode(() => checkOneWayBudget(-0.1), 'FRONTIER_BUDGET_BELOW_MINIMUM');
  throwsCode(() => checkOneWayBudget(1.5), 'FRONTIER_BAD_BUDGET');
  throwsCode(() => checkOneWayBudget(NaN), 'FRONTIER_BAD_BUDGET');
  checkOneWayBudget(0.05);
});

test('the sweep on the simulator: budgets respected, the default budget and buffer 0 equal the house runs, baselines as points', async () => {
  const ds = simulateMarket({ seed: 3, nStocks: 300, years: 8 }).dataset;
  const ctx = modelContext(ds, { solver: await loadSolver() });
  const ew = loadModelSpec('models/baselines/equal_weight.json');
  throwsCode(() => turnoverFrontier(ctx, { optimizer: topK, topK }), 'FRONTIER_BAD_SPEC');
  throwsCode(() => turnoverFrontier(ctx, { optimizer, topK, budgets: [0] }), 'FRONTIER_BUDGET_BELOW_MINIMUM');
  throwsCode(() => turnoverFrontier(ctx, { optimizer, topK, buffers: [1.5] }), 'FRONTIER_BAD_BUFFER');
  const f = turnoverFrontier(ctx, { optimizer, topK, baselines: [ew], budgets: [0.05, 0.3, 1], buffers: [0, 3] });
  assert.equal(f.points.length, 6);
  assert.deepEqual(f.points.map((p) => p.family), ['turnover budget', 'turnover budget', 'turnover budget', 'holding buffer', 'holding buffer', 'baseline']);
  // one-way b runs as the two-sided spec budget 2b, and every non-relaxed rebalance stays within it
  [0.05, 0.3, 1].forEach((b, j) => {
    const run = f.runs[j];
    assert.equal(run.spec.allocator.name === 'score-optimizer' && run.spec.allocator.turnoverBudget, 2 * b);
    run.walk.diagnostics.forEach((d, k) => {
      if (k > 0 && !d.relaxed.some((r) => r.constraint === 'turnover-budget')) assert.ok(run.walk.turnover[k] <= 2 * b + 1e-7, `${run.walk.dates[k]}: ${run.walk.turnover[k]} > ${2 * b}`);
    });
  });
  assert.ok(f.points[0].turnover < f.points[2].turnover, 'a 5% budget trades less than a 100% one');
  // 30% one-way = the optimizer spec's 0.6 two-sided: the same run as the house spec on the same window
  const house = runModel(optimizer, ctx, { start: f.start });
  assert.equal(f.points[1].excess, house.windows[0].summary.values.arithmeticExcess);
  assert.equal(f.points[1].turnover, house.windows[0].summary.values.turnover);
  const top = runModel(topK, ctx, { start: f.start });
  assert.equal(f.points[3].excess, top.windows[0].summary.values.arithmeticExcess);
  assert.ok(f.points[4].turnover < f.points[3].turnover, 'buffer 3 trades less than buffer 0');
  assert.equal(frontierRows(f).length, 6);
  const fig = frontierChart(f.points);
  assert.equal(fig.data.length, 3);
  assert.deepEqual(fig.data[0].x, [...f.points.slice(0, 3)].sort((a, b) => a.turnover - b.turnover).map((p) => p.turnover));
});

function frontierOf(isIr: number[], oosIr: number[]): TurnoverFrontier {
  const budgets = [0.1, 0.3, 0.6];
  const points: FrontierPoint[] = budgets.map((b, i) => ({ family: 'turnover budget', label: `budget ${b}`, parameter: b, spec: 'x', turnover: b * 12, excess: 0, ir: 0, isIr: isIr[i], oosIr: oosIr[i], oosExcess: 0, relaxedDates: 0 }));
  return { start: '2010-01-29', split: '2019-12-31', costBps: 10, points, runs: [] };
}

test('choice rule: highest in-sample IR, ties at 2 decimals to the lower budget; held when its OOS IR >= the default\'s', () => {
  const c = budgetChoice(frontierOf([0.30, 0.304, 0.2], [0.5, 0.4, 0.9]), optimizer);
  assert.equal(c.chosen, 0.1);
  assert.equal(c.defaultBudget, 0.3);
  assert.equal(c.held, true);
  assert.match(c.sentence, /10% one-way budget \(IS IR 0\.30 vs 0\.30 for the default 30%\); out of sample it has IR 0\.50 against the default's 0\.40: the choice held/);
  const d = budgetChoice(frontierOf([0.1, 0.2, 0.5], [0.5, 0.4, 0.1]), optimizer);
  assert.equal(d.chosen, 0.6);
  assert.equal(d.held, false);
  assert.match(d.sentence, /did not hold out of sample, so the default spec keeps its budget/);
  const e = budgetChoice(frontierOf([0.1, 0.7, 0.5], [0.5, 0.4, 0.1]), optimizer);
  assert.equal(e.chosen, 0.3);
  assert.match(e.sentence, /picks the default budget itself/);
  const f = frontierOf([0.1, 0.7, 0.5], [0.5, 0.4, 0.1]);
  f.points.splice(1, 1);
  throwsCode(() => budgetChoice(f, optimizer), 'FRONTIER_DEFAULT_NOT_SWEPT');
});
