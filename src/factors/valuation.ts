/**
 * Valuation industry factors from the industry index valuation ratios (industryBars.pe / pb / ps /
 * dividendYield): the level as a yield (earnings, book, sales, dividend: higher = cheaper, and
 * continuous through zero earnings, unlike PE) and the same yield as a percentile of the
 * industry's own trailing 3-year daily history.
 */
import { dailyField, defineFactor, historyReason, MISSING_WINDOW, type BarField, type FactorContext } from './engine.js';
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

/** The valuation factors, in dictionary order. */
export function valuationFactors(): FactorDefinition[] {
  return [ep, bp, sp, dy, epPct3y, bpPct3y, spPct3y, dyPct3y];
}
