/**
 * High-frequency industry factors over the last month (20 trading days, rows t−19..t):
 * overnight vs intraday return, last-30-minute return, realized intraday volatility and volume
 * concentration, from industry intraday 30-minute bars (`industryIntraday`) aggregated to daily
 * statistics first; and daily-bar proxies (labelled `proxy`) for datasets without intraday bars.
 */
import type { IntradayBars } from '../data/types.js';
import { cached, dailyField, defineFactor, historyReason, type FactorContext } from './engine.js';
import { MIN_WINDOW_SHARE, TD_MONTH } from './technical.js';
import { DAILY_PERIODS_PER_YEAR } from '../metrics/conventions.js';
import type { FactorDefinition } from './types.js';

/** Daily statistics of the intraday bars, calendar rows x industries (NaN where the day has no usable bars). */
export interface IntradayDaily {
  /** ln(first bar open / previous trading day's last bar close). */
  overnight: Float64Array;
  /** ln(last bar close / first bar open). */
  intraday: Float64Array;
  /** ln(last bar close / second-to-last bar close): the last 30 minutes. */
  last30: Float64Array;
  /** Σ_b ln(C_b/C_{b−1})², with C_{−1} = the first bar's open. */
  realizedVar: Float64Array;
  /** Σ_b (V_b / Σ V)², the Herfindahl index of the day's volume across bars. */
  volumeHhi: Float64Array;
}

/**
 * Aggregate intraday bars to daily statistics on the trading calendar (see `IntradayDaily`).
 * Intraday days outside the calendar and codes outside the dataset's industries are ignored.
 * The previous day for the overnight return is the previous calendar row (it must have bars too).
 */
export function intradayDaily(bars: IntradayBars, calendar: readonly string[], industries: readonly string[]): IntradayDaily {
  const T = calendar.length, J = industries.length, B = bars.barsPerDay, Cn = bars.codes.length;
  const mk = () => new Float64Array(T * J).fill(NaN);
  const res: IntradayDaily = { overnight: mk(), intraday: mk(), last30: mk(), realizedVar: mk(), volumeHhi: mk() };
  const rowOf = new Map(calendar.map((d, t) => [d, t]));
  const jOf = new Map(industries.map((c, j) => [c, j]));
  const lastClose = mk();
  const dayRow = bars.days.map((d) => rowOf.get(d) ?? -1);
  for (let d = 0; d < bars.days.length; d++) {
    const t = dayRow[d];
    if (t < 0) continue;
    for (let i = 0; i < Cn; i++) {
      const j = jOf.get(bars.codes[i]);
      if (j === undefined) continue;
      const k0 = (d * Cn + i) * B;
      const o0 = bars.open[k0], cl = bars.close[k0 + B - 1];
      if (cl > 0) lastClose[t * J + j] = cl;
      if (o0 > 0 && cl > 0) res.intraday[t * J + j] = Math.log(cl / o0);
      if (B >= 2) {
        const cp = bars.close[k0 + B - 2];
        if (cp > 0 && cl > 0) res.last30[t * J + j] = Math.log(cl / cp);
      }
      let rv = 0, ok = o0 > 0, prev = o0;
      let vs = 0, vss = 0;
      for (let b = 0; b < B; b++) {
        const c = bars.close[k0 + b], v = bars.volume[k0 + b];
        if (ok) { if (c > 0) { const x = Math.log(c / prev); rv += x * x; prev = c; } else ok = false; }
        if (v >= 0) { vs += v; vss += v * v; } else vs = NaN;
      }
      if (ok) res.realizedVar[t * J + j] = rv;
      if (vs > 0) res.volumeHhi[t * J + j] = vss / (vs * vs);
    }
  }
  for (let d = 0; d < bars.days.length; d++) {
    const t = dayRow[d];
    if (t <= 0) continue;
    for (let i = 0; i < Cn; i++) {
      const j = jOf.get(bars.codes[i]);
      if (j === undefined) continue;
      const o0 = bars.open[(d * Cn + i) * B], pc = lastClose[(t - 1) * J + j];
      if (o0 > 0 && pc > 0) res.overnight[t * J + j] = Math.log(o0 / pc);
    }
  }
  return res;
}

function intradayOf(ctx: FactorContext): IntradayDaily {
  return cached(ctx.cache, 'hf:intradayDaily', () => intradayDaily(ctx.dataset.industryIntraday!, ctx.calendar, ctx.industries));
}

const W = TD_MONTH;
const NEED = Math.ceil(MIN_WINDOW_SHARE * W);

/** Window mean of a daily statistic over rows t−19..t, mapped by `finish`; NaN (with `reason`) unless >= 16 of 20 days valid. */
function windowFactor(ctx: FactorContext, x: Float64Array, L: number, reason: string, finish: (mean: number) => number): Float64Array {
  const K = ctx.dates.length, J = ctx.industries.length;
  const out = new Float64Array(K * J).fill(NaN);
  for (let k = 0; k < K; k++) {
    const t = ctx.rows[k];
    if (t - L < 0) { ctx.missDate(k, historyReason(L)); continue; }
    for (let j = 0; j < J; j++) {
      let s = 0, n = 0;
      for (let q = t - W + 1; q <= t; q++) { const v = x[q * J + j]; if (v === v) { s += v; n++; } }
      if (n >= NEED) out[k * J + j] = finish(s / n);
      else ctx.miss(k, j, reason);
    }
  }
  return out;
}

const NO_INTRADAY = `fewer than ${NEED} of ${W} days with intraday bars in the window`;
const NO_DAILY = `fewer than ${NEED} of ${W} days with the needed daily bars in the window`;
const PIT_INTRADAY = 'Reads intraday bars of trading days on or before t only (the 20 trading days ending at t, and the close of the day before the first).';
const PIT_DAILY = 'Reads daily bars dated on or before t only (the 20 trading days ending at t, and the close of the day before the first).';
const sum20 = (m: number) => W * m;
const annVol = (m: number) => Math.sqrt(DAILY_PERIODS_PER_YEAR * m);

/** Daily-bar statistics for the proxies, cached. */
function dailyProxy(ctx: FactorContext, what: 'overnight' | 'intraday' | 'parkinson'): Float64Array {
  return cached(ctx.cache, `hf:daily:${what}`, () => {
    const T = ctx.calendar.length, J = ctx.industries.length;
    const out = new Float64Array(T * J).fill(NaN);
    const C = dailyField(ctx, 'close'), O = dailyField(ctx, 'open');
    const H = what === 'parkinson' ? dailyField(ctx, 'high') : C, Lo = what === 'parkinson' ? dailyField(ctx, 'low') : C;
    const c4 = 4 * Math.LN2;
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < J; j++) {
        const k = t * J + j;
        if (what === 'overnight') {
          if (t > 0 && O[k] > 0 && C[k - J] > 0) out[k] = Math.log(O[k] / C[k - J]);
        } else if (what === 'intraday') {
          if (O[k] > 0 && C[k] > 0) out[k] = Math.log(C[k] / O[k]);
        } else if (H[k] > 0 && Lo[k] > 0 && H[k] >= Lo[k]) {
          const x = Math.log(H[k] / Lo[k]);
          out[k] = (x * x) / c4;
        }
      }
    }
    return out;
  });
}

/** Overnight return over the last month from intraday bars: 20 · mean_s ln(O_first,s / C_last,s−1). */
export const hfOvernightRet1m = defineFactor({
  id: 'hf_overnight_ret_1m', family: 'high_frequency',
  definition: 'Overnight part of the industry return over the last month: first 30-minute bar open against the previous day\'s last bar close.',
  formula: '20 · mean( ln(O_{s,first} / C_{s−1,last}), s = t−19..t )   (intraday 30-minute bars)',
  inputs: ['industryIntraday'], lookback: { value: W, unit: 'trading days' }, direction: 1, pointInTime: PIT_INTRADAY,
}, (ctx) => windowFactor(ctx, intradayOf(ctx).overnight, W, NO_INTRADAY, sum20));

/** Intraday (open-to-close) return over the last month from intraday bars: 20 · mean_s ln(C_last,s / O_first,s). */
export const hfIntradayRet1m = defineFactor({
  id: 'hf_intraday_ret_1m', family: 'high_frequency',
  definition: 'Intraday (open-to-close) part of the industry return over the last month, from 30-minute bars.',
  formula: '20 · mean( ln(C_{s,last} / O_{s,first}), s = t−19..t )   (intraday 30-minute bars)',
  inputs: ['industryIntraday'], lookback: { value: W - 1, unit: 'trading days' }, direction: -1, pointInTime: PIT_INTRADAY,
}, (ctx) => windowFactor(ctx, intradayOf(ctx).intraday, W - 1, NO_INTRADAY, sum20));

/** Last-30-minute return over the last month: 20 · mean_s ln(C_last,s / C_last−1,s). */
export const hfLast30Ret1m = defineFactor({
  id: 'hf_last30_ret_1m', family: 'high_frequency',
  definition: 'Return of the last 30 minutes of trading, averaged over the last month (informed end-of-day flow).',
  formula: '20 · mean( ln(C_{s,last} / C_{s,last−1}), s = t−19..t )   (intraday 30-minute bars)',
  inputs: ['industryIntraday'], lookback: { value: W - 1, unit: 'trading days' }, direction: 1, pointInTime: PIT_INTRADAY,
}, (ctx) => windowFactor(ctx, intradayOf(ctx).last30, W - 1, NO_INTRADAY, sum20));

/** Realized intraday volatility: sqrt(252 · mean_s Σ_b ln(C_b/C_{b−1})²). */
export const hfRealizedVol1m = defineFactor({
  id: 'hf_realized_vol_1m', family: 'high_frequency',
  definition: 'Annualized realized volatility from 30-minute bar returns (overnight gap excluded) over the last month.',
  formula: 'sqrt( 252 · mean( Σ_b ln(C_{s,b}/C_{s,b−1})², s = t−19..t ) ),  C_{s,−1} = O_{s,first}',
  inputs: ['industryIntraday'], lookback: { value: W - 1, unit: 'trading days' }, direction: -1, pointInTime: PIT_INTRADAY,
}, (ctx) => windowFactor(ctx, intradayOf(ctx).realizedVar, W - 1, NO_INTRADAY, annVol));

/** Volume concentration: mean_s Σ_b (V_b/ΣV)² (Herfindahl of the day's volume across 30-minute bars). */
export const hfVolumeHhi1m = defineFactor({
  id: 'hf_volume_hhi_1m', family: 'high_frequency',
  definition: 'Intraday volume concentration: Herfindahl index of the day\'s volume across 30-minute bars, averaged over the last month.',
  formula: 'mean( Σ_b (V_{s,b} / Σ_b V_{s,b})², s = t−19..t )',
  inputs: ['industryIntraday'], lookback: { value: W - 1, unit: 'trading days' }, direction: -1, pointInTime: PIT_INTRADAY,
}, (ctx) => windowFactor(ctx, intradayOf(ctx).volumeHhi, W - 1, NO_INTRADAY, (m) => m));

/** Daily proxy of hf_overnight_ret_1m: 20 · mean_s ln(O_s / C_{s−1}). */
export const hfOvernightRet1mDaily = defineFactor({
  id: 'hf_overnight_ret_1m_daily', family: 'high_frequency',
  definition: 'Overnight part of the industry return over the last month from daily bars: daily open against the previous daily close.',
  formula: '20 · mean( ln(O_s / C_{s−1}), s = t−19..t )   (daily bars)',
  inputs: ['industryBars.open', 'industryBars.close'], lookback: { value: W, unit: 'trading days' }, direction: 1, pointInTime: PIT_DAILY,
  proxy: 'daily-bar proxy of hf_overnight_ret_1m (open/previous-close gap)',
}, (ctx) => windowFactor(ctx, dailyProxy(ctx, 'overnight'), W, NO_DAILY, sum20));

/** Daily proxy of hf_intraday_ret_1m: 20 · mean_s ln(C_s / O_s). */
export const hfIntradayRet1mDaily = defineFactor({
  id: 'hf_intraday_ret_1m_daily', family: 'high_frequency',
  definition: 'Intraday (open-to-close) part of the industry return over the last month from daily bars.',
  formula: '20 · mean( ln(C_s / O_s), s = t−19..t )   (daily bars)',
  inputs: ['industryBars.open', 'industryBars.close'], lookback: { value: W - 1, unit: 'trading days' }, direction: -1, pointInTime: PIT_DAILY,
  proxy: 'daily-bar proxy of hf_intraday_ret_1m (daily open to close)',
}, (ctx) => windowFactor(ctx, dailyProxy(ctx, 'intraday'), W - 1, NO_DAILY, sum20));

/** Daily proxy of hf_realized_vol_1m: Parkinson range volatility sqrt(252 · mean_s (ln(H_s/L_s))²/(4 ln 2)). */
export const hfParkinsonVol1m = defineFactor({
  id: 'hf_parkinson_vol_1m', family: 'high_frequency',
  definition: 'Annualized Parkinson range volatility from daily high and low over the last month.',
  formula: 'sqrt( 252 · mean( (ln(H_s/L_s))² / (4 ln 2), s = t−19..t ) )   (daily bars)',
  inputs: ['industryBars.high', 'industryBars.low'], lookback: { value: W - 1, unit: 'trading days' }, direction: -1, pointInTime: PIT_DAILY,
  proxy: 'daily-bar proxy of hf_realized_vol_1m (Parkinson high-low range estimator)',
}, (ctx) => windowFactor(ctx, dailyProxy(ctx, 'parkinson'), W - 1, NO_DAILY, annVol));

/** The high-frequency factors (intraday, then daily proxies), in dictionary order. */
export function highFrequencyFactors(): FactorDefinition[] {
  return [hfOvernightRet1m, hfIntradayRet1m, hfLast30Ret1m, hfRealizedVol1m, hfVolumeHhi1m,
    hfOvernightRet1mDaily, hfIntradayRet1mDaily, hfParkinsonVol1m];
}
