/**
 * The backtest gap policy by hand: missing closes of held industries are carried (return 0) up to
 * maxCarryDays, then the industry is suspended (weight frozen at a rebalance, not traded); every
 * carried / frozen held industry-day is counted in `gapLoss`; wealth identities hold over gaps;
 * nothing after a date changes the returns up to it; BT_RETURN_GAP only for what the policy
 * cannot cover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAP_REASONS, runBacktest } from '../../../src/backtest/engine.js';
import { createPanel } from '../../../src/panel/panel.js';
import type { TargetWeights } from '../../../src/backtest/types.js';
import { businessDays, close, panelOf, randomCloses } from './helpers.js';
import { throwsCode } from '../assertions.js';


const wealth = (r: ArrayLike<number>): number => { let w = 1; for (let t = 0; t < r.length; t++) w *= 1 + r[t]; return w; };

test('a 2-day gap in a held industry is carried (return 0), counted, and realized when it trades again', () => {
  const dates = businessDays('2024-01-01', 6);
  const closeP = panelOf(dates, ['A', 'B'], [[1, 1], [1.1, 1], [NaN, 1.1], [NaN, 1.2], [1.2, 1.1], [1.3, 1]]);
  const bt = runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 0.5, B: 0.5 } }], rebalance: { dates: [dates[0]], periodsPerYear: 12 } });
  // hand-worked: buy-and-hold 0.5/0.5 ends at 0.5·1.3/1 + 0.5·1/1 = 1.15 (the gap does not lose A's move)
  close(wealth(bt.returns), 1.15, 1e-12);
  // day 1: 0.5·0.1; day 2: A carried (0), B +10 % on weight 0.5/1.05
  close(bt.returns[0], 0.05);
  close(bt.returns[1], (0.5 / 1.05) * 0.1);
  // single-industry buy-and-hold over the gap: wealth = close_end / close_start exactly
  const solo = runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 1 } }], rebalance: { dates: [dates[0]], periodsPerYear: 12 } });
  close(wealth(solo.returns), 1.3, 1e-12);
  close(solo.returns[3], 1.2 / 1.1 - 1); // the resumption day realizes the move since the last close
  assert.equal(bt.gapLoss.rowsRead, 10); // 5 days x 2 held industries
  assert.equal(bt.gapLoss.dropped[GAP_REASONS.carried], 2);
  assert.equal(bt.gapLoss.dropped[GAP_REASONS.frozen], undefined);
  assert.equal(bt.gapLoss.rowsKept, 8);
  assert.deepEqual(bt.gapLoss.examples.map((e) => e.where.date), [dates[2], dates[3]]);
  assert.ok(bt.gapLoss.notes.some((n) => /1 held industry-day\(s\) resumed/.test(n)));
  assert.ok(bt.notes.some((n) => /gap policy: .*carried forward \(return 0\): 2/.test(n)));
});

test('beyond maxCarryDays the industry is suspended: its held weight is frozen at a rebalance and the other targets rescaled', () => {
  const dates = businessDays('2024-01-01', 6);
  const rows = [[1, 1, 1], [NaN, 1, 1], [NaN, 1, 1], [NaN, 1, 1], [2, 1, 1], [2, 1, 1]];
  const closeP = panelOf(dates, ['A', 'B', 'C'], rows);
  const weights: TargetWeights[] = [{ date: dates[0], weights: { A: 0.5, B: 0.5 } }, { date: dates[2], weights: { B: 0.5, C: 0.5 } }];
  const frozen = runBacktest({ close: closeP, weights, rebalance: { dates: [dates[0], dates[2]], periodsPerYear: 12 }, gapPolicy: { maxCarryDays: 1 } });
  // at d2 A is 2 days stale (> 1): cannot be sold; held 0.5 kept, B and C get 0.5·(1 − 0.5)/1 = 0.25 each
  assert.equal(frozen.rebalances.length, 2);
  close(frozen.rebalances[1].traded, 0.5);
  close(wealth(frozen.returns), 0.5 * 2 + 0.25 + 0.25, 1e-12);
  assert.equal(frozen.gapLoss.dropped[GAP_REASONS.carried], 1); // d1 (age 1)
  assert.equal(frozen.gapLoss.dropped[GAP_REASONS.frozen], 2); // d2, d3
  assert.equal(frozen.gapLoss.rowsRead, 2 + 2 + 3 + 3 + 3);
  assert.equal(frozen.gapLoss.rowsKept, 13 - 3);
  assert.ok(frozen.gapLoss.notes.some((n) => n.includes(`${dates[2]} A (target 0, held 0.5)`)));
  // within the carry limit (default 5) the stale industry is sold at its carried price: B and C only, flat
  const carried = runBacktest({ close: closeP, weights, rebalance: { dates: [dates[0], dates[2]], periodsPerYear: 12 } });
  close(carried.rebalances[1].traded, 1);
  close(wealth(carried.returns), 1, 1e-12);
  assert.equal(carried.gapLoss.dropped[GAP_REASONS.carried], 2);
  // next-open execution freezes the same way (A has no open or close on d3)
  const open = createPanel(dates, ['A', 'B', 'C'], Float64Array.from(rows.flat()));
  const nx = runBacktest({ close: closeP, open, execution: 'next-open', weights, rebalance: { dates: [dates[0], dates[2]], periodsPerYear: 12 }, gapPolicy: { maxCarryDays: 1 } });
  close(wealth(nx.returns), 1.5, 1e-12);
});

test('a target on a suspended industry that is not held is not bought; a whole target on suspended industries is BT_RETURN_GAP', () => {
  const dates = businessDays('2024-01-01', 5);
  const closeP = panelOf(dates, ['A', 'B'], [[1, 1], [1, NaN], [1.1, NaN], [1.2, NaN], [1.2, 2]]);
  const bt = runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 1 } }, { date: dates[2], weights: { A: 0.5, B: 0.5 } }],
    rebalance: { dates: [dates[0], dates[2]], periodsPerYear: 12 }, gapPolicy: { maxCarryDays: 0 } });
  // B suspended on d2: A takes the whole target (0.5 / 0.5 · 1), so wealth follows A: 1.2
  close(wealth(bt.returns), 1.2, 1e-12);
  assert.equal(bt.gapLoss.dropped[GAP_REASONS.frozen] ?? 0, 0); // B never held
  const e = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 1 } }, { date: dates[2], weights: { B: 1 } }],
    rebalance: { dates: [dates[0], dates[2]], periodsPerYear: 12 }, gapPolicy: { maxCarryDays: 0 } }), 'BT_RETURN_GAP');
  assert.deepEqual(e.where.dates, [dates[2]]);
  assert.match(String((e.where.cells as string[])[0]), /B \(whole target on suspended industries\)/);
});

test('an industry held before its first close is BT_RETURN_GAP naming the cells (no price to carry)', () => {
  const dates = businessDays('2024-01-01', 4);
  const closeP = panelOf(dates, ['A', 'B'], [[1, NaN], [1.1, NaN], [1.2, 5], [1.3, 5.5]]);
  const e = throwsCode(() => runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 0.5, B: 0.5 } }], rebalance: { dates: [dates[0]], periodsPerYear: 12 } }), 'BT_RETURN_GAP');
  assert.deepEqual(e.where.cells, [`${dates[1]} B`, `${dates[2]} B`]); // d2 is B's first close: no earlier close to measure a return from
  assert.match(e.message, /gap policy can cover/);
  throwsCode(() => runBacktest({ close: closeP, weights: [{ date: dates[0], weights: { A: 1 } }], rebalance: { dates: [dates[0]], periodsPerYear: 12 }, gapPolicy: { maxCarryDays: -1 } }), 'BT_BAD_GAP_POLICY');
});

test('no gap: the policy changes nothing (bit-identical to the strict engine) and counts every held day as kept', () => {
  const closeP = randomCloses(3, 200, 6);
  const cal = { dates: closeP.dates.filter((_, t) => t % 20 === 0 && t < 199), periodsPerYear: 12 };
  const weights = cal.dates.map((date, k) => ({ date, weights: { I01: 0.3, I02: 0.2 + 0.01 * k, I05: 0.5 - 0.01 * k } }));
  const a = runBacktest({ close: closeP, weights, rebalance: cal, costBps: 10 });
  const b = runBacktest({ close: closeP, weights, rebalance: cal, costBps: 10, gapPolicy: 'error' });
  assert.deepEqual(Array.from(a.returns), Array.from(b.returns));
  assert.equal(a.gapLoss.rowsRead, a.gapLoss.rowsKept);
  assert.equal(a.gapLoss.rowsRead, 3 * a.dates.length);
});

test('no look-ahead: changing closes after day m (gaps included) leaves the returns up to m unchanged', () => {
  const base = randomCloses(9, 160, 5);
  const N = 5;
  const v = Float64Array.from(base.values);
  for (let t = 30; t < 45; t++) v[t * N + 1] = NaN; // a 15-day suspension of I02
  for (let t = 70; t < 72; t++) v[t * N + 3] = NaN; // a 2-day gap in I04
  const p1 = createPanel(base.dates, base.assets, v);
  const cal = { dates: base.dates.filter((_, t) => t % 20 === 0 && t < 159), periodsPerYear: 12 };
  const weights = cal.dates.map((date) => ({ date, weights: { I01: 0.2, I02: 0.3, I03: 0.1, I04: 0.2, I05: 0.2 } }));
  const bt1 = runBacktest({ close: p1, weights, rebalance: cal, costBps: 5 });
  for (const m of [35, 50, 71, 100]) {
    const v2 = Float64Array.from(v);
    for (let t = m + 1; t < base.dates.length; t++) for (let i = 0; i < N; i++) v2[t * N + i] = i === 1 && t < 120 ? NaN : v2[t * N + i] * 1.7;
    const bt2 = runBacktest({ close: createPanel(base.dates, base.assets, v2), weights, rebalance: cal, costBps: 5 });
    const upTo = bt1.dates.indexOf(base.dates[m]);
    for (let k = 0; k <= upTo; k++) assert.equal(bt2.returns[k], bt1.returns[k], `day ${k} with the future changed after ${m}`);
  }
  assert.ok((bt1.gapLoss.dropped[GAP_REASONS.frozen] ?? 0) > 0);
  assert.ok((bt1.gapLoss.dropped[GAP_REASONS.carried] ?? 0) > 0);
  assert.equal(bt1.gapLoss.rowsRead, bt1.gapLoss.rowsKept + (bt1.gapLoss.dropped[GAP_REASONS.frozen] ?? 0) + (bt1.gapLoss.dropped[GAP_REASONS.carried] ?? 0));
});

test('an industry missing for 2 years (a suspended index) runs through: carried 5 days, then frozen until it trades again', () => {
  const T = 800, N = 3;
  const dates = businessDays('2020-01-01', T);
  const v = new Float64Array(T * N).fill(1);
  for (let t = 105; t < 600; t++) v[t * N + 1] = NaN; // B has no close for 495 trading days (~2 years)
  for (let t = 600; t < T; t++) v[t * N + 1] = 2; // and comes back at twice its last close
  const closeP = createPanel(dates, ['A', 'B', 'C'], v);
  // the allocator is offered only industries with a close on the date (as portfolio/study.ts does)
  const cal = { dates: dates.filter((_, t) => t % 20 === 0 && t < T - 1), periodsPerYear: 12 };
  const weights: TargetWeights[] = cal.dates.map((date) => {
    const t = dates.indexOf(date);
    const avail = ['A', 'B', 'C'].filter((_, i) => Number.isFinite(v[t * N + i]));
    return { date, weights: Object.fromEntries(avail.map((a) => [a, 1 / avail.length])) };
  });
  const bt = runBacktest({ close: closeP, weights, rebalance: cal });
  // A and C are flat; B's 1/3 is frozen through the gap and doubles on the day it trades again
  close(wealth(bt.returns), 4 / 3, 1e-12);
  close(bt.returns[599], 1 / 3, 1e-12);
  assert.equal(bt.gapLoss.dropped[GAP_REASONS.carried], 5);
  assert.equal(bt.gapLoss.dropped[GAP_REASONS.frozen], 490);
  // had the gap begun on a rebalance date, B (carried, still tradeable at its last close) would have been sold there
  const v2 = Float64Array.from(v);
  for (let t = 100; t < 105; t++) v2[t * N + 1] = NaN;
  const w2: TargetWeights[] = cal.dates.map((date) => {
    const t = dates.indexOf(date);
    const avail = ['A', 'B', 'C'].filter((_, i) => Number.isFinite(v2[t * N + i]));
    return { date, weights: Object.fromEntries(avail.map((a) => [a, 1 / avail.length])) };
  });
  const sold = runBacktest({ close: createPanel(dates, ['A', 'B', 'C'], v2), weights: w2, rebalance: cal });
  close(wealth(sold.returns), 1, 1e-12);
  assert.equal(sold.gapLoss.dropped[GAP_REASONS.frozen], undefined);
  assert.match(bt.gapLoss.notes.join(' '), /rebalance cell\(s\) on suspended industries: held weight frozen/);
  // the strict policy names the same gap
  throwsCode(() => runBacktest({ close: closeP, weights, rebalance: cal, gapPolicy: 'error' }), 'BT_RETURN_GAP');
});
