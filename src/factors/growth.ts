/**
 * Growth industry factors: single-quarter growth of the industry's constituents, aggregated as
 * sums over the members (as of the date) whose current and comparison reports are both known
 * by the date (see constituents.ts for the point-in-time rules):
 *
 *   growth_j(t) = (Σ_{s∈j} x_s(P_s) − Σ_{s∈j} x_s(P_s − L)) / |Σ_{s∈j} x_s(P_s − L)|
 *
 * with P_s the stock's latest announced quarter and L = 4 (YoY) or 1 (QoQ). Summing before dividing
 * weights each stock by its size and keeps the ratio defined when single stocks have tiny or
 * negative bases (SWS: "(current − base)/|base|").
 */
import type { FundamentalRecord } from '../data/types.js';
import { cached, defineFactor, type FactorContext } from './engine.js';
import { constituents, fundamentalState } from './constituents.js';
import type { FactorDefinition } from './types.js';

/** Loss reasons shared by the constituent-based factors. */
export const NO_CONSTITUENT_REPORTS = 'no constituent with the required reports known by the date';
/** Loss reason: no stock is a member of the industry on the date. */
export const NO_MEMBERS = 'industry has no constituents on the date';
/** Loss reason: the industry sum in a ratio's denominator is zero or negative. */
export const BAD_DENOMINATOR = 'industry sum in the denominator is zero or negative';

type NumField = 'revenue' | 'netProfit' | 'grossProfit' | 'operatingCashFlow' | 'equity';

/**
 * One numeric field of every fundamental record as a column (column[r] = records[r][field], NaN
 * where the field is not a number), cached in the factor context: the aggregation loops read it
 * per member, month and term, and a typed column is read far faster than a property looked up by
 * name on each record. Values are unchanged, so the sums are the same bit for bit.
 */
function recordColumn(ctx: FactorContext, records: readonly FundamentalRecord[], field: NumField): Float64Array {
  return cached(ctx.cache, `fundColumn:${field}`, () => {
    const col = new Float64Array(records.length);
    for (let r = 0; r < records.length; r++) {
      const v: unknown = records[r][field];
      col[r] = typeof v === 'number' ? v : NaN;
    }
    return col;
  });
}

/**
 * Sum fields of constituents' reports per (date, industry). `terms` lists (lag, field) pairs;
 * a member contributes only if every term is a finite number, and then adds term i to sums[i].
 * `finish(sums)` gives the industry value (NaN → "denominator" reason).
 */
export function aggregateReports(
  ctx: FactorContext, terms: readonly (readonly [number, NumField])[], finish: (sums: Float64Array) => number,
): Float64Array {
  const members = constituents(ctx);
  const state = fundamentalState(ctx);
  const cols = terms.map(([, field]) => recordColumn(ctx, state.records, field));
  const K = ctx.dates.length, J = ctx.industries.length, S = members.stocks.length, M = terms.length;
  const out = new Float64Array(K * J).fill(NaN);
  const sums = new Float64Array(J * M);
  const used = new Int32Array(J), present = new Int32Array(J);
  const vals = new Float64Array(M);
  for (let k = 0; k < K; k++) {
    sums.fill(0); used.fill(0); present.fill(0);
    for (let s = 0; s < S; s++) {
      const j = members.codes[k * S + s];
      if (j < 0) continue;
      present[j]++;
      let ok = true;
      for (let m = 0; m < M && ok; m++) {
        const r = state.lag[terms[m][0]][k * S + s];
        if (r < 0) { ok = false; break; }
        const v = cols[m][r];
        if (!Number.isFinite(v)) ok = false;
        vals[m] = v;
      }
      if (!ok) continue;
      used[j]++;
      for (let m = 0; m < M; m++) sums[j * M + m] += vals[m];
    }
    for (let j = 0; j < J; j++) {
      if (present[j] === 0) { ctx.miss(k, j, NO_MEMBERS); continue; }
      if (used[j] === 0) { ctx.miss(k, j, NO_CONSTITUENT_REPORTS); continue; }
      const v = finish(sums.subarray(j * M, (j + 1) * M));
      if (Number.isFinite(v)) out[k * J + j] = v;
      else ctx.miss(k, j, BAD_DENOMINATOR);
    }
  }
  return out;
}

const PIT_FUND = 'Members as of t (membership valid on t); only reports announced on or before t (announceDate <= t), each period at its latest version announced by t; stocks whose latest period ended > 400 days before t are left out.';
const INPUTS = Object.freeze(['fundamentals', 'membership'] as const);

/** (a − b)/|b|, NaN when b = 0. */
function relChange(sums: Float64Array): number {
  return sums[1] !== 0 ? (sums[0] - sums[1]) / Math.abs(sums[1]) : NaN;
}

function growthFactor(id: string, field: NumField, lag: 1 | 4, label: string): FactorDefinition {
  const sym = field === 'netProfit' ? 'NP' : 'Rev';
  return defineFactor({
    id, family: 'growth',
    definition: `Industry single-quarter ${label} growth ${lag === 4 ? 'year on year' : 'quarter on quarter'}: constituents' latest announced quarter against ${lag === 4 ? 'the same quarter a year earlier' : 'the previous quarter'}, summed over members.`,
    formula: `(Σ_s ${sym}_s(P_s) − Σ_s ${sym}_s(P_s − ${lag})) / |Σ_s ${sym}_s(P_s − ${lag})|, over members s with both quarters known; P_s = latest announced quarter`,
    inputs: INPUTS, lookback: { value: lag + 1, unit: 'quarters' }, direction: 1, pointInTime: PIT_FUND,
  }, (ctx) => aggregateReports(ctx, [[0, field], [lag, field]], relChange));
}

/** Single-quarter net profit YoY (industry sums). */
export const npYoyQ = growthFactor('np_yoy_q', 'netProfit', 4, 'net profit');
/** Single-quarter net profit QoQ (industry sums; SWS growth factor). */
export const npQoqQ = growthFactor('np_qoq_q', 'netProfit', 1, 'net profit');
/** Single-quarter revenue YoY (industry sums). */
export const revYoyQ = growthFactor('rev_yoy_q', 'revenue', 4, 'revenue');

/** Single-quarter gross margin YoY change: ΣGP(P)/ΣRev(P) − ΣGP(P−4)/ΣRev(P−4). */
export const gmYoyChgQ = defineFactor({
  id: 'gm_yoy_chg_q', family: 'growth',
  definition: 'Change of the industry single-quarter gross margin against the same quarter a year earlier (SWS growth factor).',
  formula: 'ΣGP_s(P_s)/ΣRev_s(P_s) − ΣGP_s(P_s − 4)/ΣRev_s(P_s − 4), over members s with both quarters known',
  inputs: INPUTS, lookback: { value: 5, unit: 'quarters' }, direction: 1, pointInTime: PIT_FUND,
}, (ctx) => aggregateReports(ctx, [[0, 'grossProfit'], [0, 'revenue'], [4, 'grossProfit'], [4, 'revenue']],
  (s) => (s[1] > 0 && s[3] > 0 ? s[0] / s[1] - s[2] / s[3] : NaN)));

/** The growth factors, in dictionary order. */
export function growthFactors(): FactorDefinition[] {
  return [npYoyQ, npQoqQ, revYoyQ, gmYoyChgQ];
}
