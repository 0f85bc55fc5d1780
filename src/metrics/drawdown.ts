/**
 * Drawdowns on compounded wealth W_t = Π_{s≤t}(1 + r_s) with W_0 = 1 counting as the first high
 * (empyrical's starting value: a first-period loss is a drawdown). Never on cumulated sums.
 *
 * A drawdown episode runs from a wealth high (its start) to the first later period whose wealth
 * is back at or above that high (its recovery); its trough is the lowest wealth in between.
 * Dates: index −1 is the origin W_0 (the close before the first return), labelled `originDate`.
 */
import { cagr, checkPeriodsPerYear, checkReturns } from './returns.js';

export interface DrawdownEpisode {
  /** Date of the wealth high the episode starts from (`originDate` for W_0). */
  start: string;
  /** Date of the lowest wealth within the episode (first one on ties). */
  trough: string;
  /** First date with W_t ≥ the starting high, or null if not recovered by the last date. */
  recovery: string | null;
  /** W_trough / W_start − 1 (≤ 0). */
  depth: number;
  /** Periods from start to recovery, or to the last date when not recovered. */
  length: number;
  /** Periods from start to trough. */
  toTrough: number;
  recovered: boolean;
  /** Indices into the return series (−1 = origin). */
  startIndex: number;
  troughIndex: number;
  /** −1 when not recovered. */
  recoveryIndex: number;
}

/**
 * Underwater series dd_t = W_t / max(1, max_{s≤t} W_s) − 1, t = 1..T (empyrical drawdown_series
 * with the starting value). Values ≤ 0; below −1 only if wealth went negative.
 */
export function underwater(returns: ArrayLike<number>): Float64Array {
  checkReturns(returns);
  const n = returns.length;
  const out = new Float64Array(n);
  let w = 1, peak = 1;
  for (let t = 0; t < n; t++) {
    w *= 1 + returns[t];
    if (w > peak) peak = w;
    out[t] = w / peak - 1;
  }
  return out;
}

/**
 * Maximum drawdown min_t ( W_t / max_{0≤s≤t} W_s − 1 ), W_0 = 1 included (empyrical
 * max_drawdown: it prepends a starting value of 100). 0 when wealth never falls; NaN when T = 0.
 */
export function maxDrawdown(returns: ArrayLike<number>): number {
  checkReturns(returns);
  if (returns.length === 0) return NaN;
  let w = 1, peak = 1, mdd = 0;
  for (let t = 0; t < returns.length; t++) {
    w *= 1 + returns[t];
    if (w > peak) peak = w;
    const dd = w / peak - 1;
    if (dd < mdd) mdd = dd;
  }
  return mdd;
}

/**
 * Every drawdown episode in time order (see the module comment). `dates[t]` labels return t;
 * `originDate` labels W_0 (default 'start').
 */
export function drawdownEpisodes(returns: ArrayLike<number>, dates?: readonly string[], originDate = 'start'): DrawdownEpisode[] {
  checkReturns(returns, 'returns', dates);
  const label = (i: number): string => (i < 0 ? originDate : dates?.[i] ?? String(i));
  const n = returns.length;
  const out: DrawdownEpisode[] = [];
  let w = 1, peak = 1, peakIdx = -1;
  let inDd = false, trough = 1, troughIdx = -1;
  const close = (recoveryIdx: number): void => {
    const recovered = recoveryIdx >= 0;
    out.push({
      start: label(peakIdx), trough: label(troughIdx), recovery: recovered ? label(recoveryIdx) : null,
      depth: trough / peak - 1,
      length: (recovered ? recoveryIdx : n - 1) - peakIdx,
      toTrough: troughIdx - peakIdx, recovered,
      startIndex: peakIdx, troughIndex: troughIdx, recoveryIndex: recoveryIdx,
    });
  };
  for (let t = 0; t < n; t++) {
    w *= 1 + returns[t];
    if (w >= peak) {
      if (inDd) { close(t); inDd = false; }
      peak = w; peakIdx = t;
    } else if (!inDd) {
      inDd = true; trough = w; troughIdx = t;
    } else if (w < trough) {
      trough = w; troughIdx = t;
    }
  }
  if (inDd) close(-1);
  return out;
}

/**
 * The `top` deepest drawdown episodes (default 5), deepest first (ties: earlier first):
 * start, trough, recovery (null = not recovered), depth, length in periods.
 */
export function drawdownTable(returns: ArrayLike<number>, dates?: readonly string[], originDate = 'start', top = 5): DrawdownEpisode[] {
  const eps = drawdownEpisodes(returns, dates, originDate);
  return eps
    .map((e, k) => ({ e, k }))
    .sort((a, b) => a.e.depth - b.e.depth || a.k - b.k)
    .slice(0, top)
    .map((x) => x.e);
}

/** The deepest drawdown episode (its depth = maxDrawdown(returns)), or null when wealth never falls. */
export function maxDrawdownEpisode(returns: ArrayLike<number>, dates?: readonly string[], originDate = 'start'): DrawdownEpisode | null {
  return drawdownTable(returns, dates, originDate, 1)[0] ?? null;
}

/**
 * Calmar ratio CAGR / |max drawdown| (empyrical calmar_ratio): NaN when the max drawdown is 0
 * (or T = 0), and NaN when the ratio is infinite or CAGR is undefined (wealth ≤ 0).
 */
export function calmarRatio(returns: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriodsPerYear(periodsPerYear, 'calmarRatio');
  const mdd = maxDrawdown(returns);
  if (!(mdd < 0)) return NaN;
  const v = cagr(returns, periodsPerYear) / Math.abs(mdd);
  return Number.isFinite(v) ? v : NaN;
}
