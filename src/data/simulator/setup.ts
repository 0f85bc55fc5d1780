/**
 * Static set-up of a simulation: the calendar and its months, the universe (industries with betas
 * and volatilities; stocks with industry, listing, delisting, industry switch, size, beta,
 * volatility, turnover, valuation anchors; brokers and their coverage) and the initial state.
 * All draws come from the static stream createRng(mixSeed(seed, STREAM_STATIC, 0)).
 */
import { RotationError } from '../../errors.js';
import type { Rng } from '../../random.js';
import { createRng } from '../../random.js';
import { ForecastColumnsBuilder } from '../forecasts.js';
import { isoToDayNumber, simulatorCalendar } from './calendar.js';
import { INDUSTRY_FACTORS, STOCK_FACTORS, type ResolvedSimulatorConfig } from './config.js';
import { industryCode, industrySpec } from './industries.js';
import { clamp, mixSeed } from './math.js';
import { BAR_TIMES, INDUSTRY_IDIO_DAILY_VOL, LATENT, REGIME_EXIT, REGIMES, STOCK_IDIO_DAILY_VOL } from './model.js';
import {
  NEVER, STREAM_STATIC, type MonthInfo, type SimCalendar, type SimState, type Universe,
} from './state.js';

const BURN_IN_MONTHS = 36;

function poisson(rng: Rng, lambda: number): number {
  const L = Math.exp(-lambda);
  let k = 0, p = 1;
  for (;;) {
    p *= rng.uniform();
    if (p <= L) return k;
    k++;
  }
}

function shuffle(rng: Rng, a: Int32Array | number[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const r = rng.int(i + 1);
    const tmp = a[i]; a[i] = a[r]; a[r] = tmp;
  }
}

/** Daily regime transition matrix: stay 1 - 1/duration, exits split by REGIME_EXIT. */
export function transitionMatrix(): number[][] {
  return REGIMES.map((r, a) => {
    const leave = 1 / r.meanDurationDays;
    return REGIMES.map((_, b) => (a === b ? 1 - leave : leave * REGIME_EXIT[a][b]));
  });
}

/** Stationary distribution of the regime chain (power iteration). */
export function stationaryRegimeProbabilities(): number[] {
  const P = transitionMatrix();
  let pi = P.map(() => 1 / P.length);
  for (let k = 0; k < 5000; k++) pi = P.map((_, c) => pi.reduce((s, p, r) => s + p * P[r][c], 0));
  return pi;
}

/** The trading calendar, its months and the latent-month / quarter indexing. */
export function buildCalendar(cfg: ResolvedSimulatorConfig): SimCalendar {
  const dates = simulatorCalendar(cfg.startDate, cfg.years);
  const T = dates.length;
  if (T < 130) {
    throw new RotationError('SIM_CONFIG', `History of ${T} trading days is too short`, { option: 'years', value: cfg.years },
      'simulate at least about 6 months (years >= 0.5); the 12-1 momentum needs more than a year');
  }
  const dayNum = new Float64Array(T);
  for (let t = 0; t < T; t++) dayNum[t] = isoToDayNumber(dates[t]);
  const months: MonthInfo[] = [];
  const monthOfDay = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    const am = Number(dates[t].slice(0, 4)) * 12 + Number(dates[t].slice(5, 7)) - 1;
    if (months.length === 0 || months[months.length - 1].am !== am) months.push({ am, first: t, last: t });
    months[months.length - 1].last = t;
    monthOfDay[t] = months.length - 1;
  }
  const am0 = 3 * Math.floor((months[0].am - BURN_IN_MONTHS) / 3);
  const burnIn = months[0].am - am0;
  const nLatentMonths = burnIn + months.length;
  const yearFirst = Number(dates[0].slice(0, 4));
  const yearLast = Number(dates[T - 1].slice(0, 4));
  let reseedFromAm = Infinity;
  if (cfg.reseed) {
    const f = cfg.reseed.from;
    reseedFromAm = Number(f.slice(0, 4)) * 12 + Number(f.slice(5, 7)) - 1 + (Number(f.slice(8, 10)) > 1 ? 1 : 0);
  }
  return {
    dates, dayNum, months, monthOfDay, monthEnds: months.map((mo) => dates[mo.last]), am0, burnIn, nLatentMonths,
    nQuarters: Math.floor((nLatentMonths - 1) / 3) + 1, yearFirst, nYears: yearLast - yearFirst + 3, reseedFromAm,
  };
}

/** Industries, stocks and brokers with their static parameters. */
export function buildUniverse(cfg: ResolvedSimulatorConfig, cal: SimCalendar, st: Rng): Universe {
  const T = cal.dates.length;
  const J = cfg.nIndustries, N = cfg.nStocks;
  const specs = Array.from({ length: J }, (_, j) => industrySpec(j));
  const indCodes = specs.map((_, j) => industryCode(j));
  const betaInd = new Float64Array(J), sigU = new Float64Array(J);
  for (let j = 0; j < J; j++) {
    betaInd[j] = specs[j].beta * Math.exp(0.04 * st.normal());
    sigU[j] = specs[j].idioMult * Math.exp(0.08 * st.normal());
  }
  let mb = 0, mu = 0;
  for (let j = 0; j < J; j++) { mb += betaInd[j] / J; mu += sigU[j] / J; }
  for (let j = 0; j < J; j++) { betaInd[j] /= mb; sigU[j] = (sigU[j] / mu) * INDUSTRY_IDIO_DAILY_VOL; }
  let varBeta = 0;
  for (let j = 0; j < J; j++) varBeta += (betaInd[j] - 1) ** 2 / J;

  // industry sizes: proportional to the spec, at least 5, summing to N
  const sizes = new Int32Array(J);
  let tot = 0, sum = 0;
  for (let j = 0; j < J; j++) tot += specs[j].size;
  for (let j = 0; j < J; j++) { sizes[j] = Math.max(5, Math.round((N * specs[j].size) / tot)); sum += sizes[j]; }
  while (sum !== N) {
    let best = 0;
    for (let j = 1; j < J; j++) if (sizes[j] > sizes[best]) best = j;
    if (sum > N) { sizes[best]--; sum--; } else { sizes[best]++; sum++; }
  }
  const ind0 = new Int32Array(N);
  let k = 0;
  for (let j = 0; j < J; j++) for (let c = 0; c < sizes[j]; c++) ind0[k++] = j;
  shuffle(st, ind0);

  // listing: at least 2 per industry on the first day, the rest IPO uniformly over the history
  const listDay = new Int32Array(N), delistDay = new Int32Array(N).fill(NEVER);
  const byInd: number[][] = Array.from({ length: J }, () => []);
  for (let i = 0; i < N; i++) byInd[ind0[i]].push(i);
  const ipoLo = Math.min(20, T - 1), ipoHi = Math.max(ipoLo, T - 21);
  for (let j = 0; j < J; j++) {
    const members = byInd[j];
    const nStart = Math.min(members.length, Math.max(2, Math.round(members.length * cfg.listedAtStartFraction)));
    for (let c = 0; c < members.length; c++) listDay[members[c]] = c < nStart ? 0 : ipoLo + st.int(ipoHi - ipoLo + 1);
  }
  // delistings: at least 250 days after listing; keep 2 first-day stocks per industry alive
  const nDelist = Math.round(N * cfg.delistFraction);
  const order = Array.from({ length: N }, (_, i) => i);
  shuffle(st, order);
  const startListed = new Int32Array(J), startDelisted = new Int32Array(J);
  for (let i = 0; i < N; i++) if (listDay[i] === 0) startListed[ind0[i]]++;
  let done = 0;
  for (const i of order) {
    if (done >= nDelist) break;
    const j = ind0[i];
    if (listDay[i] === 0 && startListed[j] - startDelisted[j] <= 2) continue;
    const lo = listDay[i] + 250, hi = T - 2;
    if (hi - lo < 20) continue;
    delistDay[i] = lo + st.int(hi - lo + 1);
    if (listDay[i] === 0) startDelisted[j]++;
    done++;
  }
  // industry switches
  const switchDay = new Int32Array(N).fill(NEVER), ind1 = new Int32Array(N);
  const nSwitch = Math.round(N * cfg.industryChangeFraction);
  let switched = 0, guard = 0;
  while (switched < nSwitch && guard++ < N * 20) {
    const i = st.int(N);
    if (switchDay[i] !== NEVER) continue;
    const lo = listDay[i] + 120, hi = Math.min(delistDay[i], T - 1) - 60;
    if (hi - lo < 20) continue;
    switchDay[i] = lo + st.int(hi - lo + 1);
    ind1[i] = (ind0[i] + 1 + st.int(J - 1)) % J;
    switched++;
  }
  // codes alternate Shanghai 600000+ and Shenzhen 000001+
  const stockCodes: string[] = [];
  for (let i = 0; i < N; i++) {
    const h = i >> 1;
    stockCodes.push(i % 2 === 0 ? `${String(600000 + h).padStart(6, '0')}.SH` : `${String(1 + h).padStart(6, '0')}.SZ`);
  }
  // sizes and per-stock parameters
  const size0 = new Float64Array(N), logSize = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const ipo = listDay[i] > 0;
    size0[i] = (ipo ? 5e9 : 8e9) * specs[ind0[i]].capMult * Math.exp((ipo ? 0.8 : 1.0) * st.normal());
    logSize[i] = Math.log(size0[i]);
  }
  let lsMean = 0, lsVar = 0;
  for (let i = 0; i < N; i++) lsMean += logSize[i] / N;
  for (let i = 0; i < N; i++) lsVar += (logSize[i] - lsMean) ** 2 / N;
  const lsSd = Math.sqrt(lsVar) || 1;
  const f64 = (): Float64Array => new Float64Array(N);
  const betaStock = f64(), sigE = f64(), turnBase = f64(), floatFinal = f64(), price0 = f64(), pe0 = f64(), pb0 = f64();
  const margin = f64(), grossM = f64(), payout = f64(), ocfRatio = f64();
  for (let i = 0; i < N; i++) {
    const sp = specs[ind0[i]];
    const zc = (logSize[i] - lsMean) / lsSd;
    betaStock[i] = clamp(1 + 0.2 * st.normal(), 0.3, 1.8);
    sigE[i] = STOCK_IDIO_DAILY_VOL * Math.exp(0.25 * st.normal() - 0.12 * zc);
    turnBase[i] = Math.log(0.02) + 0.45 * st.normal() - 0.25 * zc;
    floatFinal[i] = clamp(0.7 + 0.2 * st.normal(), 0.25, 1);
    price0[i] = Math.exp(Math.log(listDay[i] > 0 ? 15 : 12) + 0.6 * st.normal());
    pe0[i] = sp.pe * Math.exp(0.35 * st.normal());
    pb0[i] = sp.pb * Math.exp(0.3 * st.normal());
    margin[i] = sp.netMargin * Math.exp(0.3 * st.normal());
    grossM[i] = clamp(sp.grossMargin * Math.exp(0.2 * st.normal()), margin[i] + 0.02, 0.95);
    payout[i] = clamp(sp.payout + 0.1 * st.normal(), 0, 0.9);
    ocfRatio[i] = 1 + 0.3 * st.normal();
  }
  // brokers: optimistic bias, noise, revision speed; coverage grows with size (Poisson(0.3 + 12 pct^3))
  const nB = cfg.brokers;
  const brokerNames = Array.from({ length: nB }, (_, b) => `BRK${String(b + 1).padStart(2, '0')}`);
  const brokerBias = new Float64Array(nB), brokerNoise = new Float64Array(nB), brokerSpeed = new Float64Array(nB);
  for (let b = 0; b < nB; b++) {
    brokerBias[b] = 0.06 + 0.05 * st.normal();
    brokerNoise[b] = 0.05 + 0.04 * Math.abs(st.normal());
    brokerSpeed[b] = 0.5 + 0.4 * st.uniform();
  }
  const rankIdx = Array.from({ length: N }, (_, i) => i).sort((p, q) => size0[p] - size0[q] || p - q);
  const pct = new Float64Array(N);
  rankIdx.forEach((i, r) => { pct[i] = (r + 0.5) / N; });
  const covStart = new Int32Array(N + 1);
  const cov: number[] = [];
  for (let i = 0; i < N; i++) {
    covStart[i] = cov.length;
    const kk = Math.min(nB, 25, poisson(st, 0.3 + 12 * pct[i] ** 3));
    const chosen = new Set<number>();
    while (chosen.size < kk) chosen.add(st.int(nB));
    for (const b of [...chosen].sort((p, q) => p - q)) cov.push(b);
  }
  covStart[N] = cov.length;
  return {
    J, N, specs, indCodes, betaInd, sigU, varBeta, ind0, ind1, switchDay, listDay, delistDay, stockCodes, size0, betaStock,
    sigE, turnBase, floatFinal, price0, pe0, pb0, margin, grossM, payout, ocfRatio, brokerNames, brokerBias, brokerNoise,
    brokerSpeed, covStart, covBroker: Int32Array.from(cov),
  };
}

/** Build the whole initial state (static draws, initial latent states, empty outputs). */
export function initState(cfg: ResolvedSimulatorConfig): SimState {
  const cal = buildCalendar(cfg);
  const st = createRng(mixSeed(cfg.seed, STREAM_STATIC, 0));
  const uni = buildUniverse(cfg, cal, st);
  const { J, N } = uni;
  const T = cal.dates.length, nM = cal.months.length, nQ = cal.nQuarters, nY = cal.nYears;
  const bars = BAR_TIMES.length;

  const G = new Float64Array(J), C = new Float64Array(J), L = new Float64Array(J);
  for (let j = 0; j < J; j++) {
    G[j] = LATENT.growth.mean + LATENT.growth.sd * st.normal();
    C[j] = LATENT.crowding.sd * st.normal();
    L[j] = LATENT.lateFlow.sd * st.normal();
  }
  const u = new Float64Array(N), logE = new Float64Array(N), logRev = new Float64Array(N);
  const lastEquity = new Float64Array(N), declaredDiv = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    u[i] = LATENT.stockGrowth.sd * st.normal();
    // earnings power at the burn-in start so that it is near size / PE when the stock lists
    const monthsToList = cal.burnIn + (uni.listDay[i] > 0 ? cal.monthOfDay[uni.listDay[i]] : 0);
    const e0 = (uni.size0[i] / uni.pe0[i]) * (uni.listDay[i] > 0 ? 0.9 : 1);
    logE[i] = Math.log(e0) - (LATENT.growth.mean * monthsToList) / 12;
    logRev[i] = logE[i] - Math.log(uni.margin[i]);
    lastEquity[i] = (Math.exp(logE[i]) * uni.pe0[i]) / uni.pb0[i];
    declaredDiv[i] = uni.payout[i] * Math.exp(logE[i]);
  }
  const pi = stationaryRegimeProbabilities();
  const ur = st.uniform();
  const regime = ur < pi[0] ? 0 : ur < pi[0] + pi[1] ? 1 : 2;

  const nan = (n: number): Float64Array => new Float64Array(n).fill(NaN);
  const qn = N * nQ;
  const TJ = T * J, TN = T * N, TB = T * J * bars;
  const nCov = uni.covBroker.length;
  return {
    cfg, cal, uni,
    lat: {
      G, C, L, u, logE, logRev, Esum: new Float64Array(N), Rsum: new Float64Array(N), indNews: new Float64Array(J),
      stockNews: new Float64Array(N), jumpSize: new Float64Array(N), jumpDay: new Int32Array(N).fill(-1),
    },
    fund: {
      np: nan(qn), rev: nan(qn), gp: nan(qn), ocf: nan(qn), eq: nan(qn), div: nan(qn), known: new Int32Array(qn).fill(NEVER),
      annDay: nan(qn), lastEquity, declaredDiv, latest: new Int32Array(N).fill(-1), ttmNp: nan(N), ttmRev: nan(N),
    },
    fc: {
      value: nan(nCov * nY), day: new Int32Array(nCov * nY).fill(-1), forecasts: new ForecastColumnsBuilder(),
      buckets: Array.from({ length: nM }, () => []), cons2: nan(nM * N), cons3: nan(nM * N),
    },
    dyn: {
      regime, hM: 0, vM: 1, zMprev: 0, mTurn: 0, hU: new Float64Array(J), vU: new Float64Array(J).fill(1), zUprev: new Float64Array(J),
      cInd: Float64Array.from(C), hE: new Float64Array(N), vE: new Float64Array(N).fill(1), zEprev: new Float64Array(N), price: new Float64Array(N), shares: new Float64Array(N),
      carry: new Float64Array(N), suspLeft: new Int32Array(N), xTurn: new Float64Array(N), floatCapPrev: new Float64Array(N),
      indLevel: new Float64Array(J).fill(1000), driftInd: new Float64Array(J), driftStock: new Float64Array(N),
      hfSum: new Float64Array(J), cellsNotListed: 0, cellsDelisted: 0, cellsSuspended: 0, cellsLocked: 0, cellsTraded: 0,
    },
    out: {
      iOpen: new Float64Array(TJ), iHigh: new Float64Array(TJ), iLow: new Float64Array(TJ), iClose: new Float64Array(TJ),
      iVol: new Float64Array(TJ), iAmt: new Float64Array(TJ), iTurn: new Float64Array(TJ),
      iPe: nan(TJ), iPb: nan(TJ), iPs: nan(TJ), iDy: nan(TJ),
      bOpen: new Float64Array(TB), bHigh: new Float64Array(TB), bLow: new Float64Array(TB), bClose: new Float64Array(TB), bVol: new Float64Array(TB),
      sClose: nan(TN), sVol: nan(TN), sAmt: nan(TN), sFloat: nan(TN), sTotal: nan(TN), sTrad: nan(TN),
      regimePath: new Array<number>(T).fill(0), indexWeights: [],
    },
    truth: {
      indFactors: INDUSTRY_FACTORS.map(() => nan(nM * J)),
      stockFactors: STOCK_FACTORS.map(() => nan(nM * N)),
      indDrift: new Float64Array(nM * J), stockDrift: new Float64Array(nM * N),
      latG: new Float64Array(nM * J), latC: new Float64Array(nM * J), latL: new Float64Array(nM * J),
      switchMonth: Math.min(nM - 1, Math.floor(nM * cfg.switchOffFraction)),
    },
  };
}
