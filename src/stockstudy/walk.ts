/**
 * The monthly index-enhancement walk of study 003 (notebook 08) and the portfolio rules of its
 * four approaches. At each rebalance date d_k (ascending):
 *
 *   U_k   = { i : b_i(d_k) > 0, close(d_k, i) valid, industry g(i, d_k) known }   (universe; |U_k| >= minStocks)
 *   b̂_k   = b(d_k) restricted to U_k, renormalized to Σ = 1 by enhanceIndex (reported)
 *   p_k,i = w_{k−1,i} c(d_k, i)/c(d_{k−1}, i) / Σ_j w_{k−1,j} c(d_k, j)/c(d_{k−1}, j)   (drifted previous weights,
 *           c = close carried forward over suspensions; held names outside U_k are sold, outside the budget)
 *   w_k   = enhanceIndex(s_k, b̂_k, p_k restricted to U_k; δ, d or the rank bands, τ)   (LP, verified within 1e-9)
 *
 * then the weights are held (drifting with daily returns) to d_{k+1}. Nothing at d_k reads data
 * dated after d_k: scores and benchmark are rows of d_k, the drift uses closes up to d_k.
 *
 * Approaches (module functions):
 *   symmetric bands      −d <= Σ_{i∈g}(w_i − b_i) <= d
 *   rank bands (a)       −d(1 − q_g) <= Σ_{i∈g}(w_i − b_i) <= d q_g,  q_g = (midrank_g − 1)/(n − 1) of the
 *                        industry score among the n scored industries of the universe (q = ½ when unscored)
 *   platter (b)          w = (1 − s) w_core + s w_sat,  s = satellite share (3:7 → s = 0.3)
 *   satellite            w_sat,i = (1/k') b_i / B_{g(i)} for g(i) among the k' <= k best-scored industries with B_g > 0
 *   top fraction         w_i = 1/m over the m = ⌈f·n⌉ best-scored of the n universe stocks with a score
 */
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { midranksInto, newRankScratch } from '../panel/kernels.js';
import { membershipAsOf } from '../data/pointInTime.js';
import { countLoss, newLossReport, type LossReport } from '../data/loss.js';
import type { MembershipRecord } from '../data/types.js';
import type { Solver } from '../portfolio/optimizer.js';
import { enhanceIndex, type EnhancementRelaxation } from './enhancement.js';
import { rowsOf } from './projection.js';

/** Default smallest universe a rebalance date may have. */
export const DEFAULT_MIN_STOCKS = 50;

/** Industry membership and benchmark weights of the walk, shared by every approach. */
export interface WalkUniverseInput {
  /** Rebalance (decision) dates, ascending, each a date of `close`. */
  readonly dates: readonly string[];
  /** Daily closes (trading dates x stocks); NaN = suspended or not listed. */
  readonly close: Panel;
  /** Industry membership records (point in time: the record valid on d_k is used). */
  readonly membership: readonly MembershipRecord[];
  readonly scheme: string;
  /** Benchmark weights over `close.assets` as of a date (only data known on that date). */
  readonly benchmarkAt: (date: string) => ArrayLike<number>;
  /** Smallest allowed universe (default 50): fewer is STOCK_UNIVERSE_TOO_SMALL. */
  readonly minStocks?: number;
}

/** Universe, industries and benchmark of each rebalance date. */
export interface WalkUniverse {
  dates: string[];
  stocks: string[];
  /** Industry list; `codes` index into it. */
  industries: string[];
  /** codes[k * N + i]: industry of stock i on d_k, −1 = none. */
  codes: Int32Array;
  /** 1 when stock i is in U_k. */
  inUniverse: Uint8Array;
  /** Benchmark weights over U_k, renormalized to Σ = 1 (dates x stocks, 0 outside U_k). */
  benchmark: Panel;
  /** Benchmark weights of U_k as given (before renormalization; dates x stocks). */
  rawBenchmark: Float64Array;
  /** Σ of the benchmark weights of U_k as given (before renormalization), by date. */
  benchmarkSum: Float64Array;
  /** Candidate stock-dates (b > 0) read, kept (in U_k) and dropped by reason; renormalizations in the notes. */
  loss: LossReport;
}

/**
 * The universe of every rebalance date (module formula U_k) and the benchmark renormalized over
 * it. A benchmark member without an industry or without a close on d_k is excluded and counted.
 * Errors: STOCK_UNIVERSE_TOO_SMALL (names the date, the size and the minimum), STOCK_BAD_DATE,
 * STOCK_BAD_ARGUMENT (benchmark of the wrong length or with a negative / non-finite weight).
 */
export function walkUniverse(input: WalkUniverseInput): WalkUniverse {
  const { dates, close } = input;
  const stocks = close.assets, N = stocks.length, K = dates.length;
  const minStocks = input.minStocks ?? DEFAULT_MIN_STOCKS;
  const rows = rowsOf(close, dates);
  const mem = membershipAsOf(input.membership, input.scheme, dates, stocks);
  const loss = newLossReport('stock study: walk universe', `${input.scheme} membership, benchmark weights`);
  const inU = new Uint8Array(K * N);
  const bv = new Float64Array(K * N), raw = new Float64Array(K * N);
  const sums = new Float64Array(K);
  let renormalized = 0, minSum = Infinity, maxSum = -Infinity;
  for (let k = 0; k < K; k++) {
    const b = input.benchmarkAt(dates[k]);
    if (b.length !== N) {
      throw new RotationError('STOCK_BAD_ARGUMENT', `Benchmark has ${b.length} weights for ${N} stocks`, { date: dates[k] }, 'return one weight per stock of close.assets (0 for non-members)');
    }
    let sum = 0, n = 0;
    for (let i = 0; i < N; i++) {
      const w = b[i];
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new RotationError('STOCK_BAD_ARGUMENT', `Benchmark weight ${w}`, { date: dates[k], stock: stocks[i] }, 'benchmark weights must be finite and >= 0');
      }
      if (w === 0) continue;
      loss.rowsRead++;
      if (mem.codes[k * N + i] < 0) { countLoss(loss, 'benchmark member without an industry on the date (excluded)', 1, { date: dates[k], stock: stocks[i] }); continue; }
      if (!(close.values[rows[k] * N + i] > 0)) { countLoss(loss, 'benchmark member without a close on the date (suspended or not listed; excluded)', 1, { date: dates[k], stock: stocks[i] }); continue; }
      loss.rowsKept++;
      inU[k * N + i] = 1;
      bv[k * N + i] = w;
      raw[k * N + i] = w;
      sum += w; n++;
    }
    if (n < minStocks) {
      throw new RotationError('STOCK_UNIVERSE_TOO_SMALL', `Universe of ${dates[k]} has ${n} stocks, fewer than the minimum ${minStocks}`,
        { date: dates[k], stocks: n, minimum: minStocks }, 'start the walk later, check the benchmark weights and membership of that date, or lower minStocks');
    }
    sums[k] = sum;
    if (Math.abs(sum - 1) > 1e-9) {
      renormalized++;
      minSum = Math.min(minSum, sum); maxSum = Math.max(maxSum, sum);
      for (let i = 0; i < N; i++) bv[k * N + i] /= sum;
    }
  }
  if (renormalized) {
    loss.notes.push(`benchmark weights of the universe renormalized to 1 on ${renormalized} of ${K} dates (Σ before: ${minSum.toFixed(4)} .. ${maxSum.toFixed(4)})`);
  }
  return {
    dates: [...dates], stocks: [...stocks], industries: mem.industries, codes: mem.codes, inUniverse: inU,
    benchmark: createPanel(dates, stocks, bv, 'walkUniverse.benchmark'), rawBenchmark: raw, benchmarkSum: sums, loss,
  };
}

/**
 * Rank bands (approach a): for the n industries with a finite score among `present` (n >= 2),
 * q_g = (midrank_g − 1)/(n − 1) and the band on Σ_{i∈g}(w_i − b_i) is [−d(1 − q_g), d q_g]: the best
 * industry may only be over-weighted (up to d), the worst only under-weighted. Industries without
 * a score (or n < 2) get [−d/2, d/2]. Returns the band offsets (below_g, above_g >= 0).
 */
export function rankIndustryBands(score: ArrayLike<number>, present: ArrayLike<number>, d: number): { below: Float64Array; above: Float64Array } {
  const G = score.length;
  const below = new Float64Array(G).fill(d / 2), above = new Float64Array(G).fill(d / 2);
  const idx: number[] = [];
  for (let g = 0; g < G; g++) if (present[g] && Number.isFinite(score[g])) idx.push(g);
  const n = idx.length;
  if (n < 2) return { below, above };
  const x = Float64Array.from(idx, (g) => score[g]);
  const r = new Float64Array(n);
  midranksInto(x, n, r, newRankScratch(n));
  for (let j = 0; j < n; j++) {
    const q = (r[j] - 1) / (n - 1);
    below[idx[j]] = d * (1 - q);
    above[idx[j]] = d * q;
  }
  return { below, above };
}

/** Settings of one enhancement walk. */
export interface EnhancementWalkOptions {
  readonly name: string;
  /** Stock score per date (rows include the walk dates; columns = the universe's stocks). NaN = 0 (counted). */
  readonly scores: Panel;
  /** δ (default 0.005). */
  readonly stockDeviation?: number;
  /** d (default 0.02). */
  readonly industryDeviation?: number;
  /** τ on Σ|w − p| from the second date on (default 0.6; Infinity = none). */
  readonly turnoverBudget?: number;
  /** Industry score (dates x industry codes) → rank bands (approach a) instead of ±d. */
  readonly industryRankScore?: Panel;
  /** Relaxation step of d and its ceiling (enhanceIndex defaults 0.01 and 0.10). */
  readonly dStep?: number;
  readonly maxIndustryDeviation?: number;
}

/** What happened at one rebalance date. */
export interface WalkDateRecord {
  date: string;
  universe: number;
  benchmarkSum: number;
  benchmarkRenormalized: boolean;
  unscored: number;
  /** Held names outside U_k sold at d_k (outside the turnover budget), and their weight. */
  forcedExits: number;
  forcedExitWeight: number;
  /** Σ|w − p| over U_k (NaN on the first date). */
  turnover: number;
  /** d and τ after relaxation. */
  industryDeviation: number;
  turnoverBudget: number;
  relaxations: EnhancementRelaxation[];
  /** Largest constraint violation of the verified solve (<= 1e-9). */
  maxViolation: number;
  /** Σ s_i (w_i − b_i). */
  activeScore: number;
}

export interface EnhancementWalk {
  name: string;
  dates: string[];
  stocks: string[];
  /** Target weights (dates x stocks, 0 outside U_k). */
  targets: Panel;
  /** Benchmark used (= universe.benchmark). */
  benchmark: Panel;
  records: WalkDateRecord[];
  /** Every relaxation, with its date. */
  relaxations: (EnhancementRelaxation & { date: string })[];
  /** Universe losses plus unscored stock-dates and forced exits. */
  loss: LossReport;
}

/**
 * Walk the enhancement LP over the rebalance dates (module formula), one verified solve per date;
 * infeasible settings are relaxed by enhanceIndex (d widened, then τ raised) and every relaxation
 * is recorded with its date. Errors: those of walkUniverse, STOCK_MISALIGNED (score columns differ
 * from the universe's stocks), STOCK_BAD_DATE, and enhanceIndex's ENH_* errors.
 */
export function enhancementWalk(solver: Solver, universe: WalkUniverse, close: Panel, options: EnhancementWalkOptions): EnhancementWalk {
  const { dates, stocks, industries, codes, inUniverse } = universe;
  const N = stocks.length, K = dates.length, G = industries.length;
  if (options.scores.assets.length !== N || options.scores.assets.some((a, i) => a !== stocks[i])) {
    throw new RotationError('STOCK_MISALIGNED', `Scores have ${options.scores.assets.length} columns, the universe ${N} stocks`, { walk: options.name }, 'compute scores on close.assets');
  }
  const scoreRows = rowsOf(options.scores, dates);
  const closeRows = rowsOf(close, dates);
  const rankRows = options.industryRankScore ? rowsOf(options.industryRankScore, dates) : undefined;
  const rankCols = options.industryRankScore ? Int32Array.from(industries, (g) => options.industryRankScore!.assets.indexOf(g)) : undefined;
  const delta = options.stockDeviation ?? 0.005, d = options.industryDeviation ?? 0.02, tau = options.turnoverBudget ?? 0.6;
  const filled = carryForward(close);
  const targets = new Float64Array(K * N);
  const records: WalkDateRecord[] = [];
  const relaxations: (EnhancementRelaxation & { date: string })[] = [];
  const loss = newLossReport(`stock study: enhancement walk "${options.name}"`, universe.loss.source);
  loss.rowsRead = universe.loss.rowsRead;
  loss.rowsKept = universe.loss.rowsKept;
  Object.assign(loss.dropped, universe.loss.dropped);
  loss.examples.push(...universe.loss.examples);
  loss.notes.push(...universe.loss.notes);
  let unscoredTotal = 0, exitsTotal = 0;
  const prevW = new Float64Array(N);
  for (let k = 0; k < K; k++) {
    const idx: number[] = [];
    for (let i = 0; i < N; i++) if (inUniverse[k * N + i]) idx.push(i);
    const n = idx.length;
    const sc = new Float64Array(n), b = new Float64Array(n), cd = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const i = idx[j];
      sc[j] = options.scores.values[scoreRows[k] * N + i];
      b[j] = universe.rawBenchmark[k * N + i];
      cd[j] = codes[k * N + i];
    }
    // drifted previous weights (closes carried forward; k > 0)
    let previous: Float64Array | undefined;
    let forcedExits = 0, forcedExitWeight = 0;
    if (k > 0) {
      const t0 = closeRows[k - 1] * N, t1 = closeRows[k] * N;
      const drifted = new Float64Array(N);
      let tot = 0;
      for (let i = 0; i < N; i++) {
        if (prevW[i] === 0) continue;
        drifted[i] = prevW[i] * (filled[t1 + i] / filled[t0 + i]);
        tot += drifted[i];
      }
      previous = new Float64Array(n);
      const inSet = new Uint8Array(N);
      for (let j = 0; j < n; j++) { inSet[idx[j]] = 1; previous[j] = drifted[idx[j]] / tot; }
      for (let i = 0; i < N; i++) {
        if (drifted[i] > 0 && !inSet[i]) { forcedExits++; forcedExitWeight += drifted[i] / tot; }
      }
    }
    let bands: { below: Float64Array; above: Float64Array } | undefined;
    if (rankRows && rankCols) {
      const row = new Float64Array(G).fill(NaN), present = new Uint8Array(G);
      const S = options.industryRankScore!, GS = S.assets.length;
      for (let g = 0; g < G; g++) if (rankCols[g] >= 0) row[g] = S.values[rankRows[k] * GS + rankCols[g]];
      for (let j = 0; j < n; j++) present[cd[j]] = 1;
      bands = rankIndustryBands(row, present, d);
    }
    const res = enhanceIndex(solver, {
      stocks: idx.map((i) => stocks[i]), scores: sc, benchmark: b, industryCodes: cd, industries,
      previous, stockDeviation: delta, industryDeviation: d, turnoverBudget: previous ? tau : Infinity,
      industryBands: bands, dStep: options.dStep, maxIndustryDeviation: options.maxIndustryDeviation,
    });
    prevW.fill(0);
    for (let j = 0; j < n; j++) { targets[k * N + idx[j]] = res.weights[j]; prevW[idx[j]] = res.weights[j]; }
    const v = res.violations;
    records.push({
      date: dates[k], universe: n, benchmarkSum: res.benchmarkSum, benchmarkRenormalized: res.benchmarkRenormalized, unscored: res.unscored,
      forcedExits, forcedExitWeight, turnover: res.turnover, industryDeviation: res.industryDeviation, turnoverBudget: res.turnoverBudget,
      relaxations: res.relaxations, maxViolation: Math.max(v.budget, v.longOnly, v.stockDeviation, v.industryDeviation, v.turnover), activeScore: res.activeScore,
    });
    for (const r of res.relaxations) relaxations.push({ ...r, date: dates[k] });
    if (res.unscored) countLoss(loss, 'universe stock without a score (scored 0, neutral)', res.unscored, { date: dates[k] });
    unscoredTotal += res.unscored;
    exitsTotal += forcedExits;
  }
  loss.rowsKept -= unscoredTotal;
  if (exitsTotal) loss.notes.push(`${exitsTotal} held stock-date(s) left the universe and were sold at the rebalance close (outside the turnover budget)`);
  if (relaxations.length) loss.notes.push(`${relaxations.length} relaxation(s) on ${new Set(relaxations.map((r) => r.date)).size} date(s)`);
  return {
    name: options.name, dates: [...dates], stocks: [...stocks], targets: createPanel(dates, stocks, targets, options.name),
    benchmark: universe.benchmark, records, relaxations, loss,
  };
}

/** Close carried forward over missing days: c(t, i) = close(t, i) if valid, else c(t − 1, i) (leading NaN stays). */
export function carryForward(close: Panel): Float64Array {
  const T = close.dates.length, N = close.assets.length;
  const v = new Float64Array(close.values);
  for (let t = 1; t < T; t++) for (let i = 0; i < N; i++) if (!(v[t * N + i] > 0)) v[t * N + i] = v[(t - 1) * N + i];
  return v;
}

/**
 * Industry-rotation satellite: w_i = (1/k') b_i / B_{g(i)} for the stocks of the k' = min(k, #eligible)
 * best-scored industries with B_g = Σ_{i∈g} b_i > 0 (ties by industry order); 0 elsewhere.
 * `score` is indexed like `industries`; `codes` gives each stock's industry (−1 = none).
 */
export function satelliteWeights(b: ArrayLike<number>, codes: ArrayLike<number>, score: ArrayLike<number>, k: number): Float64Array {
  const n = b.length, G = score.length;
  const B = new Float64Array(G);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) B[codes[i]] += b[i];
  const eligible: number[] = [];
  for (let g = 0; g < G; g++) if (B[g] > 0 && Number.isFinite(score[g])) eligible.push(g);
  eligible.sort((x, y) => (score[y] - score[x]) || (x - y));
  const chosen = eligible.slice(0, k);
  const w = new Float64Array(n);
  if (chosen.length === 0) return w;
  const pick = new Uint8Array(G);
  for (const g of chosen) pick[g] = 1;
  for (let i = 0; i < n; i++) if (codes[i] >= 0 && pick[codes[i]]) w[i] = b[i] / B[codes[i]] / chosen.length;
  return w;
}

/** Platter: w = (1 − s) core + s satellite, per date (both panels dates x stocks, same shape), 0 <= s <= 1. */
export function platterWeights(core: Panel, satellite: Panel, satelliteShare: number): Panel {
  if (!(satelliteShare >= 0 && satelliteShare <= 1)) {
    throw new RotationError('STOCK_BAD_ARGUMENT', `Satellite share ${satelliteShare} outside [0, 1]`, { satelliteShare }, 'pass e.g. 0.3 for a 3:7 satellite:core platter');
  }
  if (core.values.length !== satellite.values.length || core.dates.length !== satellite.dates.length) {
    throw new RotationError('STOCK_MISALIGNED', 'Core and satellite weights differ in shape', { core: core.values.length, satellite: satellite.values.length }, 'build both on the same dates and stocks');
  }
  const v = new Float64Array(core.values.length);
  for (let c = 0; c < v.length; c++) v[c] = (1 - satelliteShare) * core.values[c] + satelliteShare * satellite.values[c];
  return createPanel(core.dates, core.assets, v, 'platterWeights');
}

/** Satellite weights of every walk date from the industry score (dates x industry codes), over the universe's benchmark. */
export function satelliteSchedule(universe: WalkUniverse, industryScore: Panel, k: number): Panel {
  const { dates, stocks, industries, codes } = universe;
  const N = stocks.length, G = industries.length, GS = industryScore.assets.length;
  const rows = rowsOf(industryScore, dates);
  const cols = Int32Array.from(industries, (g) => industryScore.assets.indexOf(g));
  const v = new Float64Array(dates.length * N);
  for (let k2 = 0; k2 < dates.length; k2++) {
    const score = new Float64Array(G).fill(NaN);
    for (let g = 0; g < G; g++) if (cols[g] >= 0) score[g] = industryScore.values[rows[k2] * GS + cols[g]];
    const w = satelliteWeights(universe.benchmark.values.subarray(k2 * N, (k2 + 1) * N), codes.subarray(k2 * N, (k2 + 1) * N), score, k);
    let s = 0;
    for (let i = 0; i < N; i++) s += w[i];
    if (s === 0) {
      throw new RotationError('STOCK_NO_INDUSTRY_SCORE', `No scored industry in the universe on ${dates[k2]}`, { date: dates[k2] }, 'start the platter after the industry score exists');
    }
    v.set(w, k2 * N);
  }
  return createPanel(dates, stocks, v, 'satelliteSchedule');
}

/**
 * Top-fraction portfolio: per date, equal weight 1/m over the m = ⌈f·n⌉ highest scores among the n
 * universe stocks with a finite score (ties by stock order). Dates x stocks.
 */
export function topFractionWeights(universe: WalkUniverse, scores: Panel, fraction: number): Panel {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new RotationError('STOCK_BAD_ARGUMENT', `Fraction ${fraction} outside (0, 1]`, { fraction }, 'pass e.g. 0.1 for the top decile');
  }
  const { dates, stocks, inUniverse } = universe;
  const N = stocks.length, rows = rowsOf(scores, dates);
  const v = new Float64Array(dates.length * N);
  for (let k = 0; k < dates.length; k++) {
    const idx: number[] = [];
    for (let i = 0; i < N; i++) if (inUniverse[k * N + i] && Number.isFinite(scores.values[rows[k] * N + i])) idx.push(i);
    if (idx.length === 0) {
      throw new RotationError('STOCK_NO_SCORES', `No universe stock has a score on ${dates[k]}`, { date: dates[k] }, 'start the portfolio after the composite exists');
    }
    idx.sort((a, b) => (scores.values[rows[k] * N + b] - scores.values[rows[k] * N + a]) || (a - b));
    const m = Math.ceil(fraction * idx.length);
    for (let j = 0; j < m; j++) v[k * N + idx[j]] = 1 / m;
  }
  return createPanel(dates, stocks, v, 'topFractionWeights');
}
