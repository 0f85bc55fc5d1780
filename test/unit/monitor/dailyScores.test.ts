/**
 * Daily score history: the ranks of the last N trading days equal the one-day scores; the history
 * reaches back to the last rebalance; rank moves since the rebalance are rank_then − rank_now.
 * Run: node --import tsx --test test/unit/monitor/dailyScores.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { modelContext } from '../../../src/model/context.js';
import { modelScore, scoreModel } from '../../../src/model/score.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { dailyHistoryRows, dailyScoreHistory, rankMovesSinceRebalance } from '../../../src/monitor/dailyScores.js';
import { throwsCode } from '../assertions.js';

const ds = simulateMarket({ seed: 3, nStocks: 300, years: 8 }).dataset;
const ctx = modelContext(ds);
const spec = loadModelSpec('models/default.json');

test('history of the last days up to a mid-month day, from the last rebalance on; moves since the rebalance', () => {
  const m = modelScore(spec, ctx);
  const monthEnd = m.scored[m.scored.length - 3];
  const asOf = ds.calendar[ds.calendar.indexOf(monthEnd) + 12];
  const h = dailyScoreHistory(spec, ctx, asOf, 5);
  assert.equal(h.lastRebalance, monthEnd);
  assert.equal(h.dates[0], monthEnd, 'reaches back to the last rebalance');
  assert.equal(h.dates[h.dates.length - 1], asOf);
  assert.equal(h.dates.length, 13);
  // each day's rows equal the one-day score of that day
  for (const d of [h.dates[0], h.dates[6], asOf]) assert.deepEqual(h.rows[h.dates.indexOf(d)], scoreModel(spec, ctx, d));
  assert.equal(dailyHistoryRows(h).length, 13 * ds.industries.length);
  const moves = rankMovesSinceRebalance(h);
  const then = new Map(scoreModel(spec, ctx, monthEnd).map((r) => [r.industry, r.rank]));
  const now = new Map(scoreModel(spec, ctx, asOf).map((r) => [r.industry, r.rank]));
  for (const mv of moves) assert.equal(mv.change, then.get(mv.industry)! - now.get(mv.industry)!);
  for (let i = 1; i < moves.length; i++) assert.ok(Math.abs(moves[i - 1].change) >= Math.abs(moves[i].change) || Number.isNaN(moves[i].change));
  // a longer window than the month: 30 days back
  assert.equal(dailyScoreHistory(spec, ctx, asOf, 30).dates.length, 30);
  throwsCode(() => dailyScoreHistory(spec, ctx, asOf, 0), 'MONITOR_BAD_DAYS');
  throwsCode(() => dailyScoreHistory(spec, ctx, ds.calendar[3], 5), 'MONITOR_NO_REBALANCE');
});
