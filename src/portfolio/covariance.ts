/**
 * Covariance estimators for the mean-variance baseline, on a dense T x n matrix of returns
 * (rows = periods, columns = industries, no NaN):
 *
 * - `sampleCovariance`: S = X_c' X_c / (T - ddof), ddof 1 by default.
 * - `ledoitWolfCovariance`: shrinkage delta F + (1 - delta) S_mle toward a structured target F,
 *   with S_mle = X_c' X_c / T (the 1/T normalization of Ledoit & Wolf and scikit-learn):
 *     'constant-correlation' (default): F_ii = s_ii, F_ij = rbar sqrt(s_ii s_jj), rbar the mean
 *       pairwise sample correlation; delta from Ledoit & Wolf (2004), "Honey, I shrunk the sample
 *       covariance matrix" (as PyPortfolioOpt's constant_correlation);
 *     'identity': F = (tr S / n) I; delta from Ledoit & Wolf (2004), "A well-conditioned
 *       estimator for large-dimensional covariance matrices" (as scikit-learn's ledoit_wolf).
 * - `repairCovariance`: symmetrize, then eigenvalue clipping at a floor
 *     lambda_i -> max(lambda_i, floor),  floor = max(absoluteFloor, relativeFloor x mean eigenvalue)
 *   (relativeFloor 1e-8 by default), reporting whether the input was PSD and what was clipped.
 *
 * Eigen-decompositions use ml-matrix.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { RotationError } from '../errors.js';
import type { DenseMatrix } from './types.js';

export type ShrinkageTarget = 'constant-correlation' | 'identity';

function checkData(x: DenseMatrix, minRows: number, what: string): void {
  if (x.values.length !== x.rows * x.cols) {
    throw new RotationError('COV_BAD_INPUT', `${what}: ${x.values.length} values for ${x.rows} x ${x.cols}`, {}, 'pass a row-major rows x cols matrix');
  }
  if (x.rows < minRows || x.cols < 1) {
    throw new RotationError('COV_TOO_FEW_OBSERVATIONS', `${what} needs at least ${minRows} observations, got ${x.rows}`, { rows: x.rows, cols: x.cols },
      'lengthen the estimation window');
  }
  for (let k = 0; k < x.values.length; k++) {
    if (!Number.isFinite(x.values[k])) {
      throw new RotationError('COV_BAD_INPUT', `${what}: non-finite value ${x.values[k]}`, { row: Math.floor(k / x.cols), col: k % x.cols },
        'drop periods or industries with missing returns before estimating');
    }
  }
}

/** Column means: m_j = (1/T) sum_t x_tj. */
export function columnMeans(x: DenseMatrix): Float64Array {
  const { rows: T, cols: n, values } = x;
  const m = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let j = 0; j < n; j++) m[j] += values[t * n + j];
  for (let j = 0; j < n; j++) m[j] /= T;
  return m;
}

/** Demeaned copy X_c = X - 1 m'. */
function demeaned(x: DenseMatrix): Float64Array {
  const m = columnMeans(x);
  const out = new Float64Array(x.values.length);
  for (let t = 0; t < x.rows; t++) for (let j = 0; j < x.cols; j++) out[t * x.cols + j] = x.values[t * x.cols + j] - m[j];
  return out;
}

/** X_c' X_c / denom (n x n, row-major). */
function crossProduct(xc: Float64Array, T: number, n: number, denom: number): Float64Array {
  const s = new Float64Array(n * n);
  for (let t = 0; t < T; t++) {
    const b = t * n;
    for (let i = 0; i < n; i++) {
      const xi = xc[b + i];
      if (xi === 0) continue;
      for (let j = i; j < n; j++) s[i * n + j] += xi * xc[b + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { s[i * n + j] /= denom; s[j * n + i] = s[i * n + j]; }
  return s;
}

/**
 * Sample covariance S_ij = sum_t (x_ti - m_i)(x_tj - m_j) / (T - ddof), ddof 1 by default.
 * Errors: COV_BAD_INPUT (NaN, shape), COV_TOO_FEW_OBSERVATIONS (T <= ddof).
 */
export function sampleCovariance(x: DenseMatrix, ddof = 1): Float64Array {
  checkData(x, ddof + 1, 'sample covariance');
  return crossProduct(demeaned(x), x.rows, x.cols, x.rows - ddof);
}

export interface LedoitWolfResult {
  /** delta F + (1 - delta) S_mle, n x n row-major. */
  readonly covariance: Float64Array;
  /** Shrinkage intensity delta in [0, 1]. */
  readonly shrinkage: number;
  readonly target: ShrinkageTarget;
  /** The target F. */
  readonly targetMatrix: Float64Array;
  /** S_mle = X_c' X_c / T. */
  readonly sampleMle: Float64Array;
  /** Mean pairwise correlation rbar (constant-correlation target) or the scale mu = tr S / n (identity). */
  readonly targetParameter: number;
}

/**
 * Ledoit-Wolf shrinkage of the covariance of x (T x n) toward `target` (module comment).
 *
 * constant-correlation (Ledoit & Wolf 2004, with y_t = x_t - mean):
 *   pi_ij  = (1/T) sum_t (y_ti y_tj - s_ij)^2,                     pi = sum_ij pi_ij
 *   theta_ii,ij = (1/T) sum_t (y_ti^2 - s_ii)(y_ti y_tj - s_ij)
 *   rho    = sum_i pi_ii + sum_{i != j} (rbar/2)(sqrt(s_jj/s_ii) theta_ii,ij + sqrt(s_ii/s_jj) theta_jj,ij)
 *   gamma  = ||F - S||_F^2,   delta = max(0, min(1, (pi - rho) / gamma / T))
 * identity (Ledoit & Wolf 2004, JMA):
 *   mu = tr S / n,  d2 = ||S - mu I||_F^2,  b2bar = (1/T^2) sum_t ||y_t y_t' - S||_F^2,
 *   delta = min(b2bar, d2) / d2.
 * A zero-variance column (constant returns) gives COV_CONSTANT_COLUMN for the constant-correlation
 * target. Errors as `sampleCovariance` (T >= 2).
 */
export function ledoitWolfCovariance(x: DenseMatrix, target: ShrinkageTarget = 'constant-correlation'): LedoitWolfResult {
  checkData(x, 2, 'Ledoit-Wolf covariance');
  const T = x.rows, n = x.cols;
  const y = demeaned(x);
  const s = crossProduct(y, T, n, T);
  const F = new Float64Array(n * n);
  let delta: number, param: number;
  if (target === 'identity') {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += s[i * n + i];
    mu /= n;
    param = mu;
    for (let i = 0; i < n; i++) F[i * n + i] = mu;
    let d2 = 0;
    for (let k = 0; k < n * n; k++) d2 += (s[k] - F[k]) ** 2;
    let b2 = 0;
    for (let t = 0; t < T; t++) {
      const b = t * n;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b2 += (y[b + i] * y[b + j] - s[i * n + j]) ** 2;
    }
    b2 /= T * T;
    delta = d2 > 0 ? Math.min(b2, d2) / d2 : 1;
  } else if (target === 'constant-correlation') {
    const sd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sd[i] = Math.sqrt(s[i * n + i]);
      if (!(sd[i] > 0)) {
        throw new RotationError('COV_CONSTANT_COLUMN', 'A column has zero variance: the correlation target is undefined', { col: i },
          'drop industries with constant returns in the window, or use target "identity"');
      }
    }
    let rbar = 0;
    if (n > 1) {
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) rbar += s[i * n + j] / (sd[i] * sd[j]);
      rbar /= (n * (n - 1)) / 2;
    }
    param = rbar;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) F[i * n + j] = i === j ? s[i * n + i] : rbar * sd[i] * sd[j];
    // pi and theta in one pass over t.
    const pi = new Float64Array(n * n), theta = new Float64Array(n * n); // theta[i*n+j] = theta_ii,ij
    for (let t = 0; t < T; t++) {
      const b = t * n;
      for (let i = 0; i < n; i++) {
        const yi = y[b + i];
        const ui = yi * yi - s[i * n + i];
        for (let j = 0; j < n; j++) {
          const v = yi * y[b + j] - s[i * n + j];
          pi[i * n + j] += v * v;
          theta[i * n + j] += ui * v;
        }
      }
    }
    let piSum = 0, rho = 0, gamma = 0;
    for (let k = 0; k < n * n; k++) { pi[k] /= T; theta[k] /= T; piSum += pi[k]; gamma += (F[k] - s[k]) ** 2; }
    for (let i = 0; i < n; i++) rho += pi[i * n + i];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        rho += (rbar / 2) * ((sd[j] / sd[i]) * theta[i * n + j] + (sd[i] / sd[j]) * theta[j * n + i]);
      }
    }
    delta = gamma > 0 ? Math.max(0, Math.min(1, (piSum - rho) / gamma / T)) : 1;
  } else {
    throw new RotationError('COV_BAD_TARGET', `Unknown shrinkage target "${String(target)}"`, { target: String(target) },
      'use "constant-correlation" or "identity"');
  }
  const out = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) out[k] = delta * F[k] + (1 - delta) * s[k];
  return { covariance: out, shrinkage: delta, target, targetMatrix: F, sampleMle: s, targetParameter: param };
}

export interface CovarianceRepair {
  /** The repaired matrix (the input symmetrized when nothing needed clipping). */
  readonly covariance: Float64Array;
  /** True when any eigenvalue was below the floor (the matrix was changed beyond symmetrization). */
  readonly repaired: boolean;
  /** Smallest eigenvalue of the (symmetrized) input. */
  readonly minEigenvalue: number;
  /** The floor eigenvalues were clipped at. */
  readonly floor: number;
  /** Number of eigenvalues raised to the floor. */
  readonly clipped: number;
  /** max |A - A'| of the input (asymmetry removed by (A + A')/2). */
  readonly asymmetry: number;
}

export interface RepairOptions {
  /** Floor relative to the mean eigenvalue tr(A)/n (default 1e-8). */
  relativeFloor?: number;
  /** Absolute floor (default 0). */
  absoluteFloor?: number;
}

/**
 * Make a covariance matrix positive (semi)definite by eigenvalue clipping:
 *   A_s = (A + A')/2 = V diag(lambda) V',   A_psd = V diag(max(lambda, floor)) V',
 *   floor = max(absoluteFloor, relativeFloor x max(tr(A_s)/n, tiny)).
 * When min lambda >= floor the symmetrized input is returned unchanged (repaired = false).
 * Errors: COV_BAD_INPUT for NaN or a non-square input.
 */
export function repairCovariance(a: ArrayLike<number>, n: number, options: RepairOptions = {}): CovarianceRepair {
  if (a.length !== n * n) {
    throw new RotationError('COV_BAD_INPUT', `Covariance has ${a.length} entries, expected ${n} x ${n}`, {}, 'pass a square row-major matrix');
  }
  const sym = new Float64Array(n * n);
  let asym = 0, trace = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = a[i * n + j], w = a[j * n + i];
      if (!Number.isFinite(v)) {
        throw new RotationError('COV_BAD_INPUT', `Covariance entry (${i}, ${j}) is ${v}`, { row: i, col: j }, 'estimate the covariance from complete data');
      }
      sym[i * n + j] = (v + w) / 2;
      asym = Math.max(asym, Math.abs(v - w));
    }
    trace += sym[i * n + i];
  }
  const rel = options.relativeFloor ?? 1e-8, abs = options.absoluteFloor ?? 0;
  const floor = Math.max(abs, rel * Math.max(trace / n, 1e-300));
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(sym.subarray(i * n, (i + 1) * n)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  let minEig = Infinity, clipped = 0;
  for (const l of lambda) { if (l < minEig) minEig = l; if (l < floor) clipped++; }
  if (clipped === 0) return { covariance: sym, repaired: false, minEigenvalue: minEig, floor, clipped: 0, asymmetry: asym };
  const V = evd.eigenvectorMatrix;
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const l = Math.max(lambda[k], floor);
    for (let i = 0; i < n; i++) {
      const vik = V.get(i, k) * l;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += vik * V.get(j, k);
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { const m = (out[i * n + j] + out[j * n + i]) / 2; out[i * n + j] = m; out[j * n + i] = m; }
  return { covariance: out, repaired: true, minEigenvalue: minEig, floor, clipped, asymmetry: asym };
}

/** Smallest eigenvalue of the symmetric part of an n x n matrix (ml-matrix EVD). */
export function minEigenvalue(a: ArrayLike<number>, n: number): number {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r: number[] = [];
    for (let j = 0; j < n; j++) r.push((a[i * n + j] + a[j * n + i]) / 2);
    rows.push(r);
  }
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  return Math.min(...evd.realEigenvalues);
}
