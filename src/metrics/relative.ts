/**
 * Metrics of a strategy r against a benchmark b on the same periods: active returns a = r − b,
 * relative wealth W/B, excess return (both geometric and arithmetic, labelled), tracking error,
 * the annualized information ratio, excess drawdown on the relative wealth curve, win rates and
 * rolling 12-month excess and IR. `periodsPerYear` (P) is explicit.
 *
 * The information ratio here is annualized: IR = mean(a)/std(a) · √P. empyrical's excess_sharpe
 * and quantstats' information_ratio are the same without √P.
 */
import { RotationError } from '../errors.js';
import { maxDrawdown, drawdownTable, underwater, type DrawdownEpisode } from './drawdown.js';
import { cagr, checkPeriodsPerYear, checkReturns, checkSameLength, mean, monthlyReturns, sampleStd } from './returns.js';

function checkPair(r: ArrayLike<number>, b: ArrayLike<number>, dates?: readonly string[]): void {
  checkSameLength(r, b);
  checkReturns(r, 'strategy returns', dates);
  checkReturns(b, 'benchmark returns', dates);
}

/** Active returns a_t = r_t − b_t. */
export function activeReturns(r: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  checkPair(r, b);
  const out = new Float64Array(r.length);
  for (let t = 0; t < r.length; t++) out[t] = r[t] - b[t];
  return out;
}

/**
 * Relative returns ρ_t = (1 + r_t)/(1 + b_t) − 1, the returns whose compounded wealth is the
 * relative wealth W_t/B_t. A benchmark period with 1 + b_t ≤ 0 (benchmark ruined) is an error
 * (METRIC_BENCHMARK_RUIN): relative wealth is undefined from there on.
 */
export function relativeReturns(r: ArrayLike<number>, b: ArrayLike<number>, dates?: readonly string[]): Float64Array {
  checkPair(r, b, dates);
  const out = new Float64Array(r.length);
  for (let t = 0; t < r.length; t++) {
    if (!(1 + b[t] > 0)) {
      throw new RotationError('METRIC_BENCHMARK_RUIN', `Benchmark return ${b[t]} ≤ −100%: relative wealth is undefined`,
        { date: dates?.[t] ?? t }, 'check the benchmark series (a return below −1 is a data error)');
    }
    out[t] = (1 + r[t]) / (1 + b[t]) - 1;
  }
  return out;
}

/** Relative wealth R_t = W_t / B_t = Π_{s≤t} (1 + r_s)/(1 + b_s), t = 1..T (R_0 = 1 implicit). */
export function relativeWealth(r: ArrayLike<number>, b: ArrayLike<number>, dates?: readonly string[]): Float64Array {
  const rel = relativeReturns(r, b, dates);
  let w = 1;
  for (let t = 0; t < rel.length; t++) {
    w *= 1 + rel[t];
    rel[t] = w;
  }
  return rel;
}

/** Excess CAGR = CAGR(r) − CAGR(b) (difference of count-based CAGRs; NaN if either wealth ≤ 0). */
export function excessCagr(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  checkPair(r, b);
  return cagr(r, periodsPerYear) - cagr(b, periodsPerYear);
}

/** Arithmetic excess = mean(r − b) · P (uncompounded, labelled as such). */
export function arithmeticExcess(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'arithmeticExcess');
  return mean(activeReturns(r, b)) * periodsPerYear;
}

/** Tracking error = std(r − b, ddof 1) · √P; NaN when T < 2. */
export function trackingError(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'trackingError');
  return sampleStd(activeReturns(r, b)) * Math.sqrt(periodsPerYear);
}

/**
 * Information ratio, annualized: mean(a) / std(a, ddof 1) · √P with a = r − b.
 * = empyrical excess_sharpe(r, b) · √P. NaN when T < 2; NaN when std(a) = 0 and mean(a) = 0.
 */
export function informationRatio(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'informationRatio');
  const a = activeReturns(r, b);
  if (a.length < 2) return NaN;
  return (mean(a) / sampleStd(a)) * Math.sqrt(periodsPerYear);
}

/**
 * Excess max drawdown: the max drawdown of the relative wealth R_t = W_t/B_t with R_0 = 1,
 *   min_t ( R_t / max_{0≤s≤t} R_s − 1 ).
 */
export function excessMaxDrawdown(r: ArrayLike<number>, b: ArrayLike<number>, dates?: readonly string[]): number {
  return maxDrawdown(relativeReturns(r, b, dates));
}

/** Underwater series of the relative wealth: R_t / max(1, max_{s≤t} R_s) − 1. */
export function excessUnderwater(r: ArrayLike<number>, b: ArrayLike<number>, dates?: readonly string[]): Float64Array {
  return underwater(relativeReturns(r, b, dates));
}

/** Drawdown episodes of the relative wealth, deepest first (see drawdownTable). */
export function excessDrawdownTable(r: ArrayLike<number>, b: ArrayLike<number>, dates?: readonly string[], originDate = 'start', top = 5): DrawdownEpisode[] {
  return drawdownTable(relativeReturns(r, b, dates), dates, originDate, top);
}

/** Win rate: share of periods with r_t > b_t (a tie is not a win); NaN when T = 0. */
export function winRate(r: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(r, b);
  if (r.length === 0) return NaN;
  let w = 0;
  for (let t = 0; t < r.length; t++) if (r[t] > b[t]) w++;
  return w / r.length;
}

/**
 * Monthly win rate: share of calendar months with r_m > b_m, where
 * r_m = Π_{t∈m}(1 + r_t) − 1 (partial first / last months included; a tie is not a win).
 */
export function monthlyWinRate(dates: readonly string[], r: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(r, b, dates);
  const rm = monthlyReturns(dates, r), bm = monthlyReturns(dates, b);
  return winRate(rm.returns, bm.returns);
}

function checkWindow(window: number, n: number): void {
  if (!Number.isInteger(window) || window < 2) {
    throw new RotationError('METRIC_BAD_WINDOW', `Rolling window must be an integer >= 2, got ${window}`, { window, length: n },
      'pass the window in periods, e.g. Math.round(periodsPerYear) for 12 months');
  }
}

/**
 * Rolling excess over the last L periods, labelled at the window's last period t:
 *   x_t = Π_{s=t−L+1..t}(1 + r_s) − Π_{s=t−L+1..t}(1 + b_s)   (difference of compounded returns),
 * NaN for t < L − 1. L = round(P) gives the rolling 12-month excess.
 */
export function rollingExcess(r: ArrayLike<number>, b: ArrayLike<number>, window: number): Float64Array {
  checkPair(r, b);
  checkWindow(window, r.length);
  const n = r.length, out = new Float64Array(n).fill(NaN);
  for (let t = window - 1; t < n; t++) {
    let wr = 1, wb = 1;
    for (let s = t - window + 1; s <= t; s++) { wr *= 1 + r[s]; wb *= 1 + b[s]; }
    out[t] = wr - wb;
  }
  return out;
}

/**
 * Rolling annualized information ratio over the last L periods:
 *   IR_t = mean(a_{t−L+1..t}) / std(a_{t−L+1..t}, ddof 1) · √P,   NaN for t < L − 1.
 */
export function rollingInformationRatio(r: ArrayLike<number>, b: ArrayLike<number>, window: number, periodsPerYear: number): Float64Array {
  checkPeriodsPerYear(periodsPerYear, 'rollingInformationRatio');
  const a = activeReturns(r, b);
  checkWindow(window, a.length);
  const n = a.length, out = new Float64Array(n).fill(NaN);
  const k = Math.sqrt(periodsPerYear);
  for (let t = window - 1; t < n; t++) {
    let s = 0;
    for (let u = t - window + 1; u <= t; u++) s += a[u];
    const m = s / window;
    let ss = 0;
    for (let u = t - window + 1; u <= t; u++) { const d = a[u] - m; ss += d * d; }
    out[t] = (m / Math.sqrt(ss / (window - 1))) * k;
  }
  return out;
}
