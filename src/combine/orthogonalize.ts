/**
 * Orthogonalization of factors, per date (cross-sectionally):
 *
 * - against named others: the OLS residual of the target on [1, others] over the assets where
 *   all are valid (`regressOut` in src/panel/kernels.ts);
 * - Gram-Schmidt in a stated order f_1, f_2, …: on the assets where every listed factor is valid,
 *   g_1 = f_1 − mean(f_1), g_k = residual of f_k on [1, g_1 .. g_{k−1}] (modified Gram-Schmidt);
 *   the first factor keeps its meaning, later ones keep only what the earlier ones do not explain;
 * - symmetric (Löwdin): on the assets where every factor is valid, z-score each column
 *   (Z, ddof 1), C = ZᵀZ/(n − 1) (the correlation matrix) = U Λ Uᵀ (ml-matrix
 *   EigenvalueDecomposition), M = U Λ^{−1/2} Uᵀ and F_orth = Z·M, so that
 *   cov(F_orth) = M C M = I: unit variance and zero cross-sectional correlation, with every
 *   output as close as possible (least squares) to its own standardized input — no order needed.
 *
 * Degenerate dates are skipped (NaN for that date) and counted: 'too-few' (fewer valid assets
 * than needed: K + 1), 'constant' (a factor constant over the common assets), 'collinear'
 * (a factor that is a combination of the others: Gram-Schmidt residual norm <= 1e-10 of its norm,
 * or Löwdin λ_min <= 1e-10·λ_max).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { RotationError } from '../errors.js';
import { regressOut, type KernelOptions } from '../panel/kernels.js';
import type { Panel } from '../panel/panel.js';
import { selectFactors, type FactorSet } from '../evaluate/factorSet.js';

export type OrthogonalizeSkipReason = 'too-few' | 'constant' | 'collinear';

export interface OrthogonalizedFactors {
  /** The orthogonalized panels by name (same dates and assets as the inputs). */
  factors: Record<string, Panel>;
  /** Dates skipped (all outputs NaN), or, for Gram-Schmidt 'collinear', dates where one factor was NaN. */
  skipped: Record<OrthogonalizeSkipReason, number>;
  skippedDates: Record<OrthogonalizeSkipReason, string[]>;
}

const COLLINEAR = 1e-10;

/**
 * Residual of factor `target` on [1, against...] per date (OLS over the assets where all are
 * valid; other cells NaN). Names must exist in the set (COMBINE_UNKNOWN_FACTOR); `target` may not
 * be among `against` (COMBINE_BAD_ARGUMENT). Pass `{ log }` to count degenerate dates.
 */
export function orthogonalizeAgainst(factors: FactorSet, target: string, against: readonly string[], options: KernelOptions = {}): Panel {
  if (against.includes(target)) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `"${target}" cannot be orthogonalized against itself`, { factor: target },
      'remove the target from the list of factors to orthogonalize against');
  }
  if (against.length === 0) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', 'No factor to orthogonalize against', { factor: target }, 'name at least one other factor');
  }
  const picked = selectFactors(factors, [target, ...against], 'COMBINE');
  return regressOut(picked[0][1], picked.slice(1).map(([, p]) => p), { log: options.log });
}

function emptyCounts(): { skipped: Record<OrthogonalizeSkipReason, number>; skippedDates: Record<OrthogonalizeSkipReason, string[]> } {
  return { skipped: { 'too-few': 0, constant: 0, collinear: 0 }, skippedDates: { 'too-few': [], constant: [], collinear: [] } };
}

/** Rows (asset indices) of date t where every panel is valid. */
function commonRows(ps: readonly Panel[], t: number, N: number, pos: Int32Array): number {
  let n = 0;
  for (let i = 0; i < N; i++) {
    let ok = true;
    for (const p of ps) { const v = p.values[t * N + i]; if (v !== v) { ok = false; break; } }
    if (ok) pos[n++] = i;
  }
  return n;
}

/**
 * Gram-Schmidt orthogonalization in the order `order` (module comment): per date, on the assets
 * where all listed factors are valid (others NaN), g_1 = f_1 − mean, g_k = f_k minus its
 * projection on [1, g_1..g_{k−1}]. Outputs are mean-zero and mutually orthogonal on those
 * assets. A factor collinear with the earlier ones on a date gets NaN there ('collinear', counted).
 */
export function gramSchmidt(factors: FactorSet, order: readonly string[]): OrthogonalizedFactors {
  const picked = selectFactors(factors, order, 'COMBINE');
  const K = picked.length, T = picked[0][1].dates.length, N = picked[0][1].assets.length;
  const ps = picked.map(([, p]) => p);
  const out = ps.map(() => new Float64Array(T * N).fill(NaN));
  const pos = new Int32Array(N);
  const Q = Array.from({ length: K }, () => new Float64Array(N));
  const c = emptyCounts();
  for (let t = 0; t < T; t++) {
    const n = commonRows(ps, t, N, pos);
    if (n < K + 1) { c.skipped['too-few']++; c.skippedDates['too-few'].push(ps[0].dates[t]); continue; }
    let collinear = false;
    const ok = new Array<boolean>(K).fill(false);
    for (let k = 0; k < K; k++) {
      const q = Q[k];
      let mean = 0;
      for (let m = 0; m < n; m++) { q[m] = ps[k].values[t * N + pos[m]]; mean += q[m]; }
      mean /= n;
      let norm0 = 0;
      for (let m = 0; m < n; m++) { q[m] -= mean; norm0 += q[m] * q[m]; }
      for (let j = 0; j < k; j++) {
        if (!ok[j]) continue;
        const g = Q[j];
        let d = 0, gg = 0;
        for (let m = 0; m < n; m++) { d += g[m] * q[m]; gg += g[m] * g[m]; }
        const beta = d / gg;
        for (let m = 0; m < n; m++) q[m] -= beta * g[m];
      }
      let norm = 0;
      for (let m = 0; m < n; m++) norm += q[m] * q[m];
      if (!(norm0 > 0) || norm <= COLLINEAR * COLLINEAR * norm0) { collinear = true; continue; }
      ok[k] = true;
      for (let m = 0; m < n; m++) out[k][t * N + pos[m]] = q[m];
    }
    if (collinear) { c.skipped.collinear++; c.skippedDates.collinear.push(ps[0].dates[t]); }
  }
  const res: Record<string, Panel> = {};
  picked.forEach(([name, p], k) => { res[name] = { dates: p.dates.slice(), assets: p.assets.slice(), values: out[k] }; });
  return { factors: res, ...c };
}

/**
 * Symmetric (Löwdin) orthogonalization per date (module comment): F_orth = Z·U Λ^{−1/2} Uᵀ on the
 * assets where every factor is valid (others NaN). Each date's outputs have mean 0, sample
 * variance 1 and zero pairwise correlation. Needs >= 2 factors (COMBINE_BAD_ARGUMENT); dates with
 * fewer than K + 1 common assets, a constant factor, or λ_min <= 1e-10·λ_max are skipped and counted.
 */
export function symmetricOrthogonalize(factors: FactorSet, names?: readonly string[]): OrthogonalizedFactors {
  const picked = selectFactors(factors, names, 'COMBINE');
  const K = picked.length;
  if (K < 2) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', 'Symmetric orthogonalization needs at least 2 factors', { factors: K },
      'pass two or more factors');
  }
  const T = picked[0][1].dates.length, N = picked[0][1].assets.length;
  const ps = picked.map(([, p]) => p);
  const out = ps.map(() => new Float64Array(T * N).fill(NaN));
  const pos = new Int32Array(N);
  const c = emptyCounts();
  const skip = (r: OrthogonalizeSkipReason, t: number): void => { c.skipped[r]++; c.skippedDates[r].push(ps[0].dates[t]); };
  for (let t = 0; t < T; t++) {
    const n = commonRows(ps, t, N, pos);
    if (n < K + 1) { skip('too-few', t); continue; }
    const Z = Array.from({ length: n }, () => new Array<number>(K));
    let constant = false;
    for (let k = 0; k < K && !constant; k++) {
      let mean = 0;
      for (let m = 0; m < n; m++) mean += ps[k].values[t * N + pos[m]];
      mean /= n;
      let ss = 0;
      for (let m = 0; m < n; m++) { const d = ps[k].values[t * N + pos[m]] - mean; ss += d * d; }
      const sd = Math.sqrt(ss / (n - 1));
      if (!(sd > 0)) { constant = true; break; }
      for (let m = 0; m < n; m++) Z[m][k] = (ps[k].values[t * N + pos[m]] - mean) / sd;
    }
    if (constant) { skip('constant', t); continue; }
    const Zm = new Matrix(Z);
    const C = Zm.transpose().mmul(Zm).div(n - 1);
    const eig = new EigenvalueDecomposition(C, { assumeSymmetric: true });
    const lambda = eig.realEigenvalues;
    const lmax = Math.max(...lambda), lmin = Math.min(...lambda);
    if (!(lmin > COLLINEAR * lmax)) { skip('collinear', t); continue; }
    const U = eig.eigenvectorMatrix;
    const D = Matrix.diag(lambda.map((l) => 1 / Math.sqrt(l)));
    const M = U.mmul(D).mmul(U.transpose());
    const F = Zm.mmul(M);
    for (let m = 0; m < n; m++) for (let k = 0; k < K; k++) out[k][t * N + pos[m]] = F.get(m, k);
  }
  const res: Record<string, Panel> = {};
  picked.forEach(([name, p], k) => { res[name] = { dates: p.dates.slice(), assets: p.assets.slice(), values: out[k] }; });
  return { factors: res, ...c };
}
