/**
 * Walk-forward: the callback sees only the history up to t (perturbing the future leaves earlier
 * decisions unchanged), rolling windows, extra panels, the declared split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import { rebalanceCalendar } from '../../../src/data/calendar.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { walkForward, splitBacktest, type WalkForwardContext } from '../../../src/backtest/walkForward.js';
import { randomCloses } from './helpers.js';

/** Top-2 by trailing 60-day return, equal weight; null before 61 rows of history. */
function momentum(ctx: WalkForwardContext): Float64Array | null {
  const c = ctx.history.close, T = c.dates.length, N = c.assets.length;
  if (T < 61) return null;
  const s = Array.from({ length: N }, (_, i) => c.values[(T - 1) * N + i] / c.values[(T - 61) * N + i] - 1);
  const top = s.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 2).map((x) => x[1]);
  const w = new Float64Array(N);
  for (const i of top) w[i] = 0.5;
  return w;
}

function perturbAfter(p: Panel, date: string): Panel {
  const N = p.assets.length;
  const v = p.values.slice();
  for (let t = 0; t < p.dates.length; t++) if (p.dates[t] > date) for (let i = 0; i < N; i++) v[t * N + i] *= 1 + 0.3 * Math.sin(7 * t + i);
  return createPanel(p.dates, p.assets, v);
}

test('the callback cannot see data after t: perturbing the future leaves earlier decisions unchanged', () => {
  const closeP = randomCloses(21, 500, 6);
  const cal = rebalanceCalendar(closeP.dates, { frequency: 'M', anchor: 'end' });
  const cut = cal.dates[10];
  const seen: string[] = [];
  const spy = (ctx: WalkForwardContext) => {
    const last = ctx.history.close.dates[ctx.history.close.dates.length - 1];
    assert.equal(last, ctx.date, 'history ends at t');
    assert.ok(ctx.history.close.dates.every((d) => d <= ctx.date));
    assert.ok(ctx.history.returns.dates.every((d) => d <= ctx.date));
    const w = momentum(ctx);
    // mutating the history must not leak into the caller's data
    ctx.history.close.values[0] = -1;
    seen.push(ctx.date);
    return w;
  };
  const base = walkForward({ close: closeP, rebalance: cal, weightsAt: spy, split: cal.dates[12] });
  assert.equal(closeP.values[0], 100, 'the original panel is untouched');
  const perturbed = walkForward({ close: perturbAfter(closeP, cut), rebalance: cal, weightsAt: momentum, split: cal.dates[12] });
  const before = (r: typeof base) => r.weights.filter((w) => w.date <= cut);
  assert.ok(before(base).length >= 5);
  assert.deepEqual(JSON.stringify(before(perturbed)), JSON.stringify(before(base)));
  // and the perturbation does change later decisions (the test has power)
  const after = (r: typeof base) => JSON.stringify(r.weights.filter((w) => w.date > cut));
  assert.notEqual(after(perturbed), after(base));
  // returns up to the cut are identical too
  const k = base.backtest.dates.indexOf(cut);
  assert.deepEqual(Array.from(perturbed.backtest.returns.slice(0, k + 1)), Array.from(base.backtest.returns.slice(0, k + 1)));
  assert.ok(seen.length > 0);
});

test('rolling windows hand the callback exactly the last L trading days; extra panels are sliced too', () => {
  const closeP = randomCloses(22, 300, 4);
  const cal = rebalanceCalendar(closeP.dates, { frequency: 'M', anchor: 'end' });
  const scores = createPanel(cal.dates, closeP.assets, new Float64Array(cal.dates.length * 4).map((_, k) => k));
  const lengths: number[] = [];
  const res = walkForward({
    close: closeP, rebalance: cal, split: cal.dates[6], window: { kind: 'rolling', length: 40 }, panels: { scores },
    weightsAt: (ctx) => {
      lengths.push(ctx.history.close.dates.length);
      const sc = ctx.history.panels.scores;
      assert.ok(sc.dates.every((d) => d <= ctx.date && d >= ctx.history.close.dates[0]));
      const w: Record<string, number> = {};
      ctx.industries.forEach((a) => { w[a] = 1 / ctx.industries.length; });
      return w;
    },
  });
  assert.ok(lengths.every((n) => n === 40));
  assert.ok(res.windows.every((w) => w.rows === 40));
  assert.equal(res.windows[0].date >= closeP.dates[39], true);
});

test('the declared split is returned with in-sample and out-of-sample windows', () => {
  const closeP = randomCloses(23, 400, 5);
  const cal = rebalanceCalendar(closeP.dates, { frequency: 'M', anchor: 'end' });
  const split = cal.dates[9];
  const res = walkForward({ close: closeP, rebalance: cal, weightsAt: momentum, split });
  assert.equal(res.split.date, split);
  assert.equal(res.split.onRebalanceDate, true);
  assert.equal(res.split.inSample.to, split);
  assert.equal(res.split.inSample.days + res.split.outOfSample!.days, res.backtest.dates.length);
  assert.equal(res.split.inSample.decisions + res.split.outOfSample!.decisions, res.weights.length);
  const parts = splitBacktest(res.backtest, split);
  assert.equal(parts.inSample.dates[parts.inSample.dates.length - 1], split);
  assert.equal(parts.outOfSample!.originDate, split);
  assert.throws(() => walkForward({ close: closeP, rebalance: cal, weightsAt: momentum, split: '2019-01-01' }),
    (e: unknown) => e instanceof RotationError && e.code === 'WF_BAD_SPLIT');
  assert.throws(() => walkForward({ close: closeP, rebalance: cal, weightsAt: () => null, split }),
    (e: unknown) => e instanceof RotationError && e.code === 'WF_NO_DECISION');
});
