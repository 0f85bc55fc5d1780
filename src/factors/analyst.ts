/**
 * Analyst industry factors from broker forecasts of constituents' annual net profit (point in
 * time: a forecast is known from its forecastDate). Consensus of a stock for fiscal year Y at date
 * q = mean over brokers of each broker's latest forecast of Y dated in [q − 180 days, q]; FY1/FY2
 * are relative to the rebalance date t (FY1 = year(t), FY2 = year(t) + 1).
 * Industry values sum over the members as of t.
 */
import { defineFactor, type FactorContext } from './engine.js';
import {
  CONSENSUS_WINDOW_DAYS, constituents, consensusInto, coverageAt, dayNumber, fiscalYear1, forecastState, monthsBefore,
  newConsensusScratch, upperBound,
} from './constituents.js';
import { NO_MEMBERS } from './growth.js';
import type { FactorDefinition } from './types.js';

const INPUTS = Object.freeze(['forecasts', 'membership'] as const);
const PIT = `Members as of t; only forecasts dated on or before the query date (t, or t − N months), each broker's latest within ${CONSENSUS_WINDOW_DAYS} days.`;

/** Per (date, industry) loop over the members, with the "no members" reason handled. */
function perIndustry(
  ctx: FactorContext,
  visit: (k: number, s: number, j: number) => void,
  finish: (k: number, j: number) => number | string,
  reset: () => void,
): Float64Array {
  const members = constituents(ctx);
  const K = ctx.dates.length, J = ctx.industries.length, S = members.stocks.length;
  const out = new Float64Array(K * J).fill(NaN);
  const present = new Int32Array(J);
  for (let k = 0; k < K; k++) {
    reset();
    present.fill(0);
    for (let s = 0; s < S; s++) {
      const j = members.codes[k * S + s];
      if (j < 0) continue;
      present[j]++;
      visit(k, s, j);
    }
    for (let j = 0; j < J; j++) {
      if (present[j] === 0) { ctx.miss(k, j, NO_MEMBERS); continue; }
      const v = finish(k, j);
      if (typeof v === 'string') ctx.miss(k, j, v);
      else if (Number.isFinite(v)) out[k * J + j] = v;
      else ctx.miss(k, j, 'industry sum in the denominator is zero');
    }
  }
  return out;
}

function revisionFactor(fyOffset: 0 | 1, months: 1 | 3): FactorDefinition {
  const fy = fyOffset === 0 ? 'FY1' : 'FY2';
  return defineFactor({
    id: `${fy.toLowerCase()}_rev_${months}m`, family: 'analyst',
    definition: `Revision of the industry ${fy} consensus net profit over ${months} month${months > 1 ? 's' : ''}${fyOffset === 1 && months === 3 ? ' (the SWS consensus-revision factor)' : ''}.`,
    formula: `Y = ${fy}(t) = year(t)${fyOffset === 1 ? ' + 1' : ''}; C_s(q) = mean over brokers of their latest forecast of Y in [q − 180d, q]; (Σ_s C_s(t) − Σ_s C_s(t − ${months}M)) / |Σ_s C_s(t − ${months}M)|, over members s with both`,
    inputs: INPUTS, lookback: { value: months + 6, unit: 'months' }, direction: 1, pointInTime: PIT,
  }, (ctx) => {
    const st = forecastState(ctx);
    const J = ctx.industries.length;
    const scratch = newConsensusScratch(st.nBrokers);
    const c0 = new Float64Array(3), c1 = new Float64Array(3);
    const s0 = new Float64Array(J), s1 = new Float64Array(J), used = new Int32Array(J);
    let day0 = 0, day1 = 0, year = 0, lastK = -1;
    return perIndustry(ctx, (k, s, j) => {
      if (k !== lastK) {
        lastK = k; day0 = dayNumber(ctx.dates[k]); day1 = monthsBefore(ctx.dates[k], months); year = fiscalYear1(ctx.dates[k]) + fyOffset;
      }
      consensusInto(st, s, day0, year, scratch, c0);
      if (!(c0[2] > 0)) return;
      consensusInto(st, s, day1, year, scratch, c1);
      if (!(c1[2] > 0)) return;
      s0[j] += c0[0]; s1[j] += c1[0]; used[j]++;
    }, (_k, j) => {
      if (used[j] === 0) return `no member with a ${fy} consensus at both t and t − ${months}M`;
      return s1[j] !== 0 ? (s0[j] - s1[j]) / Math.abs(s1[j]) : NaN;
    }, () => { s0.fill(0); s1.fill(0); used.fill(0); });
  });
}

/** FY1 consensus revision over 1 month: (ΣC(t) − ΣC(t − 1M))/|ΣC(t − 1M)|, Y = year(t). */
export const fy1Rev1m = revisionFactor(0, 1);
/** FY1 consensus revision over 3 months: (ΣC(t) − ΣC(t − 3M))/|ΣC(t − 3M)|, Y = year(t). */
export const fy1Rev3m = revisionFactor(0, 3);
/** FY2 consensus revision over 1 month: (ΣC(t) − ΣC(t − 1M))/|ΣC(t − 1M)|, Y = year(t) + 1. */
export const fy2Rev1m = revisionFactor(1, 1);
/** FY2 consensus revision over 3 months (SWS): (ΣC(t) − ΣC(t − 3M))/|ΣC(t − 3M)|, Y = year(t) + 1. */
export const fy2Rev3m = revisionFactor(1, 3);

/** Upgrade share: #upgrades / (#upgrades + #downgrades) among members' FY1/FY2 forecast changes dated in (t − 3M, t]. */
export const upgradeShare3m = defineFactor({
  id: 'upgrade_share_3m', family: 'analyst',
  definition: 'Share of upgrades among the forecast changes of the industry\'s members over the last 3 months (FY1 and FY2 net profit).',
  formula: 'change = sign(forecast − the same broker\'s previous forecast of the same stock and year within 365d); #up / (#up + #down) over members\' FY1/FY2 forecasts dated in (t − 3M, t]',
  inputs: INPUTS, lookback: { value: 15, unit: 'months' }, direction: 1, pointInTime: PIT,
}, (ctx) => {
  const st = forecastState(ctx);
  const J = ctx.industries.length;
  const up = new Int32Array(J), down = new Int32Array(J);
  let day0 = 0, day1 = 0, fy1 = 0, lastK = -1;
  return perIndustry(ctx, (k, s, j) => {
    if (k !== lastK) { lastK = k; day0 = dayNumber(ctx.dates[k]); day1 = monthsBefore(ctx.dates[k], 3); fy1 = fiscalYear1(ctx.dates[k]); }
    const lo = upperBound(st.day, st.start[s], st.start[s + 1], day1);
    const hi = upperBound(st.day, lo, st.start[s + 1], day0);
    for (let r = lo; r < hi; r++) {
      if (st.fy[r] !== fy1 && st.fy[r] !== fy1 + 1) continue;
      const c = st.change[r];
      if (c > 0) up[j]++;
      else if (c < 0) down[j]++;
    }
  }, (_k, j) => (up[j] + down[j] > 0 ? up[j] / (up[j] + down[j]) : 'no upgrade or downgrade by members in the window'),
  () => { up.fill(0); down.fill(0); });
});

/** Coverage change: Σ_s brokers_s(t) / Σ_s brokers_s(t − 3M) − 1, brokers_s(q) = distinct brokers forecasting s in [q − 180d, q]. */
export const coverageChg3m = defineFactor({
  id: 'coverage_chg_3m', family: 'analyst',
  definition: 'Change of analyst coverage of the industry\'s members over 3 months (distinct brokers per stock, summed).',
  formula: 'B_s(q) = #distinct brokers with a forecast of s dated in [q − 180d, q]; Σ_s B_s(t) / Σ_s B_s(t − 3M) − 1 over members as of t',
  inputs: INPUTS, lookback: { value: 9, unit: 'months' }, direction: 1, pointInTime: PIT,
}, (ctx) => {
  const st = forecastState(ctx);
  const J = ctx.industries.length;
  const scratch = newConsensusScratch(st.nBrokers);
  const b0 = new Float64Array(J), b1 = new Float64Array(J);
  let day0 = 0, day1 = 0, lastK = -1;
  return perIndustry(ctx, (k, s, j) => {
    if (k !== lastK) { lastK = k; day0 = dayNumber(ctx.dates[k]); day1 = monthsBefore(ctx.dates[k], 3); }
    b0[j] += coverageAt(st, s, day0, scratch);
    b1[j] += coverageAt(st, s, day1, scratch);
  }, (_k, j) => (b1[j] > 0 ? b0[j] / b1[j] - 1 : 'no member covered by any broker 3 months earlier'),
  () => { b0.fill(0); b1.fill(0); });
});

/** Forecast dispersion: Σ_s sd_s / Σ_s |C_s| over members with >= 2 brokers' FY1 forecasts. */
export const fy1Dispersion = defineFactor({
  id: 'fy1_dispersion', family: 'analyst',
  definition: 'Disagreement among brokers on the industry\'s FY1 net profit: cross-broker standard deviation relative to the consensus, summed over members.',
  formula: 'Σ_s sd_brokers(F_s) / Σ_s |mean_brokers(F_s)|, F_s = each broker\'s latest FY1 forecast of s in [t − 180d, t], members with >= 2 brokers',
  inputs: INPUTS, lookback: { value: 6, unit: 'months' }, direction: -1, pointInTime: PIT,
}, (ctx) => {
  const st = forecastState(ctx);
  const J = ctx.industries.length;
  const scratch = newConsensusScratch(st.nBrokers);
  const c = new Float64Array(3);
  const sd = new Float64Array(J), ab = new Float64Array(J), used = new Int32Array(J);
  let day0 = 0, fy1 = 0, lastK = -1;
  return perIndustry(ctx, (k, s, j) => {
    if (k !== lastK) { lastK = k; day0 = dayNumber(ctx.dates[k]); fy1 = fiscalYear1(ctx.dates[k]); }
    consensusInto(st, s, day0, fy1, scratch, c);
    if (!(c[2] >= 2)) return;
    sd[j] += c[1]; ab[j] += Math.abs(c[0]); used[j]++;
  }, (_k, j) => (used[j] === 0 ? 'no member with FY1 forecasts from at least 2 brokers' : ab[j] > 0 ? sd[j] / ab[j] : NaN),
  () => { sd.fill(0); ab.fill(0); used.fill(0); });
});

/** The analyst factors, in dictionary order. */
export function analystFactors(): FactorDefinition[] {
  return [fy1Rev1m, fy1Rev3m, fy2Rev1m, fy2Rev3m, upgradeShare3m, coverageChg3m, fy1Dispersion];
}
