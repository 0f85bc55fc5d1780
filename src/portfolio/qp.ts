/**
 * Exact primal active-set solver for the small dense QP of the mean-variance baseline:
 *
 *   minimize 1/2 w' Q w + c' w   s.t.   sum_i w_i = 1,   lo_i <= w_i <= hi_i,   Q symmetric PD.
 *
 * It is the fallback when HiGHS' active-set QP (qpasm) stops at its iteration limit (it cycles on
 * about 1% of bootstrapped mean-variance problems; ERGO-Code/HiGHS#1583) and the independent
 * cross-check of HiGHS in the tests.
 *
 * Method (Nocedal & Wright, Algorithm 16.3): a working set W of variables fixed at a bound; the
 * free set F solves the equality-constrained step
 *   Q_FF p_F = lambda 1 - g_F,   1' p_F = 0,   g = Q w + c,
 *   lambda = (1' Q_FF^-1 g_F) / (1' Q_FF^-1 1)   (Cholesky of Q_FF);
 * a non-zero step is cut at the first bound it hits (that variable joins W); a zero step checks
 * the bound multipliers (g_i - lambda >= 0 at a lower bound, lambda - g_i >= 0 at an upper bound)
 * and releases the most negative one (ties: lowest index), or stops at the optimum.
 */
import { choleskyFactor, choleskySolve } from '../stats/linalg.js';
import { RotationError } from '../errors.js';

export interface BoxQpResult {
  readonly x: Float64Array;
  readonly objective: number;
  readonly iterations: number;
  /** Multiplier of the budget constraint sum w = 1. */
  readonly lambda: number;
}

export interface BoxQpOptions {
  /**
   * Warm start (e.g. HiGHS' solution): variables within 1e-9 of a bound start fixed at it, the
   * rest free, the sum corrected over the free ones; ignored if that is not feasible.
   */
  start?: ArrayLike<number>;
}

/** Snap a start point to its bounds and fix its sum in place of the default start (if feasible). */
function warmStart(start: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>, w: Float64Array, state: Uint8Array): void {
  const n = w.length;
  const x = new Float64Array(n), st = new Uint8Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = Number.isFinite(start[i]) ? Math.min(hi[i], Math.max(lo[i], start[i])) : lo[i];
    if (v - lo[i] <= 1e-9) { x[i] = lo[i]; st[i] = 1; } else if (hi[i] - v <= 1e-9) { x[i] = hi[i]; st[i] = 2; } else x[i] = v;
    sum += x[i];
  }
  const r = 1 - sum;
  let room = 0;
  for (let i = 0; i < n; i++) if (st[i] === 0) room += r > 0 ? hi[i] - x[i] : x[i] - lo[i];
  if (r !== 0 && !(room >= Math.abs(r))) return;
  for (let i = 0; i < n; i++) {
    if (st[i] === 0 && room > 0) x[i] += r * ((r > 0 ? hi[i] - x[i] : x[i] - lo[i]) / room);
  }
  w.set(x);
  state.set(st);
}

/** Factor Q on the free set F and solve for each right-hand side; null when that block is not positive definite. */
function freeSetSolve(Q: ArrayLike<number>, n: number, F: readonly number[], rhs: Float64Array[]): Float64Array[] | null {
  const L = choleskyFactor(Q, F.length, { stride: n, index: F });
  return L ? rhs.map((r) => choleskySolve(L, F.length, r)) : null;
}

/**
 * Solve min 1/2 w'Qw + c'w, sum w = 1, lo <= w <= hi (module comment). Q is n x n row-major and
 * must be symmetric positive definite. With `options.start` it polishes a nearly optimal point
 * (one or two iterations from HiGHS' solution). Errors: QP_INFEASIBLE (sum lo > 1 or sum hi < 1),
 * QP_NOT_PD (a free block of Q is not positive definite), QP_NO_CONVERGENCE.
 */
export function solveBoxBudgetQp(
  Q: ArrayLike<number>, c: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>, options: BoxQpOptions = {},
): BoxQpResult {
  const n = c.length;
  let sumLo = 0, sumHi = 0;
  for (let i = 0; i < n; i++) { sumLo += lo[i]; sumHi += hi[i]; }
  if (sumLo > 1 + 1e-12 || sumHi < 1 - 1e-12) {
    throw new RotationError('QP_INFEASIBLE', `Bounds cannot sum to 1 (sum lower ${sumLo}, sum upper ${sumHi})`, {}, 'relax the caps/floors first');
  }
  // Feasible start: lower bounds plus the remainder spread in proportion to the room.
  const w = new Float64Array(n);
  const room = sumHi - sumLo, rem = 1 - sumLo;
  for (let i = 0; i < n; i++) w[i] = room > 0 ? lo[i] + (hi[i] - lo[i]) * (rem / room) : lo[i];
  // Working set: 0 free, 1 at lower, 2 at upper.
  const state = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (hi[i] - lo[i] <= 0) { state[i] = 1; w[i] = lo[i]; }
  if (options.start) warmStart(options.start, lo, hi, w, state);
  const g = new Float64Array(n);
  let lambda = 0, atEqpMin = false;
  const maxIter = 50 * n + 100;
  for (let iter = 1; iter <= maxIter; iter++) {
    for (let i = 0; i < n; i++) {
      let s = c[i];
      for (let j = 0; j < n; j++) s += Q[i * n + j] * w[j];
      g[i] = s;
    }
    const F: number[] = [];
    for (let i = 0; i < n; i++) if (state[i] === 0) F.push(i);
    let p: Float64Array | undefined;
    if (F.length > 0) {
      const gF = Float64Array.from(F, (i) => g[i]);
      const ones = new Float64Array(F.length).fill(1);
      const sol = freeSetSolve(Q, n, F, [gF, ones]);
      if (!sol) {
        throw new RotationError('QP_NOT_PD', 'The quadratic term is not positive definite on the free variables', { free: F.length },
          'repair the covariance (repairCovariance) or add a ridge');
      }
      const [qg, q1] = sol;
      let a = 0, b = 0;
      for (let k = 0; k < F.length; k++) { a += qg[k]; b += q1[k]; }
      lambda = a / b;
      p = new Float64Array(n);
      let pmax = 0;
      for (let k = 0; k < F.length; k++) { const v = lambda * q1[k] - qg[k]; p[F[k]] = v; pmax = Math.max(pmax, Math.abs(v)); }
      // At the minimizer of the current working set (after a full step) the step is rounding noise.
      if (atEqpMin || pmax <= 1e-13) p = undefined;
    } else {
      // Everything at a bound: lambda from the tightest multiplier interval.
      let lmax = Infinity, umin = -Infinity;
      for (let i = 0; i < n; i++) {
        if (state[i] === 1) lmax = Math.min(lmax, g[i]);
        else if (state[i] === 2) umin = Math.max(umin, g[i]);
      }
      lambda = Number.isFinite(lmax) ? lmax : umin;
    }
    if (!p) {
      // Optimality: multipliers of the working bounds.
      let scale = 1e-300;
      for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(g[i]));
      const tol = 1e-12 * Math.max(1, scale);
      let worst = -tol, release = -1;
      for (let i = 0; i < n; i++) {
        if (state[i] === 0 || hi[i] - lo[i] <= 0) continue;
        const mult = state[i] === 1 ? g[i] - lambda : lambda - g[i];
        if (mult < worst) { worst = mult; release = i; }
      }
      if (release < 0) {
        let obj = 0;
        for (let i = 0; i < n; i++) obj += w[i] * (0.5 * (g[i] - c[i]) + c[i]);
        return { x: w, objective: obj, iterations: iter, lambda };
      }
      state[release] = 0;
      atEqpMin = false;
      continue;
    }
    // Step with the ratio test.
    let alpha = 1, block = -1, blockState = 0;
    for (const i of F) {
      if (p[i] < 0) {
        const r = (lo[i] - w[i]) / p[i];
        if (r < alpha) { alpha = r; block = i; blockState = 1; }
      } else if (p[i] > 0) {
        const r = (hi[i] - w[i]) / p[i];
        if (r < alpha) { alpha = r; block = i; blockState = 2; }
      }
    }
    if (alpha < 0) alpha = 0;
    for (const i of F) w[i] += alpha * p[i];
    if (block >= 0) {
      state[block] = blockState;
      w[block] = blockState === 1 ? lo[block] : hi[block];
    }
    atEqpMin = block < 0;
  }
  throw new RotationError('QP_NO_CONVERGENCE', `Active-set QP did not converge in ${maxIter} iterations`, { variables: n },
    'check the inputs for extreme values (NaN, huge covariances)');
}

/**
 * Euclidean projection of v onto {x : sum x = 1, lo <= x <= hi} (into `out`):
 *   x_i = clip(v_i - tau, lo_i, hi_i),  tau the root of s(tau) = sum_i clip(v_i - tau, lo_i, hi_i) - 1
 * (s is continuous, non-increasing and piecewise linear): bisection brackets tau, then tau is solved
 * exactly on the bracket's linear piece, tau = (sum_free v_i + sum_at-lo lo_i + sum_at-hi hi_i - 1) / |free|.
 * Needs sum lo <= 1 <= sum hi.
 */
export function projectBoxBudget(v: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>, out: Float64Array): void {
  const n = v.length;
  const excess = (tau: number): number => {
    let s = -1;
    for (let i = 0; i < n; i++) s += Math.min(hi[i], Math.max(lo[i], v[i] - tau));
    return s;
  };
  // tau_lo: every x at hi or above (s >= 0); tau_hi: every x at lo (s <= 0).
  let a = Infinity, b = -Infinity;
  for (let i = 0; i < n; i++) { a = Math.min(a, v[i] - hi[i]); b = Math.max(b, v[i] - lo[i]); }
  for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a), Math.abs(b)); it++) {
    const m = 0.5 * (a + b);
    if (excess(m) > 0) a = m; else b = m;
  }
  let tau = 0.5 * (a + b), sumFixed = 0, sumFree = 0, free = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] - tau;
    if (x <= lo[i]) sumFixed += lo[i];
    else if (x >= hi[i]) sumFixed += hi[i];
    else { sumFree += v[i]; free++; }
  }
  if (free > 0) {
    const t = (sumFree + sumFixed - 1) / free;
    if (t >= a - 1e-12 * Math.max(1, Math.abs(a)) && t <= b + 1e-12 * Math.max(1, Math.abs(b))) tau = t;
  }
  for (let i = 0; i < n; i++) out[i] = Math.min(hi[i], Math.max(lo[i], v[i] - tau));
}

export interface ProjectedGradientResult {
  readonly x: Float64Array;
  readonly iterations: number;
  /** max_i |x_k - x_(k-1)| at the last iteration. */
  readonly lastStep: number;
}

/**
 * Accelerated projected gradient (FISTA with adaptive restart, Beck & Teboulle 2009;
 * O'Donoghue & Candes 2015) for min 1/2 x'Qx + c'x, sum x = 1, lo <= x <= hi:
 *   y = x_k + ((t_k - 1)/t_(k+1)) (x_k - x_(k-1)),  x_(k+1) = P(y - (Q y + c)/L),
 *   L = max_i sum_j |Q_ij| >= lambda_max(Q) (Gershgorin), P = `projectBoxBudget`;
 * momentum restarts when (y - x_(k+1))'(x_(k+1) - x_k) > 0 (the gradient test). Each iteration is one n x n product (O(n^2)).
 * Stops when max |x_(k+1) - x_k| <= tol (default 1e-11) or after maxIterations (default 2000).
 * Its iterates sit exactly on their bounds, so it identifies the active set; `solveBoxBudgetQp`
 * with `start` then finishes exactly (one Cholesky of the free block).
 */
export function projectedGradientBoxBudget(
  Q: ArrayLike<number>, c: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>, options: { tol?: number; maxIterations?: number } = {},
): ProjectedGradientResult {
  const n = c.length, tol = options.tol ?? 1e-11, maxIt = options.maxIterations ?? 2000;
  let L = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += Math.abs(Q[i * n + j]);
    L = Math.max(L, r);
  }
  if (!(L > 0)) L = 1;
  const x = new Float64Array(n), xPrev = new Float64Array(n), y = new Float64Array(n), step = new Float64Array(n);
  projectBoxBudget(new Float64Array(n).fill(1 / n), lo, hi, x);
  xPrev.set(x);
  let t = 1, last = Infinity, it = 0;
  while (it < maxIt) {
    it++;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2, beta = (t - 1) / tNext;
    for (let i = 0; i < n; i++) y[i] = x[i] + beta * (x[i] - xPrev[i]);
    for (let i = 0; i < n; i++) {
      let g = c[i];
      const qi = i * n;
      for (let j = 0; j < n; j++) g += Q[qi + j] * y[j];
      step[i] = y[i] - g / L;
    }
    xPrev.set(x);
    projectBoxBudget(step, lo, hi, x);
    last = 0;
    let restart = 0;
    for (let i = 0; i < n; i++) {
      const dx = x[i] - xPrev[i];
      last = Math.max(last, Math.abs(dx));
      restart += (y[i] - x[i]) * dx;
    }
    t = restart > 0 ? 1 : tNext; // gradient restart: the momentum points uphill
    if (last <= tol) break;
  }
  return { x, iterations: it, lastStep: last };
}

