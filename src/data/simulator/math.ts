/**
 * Small numeric helpers of the simulator: seed derivation for independent random streams,
 * the normal quantile, rank-based normal scores and a tiny dense linear solver.
 */

/**
 * Derive a 32-bit seed from a list of integers (FNV-1a style mixing with a murmur finalizer).
 * Used to give every (component, month) its own `createRng` stream, so a month's draws do not
 * depend on how many draws earlier months made.
 */
import { logGamma } from '../../stats/distributions.js';

export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const v = Math.floor(p);
    const lo = v >>> 0, hi = Math.floor(v / 4294967296) >>> 0;
    for (const w of [lo, hi]) {
      h = Math.imul(h ^ w, 0x01000193) >>> 0;
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d) >>> 0;
      h ^= h >>> 12;
    }
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Acklam's rational approximation of the standard normal quantile Phi^-1(p), p in (0, 1), WITHOUT
 * the refinement step of stats/distributions.ts normalQuantile (relative error < 1.2e-9). The
 * simulator keeps it so its seeded draws stay bit-identical; statistics use the refined one.
 */
export function acklamNormalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  if (p < plow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - plow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Rank-based normal scores of `x` over the positions where `use[i]` is true and x is not NaN:
 *   z_i = Phi^-1((midrank_i - 0.5) / n)
 * Positions not used get 0 (the cross-sectional mean). Returns the number of scored positions.
 */
export function normalScoresInto(x: Float64Array, use: Uint8Array, out: Float64Array): number {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) {
    out[i] = 0;
    if (use[i] && !Number.isNaN(x[i])) idx.push(i);
  }
  const n = idx.length;
  if (n < 3) return 0;
  idx.sort((p, q) => x[p] - x[q] || p - q);
  let k = 0;
  while (k < n) {
    let e = k;
    while (e + 1 < n && x[idx[e + 1]] === x[idx[k]]) e++;
    const mid = (k + e) / 2 + 1;
    const z = acklamNormalQuantile((mid - 0.5) / n);
    for (let r = k; r <= e; r++) out[idx[r]] = z;
    k = e + 1;
  }
  return n;
}

/** Solve A x = b for a small dense symmetric positive-definite-ish A (Gaussian elimination, partial pivoting). A is k*k row-major; both are copied. */
export function solveSmall(A: Float64Array, b: Float64Array, k: number): Float64Array {
  const M = Float64Array.from(A), x = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * k + c]) > Math.abs(M[p * k + c])) p = r;
    if (p !== c) {
      for (let j = 0; j < k; j++) { const t = M[c * k + j]; M[c * k + j] = M[p * k + j]; M[p * k + j] = t; }
      const t = x[c]; x[c] = x[p]; x[p] = t;
    }
    const piv = M[c * k + c];
    if (Math.abs(piv) < 1e-14) { x[c] = 0; continue; }
    for (let r = c + 1; r < k; r++) {
      const f = M[r * k + c] / piv;
      if (f === 0) continue;
      for (let j = c; j < k; j++) M[r * k + j] -= f * M[c * k + j];
      x[r] -= f * x[c];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = x[c];
    for (let j = c + 1; j < k; j++) s -= M[c * k + j] * x[j];
    const piv = M[c * k + c];
    x[c] = Math.abs(piv) < 1e-14 ? 0 : s / piv;
  }
  return x;
}

/** Clamp v into [lo, hi]. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * E|z| of a unit-variance Student-t with df > 2:
 *   E|t_df| = 2 sqrt(df / pi) Gamma((df + 1) / 2) / (Gamma(df / 2) (df - 1)),  times sqrt((df - 2) / df).
 */
export function meanAbsStudentT(df: number): number {
  const raw = (2 * Math.sqrt(df / Math.PI) * Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2))) / (df - 1);
  return raw * Math.sqrt((df - 2) / df);
}

/** EGARCH constants for innovations t_df: E|z| and the log-variance centring Var(h) / 2. */
export function egarchConstants(p: { phi: number; theta: number }, df: number): { meanAbs: number; centre: number } {
  const meanAbs = meanAbsStudentT(df);
  const varH = (p.theta * p.theta * (1 - meanAbs * meanAbs)) / (1 - p.phi * p.phi);
  return { meanAbs, centre: varH / 2 };
}
