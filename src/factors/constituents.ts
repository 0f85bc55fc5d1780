/**
 * Point-in-time constituent data for the fundamental and analyst factors: membership as of each
 * rebalance date, each stock's reports known at each date, and analyst consensus at any date.
 *
 * Rules (nothing computed for date t reads a record known after t):
 * - membership: each stock's industry as of t (membershipAsOf, windows inclusive);
 * - fundamentals: a report is known from its announceDate; at date t a stock's current period P is
 *   the latest report period among its reports announced on or before t, and the value of period
 *   P − k is the latest-announced version of that period known at t (restatements replace the
 *   original from their own announce date on). A stock whose P ended more than 400 days before t
 *   is stale and left out;
 * - forecasts: a forecast is known from its forecastDate; the consensus of stock s for fiscal year
 *   Y at date q is the mean over brokers of each broker's latest forecast of (s, Y) dated in
 *   [q − 180 days, q] (at most 180 calendar days old).
 */
import { RotationError } from '../errors.js';
import { checkFundamentalDates, membershipAsOf } from '../data/pointInTime.js';
import { checkForecastColumns, forecastCount } from '../data/forecasts.js';
import type { FundamentalRecord } from '../data/types.js';
import { isIsoDate } from '../panel/panel.js';
import { cached, membershipSchemes, type FactorContext } from './engine.js';

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

/** Day number of the date n calendar months before `iso` (day clamped to the month's length). */
export function monthsBefore(iso: string, n: number): number {
  const y = Number(iso.slice(0, 4)), m = Number(iso.slice(5, 7)) - 1, d = Number(iso.slice(8, 10));
  const total = y * 12 + m - n;
  const yy = Math.floor(total / 12), mm = total - yy * 12;
  const dim = new Date(Date.UTC(yy, mm + 1, 0)).getUTCDate();
  return Date.UTC(yy, mm, Math.min(d, dim)) / MS_PER_DAY;
}

/**
 * FY1 relative to an as-of date: the calendar year of the date (the current fiscal year), FY2 the
 * next one: FY1(t) = year(t), FY2(t) = year(t) + 1. Brokers forecast the current and next year
 * (the simulator's forecasts and the usual Wind / SWS consensus convention); the year rolls on
 * 1 January, so a revision over N months compares the same fiscal year at both dates.
 */
export function fiscalYear1(iso: string): number {
  return Number(iso.slice(0, 4));
}

/** The membership scheme to aggregate with: `requested` if given (must exist), else the best-covering scheme. */
export function resolveScheme(ctx: FactorContext): string {
  const schemes = membershipSchemes(ctx.dataset);
  if (ctx.scheme !== undefined) {
    if (!schemes.some((s) => s.scheme === ctx.scheme)) {
      throw new RotationError('FACTOR_UNKNOWN_SCHEME', `No membership of scheme "${ctx.scheme}" covers the dataset's industries`,
        { factor: ctx.id, dataset: ctx.dataset.name, schemesPresent: schemes.map((s) => s.scheme) },
        'pass one of the schemes present, or leave `scheme` out to use the best-covering one');
    }
    return ctx.scheme;
  }
  return schemes[0].scheme;
}

/** Membership at the rebalance dates: code[k*S + s] = index into ctx.industries, −1 = none (or an industry outside the dataset). */
export interface Constituents {
  scheme: string;
  stocks: string[];
  stockIndex: Map<string, number>;
  codes: Int32Array;
}

/** Membership as of each rebalance date (cached per call). Stocks = those with a membership record of the scheme. */
export function constituents(ctx: FactorContext): Constituents {
  return cached(ctx.cache, `members:${ctx.scheme ?? ''}:${ctx.dates.join(',')}`, () => {
    const scheme = resolveScheme(ctx);
    const records = ctx.dataset.stocks!.membership;
    const stocks = [...new Set(records.filter((m) => m.scheme === scheme).map((m) => m.stock))].sort();
    const known = new Set(ctx.industries);
    const extra = [...new Set(records.filter((m) => m.scheme === scheme && !known.has(m.industry)).map((m) => m.industry))].sort();
    const asOf = membershipAsOf(records, scheme, ctx.dates, stocks, { industries: [...ctx.industries, ...extra], source: `${ctx.dataset.name} membership` });
    const J = ctx.industries.length;
    const codes = asOf.codes;
    for (let k = 0; k < codes.length; k++) if (codes[k] >= J) codes[k] = -1;
    return { scheme, stocks, stockIndex: new Map(stocks.map((s, i) => [s, i])), codes };
  });
}

/** Number of quarter lags kept (P, P−1, …, P−7). */
export const FUNDAMENTAL_LAGS = 8;
/** A current period older than this many days before the date is stale. */
export const STALE_REPORT_DAYS = 400;

/** Reports known at each rebalance date: lag[q][k*S + s] = index into `records` of period P − q (−1 none). */
export interface FundamentalState {
  records: readonly FundamentalRecord[];
  lag: Int32Array[];
}

function quarterIndex(reportPeriod: string): number {
  return Number(reportPeriod.slice(0, 4)) * 4 + Math.floor((Number(reportPeriod.slice(5, 7)) - 1) / 3);
}

/** The fundamentals known at each rebalance date (see the module comment). Cached per call. */
export function fundamentalState(ctx: FactorContext): FundamentalState {
  const members = constituents(ctx);
  return cached(ctx.cache, `fund:${members.scheme}:${ctx.dates.join(',')}`, () => {
    const records = ctx.dataset.stocks!.fundamentals!;
    checkFundamentalDates(records, `${ctx.dataset.name} fundamentals`);
    const S = members.stocks.length, K = ctx.dates.length;
    const lag = Array.from({ length: FUNDAMENTAL_LAGS }, () => new Int32Array(K * S).fill(-1));
    const byStock: number[][] = Array.from({ length: S }, () => []);
    for (let r = 0; r < records.length; r++) {
      const s = members.stockIndex.get(records[r].stock);
      if (s !== undefined) byStock[s].push(r);
    }
    const qOf = new Int32Array(records.length), annOf = new Float64Array(records.length);
    for (let r = 0; r < records.length; r++) { qOf[r] = quarterIndex(records[r].reportPeriod); annOf[r] = dayNumber(records[r].announceDate); }
    const dateDay = ctx.dates.map(dayNumber);
    for (let s = 0; s < S; s++) {
      const list = byStock[s];
      if (list.length === 0) continue;
      list.sort((a, b) => annOf[a] - annOf[b] || a - b);
      const known = new Map<number, number>();
      let cur = -Infinity, p = 0;
      for (let k = 0; k < K; k++) {
        while (p < list.length && annOf[list[p]] <= dateDay[k]) {
          const r = list[p++];
          known.set(qOf[r], r);
          if (qOf[r] > cur) cur = qOf[r];
        }
        if (cur === -Infinity) continue;
        // stale: the current period ended more than STALE_REPORT_DAYS before the date
        const endY = Math.floor(cur / 4), endQ = cur - endY * 4;
        const periodEnd = Date.UTC(endY, endQ * 3 + 3, 0) / MS_PER_DAY;
        if (dateDay[k] - periodEnd > STALE_REPORT_DAYS) continue;
        for (let q = 0; q < FUNDAMENTAL_LAGS; q++) {
          const r = known.get(cur - q);
          if (r !== undefined) lag[q][k * S + s] = r;
        }
      }
    }
    return { records, lag };
  });
}

/** Forecasts grouped by stock, sorted by date (CSR layout), with broker indices and revision signs. */
export interface ForecastState {
  /** Records of stock s are rows start[s] .. start[s+1]−1. */
  start: Int32Array;
  day: Float64Array;
  broker: Int32Array;
  fy: Int32Array;
  netProfit: Float64Array;
  /** +1 upgrade, −1 downgrade, 0 unchanged, NaN no earlier forecast by the same broker for the same stock and year within 365 days. */
  change: Float64Array;
  nBrokers: number;
}

/** Consensus window, calendar days. */
export const CONSENSUS_WINDOW_DAYS = 180;
/** A broker's earlier forecast older than this is not a "previous" forecast for the revision sign. */
export const REVISION_MAX_GAP_DAYS = 365;

/** Forecast records in a per-stock, date-sorted layout (cached). Errors: FACTOR_BAD_RECORD for an unparseable date or fiscal year. */
export function forecastState(ctx: FactorContext): ForecastState {
  const members = constituents(ctx);
  return cached(ctx.cache, `fcst:${members.scheme}`, () => {
    const fc = ctx.dataset.stocks!.forecasts!;
    checkForecastColumns(fc, { factor: ctx.id, dataset: ctx.dataset.name });
    const S = members.stocks.length;
    const brokerIdx = new Map<string, number>();
    const keep: number[] = [];
    const nRecords = forecastCount(fc);
    const sOf = new Int32Array(nRecords).fill(-1);
    for (let r = 0; r < nRecords; r++) {
      const date = fc.forecastDate[r];
      if (typeof date !== 'string' || !isIsoDate(date)) {
        throw new RotationError('FACTOR_BAD_RECORD', `Forecast has an unparseable forecastDate "${String(date)}"`,
          { factor: ctx.id, dataset: ctx.dataset.name, record: r, stock: fc.stock[r] }, 'write dates as ISO yyyy-mm-dd');
      }
      if (!Number.isInteger(fc.fiscalYear[r])) {
        throw new RotationError('FACTOR_BAD_RECORD', `Forecast has a non-integer fiscalYear ${fc.fiscalYear[r]}`,
          { factor: ctx.id, dataset: ctx.dataset.name, record: r, stock: fc.stock[r] }, 'fiscalYear is the forecast year, e.g. 2024');
      }
      const s = members.stockIndex.get(fc.stock[r]);
      if (s === undefined || !Number.isFinite(fc.netProfit[r])) continue;
      sOf[r] = s;
      if (!brokerIdx.has(fc.broker[r])) brokerIdx.set(fc.broker[r], brokerIdx.size);
      keep.push(r);
    }
    const dayOf = new Float64Array(nRecords);
    for (const r of keep) dayOf[r] = dayNumber(fc.forecastDate[r]);
    keep.sort((a, b) => sOf[a] - sOf[b] || dayOf[a] - dayOf[b] || a - b);
    const n = keep.length;
    const start = new Int32Array(S + 1);
    for (const r of keep) start[sOf[r] + 1]++;
    for (let s = 0; s < S; s++) start[s + 1] += start[s];
    const day = new Float64Array(n), broker = new Int32Array(n), fy = new Int32Array(n), netProfit = new Float64Array(n);
    const change = new Float64Array(n).fill(NaN);
    for (let q = 0; q < n; q++) {
      const r = keep[q];
      day[q] = dayOf[r]; broker[q] = brokerIdx.get(fc.broker[r])!; fy[q] = fc.fiscalYear[r]; netProfit[q] = fc.netProfit[r];
    }
    // Revision sign against the same broker's previous forecast of the same stock and year.
    for (let s = 0; s < S; s++) {
      const last = new Map<number, number>();
      for (let q = start[s]; q < start[s + 1]; q++) {
        const key = broker[q] * 10000 + (fy[q] - 1900);
        const prev = last.get(key);
        if (prev !== undefined && day[q] - day[prev] <= REVISION_MAX_GAP_DAYS) {
          change[q] = netProfit[q] > netProfit[prev] ? 1 : netProfit[q] < netProfit[prev] ? -1 : 0;
        }
        last.set(key, q);
      }
    }
    return { start, day, broker, fy, netProfit, change, nBrokers: brokerIdx.size };
  });
}

/** First row in [lo, hi) of a sorted day array with day > x. */
export function upperBound(day: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (day[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scratch for `consensusInto` (one per call). */
export interface ConsensusScratch {
  stamp: Int32Array;
  value: Float64Array;
  touched: Int32Array;
  epoch: number;
}

/** Scratch for `consensusInto` / `coverageAt` sized for `nBrokers` brokers (allocate once per kernel call). */
export function newConsensusScratch(nBrokers: number): ConsensusScratch {
  return { stamp: new Int32Array(Math.max(1, nBrokers)), value: new Float64Array(Math.max(1, nBrokers)), touched: new Int32Array(Math.max(1, nBrokers)), epoch: 0 };
}

/**
 * Consensus of stock s for fiscal year `fy` at day q: over each broker's latest forecast of (s, fy)
 * dated in [q − 180, q] (day numbers), out[0] = mean, out[1] = sample sd (NaN below 2 brokers), out[2] = number of brokers.
 */
export function consensusInto(st: ForecastState, s: number, q: number, fy: number, scratch: ConsensusScratch, out: Float64Array): void {
  const lo = upperBound(st.day, st.start[s], st.start[s + 1], q - CONSENSUS_WINDOW_DAYS - 1);
  const hi = upperBound(st.day, lo, st.start[s + 1], q);
  const epoch = ++scratch.epoch;
  let nb = 0;
  for (let r = lo; r < hi; r++) {
    if (st.fy[r] !== fy) continue;
    const b = st.broker[r];
    if (scratch.stamp[b] !== epoch) { scratch.stamp[b] = epoch; scratch.touched[nb++] = b; }
    scratch.value[b] = st.netProfit[r];
  }
  if (nb === 0) { out[0] = NaN; out[1] = NaN; out[2] = 0; return; }
  let sum = 0;
  for (let a = 0; a < nb; a++) sum += scratch.value[scratch.touched[a]];
  const mean = sum / nb;
  let ss = 0;
  for (let a = 0; a < nb; a++) { const d = scratch.value[scratch.touched[a]] - mean; ss += d * d; }
  out[0] = mean;
  out[1] = nb >= 2 ? Math.sqrt(ss / (nb - 1)) : NaN;
  out[2] = nb;
}

/** Number of distinct brokers with any forecast of stock s dated in [q − 180, q]. */
export function coverageAt(st: ForecastState, s: number, q: number, scratch: ConsensusScratch): number {
  const lo = upperBound(st.day, st.start[s], st.start[s + 1], q - CONSENSUS_WINDOW_DAYS - 1);
  const hi = upperBound(st.day, lo, st.start[s + 1], q);
  const epoch = ++scratch.epoch;
  let nb = 0;
  for (let r = lo; r < hi; r++) {
    const b = st.broker[r];
    if (scratch.stamp[b] !== epoch) { scratch.stamp[b] = epoch; nb++; }
  }
  return nb;
}
