/**
 * Group (quantile / top-k) returns: bucket assignment with deterministic tie rules, the
 * top-minus-bottom spread with its standard error, cumulative group wealth on non-overlapping
 * periods, and the annualized long-short return. Per-date group means are produced by
 * `evaluateCrossSections` (src/evaluate/crossSection.ts), which ranks each date's factor once.
 *
 * Buckets, per date, over the n assets with a factor value, sorted ascending by (value, asset
 * order) (ordinal position q = 0..n−1, midrank r):
 *
 *   quantiles Q, ties 'first'   (default): group = ⌊q·Q/n⌋ + 1        (sizes differ by at most 1)
 *   quantiles Q, ties 'average':           group = ⌊(r − 1)·Q/n⌋ + 1  (tied values share a group)
 *   top-k, ties 'first':   bottom = q < k, top = q >= n − k
 *   top-k, ties 'average': bottom = r <= k, top = r >= n − k + 1       (a tie group joins whole or not at all)
 *
 * Group 1 ("Q1", "bottom") holds the LOWEST factor values, as in alphalens; align the direction
 * first (src/combine/direction.ts) so that the top group is the one expected to outperform.
 * No random noise is ever used to break ties.
 */
import { RotationError } from '../errors.js';
import { midranksOfSorted } from './fastRank.js';
import type { ForwardHorizon } from './forwardReturns.js';
import { neweyWestT, neweyWestMinLength } from './neweyWest.js';

/** Quantile buckets (`quantiles` groups) or the k lowest / k highest (`topK`). */
export type GroupSpec = { quantiles: number } | { topK: number };

/** 'first': ties broken by asset order (equal-sized buckets); 'average': midranks (tied names share a bucket). */
export type TieRule = 'first' | 'average';

/** Why a date got no groups: fewer assets than the minimum, or every factor value equal. */
export type GroupSkipReason = 'too-few-assets' | 'all-ties';

/** Per-date group returns of one horizon. */
export interface GroupReturns {
  horizon: ForwardHorizon;
  periodsPerYear: number;
  dates: string[];
  /** Row of each date in the forward returns' calendar (for stepping over non-overlapping periods). */
  rows: Int32Array;
  /** Group labels, lowest factor values first ("Q1".."Q5", or "bottom", "top"). */
  labels: string[];
  weighting: 'equal' | 'cap';
  /** mean[t * G + g]: equal-weighted mean (or cap-weighted Σcr/Σc) h-period forward return of group g at date t; NaN if none. */
  mean: Float64Array;
  /** std[t * G + g]: std of the members' returns (ddof 1; cap-weighted: Σc(r − m)²/Σc · n/(n − 1)); NaN if n < 2. */
  std: Float64Array;
  /** count[t * G + g]: members with a forward return (and, cap-weighted, a positive weight). */
  count: Int32Array;
  /** Dates without groups, by reason (counted, never an exception). */
  skipped: Record<GroupSkipReason, number>;
  skippedDates: Record<GroupSkipReason, string[]>;
}

/** Number of groups and their labels. */
export function groupLabels(spec: GroupSpec): string[] {
  if ('quantiles' in spec) return Array.from({ length: spec.quantiles }, (_, g) => `Q${g + 1}`);
  return ['bottom', 'top'];
}

/** Validate a group spec (EVAL_BAD_ARGUMENT) and return the minimum number of assets a date needs. */
export function checkGroupSpec(spec: GroupSpec, minAssets: number): number {
  if ('quantiles' in spec) {
    if (!Number.isInteger(spec.quantiles) || spec.quantiles < 2) {
      throw new RotationError('EVAL_BAD_ARGUMENT', `quantiles must be an integer >= 2, got ${spec.quantiles}`, { argument: 'groups.quantiles' },
        'pass e.g. { quantiles: 5 }, or { topK: 5 } for ~30 industries');
    }
    return Math.max(minAssets, spec.quantiles);
  }
  if (!('topK' in spec) || !Number.isInteger(spec.topK) || spec.topK < 1) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `topK must be an integer >= 1, got ${String((spec as { topK?: unknown }).topK)}`, { argument: 'groups.topK' },
      'pass e.g. { topK: 5 } (the 5 lowest and the 5 highest names)');
  }
  return Math.max(minAssets, 2 * spec.topK);
}

/**
 * Assign groups to n cells sorted ascending by (value, position): `sorted[q]` is the q-th value;
 * writes out[q] = group index 0..G−1 of the q-th cell, or −1 (top-k middle), so the groups are in
 * rank order. `tmp` (length >= n) is scratch for midranks. Formulas in the module comment.
 */
export function assignGroups(sorted: Float64Array, n: number, spec: GroupSpec, ties: TieRule, out: Int32Array, tmp: Float64Array): void {
  if ('quantiles' in spec) {
    const Q = spec.quantiles;
    if (ties === 'first') {
      for (let q = 0; q < n; q++) out[q] = Math.floor((q * Q) / n);
    } else {
      midranksOfSorted(sorted, n, tmp);
      for (let q = 0; q < n; q++) out[q] = Math.floor(((tmp[q] - 1) * Q) / n);
    }
    return;
  }
  const k = spec.topK;
  if (ties === 'first') {
    for (let q = 0; q < n; q++) out[q] = q < k ? 0 : q >= n - k ? 1 : -1;
  } else {
    midranksOfSorted(sorted, n, tmp);
    for (let q = 0; q < n; q++) { const r = tmp[q]; out[q] = r <= k ? 0 : r >= n - k + 1 ? 1 : -1; }
  }
}

/** Spread of the top over the bottom group per date, with its alphalens standard error. */
export interface GroupSpread {
  dates: string[];
  /** spread[t] = mean_top(t) − mean_bottom(t). */
  spread: Float64Array;
  /** se[t] = √(s_top²/n_top + s_bot²/n_bot) (alphalens: std error of each group mean, combined in quadrature). */
  se: Float64Array;
}

/**
 * Top-minus-bottom spread per date: spread_t = m_top,t − m_bottom,t, with standard error
 * se_t = √(s_top,t²/n_top,t + s_bot,t²/n_bot,t) (alphalens `compute_mean_returns_spread` on the
 * by-date std errors std/√count). NaN where either group is missing (se NaN where a group has < 2).
 */
export function groupSpread(g: GroupReturns): GroupSpread {
  const T = g.dates.length, G = g.labels.length;
  const spread = new Float64Array(T).fill(NaN), se = new Float64Array(T).fill(NaN);
  for (let t = 0; t < T; t++) {
    const top = t * G + G - 1, bot = t * G;
    spread[t] = g.mean[top] - g.mean[bot];
    const a = g.std[top], b = g.std[bot];
    se[t] = Math.sqrt((a * a) / g.count[top] + (b * b) / g.count[bot]);
  }
  return { dates: g.dates.slice(), spread, se };
}

/** Time-series summary of group returns. */
export interface GroupSummary {
  labels: string[];
  /** Mean over dates of each group's per-date mean return (h-period returns, not per-period rates). */
  mean: Float64Array;
  /** Std over dates (ddof 1) of each group's per-date mean. */
  std: Float64Array;
  /** Dates with a value, per group. */
  nDates: Int32Array;
  /** Mean over dates of the top − bottom spread. */
  meanSpread: number;
  /** Standard error of meanSpread over dates: std(spread)/√n. */
  spreadStdError: number;
  /** Newey-West t of the spread series, lag horizon − 1 (NaN when the series is shorter than 2·horizon). */
  spreadTNeweyWest: number;
  /** Mean over dates of the per-date alphalens standard error of the spread. */
  meanSpreadSe: number;
}

/**
 * Summary over dates: per group mean and std (ddof 1) of the per-date mean; spread mean, its
 * standard error std(spread)/√n, its Newey-West t with lag h − 1 (NaN if the spread series is
 * shorter than 2h), and the mean per-date alphalens standard error.
 */
export function summarizeGroups(g: GroupReturns): GroupSummary {
  const T = g.dates.length, G = g.labels.length;
  const mean = new Float64Array(G), std = new Float64Array(G), nDates = new Int32Array(G);
  for (let j = 0; j < G; j++) {
    let s = 0, n = 0;
    for (let t = 0; t < T; t++) { const v = g.mean[t * G + j]; if (v === v) { s += v; n++; } }
    const m = n > 0 ? s / n : NaN;
    let ss = 0;
    for (let t = 0; t < T; t++) { const v = g.mean[t * G + j]; if (v === v) ss += (v - m) * (v - m); }
    mean[j] = m; std[j] = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN; nDates[j] = n;
  }
  const sp = groupSpread(g);
  let s = 0, n = 0, sse = 0, nse = 0;
  for (let t = 0; t < T; t++) {
    if (sp.spread[t] === sp.spread[t]) { s += sp.spread[t]; n++; }
    if (sp.se[t] === sp.se[t]) { sse += sp.se[t]; nse++; }
  }
  const ms = n > 0 ? s / n : NaN;
  let ss = 0;
  for (let t = 0; t < T; t++) if (sp.spread[t] === sp.spread[t]) ss += (sp.spread[t] - ms) ** 2;
  const lag = g.horizon.periods - 1;
  const nwT = n >= neweyWestMinLength(lag) ? neweyWestT(sp.spread, lag).t : NaN;
  return {
    labels: g.labels.slice(), mean, std, nDates,
    meanSpread: ms,
    spreadStdError: n > 1 ? Math.sqrt(ss / (n - 1)) / Math.sqrt(n) : NaN,
    spreadTNeweyWest: nwT,
    meanSpreadSe: nse > 0 ? sse / nse : NaN,
  };
}

/** Cumulative wealth of each group (and the long-short) on non-overlapping periods. */
export interface CumulativeGroupReturns {
  /** The rebalance dates used: d_0, then each first date at least h periods after the previous one. */
  dates: string[];
  labels: string[];
  /** wealth[s * G + g] = Π_{u<=s} (1 + r_g(d_u)): wealth at the END of step s (after its h-period return). */
  wealth: Float64Array;
  /** Long-short wealth Π(1 + r_top − r_bottom). */
  longShort: Float64Array;
  /** Periods (rows of the forward-return calendar) covered by each step. */
  stepPeriods: Int32Array;
  /** Steps where a group had no return and was held flat (return 0), per group; last entry: long-short. */
  flatSteps: Int32Array;
}

/**
 * Compounded group wealth on NON-OVERLAPPING periods: starting at the first date d_0 where both
 * the top and bottom groups have a return, step to the first date at least h calendar rows later
 * (h = horizon length), up to the last date where both have a return, and compound
 * W_g(s) = Π_{u<=s}(1 + r_g(d_u)), where r_g(d_u) is the group's h-period forward return from d_u
 * (a missing value inside the span counts as a flat step, return 0, and is counted).
 * The h-period returns of the skipped intermediate dates are not used. alphalens instead averages
 * h staggered portfolios (`cumulative_returns` with period > 1, see alphalens#374); with h = 1 the
 * two agree.
 */
export function cumulativeGroupReturns(g: GroupReturns): CumulativeGroupReturns {
  const T = g.dates.length, G = g.labels.length, h = g.horizon.periods;
  let start = -1;
  for (let t = 0; t < T && start < 0; t++) {
    if (g.mean[t * G] === g.mean[t * G] && g.mean[t * G + G - 1] === g.mean[t * G + G - 1]) start = t;
  }
  const steps: number[] = [];
  if (start >= 0) {
    steps.push(start);
    let last = g.rows[start];
    for (let t = start + 1; t < T; t++) if (g.rows[t] >= last + h) { steps.push(t); last = g.rows[t]; }
    // Trailing steps without a top or bottom return (the last h dates have no forward return) are
    // not periods of the strategy: drop them.
    const valid = (t: number): boolean => g.mean[t * G] === g.mean[t * G] && g.mean[t * G + G - 1] === g.mean[t * G + G - 1];
    while (steps.length > 0 && !valid(steps[steps.length - 1])) steps.pop();
  }
  const S = steps.length;
  const wealth = new Float64Array(S * G), longShort = new Float64Array(S), stepPeriods = new Int32Array(S);
  const flatSteps = new Int32Array(G + 1);
  const w = new Float64Array(G).fill(1);
  let wl = 1;
  for (let s = 0; s < S; s++) {
    const t = steps[s];
    stepPeriods[s] = h;
    for (let j = 0; j < G; j++) {
      const r = g.mean[t * G + j];
      if (r === r) w[j] *= 1 + r; else flatSteps[j]++;
      wealth[s * G + j] = w[j];
    }
    const ls = g.mean[t * G + G - 1] - g.mean[t * G];
    if (ls === ls) wl *= 1 + ls; else flatSteps[G]++;
    longShort[s] = wl;
  }
  return { dates: steps.map((t) => g.dates[t]), labels: g.labels.slice(), wealth, longShort, stepPeriods, flatSteps };
}

/** Annualized long-short (top − bottom) return on non-overlapping periods. */
export interface LongShortReturn {
  /** (W_end)^(periodsPerYear / periods) − 1; −1 when W_end <= 0; NaN with no step. */
  annualized: number;
  /** Final long-short wealth Π(1 + r_top − r_bottom). */
  wealth: number;
  steps: number;
  /** Periods covered (steps x horizon length). */
  periods: number;
  periodsPerYear: number;
}

/**
 * Annualized long-short return: with the non-overlapping steps of `cumulativeGroupReturns`,
 * W = Π_s (1 + r_top(d_s) − r_bottom(d_s)) and
 *
 *   annualized = W^(periodsPerYear / (S·h)) − 1        (count-based, as CAGR in docs/conventions.md)
 *
 * S steps of h periods each; W <= 0 (the long-short lost everything) gives −1.
 */
export function longShortAnnualized(g: GroupReturns): LongShortReturn {
  const c = cumulativeGroupReturns(g);
  const S = c.longShort.length;
  const wealth = S > 0 ? c.longShort[S - 1] : NaN;
  const periods = S * g.horizon.periods;
  const annualized = S === 0 ? NaN : wealth <= 0 ? -1 : Math.pow(wealth, g.periodsPerYear / periods) - 1;
  return { annualized, wealth, steps: S, periods, periodsPerYear: g.periodsPerYear };
}
