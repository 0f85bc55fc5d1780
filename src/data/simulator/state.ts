/**
 * The simulator's working state: the calendar, the static universe (industries, stocks, brokers),
 * the latent monthly processes, the quarterly fundamentals, the analyst-forecast state, the daily
 * dynamic state and the output arrays. One object, passed explicitly to every step function; no
 * module-level state. Dense arrays are typed arrays indexed as documented per field.
 */
import type { Rng } from '../../random.js';
import { createRng } from '../../random.js';
import type { IndexWeightRecord } from '../types.js';
import type { ForecastColumnsBuilder } from '../forecasts.js';
import type { ResolvedSimulatorConfig } from './config.js';
import type { IndustrySpec } from './industries.js';
import { mixSeed } from './math.js';

/** Marker for "never" (day index past any calendar). */
export const NEVER = 2 ** 30;

export const STREAM_STATIC = 1;
export const STREAM_LATENT = 2;
export const STREAM_DAILY = 3;
export const STREAM_EVENTS = 4;
export const STREAM_FUND = 5;

export interface MonthInfo {
  /** Absolute month number year * 12 + (month - 1). */
  am: number;
  /** First and last trading-day index of the month. */
  first: number;
  last: number;
}

export interface SimCalendar {
  dates: string[];
  /** Days since 1970-01-01 of each trading day. */
  dayNum: Float64Array;
  months: MonthInfo[];
  monthOfDay: Int32Array;
  monthEnds: string[];
  /** Absolute month of latent month 0 (start of the burn-in, a quarter start). */
  am0: number;
  /** Burn-in months before the first trading month. */
  burnIn: number;
  /** Latent months = burnIn + months.length. */
  nLatentMonths: number;
  /** Quarters covered by the latent months (quarter q = latent months 3q..3q+2). */
  nQuarters: number;
  /** Calendar year of the first trading day; forecast fiscal years are indexed from it. */
  yearFirst: number;
  /** Fiscal years tracked for forecasts (yearFirst .. last year + 2). */
  nYears: number;
  /** First month (absolute) drawn with the reseed seed (Infinity without reseed). */
  reseedFromAm: number;
}

export interface Universe {
  J: number;
  N: number;
  specs: IndustrySpec[];
  indCodes: string[];
  /** Market loading per industry (mean 1) and industry-specific daily vol. */
  betaInd: Float64Array;
  sigU: Float64Array;
  varBeta: number;
  /** Industry at listing, industry after the switch, first day in the new industry (NEVER = no switch). */
  ind0: Int32Array;
  ind1: Int32Array;
  switchDay: Int32Array;
  /** First trading day index; last trading day index (NEVER = not delisted). */
  listDay: Int32Array;
  delistDay: Int32Array;
  stockCodes: string[];
  size0: Float64Array;
  betaStock: Float64Array;
  sigE: Float64Array;
  turnBase: Float64Array;
  floatFinal: Float64Array;
  price0: Float64Array;
  pe0: Float64Array;
  pb0: Float64Array;
  margin: Float64Array;
  grossM: Float64Array;
  payout: Float64Array;
  ocfRatio: Float64Array;
  brokerNames: string[];
  brokerBias: Float64Array;
  brokerNoise: Float64Array;
  brokerSpeed: Float64Array;
  /** Coverage lists: brokers of stock i are covBroker[covStart[i] .. covStart[i+1]). */
  covStart: Int32Array;
  covBroker: Int32Array;
}

export interface LatentState {
  /** Industry profit growth G_j, crowding C_j, late-session flow L_j. */
  G: Float64Array;
  C: Float64Array;
  L: Float64Array;
  /** Stock growth deviation u_i, log earnings power, log revenue power. */
  u: Float64Array;
  logE: Float64Array;
  logRev: Float64Array;
  /** Sums of earnings / revenue power over the current quarter's months. */
  Esum: Float64Array;
  Rsum: Float64Array;
  /** This month's price news (log return spread over the month's days). */
  indNews: Float64Array;
  stockNews: Float64Array;
  /** This month's jump (log return) and its day index (-1 = none). */
  jumpSize: Float64Array;
  jumpDay: Int32Array;
}

export interface FundamentalState {
  /** Single-quarter values, [i * nQuarters + q]. */
  np: Float64Array;
  rev: Float64Array;
  gp: Float64Array;
  ocf: Float64Array;
  eq: Float64Array;
  div: Float64Array;
  /** Trading-day index from which the quarter is known (NEVER = not within the history). */
  known: Int32Array;
  /** Announcement day number (NaN = not announced within the history). */
  annDay: Float64Array;
  lastEquity: Float64Array;
  declaredDiv: Float64Array;
  /** Latest announced quarter per stock (-1 = none yet) and its trailing sums. */
  latest: Int32Array;
  ttmNp: Float64Array;
  ttmRev: Float64Array;
}

export interface ForecastState {
  /** Latest forecast per (coverage c, fiscal-year index y): [c * nYears + y]; day index -1 = none. */
  value: Float64Array;
  day: Int32Array;
  /** Every forecast published, in publication order. */
  forecasts: ForecastColumnsBuilder;
  /** Pending events per trading month, packed [day, stock, coverage]. */
  buckets: number[][];
  /** Month-end consensus of FY year+1 and year+2 per stock: [m * N + i]. */
  cons2: Float64Array;
  cons3: Float64Array;
}

export interface DynamicState {
  regime: number;
  /** EGARCH log-variance h, variance multiplier v = exp(h - centre) and last innovation z: market, industries, stocks. */
  hM: number;
  vM: number;
  zMprev: number;
  mTurn: number;
  hU: Float64Array;
  vU: Float64Array;
  zUprev: Float64Array;
  cInd: Float64Array;
  hE: Float64Array;
  vE: Float64Array;
  zEprev: Float64Array;
  price: Float64Array;
  shares: Float64Array;
  carry: Float64Array;
  suspLeft: Int32Array;
  xTurn: Float64Array;
  floatCapPrev: Float64Array;
  indLevel: Float64Array;
  /** Planted drift over the current month (simple return), industries and stocks. */
  driftInd: Float64Array;
  driftStock: Float64Array;
  /** Sum over the month's days of the last-bar return, per industry. */
  hfSum: Float64Array;
  cellsNotListed: number;
  cellsDelisted: number;
  cellsSuspended: number;
  cellsLocked: number;
  cellsTraded: number;
}

export interface OutputArrays {
  /** Industry daily, [t * J + j]. */
  iOpen: Float64Array; iHigh: Float64Array; iLow: Float64Array; iClose: Float64Array;
  iVol: Float64Array; iAmt: Float64Array; iTurn: Float64Array;
  iPe: Float64Array; iPb: Float64Array; iPs: Float64Array; iDy: Float64Array;
  /** Industry intraday, [(t * J + j) * bars + b]. */
  bOpen: Float64Array; bHigh: Float64Array; bLow: Float64Array; bClose: Float64Array; bVol: Float64Array;
  /** Stock daily, [t * N + i]. */
  sClose: Float64Array; sVol: Float64Array; sAmt: Float64Array; sFloat: Float64Array; sTotal: Float64Array; sTrad: Float64Array;
  regimePath: number[];
  indexWeights: IndexWeightRecord[];
}

export interface TruthArrays {
  /** Per factor, [m * J + j] / [m * N + i]. */
  indFactors: Float64Array[];
  stockFactors: Float64Array[];
  indDrift: Float64Array;
  stockDrift: Float64Array;
  latG: Float64Array;
  latC: Float64Array;
  latL: Float64Array;
  switchMonth: number;
}

export interface SimState {
  cfg: ResolvedSimulatorConfig;
  cal: SimCalendar;
  uni: Universe;
  lat: LatentState;
  fund: FundamentalState;
  fc: ForecastState;
  dyn: DynamicState;
  out: OutputArrays;
  truth: TruthArrays;
}

/**
 * The random stream of (stream, latent month lm): createRng(mixSeed(seed, stream, lm)), where seed
 * is the reseed seed for months at or after config.reseed.from, else the main seed.
 */
export function streamRng(s: SimState, stream: number, lm: number): Rng {
  const am = s.cal.am0 + lm;
  const seed = am >= s.cal.reseedFromAm ? s.cfg.reseed!.seed : s.cfg.seed;
  return createRng(mixSeed(seed, stream, lm));
}

/** Industry of stock i on trading day t (membership switches once at most). */
export function industryOf(uni: Universe, i: number, t: number): number {
  return t >= uni.switchDay[i] ? uni.ind1[i] : uni.ind0[i];
}

/** Latest trading index with dayNum <= d (-1 when d is before the calendar). */
export function tradingIndexAtOrBefore(cal: SimCalendar, d: number): number {
  const dn = cal.dayNum;
  if (d < dn[0]) return -1;
  let lo = 0, hi = dn.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (dn[mid] <= d) lo = mid; else hi = mid - 1;
  }
  return lo;
}
