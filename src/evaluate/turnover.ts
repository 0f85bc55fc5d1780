/**
 * Factor stability: group turnover and rank autocorrelation, from the factor alone.
 *
 *   turnover_g(t) = |B_g(t) \ B_g(t − lag)| / |B_g(t)|          (alphalens quantile_turnover)
 *   rank autocorrelation(t) = Spearman(f_t, f_{t−lag})          over the assets valid at both dates
 *
 * alphalens' factor_rank_autocorrelation correlates ranks taken over each date's full
 * cross-section; here the ranks are re-taken over the assets present at both dates (a proper
 * Spearman on the common assets), which differs only when the universe changes.
 * `evaluateCrossSections` computes the same turnover (lag 1) in its single pass.
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { newFastRankScratch, sortAscending } from './fastRank.js';
import { assignGroups, checkGroupSpec, groupLabels, type GroupSkipReason, type GroupSpec, type TieRule } from './groups.js';
import type { GroupTurnover } from './crossSection.js';
import type { IcByDate, IcSkipReason } from './ic.js';
import { correlatePairs, newPairScratch } from './pairs.js';

function checkLag(lag: number, T: number): void {
  if (!Number.isInteger(lag) || lag < 1) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `lag must be an integer >= 1, got ${lag}`, { argument: 'lag' }, 'pass lag = 1 for consecutive rebalance dates');
  }
  if (lag >= T) {
    throw new RotationError('EVAL_HORIZON_TOO_LONG', `lag ${lag} needs more than ${lag} dates; the factor has ${T}`, { lag, dates: T },
      `use lag < ${T}, or a longer history`);
  }
}

/**
 * Rank autocorrelation per date: Spearman(f_t, f_{t−lag}) over the assets valid at both dates
 * (NaN for t < lag, and for dates with fewer than minAssets common assets or a constant side,
 * counted in `skipped`). Returned as an IcByDate-shaped series. Errors: EVAL_BAD_ARGUMENT,
 * EVAL_HORIZON_TOO_LONG (lag >= number of dates).
 */
export function rankAutocorrelation(factor: Panel, options: { lag?: number; minAssets?: number } = {}): IcByDate {
  const lag = options.lag ?? 1, minAssets = options.minAssets ?? 3;
  const T = factor.dates.length, N = factor.assets.length;
  checkLag(lag, T);
  if (!Number.isInteger(minAssets) || minAssets < 2) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `minAssets must be an integer >= 2, got ${minAssets}`, { argument: 'minAssets' }, 'pass minAssets >= 2');
  }
  const s = newPairScratch(N);
  const ic = new Float64Array(T).fill(NaN), n = new Int32Array(T);
  const skipped: Record<IcSkipReason, number> = { 'too-few-pairs': 0, 'zero-variance': 0 };
  for (let t = lag; t < T; t++) {
    const v = correlatePairs(factor.values, t * N, factor.values, (t - lag) * N, N, 'rank', minAssets, s);
    n[t] = s.n;
    if (v === v) ic[t] = v; else skipped[s.reason!]++;
  }
  return { dates: factor.dates.slice(), ic, n, skipped };
}

/**
 * Group turnover per date from the factor alone: groups as in src/evaluate/groups.ts (rank
 * buckets, deterministic ties), turnover_g(t) = |B_g(t) \ B_g(t − lag)|/|B_g(t)|; NaN for the
 * first `lag` dates, when either date has no groups (too few assets / all ties, counted), or for
 * an empty group. Default groups { quantiles: 5 }, ties 'first', minAssets 3, lag 1.
 */
export function groupTurnover(factor: Panel, options: { groups?: GroupSpec; ties?: TieRule; minAssets?: number; lag?: number } = {}):
  GroupTurnover & { skipped: Record<GroupSkipReason, number> } {
  const spec = options.groups ?? { quantiles: 5 }, ties = options.ties ?? 'first', lag = options.lag ?? 1;
  const T = factor.dates.length, N = factor.assets.length;
  checkLag(lag, T);
  const minGroup = checkGroupSpec(spec, options.minAssets ?? 3);
  const labels = groupLabels(spec), G = labels.length;
  const groupOf = new Int32Array(T * N).fill(-1);
  const grouped = new Uint8Array(T);
  const xv = new Float64Array(N), xp = new Int32Array(N), bq = new Int32Array(N), tmp = new Float64Array(N);
  const sc = newFastRankScratch(N);
  const skipped: Record<GroupSkipReason, number> = { 'too-few-assets': 0, 'all-ties': 0 };
  for (let t = 0; t < T; t++) {
    let n = 0;
    for (let i = 0; i < N; i++) { const v = factor.values[t * N + i]; if (v === v) { xv[n] = v; xp[n] = i; n++; } }
    if (n < minGroup) { skipped['too-few-assets']++; continue; }
    sortAscending(xv, n, sc);
    if (sc.sorted[0] === sc.sorted[n - 1]) { skipped['all-ties']++; continue; }
    assignGroups(sc.sorted, n, spec, ties, bq, tmp);
    for (let q = 0; q < n; q++) groupOf[t * N + xp[sc.order[q]]] = bq[q];
    grouped[t] = 1;
  }
  const turnover = new Float64Array(T * G).fill(NaN);
  const size = new Int32Array(G), fresh = new Int32Array(G);
  for (let t = lag; t < T; t++) {
    if (!grouped[t] || !grouped[t - lag]) continue;
    size.fill(0); fresh.fill(0);
    for (let i = 0; i < N; i++) {
      const g = groupOf[t * N + i];
      if (g < 0) continue;
      size[g]++;
      if (groupOf[(t - lag) * N + i] !== g) fresh[g]++;
    }
    for (let g = 0; g < G; g++) turnover[t * G + g] = size[g] > 0 ? fresh[g] / size[g] : NaN;
  }
  const mean = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    let s = 0, c = 0;
    for (let t = 0; t < T; t++) { const v = turnover[t * G + g]; if (v === v) { s += v; c++; } }
    mean[g] = c > 0 ? s / c : NaN;
  }
  return { dates: factor.dates.slice(), labels, turnover, mean, skipped };
}
