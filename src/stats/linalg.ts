/**
 * Small dense linear algebra on typed arrays, the one home of the Cholesky factorization and its
 * solve (used by the IC-weight optimizer, the HMM emission densities and the active-set QP).
 * Hand-written rather than ml-matrix because the callers factor principal submatrices of a larger
 * row-major array inside hot loops (no copies, no object per call), and need a pivot test that
 * reports "not positive definite" instead of returning NaNs.
 */

export interface CholeskyOptions {
  /** Offset of element (0, 0) in `a`. Default 0. */
  offset?: number;
  /** Row stride of `a`. Default n (or the full size when `index` is given: pass it). */
  stride?: number;
  /** Factor the principal submatrix on these rows/columns of `a` (default 0..n−1). */
  index?: readonly number[];
  /** A pivot s must exceed relTol·max(1e−300, |a_ii|) (default 0: s > 0). */
  relTol?: number;
}

/**
 * Cholesky factor of a symmetric positive definite matrix A = L Lᵀ, L lower triangular, row-major
 * n x n:  L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj,  L_ii = √(A_ii − Σ_{k<i} L_ik²).
 * Returns null when a pivot fails the positive-definiteness test (CholeskyOptions.relTol).
 */
export function choleskyFactor(a: ArrayLike<number>, n: number, options: CholeskyOptions = {}): Float64Array | null {
  const off = options.offset ?? 0, stride = options.stride ?? n, idx = options.index, tol = options.relTol ?? 0;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = off + (idx ? idx[i] : i) * stride;
    for (let j = 0; j <= i; j++) {
      let s = a[ri + (idx ? idx[j] : j)];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > tol * Math.max(1e-300, Math.abs(a[ri + (idx ? idx[i] : i)])))) return null;
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  return L;
}

/** Solve L Lᵀ x = b for the factor of `choleskyFactor`: forward L y = b, then back Lᵀ x = y. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * y[k];
    y[i] = s / L[i * n + i];
  }
  return y;
}
