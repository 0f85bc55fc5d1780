/**
 * Workload `evaluate`: stock-level factor evaluation on a seeded 5,000 assets x 2,500 trading days
 * panel (a factor with ~2% missing cells and prices with ~1% missing cells, the factor carrying a
 * small signal about the next day's return). Timed: forward returns for 1, 5 and 21 days (one
 * shared level panel), rank IC per date for each horizon, 5-quantile mean returns per date for
 * each horizon, and group turnover (the top-quantile figure is printed), all in one
 * `evaluateCrossSections` pass that ranks the factor once per date. Target: <= 1.5 s, <= 400 MB.
 */
import { runWorkload, weekdayDates } from '../harness.js';
import { createRng } from '../../src/random.js';
import { createPanel } from '../../src/panel/panel.js';
import { forwardReturnsFromPrices } from '../../src/evaluate/forwardReturns.js';
import { evaluateCrossSections } from '../../src/evaluate/crossSection.js';

const T = 2500, N = 5000;

await runWorkload('evaluate', () => {
  const rng = createRng(20240229);
  const dates = weekdayDates(T);
  const assets = Array.from({ length: N }, (_, i) => `S${String(i).padStart(5, '0')}`);
  const f = new Float64Array(T * N), p = new Float64Array(T * N);
  const level = new Float64Array(N).fill(10);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      if (t > 0) level[i] *= 1 + 0.02 * (0.05 * f[k - N] + rng.normal());
      p[k] = rng.uniform() < 0.01 ? NaN : level[i];
    }
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      f[k] = rng.normal();
    }
  }
  // The factor is stored with ~2% missing cells (the drift above used the full values).
  for (let k = 0; k < T * N; k++) if (rng.uniform() < 0.02) f[k] = NaN;
  return { factor: createPanel(dates, assets, f), prices: createPanel(dates, assets, p) };
}, ({ factor, prices }) => {
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 5, 21], periodsPerYear: 252 });
  const ev = evaluateCrossSections(factor, fr, { ic: false, rankIc: true, groups: { quantiles: 5 }, turnover: true });
  const parts = ev.horizons.map((h) => {
    let s = 0, c = 0;
    for (const v of h.rankIc!.ic) if (v === v) { s += v; c++; }
    const G = h.groups!.labels.length, m = h.groups!.mean;
    let top = 0, bot = 0, nt = 0;
    for (let t = 0; t < ev.dates.length; t++) {
      const a = m[t * G + G - 1], b = m[t * G];
      if (a === a && b === b) { top += a; bot += b; nt++; }
    }
    return `${h.horizon.label}:rank_ic=${(s / c).toFixed(4)},q5-q1=${((top - bot) / nt * 1e4).toFixed(2)}bp`;
  });
  const topTurnover = ev.turnover!.mean[ev.groupLabels.length - 1];
  return `dates=${T} assets=${N} ${parts.join(' ')} top_turnover=${topTurnover.toFixed(3)}`;
});
