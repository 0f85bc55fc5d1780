/** Shared fixtures for the backtest tests: business-day calendars and seeded close panels. */
import { createRng } from '../../../src/random.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';

/** `n` weekdays from `start` (ISO). */
export function businessDays(start: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (out.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** A seeded random-walk close panel (T dates x N industries), closes start at 100. */
export function randomCloses(seed: number, T: number, N: number, start = '2020-01-01'): Panel {
  const rng = createRng(seed);
  const dates = businessDays(start, T);
  const assets = Array.from({ length: N }, (_, i) => `I${String(i + 1).padStart(2, '0')}`);
  const v = new Float64Array(T * N);
  for (let i = 0; i < N; i++) v[i] = 100;
  for (let t = 1; t < T; t++) for (let i = 0; i < N; i++) v[t * N + i] = v[(t - 1) * N + i] * (1 + 0.0003 + 0.015 * rng.normal());
  return createPanel(dates, assets, v);
}

/** A panel from explicit rows. */
export function panelOf(dates: string[], assets: string[], rows: number[][]): Panel {
  return createPanel(dates, assets, Float64Array.from(rows.flat()));
}

export function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) throw new Error(`${msg} ${a} vs ${b} (tol ${tol})`);
}
