/**
 * The seeded stock panel of the `evaluate`, `evaluate-parallel` and `scale` workloads: `N` assets x
 * `T` weekday dates, a factor with ~2% missing cells and prices with ~1% missing cells, the factor
 * carrying a small signal about the next day's return. With `shared`, the factor and price values
 * live on SharedArrayBuffers (as a loader can allocate them at no extra cost), so worker threads
 * read them without a copy.
 */
import { weekdayDates } from './harness.js';
import { createRng } from '../src/random.js';
import { createPanel, type Panel } from '../src/panel/panel.js';
import type { CrossSectionEvaluation } from '../src/evaluate/crossSection.js';

export function evaluatePanels(T: number, N: number, shared = false): { factor: Panel; prices: Panel } {
  const rng = createRng(20240229);
  const dates = weekdayDates(T);
  const assets = Array.from({ length: N }, (_, i) => `S${String(i).padStart(5, '0')}`);
  const alloc = (n: number) => (shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n));
  const f = alloc(T * N), p = alloc(T * N);
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
}

/** The figures the evaluate workloads print (identical strings = identical means). */
export function evaluateSummary(ev: CrossSectionEvaluation): string {
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
  return `dates=${ev.dates.length} assets=${ev.assets.length} ${parts.join(' ')} top_turnover=${topTurnover.toFixed(3)}`;
}
