/** Significance rows of a backtest comparison: hand-worked t, best baseline chosen in sample, named errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import { rebalanceCalendar } from '../../../src/data/calendar.js';
import { runBacktest } from '../../../src/backtest/engine.js';
import { rebalancePeriodSeries } from '../../../src/backtest/summary.js';
import { activeSharpes, backtestSignificanceRows, bestBaselineName } from '../../../src/backtest/significanceRows.js';
import { buildTearSheet } from '../../../src/report/tearsheet.js';
import { randomCloses } from './helpers.js';

function fixture() {
  const close = randomCloses(31, 900, 6);
  const cal = rebalanceCalendar(close.dates, { frequency: 'M', anchor: 'end' });
  const mk = (name: string, shift: number) => runBacktest({
    name, close, rebalance: cal, costBps: 10,
    weights: cal.dates.map((date, k) => ({ date, weights: { [close.assets[(k + shift) % 6]]: 0.6, [close.assets[(k + shift + 1) % 6]]: 0.4 } })),
  });
  return { close, cal, model: mk('model', 0), b1: mk('base 1', 2), b2: mk('base 2', 3) };
}

/** Plain t of a paired difference, by hand. */
function handT(d: number[]): { mean: number; t: number } {
  const n = d.length, m = d.reduce((a, v) => a + v, 0) / n;
  const sd = Math.sqrt(d.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
  return { mean: m, t: m / (sd / Math.sqrt(n)) };
}

test('rows per strategy and window: mean active, t and the difference against the best in-sample baseline match a hand computation', () => {
  const { model, b1, b2, cal } = fixture();
  const split = cal.dates[20];
  const entries = [{ backtest: model, kind: 'model' as const }, { backtest: b1, kind: 'baseline' as const }, { backtest: b2, kind: 'baseline' as const }];
  const rows = backtestSignificanceRows(entries, split);
  assert.equal(rows.length, 9);
  assert.deepEqual(rows.slice(0, 3).map((r) => r.window), ['whole sample', 'in-sample', 'out-of-sample']);
  // best baseline by hand: highest in-sample mean active return
  const s = [b1, b2].map((b) => rebalancePeriodSeries(b));
  const k = s[0].strategy.dates.filter((d) => d <= split).length;
  const inMean = s.map((x) => handT(Array.from(x.active.returns as ArrayLike<number>).slice(0, k)).mean);
  const best = inMean[0] >= inMean[1] ? 'base 1' : 'base 2';
  assert.equal(bestBaselineName(entries, split), best);
  assert.ok(rows.every((r) => r.bestBaseline === best));
  const ms = rebalancePeriodSeries(model), bs = rebalancePeriodSeries(best === 'base 1' ? b1 : b2);
  const act = Array.from(ms.active.returns as ArrayLike<number>);
  const oos = handT(act.slice(k));
  const rOos = rows.find((r) => r.strategy === 'model' && r.window === 'out-of-sample')!;
  assert.ok(Math.abs(rOos.meanActive - oos.mean) < 1e-15);
  assert.ok(Math.abs(rOos.tActive - oos.t) < 1e-10);
  assert.equal(rOos.first, ms.strategy.dates[k]);
  const diff = handT(Array.from(ms.strategy.returns, (v, t) => v - bs.strategy.returns[t]));
  const rWhole = rows.find((r) => r.strategy === 'model' && r.window === 'whole sample')!;
  assert.ok(Math.abs(rWhole.tVsBestBaseline - diff.t) < 1e-10);
  assert.ok(rWhole.pVsBestBaseline > 0 && rWhole.pVsBestBaseline < 1);
  // the best baseline's own rows carry no difference test
  const own = rows.filter((r) => r.strategy === best);
  assert.ok(own.every((r) => Number.isNaN(r.tVsBestBaseline) && r.note.includes('best baseline')));
});

test('the best-baseline choice does not read the out-of-sample window', () => {
  const { model, b1, b2, cal } = fixture();
  const split = cal.dates[20];
  const entries = [{ backtest: model, kind: 'model' as const }, { backtest: b1, kind: 'baseline' as const }, { backtest: b2, kind: 'baseline' as const }];
  const before = bestBaselineName(entries, split);
  // make the other baseline spectacular after the split only
  const other = before === 'base 1' ? b2 : b1;
  const r = Float64Array.from(other.returns);
  for (let t = 0; t < r.length; t++) if (other.dates[t] > cal.dates[21]) r[t] += 0.01;
  const boosted = { ...other, returns: r };
  const e2 = entries.map((e) => (e.backtest === other ? { ...e, backtest: boosted } : e));
  assert.equal(bestBaselineName(e2, split), before);
});

test('named errors: a split leaving an empty window, strategies on different calendars; a short window gets NaN and the minimum', () => {
  const { model, b1, cal, close } = fixture();
  const entries = [{ backtest: model, kind: 'model' as const }, { backtest: b1, kind: 'baseline' as const }];
  assert.throws(() => backtestSignificanceRows(entries, '2199-01-01'), (e: unknown) => e instanceof RotationError && e.code === 'METRIC_EMPTY_WINDOW');
  const cal2 = { ...cal, dates: cal.dates.filter((_, k) => k % 2 === 0), periodsPerYear: 6 };
  const bi = runBacktest({ name: 'bi-monthly', close, rebalance: cal2, costBps: 10, weights: cal2.dates.map((date) => ({ date, weights: { [close.assets[0]]: 1 } })) });
  assert.throws(() => backtestSignificanceRows([...entries, { backtest: bi, kind: 'baseline' }], cal.dates[20]),
    (e: unknown) => e instanceof RotationError && e.code === 'METRIC_CALENDAR_MISMATCH');
  const rows = backtestSignificanceRows(entries, cal.dates[cal.dates.length - 4]);
  const oos = rows.find((r) => r.strategy === 'model' && r.window === 'out-of-sample')!;
  assert.ok(Number.isNaN(oos.tActive));
  assert.match(oos.note, /needs at least 12/);
});

test('active Sharpes are per-period information ratios, and the tear sheet deflates the ACTIVE return with the given trials', () => {
  const { model, b1, cal } = fixture();
  const a = Array.from(rebalancePeriodSeries(model).active.returns as ArrayLike<number>);
  const h = handT(a);
  assert.ok(Math.abs(activeSharpes([model])[0] - h.t / Math.sqrt(a.length)) < 1e-12);
  const sheet = buildTearSheet([model, b1], { split: cal.dates[20], trials: { count: 30, sharpeVariance: 0.01 }, trialsSource: 'from the run log', baselines: ['base 1'] });
  const row = sheet.metricTable.find((r) => r.Metric.startsWith('Deflated Sharpe'))!;
  assert.equal(row.Metric, 'Deflated Sharpe (active, 30 trials from the run log)');
  const dsr = sheet.strategies[0].summary.values.dsr;
  assert.ok(dsr >= 0 && dsr <= 1);
  assert.equal(sheet.strategies[0].summary.dsr!.trials, 30);
  assert.ok(sheet.significance && sheet.significance.length === 6);
  assert.equal(sheet.significance[0].bestBaseline, 'base 1');
});
