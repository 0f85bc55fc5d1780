/**
 * The industry rotation model as a stock-selection factor (study 003, stock-level projection):
 *
 *   f[t, i] = S[t, g(i, t)]          S = industry composite score (dates x industries),
 *                                     g(i, t) = industry of stock i as of d_t (point in time)
 *   f⊥[t] = f[t] − X_t β_t,  X_t = [1, growth[t]]   (per-date cross-sectional OLS residual)
 *
 * plus month-end stock forward returns and the correlation of two IC series.
 */
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { levelReturnRowInto, regressOut } from '../panel/kernels.js';
import { membershipAsOf } from '../data/pointInTime.js';
import type { MembershipRecord } from '../data/types.js';
import type { IcByDate } from '../evaluate/ic.js';

export interface IndustryProjection {
  /** f[t, i] = S[t, g(i, t)]; NaN when the stock has no industry or its industry has no score. */
  factor: Panel;
  /** Stock-dates excluded because the stock had no industry membership on that date. */
  noIndustry: number;
  /** noIndustry by date. */
  noIndustryByDate: Int32Array;
  /** Stock-dates whose industry exists but had a NaN (or absent) score. */
  unscored: number;
}

/**
 * Project an industry score onto stocks: f[t, i] = S[t, g(i, t)] with g from `membershipAsOf`
 * (windows inclusive, point in time). A stock without an industry on d_t is excluded (NaN) and
 * counted; an industry absent from `score.assets` gives NaN (counted as unscored).
 */
export function projectIndustryScore(
  score: Panel, membership: readonly MembershipRecord[], scheme: string, stocks: readonly string[],
): IndustryProjection {
  const mem = membershipAsOf(membership, scheme, score.dates, stocks);
  const G = score.assets.length, N = stocks.length, T = score.dates.length;
  const col = new Map(score.assets.map((a, g) => [a, g]));
  const map = Int32Array.from(mem.industries, (ind) => col.get(ind) ?? -1);
  const v = new Float64Array(T * N).fill(NaN);
  const byDate = new Int32Array(T);
  let noIndustry = 0, unscored = 0;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const c = mem.codes[t * N + i];
      if (c < 0) { byDate[t]++; noIndustry++; continue; }
      const g = map[c];
      const s = g >= 0 ? score.values[t * G + g] : NaN;
      if (s !== s) { unscored++; continue; }
      v[t * N + i] = s;
    }
  }
  return { factor: createPanel(score.dates, stocks, v, 'projectIndustryScore'), noIndustry, noIndustryByDate: byDate, unscored };
}

/**
 * Orthogonalize a stock factor against growth (and optional further controls) per date:
 *   f⊥[t] = f[t] − X_t β_t,  X_t = [1, growth[t], …],  β_t by OLS over the jointly valid stocks.
 * The residual is uncorrelated with growth on every date (Σ f⊥ = 0, Σ f⊥·growth = 0).
 */
export function orthogonalizeAgainst(factor: Panel, growth: Panel, controls: readonly Panel[] = []): Panel {
  return regressOut(factor, [growth, ...controls]);
}

/**
 * Month-end forward returns from adjusted closes: r[k, i] = close(d_{k+1}, i) / close(d_k, i) − 1,
 * NaN on the last month end or when either close is missing. `dates` must be calendar dates of
 * `close` (STOCK_BAD_DATE otherwise).
 */
export function monthlyForwardReturns(close: Panel, dates: readonly string[]): Panel {
  const rows = rowsOf(close, dates);
  const N = close.assets.length, K = dates.length;
  const v = new Float64Array(K * N).fill(NaN);
  for (let k = 0; k + 1 < K; k++) {
    const a = rows[k] * N, b = rows[k + 1] * N, out = v.subarray(k * N, (k + 1) * N);
    levelReturnRowInto(close.values, a, b, N, out); // the project's one forward-return formula (division)
    for (let i = 0; i < N; i++) if (!(close.values[a + i] > 0 && close.values[b + i] > 0)) out[i] = NaN;
  }
  return createPanel(dates, close.assets, v, 'monthlyForwardReturns');
}

/** Row of each date in `p.dates` (STOCK_BAD_DATE when a date is absent). */
export function rowsOf(p: Panel, dates: readonly string[]): Int32Array {
  const idx = new Map(p.dates.map((d, t) => [d, t]));
  return Int32Array.from(dates, (d, k) => {
    const t = idx.get(d);
    if (t === undefined) {
      throw new RotationError('STOCK_BAD_DATE', `Date ${d} is not a date of the panel`, { date: d, position: k, first: p.dates[0], last: p.dates[p.dates.length - 1] },
        'use month ends of the same trading calendar (monthEndRebalanceDates(ds.calendar))');
    }
    return t;
  });
}

/** Rows of `p` at `dates` (a new panel). */
export function sampleDates(p: Panel, dates: readonly string[]): Panel {
  const rows = rowsOf(p, dates), N = p.assets.length;
  const v = new Float64Array(dates.length * N);
  for (let k = 0; k < dates.length; k++) v.set(p.values.subarray(rows[k] * N, (rows[k] + 1) * N), k * N);
  return createPanel(dates, p.assets, v, 'sampleDates');
}

/**
 * Pearson correlation of two IC series over the dates where both are finite:
 *   ρ = Σ(a − ā)(b − b̄) / sqrt(Σ(a − ā)² Σ(b − b̄)²).  NaN with fewer than 3 common dates.
 */
export function icSeriesCorrelation(a: IcByDate, b: IcByDate): { correlation: number; n: number } {
  if (a.ic.length !== b.ic.length) {
    throw new RotationError('STOCK_MISALIGNED', `IC series have ${a.ic.length} and ${b.ic.length} dates`, {}, 'compute both ICs on the same dates');
  }
  let n = 0, sa = 0, sb = 0;
  for (let t = 0; t < a.ic.length; t++) if (Number.isFinite(a.ic[t]) && Number.isFinite(b.ic[t])) { n++; sa += a.ic[t]; sb += b.ic[t]; }
  if (n < 3) return { correlation: NaN, n };
  const ma = sa / n, mb = sb / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let t = 0; t < a.ic.length; t++) {
    if (!(Number.isFinite(a.ic[t]) && Number.isFinite(b.ic[t]))) continue;
    const x = a.ic[t] - ma, y = b.ic[t] - mb;
    sab += x * y; saa += x * x; sbb += y * y;
  }
  return { correlation: saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN, n };
}
