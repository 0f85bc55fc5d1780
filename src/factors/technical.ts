/**
 * Technical industry factors from daily industry index bars (close, volume): momentum, residual
 * momentum, volatility, volume change, crowding, trend strength. Everything at date t reads rows
 * <= t of the trading calendar only.
 *
 * On daily data months are counted in trading days (the A-share convention): 1M = 20, 3M = 60,
 * 6M = 120, 12M = 240 trading days (CITIC and the simulator have ~244 a year). The momentum
 * factors are month-based and run on monthly data too (calendar months there); the others read
 * trading-day windows and are daily-only (FACTOR_NEEDS_DAILY_DATA on monthly data).
 */
import { DAILY_PERIODS_PER_YEAR } from '../metrics/conventions.js';
import { cached, dailyField, defineFactor, historyReason, MISSING_WINDOW, monthRows, monthsBackRow, TRADING_DAYS_PER_MONTH, type FactorContext } from './engine.js';
import type { FactorDefinition } from './types.js';
import { monthIndex } from '../data/frequency.js';

/** Trading days per month used by the lookbacks. */
export const TD_MONTH = TRADING_DAYS_PER_MONTH;
/** Trading days per year used by the lookbacks (12 x 20). */
export const TD_YEAR = 240;
/** Minimum share of valid observations in a window. */
export const MIN_WINDOW_SHARE = 0.8;

const PIT_DAILY = 'Reads daily bars dated on or before t only (rows t − lookback .. t of the trading calendar).';
const PIT_MONTHS = 'Reads closes dated on or before t only (rows t − lookback .. t; months are 20 trading days on daily data, calendar months on monthly data).';

/** Daily simple returns r[s, j] = C[s, j]/C[s−1, j] − 1 (NaN at s = 0 or when either close is missing). Cached. */
export function dailyReturns(ctx: FactorContext): Float64Array {
  return cached(ctx.cache, 'tech:ret', () => {
    const C = dailyField(ctx, 'close');
    const J = ctx.industries.length, T = ctx.calendar.length;
    const r = new Float64Array(T * J).fill(NaN);
    for (let t = 1; t < T; t++) {
      for (let j = 0; j < J; j++) {
        const a = C[(t - 1) * J + j], b = C[t * J + j];
        if (a > 0 && b > 0) r[t * J + j] = b / a - 1;
      }
    }
    return r;
  });
}

/** Equal-weight market return m[s] = mean over industries with a valid r[s, j]. Cached. */
export function equalWeightMarket(ctx: FactorContext): Float64Array {
  return cached(ctx.cache, 'tech:mkt', () => {
    const r = dailyReturns(ctx);
    const J = ctx.industries.length, T = ctx.calendar.length;
    const m = new Float64Array(T).fill(NaN);
    for (let t = 0; t < T; t++) {
      let s = 0, n = 0;
      for (let j = 0; j < J; j++) { const v = r[t * J + j]; if (v === v) { s += v; n++; } }
      if (n > 0) m[t] = s / n;
    }
    return m;
  });
}

/** Output array and the per-(k, j) loop with the history check shared by the daily kernels. */
function perCell(ctx: FactorContext, L: number, cell: (t: number, j: number) => number): Float64Array {
  const K = ctx.dates.length, J = ctx.industries.length;
  const out = new Float64Array(K * J).fill(NaN);
  for (let k = 0; k < K; k++) {
    const t = ctx.rows[k];
    if (t - L < 0) { ctx.missDate(k, historyReason(L)); continue; }
    for (let j = 0; j < J; j++) {
      const v = cell(t, j);
      if (Number.isFinite(v)) out[k * J + j] = v;
      else ctx.miss(k, j, MISSING_WINDOW);
    }
  }
  return out;
}

function momentumFactor(id: string, far: number, near: number, direction: 1 | -1, definition: string): FactorDefinition {
  const formula = near === 0
    ? `C_t / C_{t−${far}M} − 1  (daily data: ${far}M = ${far * TD_MONTH} trading days; monthly data: ${far} calendar months)`
    : `C_{t−${near}M} / C_{t−${far}M} − 1  (daily data: 1M = ${TD_MONTH} trading days; monthly data: calendar months)`;
  return defineFactor({
    id, family: 'technical', definition, formula,
    inputs: ['industryBars.close'], lookback: { value: far, unit: 'months' }, direction,
    pointInTime: PIT_MONTHS,
  }, (ctx) => {
    const C = dailyField(ctx, 'close'), J = ctx.industries.length;
    const K = ctx.dates.length, out = new Float64Array(K * J).fill(NaN);
    for (let k = 0; k < K; k++) {
      const t = ctx.rows[k];
      const tf = monthsBackRow(ctx, t, far), tn = near === 0 ? t : monthsBackRow(ctx, t, near);
      if (tf < 0 || tn < 0) {
        const beforeStart = ctx.frequency === 'daily' || monthIndex(ctx.calendar[t]) - far < monthIndex(ctx.calendar[0]);
        ctx.missDate(k, beforeStart ? historyReason(monthRows(ctx, far), ctx.frequency === 'daily' ? 'trading days' : 'months')
          : 'month missing from the monthly calendar in the lookback');
        continue;
      }
      for (let j = 0; j < J; j++) {
        const a = C[tf * J + j], b = C[tn * J + j];
        if (a > 0 && b > 0) out[k * J + j] = b / a - 1;
        else ctx.miss(k, j, MISSING_WINDOW);
      }
    }
    return out;
  });
}

/** 1-month momentum (short-term reversal expected): C_t/C_{t−1M} − 1. */
export const mom1m = momentumFactor('mom_1m', 1, 0, -1,
  'Industry index return over the last month (20 trading days on daily data, 1 calendar month on monthly data); short-term reversal expected in A-share industries.');
/** 3-month momentum: C_t/C_{t−3M} − 1. */
export const mom3m = momentumFactor('mom_3m', 3, 0, 1, 'Industry index return over the last 3 months (60 trading days, or 3 calendar months on monthly data).');
/** 6-month momentum: C_t/C_{t−6M} − 1. */
export const mom6m = momentumFactor('mom_6m', 6, 0, 1, 'Industry index return over the last 6 months (120 trading days, or 6 calendar months on monthly data).');
/** 12-1 momentum: C_{t−1M}/C_{t−12M} − 1 (skips the most recent month). */
export const mom12m1 = momentumFactor('mom_12_1', 12, 1, 1,
  'Industry index return over the last 12 months skipping the most recent month (t−240 .. t−20 trading days, or t−12 .. t−1 calendar months on monthly data).');

/**
 * Residual (beta-adjusted) 12-1 momentum: over W = rows t−239 .. t−20 (220 daily returns),
 * β = cov(r, m)/var(m) against the equal-weight industry market m, e_s = r_s − β·m_s, and
 *   value = mean(e)/sd(e) · √n   (the t-statistic of the beta-adjusted excess return).
 */
export const residMom12m1 = defineFactor({
  id: 'resid_mom_12_1', family: 'technical',
  definition: 'Industry 12-1 month return after removing its market beta (equal-weight industry market, trailing regression), scaled by its residual volatility.',
  formula: 'W = days t−239..t−20; β = cov_W(r, m)/var_W(m); e_s = r_s − β·m_s; mean_W(e)/sd_W(e)·√|W|  (m = equal-weight mean of industry daily returns)',
  inputs: ['industryBars.close'], lookback: { value: TD_YEAR, unit: 'trading days' }, direction: 1, pointInTime: PIT_DAILY,
}, (ctx) => {
  const r = dailyReturns(ctx), m = equalWeightMarket(ctx), J = ctx.industries.length;
  const W = TD_YEAR - TD_MONTH, need = Math.ceil(MIN_WINDOW_SHARE * W);
  const rr = new Float64Array(W), mm = new Float64Array(W);
  return perCell(ctx, TD_YEAR, (t, j) => {
    let n = 0;
    for (let s = t - TD_YEAR + 1; s <= t - TD_MONTH; s++) {
      const a = r[s * J + j], b = m[s];
      if (a === a && b === b) { rr[n] = a; mm[n] = b; n++; }
    }
    if (n < need) return NaN;
    let sr = 0, sm = 0;
    for (let q = 0; q < n; q++) { sr += rr[q]; sm += mm[q]; }
    const mr = sr / n, mmean = sm / n;
    let cov = 0, vm = 0;
    for (let q = 0; q < n; q++) { const dm = mm[q] - mmean; cov += (rr[q] - mr) * dm; vm += dm * dm; }
    if (!(vm > 0)) return NaN;
    const beta = cov / vm;
    let se = 0;
    for (let q = 0; q < n; q++) se += rr[q] - beta * mm[q];
    const me = se / n;
    let ss = 0;
    for (let q = 0; q < n; q++) { const d = rr[q] - beta * mm[q] - me; ss += d * d; }
    const sd = Math.sqrt(ss / (n - 1));
    return sd > 0 ? (me / sd) * Math.sqrt(n) : NaN;
  });
});

/** 3-month volatility: sd of daily log returns ln(C_s/C_{s−1}) over s = t−59..t, × √252. */
export const vol3m = defineFactor({
  id: 'vol_3m', family: 'technical',
  definition: 'Annualized volatility of the industry index daily log returns over the last 3 months (60 trading days).',
  formula: 'sd(ln(C_s/C_{s−1}), s = t−59..t; ddof 1) · √252',
  inputs: ['industryBars.close'], lookback: { value: 3 * TD_MONTH, unit: 'trading days' }, direction: -1, pointInTime: PIT_DAILY,
}, (ctx) => {
  const C = dailyField(ctx, 'close'), J = ctx.industries.length, L = 3 * TD_MONTH;
  const need = Math.ceil(MIN_WINDOW_SHARE * L);
  const x = new Float64Array(L);
  return perCell(ctx, L, (t, j) => {
    let n = 0, s1 = 0, s2 = 0;
    for (let s = t - L + 1; s <= t; s++) {
      const a = C[(s - 1) * J + j], b = C[s * J + j];
      if (a > 0 && b > 0) { const v = Math.log(b / a); x[n++] = v; s1 += v; }
    }
    if (n < need) return NaN;
    const mean = s1 / n;
    for (let q = 0; q < n; q++) { const d = x[q] - mean; s2 += d * d; }
    return Math.sqrt(s2 / (n - 1)) * Math.sqrt(DAILY_PERIODS_PER_YEAR);
  });
});

function windowMean(x: Float64Array, J: number, j: number, from: number, to: number, positive: boolean): number {
  let s = 0, n = 0;
  for (let t = from; t <= to; t++) {
    const v = x[t * J + j];
    if (v === v && (!positive || v >= 0)) { s += v; n++; }
  }
  return n >= Math.ceil(MIN_WINDOW_SHARE * (to - from + 1)) ? s / n : NaN;
}

/**
 * Volume (turnover) change: ln(mean V over t−19..t / mean V over t−139..t−20). Volume stands in
 * for turnover (turnover = volume / free-float shares): the ratio is the turnover ratio whenever
 * the free float is unchanged over the window, and volume exists in every source.
 */
export const volumeChg1m = defineFactor({
  id: 'volume_chg_1m', family: 'technical',
  definition: 'Change of trading activity: last month\'s mean daily volume against the previous 6 months (volume ratio = turnover ratio at constant free float).',
  formula: 'ln( mean(V_s, s = t−19..t) / mean(V_s, s = t−139..t−20) )',
  inputs: ['industryBars.volume'], lookback: { value: 139, unit: 'trading days' }, direction: -1, pointInTime: PIT_DAILY,
}, (ctx) => {
  const V = dailyField(ctx, 'volume'), J = ctx.industries.length;
  return perCell(ctx, 139, (t, j) => {
    const a = windowMean(V, J, j, t - 19, t, true), b = windowMean(V, J, j, t - 139, t - 20, true);
    return a > 0 && b > 0 ? Math.log(a / b) : NaN;
  });
});

/** 20-day mean of ln V per (row, industry) over rows s−19..s, NaN unless >= 16 of the 20 days are valid. Cached. */
function logVolume20(ctx: FactorContext): Float64Array {
  return cached(ctx.cache, 'tech:lnv20', () => {
    const V = dailyField(ctx, 'volume'), J = ctx.industries.length, T = ctx.calendar.length;
    const out = new Float64Array(T * J).fill(NaN);
    const lv = new Float64Array(T * J);
    for (let k = 0; k < T * J; k++) lv[k] = V[k] > 0 ? Math.log(V[k]) : NaN;
    const need = Math.ceil(MIN_WINDOW_SHARE * TD_MONTH);
    // Each window summed afresh (not a running sum), so a constant series gives exactly equal means.
    for (let t = TD_MONTH - 1; t < T; t++) {
      for (let j = 0; j < J; j++) {
        let s = 0, n = 0;
        for (let q = t - TD_MONTH + 1; q <= t; q++) { const v = lv[q * J + j]; if (v === v) { s += v; n++; } }
        if (n >= need) out[t * J + j] = s / n;
      }
    }
    return out;
  });
}

/**
 * Crowding: z-score of the 20-day mean log volume against its own trailing year,
 *   A_s = mean(ln V, s−19..s),   z = (A_t − mean(A_s, s = t−239..t)) / sd(A_s, s = t−239..t).
 */
export const crowdingVolumeZ = defineFactor({
  id: 'crowding_volume_z', family: 'technical',
  definition: 'Trading crowding: the last month\'s average log volume as a z-score against its own trailing 12-month history (turnover z-score at constant free float).',
  formula: 'A_s = mean(ln V, s−19..s); (A_t − mean(A_s, s=t−239..t)) / sd(A_s, s=t−239..t; ddof 1)',
  inputs: ['industryBars.volume'], lookback: { value: TD_YEAR + TD_MONTH - 2, unit: 'trading days' }, direction: -1, pointInTime: PIT_DAILY,
}, (ctx) => {
  const A = logVolume20(ctx), J = ctx.industries.length;
  const need = Math.ceil(MIN_WINDOW_SHARE * TD_YEAR);
  return perCell(ctx, TD_YEAR + TD_MONTH - 2, (t, j) => {
    const at = A[t * J + j];
    if (at !== at) return NaN;
    let s = 0, n = 0, lo = Infinity, hi = -Infinity;
    for (let q = t - TD_YEAR + 1; q <= t; q++) {
      const v = A[q * J + j];
      if (v === v) { s += v; n++; if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    if (n < need || lo === hi) return NaN;
    const mean = s / n;
    let ss = 0;
    for (let q = t - TD_YEAR + 1; q <= t; q++) { const v = A[q * J + j]; if (v === v) ss += (v - mean) * (v - mean); }
    const sd = Math.sqrt(ss / (n - 1));
    return sd > 0 ? (at - mean) / sd : NaN;
  });
});

/**
 * Trend strength: OLS of y_s = ln C_s on s over s = t−59..t; value = sign(slope)·R².
 */
export const trendR2_3m = defineFactor({
  id: 'trend_r2_3m', family: 'technical',
  definition: 'Trend strength: R² of a linear trend fitted to the log index level over the last 3 months, signed by the trend direction.',
  formula: 'y_s = ln C_s, s = t−59..t; fit y = a + b·s; sign(b) · R²',
  inputs: ['industryBars.close'], lookback: { value: 3 * TD_MONTH - 1, unit: 'trading days' }, direction: 1, pointInTime: PIT_DAILY,
}, (ctx) => {
  const C = dailyField(ctx, 'close'), J = ctx.industries.length, L = 3 * TD_MONTH;
  const need = Math.ceil(MIN_WINDOW_SHARE * L);
  const xs = new Float64Array(L), ys = new Float64Array(L);
  return perCell(ctx, L - 1, (t, j) => {
    let n = 0, sx = 0, sy = 0;
    for (let s = t - L + 1; s <= t; s++) {
      const c = C[s * J + j];
      if (!(c > 0)) continue;
      xs[n] = s - t; ys[n] = Math.log(c); sx += xs[n]; sy += ys[n]; n++;
    }
    if (n < need) return NaN;
    const mx = sx / n, my = sy / n;
    let vx = 0, vy = 0, cxy = 0;
    for (let q = 0; q < n; q++) { const dx = xs[q] - mx, dy = ys[q] - my; vx += dx * dx; vy += dy * dy; cxy += dx * dy; }
    if (!(vx > 0) || !(vy > 0)) return NaN;
    const r2 = Math.min((cxy * cxy) / (vx * vy), 1);
    return cxy >= 0 ? r2 : -r2;
  });
});

/** Price vs moving average: C_t / mean(C_s, s = t−59..t) − 1. */
export const maGap3m = defineFactor({
  id: 'ma_gap_3m', family: 'technical',
  definition: 'Distance of the industry index above its 60-day moving average.',
  formula: 'C_t / mean(C_s, s = t−59..t) − 1',
  inputs: ['industryBars.close'], lookback: { value: 3 * TD_MONTH - 1, unit: 'trading days' }, direction: 1, pointInTime: PIT_DAILY,
}, (ctx) => {
  const C = dailyField(ctx, 'close'), J = ctx.industries.length, L = 3 * TD_MONTH;
  return perCell(ctx, L - 1, (t, j) => {
    const c = C[t * J + j];
    if (!(c > 0)) return NaN;
    const ma = windowMean(C, J, j, t - L + 1, t, true);
    return ma > 0 ? c / ma - 1 : NaN;
  });
});

/** The technical factors, in dictionary order. */
export function technicalFactors(): FactorDefinition[] {
  return [mom1m, mom3m, mom6m, mom12m1, residMom12m1, vol3m, volumeChg1m, crowdingVolumeZ, trendR2_3m, maGap3m];
}
