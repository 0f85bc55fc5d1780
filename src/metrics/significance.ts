/**
 * Is the performance more than luck? The t statistic of the mean excess return, the probabilistic
 * Sharpe ratio (Bailey & López de Prado 2012, with skewness and kurtosis) and the deflated Sharpe
 * ratio (Bailey & López de Prado 2014: the PSR against the Sharpe expected from the best of N
 * tried configurations), the multiple-testing adjustments of p-values (Holm, Benjamini-Hochberg),
 * plus the normal distribution functions they need.
 *
 * Sharpe ratios here are PER PERIOD (not annualized): SR = mean(r)/std(r, ddof 1). Skewness and
 * kurtosis are population moments (γ3 = m3/m2^1.5, γ4 = m4/m2², γ4 = 3 for a normal), as
 * scipy.stats.skew / kurtosis(fisher=False) with their default bias=True.
 */
import { RotationError } from '../errors.js';
import { normalCdf, normalQuantile } from '../stats/distributions.js';
import { activeReturns } from './relative.js';
import { checkReturns, mean, sampleStd } from './returns.js';

/** Euler–Mascheroni constant γ. */
export const EULER_GAMMA = 0.5772156649015329;

/** Central moments m_k = (1/T) Σ (x_t − mean)^k for k = 2, 3, 4. */
function centralMoments(x: ArrayLike<number>): { m2: number; m3: number; m4: number } {
  const n = x.length, m = mean(x);
  let m2 = 0, m3 = 0, m4 = 0;
  for (let t = 0; t < n; t++) {
    const d = x[t] - m, d2 = d * d;
    m2 += d2; m3 += d2 * d; m4 += d2 * d2;
  }
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** Skewness γ3 = m3 / m2^1.5 (population moments, biased; scipy.stats.skew default). NaN when T < 2 or m2 = 0. */
export function skewness(x: ArrayLike<number>): number {
  checkReturns(x, 'series');
  if (x.length < 2) return NaN;
  const { m2, m3 } = centralMoments(x);
  return m2 > 0 ? m3 / Math.pow(m2, 1.5) : NaN;
}

/** Kurtosis γ4 = m4 / m2² (population, NOT excess: 3 for a normal; scipy kurtosis(fisher=False)). NaN when T < 2 or m2 = 0. */
export function kurtosis(x: ArrayLike<number>): number {
  checkReturns(x, 'series');
  if (x.length < 2) return NaN;
  const { m2, m4 } = centralMoments(x);
  return m2 > 0 ? m4 / (m2 * m2) : NaN;
}

export interface MeanExcessTest {
  /** t = mean(a) / (std(a, ddof 1)/√T). */
  t: number;
  /** Number of periods T (degrees of freedom T − 1). */
  n: number;
  mean: number;
  /** std(a, ddof 1)/√T. */
  stdError: number;
}

/**
 * t statistic of the mean active return a_t = r_t − b_t (iid assumption):
 *   t = mean(a) / (std(a, ddof 1) / √T)  (= IR_annualized · √(T/P)). NaN when T < 2.
 */
export function meanExcessT(r: ArrayLike<number>, b: ArrayLike<number>): MeanExcessTest {
  const a = activeReturns(r, b);
  const n = a.length;
  const m = mean(a), se = sampleStd(a) / Math.sqrt(n);
  return { t: n < 2 ? NaN : m / se, n, mean: m, stdError: n < 2 ? NaN : se };
}

export interface SharpeInference {
  /** Per-period Sharpe SR = mean(r)/std(r, ddof 1) (not annualized). */
  sharpe: number;
  skew: number;
  /** Non-excess kurtosis (3 = normal). */
  kurtosis: number;
  n: number;
  /** The threshold SR* tested against (per period). */
  benchmarkSharpe: number;
  /** σ(SR) = √( (1 − γ3·SR + (γ4 − 1)/4 · SR²) / (T − 1) ). */
  stdError: number;
  /** z = (SR − SR*) / σ(SR). */
  z: number;
  /** PSR = Φ(z). */
  probability: number;
}

/**
 * Probabilistic Sharpe ratio (Bailey & López de Prado 2012): the probability that the true
 * per-period Sharpe exceeds SR*, given T observations with skewness γ3 and kurtosis γ4:
 *
 *   PSR(SR*) = Φ( (SR − SR*) √(T − 1) / √(1 − γ3·SR + (γ4 − 1)/4 · SR²) ).
 *
 * SR and SR* are per period (divide an annualized Sharpe by √P). NaN when T < 3, the variance is
 * 0, or the denominator is not positive.
 */
export function probabilisticSharpeRatio(returns: ArrayLike<number>, benchmarkSharpe = 0): SharpeInference {
  checkReturns(returns);
  const n = returns.length;
  const sr = n >= 2 ? mean(returns) / sampleStd(returns) : NaN;
  const g3 = skewness(returns), g4 = kurtosis(returns);
  const v = 1 - g3 * sr + ((g4 - 1) / 4) * sr * sr;
  const se = n >= 3 && v > 0 ? Math.sqrt(v / (n - 1)) : NaN;
  const z = (sr - benchmarkSharpe) / se;
  return { sharpe: sr, skew: g3, kurtosis: g4, n, benchmarkSharpe, stdError: se, z, probability: Number.isFinite(z) ? normalCdf(z) : NaN };
}

/** The configurations tried before picking this one: their count and the variance of their Sharpes, or the Sharpes. */
export type TrialsSpec =
  | { count: number; sharpeVariance: number; periodsPerYear?: number }
  | { sharpes: ArrayLike<number>; periodsPerYear?: number };

/**
 * Expected maximum Sharpe among N trials of zero true Sharpe whose estimated Sharpes have
 * variance V (Bailey & López de Prado 2014, eq. for SR*0):
 *
 *   SR*0 = √V · ( (1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N·e)) ),  γ = Euler–Mascheroni;
 *
 * SR*0 = 0 for N = 1 (no selection). Units of √V (per period if V is per period).
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RotationError('METRIC_BAD_TRIALS', `Number of trials must be an integer >= 1, got ${trials}`, { trials },
      'count every configuration tried (parameter sets, factor mixes, allocators) before this one was picked');
  }
  if (!(sharpeVariance >= 0) || !Number.isFinite(sharpeVariance)) {
    throw new RotationError('METRIC_BAD_TRIALS', `Variance of the trial Sharpes must be finite and >= 0, got ${sharpeVariance}`,
      { sharpeVariance }, 'pass the variance of the per-period Sharpe ratios across the trials');
  }
  if (trials === 1) return 0;
  return Math.sqrt(sharpeVariance) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)));
}

export interface DeflatedSharpe extends SharpeInference {
  /** Number of trials N. */
  trials: number;
  /** Variance V of the per-period trial Sharpes. */
  sharpeVariance: number;
  /** DSR = PSR(SR*0) = `probability`. */
  deflated: number;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado 2014): DSR = PSR(SR*0) with
 * SR*0 = expectedMaxSharpe(N, V) (see there). Trials are given as `{ count, sharpeVariance }` or
 * as the list of trial Sharpes (N = length, V = their sample variance, ddof 1). Trial Sharpes are
 * per period; pass `periodsPerYear` when they are annualized (SR/√P, V/P are used).
 */
export function deflatedSharpeRatio(returns: ArrayLike<number>, trials: TrialsSpec): DeflatedSharpe {
  let n: number, v: number;
  if ('sharpes' in trials) {
    checkReturns(trials.sharpes, 'trial Sharpes');
    n = trials.sharpes.length;
    v = n >= 2 ? sampleStd(trials.sharpes) ** 2 : 0;
  } else {
    n = trials.count;
    v = trials.sharpeVariance;
  }
  if (trials.periodsPerYear !== undefined) v /= trials.periodsPerYear;
  const sr0 = expectedMaxSharpe(n, v);
  const psr = probabilisticSharpeRatio(returns, sr0);
  return { ...psr, trials: n, sharpeVariance: v, deflated: psr.probability };
}

function checkPValues(p: ArrayLike<number>, fn: string): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (v === v && !(v >= 0 && v <= 1)) {
      throw new RotationError('METRIC_BAD_P_VALUE', `${fn}: p-value ${v} at position ${i} is outside [0, 1]`, { position: i, value: v },
        'pass two-sided p-values (probabilities); NaN marks a factor without a test and is left out');
    }
  }
}

/** Positions of the non-NaN p-values, sorted by p ascending (stable). */
function sortedPresent(p: ArrayLike<number>): number[] {
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (p[i] === p[i]) idx.push(i);
  idx.sort((i, j) => p[i] - p[j] || i - j);
  return idx;
}

/**
 * Holm (1979) step-down adjusted p-values (statsmodels multipletests 'holm'): with the m non-NaN
 * p-values sorted ascending p_(1) <= … <= p_(m),
 *
 *   p̃_(i) = min(1, max_{j <= i} (m − j + 1) p_(j)),
 *
 * returned in the input order. NaN entries stay NaN and do not count in m. Controls the
 * family-wise error rate. METRIC_BAD_P_VALUE for a value outside [0, 1].
 */
export function holmAdjust(p: ArrayLike<number>): Float64Array {
  checkPValues(p, 'holmAdjust');
  const out = new Float64Array(p.length).fill(NaN);
  const idx = sortedPresent(p), m = idx.length;
  let run = 0;
  for (let k = 0; k < m; k++) {
    const v = Math.min(1, (m - k) * p[idx[k]]);
    if (v > run) run = v;
    out[idx[k]] = run;
  }
  return out;
}

/**
 * Benjamini & Hochberg (1995) step-up adjusted p-values (statsmodels multipletests 'fdr_bh'):
 * with the m non-NaN p-values sorted ascending p_(1) <= … <= p_(m),
 *
 *   p̃_(i) = min(1, min_{j >= i} (m/j) p_(j)),
 *
 * returned in the input order. NaN entries stay NaN and do not count in m. Controls the false
 * discovery rate (independent or positively dependent tests). METRIC_BAD_P_VALUE outside [0, 1].
 */
export function benjaminiHochbergAdjust(p: ArrayLike<number>): Float64Array {
  checkPValues(p, 'benjaminiHochbergAdjust');
  const out = new Float64Array(p.length).fill(NaN);
  const idx = sortedPresent(p), m = idx.length;
  let run = 1;
  for (let k = m - 1; k >= 0; k--) {
    const v = (m / (k + 1)) * p[idx[k]];
    if (v < run) run = v;
    out[idx[k]] = run;
  }
  return out;
}
