/**
 * Small synthetic MarketDatasets for hand-worked factor tests (not a test file itself).
 */
import assert from 'node:assert/strict';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import type {
  ForecastRecord, FundamentalRecord, IntradayBars, MarketDataset, MembershipRecord, StockData,
} from '../../../src/data/types.js';
import { forecastColumns } from '../../../src/data/forecasts.js';

/** n weekdays starting at `start` (ISO). */
export function weekdays(start: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (out.length < n) {
    const w = d.getUTCDay();
    if (w !== 0 && w !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

export function codes(J: number): string[] {
  return Array.from({ length: J }, (_, j) => `I${j}`);
}

/** Panel from a function of (row, column). */
export function panelOf(dates: readonly string[], assets: readonly string[], f: (t: number, j: number) => number): Panel {
  const T = dates.length, J = assets.length;
  const v = new Float64Array(T * J);
  for (let t = 0; t < T; t++) for (let j = 0; j < J; j++) v[t * J + j] = f(t, j);
  return createPanel(dates, assets, v);
}

export interface DatasetSpec {
  J: number;
  T: number;
  start?: string;
  close: (t: number, j: number) => number;
  open?: (t: number, j: number) => number;
  high?: (t: number, j: number) => number;
  low?: (t: number, j: number) => number;
  volume?: (t: number, j: number) => number;
  pe?: (t: number, j: number) => number;
  pb?: (t: number, j: number) => number;
  ps?: (t: number, j: number) => number;
  dividendYield?: (t: number, j: number) => number;
  intraday?: (calendar: string[], codes: string[]) => IntradayBars;
  stocks?: (calendar: string[], codes: string[]) => StockData;
}

/** A dataset with the given industry bar functions (open/high/low/volume default to close-based values). */
export function makeDataset(spec: DatasetSpec): MarketDataset {
  const calendar = weekdays(spec.start ?? '2020-01-01', spec.T);
  const cs = codes(spec.J);
  const p = (f: (t: number, j: number) => number) => panelOf(calendar, cs, f);
  const ds: MarketDataset = {
    name: 'synthetic',
    calendar,
    industries: cs.map((code) => ({ code, name: code })),
    industryBars: {
      open: p(spec.open ?? spec.close),
      high: p(spec.high ?? spec.close),
      low: p(spec.low ?? spec.close),
      close: p(spec.close),
      volume: p(spec.volume ?? (() => 1000)),
    },
    losses: [],
    caveats: [],
  };
  if (spec.pe) ds.industryBars.pe = p(spec.pe);
  if (spec.pb) ds.industryBars.pb = p(spec.pb);
  if (spec.ps) ds.industryBars.ps = p(spec.ps);
  if (spec.dividendYield) ds.industryBars.dividendYield = p(spec.dividendYield);
  if (spec.intraday) ds.industryIntraday = spec.intraday(calendar, cs);
  if (spec.stocks) ds.stocks = spec.stocks(calendar, cs);
  return ds;
}

/** Intraday bars from a function giving [open, high, low, close, volume] of (day, code, bar). */
export function makeIntraday(days: string[], cs: string[], B: number, f: (d: number, i: number, b: number) => [number, number, number, number, number]): IntradayBars {
  const n = days.length * cs.length * B;
  const o = new Float64Array(n), h = new Float64Array(n), l = new Float64Array(n), c = new Float64Array(n), v = new Float64Array(n);
  for (let d = 0; d < days.length; d++) {
    for (let i = 0; i < cs.length; i++) {
      for (let b = 0; b < B; b++) {
        const k = (d * cs.length + i) * B + b;
        [o[k], h[k], l[k], c[k], v[k]] = f(d, i, b);
      }
    }
  }
  const times = Array.from({ length: B }, (_, b) => `${String(10 + Math.floor(b / 2)).padStart(2, '0')}:${b % 2 ? '30' : '00'}`);
  return { codes: [...cs], days: [...days], times, barsPerDay: B, open: o, high: h, low: l, close: c, volume: v };
}

/** Stock data with the given membership / fundamentals / forecasts and flat stock bars. */
export function makeStocks(calendar: string[], membership: MembershipRecord[], fundamentals?: FundamentalRecord[], forecasts?: ForecastRecord[]): StockData {
  const stocks = [...new Set(membership.map((m) => m.stock))].sort();
  const flat = panelOf(calendar, stocks, () => 10);
  return {
    stocks: stocks.map((code) => ({ code, name: code, listDate: calendar[0] })),
    bars: { close: flat, volume: flat, floatCap: panelOf(calendar, stocks, (_t, s) => 100 * (s + 1)) },
    membership,
    fundamentals,
    forecasts: forecasts && forecastColumns(forecasts),
  };
}

/** A fundamental record with defaults. */
export function report(stock: string, reportPeriod: string, announceDate: string, v: Partial<FundamentalRecord> = {}): FundamentalRecord {
  return {
    stock, reportPeriod, announceDate,
    revenue: v.revenue ?? 100, netProfit: v.netProfit ?? 10, grossProfit: v.grossProfit ?? 30,
    operatingCashFlow: v.operatingCashFlow ?? 12, equity: v.equity ?? 200, dividends: v.dividends ?? NaN,
  };
}

/** The shared assertion (test/unit/assertions.ts), re-exported for these tests. */
export { throwsCode } from '../assertions.js';

/** Value of a result panel at (date, industry). */
export function cellOf(p: Panel, date: string, code: string): number {
  const t = p.dates.indexOf(date), j = p.assets.indexOf(code);
  assert.ok(t >= 0 && j >= 0, `no cell ${date} ${code}`);
  return p.values[t * p.assets.length + j];
}

export function near(actual: number, expected: number, tol = 1e-12, msg = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${msg} expected ${expected}, got ${actual}`);
}

/** Quarter ends q0 = 2019-03-31 .. q8 = 2021-03-31 and their announce dates. */
export const QUARTERS = ['2019-03-31', '2019-06-30', '2019-09-30', '2019-12-31', '2020-03-31', '2020-06-30', '2020-09-30', '2020-12-31', '2021-03-31'];
export const ANNOUNCE = ['2019-04-25', '2019-08-20', '2019-10-25', '2020-03-30', '2020-04-25', '2020-08-20', '2020-10-25', '2021-03-30', '2021-04-25'];

/**
 * The fundamentals fixture: industries I0..I5 with stocks S{j}a (NP = 10 + j + q) and S{j}b
 * (NP = 20 + (2 + j)·q), revenue 100 + 10q, gross profit 30 + q, OCF NP + 3, equity 200 + 5q
 * for quarter q; plus the point-in-time twists:
 * - S1a announces q5 late (2020-10-15);
 * - S2a's q1 is restated to NP 100 on 2020-09-10 and to NP 1000 on 2020-10-10;
 * - X moves from I3 to I4 on 2020-09-01 (NP = 50 + 5q);
 * - Y (I5, NP 1000) reports q0..q4 only (stale from mid-2021).
 */
export function fundamentalsFixture(T = 400): MarketDataset {
  const membership: MembershipRecord[] = [];
  const fundamentals: FundamentalRecord[] = [];
  const np: Record<string, (q: number) => number> = {};
  for (let j = 0; j < 6; j++) {
    membership.push({ stock: `S${j}a`, industry: `I${j}`, scheme: 'test_l1', validFrom: '2019-01-01' });
    membership.push({ stock: `S${j}b`, industry: `I${j}`, scheme: 'test_l1', validFrom: '2019-01-01' });
    np[`S${j}a`] = (q) => 10 + j + q;
    np[`S${j}b`] = (q) => 20 + (2 + j) * q;
  }
  membership.push({ stock: 'X', industry: 'I3', scheme: 'test_l1', validFrom: '2019-01-01', validTo: '2020-08-31' });
  membership.push({ stock: 'X', industry: 'I4', scheme: 'test_l1', validFrom: '2020-09-01' });
  membership.push({ stock: 'Y', industry: 'I5', scheme: 'test_l1', validFrom: '2020-01-01' });
  np.X = (q) => 50 + 5 * q;
  np.Y = () => 1000;
  for (const [stock, f] of Object.entries(np)) {
    for (let q = 0; q < QUARTERS.length; q++) {
      if (stock === 'Y' && q > 4) continue;
      const ann = stock === 'S1a' && q === 5 ? '2020-10-15' : ANNOUNCE[q];
      fundamentals.push(report(stock, QUARTERS[q], ann, {
        netProfit: f(q), revenue: 100 + 10 * q, grossProfit: 30 + q, operatingCashFlow: f(q) + 3, equity: 200 + 5 * q,
      }));
    }
  }
  fundamentals.push(report('S2a', QUARTERS[1], '2020-09-10', { netProfit: 100, revenue: 110, grossProfit: 31, operatingCashFlow: 103, equity: 205 }));
  fundamentals.push(report('S2a', QUARTERS[1], '2020-10-10', { netProfit: 1000, revenue: 110, grossProfit: 31, operatingCashFlow: 1003, equity: 205 }));
  return makeDataset({
    J: 6, T, start: '2020-01-01', close: (t, j) => 100 + t + j,
    stocks: (cal) => makeStocks(cal, membership, fundamentals),
  });
}
