/**
 * Backtest overfitting: the probability of backtest overfitting (PBO) by combinatorially
 * symmetric cross-validation (CSCV; Bailey, Borwein, López de Prado & Zhu 2015, "The probability
 * of backtest overfitting", J. Computational Finance 20(4)), and the minimum backtest length
 * (MinBTL; Bailey, Borwein, López de Prado & Zhu 2014, "Pseudo-mathematics and financial
 * charlatanism", Notices of the AMS 61(5), eq. for MinBTL).
 *
 * Input: a T x N matrix M of per-period returns (active returns: strategy − benchmark) of the N
 * variants tried, on one common calendar (`alignVariants` builds it from series on different
 * calendars, counting what it drops).
 *
 * One home for each statistic: the expected maximum of N standard normals is
 * `expectedMaxSharpe(N, 1)` (src/metrics/significance.ts); the deflated Sharpe of the chosen
 * variant is `deflatedActiveSharpe` (src/metrics/activeSignificance.ts).
 */
import { RotationError } from '../errors.js';
import { countLoss, newLossReport, type LossReport } from '../data/loss.js';
import type { PeriodSeries } from './activeSignificance.js';
import { expectedMaxSharpe } from './significance.js';

/** Default number of CSCV blocks S (Bailey et al. 2015 use S = 16: C(16, 8) = 12,870 splits). */
export const PBO_DEFAULT_BLOCKS = 16;
/** Largest S accepted (C(20, 10) = 184,756 splits). */
export const PBO_MAX_BLOCKS = 20;

/** The performance statistic that picks the in-sample best and ranks out of sample. */
export type PboStatistic = 'sharpe' | 'mean';

export interface PboOptions {
  /** Number of blocks S, even, 2 <= S <= 20; default 16. */
  blocks?: number;
  /** 'sharpe' (default): mean/std (ddof 1) per period of the submatrix's rows; 'mean': the mean. */
  statistic?: PboStatistic;
  /** Variant names (length N), for messages and `chosenCounts`. */
  names?: readonly string[];
  /** Period-end dates of the T rows, for the note on dropped rows. */
  dates?: readonly string[];
}

export interface PboResult {
  /** N variants, S blocks, m rows per block. */
  variants: number;
  blocks: number;
  rowsPerBlock: number;
  /** Rows used (S·m) and rows dropped at the START (T − S·m, the remainder). */
  rowsUsed: number;
  rowsDropped: number;
  /** Number of splits C(S, S/2). */
  combinations: number;
  statistic: PboStatistic;
  /** λ_c = ln(ω̄_c / (1 − ω̄_c)) per split c (splits in ascending bitmask order of the in-sample blocks). */
  logits: Float64Array;
  /** PBO = (1/C) #{c : λ_c <= 0}. */
  pbo: number;
  /** Statistic of the chosen (in-sample best) variant in sample, per split (the degradation pairs). */
  inSample: Float64Array;
  /** Statistic of the same variant out of sample, per split. */
  outOfSample: Float64Array;
  /** OLS of outOfSample on inSample: OOS = intercept + slope · IS (slope < 0: performance degrades). */
  degradation: { slope: number; intercept: number; r2: number };
  /** Probability of loss: (1/C) #{c : out-of-sample statistic of the chosen variant < 0}. */
  probabilityOfLoss: number;
  /** How often each variant was the in-sample best, by name (or index). */
  chosenCounts: Record<string, number>;
  notes: string[];
}

/** The per-period statistic from a sum s, sum of squares q over n rows. */
function statOf(kind: PboStatistic, s: number, q: number, n: number): number {
  const m = s / n;
  if (kind === 'mean') return m;
  const v = n > 1 ? Math.max(0, (q - s * m) / (n - 1)) : NaN;
  const sd = Math.sqrt(v);
  if (sd > 0) return m / sd;
  // a constant series: +∞ / −∞ / 0 by the sign of its mean (ranks stay defined)
  return m > 0 ? Infinity : m < 0 ? -Infinity : 0;
}

function popcount(x: number): number {
  let c = 0;
  while (x) { x &= x - 1; c++; }
  return c;
}

/**
 * Probability of backtest overfitting by CSCV (Bailey, Borwein, López de Prado & Zhu 2015).
 * `matrix` is row-major T x N (row t = period t, column n = variant n).
 *
 *   1. Drop the first T − S·m rows (m = floor(T/S)) and cut the rest into S consecutive blocks of m rows.
 *   2. For every set J of S/2 blocks (C(S, S/2) splits): in-sample = rows of J, out-of-sample = the others
 *      (order kept). R_n, R̄_n = statistic of variant n in and out of sample.
 *   3. n* = argmax_n R_n (first on ties); ω̄ = r(n*)/(N + 1), r = rank of R̄_{n*} among R̄ ascending
 *      (1 = worst, N = best; ties get the average rank); λ = ln(ω̄/(1 − ω̄)).
 *   4. PBO = share of splits with λ <= 0 (the chosen variant at or below the out-of-sample median).
 *
 * Also: the degradation pairs (R_{n*}, R̄_{n*}) with their OLS line, the probability of loss
 * (share of splits with R̄_{n*} < 0), and how often each variant was chosen.
 *
 * Errors: PBO_TOO_FEW_VARIANTS (N < 2), PBO_BAD_BLOCKS (S odd, < 2 or > 20), PBO_TOO_FEW_PERIODS
 * (T < S), PBO_BAD_MATRIX (length ≠ T·N, or a non-finite value: align first).
 */
export function probabilityOfBacktestOverfitting(matrix: ArrayLike<number>, T: number, N: number, options: PboOptions = {}): PboResult {
  const S = options.blocks ?? PBO_DEFAULT_BLOCKS;
  const kind = options.statistic ?? 'sharpe';
  if (!Number.isInteger(N) || N < 2) {
    throw new RotationError('PBO_TOO_FEW_VARIANTS', `PBO needs at least 2 variants, got ${N}`, { variants: N },
      'record more than one variant on the dataset (e.g. rotation run --model with an edited copy of models/default.json); with one variant nothing was selected, so nothing could be overfit');
  }
  if (!Number.isInteger(S) || S < 2 || S % 2 !== 0 || S > PBO_MAX_BLOCKS) {
    throw new RotationError('PBO_BAD_BLOCKS', `Number of blocks S must be an even integer in [2, ${PBO_MAX_BLOCKS}], got ${S}`, { blocks: S },
      `use S = ${PBO_DEFAULT_BLOCKS} (Bailey et al. 2015), or a smaller even S on a short history`);
  }
  if (!Number.isInteger(T) || T < S) {
    throw new RotationError('PBO_TOO_FEW_PERIODS', `PBO with S = ${S} blocks needs at least ${S} periods, got ${T}`, { periods: T, blocks: S },
      `use a longer common history, or fewer blocks (--blocks ${Math.max(2, 2 * Math.floor(Math.max(T, 0) / 2))} at most)`);
  }
  if (matrix.length !== T * N) {
    throw new RotationError('PBO_BAD_MATRIX', `The matrix has ${matrix.length} values, expected T·N = ${T}·${N} = ${T * N}`, { periods: T, variants: N },
      'pass the T x N returns row-major (row = period, column = variant)');
  }
  for (let i = 0; i < matrix.length; i++) {
    if (!Number.isFinite(matrix[i])) {
      const t = Math.floor(i / N), n = i % N;
      throw new RotationError('PBO_BAD_MATRIX', `Non-finite return ${matrix[i]} in the PBO matrix`,
        { row: t, date: options.dates?.[t], variant: options.names?.[n] ?? n }, 'align the variants with alignVariants (it drops periods without a return of every variant, counted)');
    }
  }
  const m = Math.floor(T / S), drop = T - S * m;
  const notes: string[] = [];
  if (drop > 0) {
    notes.push(`${drop} period(s) at the start dropped so that ${S} blocks of ${m} periods fit` +
      (options.dates ? ` (${options.dates[0]} to ${options.dates[drop - 1]})` : ''));
  }
  // per-block sums and sums of squares, blocks x variants
  const bs = new Float64Array(S * N), bq = new Float64Array(S * N);
  for (let s = 0; s < S; s++) {
    for (let r = 0; r < m; r++) {
      const row = (drop + s * m + r) * N;
      for (let n = 0; n < N; n++) { const x = matrix[row + n]; bs[s * N + n] += x; bq[s * N + n] += x * x; }
    }
  }
  const half = S / 2, rowsHalf = half * m;
  const masks: number[] = [];
  for (let mask = 0; mask < 1 << S; mask++) if (popcount(mask) === half) masks.push(mask);
  const C = masks.length;
  const logits = new Float64Array(C), isv = new Float64Array(C), oosv = new Float64Array(C);
  const chosen = new Int32Array(N);
  const sIn = new Float64Array(N), qIn = new Float64Array(N), sOut = new Float64Array(N), qOut = new Float64Array(N), rOut = new Float64Array(N);
  let overfit = 0, loss = 0;
  for (let c = 0; c < C; c++) {
    const mask = masks[c];
    sIn.fill(0); qIn.fill(0); sOut.fill(0); qOut.fill(0);
    for (let s = 0; s < S; s++) {
      const inS = (mask >> s) & 1;
      for (let n = 0; n < N; n++) {
        if (inS) { sIn[n] += bs[s * N + n]; qIn[n] += bq[s * N + n]; } else { sOut[n] += bs[s * N + n]; qOut[n] += bq[s * N + n]; }
      }
    }
    let best = 0, bestVal = -Infinity;
    for (let n = 0; n < N; n++) {
      const v = statOf(kind, sIn[n], qIn[n], rowsHalf);
      if (n === 0 || v > bestVal) { best = n; bestVal = v; }
    }
    for (let n = 0; n < N; n++) rOut[n] = statOf(kind, sOut[n], qOut[n], rowsHalf);
    const x = rOut[best];
    let below = 0, equal = 0;
    for (let n = 0; n < N; n++) { if (rOut[n] < x) below++; else if (rOut[n] === x) equal++; }
    const rank = below + (equal + 1) / 2; // average rank, 1 = worst
    const w = rank / (N + 1);
    const lam = Math.log(w / (1 - w));
    logits[c] = lam;
    isv[c] = bestVal; oosv[c] = x;
    if (lam <= 0) overfit++;
    if (x < 0) loss++;
    chosen[best]++;
  }
  const chosenCounts: Record<string, number> = {};
  for (let n = 0; n < N; n++) chosenCounts[options.names?.[n] ?? String(n)] = chosen[n];
  return {
    variants: N, blocks: S, rowsPerBlock: m, rowsUsed: S * m, rowsDropped: drop, combinations: C, statistic: kind,
    logits, pbo: overfit / C, inSample: isv, outOfSample: oosv, degradation: olsLine(isv, oosv),
    probabilityOfLoss: loss / C, chosenCounts, notes,
  };
}

/** OLS y = a + b x over the finite pairs; r2 the squared correlation (NaN when x is constant). */
function olsLine(x: Float64Array, y: Float64Array): { slope: number; intercept: number; r2: number } {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) { n++; sx += x[i]; sy += y[i]; }
  if (n < 2) return { slope: NaN, intercept: NaN, r2: NaN };
  const mx = sx / n, my = sy / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(Number.isFinite(x[i]) && Number.isFinite(y[i]))) continue;
    const dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx, r2: sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : NaN };
}

/** Variants on one calendar: the T x N matrix of `probabilityOfBacktestOverfitting`. */
export interface AlignedVariants {
  names: string[];
  /** Common period ends (ascending) where every variant has a finite return. */
  dates: string[];
  /** Row-major T x N. */
  matrix: Float64Array;
  /** Periods of each variant left out (not common to all, or a missing return somewhere on that date). */
  loss: LossReport;
}

/**
 * Align variants on their common period ends: the dates every series has, minus dates where any
 * series' return is not finite. Each variant's left-out periods are counted in `loss` (reasons
 * "period end not common to all variants" and "missing return on this date in some variant").
 * Errors: PBO_TOO_FEW_VARIANTS (fewer than 2 series), PBO_BAD_MATRIX (a series whose dates and
 * returns differ in length or are not ascending), PBO_TOO_FEW_PERIODS (the series share every
 * date but have fewer than `minPeriods`), PBO_VARIANTS_NOT_ALIGNED (fewer than `minPeriods`
 * common periods remain after dropping the dates some variant lacks; names each variant's range).
 */
export function alignVariants(series: readonly PeriodSeries[], minPeriods = PBO_DEFAULT_BLOCKS): AlignedVariants {
  if (series.length < 2) {
    throw new RotationError('PBO_TOO_FEW_VARIANTS', `PBO needs at least 2 variants, got ${series.length}`, { variants: series.length },
      'record more than one variant on the dataset (e.g. rotation run --model with an edited copy of models/default.json)');
  }
  const names = series.map((s, i) => s.name ?? `variant ${i + 1}`);
  series.forEach((s, i) => {
    if (s.dates.length !== s.returns.length) {
      throw new RotationError('PBO_BAD_MATRIX', `Variant "${names[i]}" has ${s.dates.length} dates but ${s.returns.length} returns`, { variant: names[i] }, 'pass one return per period end');
    }
    for (let t = 1; t < s.dates.length; t++) {
      if (!(s.dates[t] > s.dates[t - 1])) {
        throw new RotationError('PBO_BAD_MATRIX', `Variant "${names[i]}": period ends not strictly ascending at ${s.dates[t]}`, { variant: names[i], position: t }, 'pass period ends in order, each once');
      }
    }
  });
  const maps = series.map((s) => new Map(s.dates.map((d, t) => [d, t])));
  const common = series[0].dates.filter((d) => maps.every((mp) => mp.has(d)));
  const dates = common.filter((d) => series.every((s, i) => Number.isFinite(s.returns[maps[i].get(d) as number])));
  const loss = newLossReport('align variants for PBO', `${series.length} variants`);
  const keep = new Set(dates), commonSet = new Set(common);
  series.forEach((s, i) => {
    loss.rowsRead += s.dates.length;
    for (const d of s.dates) {
      if (keep.has(d)) { loss.rowsKept++; continue; }
      countLoss(loss, commonSet.has(d) ? 'missing return on this date in some variant' : 'period end not common to all variants', 1, { variant: names[i], date: d });
    }
  });
  if (dates.length < minPeriods && dates.length === Math.max(...series.map((s) => s.dates.length))) {
    throw new RotationError('PBO_TOO_FEW_PERIODS', `The ${series.length} variants have ${dates.length} period(s); PBO with ${minPeriods} blocks needs at least ${minPeriods}`,
      { periods: dates.length, blocks: minPeriods }, `use a longer history, or fewer blocks (--blocks ${Math.max(2, 2 * Math.floor(dates.length / 2))} at most)`);
  }
  if (dates.length < minPeriods) {
    throw new RotationError('PBO_VARIANTS_NOT_ALIGNED',
      `Only ${dates.length} period end(s) are common to all ${series.length} variants (with a return in each); PBO needs at least ${minPeriods}`,
      { common: dates.length, minimum: minPeriods, ranges: series.map((s, i) => `${names[i]}: ${s.dates[0] ?? '-'}..${s.dates[s.dates.length - 1] ?? '-'} (${s.dates.length})`) },
      'run the variants over the same window and rebalance calendar (same data, start and calendar), or drop the variant that does not overlap');
  }
  const N = series.length, T = dates.length, matrix = new Float64Array(T * N);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) matrix[t * N + n] = series[n].returns[maps[n].get(dates[t]) as number];
  if (loss.rowsKept < loss.rowsRead) loss.notes.push(`${T} common period ends kept (${dates[0]} to ${dates[T - 1]})`);
  return { names, dates, matrix, loss };
}

export interface MinimumBacktestLength {
  /** Trials N. */
  trials: number;
  /** The annualized Sharpe ratio SR the length is for. */
  sharpe: number;
  /** E[max of N standard normals] ≈ (1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)). */
  expectedMaxZ: number;
  /** MinBTL = (E[max_N] / SR)² years. */
  years: number;
  /** The upper bound 2 ln N / SR² years. */
  upperBoundYears: number;
}

/**
 * Minimum backtest length (Bailey, Borwein, López de Prado & Zhu 2014, Notices AMS 61(5), p. 463):
 * the number of years of data below which N trials of strategies with zero true Sharpe are
 * expected to produce a best in-sample annualized Sharpe of at least SR:
 *
 *   MinBTL ≈ ( (1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)) )² / SR²  <  2 ln N / SR²,
 *
 * γ = Euler–Mascheroni (the expected maximum is `expectedMaxSharpe(N, 1)`). It assumes the annual
 * Sharpe estimates have unit variance over one year (iid normal returns). MinBTL = 0 for N = 1.
 * A backtest shorter than MinBTL cannot tell a best-of-N Sharpe of SR from luck.
 * Errors: METRIC_BAD_TRIALS (N not an integer >= 1), METRIC_BAD_ARGUMENT (SR not finite or 0).
 */
export function minimumBacktestLength(trials: number, annualSharpe: number): MinimumBacktestLength {
  const e = expectedMaxSharpe(trials, 1);
  if (!Number.isFinite(annualSharpe) || annualSharpe === 0) {
    throw new RotationError('METRIC_BAD_ARGUMENT', `MinBTL needs a finite non-zero annualized Sharpe, got ${annualSharpe}`, { argument: 'annualSharpe' },
      'pass the annualized Sharpe (or information ratio) of the chosen variant');
  }
  const sr2 = annualSharpe * annualSharpe;
  return { trials, sharpe: annualSharpe, expectedMaxZ: e, years: (e * e) / sr2, upperBoundYears: (2 * Math.log(trials)) / sr2 };
}
