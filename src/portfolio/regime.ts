/**
 * HMM regime baseline: a Gaussian HMM (hmm.ts) on daily market and industry features, refitted on
 * an expanding window, whose CAUSAL filtered probabilities p(z_t | x_1..t) pick the regime; the
 * allocation holds the top-k industries by historical mean return in that regime.
 *
 * Features (`regimeFeatures`, each row uses only data up to that day: causal):
 *   market      m_t = mean_i r_{t,i}                               (equal-weight industry return)
 *   volatility  log sqrt(EWMA_h(m^2)_t)                            (market volatility)
 *   dispersion  EWMA_h(log sd_i(r_{t,i}))_t                        (cross-sectional sd, ddof 1)
 *   turnover    EWMA_h(log mean_i turnover_{t,i})_t                (when a turnover panel is given)
 * with EWMA_h(x)_t = (1 - a) EWMA_h(x)_{t-1} + a x_t, a = 1 - 2^(-1/h), started at the first
 * finite value; half-life h = `halfLife` (default 5 trading days; 0 = no smoothing).
 * Leading rows with a NaN feature are skipped; an interior NaN is filled with the previous value
 * of that feature (counted in `filled`).
 *
 * Expanding-window refits (`fitSchedule`): the first fit on the first `minTrainObservations` rows
 * (default max(10 x free parameters, 250)), then on the first trading day of a month at least
 * `refitEveryMonths` calendar months (default 12; 0 = at every date) after the last fit. A fit at
 * row f uses rows <= f only; decisions at t >= f use the filter of that model over rows <= t.
 *
 * Regime performance (decision at t, regime k* = argmax_k p(z_t = k | x_1..t)):
 *   perf_{k,i} = sum_{s < t} p(z_s = k | x_1..s) r_{s+1,i} / sum_{s < t} p(z_s = k | x_1..s)
 * (the return of the day after each filtered state, i.e. what holding i after seeing regime k
 * earned), over the expanding window; top-k equal weight by perf_{k*,i}.
 */
import { createHash } from 'node:crypto';
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { argmaxStates, fitGaussianHmm, forwardFilter, hmmFreeParameters, type GaussianHmm, type HmmCovarianceType, type HmmFit, type HmmFitOptions } from './hmm.js';
import { columnsOf, rowsUpTo } from './history.js';
import type { Allocator, BoundSpec, DenseMatrix } from './types.js';
import {
  eligibleFromScores, finishAllocation, newDiagnostics, preferenceOrder, resolveBound, topKEqualWeights, validateContext,
} from './weights.js';

export type RegimeFeatureName = 'market' | 'volatility' | 'dispersion' | 'turnover';

export interface RegimeFeatureInput {
  /** Daily simple returns, dates x industries. */
  returns: Panel;
  /** Daily turnover, same dates and industries (needed for the 'turnover' feature). */
  turnover?: Panel;
  /** Default ['market', 'volatility', 'dispersion'] plus 'turnover' when a turnover panel is given. */
  features?: RegimeFeatureName[];
  /** EWMA half-life in rows (default 5; 0 = raw daily values). */
  halfLife?: number;
}

/**
 * Daily regime features (module comment) as a Panel dates x feature names. Row t uses only the
 * returns (and turnover) of days <= t, so it is known at the close of t.
 */
export function regimeFeatures(input: RegimeFeatureInput): Panel {
  const names = input.features ?? (input.turnover ? ['market', 'volatility', 'dispersion', 'turnover'] : ['market', 'volatility', 'dispersion']);
  const hl = input.halfLife ?? 5;
  if (!(hl >= 0) || !Number.isFinite(hl)) {
    throw new RotationError('REGIME_BAD_OPTION', `halfLife ${hl} must be >= 0`, { option: 'halfLife' }, 'pass a half-life in trading days, e.g. 5 (0 = no smoothing)');
  }
  const a = hl === 0 ? 1 : 1 - Math.pow(0.5, 1 / hl);
  const r = input.returns, T = r.dates.length, N = r.assets.length;
  if (names.includes('turnover')) {
    if (!input.turnover) {
      throw new RotationError('REGIME_NO_TURNOVER', 'The turnover feature needs a turnover panel', { feature: 'turnover' },
        'pass dataset.industryBars.turnover, or leave the turnover feature out');
    }
    if (input.turnover.dates.length !== T || input.turnover.assets.length !== N) {
      throw new RotationError('REGIME_MISALIGNED', 'Turnover panel shape differs from the returns panel', {},
        'pass turnover on the same dates and industries as the returns');
    }
  }
  for (const name of names) {
    if (name !== 'market' && name !== 'volatility' && name !== 'dispersion' && name !== 'turnover') {
      throw new RotationError('REGIME_BAD_FEATURE', `Unknown regime feature "${String(name)}"`, { feature: String(name) },
        'use market, volatility, dispersion or turnover');
    }
  }
  const F = names.length;
  const out = new Float64Array(T * F).fill(NaN);
  let eVol = NaN, eDisp = NaN, eTurn = NaN;
  const ew = (prev: number, x: number): number => (Number.isFinite(x) ? (Number.isFinite(prev) ? (1 - a) * prev + a * x : x) : prev);
  for (let t = 0; t < T; t++) {
    let n = 0, s = 0, ss = 0, tn = 0, ts = 0;
    for (let i = 0; i < N; i++) {
      const v = r.values[t * N + i];
      if (Number.isFinite(v)) { n++; s += v; }
      if (input.turnover) {
        const u = input.turnover.values[t * N + i];
        if (Number.isFinite(u) && u > 0) { tn++; ts += u; }
      }
    }
    const m = n > 0 ? s / n : NaN;
    for (let i = 0; i < N; i++) {
      const v = r.values[t * N + i];
      if (Number.isFinite(v)) ss += (v - m) ** 2;
    }
    eVol = ew(eVol, m * m);
    eDisp = ew(eDisp, n > 1 && ss > 0 ? Math.log(Math.sqrt(ss / (n - 1))) : NaN);
    eTurn = ew(eTurn, tn > 0 ? Math.log(ts / tn) : NaN);
    for (let f = 0; f < F; f++) {
      const name = names[f];
      out[t * F + f] = name === 'market' ? m
        : name === 'volatility' ? (eVol > 0 ? 0.5 * Math.log(eVol) : NaN)
          : name === 'dispersion' ? eDisp : eTurn;
    }
  }
  return { dates: r.dates, assets: [...names], values: out };
}

/**
 * Feature rows [0, end) as a dense matrix from the first row where every feature is finite;
 * interior NaN cells are filled with the previous row's value (counted).
 */
export function featureMatrix(features: Panel, end: number): { matrix: DenseMatrix; firstRow: number; filled: number } {
  const F = features.assets.length;
  let first = 0;
  for (; first < end; first++) {
    let ok = true;
    for (let f = 0; f < F && ok; f++) ok = Number.isFinite(features.values[first * F + f]);
    if (ok) break;
  }
  const T = Math.max(0, end - first);
  const out = new Float64Array(T * F);
  let filled = 0;
  for (let t = 0; t < T; t++) {
    for (let f = 0; f < F; f++) {
      const v = features.values[(first + t) * F + f];
      if (Number.isFinite(v)) out[t * F + f] = v;
      else { out[t * F + f] = out[(t - 1) * F + f]; filled++; }
    }
  }
  return { matrix: { rows: T, cols: F, values: out }, firstRow: first, filled };
}

export interface RegimeModelOptions {
  /** K (default 3). */
  nStates?: number;
  /** Default 'full'. */
  covarianceType?: HmmCovarianceType;
  /** Restarts per fit (default 4). */
  restarts?: number;
  /** EM iterations per restart (default 100). */
  maxIter?: number;
  /** Per-observation log-likelihood tolerance (default 1e-6). */
  tol?: number;
  minCovar?: number;
  seed: number;
  /** Months between refits (default 12; 0 = refit at every call / every day of the path). */
  refitEveryMonths?: number;
  /** Rows needed before the first fit (default max(10 x free parameters, 250)). */
  minTrainObservations?: number;
  /** Feature ordering the states (descending mean); default 0 = market. */
  orderFeature?: number;
}

function monthNumber(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/**
 * Refit rows of the expanding window, as row indices counted from `firstRow` (the first complete
 * feature row): the first fit at row minTrain - 1, then at the first row of a month at least
 * `every` calendar months after the last fit's month (every row when every = 0). It depends on
 * dates only, so the fit in force at a date is the same whatever dates were asked before.
 */
export function fitSchedule(dates: readonly string[], firstRow: number, rows: number, minTrain: number, every: number): number[] {
  const fitAt: number[] = [];
  let last = -1;
  for (let r = minTrain - 1; r < rows; r++) {
    const d = dates[firstRow + r];
    if (last < 0 || every === 0 || monthNumber(d) - monthNumber(dates[firstRow + last]) >= every) { fitAt.push(r); last = r; }
  }
  return fitAt;
}

function fitOptions(o: RegimeModelOptions, D: number): { K: number; type: HmmCovarianceType; minTrain: number } {
  const K = o.nStates ?? 3, type = o.covarianceType ?? 'full';
  const minTrain = o.minTrainObservations ?? Math.max(10 * hmmFreeParameters(K, D, type), 250);
  const every = o.refitEveryMonths ?? 12;
  if (!Number.isInteger(every) || every < 0) {
    throw new RotationError('REGIME_BAD_OPTION', `refitEveryMonths ${every} must be an integer >= 0`, { option: 'refitEveryMonths' },
      'pass 12 for yearly refits, 1 for monthly, 0 for every rebalance');
  }
  return { K, type, minTrain };
}

/** Most fits `fitOn` keeps (oldest out first); a fit is ~1 KB. */
export const REGIME_FIT_MEMO_SIZE = 256;
const fitMemo = new Map<string, HmmFit>();
const fitMemoCounts = { hits: 0, misses: 0 };

/** Fits read back from the memo and fits computed, since the process started (see `fitOn`). */
export function regimeFitMemoCounts(): { hits: number; misses: number } {
  return { ...fitMemoCounts };
}

/**
 * The HMM fit on the first `rows` feature rows. `fitGaussianHmm` is deterministic (seeded
 * restarts), so fits already made in this process are kept by content — key = SHA-256 of the
 * training rows' bytes and the fit options — and a repeated fit is a copy of the kept one, bit for
 * bit. Repeats are common: the HMM baseline's yearly refits are the same whichever walk asks
 * (every spec set, the turnover frontier's reruns) and the same as `causalRegimePath`'s on the
 * same returns. Content, not object identity, keys the memo, so a changed row is a new fit.
 */
function fitOn(matrix: DenseMatrix, rows: number, o: RegimeModelOptions, K: number, type: HmmCovarianceType): HmmFit {
  const D = matrix.cols;
  const x = { rows, cols: D, values: matrix.values.subarray(0, rows * D) };
  const options: HmmFitOptions = {
    nStates: K, covarianceType: type, restarts: o.restarts ?? 4, maxIter: o.maxIter ?? 100, tol: o.tol ?? 1e-6,
    minCovar: o.minCovar, seed: o.seed, orderFeature: o.orderFeature ?? 0,
  };
  const key = createHash('sha256').update(`${rows}x${D} ${JSON.stringify(options)}\n`)
    .update(new Uint8Array(x.values.buffer, x.values.byteOffset, x.values.byteLength)).digest('hex');
  const kept = fitMemo.get(key);
  if (kept) { fitMemoCounts.hits++; return structuredClone(kept); }
  fitMemoCounts.misses++;
  const fit = fitGaussianHmm(x, options);
  fitMemo.set(key, structuredClone(fit));
  if (fitMemo.size > REGIME_FIT_MEMO_SIZE) fitMemo.delete(fitMemo.keys().next().value!);
  return fit;
}

export interface CausalRegimePath {
  readonly dates: readonly string[];
  /** argmax of the filtered probabilities per date; -1 before the first fit. */
  readonly states: Int32Array;
  /** p(z_t | x_1..t) under the model in force at t (T x K); NaN before the first fit. */
  readonly probabilities: Float64Array;
  readonly nStates: number;
  /** Date of each fit and its training size. */
  readonly fits: { date: string; observations: number; logLikelihood: number; model: GaussianHmm }[];
  /** Index into `fits` of the model in force at each date (-1 before the first fit). */
  readonly fitIndex: Int32Array;
  /** Interior NaN feature cells filled forward. */
  readonly filled: number;
}

/**
 * Out-of-sample (causal) regime path over every date of `features`: expanding-window refits (module
 * comment; on the first date of a month `refitEveryMonths` after the last fit, or every day when
 * 0) and, at each date t, the filtered p(z_t | x_1..t) of the model fitted at the last fit date
 * <= t. Nothing at t uses rows after t.
 */
export function causalRegimePath(features: Panel, options: RegimeModelOptions): CausalRegimePath {
  const T = features.dates.length, D = features.assets.length;
  const { K, type, minTrain } = fitOptions(options, D);
  const every = options.refitEveryMonths ?? 12;
  const { matrix, firstRow, filled } = featureMatrix(features, T);
  const states = new Int32Array(T).fill(-1);
  const fitIndex = new Int32Array(T).fill(-1);
  const probs = new Float64Array(T * K).fill(NaN);
  const fits: CausalRegimePath['fits'] = [];
  const fitAt = fitSchedule(features.dates, firstRow, matrix.rows, minTrain, every);
  for (let f = 0; f < fitAt.length; f++) {
    const r0 = fitAt[f], r1 = f + 1 < fitAt.length ? fitAt[f + 1] : matrix.rows;
    const fit = fitOn(matrix, r0 + 1, options, K, type);
    fits.push({ date: features.dates[firstRow + r0], observations: r0 + 1, logLikelihood: fit.logLikelihood, model: fit.model });
    // One forward pass over rows [0, r1): row t depends on rows <= t only.
    const filt = forwardFilter(fit.model, { rows: r1, cols: D, values: matrix.values.subarray(0, r1 * D) });
    const st = argmaxStates(filt.probabilities, K);
    for (let r = r0; r < r1; r++) {
      states[firstRow + r] = st[r];
      fitIndex[firstRow + r] = f;
      for (let k = 0; k < K; k++) probs[(firstRow + r) * K + k] = filt.probabilities[r * K + k];
    }
  }
  return { dates: features.dates, states, probabilities: probs, nStates: K, fits, fitIndex, filled };
}

export interface RegimeAccuracy {
  /** Share of dates (state >= 0 and truth defined) where state == truth (labels as given). */
  readonly accuracy: number;
  /** Best accuracy over all relabellings of the fitted states (label-switching-free upper bound). */
  readonly bestPermutationAccuracy: number;
  /** confusion[truth][state] counts. */
  readonly confusion: number[][];
  readonly compared: number;
}

/**
 * Agreement of fitted states with true regimes over the dates where a state exists (state >= 0):
 *   accuracy = #{t : s_t = truth_t} / #{t : s_t >= 0},
 * plus the best accuracy over permutations of the fitted labels and the confusion matrix.
 */
export function regimeAccuracy(states: ArrayLike<number>, truth: ArrayLike<number>, nStates: number): RegimeAccuracy {
  if (states.length !== truth.length) {
    throw new RotationError('REGIME_MISALIGNED', `${states.length} states vs ${truth.length} true regimes`, {}, 'compare paths over the same dates');
  }
  const K = nStates;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let n = 0, hit = 0;
  for (let t = 0; t < states.length; t++) {
    const s = states[t], g = truth[t];
    if (s < 0 || g < 0 || g >= K) continue;
    n++;
    confusion[g][s]++;
    if (s === g) hit++;
  }
  let best = 0;
  const perm = Array.from({ length: K }, (_, k) => k);
  const visit = (k: number): void => {
    if (k === K) {
      let h = 0;
      for (let g = 0; g < K; g++) h += confusion[g][perm[g]];
      if (h > best) best = h;
      return;
    }
    for (let j = k; j < K; j++) {
      [perm[k], perm[j]] = [perm[j], perm[k]];
      visit(k + 1);
      [perm[k], perm[j]] = [perm[j], perm[k]];
    }
  };
  if (K <= 8) visit(0);
  return { accuracy: n ? hit / n : NaN, bestPermutationAccuracy: n ? best / n : NaN, confusion, compared: n };
}

export interface HmmRegimeAllocatorOptions extends RegimeModelOptions {
  /**
   * Daily feature panel (dates x features; row t known at t). Default: `regimeFeatures` of
   * context.returns ('market', 'volatility', 'dispersion'; half-life 5).
   */
  features?: Panel;
  /** Industries held (default 5). */
  k?: number;
  caps?: BoundSpec;
  name?: string;
}

interface FitCache {
  features: Panel;
  firstRow: number;
  /** Matrix row (from firstRow) of the last observation in the fit. */
  fitRow: number;
  /** Date of that row. */
  date: string;
  model: GaussianHmm;
  observations: number;
  logLikelihood: number;
}

/**
 * HMM regime allocator (module comment). The model in force at t is the one fitted at the last
 * scheduled refit row <= t (`fitSchedule`: dates only, so the result at t does not depend on which
 * dates were asked before; with refitEveryMonths 0 the fit uses every row <= t). The last fit is
 * cached in the closure, keyed by feature panel and fit row. Before `minTrainObservations` rows
 * exist it returns equal weight (noted, details.fallback = true).
 */
export function hmmRegimeAllocator(options: HmmRegimeAllocatorOptions): Allocator {
  const name = options.name ?? 'hmm-regime';
  const k = options.k ?? 5;
  const derived = new WeakMap<Panel, Panel>();
  const schedules = new WeakMap<Panel, { firstRow: number; rows: number[] }>();
  let cache: FitCache | undefined;
  return (ctx) => {
    validateContext(ctx, name, { returns: true });
    const returns = ctx.returns!;
    let features = options.features;
    if (!features) {
      features = derived.get(returns);
      if (!features) { features = regimeFeatures({ returns }); derived.set(returns, features); }
    }
    const D = features.assets.length;
    const { K, type, minTrain } = fitOptions(options, D);
    const end = rowsUpTo(features, ctx.date);
    const { matrix, firstRow, filled } = featureMatrix(features, end);
    const n = ctx.industries.length;
    const diag = newDiagnostics(name, ctx.date);
    const caps = resolveBound(options.caps, ctx.industries, 1, 'cap');
    if (matrix.rows < minTrain) {
      diag.notes.push(`${matrix.rows} feature rows < ${minTrain} needed for the first fit: equal weight`);
      diag.details.fallback = true;
      return finishAllocation(ctx, new Float64Array(n).fill(1 / n), diag, { caps, eligible: new Uint8Array(n).fill(1) });
    }
    if (filled) diag.notes.push(`${filled} interior NaN feature cell(s) filled forward`);
    const every = options.refitEveryMonths ?? 12;
    // The fit in force at t: the last scheduled fit row <= t (dates only), fitted on rows up to it.
    let schedule = schedules.get(features);
    if (!schedule || schedule.firstRow !== firstRow) {
      schedule = { firstRow, rows: fitSchedule(features.dates, firstRow, features.dates.length - firstRow, minTrain, every) };
      schedules.set(features, schedule);
    }
    let fitRow = matrix.rows - 1;
    if (every > 0) {
      for (const r of schedule.rows) { if (r <= matrix.rows - 1) fitRow = r; else break; }
    }
    if (!cache || cache.features !== features || cache.fitRow !== fitRow || cache.firstRow !== firstRow) {
      const fit = fitOn(matrix, fitRow + 1, options, K, type);
      cache = { features, firstRow, fitRow, date: features.dates[firstRow + fitRow], model: fit.model, observations: fitRow + 1, logLikelihood: fit.logLikelihood };
      diag.notes.push(`HMM refitted on ${fitRow + 1} rows up to ${cache.date}`);
    }
    const model = cache!.model;
    const filt = forwardFilter(model, matrix);
    const T = matrix.rows;
    const pNow = filt.probabilities.subarray((T - 1) * K, T * K);
    let kStar = 0;
    for (let s = 1; s < K; s++) if (pNow[s] > pNow[kStar]) kStar = s;
    // Regime performance from the returns panel, matched by date.
    const cols = columnsOf(returns, ctx.industries, name);
    const rIndex = new Map<string, number>();
    returns.dates.forEach((d, t) => rIndex.set(d, t));
    const N = returns.assets.length;
    const num = new Float64Array(n), den = new Float64Array(n);
    for (let s = 0; s < T - 1; s++) {
      const p = filt.probabilities[s * K + kStar];
      if (p === 0) continue;
      const rr = rIndex.get(features.dates[firstRow + s + 1]);
      if (rr === undefined || returns.dates[rr] > ctx.date) continue;
      for (let i = 0; i < n; i++) {
        const v = returns.values[rr * N + cols[i]];
        if (Number.isFinite(v)) { num[i] += p * v; den[i] += p; }
      }
    }
    const perf = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; i++) if (den[i] >= 1) perf[i] = num[i] / den[i];
    const eligible = eligibleFromScores(ctx.industries, perf, diag);
    for (const e of diag.excluded) e.reason = 'no history in the current regime (filtered weight < 1 day)';
    diag.nanScores = 0;
    const order = preferenceOrder(perf, eligible);
    diag.details.regime = kStar;
    diag.details.filteredProbabilities = Array.from(pNow);
    diag.details.fitDate = cache!.date;
    diag.details.fitObservations = cache!.observations;
    diag.details.logLikelihood = cache!.logLikelihood;
    diag.details.stateMeans = Array.from(model.means);
    diag.details.regimePerformance = perf;
    if (order.length === 0) {
      diag.notes.push('no industry has history in the current regime: equal weight');
      diag.excluded = [];
      return finishAllocation(ctx, new Float64Array(n).fill(1 / n), diag, { caps, eligible: new Uint8Array(n).fill(1) });
    }
    return finishAllocation(ctx, topKEqualWeights(perf, eligible, k), diag, { caps, eligible, order });
  };
}

/**
 * Relabel a causal path per fit by the rank of each state's mean of feature `feature`: within
 * each fit, the state with the r-th largest mean of that feature gets label `targetOrder[r]`.
 * Used to compare with known regimes described by one characteristic, e.g. the simulator's
 * regimes ranked by annual volatility (largest first) against the 'volatility' feature.
 */
export function relabelByFeatureRank(path: CausalRegimePath, feature: number, targetOrder: readonly number[]): Int32Array {
  const K = path.nStates;
  if (targetOrder.length !== K) {
    throw new RotationError('REGIME_BAD_OPTION', `targetOrder has ${targetOrder.length} labels for ${K} states`, {}, 'pass one target label per state');
  }
  const maps = path.fits.map((f) => {
    const D = f.model.dim;
    if (!(feature >= 0 && feature < D)) {
      throw new RotationError('REGIME_BAD_OPTION', `feature ${feature} out of range`, { features: D }, `pass 0 <= feature < ${D}`);
    }
    const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => f.model.means[b * D + feature] - f.model.means[a * D + feature] || a - b);
    const map = new Int32Array(K);
    order.forEach((state, r) => { map[state] = targetOrder[r]; });
    return map;
  });
  const out = new Int32Array(path.states.length).fill(-1);
  for (let t = 0; t < out.length; t++) if (path.states[t] >= 0) out[t] = maps[path.fitIndex[t]][path.states[t]];
  return out;
}
