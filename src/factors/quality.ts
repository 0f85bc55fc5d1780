/**
 * Quality industry factors from constituents' announced reports (point in time, see
 * constituents.ts), trailing twelve months (TTM = the latest four announced quarters P..P−3),
 * aggregated as sums over members before dividing.
 */
import { defineFactor } from './engine.js';
import { aggregateReports } from './growth.js';
import type { FactorDefinition } from './types.js';

const PIT_FUND = 'Members as of t; only reports announced on or before t (announceDate <= t), each period at its latest version announced by t; stale stocks (latest period > 400 days before t) left out.';
const INPUTS = Object.freeze(['fundamentals', 'membership'] as const);
type Field = 'revenue' | 'netProfit' | 'grossProfit' | 'operatingCashFlow' | 'equity';

function ttm(field: Field, offset = 0): [number, Field][] {
  return [0, 1, 2, 3].map((q) => [q + offset, field] as [number, Field]);
}

/** ROE (TTM): Σ_s TTM NP_s / Σ_s Equity_s(P_s). */
export const roeTtm = defineFactor({
  id: 'roe_ttm', family: 'quality',
  definition: 'Industry return on equity: constituents\' trailing-twelve-month net profit over their latest equity, summed over members.',
  formula: 'Σ_s Σ_{q=0..3} NP_s(P_s − q) / Σ_s Equity_s(P_s), over members with the four quarters known; NaN if Σ Equity <= 0',
  inputs: INPUTS, lookback: { value: 4, unit: 'quarters' }, direction: 1, pointInTime: PIT_FUND,
}, (ctx) => aggregateReports(ctx, [...ttm('netProfit'), [0, 'equity']],
  (s) => (s[4] > 0 ? (s[0] + s[1] + s[2] + s[3]) / s[4] : NaN)));

/** ROE change YoY: ROE_TTM(P) − ROE_TTM(P − 4) over the same members. */
export const roeChgYoy = defineFactor({
  id: 'roe_chg_yoy', family: 'quality',
  definition: 'Change of the industry TTM ROE against a year earlier (same members, both years known).',
  formula: 'ΣTTM NP(P)/ΣEquity(P) − ΣTTM NP(P−4)/ΣEquity(P−4), TTM NP(P) = Σ_{q=0..3} NP(P−q); members with quarters P..P−7 known',
  inputs: INPUTS, lookback: { value: 8, unit: 'quarters' }, direction: 1, pointInTime: PIT_FUND,
}, (ctx) => aggregateReports(ctx, [...ttm('netProfit'), [0, 'equity'], ...ttm('netProfit', 4), [4, 'equity']],
  (s) => (s[4] > 0 && s[9] > 0 ? (s[0] + s[1] + s[2] + s[3]) / s[4] - (s[5] + s[6] + s[7] + s[8]) / s[9] : NaN)));

/** Operating cash flow / net profit (TTM): Σ TTM OCF / Σ TTM NP, NaN when Σ TTM NP <= 0. */
export const ocfNpTtm = defineFactor({
  id: 'ocf_np_ttm', family: 'quality',
  definition: 'Earnings quality: constituents\' trailing-twelve-month operating cash flow over net profit (SWS quality factor).',
  formula: 'Σ_s Σ_{q=0..3} OCF_s(P_s − q) / Σ_s Σ_{q=0..3} NP_s(P_s − q); NaN if the net-profit sum <= 0',
  inputs: INPUTS, lookback: { value: 4, unit: 'quarters' }, direction: 1, pointInTime: PIT_FUND,
}, (ctx) => aggregateReports(ctx, [...ttm('operatingCashFlow'), ...ttm('netProfit')], (s) => {
  const np = s[4] + s[5] + s[6] + s[7];
  return np > 0 ? (s[0] + s[1] + s[2] + s[3]) / np : NaN;
}));

/** Gross margin (TTM): Σ TTM GP / Σ TTM revenue. */
export const gmTtm = defineFactor({
  id: 'gm_ttm', family: 'quality',
  definition: 'Industry gross margin: constituents\' trailing-twelve-month gross profit over revenue.',
  formula: 'Σ_s Σ_{q=0..3} GP_s(P_s − q) / Σ_s Σ_{q=0..3} Rev_s(P_s − q); NaN if the revenue sum <= 0',
  inputs: INPUTS, lookback: { value: 4, unit: 'quarters' }, direction: 1, pointInTime: PIT_FUND,
}, (ctx) => aggregateReports(ctx, [...ttm('grossProfit'), ...ttm('revenue')], (s) => {
  const rev = s[4] + s[5] + s[6] + s[7];
  return rev > 0 ? (s[0] + s[1] + s[2] + s[3]) / rev : NaN;
}));

/** The quality factors, in dictionary order. */
export function qualityFactors(): FactorDefinition[] {
  return [roeTtm, roeChgYoy, ocfNpTtm, gmTtm];
}
