/**
 * Student t distribution through the regularized incomplete beta function (no dependency):
 *
 *   I_x(a, b) = B(x; a, b)/B(a, b),    two-sided p(t; ν) = P(|T_ν| >= |t|) = I_{ν/(ν + t²)}(ν/2, 1/2).
 *
 * I_x is evaluated by its continued fraction (modified Lentz, Numerical Recipes `betacf`), using
 * the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly; log Γ by the
 * Lanczos approximation (g = 7, 9 terms, ~15 significant digits).
 */
import { RotationError } from '../errors.js';

const LANCZOS: readonly number[] = Object.freeze([
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]);

/**
 * log Γ(x) for x > 0 (Lanczos, g = 7): Γ(x) = √(2π) (x + g − ½)^(x − ½) e^{−(x + g − ½)} A_g(x),
 * with the reflection Γ(x)Γ(1 − x) = π/sin(πx) below ½. Relative error ~1e-15.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `logGamma needs x > 0, got ${x}`, { argument: 'x', value: x }, 'pass a positive number');
  }
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta (modified Lentz); converges for x < (a + 1)/(a + b + 2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300, EPS = 1e-16, MAX_IT = 10000;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_IT; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) = (1/B(a, b)) ∫₀ˣ s^{a−1}(1 − s)^{b−1} ds for a, b > 0,
 * 0 <= x <= 1: front·CF(a, b, x)/a with front = x^a (1 − x)^b / B(a, b) when x < (a + 1)/(a + b + 2),
 * else 1 − I_{1−x}(b, a). I_0 = 0, I_1 = 1. EVAL_BAD_ARGUMENT outside the domain.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `Incomplete beta needs a, b > 0 and 0 <= x <= 1, got x=${x}, a=${a}, b=${b}`,
      { argument: 'x, a, b' }, 'pass a probability x and positive shape parameters');
  }
  if (x === 0) return 0;
  if (x === 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Two-sided p-value of a t statistic with ν degrees of freedom:
 *   p = P(|T_ν| >= |t|) = I_{ν/(ν + t²)}(ν/2, 1/2).
 * NaN for a NaN t or ν <= 0; 0 for |t| = ∞.
 */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Student t CDF: F_ν(t) = 1 − p/2 for t >= 0 and p/2 for t < 0, with p = studentTTwoSidedP(t, ν). */
export function studentTCdf(t: number, df: number): number {
  const p = studentTTwoSidedP(t, df);
  return t >= 0 ? 1 - p / 2 : p / 2;
}
