/**
 * The statistics of CALIBRATION.md in the shared project docs (../shared/docs; measured there on real CITIC L1 industries
 * and A-shares), computed on any MarketDataset, so the simulator can be compared with them.
 *
 * Conventions: daily simple returns close_t / close_{t-1} - 1; annualized vol = std (ddof 1) * sqrt(252);
 * monthly returns between month-end closes (last trading day of each calendar month); excess
 * kurtosis = m4 / m2^2 - 3 (population moments); percentiles by linear interpolation.
 */
import { DAILY_PERIODS_PER_YEAR } from '../../metrics/conventions.js';
import type { MarketDataset } from '../types.js';

export interface CalibrationRow {
  statistic: string;
  target: number;
  achieved: number;
  /** Display unit: '%' means the numbers are fractions shown as percent. */
  unit: '%' | '' | 'count';
}

const ANNUAL = Math.sqrt(DAILY_PERIODS_PER_YEAR);

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function std(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

function excessKurtosis(x: ArrayLike<number>): number {
  const m = mean(x);
  let m2 = 0, m4 = 0;
  for (let i = 0; i < x.length; i++) { const d = x[i] - m; m2 += d * d; m4 += d * d * d * d; }
  m2 /= x.length; m4 /= x.length;
  return m4 / (m2 * m2) - 3;
}

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a), mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) { const da = a[i] - ma, db = b[i] - mb; sab += da * db; saa += da * da; sbb += db * db; }
  return sab / Math.sqrt(saa * sbb);
}

/** Percentile p in [0, 1] by linear interpolation of the sorted values. */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p, lo = Math.floor(h), hi = Math.ceil(h);
  return s[lo] + (s[hi] - s[lo]) * (h - lo);
}

function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

function acf(x: ArrayLike<number>, lag: number): number {
  const m = mean(x);
  let num = 0, den = 0;
  for (let i = 0; i < x.length; i++) den += (x[i] - m) ** 2;
  for (let i = lag; i < x.length; i++) num += (x[i] - m) * (x[i - lag] - m);
  return num / den;
}

/** Indices of the last trading day of each calendar month. */
export function monthEndIndices(calendar: readonly string[]): number[] {
  const out: number[] = [];
  for (let t = 0; t < calendar.length; t++) {
    if (t === calendar.length - 1 || calendar[t + 1].slice(0, 7) !== calendar[t].slice(0, 7)) out.push(t);
  }
  return out;
}

/**
 * Compute the CALIBRATION.md statistics on a dataset (industry bars required; stock statistics
 * and benchmark statistics when present). Returns rows of target vs achieved.
 */
export function calibrationStats(dataset: MarketDataset): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  const add = (statistic: string, target: number, achieved: number, unit: CalibrationRow['unit']): void => {
    rows.push({ statistic, target, achieved, unit });
  };
  const close = dataset.industryBars.close;
  const T = close.dates.length, J = close.assets.length;
  const years = T / 244;
  add('industries', 30, J, 'count');
  add('trading days per year', 244, T / Math.max(1, Math.round(years)), 'count');
  // daily industry returns
  const rets: Float64Array[] = [];
  for (let j = 0; j < J; j++) {
    const r = new Float64Array(T - 1);
    for (let t = 1; t < T; t++) r[t - 1] = close.values[t * J + j] / close.values[(t - 1) * J + j] - 1;
    rets.push(r);
  }
  const ew = new Float64Array(T - 1);
  for (let t = 0; t < T - 1; t++) { let s = 0; for (let j = 0; j < J; j++) s += rets[j][t]; ew[t] = s / J; }
  add('industry daily vol, annualized (median)', 0.295, median(rets.map((r) => std(r) * ANNUAL)), '%');
  add('EW market daily vol, annualized', 0.252, std(ew) * ANNUAL, '%');
  add('industry idiosyncratic vol (industry - EW), annualized (median)', 0.164,
    median(rets.map((r) => std(r.map((v, t) => v - ew[t])) * ANNUAL)), '%');
  let cs = 0, cn = 0;
  for (let a = 0; a < J; a++) for (let b = a + 1; b < J; b++) { cs += corr(rets[a], rets[b]); cn++; }
  add('mean pairwise correlation, daily', 0.69, cs / cn, '');
  const me = monthEndIndices(close.dates);
  const mrets: Float64Array[] = [];
  for (let j = 0; j < J; j++) {
    const r = new Float64Array(me.length - 1);
    for (let k = 1; k < me.length; k++) r[k - 1] = close.values[me[k] * J + j] / close.values[me[k - 1] * J + j] - 1;
    mrets.push(r);
  }
  cs = 0; cn = 0;
  for (let a = 0; a < J; a++) for (let b = a + 1; b < J; b++) { cs += corr(mrets[a], mrets[b]); cn++; }
  add('mean pairwise correlation, monthly', 0.68, cs / cn, '');
  add('industry daily excess kurtosis (median)', 4.7, median(rets.map(excessKurtosis)), '');
  const absEw = ew.map(Math.abs);
  add('acf of |EW return|, lag 1', 0.35, acf(absEw, 1), '');
  add('acf of |EW return|, lag 5', 0.32, acf(absEw, 5), '');
  add('acf of |EW return|, lag 20', 0.24, acf(absEw, 20), '');
  const vol60: number[] = [];
  for (let t = 60; t <= ew.length; t++) vol60.push(std(ew.subarray(t - 60, t)) * ANNUAL);
  add('60-day EW vol, annualized, 10th pct', 0.12, percentile(vol60, 0.1), '%');
  add('60-day EW vol, annualized, 50th pct', 0.18, percentile(vol60, 0.5), '%');
  add('60-day EW vol, annualized, 90th pct', 0.36, percentile(vol60, 0.9), '%');
  const csStd: number[] = [];
  for (let k = 0; k < me.length - 1; k++) csStd.push(std(mrets.map((r) => r[k])));
  add('monthly cross-sectional std of industry returns (median)', 0.042, median(csStd), '%');
  const vol = dataset.industryBars.volume;
  const dlv: number[] = [];
  for (let j = 0; j < J; j++) {
    const d: number[] = [];
    for (let t = 1; t < T; t++) {
      const a = vol.values[(t - 1) * J + j], b = vol.values[t * J + j];
      if (a > 0 && b > 0) d.push(Math.log(b / a));
    }
    dlv.push(std(d));
  }
  add('daily change of log volume, std (median industry)', 0.19, median(dlv), '');

  const sd = dataset.stocks;
  if (sd) {
    const sc = sd.bars.close;
    const N = sc.assets.length;
    const pooled: number[] = [];
    const perStock: number[][] = Array.from({ length: N }, () => []);
    const csStock: number[] = [];
    for (let k = 1; k < me.length; k++) {
      const cross: number[] = [];
      for (let i = 0; i < N; i++) {
        const a = sc.values[me[k - 1] * N + i], b = sc.values[me[k] * N + i];
        if (!(a > 0) || !(b > 0)) continue;
        const r = b / a - 1;
        if (r < -0.9 || r > 3) continue;
        pooled.push(r); perStock[i].push(r); cross.push(r);
      }
      if (cross.length > 10) csStock.push(std(cross));
    }
    add('stock monthly return std (pooled)', 0.15, std(pooled), '%');
    add('stock annualized vol, median stock (monthly std * sqrt 12)', 0.48,
      median(perStock.filter((r) => r.length >= 24).map((r) => std(r) * Math.sqrt(12))), '%');
    add('stock monthly return excess kurtosis (pooled)', 29, excessKurtosis(pooled), '');
    add('monthly cross-sectional std of stock returns (median)', 0.122, median(csStock), '%');
    const listedAt = (t: number): number => {
      let c = 0;
      for (let i = 0; i < N; i++) if (!Number.isNaN(sc.values[t * N + i])) c++;
      return c;
    };
    add('listed stocks, first month', 2398, listedAt(me[0]), 'count');
    add('listed stocks, last month', 5341, listedAt(me[me.length - 1]), 'count');
    const lastDate = close.dates[T - 1];
    const counts = new Map<string, number>();
    for (const m of sd.membership) {
      if (m.validFrom <= lastDate && (m.validTo === undefined || m.validTo >= lastDate)) counts.set(m.industry, (counts.get(m.industry) ?? 0) + 1);
    }
    const cv = [...counts.values()];
    add('stocks per industry at the end, min', 10, Math.min(...cv), 'count');
    add('stocks per industry at the end, median', 119, median(cv), 'count');
    add('stocks per industry at the end, max', 622, Math.max(...cv), 'count');
    if (sd.indexWeights && sd.indexWeights.length > 0) {
      const d = sd.indexWeights[sd.indexWeights.length - 1].date;
      const w = sd.indexWeights.filter((r) => r.date === d);
      const ws = w.map((r) => r.weight);
      add('benchmark members at the last date', 500, w.length, 'count');
      add('benchmark weight, min', 0.00019, Math.min(...ws), '%');
      add('benchmark weight, median', 0.00168, median(ws), '%');
      add('benchmark weight, max', 0.00702, Math.max(...ws), '%');
      const indOf = new Map<string, string>();
      for (const m of sd.membership) if (m.validFrom <= d && (m.validTo === undefined || m.validTo >= d)) indOf.set(m.stock, m.industry);
      const byInd = new Map<string, number>();
      for (const r of w) { const j = indOf.get(r.stock) ?? '?'; byInd.set(j, (byInd.get(j) ?? 0) + r.weight); }
      add('benchmark industries represented', 28, byInd.size, 'count');
      add('benchmark largest industry weight', 0.145, Math.max(...byInd.values()), '%');
    }
  }
  return rows;
}

/** Render rows as a Markdown table "statistic | target | achieved". */
export function formatCalibrationTable(rows: readonly CalibrationRow[]): string {
  const fmt = (v: number, unit: CalibrationRow['unit']): string =>
    unit === '%' ? `${(v * 100).toFixed(v < 0.01 ? 3 : 1)}%` : unit === 'count' ? `${Math.round(v)}` : v.toFixed(2);
  const lines = ['| statistic | target | achieved |', '|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.statistic} | ${fmt(r.target, r.unit)} | ${fmt(r.achieved, r.unit)} |`);
  return lines.join('\n');
}
