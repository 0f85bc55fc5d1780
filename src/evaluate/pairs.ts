/**
 * Correlation of two cross-sections over their jointly valid cells (one date), Pearson or
 * Spearman (midranks over the jointly valid pairs), with scratch allocated once per call site.
 * The building block of the IC decay, rank autocorrelation and factor correlation matrix.
 */
import { fastMidranksInto, newFastRankScratch, type FastRankScratch } from './fastRank.js';
import type { IcSkipReason } from './ic.js';

export type CorrelationMethod = 'pearson' | 'rank';

/** Scratch for `correlatePairs`; after a call, `n` = pairs used and `reason` = why it is NaN (or null). */
export interface PairScratch {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly ra: Float64Array;
  readonly rb: Float64Array;
  readonly fast: FastRankScratch;
  n: number;
  reason: IcSkipReason | null;
}

/** Scratch for cross-sections of up to `capacity` cells. */
export function newPairScratch(capacity: number): PairScratch {
  const c = Math.max(1, capacity);
  return { a: new Float64Array(c), b: new Float64Array(c), ra: new Float64Array(c), rb: new Float64Array(c), fast: newFastRankScratch(c), n: 0, reason: null };
}

/**
 * Correlation of x[xo + i] and y[yo + i], i = 0..N−1, over the n pairs where both are valid:
 *
 *   pearson: Σ(a − ā)(b − b̄)/√(Σ(a − ā)² Σ(b − b̄)²);   rank: the same on midranks of the pairs.
 *
 * Clamped to [−1, 1]. NaN with s.reason = 'too-few-pairs' when n < minAssets, 'zero-variance'
 * when either side is constant over the pairs. s.n = n.
 */
export function correlatePairs(x: Float64Array, xo: number, y: Float64Array, yo: number, N: number,
  method: CorrelationMethod, minAssets: number, s: PairScratch): number {
  const a = s.a, b = s.b;
  let n = 0, aMin = Infinity, aMax = -Infinity, bMin = Infinity, bMax = -Infinity;
  for (let i = 0; i < N; i++) {
    const u = x[xo + i], v = y[yo + i];
    if (u !== u || v !== v) continue;
    a[n] = u; b[n] = v; n++;
    if (u < aMin) aMin = u; if (u > aMax) aMax = u;
    if (v < bMin) bMin = v; if (v > bMax) bMax = v;
  }
  s.n = n;
  if (n < minAssets) { s.reason = 'too-few-pairs'; return NaN; }
  if (aMin === aMax || bMin === bMax) { s.reason = 'zero-variance'; return NaN; }
  let p = a, q = b;
  if (method === 'rank') {
    fastMidranksInto(a, n, s.ra, s.fast);
    fastMidranksInto(b, n, s.rb, s.fast);
    p = s.ra; q = s.rb;
  }
  let mp = 0, mq = 0;
  for (let k = 0; k < n; k++) { mp += p[k]; mq += q[k]; }
  mp /= n; mq /= n;
  let spq = 0, spp = 0, sqq = 0;
  for (let k = 0; k < n; k++) { const d = p[k] - mp, e = q[k] - mq; spq += d * e; spp += d * d; sqq += e * e; }
  if (!(spp > 0 && sqq > 0)) { s.reason = 'zero-variance'; return NaN; }
  s.reason = null;
  const r = spq / Math.sqrt(spp * sqq);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
