/** Shared helpers of the evaluate and combine unit tests. */
import assert from 'node:assert/strict';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { createRng } from '../../../src/random.js';

/** The shared assertion (test/unit/assertions.ts), re-exported for these tests. */
export { throwsCode } from '../assertions.js';

/** T consecutive daily ISO dates from 2020-01-01. */
export function days(T: number, start = Date.UTC(2020, 0, 1)): string[] {
  return Array.from({ length: T }, (_, t) => new Date(start + t * 86_400_000).toISOString().slice(0, 10));
}

/** T month-end dates from January 2015. */
export function monthEnds(T: number, year = 2015): string[] {
  return Array.from({ length: T }, (_, t) => new Date(Date.UTC(year, t + 1, 0)).toISOString().slice(0, 10));
}

/** A panel from rows (dates x assets), daily dates unless given, assets A0.. */
export function P(rows: number[][], dates?: string[], assets?: string[]): Panel {
  const N = rows[0].length;
  return createPanel(dates ?? days(rows.length), assets ?? Array.from({ length: N }, (_, i) => `A${i}`), Float64Array.from(rows.flat()));
}

export function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  if (Number.isNaN(a) && Number.isNaN(b)) return;
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}

/** Midranks (1..n, ties averaged) of a plain array. */
export function naiveRanks(x: number[]): number[] {
  return x.map((v) => 1 + x.filter((u) => u < v).length + (x.filter((u) => u === v).length - 1) / 2);
}

export function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  return sxy / Math.sqrt(sxx * syy);
}

export function spearman(x: number[], y: number[]): number {
  return pearson(naiveRanks(x), naiveRanks(y));
}

/** Random positive prices (a random walk, some NaN) and a factor correlated with the next return. */
export function randomMarket(seed: number, T: number, N: number, options: { nanRate?: number; ties?: boolean } = {}): { prices: Panel; factor: Panel } {
  const rng = createRng(seed);
  const nan = options.nanRate ?? 0.05;
  const p = new Float64Array(T * N), f = new Float64Array(T * N);
  const lvl = new Float64Array(N).fill(100);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      const x = rng.normal();
      f[k] = options.ties ? Math.round(x * 2) / 2 : x;
      if (t > 0) lvl[i] *= 1 + 0.03 * (0.3 * f[k - N] + rng.normal());
      p[k] = lvl[i];
    }
  }
  for (let k = 0; k < T * N; k++) {
    if (rng.uniform() < nan) f[k] = NaN;
    if (rng.uniform() < nan) p[k] = NaN;
  }
  const d = days(T), a = Array.from({ length: N }, (_, i) => `S${i}`);
  return { prices: createPanel(d, a, p), factor: createPanel(d, a, f) };
}
