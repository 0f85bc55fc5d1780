/**
 * One pass over the dates that evaluates a factor against every horizon of a `ForwardReturns`:
 * Pearson IC, rank IC, group (quantile / top-k) returns and group turnover.
 *
 * Per date t, the factor's valid cells are sorted ONCE (exact radix sort, src/evaluate/fastRank.ts)
 * and that order is reused for
 *   - the groups (bucket assignment, see src/evaluate/groups.ts) and their turnover;
 *   - every horizon: walking the factor order and keeping the assets with a forward return gives
 *     the factor values of the jointly valid pairs already sorted, so their midranks cost O(n);
 *     only the returns are ranked per horizon.
 * Forward returns are read straight from the shared level panel (L[t+h]/L[t] − 1 by
 * `levelReturnRowInto`, the one implementation `forwardReturnRowInto` also uses), never materialized. Results equal `icByDate` / `rankIcByDate` on the materialized forward returns
 * (same pairs, same midranks; sums in a different order, so equal to ~1e-15).
 *
 * The per-date loops over the assets (valid factor cells, factor order, group membership, pair
 * gathering, the rank-correlation walk, the equal-weight group sums) and the sorts run as WebAssembly kernels
 * (src/evaluate/wasm/evaluationKernels.wat) on arrays of one kernel arena, with the arithmetic
 * of the formulas below in the same order as the JavaScript they replaced.
 *
 *   IC_t     = Pearson(f, r)                       over the n jointly valid pairs
 *   rankIC_t = Pearson(midrank(f), midrank(r))     ranks taken over the same n pairs
 *   group mean_g,t = (1/n_g) Σ_{i∈g} r_i   or, cap-weighted, Σ c_i r_i / Σ c_i   (c_i > 0)
 *   turnover_g,t  = |B_g(t) \ B_g(t−1)| / |B_g(t)|  (alphalens quantile_turnover: new names / names)
 *
 * Groups are formed from all assets with a factor value on the date (independent of the
 * horizon); a member without a forward return is left out of that horizon's mean (alphalens drops
 * the asset from every horizon when any of its forward returns is missing, before bucketing).
 * Dates skipped for too few assets or all-tied factor values are counted, never thrown.
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { levelReturnRowInto } from '../panel/kernels.js';
import { fastRankScratchBytes, newFastRankScratch, sortAscending, midranksOfSorted } from './fastRank.js';
import { arenaBytes, newKernelArena } from './wasm/arena.js';
import { alignFactor, onFrame } from './frame.js';
import { horizonOf, type ForwardHorizon, type ForwardReturns } from './forwardReturns.js';
import { assignGroups, checkGroupSpec, groupLabels, type GroupReturns, type GroupSkipReason, type GroupSpec, type TieRule } from './groups.js';
import type { IcByDate, IcSkipReason } from './ic.js';
import { factorEntries, type FactorSet } from './factorSet.js';

/** Options of `evaluateCrossSections`. */
export interface CrossSectionOptions {
  /** Horizons (labels or lengths) to evaluate; default every horizon of the ForwardReturns. */
  horizons?: readonly (string | number)[];
  /** Minimum jointly valid (factor, return) pairs for an IC, and minimum assets for groups. Default 3. */
  minAssets?: number;
  /** Compute the Pearson IC. Default true. */
  ic?: boolean;
  /** Compute the rank IC. Default true. */
  rankIc?: boolean;
  /** Groups: { quantiles: Q } or { topK: k }, or false for none. Default { quantiles: 5 }. */
  groups?: GroupSpec | false;
  /** Tie rule of the groups. Default 'first' (ties broken by asset order). */
  ties?: TieRule;
  /** Cap weights (e.g. free-float cap at t) for cap-weighted group means; default equal weight. */
  weights?: Panel;
  /** Group turnover (needs groups). Default true. */
  turnover?: boolean;
}

/** Results of one horizon. */
export interface HorizonEvaluation {
  horizon: ForwardHorizon;
  ic: IcByDate | null;
  rankIc: IcByDate | null;
  groups: GroupReturns | null;
}

/** Group turnover per date (alphalens quantile_turnover with period = 1 rebalance period). */
export interface GroupTurnover {
  dates: string[];
  labels: string[];
  /** turnover[t * G + g]; NaN at the first date, after a date without groups, or for an empty group. */
  turnover: Float64Array;
  /** Mean over dates with a value, per group. */
  mean: Float64Array;
}

/** Everything `evaluateCrossSections` computed. */
export interface CrossSectionEvaluation {
  dates: string[];
  assets: string[];
  periodsPerYear: number;
  /** Row of each date in the forward returns' calendar. */
  rows: Int32Array;
  horizons: HorizonEvaluation[];
  groupLabels: string[];
  /** size[t * G + g]: members of group g at t (assets with a factor value); null without groups. */
  groupSize: Int32Array | null;
  groupSkipped: Record<GroupSkipReason, number>;
  groupSkippedDates: Record<GroupSkipReason, string[]>;
  turnover: GroupTurnover | null;
  /** Factor dates / assets left out because the forward returns do not have them (inner alignment). */
  unmatched: { dates: number; assets: number };
}

function checkMinAssets(minAssets: number): void {
  if (!Number.isInteger(minAssets) || minAssets < 2) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `minAssets must be an integer >= 2, got ${minAssets}`, { argument: 'minAssets', value: minAssets },
      'pass minAssets >= 2 (a correlation needs two pairs); 3 is the default');
  }
}

/**
 * Evaluate `factor` against the horizons of `fr` in one pass (see the module comment for the
 * formulas). The factor is aligned to the forward returns first (common dates and assets;
 * EVAL_NO_OVERLAP when none). IC dates skipped for fewer than `minAssets` pairs or a constant side
 * are counted in each IcByDate's `skipped`; group dates skipped for too few assets
 * (< max(minAssets, Q) for quantiles, < max(minAssets, 2k) for top-k) or all-tied factor values in
 * `groupSkipped`. Scratch is allocated once per call.
 */
export function evaluateCrossSections(factor: Panel, fr: ForwardReturns, options: CrossSectionOptions = {}): CrossSectionEvaluation {
  const minAssets = options.minAssets ?? 3;
  checkMinAssets(minAssets);
  const doIc = options.ic ?? true, doRank = options.rankIc ?? true;
  const spec = options.groups === undefined ? { quantiles: 5 } : options.groups;
  const ties: TieRule = options.ties ?? 'first';
  if (ties !== 'first' && ties !== 'average') {
    throw new RotationError('EVAL_BAD_ARGUMENT', `Unknown tie rule "${String(ties)}"`, { argument: 'ties' }, "use 'first' or 'average'");
  }
  const minGroup = spec ? checkGroupSpec(spec, minAssets) : 0;
  const labels = spec ? groupLabels(spec) : [];
  const G = labels.length;
  const doTurnover = spec !== false && (options.turnover ?? true);
  const hs = (options.horizons ?? fr.horizons.map((h) => h.label)).map((k) => horizonOf(fr, k));

  const frame = alignFactor(factor, fr);
  const f = frame.factor;
  const T = f.dates.length, N = f.assets.length, Nfr = fr.assets.length, Tfr = fr.dates.length;
  const fv = f.values, L = fr.level, seg = fr.segment, cols = frame.cols, rows = frame.rows;
  const wv = options.weights ? onFrame(options.weights, frame).values : null;
  const H = hs.length;

  // Outputs.
  const icOut = hs.map(() => (doIc ? newIc(T) : null));
  const rankOut = hs.map(() => (doRank ? newIc(T) : null));
  const gMean = hs.map(() => (spec ? new Float64Array(T * G).fill(NaN) : null));
  const gStd = hs.map(() => (spec ? new Float64Array(T * G).fill(NaN) : null));
  const gCount = hs.map(() => (spec ? new Int32Array(T * G) : null));
  const groupSize = spec ? new Int32Array(T * G) : null;
  const skipped: Record<GroupSkipReason, number> = { 'too-few-assets': 0, 'all-ties': 0 };
  const skippedDates: Record<GroupSkipReason, string[]> = { 'too-few-assets': [], 'all-ties': [] };
  const turnover = doTurnover ? new Float64Array(T * G).fill(NaN) : null;

  // Scratch, allocated once, in one kernel arena: the factor's and the returns' cells are
  // gathered straight into the sort kernels' inputs. Sized for the two sort scratches, the f64
  // arrays row, fwd, sf, fRank, s1, s2, stats and the i32 arrays xp, posOrd, bucketQ, bj, pa, cnt,
  // prevGroup, curGroup, sizes, newNames (an arena too small is an error at the first run).
  const arena = newKernelArena(2 * fastRankScratchBytes(N) + arenaBytes([N, N, N, N, G, G, 2], [N, N, N, N, N, G, N, N, G, G]));
  const kern = arena.kernels;
  const fScratch = newFastRankScratch(N, arena), rScratch = newFastRankScratch(N, arena);
  const xv = fScratch.input, rr = rScratch.input;
  const row = arena.f64(N), fwd = arena.f64(N), sf = arena.f64(N), fRank = arena.f64(N), s1 = arena.f64(G), s2 = arena.f64(G), stats = arena.f64(2);
  const xp = arena.i32(N), posOrd = arena.i32(N), bucketQ = arena.i32(N), bj = arena.i32(N), pa = arena.i32(N), cnt = arena.i32(G);
  const tmp = new Float64Array(N), cw = new Float64Array(N), s0 = new Float64Array(G);
  let prevGroup = arena.i32(N).fill(-1), curGroup = arena.i32(N).fill(-1);
  const sizes = arena.i32(G), newNames = arena.i32(G);
  let prevGrouped = false;

  for (let t = 0; t < T; t++) {
    const base = t * N;
    // The factor's valid cells (xv) and their assets (xp), in asset order.
    row.set(fv.subarray(base, base + N));
    const nf = kern.validCells(row.byteOffset, N, xv.byteOffset, xp.byteOffset);
    if (nf > 0) sortAscending(xv, nf, fScratch);
    const sorted = fScratch.sorted;
    // posOrd[q] = asset of the q-th smallest factor value; ties among the factor values?
    const factorTies = kern.assetsInOrder(xp.byteOffset, fScratch.order.byteOffset, sorted.byteOffset, posOrd.byteOffset, nf) === 1;

    // Groups of this date, in rank order.
    let grouped = false;
    if (spec) {
      if (nf < minGroup) { skipped['too-few-assets']++; skippedDates['too-few-assets'].push(f.dates[t]); }
      else if (sorted[0] === sorted[nf - 1]) { skipped['all-ties']++; skippedDates['all-ties'].push(f.dates[t]); }
      else {
        assignGroups(sorted, nf, spec, ties, bucketQ, tmp);
        grouped = true;
        // Members of each group (sizes), each asset's group (curGroup) and the members new to
        // their group since the previous date (newNames).
        kern.groupMembership(bucketQ.byteOffset, posOrd.byteOffset, nf, prevGroup.byteOffset, curGroup.byteOffset, N,
          sizes.byteOffset, newNames.byteOffset, G);
        groupSize!.set(sizes, t * G);
      }
      if (turnover) {
        if (!grouped) curGroup.fill(-1);
        else if (prevGrouped) {
          for (let g = 0; g < G; g++) {
            const size = sizes[g];
            turnover[t * G + g] = size > 0 ? newNames[g] / size : NaN;
          }
        }
        const sw = prevGroup; prevGroup = curGroup; curGroup = sw;
        prevGrouped = grouped;
      }
    }

    const R = rows[t];
    const needSf = doIc || factorTies;
    for (let hIdx = 0; hIdx < H; hIdx++) {
      const p = hs[hIdx].periods;
      // Jointly valid pairs, in factor order: rr[j] (return), sf[j] (factor value), bj[j] (group),
      // pa[j] (asset, for cap weights); the smallest and largest return in stats.
      let n = 0;
      let rMin = Infinity, rMax = -Infinity;
      if (R + p < Tfr) {
        // Forward returns of every asset of the date, by division (L[t+h]/L[t] − 1).
        levelReturnRowInto(L, R * Nfr, (R + p) * Nfr, N, fwd, cols, seg);
        const flags = (needSf ? 1 : 0) | (grouped ? 2 : 0) | (grouped && wv !== null ? 4 : 0);
        n = kern.gatherPairs(posOrd.byteOffset, nf, fwd.byteOffset, sorted.byteOffset, bucketQ.byteOffset,
          rr.byteOffset, sf.byteOffset, bj.byteOffset, pa.byteOffset, flags, stats.byteOffset);
        rMin = stats[0]; rMax = stats[1];
        if (flags & 4) for (let j = 0; j < n; j++) cw[j] = wv![base + pa[j]];
      }
      const icRes = icOut[hIdx], rankRes = rankOut[hIdx];
      if (icRes) icRes.n[t] = n;
      if (rankRes) rankRes.n[t] = n;
      if (icRes || rankRes) {
        // The factor is constant over the pairs iff the smallest and largest pair values tie
        // (without any tie on the date, iff there are fewer than two pairs).
        const fConst = needSf ? n > 0 && sf[0] === sf[n - 1] : n < 2;
        if (n < minAssets) {
          if (icRes) icRes.skipped['too-few-pairs']++;
          if (rankRes) rankRes.skipped['too-few-pairs']++;
        } else if (fConst || rMin === rMax) {
          if (icRes) icRes.skipped['zero-variance']++;
          if (rankRes) rankRes.skipped['zero-variance']++;
        } else {
          if (icRes) {
            let ma = 0, mb = 0;
            for (let j = 0; j < n; j++) { ma += sf[j]; mb += rr[j]; }
            ma /= n; mb /= n;
            let sab = 0, saa = 0, sbb = 0;
            for (let j = 0; j < n; j++) { const a = sf[j] - ma, b = rr[j] - mb; sab += a * b; saa += a * a; sbb += b * b; }
            if (saa > 0 && sbb > 0) { const v = sab / Math.sqrt(saa * sbb); icRes.ic[t] = v > 1 ? 1 : v < -1 ? -1 : v; }
            else icRes.skipped['zero-variance']++;
          }
          if (rankRes) {
            // Factor midrank of pair j: j + 1 without ties (pairs are in factor order), else
            // midranks of sf. Walk the pairs in return order; the return midrank is constant
            // over each run of tied returns.
            if (factorTies) midranksOfSorted(sf, n, fRank);
            sortAscending(rr, n, rScratch);
            rankRes.ic[t] = kern.rankCorrelation(rScratch.sorted.byteOffset, rScratch.order.byteOffset, fRank.byteOffset, factorTies ? 1 : 0, n);
          }
        }
      }
      if (grouped) {
        const shift = n > 0 ? rr[0] : 0; // shift for numerically stable sums
        if (wv === null) {
          // Pairs are in factor order, so each group is a run of j (sums per run, then per group).
          kern.groupRunSums(rr.byteOffset, bj.byteOffset, n, shift, s1.byteOffset, s2.byteOffset, cnt.byteOffset, G);
        } else {
          s0.fill(0); s1.fill(0); s2.fill(0); cnt.fill(0);
          for (let j = 0; j < n; j++) {
            const g = bj[j], w = cw[j];
            if (g < 0 || !(w > 0)) continue;
            const d = rr[j] - shift;
            s0[g] += w; s1[g] += w * d; s2[g] += w * d * d; cnt[g]++;
          }
        }
        const mean = gMean[hIdx]!, std = gStd[hIdx]!, count = gCount[hIdx]!;
        for (let g = 0; g < G; g++) {
          const c = cnt[g];
          count[t * G + g] = c;
          if (c === 0) continue;
          if (wv === null) {
            mean[t * G + g] = shift + s1[g] / c;
            if (c > 1) std[t * G + g] = Math.sqrt(Math.max(0, (s2[g] - (s1[g] * s1[g]) / c) / (c - 1)));
          } else {
            const W = s0[g];
            mean[t * G + g] = shift + s1[g] / W;
            if (c > 1) std[t * G + g] = Math.sqrt(Math.max(0, ((s2[g] - (s1[g] * s1[g]) / W) / W) * (c / (c - 1))));
          }
        }
      }
    }
  }

  const dates = f.dates.slice();
  const horizons: HorizonEvaluation[] = hs.map((h, k) => ({
    horizon: h,
    ic: icOut[k] ? { dates: dates.slice(), ...icOut[k]! } : null,
    rankIc: rankOut[k] ? { dates: dates.slice(), ...rankOut[k]! } : null,
    groups: spec ? {
      horizon: h, periodsPerYear: fr.periodsPerYear, dates: dates.slice(), rows: rows.slice(), labels: labels.slice(),
      weighting: wv ? 'cap' as const : 'equal' as const,
      mean: gMean[k]!, std: gStd[k]!, count: gCount[k]!,
      skipped: { ...skipped }, skippedDates: { 'too-few-assets': skippedDates['too-few-assets'].slice(), 'all-ties': skippedDates['all-ties'].slice() },
    } : null,
  }));
  let turnoverOut: GroupTurnover | null = null;
  if (turnover) {
    const mean = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      let s = 0, c = 0;
      for (let t = 0; t < T; t++) { const v = turnover[t * G + g]; if (v === v) { s += v; c++; } }
      mean[g] = c > 0 ? s / c : NaN;
    }
    turnoverOut = { dates: dates.slice(), labels: labels.slice(), turnover, mean };
  }
  return {
    dates, assets: f.assets.slice(), periodsPerYear: fr.periodsPerYear, rows: rows.slice(), horizons,
    groupLabels: labels, groupSize, groupSkipped: skipped, groupSkippedDates: skippedDates, turnover: turnoverOut,
    unmatched: { dates: factor.dates.length - T, assets: factor.assets.length - N },
  };
}

function newIc(T: number): { ic: Float64Array; n: Int32Array; skipped: Record<IcSkipReason, number> } {
  return { ic: new Float64Array(T).fill(NaN), n: new Int32Array(T), skipped: { 'too-few-pairs': 0, 'zero-variance': 0 } };
}

/**
 * Per-date IC of `factor` for one horizon of `fr` ('pearson' or 'rank'), through
 * `evaluateCrossSections` without groups: the same numbers as `icByDate` / `rankIcByDate` on
 * `forwardReturnPanel(fr, horizon)` aligned to the factor.
 */
export function icForHorizon(factor: Panel, fr: ForwardReturns, horizon: string | number,
  options: { method?: 'pearson' | 'rank'; minAssets?: number } = {}): IcByDate {
  const method = options.method ?? 'rank';
  const ev = evaluateCrossSections(factor, fr, {
    horizons: [horizon], minAssets: options.minAssets, groups: false, ic: method === 'pearson', rankIc: method === 'rank',
  });
  return (method === 'rank' ? ev.horizons[0].rankIc : ev.horizons[0].ic)!;
}

/**
 * IC series of every factor of a set for one horizon ('rank' by default), by name, all on the
 * forward returns' common dates: the input of the IC-based weights in src/combine/weights.ts.
 * Each factor is aligned to `fr` separately, so the factors must share their dates for the
 * weights (COMBINE_MISALIGNED there otherwise).
 */
export function icByFactor(factors: FactorSet, fr: ForwardReturns, horizon: string | number,
  options: { method?: 'pearson' | 'rank'; minAssets?: number } = {}): Record<string, IcByDate> {
  const out: Record<string, IcByDate> = {};
  for (const [name, p] of factorEntries(factors)) out[name] = icForHorizon(p, fr, horizon, options);
  return out;
}
