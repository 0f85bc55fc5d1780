/**
 * Month-end measurement: every planted factor computed from data observable at the month end
 * (formulas in FACTOR_DEFINITIONS), the planted drift of the next month (signals.ts), and the
 * SIM500 benchmark weights. Nothing here reads a value dated after the month end: prices and
 * turnover up to t, reports with announcement day <= t, forecasts dated <= t.
 */
import { consensusAt } from './analysts.js';
import { INDUSTRY_FACTORS, STOCK_FACTORS, SWITCH_OFF_FACTOR, type IndustryFactorName } from './config.js';
import {
  IC_SCALE_INDUSTRY, IC_SCALE_STOCK, LATENT, REGIMES, STOCK_MIN_HISTORY, TRADING_DAYS_PER_YEAR,
} from './model.js';
import { plantedDrift } from './signals.js';
import { industryOf, type SimState } from './state.js';

/** Human-readable formula of each planted factor (copied into truth.factorDefinitions). */
export const FACTOR_DEFINITIONS: Readonly<Record<string, string>> = Object.freeze({
  momentum_12_1: 'close(me[m-1]) / close(me[m-12]) - 1, industry index closes at month ends me[k]',
  momentum_1m: 'close(me[m]) / close(me[m-1]) - 1',
  analyst_fy2_revision_3m: '(S_t - S_b) / |S_b|; S_t = sum over constituents at t having both values of consensus(i, Y, t), S_b = same stocks\' consensus(i, Y, me[m-3]); Y = year(t) + 1; consensus = mean over brokers of each broker\'s latest forecast for Y dated <= the date and at most 180 calendar days old',
  growth_np_yoy: 'sum_i (NP_i,P_i - NP_i,P_i-4q) / sum_i |NP_i,P_i-4q| over constituents at t, P_i = the latest single quarter announced by t',
  quality_roe: 'sum_i TTM NP_i / sum_i equity_i,P_i over constituents at t with 4 announced quarters (TTM = the last 4 announced single quarters)',
  valuation_pb_percentile: '(#{k: pb_k < pb_m} + (#{k: pb_k = pb_m} - 1) / 2) / (n - 1) over the non-NaN month-end PBs of months max(0, m-35)..m, n >= 12, m >= 11',
  hf_last30_return: 'sum over the trading days of month m of (close of the 15:00 bar / close of the 14:30 bar - 1), industry intraday bars',
  turnover_crowding: 'mean(turnover over the last 20 trading days up to t) / mean(turnover over the last 120 trading days up to t)',
  'stock.value_bp': 'equity of the latest announced quarter / total market cap at t',
  'stock.growth_np_yoy': '(NP_P - NP_P-4q) / |NP_P-4q|, P = the latest single quarter announced by t (NaN if the base is 0)',
  'stock.reversal_1m': 'close(t) / close(me[m-1]) - 1',
  'stock.volatility_60d': 'sample std (ddof 1) of daily close-to-close returns over the 60 trading days ending at t (>= 40 valid)',
  'stock.universe': 'listed at t and for at least 60 trading days (t - listDay >= 60)',
});

/** Measure factors at the end of trading month m, set the next month's drifts, store the truth. */
export function monthEnd(s: SimState, m: number): void {
  const fI = measureIndustryFactors(s, m);
  const fS = measureStockFactors(s, m);
  plantDrifts(s, m, fI, fS.values, fS.use);
  benchmarkWeights(s, m);
}

function measureIndustryFactors(s: SimState, m: number): Float64Array[] {
  const { uni, cal, out, fund, dyn, lat } = s;
  const J = uni.J, N = uni.N, nQ = cal.nQuarters;
  const tEnd = cal.months[m].last;
  const f = INDUSTRY_FACTORS.map(() => new Float64Array(J).fill(NaN));
  const F = (name: IndustryFactorName): Float64Array => f[INDUSTRY_FACTORS.indexOf(name)];
  const closeAt = (mm: number, j: number): number => out.iClose[cal.months[mm].last * J + j];
  for (let j = 0; j < J; j++) {
    if (m >= 12) F('momentum_12_1')[j] = closeAt(m - 1, j) / closeAt(m - 12, j) - 1;
    if (m >= 1) F('momentum_1m')[j] = closeAt(m, j) / closeAt(m - 1, j) - 1;
    F('hf_last30_return')[j] = dyn.hfSum[j];
    if (tEnd >= 119) {
      let s20 = 0, s120 = 0;
      for (let t = tEnd - 119; t <= tEnd; t++) {
        const v = out.iTurn[t * J + j];
        s120 += v;
        if (t > tEnd - 20) s20 += v;
      }
      F('turnover_crowding')[j] = s20 / 20 / (s120 / 120);
    }
    if (m >= 11) {
      const pbNow = out.iPb[tEnd * J + j];
      if (!Number.isNaN(pbNow)) {
        let n = 0, less = 0, eq = 0;
        for (let k = Math.max(0, m - 35); k <= m; k++) {
          const v = out.iPb[cal.months[k].last * J + j];
          if (Number.isNaN(v)) continue;
          n++;
          if (v < pbNow) less++; else if (v === pbNow) eq++;
        }
        if (n >= 12) F('valuation_pb_percentile')[j] = (less + (eq - 1) / 2) / (n - 1);
      }
    }
  }
  const yEnd = Number(cal.monthEnds[m].slice(0, 4));
  for (let i = 0; i < N; i++) {
    if (tEnd < uni.listDay[i] || tEnd > uni.delistDay[i]) continue;
    s.fc.cons2[m * N + i] = consensusAt(s, i, yEnd + 1, tEnd);
    s.fc.cons3[m * N + i] = consensusAt(s, i, yEnd + 2, tEnd);
  }
  const baseSameYear = m >= 3 && Number(cal.monthEnds[m - 3].slice(0, 4)) === yEnd;
  const sNow = new Float64Array(J), sBase = new Float64Array(J), nRev = new Int32Array(J);
  const gD = new Float64Array(J), gB = new Float64Array(J), nG = new Int32Array(J);
  const rN = new Float64Array(J), rE = new Float64Array(J), nR = new Int32Array(J);
  for (let i = 0; i < N; i++) {
    if (tEnd < uni.listDay[i] || tEnd > uni.delistDay[i]) continue;
    const j = industryOf(uni, i, tEnd);
    if (m >= 3) {
      const now = s.fc.cons2[m * N + i];
      const bse = baseSameYear ? s.fc.cons2[(m - 3) * N + i] : s.fc.cons3[(m - 3) * N + i];
      if (!Number.isNaN(now) && !Number.isNaN(bse)) { sNow[j] += now; sBase[j] += bse; nRev[j]++; }
    }
    const q = fund.latest[i], b = i * nQ;
    if (q >= 4) { gD[j] += fund.np[b + q] - fund.np[b + q - 4]; gB[j] += Math.abs(fund.np[b + q - 4]); nG[j]++; }
    if (q >= 3) { rN[j] += fund.ttmNp[i]; rE[j] += fund.eq[b + q]; nR[j]++; }
  }
  for (let j = 0; j < J; j++) {
    if (nRev[j] > 0 && sBase[j] !== 0) F('analyst_fy2_revision_3m')[j] = (sNow[j] - sBase[j]) / Math.abs(sBase[j]);
    if (nG[j] > 0 && gB[j] > 0) F('growth_np_yoy')[j] = gD[j] / gB[j];
    if (nR[j] > 0 && rE[j] > 0) F('quality_roe')[j] = rN[j] / rE[j];
  }
  for (let k = 0; k < f.length; k++) s.truth.indFactors[k].set(f[k], m * J);
  for (let j = 0; j < J; j++) {
    s.truth.latG[m * J + j] = lat.G[j];
    s.truth.latC[m * J + j] = lat.C[j];
    s.truth.latL[m * J + j] = lat.L[j];
  }
  return f;
}

function measureStockFactors(s: SimState, m: number): { values: Float64Array[]; use: Uint8Array } {
  const { uni, cal, out, fund } = s;
  const N = uni.N, nQ = cal.nQuarters;
  const tEnd = cal.months[m].last;
  const values = STOCK_FACTORS.map(() => new Float64Array(N).fill(NaN));
  const [value, growth, reversal, vol] = values;
  const use = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    if (tEnd < uni.listDay[i] || tEnd > uni.delistDay[i] || tEnd - uni.listDay[i] < STOCK_MIN_HISTORY) continue;
    use[i] = 1;
    const q = fund.latest[i], b = i * nQ;
    if (q >= 0) value[i] = fund.eq[b + q] / out.sTotal[tEnd * N + i];
    if (q >= 4 && fund.np[b + q - 4] !== 0) growth[i] = (fund.np[b + q] - fund.np[b + q - 4]) / Math.abs(fund.np[b + q - 4]);
    if (m >= 1) {
      const prev = out.sClose[cal.months[m - 1].last * N + i];
      if (!Number.isNaN(prev)) reversal[i] = out.sClose[tEnd * N + i] / prev - 1;
    }
  }
  // 60-day volatility, date-major for cache locality
  const s1 = new Float64Array(N), s2 = new Float64Array(N), cnt = new Int32Array(N);
  for (let t = Math.max(1, tEnd - 59); t <= tEnd; t++) {
    const b0 = (t - 1) * N, b1 = t * N;
    for (let i = 0; i < N; i++) {
      if (!use[i]) continue;
      const p0 = out.sClose[b0 + i], p1 = out.sClose[b1 + i];
      if (Number.isNaN(p0) || Number.isNaN(p1)) continue;
      const r = p1 / p0 - 1;
      s1[i] += r; s2[i] += r * r; cnt[i]++;
    }
  }
  for (let i = 0; i < N; i++) {
    const n = cnt[i];
    if (use[i] && n >= 40) vol[i] = Math.sqrt(Math.max(0, (s2[i] - (s1[i] * s1[i]) / n) / (n - 1)));
  }
  for (let k = 0; k < values.length; k++) s.truth.stockFactors[k].set(values[k], m * N);
  return { values, use };
}

/**
 * Expected cross-sectional dispersion of next month's returns, from the model state at the month
 * end (n = trading days of the next month, v = GARCH multipliers, halfway back to 1):
 *   sigma_ind^2   = n (mean_j sigma_j^2 k_s^2 (v_j + 1)/2 + var(beta) sigma_s^2 (vM + 1)/2) + var(news_j)
 *   sigma_stock^2 = n mean_i sigma_i^2 k_s^2 (v_i + 1)/2 + var(news_i) + sigma_ind^2
 * and the drifts d = plantedDrift(factors, ic*, sigma) (signals.ts); the stock drift is built within
 * industries (cap-weighted demeaned scores) so the daily re-centring on the index leaves it intact.
 */
function plantDrifts(s: SimState, m: number, fI: Float64Array[], fS: Float64Array[], useS: Uint8Array): void {
  const { uni, cal, dyn, cfg } = s;
  const J = uni.J, N = uni.N;
  const nM = cal.months.length;
  const nNext = m + 1 < nM ? cal.months[m + 1].last - cal.months[m + 1].first + 1 : 21;
  const Rg = REGIMES[dyn.regime];
  const sigM = Rg.annualVol / Math.sqrt(TRADING_DAYS_PER_YEAR);
  let idioVar = 0;
  for (let j = 0; j < J; j++) idioVar += ((uni.sigU[j] * Rg.idioMult) ** 2 * (dyn.vU[j] + 1)) / 2 / J;
  const newsVar = (LATENT.industryGrowthDuration * LATENT.growth.sd) ** 2 * (1 - LATENT.growth.phi ** 2);
  const sigInd2 = nNext * (idioVar + (uni.varBeta * sigM * sigM * (dyn.vM + 1)) / 2) + newsVar;
  const icInd = INDUSTRY_FACTORS.map((f) =>
    f === SWITCH_OFF_FACTOR && m >= s.truth.switchMonth ? 0 : cfg.plantedIc[f] * cfg.signalStrength * IC_SCALE_INDUSTRY);
  const dI = plantedDrift(fI, new Uint8Array(J).fill(1), icInd, Math.sqrt(sigInd2));
  dyn.driftInd.set(dI.drift);
  s.truth.indDrift.set(dI.drift, m * J);

  let stockVar = 0, nUse = 0;
  for (let i = 0; i < N; i++) {
    if (!useS[i]) continue;
    nUse++;
    stockVar += ((uni.sigE[i] * Rg.idioMult) ** 2 * (dyn.vE[i] + 1)) / 2;
  }
  const stockNewsVar = LATENT.earningsShock ** 2 + (LATENT.stockGrowthDuration * LATENT.stockGrowth.sd) ** 2 * (1 - LATENT.stockGrowth.phi ** 2);
  const sigStock = Math.sqrt((nUse > 0 ? (nNext * stockVar) / nUse + stockNewsVar : 0) + sigInd2);
  const icS = STOCK_FACTORS.map((f) => cfg.stockPlantedIc[f] * cfg.signalStrength * IC_SCALE_STOCK);
  const group = new Int32Array(N), weight = new Float64Array(N);
  const tEnd = cal.months[m].last;
  for (let i = 0; i < N; i++) {
    if (!useS[i]) continue;
    group[i] = industryOf(uni, i, tEnd);
    weight[i] = s.out.sFloat[tEnd * N + i];
  }
  const dS = plantedDrift(fS, useS, icS, sigStock, { group, weight, nGroups: J });
  dyn.driftStock.set(dS.drift);
  s.truth.stockDrift.set(dS.drift, m * N);
}

/**
 * SIM500 at the month end: eligible = listed, not suspended at t and (if an IPO) listed >= 63 trading
 * days; ranked by free-float cap, skip the top round(6% L), take the next min(nominal, floor(L/2))
 * (nominal = benchmarkSize, at most nStocks / 2 when nStocks < 1000); weights proportional to
 * free-float cap, capped at 10% (excess redistributed pro rata), summing to 1.
 */
function benchmarkWeights(s: SimState, m: number): void {
  const { uni, cal, out, cfg } = s;
  const N = uni.N, tEnd = cal.months[m].last;
  const elig: number[] = [];
  for (let i = 0; i < N; i++) {
    if (tEnd < uni.listDay[i] || tEnd > uni.delistDay[i] || !(out.sVol[tEnd * N + i] > 0)) continue;
    if (uni.listDay[i] > 0 && tEnd - uni.listDay[i] < 63) continue;
    elig.push(i);
  }
  const L = elig.length;
  const nominal = N < 1000 ? Math.min(cfg.benchmarkSize, Math.floor(N / 2)) : cfg.benchmarkSize;
  const nMem = Math.min(nominal, Math.floor(L / 2));
  if (nMem < 10) return;
  elig.sort((p, q) => out.sFloat[tEnd * N + q] - out.sFloat[tEnd * N + p] || p - q);
  const skip = Math.round(0.06 * L);
  const mem = elig.slice(skip, skip + nMem).sort((p, q) => p - q);
  const w = mem.map((i) => out.sFloat[tEnd * N + i]);
  capWeights(w, 0.1);
  const date = cal.dates[tEnd];
  for (let k = 0; k < mem.length; k++) out.indexWeights.push({ date, index: 'SIM500', stock: uni.stockCodes[mem[k]], weight: w[k] });
}

/**
 * Normalize weights to sum 1 with every weight <= cap: clip, redistribute the excess over the
 * uncapped names pro rata, repeat. In place. (No cap when cap * n < 1.)
 */
export function capWeights(w: number[], cap: number): void {
  let tot = 0;
  for (const v of w) tot += v;
  for (let k = 0; k < w.length; k++) w[k] /= tot;
  if (cap * w.length < 1) return;
  for (let iter = 0; iter < 50; iter++) {
    let excess = 0, free = 0;
    for (let k = 0; k < w.length; k++) {
      if (w[k] > cap) { excess += w[k] - cap; w[k] = cap; } else if (w[k] < cap) free += w[k];
    }
    if (excess <= 1e-15 || free <= 0) break;
    for (let k = 0; k < w.length; k++) if (w[k] < cap) w[k] += excess * (w[k] / free);
  }
  let sum = 0;
  for (const v of w) sum += v;
  for (let k = 0; k < w.length; k++) w[k] /= sum;
}
