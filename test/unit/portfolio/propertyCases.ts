/**
 * Seeded random cases and the weight-invariant check shared by the property tests
 * (properties.*.test.ts). Not a test file itself.
 */
import assert from 'node:assert/strict';
import { createRng, type Rng } from '../../../src/random.js';
import type { Panel } from '../../../src/panel/panel.js';
import type { AllocationContext, AllocationResult, BoundSpec, WeightVector } from '../../../src/portfolio/types.js';

export const UNIVERSE = Array.from({ length: 31 }, (_, i) => `U${String(i).padStart(2, '0')}`);

/** A random subset of `from` of size n, in random order. */
export function pick(rng: Rng, from: readonly string[], n: number): string[] {
  const a = [...from];
  for (let i = a.length - 1; i > 0; i--) { const j = rng.int(i + 1); [a[i], a[j]] = [a[j], a[i]]; }
  return a.slice(0, n);
}

export interface CaseOptions {
  /** Probability that a score is NaN. */
  nanRate?: number;
  /** Always leave at least one finite score. */
  keepOneScore?: boolean;
}

export interface RandomCase {
  ctx: AllocationContext;
  caps?: BoundSpec;
}

/** Random scores (NaN and ties), caps (none, uniform, per industry) and previous weights over a different set. */
export function randomCase(rng: Rng, date: string, industries: string[], options: CaseOptions = {}): RandomCase {
  const n = industries.length;
  const ties = rng.uniform() < 0.3;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    scores[i] = rng.uniform() < (options.nanRate ?? 0.2) ? NaN : ties ? Math.round(z) : z;
  }
  if (options.keepOneScore !== false && scores.every((s) => Number.isNaN(s))) scores[rng.int(n)] = rng.normal();
  let caps: BoundSpec | undefined;
  const mode = rng.int(3);
  if (mode === 1) caps = 0.02 + 0.98 * rng.uniform();
  else if (mode === 2) {
    const rec: Record<string, number> = {};
    for (const d of pick(rng, industries, 1 + rng.int(n))) rec[d] = 0.05 + 0.55 * rng.uniform();
    caps = rec;
  }
  let previous: WeightVector | undefined;
  if (rng.uniform() < 0.6) {
    const names = pick(rng, UNIVERSE, 1 + rng.int(UNIVERSE.length));
    const w = names.map(() => (rng.uniform() < 0.3 ? 0 : rng.uniform()));
    const s = w.reduce((a, b) => a + b, 0) || 1;
    previous = { industries: names, weights: w.map((x) => x / s) };
  }
  return { ctx: { date, industries, scores, previous }, caps };
}

/** Requested cap of each industry (1 when not given). */
export function requestedCaps(caps: BoundSpec | undefined, industries: readonly string[]): number[] {
  return industries.map((d) => (caps === undefined ? 1 : typeof caps === 'number' ? caps : (caps[d] ?? 1)));
}

/**
 * The invariants every allocator must hold: aligned with the industries, finite, >= 0, sum 1
 * within 1e-9, caps in force respected within 1e-9 (the requested caps unless a caps relaxation is
 * recorded), excluded industries (NaN score, no history) at exactly 0, NaN scores counted, and
 * the reported turnover consistent with the previous weights.
 */
export function assertInvariants(res: AllocationResult, ctx: AllocationContext, caps: BoundSpec | undefined, label: string, scoresGiveNaN = true): void {
  const n = ctx.industries.length;
  const fail = (m: string): never => { throw new assert.AssertionError({ message: `${label} ${ctx.date}: ${m}` }); };
  if (res.industries.length !== n || res.industries.some((d, i) => d !== ctx.industries[i])) fail('industries not aligned');
  if (res.weights.length !== n) fail('weights length');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = res.weights[i];
    if (!Number.isFinite(w)) fail(`weight ${i} = ${w}`);
    if (w < 0) fail(`negative weight ${w}`);
    sum += w;
  }
  if (!(Math.abs(sum - 1) <= 1e-9)) fail(`sum ${sum}`);
  const inForce = res.diagnostics.details.caps as Float64Array | undefined;
  if (!inForce) fail('diagnostics.details.caps missing');
  const req = requestedCaps(caps, ctx.industries);
  const capsRelaxed = res.diagnostics.relaxed.some((r) => r.constraint === 'caps');
  for (let i = 0; i < n; i++) {
    if (res.weights[i] > inForce![i] + 1e-9) fail(`weight ${res.weights[i]} above cap in force ${inForce![i]}`);
    if (!capsRelaxed && res.weights[i] > req[i] + 1e-9) fail(`weight ${res.weights[i]} above requested cap ${req[i]} without a recorded relaxation`);
  }
  const index = new Map(ctx.industries.map((d, i) => [d, i] as const));
  for (const e of res.diagnostics.excluded) {
    const i = index.get(e.industry);
    if (i === undefined) fail(`excluded unknown industry ${e.industry}`);
    if (res.weights[i!] !== 0) fail(`excluded ${e.industry} (${e.reason}) has weight ${res.weights[i!]}`);
  }
  if (scoresGiveNaN && ctx.scores) {
    let nan = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(ctx.scores[i])) {
        nan++;
        if (res.weights[i] !== 0) fail(`NaN-score industry ${ctx.industries[i]} has weight ${res.weights[i]}`);
      }
    }
    if (res.diagnostics.nanScores !== nan) fail(`nanScores ${res.diagnostics.nanScores} vs ${nan}`);
  }
  if (ctx.previous) {
    const prev = new Map<string, number>();
    ctx.previous.industries.forEach((d, k) => prev.set(d, ctx.previous!.weights[k]));
    let t = 0;
    for (let i = 0; i < n; i++) t += Math.abs(res.weights[i] - (prev.get(ctx.industries[i]) ?? 0));
    for (const [d, w] of prev) if (!index.has(d)) t += w;
    if (!(Math.abs(t - (res.diagnostics.turnover ?? NaN)) < 1e-9)) fail(`turnover ${res.diagnostics.turnover} vs ${t}`);
  }
}

/**
 * Daily returns on weekdays from 2015-01-01 for `years` years over UNIVERSE: a market factor plus
 * noise; some industries start late (NaN before), ~0.5% of cells are missing.
 */
export function randomReturnsPanel(seed: number, years: number): Panel {
  const rng = createRng(seed);
  const dates: string[] = [];
  const d = new Date(Date.UTC(2015, 0, 1));
  while (d.getUTCFullYear() < 2015 + years) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  const T = dates.length, N = UNIVERSE.length;
  const start = UNIVERSE.map(() => (rng.uniform() < 0.2 ? rng.int(Math.floor(T * 0.7)) : 1));
  const v = new Float64Array(T * N);
  let vol = 0.01;
  for (let t = 0; t < T; t++) {
    if (t % 60 === 0) vol = rng.uniform() < 0.3 ? 0.025 : 0.01;
    const f = vol * rng.normal();
    for (let i = 0; i < N; i++) {
      v[t * N + i] = t < start[i] || rng.uniform() < 0.005 ? NaN : 0.0002 * ((i % 7) - 3) + f + 0.008 * rng.normal();
    }
  }
  return { dates, assets: [...UNIVERSE], values: v };
}
