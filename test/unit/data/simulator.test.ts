/**
 * Tests of the built-in market simulator: determinism, data invariants, calibration against
 * CALIBRATION.md, recovery of the planted signals by an independent computation, and absence of
 * look-ahead. Run: node --import tsx --test test/unit/data/simulator.test.ts
 *
 * The planted-signal tests recompute every factor here, with plain loops over the dataset's
 * panels and records (not the simulator's code), and compare both the values (they must equal the
 * simulator's own month-end measurements: the drift uses nothing else) and the rank ICs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleRankCorrelation } from 'simple-statistics';
import { RotationError } from '../../../src/errors.js';
import { assertBalanced } from '../../../src/data/loss.js';
import {
  INDUSTRY_FACTORS, STOCK_FACTORS, calibrationStats, defaultSimulatorConfig, formatCalibrationTable, simulateMarket,
  type SimulatedMarket,
} from '../../../src/data/simulator.js';
import type { ForecastRecord, FundamentalRecord, MarketDataset } from '../../../src/data/types.js';
import { forecastColumns, forecastRecords } from '../../../src/data/forecasts.js';

const DEFAULT: SimulatedMarket = simulateMarket();

// ------------------------------------------------------------------ helpers (independent of src)

function fnv(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

/** FNV-1a hash over every panel, the intraday arrays and every record of a dataset. */
function datasetHash(d: MarketDataset): string {
  let h = 0x811c9dc5;
  const enc = new TextEncoder();
  const addArr = (a: Float64Array): void => { h = fnv(h, new Uint8Array(a.buffer, a.byteOffset, a.byteLength)); };
  for (const p of Object.values(d.industryBars)) if (p) addArr(p.values);
  const iv = d.industryIntraday!;
  for (const a of [iv.open, iv.high, iv.low, iv.close, iv.volume]) addArr(a);
  const s = d.stocks!;
  for (const p of Object.values(s.bars)) if (p) addArr(p.values);
  h = fnv(h, enc.encode(JSON.stringify([d.calendar, s.stocks, s.membership, s.fundamentals, forecastRecords(s.forecasts!), s.indexWeights])));
  return h.toString(16);
}

const dayCache = new Map<string, number>();
function dayNumber(iso: string): number {
  let v = dayCache.get(iso);
  if (v === undefined) {
    v = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
    dayCache.set(iso, v);
  }
  return v;
}

/** Index of the last trading day of every calendar month. */
function monthEndIdx(calendar: readonly string[]): number[] {
  const out: number[] = [];
  for (let t = 0; t < calendar.length; t++) {
    if (t === calendar.length - 1 || calendar[t + 1].slice(0, 7) !== calendar[t].slice(0, 7)) out.push(t);
  }
  return out;
}

function mean(x: readonly number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

/** Quarter-end date one quarter earlier: 2020-03-31 -> 2019-12-31. */
function prevQuarter(p: string): string {
  const y = Number(p.slice(0, 4)), mm = p.slice(5, 7);
  if (mm === '03') return `${y - 1}-12-31`;
  if (mm === '06') return `${y}-03-31`;
  if (mm === '09') return `${y}-06-30`;
  return `${y}-09-30`;
}

interface Indexed {
  membersAt: (date: string) => Map<string, string>;
  fundByStock: Map<string, FundamentalRecord[]>;
  fcByStockYear: Map<string, ForecastRecord[]>;
}

function indexDataset(d: MarketDataset): Indexed {
  const s = d.stocks!;
  const fundByStock = new Map<string, FundamentalRecord[]>();
  for (const r of s.fundamentals!) {
    if (!fundByStock.has(r.stock)) fundByStock.set(r.stock, []);
    fundByStock.get(r.stock)!.push(r);
  }
  for (const list of fundByStock.values()) list.sort((a, b) => (a.reportPeriod < b.reportPeriod ? -1 : 1));
  const fcByStockYear = new Map<string, ForecastRecord[]>();
  for (const r of forecastRecords(s.forecasts!)) {
    const k = `${r.stock}|${r.fiscalYear}`;
    if (!fcByStockYear.has(k)) fcByStockYear.set(k, []);
    fcByStockYear.get(k)!.push(r);
  }
  const membersAt = (date: string): Map<string, string> => {
    const m = new Map<string, string>();
    for (const r of s.membership) if (r.validFrom <= date && (r.validTo === undefined || r.validTo >= date)) m.set(r.stock, r.industry);
    return m;
  };
  return { membersAt, fundByStock, fcByStockYear };
}

/** Mean over brokers of each broker's latest forecast for year Y dated <= date and <= 180 days old. */
function consensus(ix: Indexed, stock: string, Y: number, date: string): number {
  const list = ix.fcByStockYear.get(`${stock}|${Y}`);
  if (!list) return NaN;
  const latest = new Map<string, ForecastRecord>();
  for (const r of list) if (r.forecastDate <= date) latest.set(r.broker, r); // records are chronological
  let s = 0, n = 0;
  for (const r of latest.values()) {
    if (dayNumber(date) - dayNumber(r.forecastDate) > 180) continue;
    s += r.netProfit; n++;
  }
  return n > 0 ? s / n : NaN;
}

/** Announced records of a stock at a date, by report period. */
function announced(ix: Indexed, stock: string, date: string): Map<string, FundamentalRecord> {
  const out = new Map<string, FundamentalRecord>();
  for (const r of ix.fundByStock.get(stock) ?? []) if (r.announceDate <= date) out.set(r.reportPeriod, r);
  return out;
}

function latestPeriod(a: Map<string, FundamentalRecord>): string | undefined {
  let p: string | undefined;
  for (const k of a.keys()) if (p === undefined || k > p) p = k;
  return p;
}

/**
 * The eight planted industry factors at every month end, recomputed from the dataset with plain
 * loops (definitions: docs/simulator.md). Returns factor -> [month][industry].
 */
function industryFactorsFromData(d: MarketDataset): Record<string, number[][]> {
  const ix = indexDataset(d);
  const cal = d.calendar, me = monthEndIdx(cal);
  const codes = d.industryBars.close.assets, J = codes.length;
  const jOf = new Map(codes.map((c, j) => [c, j]));
  const close = d.industryBars.close.values, pb = d.industryBars.pb!.values, turn = d.industryBars.turnover!.values;
  const iv = d.industryIntraday!, B = iv.barsPerDay;
  const out: Record<string, number[][]> = {};
  for (const f of INDUSTRY_FACTORS) out[f] = [];
  const consAt = new Map<string, number>(); // memo "stock|Y|date"
  const cons = (stock: string, Y: number, date: string): number => {
    const k = `${stock}|${Y}|${date}`;
    let v = consAt.get(k);
    if (v === undefined) { v = consensus(ix, stock, Y, date); consAt.set(k, v); }
    return v;
  };
  for (let m = 0; m < me.length; m++) {
    const t = me[m], date = cal[t];
    const row = (): number[] => new Array<number>(J).fill(NaN);
    const mom12 = row(), mom1 = row(), rev = row(), gro = row(), roe = row(), pbp = row(), hf = row(), crowd = row();
    for (let j = 0; j < J; j++) {
      if (m >= 12) mom12[j] = close[me[m - 1] * J + j] / close[me[m - 12] * J + j] - 1;
      if (m >= 1) mom1[j] = close[t * J + j] / close[me[m - 1] * J + j] - 1;
      let h = 0;
      const first = m === 0 ? 0 : me[m - 1] + 1;
      for (let dd = first; dd <= t; dd++) {
        const k = (dd * J + j) * B;
        h += iv.close[k + B - 1] / iv.close[k + B - 2] - 1;
      }
      hf[j] = h;
      if (t >= 119) {
        let a = 0, b = 0;
        for (let dd = t - 119; dd <= t; dd++) b += turn[dd * J + j];
        for (let dd = t - 19; dd <= t; dd++) a += turn[dd * J + j];
        crowd[j] = a / 20 / (b / 120);
      }
      if (m >= 11 && !Number.isNaN(pb[t * J + j])) {
        const now = pb[t * J + j];
        let n = 0, less = 0, eq = 0;
        for (let k = Math.max(0, m - 35); k <= m; k++) {
          const v = pb[me[k] * J + j];
          if (Number.isNaN(v)) continue;
          n++;
          if (v < now) less++; else if (v === now) eq++;
        }
        if (n >= 12) pbp[j] = (less + (eq - 1) / 2) / (n - 1);
      }
    }
    const members = ix.membersAt(date);
    const sN = new Array<number>(J).fill(0), sB = new Array<number>(J).fill(0), nRev = new Array<number>(J).fill(0);
    const gD = new Array<number>(J).fill(0), gB = new Array<number>(J).fill(0), nG = new Array<number>(J).fill(0);
    const rN = new Array<number>(J).fill(0), rE = new Array<number>(J).fill(0), nR = new Array<number>(J).fill(0);
    const Y = Number(date.slice(0, 4)) + 1;
    for (const [stock, ind] of members) {
      const j = jOf.get(ind)!;
      if (m >= 3) {
        const a = cons(stock, Y, date), b = cons(stock, Y, cal[me[m - 3]]);
        if (!Number.isNaN(a) && !Number.isNaN(b)) { sN[j] += a; sB[j] += b; nRev[j]++; }
      }
      const ann = announced(ix, stock, date);
      const P = latestPeriod(ann);
      if (P === undefined) continue;
      const base = ann.get(`${Number(P.slice(0, 4)) - 1}${P.slice(4)}`);
      if (base) { gD[j] += ann.get(P)!.netProfit - base.netProfit; gB[j] += Math.abs(base.netProfit); nG[j]++; }
      const q1 = ann.get(prevQuarter(P)), q2 = q1 && ann.get(prevQuarter(q1.reportPeriod)), q3 = q2 && ann.get(prevQuarter(q2.reportPeriod));
      if (q1 && q2 && q3) {
        rN[j] += ann.get(P)!.netProfit + q1.netProfit + q2.netProfit + q3.netProfit;
        rE[j] += ann.get(P)!.equity;
        nR[j]++;
      }
    }
    for (let j = 0; j < J; j++) {
      if (nRev[j] > 0 && sB[j] !== 0) rev[j] = (sN[j] - sB[j]) / Math.abs(sB[j]);
      if (nG[j] > 0 && gB[j] > 0) gro[j] = gD[j] / gB[j];
      if (nR[j] > 0 && rE[j] > 0) roe[j] = rN[j] / rE[j];
    }
    out.momentum_12_1.push(mom12); out.momentum_1m.push(mom1); out.analyst_fy2_revision_3m.push(rev);
    out.growth_np_yoy.push(gro); out.quality_roe.push(roe); out.valuation_pb_percentile.push(pbp);
    out.hf_last30_return.push(hf); out.turnover_crowding.push(crowd);
  }
  return out;
}

/** Monthly rank ICs of factor[m] vs the next month's close-to-close return (NaN skipped; months with < 10 names or a constant factor skipped). */
function rankIcSeries(factor: number[][], close: Float64Array, nAssets: number, me: number[]): number[] {
  const ics: number[] = [];
  for (let m = 0; m + 1 < me.length; m++) {
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < nAssets; i++) {
      const f = factor[m][i], p0 = close[me[m] * nAssets + i], p1 = close[me[m + 1] * nAssets + i];
      if (Number.isNaN(f) || Number.isNaN(p0) || Number.isNaN(p1)) continue;
      x.push(f); y.push(p1 / p0 - 1);
    }
    if (x.length < 10) { ics.push(NaN); continue; }
    ics.push(sampleRankCorrelation(x, y));
  }
  return ics;
}

function finiteMean(x: readonly number[]): number {
  return mean(x.filter((v) => Number.isFinite(v)));
}

/** The four planted stock factors at month ends, recomputed from the dataset: factor -> [month][stock]. */
function stockFactorsFromData(d: MarketDataset): Record<string, number[][]> {
  const ix = indexDataset(d);
  const s = d.stocks!, cal = d.calendar, me = monthEndIdx(cal);
  const N = s.bars.close.assets.length, close = s.bars.close.values, cap = s.bars.totalCap!.values;
  const listIdx = new Map(cal.map((c, t) => [c, t]));
  const out: Record<string, number[][]> = { value_bp: [], growth_np_yoy: [], reversal_1m: [], volatility_60d: [] };
  for (let m = 0; m < me.length; m++) {
    const t = me[m], date = cal[t];
    const v = new Array<number>(N).fill(NaN), g = new Array<number>(N).fill(NaN), r = new Array<number>(N).fill(NaN), vol = new Array<number>(N).fill(NaN);
    for (let i = 0; i < N; i++) {
      const info = s.stocks[i];
      if (Number.isNaN(close[t * N + i]) || t - listIdx.get(info.listDate)! < 60) continue;
      const ann = announced(ix, info.code, date);
      const P = latestPeriod(ann);
      if (P !== undefined) {
        v[i] = ann.get(P)!.equity / cap[t * N + i];
        const base = ann.get(`${Number(P.slice(0, 4)) - 1}${P.slice(4)}`);
        if (base && base.netProfit !== 0) g[i] = (ann.get(P)!.netProfit - base.netProfit) / Math.abs(base.netProfit);
      }
      if (m >= 1 && !Number.isNaN(close[me[m - 1] * N + i])) r[i] = close[t * N + i] / close[me[m - 1] * N + i] - 1;
      const rets: number[] = [];
      for (let dd = Math.max(1, t - 59); dd <= t; dd++) {
        const a = close[(dd - 1) * N + i], b = close[dd * N + i];
        if (!Number.isNaN(a) && !Number.isNaN(b)) rets.push(b / a - 1);
      }
      if (rets.length >= 40) {
        const mu = mean(rets);
        vol[i] = Math.sqrt(rets.reduce((acc, x) => acc + (x - mu) ** 2, 0) / (rets.length - 1));
      }
    }
    out.value_bp.push(v); out.growth_np_yoy.push(g); out.reversal_1m.push(r); out.volatility_60d.push(vol);
  }
  return out;
}

function assertClose(a: number, b: number, what: string, rel = 1e-9): void {
  if (Number.isNaN(a) && Number.isNaN(b)) return;
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);
}

// ------------------------------------------------------------------ tests

describe('simulateMarket: config', () => {
  it('exports small defaults', () => {
    assert.equal(defaultSimulatorConfig.seed, 7);
    assert.equal(defaultSimulatorConfig.nIndustries, 30);
    assert.equal(defaultSimulatorConfig.nStocks, 1000);
    assert.equal(defaultSimulatorConfig.startDate, '2015-01-05');
    assert.equal(defaultSimulatorConfig.years, 10);
  });

  it('rejects bad options with RotationError', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ nStocks: 100 }, 'SIM_CONFIG'], [{ years: 0 }, 'SIM_CONFIG'], [{ years: -1 }, 'SIM_CONFIG'],
      [{ nIndustries: 1 }, 'SIM_CONFIG'], [{ startDate: '2015-02-30' }, 'SIM_CONFIG'], [{ seed: NaN }, 'SIM_CONFIG'],
      [{ plantedIc: { momentum_12_1: 0.9 } }, 'SIM_CONFIG'], [{ plantedIc: { nope: 0.1 } }, 'SIM_CONFIG_UNKNOWN_KEY'],
      [{ nStock: 500 }, 'SIM_CONFIG_UNKNOWN_KEY'], [{ reseed: { from: 'x', seed: 1 } }, 'SIM_CONFIG'],
      [{ years: 0.2 }, 'SIM_CONFIG'],
    ];
    for (const [cfg, code] of bad) {
      assert.throws(() => simulateMarket(cfg as never), (e: unknown) => {
        assert.ok(e instanceof RotationError, `${JSON.stringify(cfg)} throws RotationError`);
        assert.equal(e.code, code, JSON.stringify(cfg));
        assert.ok(e.fix.length > 0 && e.what.length > 0, 'what and fix are filled');
        return true;
      });
    }
  });
});

describe('simulateMarket: determinism', () => {
  it('same seed gives identical data; a different seed differs', () => {
    const cfg = { seed: 3, nStocks: 300, years: 4 };
    const a = datasetHash(simulateMarket(cfg).dataset), b = datasetHash(simulateMarket(cfg).dataset);
    const c = datasetHash(simulateMarket({ ...cfg, seed: 4 }).dataset);
    assert.equal(a, b);
    assert.notEqual(a, c);
  });
});

describe('simulateMarket: shapes and invariants (default config)', () => {
  const d = DEFAULT.dataset;
  const T = d.calendar.length;

  it('has 30 named industries, ~244 trading days a year with holidays, 1,000 stocks', () => {
    assert.equal(d.industries.length, 30);
    assert.equal(d.industries[0].code, 'IND01');
    assert.ok(d.industries.some((x) => x.name === 'Banks') && d.industries.some((x) => x.name === 'Food & Beverage'), 'industry names');
    assert.equal(d.calendar[0], '2015-01-05');
    assert.equal(d.calendar[T - 1], '2024-12-31');
    assert.ok(T / 10 > 240 && T / 10 < 250, `trading days per year ${T / 10}`);
    assert.ok(!d.calendar.includes('2015-10-05') && !d.calendar.includes('2020-01-27'), 'golden week / spring festival closed');
    assert.equal(d.stocks!.stocks.length, 1000);
    assert.ok(d.caveats.some((c) => c.includes('Simulated')), 'caveat says simulated');
  });

  it('industry OHLC is consistent and opens gap from the previous close', () => {
    const { open, high, low, close } = d.industryBars;
    const J = close.assets.length;
    let gaps = 0;
    for (let k = 0; k < close.values.length; k++) {
      const o = open.values[k], h = high.values[k], l = low.values[k], c = close.values[k];
      assert.ok(h >= Math.max(o, c) && l <= Math.min(o, c) && l > 0, `OHLC at cell ${k}`);
      if (k >= J && o !== close.values[k - J]) gaps++;
    }
    assert.ok(gaps > 0.99 * (close.values.length - J), `overnight gaps ${gaps}`);
  });

  it('intraday bars aggregate exactly to the daily bars, U-shaped volume, session times', () => {
    const iv = d.industryIntraday!, B = iv.barsPerDay, J = iv.codes.length;
    assert.deepEqual(iv.times, ['10:00', '10:30', '11:00', '11:30', '13:30', '14:00', '14:30', '15:00']);
    assert.equal(iv.days.length, T);
    const share = new Array<number>(B).fill(0);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < J; j++) {
        const k = t * J + j, kb = k * B;
        let hi = -Infinity, lo = Infinity, v = 0;
        for (let b = 0; b < B; b++) {
          assert.ok(iv.high[kb + b] >= Math.max(iv.open[kb + b], iv.close[kb + b]) && iv.low[kb + b] <= Math.min(iv.open[kb + b], iv.close[kb + b]), 'bar OHLC');
          if (b > 0) assert.equal(iv.open[kb + b], iv.close[kb + b - 1]);
          hi = Math.max(hi, iv.high[kb + b]); lo = Math.min(lo, iv.low[kb + b]); v += iv.volume[kb + b];
          share[b] += iv.volume[kb + b];
        }
        assert.equal(iv.open[kb], d.industryBars.open.values[k]);
        assert.equal(iv.close[kb + B - 1], d.industryBars.close.values[k]);
        assert.equal(hi, d.industryBars.high.values[k]);
        assert.equal(lo, d.industryBars.low.values[k]);
        assertClose(v, d.industryBars.volume.values[k], 'volume', 1e-12);
      }
    }
    assert.ok(share[0] > share[3] && share[B - 1] > share[3], `U-shaped volume ${share.map((x) => x.toExponential(2))}`);
  });

  it('stock cells are NaN exactly where not listed; suspended days carry the close with zero volume', () => {
    const s = d.stocks!, N = s.stocks.length;
    const { close, volume, amount, floatCap, totalCap, tradable } = s.bars;
    let suspended = 0, ipo = 0, delisted = 0;
    for (let i = 0; i < N; i++) {
      const info = s.stocks[i];
      if (info.listDate > d.calendar[0]) ipo++;
      if (info.delistDate) delisted++;
      for (let t = 0; t < T; t++) {
        const k = t * N + i;
        const listed = d.calendar[t] >= info.listDate && (info.delistDate === undefined || d.calendar[t] <= info.delistDate);
        for (const p of [close, volume, amount!, floatCap!, totalCap!, tradable!]) assert.equal(Number.isNaN(p.values[k]), !listed);
        if (listed && volume.values[k] === 0) {
          suspended++;
          assert.equal(tradable!.values[k], 0);
          assert.equal(close.values[k], close.values[k - N]);
        }
      }
    }
    assert.ok(suspended > 0 && ipo > 300 && delisted > 20, `suspended ${suspended}, ipo ${ipo}, delisted ${delisted}`);
    const loss = d.losses[0];
    assertBalanced(loss);
    assert.equal(loss.rowsRead, T * N);
    assert.ok(loss.dropped['not yet listed'] > 0 && loss.dropped.suspended > 0 && loss.dropped.delisted > 0, JSON.stringify(loss.dropped));
  });

  it('membership windows never overlap and cover each listing; some stocks change industry', () => {
    const s = d.stocks!;
    const byStock = new Map<string, typeof s.membership>();
    for (const r of s.membership) {
      assert.equal(r.scheme, 'sim_l1');
      if (!byStock.has(r.stock)) byStock.set(r.stock, []);
      byStock.get(r.stock)!.push(r);
    }
    let changes = 0;
    for (const info of s.stocks) {
      const recs = byStock.get(info.code)!;
      recs.sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
      assert.equal(recs[0].validFrom, info.listDate);
      assert.equal(recs[recs.length - 1].validTo, info.delistDate);
      for (let k = 1; k < recs.length; k++) {
        assert.ok(recs[k - 1].validTo !== undefined && recs[k - 1].validTo! < recs[k].validFrom, `overlap ${info.code}`);
        assert.notEqual(recs[k - 1].industry, recs[k].industry);
        changes++;
      }
    }
    assert.ok(changes >= 5, `industry changes ${changes}`);
  });

  it('fundamentals are announced after their period, in the A-share windows', () => {
    const f = d.stocks!.fundamentals!;
    assert.ok(f.length > 30_000, `${f.length} fundamental records`);
    for (const r of f) {
      assert.ok(r.announceDate > r.reportPeriod, `${r.stock} ${r.reportPeriod} ${r.announceDate}`);
      const y = Number(r.reportPeriod.slice(0, 4)), md = r.reportPeriod.slice(5);
      const listed = d.stocks!.stocks.find((x) => x.code === r.stock)!.listDate;
      if (r.announceDate === listed) continue; // pre-IPO quarters are published with the prospectus
      const deadline = md === '03-31' ? `${y}-04-30` : md === '06-30' ? `${y}-08-31` : md === '09-30' ? `${y}-10-31` : `${y + 1}-04-30`;
      assert.ok(r.announceDate <= deadline, `${r.stock} ${r.reportPeriod} announced ${r.announceDate}`);
      assert.ok(Number.isFinite(r.netProfit) && Number.isFinite(r.revenue) && r.equity > 0, 'finite fundamentals');
    }
  });

  it('forecasts: several brokers, more for large caps, FY1 and FY2 each year', () => {
    const fc = forecastRecords(d.stocks!.forecasts!);
    assert.ok(fc.length > 100_000, `${fc.length} forecasts`);
    const brokers = new Map<string, Set<string>>();
    for (const r of fc) {
      const y = Number(r.forecastDate.slice(0, 4));
      assert.ok(r.fiscalYear >= y && r.fiscalYear <= y + 2, 'fiscal year FY1..FY3');
      assert.ok(r.rating >= 1 && r.rating <= 5 && Number.isInteger(r.rating), 'rating 1..5');
      if (!brokers.has(r.stock)) brokers.set(r.stock, new Set());
      brokers.get(r.stock)!.add(r.broker);
    }
    const cap0 = d.stocks!.bars.totalCap!;
    const N = cap0.assets.length, t = d.calendar.length - 1;
    const big: number[] = [], small: number[] = [];
    const caps = cap0.assets.map((_, i) => cap0.values[t * N + i]).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const q80 = caps[Math.floor(caps.length * 0.8)], q20 = caps[Math.floor(caps.length * 0.2)];
    cap0.assets.forEach((code, i) => {
      const c = cap0.values[t * N + i];
      const n = brokers.get(code)?.size ?? 0;
      if (c >= q80) big.push(n); else if (c <= q20) small.push(n);
    });
    assert.ok(mean(big) > 2 * mean(small), `brokers per large cap ${mean(big)} vs small ${mean(small)}`);
  });

  it('SIM500 weights sum to 1 on every month end and stay in a mid-cap band', () => {
    const w = d.stocks!.indexWeights!;
    const byDate = new Map<string, number[]>();
    for (const r of w) {
      assert.equal(r.index, 'SIM500');
      assert.ok(r.weight > 0 && r.weight <= 0.1 + 1e-12, `weight ${r.weight}`);
      if (!byDate.has(r.date)) byDate.set(r.date, []);
      byDate.get(r.date)!.push(r.weight);
    }
    assert.equal(byDate.size, monthEndIdx(d.calendar).length);
    for (const [date, ws] of byDate) {
      assert.ok(Math.abs(ws.reduce((a, b) => a + b, 0) - 1) < 1e-9, `sum at ${date}`);
      assert.ok(ws.length >= 200 && ws.length <= 500, `${ws.length} members at ${date}`);
    }
  });

  it('valuation panels are consistent with constituents (PE = sum cap / sum TTM profit)', () => {
    const { pe, pb, dividendYield } = d.industryBars;
    const J = pe!.assets.length, t = T - 1;
    for (let j = 0; j < J; j++) {
      const k = t * J + j;
      assert.ok(pb!.values[k] > 0 && dividendYield!.values[k] >= 0 && dividendYield!.values[k] < 0.2, `pb ${pb!.values[k]} dy ${dividendYield!.values[k]} of ${pb!.assets[j]}`);
    }
    // recompute one industry's PE at the last date from the records
    const ix = indexDataset(d);
    const date = d.calendar[t], members = ix.membersAt(date);
    const code = 'IND10';
    const N = d.stocks!.stocks.length, tc = d.stocks!.bars.totalCap!;
    let capSum = 0, npSum = 0;
    d.stocks!.stocks.forEach((info, i) => {
      if (members.get(info.code) !== code) return;
      const ann = announced(ix, info.code, date);
      const P = latestPeriod(ann);
      if (P === undefined) return;
      const q1 = ann.get(prevQuarter(P)), q2 = q1 && ann.get(prevQuarter(q1.reportPeriod)), q3 = q2 && ann.get(prevQuarter(q2.reportPeriod));
      if (!q1 || !q2 || !q3) return;
      capSum += tc.values[t * N + i];
      npSum += ann.get(P)!.netProfit + q1.netProfit + q2.netProfit + q3.netProfit;
    });
    assertClose(pe!.values[t * J + pe!.assets.indexOf(code)], capSum / npSum, 'PE of IND10', 1e-9);
  });

  it('regime path has 3 persistent states with different volatility', () => {
    const { regimePath, regimes } = DEFAULT.truth;
    assert.equal(regimePath.length, T);
    assert.equal(regimes.length, 3);
    let switches = 0;
    for (let t = 1; t < T; t++) if (regimePath[t] !== regimePath[t - 1]) switches++;
    assert.ok(switches > 5 && T / (switches + 1) > 40, `${switches} switches`);
    assert.ok(regimes[2].annualVol > 2 * regimes[1].annualVol, 'bear regime is volatile');
  });
});

describe('simulateMarket: calibration (CALIBRATION.md targets, default config)', () => {
  const rows = calibrationStats(DEFAULT.dataset);
  const get = (name: string): number => {
    const r = rows.find((x) => x.statistic.startsWith(name));
    assert.ok(r, `statistic ${name}`);
    return r.achieved;
  };

  it('prints the target vs achieved table', () => {
    console.log(`\n${formatCalibrationTable(rows)}\n`);
  });

  it('industry and market volatility, correlation, tails and clustering are in band', () => {
    const bands: [string, number, number][] = [
      ['industry daily vol', 0.2, 0.4],
      ['EW market daily vol', 0.17, 0.35],
      ['industry idiosyncratic vol', 0.11, 0.22],
      ['mean pairwise correlation, daily', 0.55, 0.82],
      ['mean pairwise correlation, monthly', 0.5, 0.85],
      ['industry daily excess kurtosis', 1.5, 10],
      ['acf of |EW return|, lag 1', 0.15, 0.5],
      ['acf of |EW return|, lag 20', 0.05, 0.4],
      ['60-day EW vol, annualized, 10th', 0.07, 0.17],
      ['60-day EW vol, annualized, 50th', 0.12, 0.26],
      ['60-day EW vol, annualized, 90th', 0.25, 0.55],
      ['monthly cross-sectional std of industry returns', 0.03, 0.055],
      ['daily change of log volume', 0.12, 0.28],
    ];
    for (const [name, lo, hi] of bands) {
      const v = get(name);
      assert.ok(v >= lo && v <= hi, `${name} = ${v} not in [${lo}, ${hi}]`);
    }
  });

  it('stock volatility, dispersion and the benchmark are in band', () => {
    const bands: [string, number, number][] = [
      ['stock monthly return std', 0.1, 0.2],
      ['stock annualized vol, median stock', 0.35, 0.62],
      ['stock monthly return excess kurtosis', 2, 60],
      ['monthly cross-sectional std of stock returns', 0.09, 0.16],
      ['benchmark weight, max', 0.002, 0.02],
      ['benchmark industries represented', 20, 30],
      ['benchmark largest industry weight', 0.06, 0.3],
    ];
    for (const [name, lo, hi] of bands) {
      const v = get(name);
      assert.ok(v >= lo && v <= hi, `${name} = ${v} not in [${lo}, ${hi}]`);
    }
    assert.ok(get('stocks per industry at the end, min') < get('stocks per industry at the end, median') / 3, 'uneven industry sizes');
    assert.ok(get('listed stocks, last month') > 1.8 * get('listed stocks, first month'), 'listings grow over time');
  });
});

describe('simulateMarket: planted signals are recovered by an independent computation', () => {
  // 16 seeds x 10 years x 30 industries: the standard error of a mean monthly rank IC is about
  // 0.19 / sqrt(16 * 108) = 0.0045; the tolerance below is 0.02 (about 4.4 standard errors).
  // 150 stocks (5 per industry) keep it fast: the planted strength does not depend on the stock count.
  const SEEDS = Array.from({ length: 16 }, (_, k) => 101 + k);
  const TOL = 0.02;
  const runs = SEEDS.map((seed) => {
    const sim = simulateMarket({ seed, nStocks: 150 });
    return { sim, factors: industryFactorsFromData(sim.dataset) };
  });

  it('the recomputed factors equal the simulator\'s own month-end measurements (no hidden inputs)', () => {
    for (const { sim, factors } of runs.slice(0, 2)) {
      const J = sim.dataset.industries.length;
      for (const f of INDUSTRY_FACTORS) {
        const truth = sim.truth.industryFactors[f];
        factors[f].forEach((row, m) => row.forEach((v, j) => assertClose(v, truth.values[m * J + j], `${f} m=${m} j=${j}`)));
      }
    }
  });

  it('each industry factor\'s mean rank IC has the planted sign and is within 0.02 of the planted IC', () => {
    const lines: string[] = [];
    for (const f of INDUSTRY_FACTORS) {
      if (f === 'turnover_crowding') continue;
      const all: number[] = [];
      for (const { sim, factors } of runs) {
        const me = monthEndIdx(sim.dataset.calendar);
        all.push(...rankIcSeries(factors[f], sim.dataset.industryBars.close.values, sim.dataset.industries.length, me));
      }
      const ic = finiteMean(all), planted = runs[0].sim.truth.plantedIc[f];
      lines.push(`${f}: planted ${planted.toFixed(3)}, recovered ${ic.toFixed(4)} (${all.filter(Number.isFinite).length} months)`);
      assert.equal(Math.sign(ic), Math.sign(planted), `${f} sign: ${ic}`);
      assert.ok(Math.abs(ic - planted) <= TOL, `${f}: recovered ${ic} vs planted ${planted}`);
    }
    console.log(lines.join('\n'));
  });

  it('the switch-off factor is negative before the switch date and near zero after', () => {
    const before: number[] = [], after: number[] = [];
    for (const { sim, factors } of runs) {
      const me = monthEndIdx(sim.dataset.calendar);
      const ics = rankIcSeries(factors.turnover_crowding, sim.dataset.industryBars.close.values, sim.dataset.industries.length, me);
      ics.forEach((ic, m) => { if (Number.isFinite(ic)) (sim.dataset.calendar[me[m]] < sim.truth.switchOff.date ? before : after).push(ic); });
    }
    const b = mean(before), a = mean(after);
    console.log(`turnover_crowding: planted ${runs[0].sim.truth.switchOff.icBefore} before ${runs[0].sim.truth.switchOff.date}, 0 after; recovered ${b.toFixed(4)} before, ${a.toFixed(4)} after`);
    assert.ok(b < -0.035 && Math.abs(b - runs[0].sim.truth.switchOff.icBefore) <= TOL, `before ${b}`);
    assert.ok(Math.abs(a) < 0.02, `after ${a}`);
  });

  it('with signalStrength 0 no factor predicts (mean |IC| small)', () => {
    const sim = simulateMarket({ seed: 101, nStocks: 150, signalStrength: 0 });
    const factors = industryFactorsFromData(sim.dataset);
    const me = monthEndIdx(sim.dataset.calendar);
    for (const f of INDUSTRY_FACTORS) {
      const ic = finiteMean(rankIcSeries(factors[f], sim.dataset.industryBars.close.values, 30, me));
      assert.ok(Math.abs(ic) < 0.05, `${f} without signal: ${ic}`);
    }
  });
});

describe('simulateMarket: stock-level signals (default config)', () => {
  const d = DEFAULT.dataset;
  const me = monthEndIdx(d.calendar);
  const N = d.stocks!.stocks.length;
  const close = d.stocks!.bars.close.values;
  const factors = stockFactorsFromData(d);
  const off = simulateMarket({ signalStrength: 0 });
  const offFactors = stockFactorsFromData(off.dataset);

  it('the recomputed stock factors equal the simulator\'s measurements', () => {
    for (const f of STOCK_FACTORS) {
      const truth = DEFAULT.truth.stockFactors[f];
      factors[f].forEach((row, m) => row.forEach((v, i) => assertClose(v, truth.values[m * N + i], `${f} m=${m} i=${i}`)));
    }
  });

  it('planted stock ICs are recovered within industries, net of the no-signal baseline (tolerance 0.012)', () => {
    // stock signals are planted within industries: measure them against industry-relative returns
    const lines: string[] = [];
    const relIc = (sim: SimulatedMarket, fac: number[][]): number => {
      const dd = sim.dataset, ix = indexDataset(dd), J = dd.industries.length;
      const jOf = new Map(dd.industries.map((x, j) => [x.code, j]));
      const sc = dd.stocks!.bars.close.values, ic = dd.industryBars.close.values;
      const ics: number[] = [];
      for (let m = 12; m + 1 < me.length; m++) {
        const members = ix.membersAt(dd.calendar[me[m]]);
        const x: number[] = [], y: number[] = [];
        dd.stocks!.stocks.forEach((info, i) => {
          const f = fac[m][i], p0 = sc[me[m] * N + i], p1 = sc[me[m + 1] * N + i];
          if (Number.isNaN(f) || Number.isNaN(p0) || Number.isNaN(p1)) return;
          const j = jOf.get(members.get(info.code)!)!;
          x.push(f); y.push(p1 / p0 - ic[me[m + 1] * J + j] / ic[me[m] * J + j]);
        });
        ics.push(sampleRankCorrelation(x, y));
      }
      return mean(ics);
    };
    for (const f of STOCK_FACTORS) {
      const raw = finiteMean(rankIcSeries(factors[f], close, N, me));
      const on = relIc(DEFAULT, factors[f]), base = relIc(off, offFactors[f]);
      const planted = DEFAULT.truth.stockPlantedIc[f];
      lines.push(`stock ${f}: planted ${planted.toFixed(3)}; rank IC vs industry-relative return ${on.toFixed(4)}, baseline (signal off) ${base.toFixed(4)}, net ${(on - base).toFixed(4)}; vs raw return ${raw.toFixed(4)}`);
      assert.equal(Math.sign(on - base), Math.sign(planted), f);
      assert.ok(Math.abs(on - base - planted) <= 0.012, `${f}: net ${on - base} vs planted ${planted}`);
    }
    console.log(lines.join('\n'));
  });

  it('an industry score projected on stocks has an IC series correlated with the stock growth factor', () => {
    // industry score: mean of cross-sectional ranks of the planted industry factors, signed by the planted IC
    const ind = industryFactorsFromData(d);
    const J = d.industries.length;
    const jOf = new Map(d.industries.map((x, j) => [x.code, j]));
    const ix = indexDataset(d);
    const score: number[][] = me.map((_, m) => {
      const s = new Array<number>(J).fill(0);
      for (const f of INDUSTRY_FACTORS) {
        if (f === 'turnover_crowding') continue;
        const sign = Math.sign(DEFAULT.truth.plantedIc[f]);
        const row = ind[f][m];
        const valid = row.map((v, j) => [v, j] as const).filter(([v]) => !Number.isNaN(v)).sort((a, b) => a[0] - b[0]);
        valid.forEach(([, j], r) => { s[j] += sign * (r / Math.max(1, valid.length - 1) - 0.5); });
      }
      return s;
    });
    const projected = me.map((t, m) => {
      const members = ix.membersAt(d.calendar[t]);
      return d.stocks!.stocks.map((info) => (members.has(info.code) ? score[m][jOf.get(members.get(info.code)!)!] : NaN));
    });
    const icScore = rankIcSeries(projected, close, N, me), icGrowth = rankIcSeries(factors.growth_np_yoy, close, N, me);
    const x: number[] = [], y: number[] = [];
    for (let m = 12; m < icScore.length; m++) if (Number.isFinite(icScore[m]) && Number.isFinite(icGrowth[m])) { x.push(icScore[m]); y.push(icGrowth[m]); }
    const r = sampleRankCorrelation(x, y);
    console.log(`industry score on stocks: mean rank IC ${mean(x).toFixed(4)}; correlation of its IC series with stock growth's: ${r.toFixed(3)}`);
    assert.ok(mean(x) > 0.02, `projected industry score IC ${mean(x)}`);
    assert.ok(r > 0.3, `IC-series correlation ${r}`);
  });
});

describe('simulateMarket: no look-ahead', () => {
  it('re-drawing every shock from a date on leaves all data and signals before it unchanged', () => {
    const from = '2018-01-01';
    const base = simulateMarket({ seed: 11, nStocks: 300, years: 5 });
    const alt = simulateMarket({ seed: 11, nStocks: 300, years: 5, reseed: { from, seed: 999 } });
    const cal = base.dataset.calendar;
    const cut = cal.findIndex((dd) => dd >= from);
    const panels: [Float64Array, Float64Array, number][] = [];
    for (const k of Object.keys(base.dataset.industryBars) as (keyof typeof base.dataset.industryBars)[]) {
      panels.push([base.dataset.industryBars[k]!.values, alt.dataset.industryBars[k]!.values, 30]);
    }
    const baseBars = base.dataset.stocks!.bars, altBars = alt.dataset.stocks!.bars;
    for (const k of Object.keys(baseBars) as (keyof typeof baseBars)[]) {
      panels.push([baseBars[k]!.values, altBars[k]!.values, 300]);
    }
    for (const [a, b, n] of panels) {
      assert.deepEqual(a.subarray(0, cut * n), b.subarray(0, cut * n));
      assert.notDeepEqual(a.subarray(cut * n), b.subarray(cut * n));
    }
    // month-end signals and drifts up to the last month end before `from` are identical
    const me = base.truth.monthEnds;
    const mCut = me.findIndex((x) => x >= from);
    for (const f of INDUSTRY_FACTORS) {
      assert.deepEqual(base.truth.industryFactors[f].values.subarray(0, mCut * 30), alt.truth.industryFactors[f].values.subarray(0, mCut * 30));
    }
    assert.deepEqual(base.truth.industryDrift.values.subarray(0, mCut * 30), alt.truth.industryDrift.values.subarray(0, mCut * 30));
    const before = (r: { forecastDate: string }): boolean => r.forecastDate < from;
    assert.deepEqual(forecastRecords(base.dataset.stocks!.forecasts!).filter(before), forecastRecords(alt.dataset.stocks!.forecasts!).filter(before));
  });

  it('a month-end signal computed from data truncated at that date equals the full-data value', () => {
    const sim = runsForTruncation();
    const full = industryFactorsFromData(sim.dataset);
    const me = monthEndIdx(sim.dataset.calendar);
    const m = 40, t = me[m], date = sim.dataset.calendar[t];
    const trunc = truncateDataset(sim.dataset, t);
    const part = industryFactorsFromData(trunc);
    for (const f of INDUSTRY_FACTORS) part[f][m].forEach((v, j) => assertClose(v, full[f][m][j], `${f} at ${date}`));
    // and the simulator's drift for the next month only depends on these values
    for (const f of INDUSTRY_FACTORS) part[f][m].forEach((v, j) => assertClose(v, sim.truth.industryFactors[f].values[m * 30 + j], `${f} truth`));
  });
});

function runsForTruncation(): SimulatedMarket {
  return simulateMarket({ seed: 12, nStocks: 300, years: 5 });
}

/** Everything dated after calendar index t removed: panels cut, records filtered by their known-from date. */
function truncateDataset(d: MarketDataset, t: number): MarketDataset {
  const date = d.calendar[t];
  const cutPanel = <P extends { dates: readonly string[]; assets: readonly string[]; values: Float64Array }>(p: P): P =>
    ({ ...p, dates: p.dates.slice(0, t + 1), values: p.values.slice(0, (t + 1) * p.assets.length) });
  const bars = Object.fromEntries(Object.entries(d.industryBars).map(([k, p]) => [k, cutPanel(p!)])) as unknown as MarketDataset['industryBars'];
  const iv = d.industryIntraday!;
  const nb = (t + 1) * iv.codes.length * iv.barsPerDay;
  const s = d.stocks!;
  return {
    ...d,
    calendar: d.calendar.slice(0, t + 1),
    industryBars: bars,
    industryIntraday: { ...iv, days: iv.days.slice(0, t + 1), open: iv.open.slice(0, nb), high: iv.high.slice(0, nb), low: iv.low.slice(0, nb), close: iv.close.slice(0, nb), volume: iv.volume.slice(0, nb) },
    stocks: {
      ...s,
      stocks: s.stocks.map((x) => ({ ...x, delistDate: x.delistDate !== undefined && x.delistDate <= date ? x.delistDate : undefined })),
      bars: Object.fromEntries(Object.entries(s.bars).map(([k, p]) => [k, cutPanel(p!)])) as unknown as typeof s.bars,
      membership: s.membership.filter((r) => r.validFrom <= date).map((r) => ({ ...r, validTo: r.validTo !== undefined && r.validTo <= date ? r.validTo : undefined })),
      fundamentals: s.fundamentals!.filter((r) => r.announceDate <= date),
      forecasts: forecastColumns(forecastRecords(s.forecasts!).filter((r) => r.forecastDate <= date)),
      indexWeights: s.indexWeights!.filter((r) => r.date <= date),
    },
  };
}
