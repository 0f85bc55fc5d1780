/**
 * Standard stock factors the simulator supports, at month ends d_k (each z-scored per date):
 *
 *   value     = BP[k, i]   = equity_i(latest announced report as of d_k) / totalCap(d_k, i)
 *   growth    = YoY[k, i]  = (NP_q − NP_{q−4}) / |NP_{q−4}|,  q = latest announced quarter as of d_k,
 *                            q−4 the same quarter a year earlier (also announced by d_k)
 *   reversal  = −(close(d_k) / close(d_k − 21 trading days) − 1)
 *   lowVol    = −std(daily returns over the 60 trading days ending d_k), >= 40 valid returns
 *
 * and their combinations: equal weight  c = (1/F) Σ_f z_f (over valid factors), and ICIR weight
 * c_t = Σ_f w_f(t) z_f(t) with w_f(t) ∝ mean(IC_f) / std(IC_f) over the ICs of dates s with
 * s + 1 <= t (the IC dated s needs the return to d_{s+1}), Σ|w| = 1, at least `minObservations` ICs.
 */
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { zscore } from '../panel/kernels.js';
import { fundamentalAsOf } from '../data/pointInTime.js';
import type { StockData } from '../data/types.js';
import { rankIcByDate } from '../evaluate/ic.js';
import { rowsOf } from './projection.js';

export type StockFactorId = 'value' | 'growth' | 'reversal' | 'lowVol';
export const STOCK_FACTOR_IDS: readonly StockFactorId[] = ['value', 'growth', 'reversal', 'lowVol'];

export interface StockFactorSet {
  dates: string[];
  stocks: string[];
  /** Raw values by factor. */
  raw: Record<StockFactorId, Panel>;
  /** Per-date z-scores by factor. */
  z: Record<StockFactorId, Panel>;
}

/** The year-earlier quarter end of an ISO quarter end: yyyy-mm-dd → (yyyy−1)-mm-dd. */
function yearEarlier(period: string): string {
  return `${String(Number(period.slice(0, 4)) - 1).padStart(4, '0')}${period.slice(4)}`;
}

/**
 * Compute the four factors (module formulas) at `dates` (month ends of the stock calendar) for
 * every stock of `stocks`. Throws STOCK_NO_FUNDAMENTALS without fundamentals, STOCK_BAD_DATE for
 * a date outside the calendar.
 */
export function computeStockFactors(stocks: StockData, dates: readonly string[]): StockFactorSet {
  const close = stocks.bars.close, codes = close.assets, N = codes.length, K = dates.length;
  const funds = stocks.fundamentals;
  if (!funds || funds.length === 0) {
    throw new RotationError('STOCK_NO_FUNDAMENTALS', 'The dataset has no fundamentals', { stocks: N }, 'use a dataset with quarterly reports (the simulator provides them)');
  }
  const cap = stocks.bars.totalCap ?? stocks.bars.floatCap;
  if (!cap) throw new RotationError('STOCK_NO_CAP', 'The dataset has no market cap', {}, 'provide bars.totalCap or bars.floatCap');
  const rows = rowsOf(close, dates);
  const equity = fundamentalAsOf(funds, 'equity', dates, codes);
  const np = fundamentalAsOf(funds, 'netProfit', dates, codes);
  // (stock, reportPeriod) -> record, for the year-earlier quarter.
  const byKey = new Map<string, number>();
  for (let r = 0; r < funds.length; r++) byKey.set(`${funds[r].stock}|${funds[r].reportPeriod}`, r);

  const value = new Float64Array(K * N).fill(NaN), growth = new Float64Array(K * N).fill(NaN);
  const reversal = new Float64Array(K * N).fill(NaN), lowVol = new Float64Array(K * N).fill(NaN);
  const rets = new Float64Array(60);
  for (let k = 0; k < K; k++) {
    const t = rows[k];
    for (let i = 0; i < N; i++) {
      const cell = k * N + i;
      const c = cap.values[t * N + i], e = equity.panel.values[cell];
      if (c > 0 && Number.isFinite(e)) value[cell] = e / c;
      const r = np.join.index[cell];
      if (r >= 0) {
        const rec = funds[r];
        const prev = byKey.get(`${rec.stock}|${yearEarlier(rec.reportPeriod)}`);
        if (prev !== undefined && funds[prev].announceDate <= dates[k]) {
          const base = funds[prev].netProfit;
          if (Number.isFinite(base) && base !== 0 && Number.isFinite(rec.netProfit)) growth[cell] = (rec.netProfit - base) / Math.abs(base);
        }
      }
      if (t >= 21) {
        const p0 = close.values[(t - 21) * N + i], p1 = close.values[t * N + i];
        if (p0 > 0 && p1 > 0) reversal[cell] = -(p1 / p0 - 1);
      }
      lowVol[cell] = trailingLowVol(close.values, N, t, i, rets);
    }
  }
  const mk = (v: Float64Array, name: string): Panel => createPanel(dates, codes, v, name);
  const raw: Record<StockFactorId, Panel> = { value: mk(value, 'value'), growth: mk(growth, 'growth'), reversal: mk(reversal, 'reversal'), lowVol: mk(lowVol, 'lowVol') };
  const z = { value: zscore(raw.value), growth: zscore(raw.growth), reversal: zscore(raw.reversal), lowVol: zscore(raw.lowVol) };
  return { dates: [...dates], stocks: [...codes], raw, z };
}

/**
 * Price-only proxies of the four factors, for data without fundamentals or market caps (the
 * A-share folder). Same ids as `computeStockFactors`, so every downstream step is shared; each is a
 * PROXY, not the factor its id names:
 *
 *   value    ≈ long-term reversal = −(c(t − 240)/c(t − 480) − 1)     (the year before last; De Bondt–Thaler)
 *   growth   ≈ 12-1M momentum     =   c(t − 20)/c(t − 240) − 1       (price response to earnings news)
 *   reversal = −(c(t)/c(t − 21) − 1)                                  (as in computeStockFactors)
 *   lowVol   = −std(daily returns over the 60 days ending t), >= 40 valid returns (raw closes)
 *
 * c = the close carried forward over suspensions (a lag landing on a suspended day uses the last
 * close before it); a stock without a close on d_k gets no factor that date. Throws STOCK_BAD_DATE
 * for a date outside the calendar.
 */
export function computePriceProxyFactors(close: Panel, dates: readonly string[]): StockFactorSet {
  const codes = close.assets, N = codes.length, K = dates.length, T = close.dates.length;
  const rows = rowsOf(close, dates);
  const filled = new Float64Array(close.values);
  for (let t = 1; t < T; t++) {
    for (let i = 0; i < N; i++) if (!(filled[t * N + i] > 0)) filled[t * N + i] = filled[(t - 1) * N + i];
  }
  const value = new Float64Array(K * N).fill(NaN), growth = new Float64Array(K * N).fill(NaN);
  const reversal = new Float64Array(K * N).fill(NaN), lowVol = new Float64Array(K * N).fill(NaN);
  const rets = new Float64Array(60);
  const ratio = (t: number, lag0: number, lag1: number, i: number): number => {
    if (t < lag1) return NaN;
    const p0 = filled[(t - lag1) * N + i], p1 = filled[(t - lag0) * N + i];
    return p0 > 0 && p1 > 0 ? p1 / p0 - 1 : NaN;
  };
  for (let k = 0; k < K; k++) {
    const t = rows[k];
    for (let i = 0; i < N; i++) {
      if (!(close.values[t * N + i] > 0)) continue;
      const cell = k * N + i;
      value[cell] = -ratio(t, 240, 480, i);
      growth[cell] = ratio(t, 20, 240, i);
      reversal[cell] = -ratio(t, 0, 21, i);
      lowVol[cell] = trailingLowVol(close.values, N, t, i, rets);
    }
  }
  const mk = (v: Float64Array, name: string): Panel => createPanel(dates, codes, v, name);
  const raw: Record<StockFactorId, Panel> = { value: mk(value, 'value'), growth: mk(growth, 'growth'), reversal: mk(reversal, 'reversal'), lowVol: mk(lowVol, 'lowVol') };
  const z = { value: zscore(raw.value), growth: zscore(raw.growth), reversal: zscore(raw.reversal), lowVol: zscore(raw.lowVol) };
  return { dates: [...dates], stocks: [...codes], raw, z };
}

/** What each factor id means in `computePriceProxyFactors` (for report captions). */
export const PRICE_PROXY_DEFINITIONS: Readonly<Record<StockFactorId, string>> = Object.freeze({
  value: 'PROXY: long-term reversal −(c(t−240)/c(t−480) − 1); no book value in the data',
  growth: 'PROXY: 12-1M momentum c(t−20)/c(t−240) − 1; no earnings in the data',
  reversal: '1M reversal −(c(t)/c(t−21) − 1)',
  lowVol: '60-day low volatility −std(daily returns)',
});

/** −std (ddof 1) of the daily returns over the 60 days ending at row t, NaN with fewer than 40 valid returns. */
function trailingLowVol(close: Float64Array, N: number, t: number, i: number, rets: Float64Array): number {
  if (t < 60) return NaN;
  let m = 0;
  for (let s = t - 59; s <= t; s++) {
    const a = close[(s - 1) * N + i], b = close[s * N + i];
    if (a > 0 && b > 0) rets[m++] = b / a - 1;
  }
  if (m < 40) return NaN;
  let mean = 0;
  for (let j = 0; j < m; j++) mean += rets[j];
  mean /= m;
  let ss = 0;
  for (let j = 0; j < m; j++) ss += (rets[j] - mean) ** 2;
  return -Math.sqrt(ss / (m - 1));
}

/** Equal-weight composite c[t, i] = mean of the valid z_f[t, i] (NaN when none is valid). */
export function equalWeightComposite(factors: readonly Panel[]): Panel {
  if (factors.length === 0) throw new RotationError('STOCK_BAD_ARGUMENT', 'No factors to combine', {}, 'pass at least one factor panel');
  const L = factors[0].values.length;
  const v = new Float64Array(L);
  for (let k = 0; k < L; k++) {
    let s = 0, n = 0;
    for (const f of factors) { const x = f.values[k]; if (x === x) { s += x; n++; } }
    v[k] = n > 0 ? s / n : NaN;
  }
  return createPanel(factors[0].dates, factors[0].assets, v, 'equalWeightComposite');
}

export interface IcirComposite {
  composite: Panel;
  /** weights[t * F + f]; NaN before `minObservations` past ICs. */
  weights: Float64Array;
  /** Rank IC of each factor on each date (input to the weights). */
  ics: Float64Array[];
}

/**
 * ICIR-weighted composite (module formula) with weights from past rank ICs only: at date index t
 * the ICs of dates s <= t − 1 are used (the IC at s is known at d_{s+1}). Expanding window;
 * NaN composite before `minObservations` (default 12) ICs per factor.
 */
export function icirComposite(factors: readonly Panel[], forward: Panel, minObservations = 12): IcirComposite {
  if (factors.length === 0) throw new RotationError('STOCK_BAD_ARGUMENT', 'No factors to combine', {}, 'pass at least one factor panel');
  const F = factors.length, T = forward.dates.length, N = forward.assets.length;
  const ics = factors.map((f) => rankIcByDate(f, forward).ic);
  const weights = new Float64Array(T * F).fill(NaN);
  const v = new Float64Array(T * N).fill(NaN);
  for (let t = 0; t < T; t++) {
    let total = 0;
    const w = new Float64Array(F);
    let ready = true;
    for (let f = 0; f < F; f++) {
      let n = 0, s = 0, ss = 0;
      for (let u = 0; u < t; u++) { const x = ics[f][u]; if (x === x) { n++; s += x; ss += x * x; } }
      if (n < minObservations) { ready = false; break; }
      const mean = s / n, sd = Math.sqrt(Math.max(0, (ss - n * mean * mean) / (n - 1)));
      w[f] = sd > 0 ? mean / sd : 0;
      total += Math.abs(w[f]);
    }
    if (!ready || !(total > 0)) continue;
    for (let f = 0; f < F; f++) weights[t * F + f] = w[f] / total;
    for (let i = 0; i < N; i++) {
      let s = 0, any = false;
      for (let f = 0; f < F; f++) { const x = factors[f].values[t * N + i]; if (x === x) { s += weights[t * F + f] * x; any = true; } }
      if (any) v[t * N + i] = s;
    }
  }
  return { composite: createPanel(forward.dates, forward.assets, v, 'icirComposite'), weights, ics };
}
