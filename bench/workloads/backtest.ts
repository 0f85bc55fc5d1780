/**
 * Workload `backtest`: a 10-year daily backtest (2,520 trading days) of 31 industries with
 * month-end rebalancing to seeded top-8 weights, 10 bps costs, the equal-weight benchmark, and the
 * full performance summary. Target: < 200 ms.
 */
import { runWorkload } from '../harness.js';
import { createRng } from '../../src/random.js';
import { createPanel } from '../../src/panel/panel.js';
import { rebalanceCalendar } from '../../src/data/calendar.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { summarizeBacktest } from '../../src/backtest/summary.js';
import type { TargetWeights } from '../../src/backtest/types.js';

const T = 2520, N = 31, K = 8;

await runWorkload('backtest', () => {
  const rng = createRng(20240229);
  const dates: string[] = [];
  const d = new Date(Date.UTC(2015, 0, 1));
  while (dates.length < T) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  const assets = Array.from({ length: N }, (_, i) => `IND${String(i + 1).padStart(2, '0')}`);
  const v = new Float64Array(T * N);
  for (let i = 0; i < N; i++) v[i] = 1000;
  for (let t = 1; t < T; t++) {
    const m = 0.012 * rng.normal();
    for (let i = 0; i < N; i++) v[t * N + i] = v[(t - 1) * N + i] * (1 + 0.0003 + m + 0.01 * rng.normal());
  }
  const close = createPanel(dates, assets, v);
  const cal = rebalanceCalendar(dates, { frequency: 'M', anchor: 'end' });
  const weights: TargetWeights[] = cal.dates.map((date) => {
    const picked = new Set<number>();
    while (picked.size < K) picked.add(rng.int(N));
    return { date, weights: { industries: [...picked].map((i) => assets[i]), weights: new Float64Array(K).fill(1 / K) } };
  });
  return { close, cal, weights };
}, ({ close, cal, weights }) => {
  const bt = runBacktest({ name: 'bench', close, weights, rebalance: cal, costBps: 10 });
  const s = summarizeBacktest(bt);
  return `days=${bt.dates.length} industries=${N} rebalances=${bt.rebalances.length} ir=${s.values.informationRatio.toFixed(3)} turnover=${s.values.turnover.toFixed(2)}`;
});
