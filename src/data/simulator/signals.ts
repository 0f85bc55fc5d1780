/**
 * The planted-signal mechanism: at each month end the simulator computes every planted factor
 * from data observable at that date, turns each cross-section into rank normal scores z_k, and
 * adds to the next month's returns a drift whose cross-sectional covariance with each z_k equals
 * the planted IC times the expected cross-sectional return dispersion:
 *
 *   C = Z'Z / n              (K x K, over the n assets in the universe; missing scores are 0)
 *   a = (C + ridge I)^-1 ic* (ic* = planted ICs of this month, K-vector)
 *   d = sigma * Z a          -> (1/n) Z'd = sigma * ic*  (up to the ridge)
 *
 * so corr(z_k, r_next) ~ ic*_k whatever the correlations between the factors are. The drift is
 * capped at sd(d) <= maxShare * sigma. Because d uses only month-end observables, nothing in it
 * looks ahead; because Z'd is pinned, each factor's marginal IC is planted, not just its weight.
 *
 * Stock level (`neutral` given): the drift must survive the within-industry cap-weighted
 * re-centring of stock returns, so it is built from group-demeaned scores
 *   Zt = Z - (cap-weighted mean of Z within the asset's industry),  C = Zt'Zt / n,  d = sigma Zt a;
 * d then has zero cap-weighted mean in every industry and (1/n) Z'd ~ (1/n) Zt'd = sigma ic*.
 */
import { normalScoresInto, solveSmall } from './math.js';

export const DRIFT_RIDGE = 0.02;
export const DRIFT_MAX_SHARE = 0.5;

export interface DriftResult {
  /** Per-asset drift over the next period (0 outside the universe). */
  drift: Float64Array;
  /** Solved loadings a (per factor, in units of sigma). */
  loadings: Float64Array;
}

/**
 * Planted drift for one month end.
 * factors[k][i] raw factor values (NaN = missing), use[i] = 1 for assets in the universe,
 * ic[k] the planted ICs, sigma the expected cross-sectional std of next-period returns.
 */
export function plantedDrift(
  factors: readonly Float64Array[], use: Uint8Array, ic: readonly number[], sigma: number,
  neutral?: { group: Int32Array; weight: Float64Array; nGroups: number },
): DriftResult {
  const K = factors.length, n = use.length;
  const Z: Float64Array[] = [];
  let nUse = 0;
  for (let i = 0; i < n; i++) if (use[i]) nUse++;
  for (let k = 0; k < K; k++) {
    const z = new Float64Array(n);
    normalScoresInto(factors[k], use, z);
    if (neutral) demeanWithinGroups(z, use, neutral.group, neutral.weight, neutral.nGroups);
    Z.push(z);
  }
  const drift = new Float64Array(n);
  const loadings = new Float64Array(K);
  if (nUse < 3 || !(sigma > 0)) return { drift, loadings };
  const C = new Float64Array(K * K);
  for (let p = 0; p < K; p++) {
    for (let q = p; q < K; q++) {
      let s = 0;
      const zp = Z[p], zq = Z[q];
      for (let i = 0; i < n; i++) s += zp[i] * zq[i];
      C[p * K + q] = C[q * K + p] = s / nUse;
    }
  }
  for (let p = 0; p < K; p++) {
    if (C[p * K + p] < 1e-12) C[p * K + p] = 1; // factor absent this month: decoupled, no effect
    C[p * K + p] += DRIFT_RIDGE;
  }
  const a = solveSmall(C, Float64Array.from(ic), K);
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    let s = 0;
    for (let k = 0; k < K; k++) s += Z[k][i] * a[k];
    drift[i] = s;
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += drift[i] * drift[i];
  const sd = Math.sqrt(ss / nUse);
  const scale = sd > DRIFT_MAX_SHARE ? (DRIFT_MAX_SHARE / sd) * sigma : sigma;
  for (let i = 0; i < n; i++) drift[i] *= scale;
  for (let k = 0; k < K; k++) loadings[k] = a[k] * (scale / sigma);
  return { drift, loadings };
}

/** z_i -= sum_{g(l) = g(i)} w_l z_l / sum w_l over used assets (in place; unused stay 0). */
function demeanWithinGroups(z: Float64Array, use: Uint8Array, group: Int32Array, weight: Float64Array, nGroups: number): void {
  const sw = new Float64Array(nGroups), swz = new Float64Array(nGroups);
  for (let i = 0; i < z.length; i++) {
    if (!use[i]) continue;
    sw[group[i]] += weight[i];
    swz[group[i]] += weight[i] * z[i];
  }
  for (let i = 0; i < z.length; i++) if (use[i] && sw[group[i]] > 0) z[i] -= swz[group[i]] / sw[group[i]];
}
