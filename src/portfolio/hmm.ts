/**
 * Gaussian hidden Markov model, own implementation (no hmmlearn port), for the regime baseline.
 *
 *   z_t | z_{t-1} ~ A[z_{t-1}, .],  z_1 ~ pi,  x_t | z_t = k ~ N(mu_k, Sigma_k)   (x_t in R^D)
 *
 * Fitting (`fitGaussianHmm`): Baum-Welch EM with scaled forward-backward (per-step emission
 * log-densities shifted by their maximum, forward variables normalized to sum 1), on features
 * standardized with the TRAINING sample's mean and std (parameters are reported in original
 * units). Covariance 'full' or 'diag', with a floor: minCovar (default 1e-3, as hmmlearn) added to
 * every variance in standardized units, i.e. minCovar x var(x_d) in original units. Several
 * seeded restarts (k-means++ initialization through createRng) keep the best log-likelihood.
 *
 * Canonical state order (label switching): states are sorted by the mean of feature
 * `orderFeature` (default 0, the market return) DESCENDING, so state 0 is the regime with the
 * highest mean market return; two fits with different seeds that find the same optimum give the
 * same labels.
 *
 * Data-size rule: free parameters p = (K - 1) + K(K - 1) + K D + K D (diag) or K D (D + 1)/2
 * (full); fitting needs T >= 10 p observations (`minObservationsPerParameter`), else
 * RotationError HMM_TOO_MANY_STATES.
 *
 * Decisions must use ONLY `forwardFilter`: p(z_t | x_1..t), computed step by step, so its value at
 * t does not depend on x_{t+1..T} (tested bitwise). `smoothedProbabilitiesUsesFutureData`
 * (p(z_t | x_1..T), hmmlearn's predict_proba) and `viterbiUsesFutureData` (hmmlearn's predict)
 * look ahead and are diagnostics only.
 */
import { choleskyFactor } from '../stats/linalg.js';
import { RotationError } from '../errors.js';
import { createRng, type Rng } from '../random.js';
import type { DenseMatrix } from './types.js';

export type HmmCovarianceType = 'full' | 'diag';

export interface GaussianHmm {
  readonly nStates: number;
  readonly dim: number;
  readonly covarianceType: HmmCovarianceType;
  /** pi (K). */
  readonly startProb: Float64Array;
  /** A (K x K row-major), rows sum to 1. */
  readonly transition: Float64Array;
  /** mu (K x D row-major), original units. */
  readonly means: Float64Array;
  /** Sigma_k (K x D x D), original units; diagonal matrices for 'diag'. */
  readonly covariances: Float64Array;
}

export interface HmmFitOptions {
  nStates: number;
  /** Default 'full'. */
  covarianceType?: HmmCovarianceType;
  /** Number of seeded restarts (default 5). */
  restarts?: number;
  /** EM iterations per restart (default 200). */
  maxIter?: number;
  /** Stop when the log-likelihood improves by less than tol x T (default 1e-6 per observation). */
  tol?: number;
  /** Variance floor in standardized units (default 1e-3). */
  minCovar?: number;
  /** Seed of the restarts (createRng). */
  seed: number;
  /** Feature whose state means define the canonical order (descending); default 0. */
  orderFeature?: number;
  /** Minimum observations per free parameter (default 10). */
  minObservationsPerParameter?: number;
}

export interface HmmRestart {
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface HmmFit {
  /** Fitted model in canonical state order, original units. */
  readonly model: GaussianHmm;
  /** log p(x_1..T) of the training data under `model` (original units). */
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Every restart's result; `bestRestart` indexes the one kept. */
  readonly restarts: HmmRestart[];
  readonly bestRestart: number;
  readonly nObservations: number;
  readonly freeParameters: number;
  /** Feature mean and std of the training sample (the standardization used while fitting). */
  readonly featureMean: Float64Array;
  readonly featureStd: Float64Array;
}

/**
 * Free parameters of a K-state Gaussian HMM in D dimensions:
 *   p = (K - 1) + K(K - 1) + K D + (diag: K D | full: K D (D + 1) / 2).
 */
export function hmmFreeParameters(nStates: number, dim: number, covarianceType: HmmCovarianceType): number {
  const K = nStates, D = dim;
  return (K - 1) + K * (K - 1) + K * D + (covarianceType === 'diag' ? K * D : (K * D * (D + 1)) / 2);
}

const LOG_2PI = Math.log(2 * Math.PI);

interface EmissionCache {
  chol: Float64Array[];
  logNorm: Float64Array; // -0.5 (D log 2pi + log det Sigma_k)
}

function emissionCache(covs: Float64Array, K: number, D: number): EmissionCache {
  const chol: Float64Array[] = [];
  const logNorm = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const L = choleskyFactor(covs, D, { offset: k * D * D });
    if (!L) {
      throw new RotationError('HMM_SINGULAR_COVARIANCE', `State ${k} covariance is not positive definite`, { state: k },
        'raise minCovar, or drop a feature that is (nearly) a combination of the others');
    }
    let logdet = 0;
    for (let d = 0; d < D; d++) logdet += 2 * Math.log(L[d * D + d]);
    chol.push(L);
    logNorm[k] = -0.5 * (D * LOG_2PI + logdet);
  }
  return { chol, logNorm };
}

/** log N(x_t; mu_k, Sigma_k) for rows [from, to) of x into out ((to - from) x K). */
function logEmissions(x: Float64Array, from: number, to: number, D: number, K: number, means: Float64Array, cache: EmissionCache, out: Float64Array): void {
  const y = new Float64Array(D);
  for (let t = from; t < to; t++) {
    const xb = t * D, ob = (t - from) * K;
    for (let k = 0; k < K; k++) {
      const L = cache.chol[k];
      let q = 0;
      for (let i = 0; i < D; i++) {
        let s = x[xb + i] - means[k * D + i];
        for (let j = 0; j < i; j++) s -= L[i * D + j] * y[j];
        y[i] = s / L[i * D + i];
        q += y[i] * y[i];
      }
      out[ob + k] = cache.logNorm[k] - 0.5 * q;
    }
  }
}

interface ForwardPass {
  /** Normalized forward variables alpha_hat (T x K) = p(z_t | x_1..t). */
  alpha: Float64Array;
  /** Scaled emissions b_t(k) = exp(logB - m_t) (T x K). */
  b: Float64Array;
  /** Scale c_t (normalizer of the shifted forward variable). */
  c: Float64Array;
  logLik: number;
  /** Per-step log p(x_t | x_1..t-1). */
  step: Float64Array;
}

/**
 * Scaled forward recursion, strictly sequential in t:
 *   m_t = max_k logB_tk,  b_tk = exp(logB_tk - m_t),
 *   a_1 = pi .* b_1,  a_t = (alpha_hat_{t-1} A) .* b_t,  c_t = sum_k a_tk,  alpha_hat_t = a_t / c_t,
 *   log p(x_t | x_1..t-1) = log c_t + m_t.
 * If every reachable state has a zero shifted emission (c_t = 0), the step restarts from the
 * emissions alone (alpha_hat_t = b_t / sum b_t) and c_t is taken as 1e-300.
 */
function forwardPass(logB: Float64Array, T: number, K: number, pi: Float64Array, A: Float64Array, into?: ForwardPass): ForwardPass {
  // `into`: buffers of an earlier pass of the same T and K, overwritten (every cell is written).
  const alpha = into ? into.alpha : new Float64Array(T * K), b = into ? into.b : new Float64Array(T * K);
  const c = into ? into.c : new Float64Array(T), step = into ? into.step : new Float64Array(T);
  let logLik = 0;
  for (let t = 0; t < T; t++) {
    const o = t * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (logB[o + k] > m) m = logB[o + k];
    if (!Number.isFinite(m)) m = 0;
    for (let k = 0; k < K; k++) b[o + k] = Math.exp(logB[o + k] - m);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      let pred: number;
      if (t === 0) pred = pi[k];
      else {
        pred = 0;
        const p = o - K;
        for (let j = 0; j < K; j++) pred += alpha[p + j] * A[j * K + k];
      }
      alpha[o + k] = pred * b[o + k];
      sum += alpha[o + k];
    }
    if (!(sum > 0)) {
      let sb = 0;
      for (let k = 0; k < K; k++) sb += b[o + k];
      for (let k = 0; k < K; k++) alpha[o + k] = b[o + k] / sb;
      sum = 1e-300;
    } else {
      for (let k = 0; k < K; k++) alpha[o + k] /= sum;
    }
    c[t] = sum;
    step[t] = Math.log(sum) + m;
    logLik += step[t];
  }
  return { alpha, b, c, logLik, step };
}

/**
 * Scaled backward recursion: beta_hat_T = 1, beta_hat_t = A (b_{t+1} .* beta_hat_{t+1}) / c_{t+1}.
 * `into`: a T x K buffer to overwrite (every cell is written).
 */
function backwardPass(f: ForwardPass, T: number, K: number, A: Float64Array, into?: Float64Array): Float64Array {
  const beta = into ?? new Float64Array(T * K);
  const fb = f.b, fc = f.c;
  for (let k = 0; k < K; k++) beta[(T - 1) * K + k] = 1;
  const tmp = new Float64Array(K);
  for (let t = T - 2; t >= 0; t--) {
    const n = (t + 1) * K, ct = fc[t + 1];
    for (let j = 0; j < K; j++) tmp[j] = fb[n + j] * beta[n + j];
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += A[i * K + j] * tmp[j];
      beta[t * K + i] = s / ct;
    }
  }
  return beta;
}

function validateData(x: DenseMatrix, what: string): void {
  if (x.values.length !== x.rows * x.cols || x.cols < 1) {
    throw new RotationError('HMM_BAD_INPUT', `${what}: ${x.values.length} values for ${x.rows} x ${x.cols}`, {}, 'pass a row-major T x D matrix with D >= 1');
  }
  for (let k = 0; k < x.values.length; k++) {
    if (!Number.isFinite(x.values[k])) {
      throw new RotationError('HMM_BAD_INPUT', `${what}: non-finite value ${x.values[k]}`, { row: Math.floor(k / x.cols), col: k % x.cols },
        'drop or fill rows with missing features before fitting or filtering');
    }
  }
}

function checkModel(model: GaussianHmm, x: DenseMatrix): void {
  if (x.cols !== model.dim) {
    throw new RotationError('HMM_BAD_INPUT', `Data has ${x.cols} features, the model ${model.dim}`, {}, 'use the features the model was fitted on');
  }
}

/** Validated log emission densities log N(x_t; mu_k, Sigma_k) of every row and state (T x K). */
function modelLogEmissions(model: GaussianHmm, x: DenseMatrix, what: string): Float64Array {
  validateData(x, what);
  checkModel(model, x);
  const K = model.nStates, D = model.dim, T = x.rows;
  const logB = new Float64Array(T * K);
  logEmissions(x.values, 0, T, D, K, model.means, emissionCache(model.covariances, K, D), logB);
  return logB;
}

/**
 * Causal filtered state probabilities p(z_t = k | x_1..t) (T x K row-major), computed by the
 * scaled forward recursion one step at a time, plus log p(x_1..T) and the per-step predictive
 * log-likelihoods. Row t depends only on rows 0..t of `x`: changing later rows leaves it
 * bitwise unchanged. This is the only HMM output a backtest may use for decisions.
 */
export function forwardFilter(model: GaussianHmm, x: DenseMatrix): { probabilities: Float64Array; logLikelihood: number; stepLogLikelihood: Float64Array } {
  const K = model.nStates, T = x.rows;
  const logB = modelLogEmissions(model, x, 'forward filter');
  const f = forwardPass(logB, T, K, model.startProb, model.transition);
  return { probabilities: f.alpha, logLikelihood: f.logLik, stepLogLikelihood: f.step };
}

/**
 * LOOK-AHEAD diagnostic: smoothed probabilities p(z_t = k | x_1..T) by forward-backward
 * (gamma_t = alpha_hat_t .* beta_hat_t). Row t uses data after t; never use it for decisions.
 */
export function smoothedProbabilitiesUsesFutureData(model: GaussianHmm, x: DenseMatrix): Float64Array {
  const K = model.nStates, T = x.rows;
  const logB = modelLogEmissions(model, x, 'smoothing');
  const f = forwardPass(logB, T, K, model.startProb, model.transition);
  const beta = backwardPass(f, T, K, model.transition);
  const g = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = 0; k < K; k++) { g[t * K + k] = f.alpha[t * K + k] * beta[t * K + k]; s += g[t * K + k]; }
    for (let k = 0; k < K; k++) g[t * K + k] /= s;
  }
  return g;
}

/**
 * LOOK-AHEAD diagnostic: the Viterbi path argmax_z p(z_1..T | x_1..T) (log space). The state at t
 * depends on data after t (hmmlearn's `predict`); never use it for decisions.
 */
export function viterbiUsesFutureData(model: GaussianHmm, x: DenseMatrix): Int32Array {
  const K = model.nStates, T = x.rows;
  const logB = modelLogEmissions(model, x, 'Viterbi');
  const logA = model.transition.map((v) => Math.log(v));
  let delta = new Float64Array(K), next = new Float64Array(K);
  const back = new Int32Array(T * K);
  for (let k = 0; k < K; k++) delta[k] = Math.log(model.startProb[k]) + logB[k];
  for (let t = 1; t < T; t++) {
    for (let k = 0; k < K; k++) {
      let best = -Infinity, arg = 0;
      for (let j = 0; j < K; j++) {
        const v = delta[j] + logA[j * K + k];
        if (v > best) { best = v; arg = j; }
      }
      next[k] = best + logB[t * K + k];
      back[t * K + k] = arg;
    }
    [delta, next] = [next, delta];
  }
  const path = new Int32Array(T);
  let best = -Infinity;
  for (let k = 0; k < K; k++) if (delta[k] > best) { best = delta[k]; path[T - 1] = k; }
  for (let t = T - 1; t > 0; t--) path[t - 1] = back[t * K + path[t]];
  return path;
}

/** Most probable state per row of a T x K probability matrix (ties: lowest index). */
export function argmaxStates(probabilities: Float64Array, K: number): Int32Array {
  const T = probabilities.length / K;
  const out = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    let best = -Infinity;
    for (let k = 0; k < K; k++) if (probabilities[t * K + k] > best) { best = probabilities[t * K + k]; out[t] = k; }
  }
  return out;
}

interface Params {
  pi: Float64Array;
  A: Float64Array;
  mu: Float64Array;
  cov: Float64Array;
}

/** k-means++ seeding plus 10 Lloyd iterations on standardized data; covariances from the clusters. */
function initialParams(z: Float64Array, T: number, D: number, K: number, type: HmmCovarianceType, minCovar: number, rng: Rng): Params {
  const mu = new Float64Array(K * D);
  const dist = new Float64Array(T).fill(Infinity);
  let first = rng.int(T);
  for (let d = 0; d < D; d++) mu[d] = z[first * D + d];
  for (let k = 1; k < K; k++) {
    let total = 0;
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (z[t * D + d] - mu[(k - 1) * D + d]) ** 2;
      if (s < dist[t]) dist[t] = s;
      total += dist[t];
    }
    let u = rng.uniform() * total, pick = T - 1;
    for (let t = 0; t < T; t++) { u -= dist[t]; if (u <= 0) { pick = t; break; } }
    first = pick;
    for (let d = 0; d < D; d++) mu[k * D + d] = z[pick * D + d];
  }
  const assign = new Int32Array(T);
  for (let it = 0; it < 10; it++) {
    for (let t = 0; t < T; t++) {
      let best = Infinity;
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += (z[t * D + d] - mu[k * D + d]) ** 2;
        if (s < best) { best = s; assign[t] = k; }
      }
    }
    const cnt = new Float64Array(K);
    const acc = new Float64Array(K * D);
    for (let t = 0; t < T; t++) { cnt[assign[t]]++; for (let d = 0; d < D; d++) acc[assign[t] * D + d] += z[t * D + d]; }
    for (let k = 0; k < K; k++) if (cnt[k] > 0) for (let d = 0; d < D; d++) mu[k * D + d] = acc[k * D + d] / cnt[k];
  }
  const cov = new Float64Array(K * D * D);
  const cnt = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    const k = assign[t];
    cnt[k]++;
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) cov[k * D * D + i * D + j] += (z[t * D + i] - mu[k * D + i]) * (z[t * D + j] - mu[k * D + j]);
  }
  for (let k = 0; k < K; k++) {
    const o = k * D * D;
    if (cnt[k] <= D) {
      cov.fill(0, o, o + D * D);
      for (let d = 0; d < D; d++) cov[o + d * D + d] = 1;
    } else {
      for (let e = 0; e < D * D; e++) cov[o + e] /= cnt[k];
    }
    if (type === 'diag') for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) if (i !== j) cov[o + i * D + j] = 0;
    for (let d = 0; d < D; d++) cov[o + d * D + d] += minCovar;
  }
  const pi = new Float64Array(K).fill(1 / K);
  const A = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) A[i * K + j] = K === 1 ? 1 : i === j ? 0.9 : 0.1 / (K - 1);
  return { pi, A, mu, cov };
}

/** One EM run from `p` on standardized data; returns the final parameters and log-likelihood. */
function baumWelch(z: Float64Array, T: number, D: number, K: number, type: HmmCovarianceType, minCovar: number, p: Params, maxIter: number, tol: number): { p: Params; logLik: number; iterations: number; converged: boolean } {
  // Work buffers of the E-step, allocated once per run and overwritten every iteration.
  const logB = new Float64Array(T * K), beta = new Float64Array(T * K), g = new Float64Array(T * K);
  let f: ForwardPass | undefined;
  let prev = -Infinity, logLik = -Infinity, iterations = 0, converged = false;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    const cache = emissionCache(p.cov, K, D);
    logEmissions(z, 0, T, D, K, p.mu, cache, logB);
    f = forwardPass(logB, T, K, p.pi, p.A, f);
    logLik = f.logLik;
    if (Math.abs(logLik - prev) < tol * T) { converged = true; break; }
    prev = logLik;
    backwardPass(f, T, K, p.A, beta);
    // E-step sufficient statistics.
    const gsum = new Float64Array(K), xsum = new Float64Array(K * K), gx = new Float64Array(K * D);
    const alpha = f.alpha, fb = f.b, fc = f.c, A0 = p.A;
    for (let t = 0; t < T; t++) {
      const o = t * K;
      let s = 0;
      for (let k = 0; k < K; k++) { g[o + k] = alpha[o + k] * beta[o + k]; s += g[o + k]; }
      for (let k = 0; k < K; k++) {
        const gk = g[o + k] / s;
        g[o + k] = gk;
        gsum[k] += gk;
        for (let d = 0; d < D; d++) gx[k * D + d] += gk * z[t * D + d];
      }
      if (t + 1 < T) {
        const n = o + K, ct = fc[t + 1];
        for (let i = 0; i < K; i++) {
          const ai = alpha[o + i] / ct;
          if (ai === 0) continue;
          for (let j = 0; j < K; j++) xsum[i * K + j] += ai * A0[i * K + j] * fb[n + j] * beta[n + j];
        }
      }
    }
    // M-step.
    const pi = new Float64Array(K), A = new Float64Array(p.A), mu = new Float64Array(p.mu), cov = new Float64Array(p.cov);
    for (let k = 0; k < K; k++) pi[k] = g[k];
    for (let i = 0; i < K; i++) {
      let rs = 0;
      for (let j = 0; j < K; j++) rs += xsum[i * K + j];
      if (rs > 0) for (let j = 0; j < K; j++) A[i * K + j] = xsum[i * K + j] / rs;
    }
    for (let k = 0; k < K; k++) {
      if (!(gsum[k] > 1e-10)) continue; // an empty state keeps its parameters
      for (let d = 0; d < D; d++) mu[k * D + d] = gx[k * D + d] / gsum[k];
      const o = k * D * D;
      cov.fill(0, o, o + D * D);
      const diag = type === 'diag';
      for (let t = 0; t < T; t++) {
        const gk = g[t * K + k];
        if (gk === 0) continue;
        for (let i = 0; i < D; i++) {
          const di = z[t * D + i] - mu[k * D + i];
          if (diag) { cov[o + i * D + i] += gk * di * di; continue; }
          for (let j = 0; j <= i; j++) cov[o + i * D + j] += gk * di * (z[t * D + j] - mu[k * D + j]);
        }
      }
      for (let i = 0; i < D; i++) {
        for (let j = 0; j <= i; j++) { cov[o + i * D + j] /= gsum[k]; cov[o + j * D + i] = cov[o + i * D + j]; }
        cov[o + i * D + i] += minCovar;
      }
    }
    p = { pi, A, mu, cov };
  }
  if (!converged) {
    // maxIter reached after an M-step: report the log-likelihood of the returned parameters.
    logEmissions(z, 0, T, D, K, p.mu, emissionCache(p.cov, K, D), logB);
    logLik = forwardPass(logB, T, K, p.pi, p.A).logLik;
  }
  return { p, logLik, iterations, converged };
}

/**
 * Permutation to canonical order: states sorted by mean of feature `f` descending (ties: smaller
 * variance of f first, then original index). Returns order[newIndex] = oldIndex.
 */
export function canonicalStateOrder(model: GaussianHmm, orderFeature = 0): number[] {
  const K = model.nStates, D = model.dim;
  const f = orderFeature;
  return Array.from({ length: K }, (_, k) => k).sort((a, b) =>
    (model.means[b * D + f] - model.means[a * D + f])
    || (model.covariances[a * D * D + f * D + f] - model.covariances[b * D * D + f * D + f])
    || (a - b));
}

/** The model with its states relabelled: new state r = old state order[r]. */
export function permuteStates(model: GaussianHmm, order: readonly number[]): GaussianHmm {
  const K = model.nStates, D = model.dim;
  const pi = new Float64Array(K), A = new Float64Array(K * K), mu = new Float64Array(K * D), cov = new Float64Array(K * D * D);
  for (let r = 0; r < K; r++) {
    const o = order[r];
    pi[r] = model.startProb[o];
    for (let s = 0; s < K; s++) A[r * K + s] = model.transition[o * K + order[s]];
    mu.set(model.means.subarray(o * D, (o + 1) * D), r * D);
    cov.set(model.covariances.subarray(o * D * D, (o + 1) * D * D), r * D * D);
  }
  return { ...model, startProb: pi, transition: A, means: mu, covariances: cov };
}

/**
 * Fit a Gaussian HMM by Baum-Welch (module comment): standardize with the sample's mean/std,
 * run `restarts` seeded EM runs (k-means++ starts), keep the best log-likelihood, map back to
 * original units and order states canonically. Errors: HMM_BAD_INPUT (NaN, shape, options),
 * HMM_TOO_MANY_STATES (T < 10 x free parameters), HMM_CONSTANT_FEATURE (zero variance).
 */
export function fitGaussianHmm(x: DenseMatrix, options: HmmFitOptions): HmmFit {
  validateData(x, 'HMM fit');
  const K = options.nStates, D = x.cols, T = x.rows;
  const type = options.covarianceType ?? 'full';
  const restarts = options.restarts ?? 5, maxIter = options.maxIter ?? 200, tol = options.tol ?? 1e-6, minCovar = options.minCovar ?? 1e-3;
  const perParam = options.minObservationsPerParameter ?? 10;
  const orderFeature = options.orderFeature ?? 0;
  if (!Number.isInteger(K) || K < 1 || !Number.isInteger(restarts) || restarts < 1 || !Number.isInteger(maxIter) || maxIter < 1
    || !(tol > 0) || !(minCovar > 0) || (type !== 'full' && type !== 'diag') || !Number.isInteger(orderFeature) || orderFeature < 0 || orderFeature >= D) {
    throw new RotationError('HMM_BAD_INPUT', 'Invalid HMM options', { nStates: K, restarts, maxIter, covarianceType: String(type), orderFeature },
      'pass nStates >= 1, restarts >= 1, maxIter >= 1, tol > 0, minCovar > 0, covarianceType "full" | "diag", 0 <= orderFeature < D');
  }
  const p = hmmFreeParameters(K, D, type);
  if (T < perParam * p) {
    throw new RotationError('HMM_TOO_MANY_STATES',
      `${K} states x ${D} features (${type} covariance) have ${p} free parameters; ${T} observations is fewer than ${perParam} per parameter (${perParam * p})`,
      { nStates: K, features: D, observations: T, freeParameters: p, required: perParam * p },
      `use fewer states or features, diagonal covariance, or at least ${perParam * p} observations`);
  }
  const mean = new Float64Array(D), sd = new Float64Array(D);
  for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) mean[d] += x.values[t * D + d];
  for (let d = 0; d < D; d++) mean[d] /= T;
  for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) sd[d] += (x.values[t * D + d] - mean[d]) ** 2;
  for (let d = 0; d < D; d++) {
    sd[d] = Math.sqrt(sd[d] / T);
    if (!(sd[d] > 0)) {
      throw new RotationError('HMM_CONSTANT_FEATURE', `Feature ${d} is constant over the ${T} observations`, { feature: d },
        'drop the constant feature');
    }
  }
  const z = new Float64Array(T * D);
  for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) z[t * D + d] = (x.values[t * D + d] - mean[d]) / sd[d];
  const master = createRng(options.seed);
  const runs: HmmRestart[] = [];
  let best: { p: Params; logLik: number; iterations: number; converged: boolean } | undefined, bestIdx = 0;
  for (let r = 0; r < restarts; r++) {
    const rng = master.fork();
    const init = initialParams(z, T, D, K, type, minCovar, rng);
    const res = baumWelch(z, T, D, K, type, minCovar, init, maxIter, tol);
    runs.push({ logLikelihood: res.logLik - T * sumLog(sd), iterations: res.iterations, converged: res.converged });
    if (!best || res.logLik > best.logLik) { best = res; bestIdx = r; }
  }
  // Back to original units: mu = m + s .* mu_z,  Sigma = S Sigma_z S.
  const bp = best!.p;
  const mu = new Float64Array(K * D), cov = new Float64Array(K * D * D);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < D; i++) {
      mu[k * D + i] = mean[i] + sd[i] * bp.mu[k * D + i];
      for (let j = 0; j < D; j++) cov[k * D * D + i * D + j] = sd[i] * sd[j] * bp.cov[k * D * D + i * D + j];
    }
  }
  const raw: GaussianHmm = { nStates: K, dim: D, covarianceType: type, startProb: bp.pi, transition: bp.A, means: mu, covariances: cov };
  const model = permuteStates(raw, canonicalStateOrder(raw, orderFeature));
  return {
    model, logLikelihood: best!.logLik - T * sumLog(sd), iterations: best!.iterations, converged: best!.converged,
    restarts: runs, bestRestart: bestIdx, nObservations: T, freeParameters: p, featureMean: mean, featureStd: sd,
  };
}

function sumLog(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.log(v[i]);
  return s;
}

/**
 * Draw T steps from a Gaussian HMM: z_1 ~ pi, z_t ~ A[z_{t-1}], x_t = mu_z + L_z e, e ~ N(0, I)
 * (L_z the Cholesky factor of Sigma_z). For tests and simulation studies.
 */
export function sampleGaussianHmm(model: GaussianHmm, T: number, rng: Rng): { observations: DenseMatrix; states: Int32Array } {
  const K = model.nStates, D = model.dim;
  const cache = emissionCache(model.covariances, K, D);
  const x = new Float64Array(T * D), states = new Int32Array(T);
  const e = new Float64Array(D);
  const draw = (p: ArrayLike<number>, off: number): number => {
    let u = rng.uniform();
    for (let k = 0; k < K; k++) { u -= p[off + k]; if (u < 0) return k; }
    return K - 1;
  };
  for (let t = 0; t < T; t++) {
    const s = t === 0 ? draw(model.startProb, 0) : draw(model.transition, states[t - 1] * K);
    states[t] = s;
    for (let d = 0; d < D; d++) e[d] = rng.normal();
    const L = cache.chol[s];
    for (let i = 0; i < D; i++) {
      let v = model.means[s * D + i];
      for (let j = 0; j <= i; j++) v += L[i * D + j] * e[j];
      x[t * D + i] = v;
    }
  }
  return { observations: { rows: T, cols: D, values: x }, states };
}
