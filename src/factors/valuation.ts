/**
 * Valuation industry factors from the industry index valuation ratios (industryBars.pe / pb / ps /
 * dividendYield): the level as a yield (earnings, book, sales, dividend: higher = cheaper, and
 * continuous through zero earnings, unlike PE) and the same yield as a percentile of the
 * industry's own trailing 3-year daily history.
 *
 * Month-end factors (real vendor data: Wind PE for SW and CITIC, the French BE/ME, firm size and
 * counts) read `dataset.monthEnd` by calendar month: at rebalance row t they read month
 * m(t) = knownMonth(t) (the month of t when t is its month's last trading day, else the month
 * before) and months m(t) − L for lookbacks, on daily and monthly calendars alike.
 * PE handling: Wind writes 0 where earnings are negative or unavailable, so loaders mask PE <= 0
 * (counted: 0 and negative under separate reasons); the earnings yield of a loss-making industry
 * is therefore missing (the industry sits out that month's cross-section), never a large number.
 */
import {
  dailyField, defineFactor, historyReason, knownMonth, MISSING_WINDOW, monthEndAt, monthEndField,
  type BarField, type FactorContext, type MonthEndField,
} from './engine.js';
import { MIN_WINDOW_SHARE } from './technical.js';
import type { FactorDefinition, FactorInput } from './types.js';

/** Trading days in the 3-year percentile window (3 x 244, the A-share year). */
export const PCT_WINDOW_3Y = 732;

type Ratio = 'pe' | 'pb' | 'ps' | 'dividendYield';

/** The yield of a ratio on one day: 1/ratio for pe, pb, ps (NaN at 0), the dividend yield itself. */
function yieldOf(ratio: Ratio, v: number): number {
  if (ratio === 'dividendYield') return v;
  return v !== 0 && Number.isFinite(v) ? 1 / v : NaN;
}

const NAMES: Readonly<Record<Ratio, { id: string; name: string; sym: string; note: string }>> = Object.freeze({
  pe: { id: 'ep', name: 'earnings yield', sym: '1/PE', note: '; the yield form keeps loss-making industries (negative PE) in order' },
  pb: { id: 'bp', name: 'book-to-price', sym: '1/PB', note: '' },
  ps: { id: 'sp', name: 'sales-to-price', sym: '1/PS', note: '' },
  dividendYield: { id: 'dy', name: 'dividend yield', sym: 'DY', note: '' },
});

function levelFactor(ratio: Ratio): FactorDefinition {
  const { id, name, sym, note } = NAMES[ratio];
  return defineFactor({
    id, family: 'valuation',
    definition: `Industry ${name} (${sym}) on the date, from the industry index valuation${note}.`,
    formula: ratio === 'dividendYield' ? 'DY_t  (index dividend yield on t, fraction per year)' : `1 / ${ratio.toUpperCase()}_t  (NaN when ${ratio.toUpperCase()}_t = 0)`,
    inputs: [`industryBars.${ratio}` as FactorInput], lookback: { value: 0, unit: 'trading days' }, direction: 1,
    pointInTime: `Reads industryBars.${ratio} on date t only.`,
  }, (ctx) => {
    const X = dailyField(ctx, ratio as BarField), K = ctx.dates.length, J = ctx.industries.length;
    const out = new Float64Array(K * J).fill(NaN);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < J; j++) {
        const v = yieldOf(ratio, X[ctx.rows[k] * J + j]);
        if (Number.isFinite(v)) out[k * J + j] = v;
        else ctx.miss(k, j, 'valuation ratio missing or zero on the date');
      }
    }
    return out;
  });
}

/**
 * Percentile of today's yield within the industry's own trailing window of W = 732 trading days
 * (rows t−731..t): with n valid days, pct = (#{y_s < y_t} + (#{y_s = y_t} − 1)/2)/(n − 1), i.e. the
 * midrank percentile in [0, 1]; NaN unless y_t is valid and n >= 80% of W.
 */
function percentileKernel(ctx: FactorContext, ratio: Ratio): Float64Array {
  const X = dailyField(ctx, ratio as BarField), K = ctx.dates.length, J = ctx.industries.length;
  const L = PCT_WINDOW_3Y - 1, need = Math.ceil(MIN_WINDOW_SHARE * PCT_WINDOW_3Y);
  const out = new Float64Array(K * J).fill(NaN);
  for (let k = 0; k < K; k++) {
    const t = ctx.rows[k];
    if (t - L < 0) { ctx.missDate(k, historyReason(L)); continue; }
    for (let j = 0; j < J; j++) {
      const y = yieldOf(ratio, X[t * J + j]);
      if (!Number.isFinite(y)) { ctx.miss(k, j, 'valuation ratio missing or zero on the date'); continue; }
      let below = 0, equal = 0, n = 0;
      for (let s = t - L; s <= t; s++) {
        const v = yieldOf(ratio, X[s * J + j]);
        if (!Number.isFinite(v)) continue;
        n++;
        if (v < y) below++;
        else if (v === y) equal++;
      }
      if (n < need || n < 2) { ctx.miss(k, j, MISSING_WINDOW); continue; }
      out[k * J + j] = (below + (equal - 1) / 2) / (n - 1);
    }
  }
  return out;
}

function percentileFactor(ratio: Ratio): FactorDefinition {
  const { id, name, sym } = NAMES[ratio];
  return defineFactor({
    id: `${id}_pct_3y`, family: 'valuation',
    definition: `Industry ${name} (${sym}) as a percentile of its own trailing 3-year daily history (1 = cheapest in 3 years${ratio === 'dividendYield' ? ', highest yield' : ''}).`,
    formula: `y_s = ${sym} on day s; n = #valid y_s, s = t−731..t; (#{y_s < y_t} + (#{y_s = y_t} − 1)/2) / (n − 1)`,
    inputs: [`industryBars.${ratio}` as FactorInput], lookback: { value: PCT_WINDOW_3Y - 1, unit: 'trading days' }, direction: 1,
    pointInTime: `Reads industryBars.${ratio} dated on or before t only (the 732 trading days ending at t).`,
  }, (ctx) => percentileKernel(ctx, ratio));
}

/** Earnings yield 1/PE_t. */
export const ep = levelFactor('pe');
/** Book-to-price 1/PB_t. */
export const bp = levelFactor('pb');
/** Sales-to-price 1/PS_t. */
export const sp = levelFactor('ps');
/** Dividend yield DY_t. */
export const dy = levelFactor('dividendYield');
/** 1/PE as a midrank percentile of its trailing 732 trading days. */
export const epPct3y = percentileFactor('pe');
/** 1/PB as a midrank percentile of its trailing 732 trading days. */
export const bpPct3y = percentileFactor('pb');
/** 1/PS as a midrank percentile of its trailing 732 trading days. */
export const spPct3y = percentileFactor('ps');
/** DY as a midrank percentile of its trailing 732 trading days. */
export const dyPct3y = percentileFactor('dividendYield');

/** Months in the 5-year percentile window of the month-end PE. */
export const PCT_WINDOW_5Y_MONTHS = 60;

const PIT_MONTH_END = 'Reads month-end values of months <= m(t) only; m(t) = month of t if t is the last trading day of its month (monthly data: always), else the month before.';

type MonthKernel = (x: (field: MonthEndField) => (m: number, j: number) => number, m: number, j: number) => number;

/** Per (rebalance date, industry): value = kernel(month-end reader, m(t), j); NaN cells counted with `reason`. */
function monthEndFactor(spec: Parameters<typeof defineFactor>[0], reason: string, kernel: MonthKernel): FactorDefinition {
  return defineFactor(spec, (ctx: FactorContext) => {
    const J = ctx.industries.length, K = ctx.dates.length;
    const readers = new Map<MonthEndField, (m: number, j: number) => number>();
    const read = (field: MonthEndField) => {
      let r = readers.get(field);
      if (!r) { const x = monthEndField(ctx, field); r = (m, j) => monthEndAt(x, J, m, j); readers.set(field, r); }
      return r;
    };
    const out = new Float64Array(K * J).fill(NaN);
    for (let k = 0; k < K; k++) {
      const m = knownMonth(ctx, ctx.rows[k]);
      for (let j = 0; j < J; j++) {
        const v = kernel(read, m, j);
        if (Number.isFinite(v)) out[k * J + j] = v;
        else ctx.miss(k, j, reason);
      }
    }
    return out;
  });
}

/**
 * 1/PE of the latest known month end as a midrank percentile of the industry's own trailing 60
 * month ends (months m−59..m): n = #valid, pct = (#{y_s < y_m} + (#{y_s = y_m} − 1)/2)/(n − 1);
 * NaN unless y_m is valid and n >= 48 (80% of 60). 1 = cheapest in 5 years.
 */
export const epPct5y = monthEndFactor({
  id: 'ep_pct_5y', family: 'valuation',
  definition: 'Industry earnings yield (1/PE, month end) as a percentile of its own trailing 5 years of month ends (1 = cheapest in 5 years).',
  formula: 'y_s = 1/PE_s at month ends s = m−59..m (PE <= 0 masked); (#{y_s < y_m} + (#{y_s = y_m} − 1)/2) / (n − 1), n >= 48',
  inputs: ['monthEnd.pe'], lookback: { value: PCT_WINDOW_5Y_MONTHS - 1, unit: 'months' }, direction: 1, pointInTime: PIT_MONTH_END,
}, 'PE missing at the month end or fewer than 48 of 60 month ends in the window', (read, m, j) => {
  const pe = read('pe');
  const now = pe(m, j);
  if (!(now > 0)) return NaN;
  const y = 1 / now;
  let below = 0, equal = 0, n = 0;
  for (let s = m - PCT_WINDOW_5Y_MONTHS + 1; s <= m; s++) {
    const p = pe(s, j);
    if (!(p > 0)) continue;
    const v = 1 / p;
    n++;
    if (v < y) below++;
    else if (v === y) equal++;
  }
  if (n < Math.ceil(MIN_WINDOW_SHARE * PCT_WINDOW_5Y_MONTHS) || n < 2) return NaN;
  return (below + (equal - 1) / 2) / (n - 1);
});

function peChange(months: 1 | 3 | 12): FactorDefinition {
  return monthEndFactor({
    id: `pe_chg_${months}m`, family: 'valuation',
    definition: `Change of the industry PE-TTM over the last ${months} month${months > 1 ? 's' : ''} (month end to month end; re-rating, expected to mean-revert).`,
    formula: `PE_m / PE_{m−${months}} − 1  (month ends, calendar months; PE <= 0 masked)`,
    inputs: ['monthEnd.pe'], lookback: { value: months, unit: 'months' }, direction: -1, pointInTime: PIT_MONTH_END,
  }, `PE missing at month end m or m−${months}`, (read, m, j) => {
    const pe = read('pe');
    const a = pe(m - months, j), b = pe(m, j);
    return a > 0 && b > 0 ? b / a - 1 : NaN;
  });
}

/** PE-TTM change over 1 calendar month: PE_m/PE_{m−1} − 1. */
export const peChg1m = peChange(1);
/** PE-TTM change over 3 calendar months: PE_m/PE_{m−3} − 1. */
export const peChg3m = peChange(3);
/** PE-TTM change over 12 calendar months: PE_m/PE_{m−12} − 1. */
export const peChg12m = peChange(12);

const BM_PIT = 'Reads the BE/ME row known at month m(t): the French annual row of year Y (BE of fiscal year Y−1 over ME of December Y−1) is placed from the July-Y month end to June Y+1, one month after Fama-French use it (end of June Y).';

/** Aggregate book-to-market BE/ME (sum of BE / sum of ME) known at month m. */
export const bm = monthEndFactor({
  id: 'bm', family: 'valuation',
  definition: 'Industry aggregate book-to-market (sum of book equity / sum of market equity), the latest annual value known at the date.',
  formula: 'BE/ME_m  (annual, held from July of year Y to June of Y+1)',
  inputs: ['monthEnd.bookToMarket'], lookback: { value: 0, unit: 'months' }, direction: 1, pointInTime: BM_PIT,
}, 'BE/ME missing at the month end', (read, m, j) => read('bookToMarket')(m, j));

/** Year-on-year log change of BE/ME: ln(BM_m / BM_{m−12}). */
export const bmChg1y = monthEndFactor({
  id: 'bm_chg_1y', family: 'valuation',
  definition: 'Change of the industry aggregate book-to-market against the value known 12 months earlier (cheapening = up).',
  formula: 'ln(BE/ME_m / BE/ME_{m−12})',
  inputs: ['monthEnd.bookToMarket'], lookback: { value: 12, unit: 'months' }, direction: 1, pointInTime: BM_PIT,
}, 'BE/ME missing at month end m or m−12', (read, m, j) => {
  const x = read('bookToMarket');
  const a = x(m - 12, j), b = x(m, j);
  return a > 0 && b > 0 ? Math.log(b / a) : NaN;
});

/** Log average firm size ln(S_m). */
export const sizeAvgFirm = monthEndFactor({
  id: 'size_avg_firm', family: 'valuation',
  definition: 'Log average firm size (market cap) of the industry\'s members at the month end; small-firm industries expected to outperform.',
  formula: 'ln(S_m),  S = average firm size (USD millions)',
  inputs: ['monthEnd.avgFirmSize'], lookback: { value: 0, unit: 'months' }, direction: -1, pointInTime: PIT_MONTH_END,
}, 'average firm size missing or <= 0 at the month end', (read, m, j) => {
  const v = read('avgFirmSize')(m, j);
  return v > 0 ? Math.log(v) : NaN;
});

/** 12-month log change of the number of firms: ln(N_m / N_{m−12}). */
export const numFirmsChg1y = monthEndFactor({
  id: 'num_firms_chg_1y', family: 'growth',
  definition: 'Change of the number of firms in the industry over 12 months (net entry: issuance waves expected to underperform).',
  formula: 'ln(N_m / N_{m−12})',
  inputs: ['monthEnd.numFirms'], lookback: { value: 12, unit: 'months' }, direction: -1, pointInTime: PIT_MONTH_END,
}, 'number of firms missing or 0 at month end m or m−12', (read, m, j) => {
  const x = read('numFirms');
  const a = x(m - 12, j), b = x(m, j);
  return a > 0 && b > 0 ? Math.log(b / a) : NaN;
});

/** The valuation factors, in dictionary order. */
export function valuationFactors(): FactorDefinition[] {
  return [ep, bp, sp, dy, epPct3y, bpPct3y, spPct3y, dyPct3y, epPct5y, peChg1m, peChg3m, peChg12m, bm, bmChg1y, sizeAvgFirm, numFirmsChg1y];
}
