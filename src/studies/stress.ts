/**
 * Extreme markets: how each strategy did in named stress windows of its market (defined in data,
 * `data/stress_windows.json`, not in code) and in data-driven ones (the worst 5% of the
 * benchmark's months; terciles of the benchmark's monthly realized volatility), plus tail metrics
 * over the whole sample.
 *
 * Series: each backtest's rebalance-period returns (`rebalancePeriodSeries`: monthly for month-end
 * rebalancing), labelled by the month of the period end (yyyy-mm). A window is a set of months; a
 * strategy's figures in it use the months of its own series that fall in the window:
 *
 *   return R = Π(1 + r_m) − 1, benchmark B = Π(1 + b_m) − 1, excess = R − B (compounded, not annualized);
 *   max drawdown and excess max drawdown (of W/B) on the DAILY returns of the window's days (contiguous
 *   windows only: a drawdown across non-adjacent months means nothing);
 *   t of the mean monthly active return (`activeReturnTest`, plain and Newey-West) where the window has
 *   at least `activeTestMinPeriods` months; fewer: no t, and the reason.
 *
 * The data-driven windows classify months ex post with the whole sample (a description of what
 * happened, not a tradable signal). A named window outside the data is skipped and listed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../errors.js';
import { projectRoot } from '../data/paths.js';
import type { BacktestResult } from '../backtest/types.js';
import { rebalancePeriodSeries } from '../backtest/summary.js';
import { activeReturnTest, activeTestMinPeriods } from '../metrics/activeSignificance.js';
import { maxDrawdown } from '../metrics/drawdown.js';
import { excessMaxDrawdown } from '../metrics/relative.js';
import { conditionalValueAtRisk, downsideCapture } from '../metrics/tail.js';

/** The stress window file, relative to the project root. */
export const STRESS_WINDOWS_FILE = path.join('data', 'stress_windows.json');

export interface StressWindowDef { name: string; start: string; end: string; note?: string }
export interface StressMarketDef { label: string; extends?: string; windows: StressWindowDef[] }
export interface StressWindowFile {
  version: 1;
  markets: Record<string, StressMarketDef>;
  datasets: { match: string; market: string | null; note?: string }[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Read and validate the stress window file (default `data/stress_windows.json` under the project
 * root). STRESS_BAD_FILE names the file and the entry (market, window) that is wrong: missing,
 * not JSON, a month not yyyy-mm, start after end, an unknown `extends` or dataset market.
 */
export function loadStressWindows(file = path.join(projectRoot(), STRESS_WINDOWS_FILE)): StressWindowFile {
  let raw: unknown;
  const bad = (what: string, where: Record<string, string | number> = {}): RotationError =>
    new RotationError('STRESS_BAD_FILE', what, { file, ...where }, `fix ${STRESS_WINDOWS_FILE} (markets.<key>.windows: [{ name, start: "yyyy-mm", end: "yyyy-mm" }])`);
  try { raw = JSON.parse(readFileSync(file, 'utf8')); } catch (e) {
    throw bad(`Cannot read the stress windows: ${(e as Error).message}`);
  }
  const f = raw as StressWindowFile;
  if (!f || f.version !== 1 || typeof f.markets !== 'object' || f.markets === null || !Array.isArray(f.datasets)) {
    throw bad('The stress window file must hold { "version": 1, "markets": {...}, "datasets": [...] }');
  }
  for (const [key, m] of Object.entries(f.markets)) {
    if (!m || !Array.isArray(m.windows)) throw bad(`Market "${key}" has no windows list`, { market: key });
    if (m.extends !== undefined && !(m.extends in f.markets)) throw bad(`Market "${key}" extends unknown market "${m.extends}"`, { market: key });
    m.windows.forEach((w, i) => {
      if (!w || typeof w.name !== 'string' || !MONTH.test(String(w.start)) || !MONTH.test(String(w.end))) {
        throw bad(`Window ${i + 1} of market "${key}" needs a name and start/end months yyyy-mm`, { market: key, window: i + 1 });
      }
      if (w.start > w.end) throw bad(`Window "${w.name}" of market "${key}" starts (${w.start}) after it ends (${w.end})`, { market: key, window: w.name });
    });
  }
  f.datasets.forEach((d, i) => {
    if (!d || typeof d.match !== 'string' || (d.market !== null && !(d.market in f.markets))) {
      throw bad(`Dataset mapping ${i + 1} needs a "match" pattern and a known market (or null)`, { mapping: i + 1 });
    }
  });
  return f;
}

/**
 * The market key of a dataset name (e.g. "CITIC L1 (Wind export)" → "ashare"): the first mapping
 * whose pattern matches (case-insensitive). `market` null: no named windows (the simulator, or no
 * mapping matched), with the reason in `note`.
 */
export function stressMarketOf(datasetName: string, file: StressWindowFile = loadStressWindows()): { market: string | null; note?: string } {
  for (const d of file.datasets) {
    if (new RegExp(d.match, 'i').test(datasetName)) return { market: d.market, note: d.note };
  }
  return { market: null, note: `no market in ${STRESS_WINDOWS_FILE} matches dataset "${datasetName}": named windows not used` };
}

/** The named windows of a market and of its `extends` chain, by start month. STRESS_UNKNOWN_MARKET lists the known keys. */
export function namedStressWindows(market: string, file: StressWindowFile = loadStressWindows()): StressWindowDef[] {
  const m = file.markets[market];
  if (!m) {
    throw new RotationError('STRESS_UNKNOWN_MARKET', `No stress windows for market "${market}"`, { market, known: Object.keys(file.markets) },
      `use one of the markets of ${STRESS_WINDOWS_FILE}, or null for data-driven windows only`);
  }
  const seen = new Set<string>([market]);
  const chain: StressMarketDef[] = [m];
  let cur = m;
  while (cur.extends !== undefined && !seen.has(cur.extends)) { seen.add(cur.extends); cur = file.markets[cur.extends]; chain.unshift(cur); }
  return chain.flatMap((c) => c.windows).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export type StressWindowKind = 'named' | 'worst months' | 'volatility tercile';

/** A window as the set of months (yyyy-mm) of the data it covers. */
export interface StressWindow {
  name: string;
  kind: StressWindowKind;
  months: string[];
  /** Adjacent months only (drawdowns defined). */
  contiguous: boolean;
  definition: string;
}

/** Month label of a period-end date. */
const monthOf = (d: string): string => d.slice(0, 7);

/** The months between two yyyy-mm labels, inclusive. */
function monthRange(start: string, end: string): string[] {
  const out: string[] = [];
  let y = Number(start.slice(0, 4)), m = Number(start.slice(5, 7));
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > end) break;
    out.push(s);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

/**
 * Data-driven windows from a reference backtest's benchmark (the months of its rebalance periods):
 *   - worst months: the k = max(1, ⌈share · T⌉) months with the lowest benchmark return b_m (share 5%);
 *   - volatility terciles: realized volatility RV_m = √(Σ_{days d in month m} b_d²) of the daily
 *     benchmark returns (on monthly data one row a month, so RV_m = |b_m|); months sorted by RV
 *     (ties by date) and cut at ranks round(T/3) and round(2T/3): low, middle, high.
 * Classified ex post over the whole sample.
 */
export function dataDrivenWindows(reference: BacktestResult, options: { worstShare?: number } = {}): StressWindow[] {
  const share = options.worstShare ?? 0.05;
  if (!(share > 0 && share < 1)) {
    throw new RotationError('STRESS_BAD_ARGUMENT', `worstShare must be in (0, 1), got ${share}`, { argument: 'worstShare' }, 'e.g. 0.05 for the worst 5% of months');
  }
  const s = rebalancePeriodSeries(reference);
  const months = s.benchmark.dates.map(monthOf);
  const b = s.benchmark.returns, T = months.length;
  const k = Math.max(1, Math.ceil(share * T - 1e-9));
  const order = months.map((_, i) => i).sort((i, j) => b[i] - b[j] || i - j);
  const worst = order.slice(0, k).sort((i, j) => i - j).map((i) => months[i]);
  const ss = new Map<string, number>();
  reference.dates.forEach((d, t) => { const m = monthOf(d), x = reference.benchmarkReturns[t]; ss.set(m, (ss.get(m) ?? 0) + x * x); });
  const rv = months.map((m) => Math.sqrt(ss.get(m) ?? NaN));
  const byVol = months.map((_, i) => i).sort((i, j) => rv[i] - rv[j] || i - j);
  const c1 = Math.round(T / 3), c2 = Math.round((2 * T) / 3);
  const tercile = (from: number, to: number): string[] => byVol.slice(from, to).sort((i, j) => i - j).map((i) => months[i]);
  const vdef = `months by the benchmark's realized volatility √(Σ daily b²) over ${months[0]}..${months[T - 1]}, ex post`;
  return [
    { name: `worst ${Math.round(share * 100)}% of months`, kind: 'worst months', months: worst, contiguous: false,
      definition: `the ${k} of ${T} months with the lowest benchmark (${reference.benchmarkName}) return` },
    { name: 'low volatility tercile', kind: 'volatility tercile', months: tercile(0, c1), contiguous: false, definition: `lowest third of ${vdef}` },
    { name: 'middle volatility tercile', kind: 'volatility tercile', months: tercile(c1, c2), contiguous: false, definition: `middle third of ${vdef}` },
    { name: 'high volatility tercile', kind: 'volatility tercile', months: tercile(c2, T), contiguous: false, definition: `highest third of ${vdef}` },
  ];
}

/** One strategy in one window. */
export interface StressRow {
  window: string;
  kind: StressWindowKind;
  strategy: string;
  months: number;
  first: string;
  last: string;
  /** Compounded strategy return over the window's months. */
  return: number;
  benchmarkReturn: number;
  /** return − benchmarkReturn. */
  excess: number;
  /** Max drawdown of the daily strategy returns inside the window (NaN for non-contiguous windows). */
  maxDrawdown: number;
  /** Max drawdown of the daily relative wealth W/B inside the window (NaN for non-contiguous windows). */
  excessMaxDrawdown: number;
  /** Mean monthly strategy and benchmark returns, and their difference (the mean monthly active return). */
  meanReturn: number;
  meanBenchmark: number;
  meanActive: number;
  /** t and Newey-West t of the mean monthly active return, p of the plain t; NaN when the window is too short. */
  t: number;
  tNeweyWest: number;
  p: number;
  /** Why there is no t (or no drawdown), '' otherwise. */
  note: string;
}

/** Tail metrics of one strategy over its whole sample (monthly rebalance-period returns). */
export interface TailRow {
  strategy: string;
  months: number;
  /** Historical CVaR (mean of the worst ⌈5%·T⌉ / ⌈1%·T⌉ months, `conditionalValueAtRisk`). */
  cvar95: number;
  cvar99: number;
  worstMonth: number;
  worstMonthDate: string;
  /** mean{r : b < 0} / mean{b : b < 0} against its benchmark (`downsideCapture`). */
  downsideCapture: number;
  benchmark: string;
}

export interface StressStudy {
  /** Market key of the named windows (null: data-driven only). */
  market: string | null;
  windows: StressWindow[];
  /** Named windows outside the data (not an error). */
  skipped: { name: string; start: string; end: string; reason: string }[];
  rows: StressRow[];
  tails: TailRow[];
  notes: string[];
}

export interface StressOptions {
  /** Parsed window file (default: `loadStressWindows()`). */
  file?: StressWindowFile;
  /** Share of worst benchmark months (default 0.05). */
  worstShare?: number;
  /** Minimum months for a t (default: the activeReturnTest minimum, 12). */
  minPeriods?: number;
}

/** Product Π(1 + x) − 1. */
function compound(x: ArrayLike<number>): number {
  let w = 1;
  for (let i = 0; i < x.length; i++) w *= 1 + x[i];
  return w - 1;
}

/** One strategy's figures in one window (StressRow). */
function windowRow(bt: BacktestResult, w: StressWindow, minPeriods: number | undefined): StressRow {
  const s = rebalancePeriodSeries(bt);
  const inWin = new Set(w.months);
  const idx: number[] = [];
  s.strategy.dates.forEach((d, i) => { if (inWin.has(monthOf(d))) idx.push(i); });
  const r = idx.map((i) => s.strategy.returns[i]), b = idx.map((i) => s.benchmark.returns[i]);
  const dates = idx.map((i) => s.strategy.dates[i]);
  const n = idx.length;
  const notes: string[] = [];
  let mdd = NaN, emdd = NaN;
  if (w.contiguous && n > 0) {
    const dr: number[] = [], db: number[] = [];
    bt.dates.forEach((d, t) => { if (inWin.has(monthOf(d))) { dr.push(bt.returns[t]); db.push(bt.benchmarkReturns[t]); } });
    mdd = maxDrawdown(dr); emdd = excessMaxDrawdown(dr, db);
  } else if (!w.contiguous) {
    notes.push('no drawdown: months not adjacent');
  }
  let t = NaN, tNw = NaN, p = NaN;
  const min = activeTestMinPeriods(n, { minPeriods });
  if (n >= min) {
    const test = activeReturnTest({ name: bt.name, dates, returns: r }, { name: bt.benchmarkName, dates, returns: b }, { minPeriods });
    t = test.t; tNw = test.tNeweyWest; p = test.pValue;
  } else {
    notes.push(`no t: ${n} month(s), a t needs at least ${min}`);
  }
  let mr = 0, mb = 0;
  for (let i = 0; i < n; i++) { mr += r[i]; mb += b[i]; }
  const R = compound(r), B = compound(b);
  return {
    window: w.name, kind: w.kind, strategy: bt.name, months: n, first: dates[0] ?? '', last: dates[n - 1] ?? '',
    return: n ? R : NaN, benchmarkReturn: n ? B : NaN, excess: n ? R - B : NaN, maxDrawdown: mdd, excessMaxDrawdown: emdd,
    meanReturn: n ? mr / n : NaN, meanBenchmark: n ? mb / n : NaN, meanActive: n ? (mr - mb) / n : NaN, t, tNeweyWest: tNw, p, note: notes.join('; '),
  };
}

/**
 * The extreme-markets study of backtests (e.g. `allocationStudy(ctx, houseSpecs()).runs.map(r =>
 * r.run.backtest)`) in a market (`stressMarketOf(ds.name).market`; null: data-driven windows
 * only, said in `notes`). The first backtest is the reference for the data-driven windows and for
 * which named windows the data cover. Every strategy gets a row per window and a tail row; the
 * benchmark of the reference gets a tail row too (its downside capture is 1 by definition).
 * STRESS_NO_BACKTESTS for an empty list; STRESS_UNKNOWN_MARKET for a market not in the file.
 */
export function stressStudy(bts: readonly BacktestResult[], market: string | null, options: StressOptions = {}): StressStudy {
  if (bts.length === 0) {
    throw new RotationError('STRESS_NO_BACKTESTS', 'The stress study needs at least one backtest', {}, 'pass the backtests of the strategies to compare');
  }
  const file = options.file ?? loadStressWindows();
  const notes: string[] = [];
  const ref = rebalancePeriodSeries(bts[0]);
  const dataMonths = ref.benchmark.dates.map(monthOf);
  const have = new Set(dataMonths);
  const first = dataMonths[0], last = dataMonths[dataMonths.length - 1];
  const windows: StressWindow[] = [];
  const skipped: StressStudy['skipped'] = [];
  if (market === null) {
    notes.push('no named stress windows for this dataset (e.g. the simulator: calendar windows of a real market mean nothing there): data-driven windows only');
  } else {
    for (const w of namedStressWindows(market, file)) {
      const all = monthRange(w.start, w.end);
      const inData = all.filter((m) => have.has(m));
      if (inData.length === 0) {
        skipped.push({ name: w.name, start: w.start, end: w.end, reason: `outside the backtested months (${first}..${last})` });
        continue;
      }
      if (inData.length < all.length) notes.push(`"${w.name}" (${w.start}..${w.end}) is partly covered: ${inData.length} of ${all.length} months in the data`);
      windows.push({ name: w.name, kind: 'named', months: inData, contiguous: true, definition: `${w.start}..${w.end}${w.note ? `: ${w.note}` : ''}` });
    }
  }
  windows.push(...dataDrivenWindows(bts[0], { worstShare: options.worstShare }));
  const rows: StressRow[] = [];
  for (const w of windows) for (const bt of bts) rows.push(windowRow(bt, w, options.minPeriods));
  const tails: TailRow[] = bts.map((bt) => tailRow(bt));
  const b = ref.benchmark;
  let wi = 0;
  for (let i = 1; i < b.returns.length; i++) if (b.returns[i] < b.returns[wi]) wi = i;
  tails.push({
    strategy: `${bts[0].benchmarkName} (benchmark)`, months: b.returns.length, cvar95: conditionalValueAtRisk(b.returns, 0.95), cvar99: conditionalValueAtRisk(b.returns, 0.99),
    worstMonth: b.returns[wi], worstMonthDate: b.dates[wi], downsideCapture: downsideCapture(b.returns, b.returns), benchmark: bts[0].benchmarkName,
  });
  return { market, windows, skipped, rows, tails, notes };
}

/** Tail metrics of one backtest (TailRow). */
export function tailRow(bt: BacktestResult): TailRow {
  const s = rebalancePeriodSeries(bt);
  const r = s.strategy.returns;
  let wi = 0;
  for (let i = 1; i < r.length; i++) if (r[i] < r[wi]) wi = i;
  return {
    strategy: bt.name, months: r.length, cvar95: conditionalValueAtRisk(r, 0.95), cvar99: conditionalValueAtRisk(r, 0.99),
    worstMonth: r.length ? r[wi] : NaN, worstMonthDate: s.strategy.dates[wi] ?? '', downsideCapture: downsideCapture(r, s.benchmark.returns), benchmark: bt.benchmarkName,
  };
}

/**
 * The study's rows as a display table, one row per window and strategy (fractions). Compounded
 * return, benchmark and excess only for contiguous windows (compounding hundreds of scattered
 * months means nothing); the mean monthly return, benchmark and active return for every window;
 * t blank where the window is too short (the note says why).
 */
export function stressTableRows(s: StressStudy): Record<string, string | number>[] {
  return s.rows.map((r) => {
    const contiguous = s.windows.find((w) => w.name === r.window)?.contiguous ?? false;
    return {
      window: r.window, strategy: r.strategy, months: r.months,
      return: contiguous ? r.return : '', benchmark: contiguous ? r.benchmarkReturn : '', excess: contiguous ? r.excess : '',
      'mean r / month': r.meanReturn, 'mean b / month': r.meanBenchmark, 'mean active / month': r.meanActive,
      'max DD': r.maxDrawdown, 'excess max DD': r.excessMaxDrawdown, t: Number.isFinite(r.t) ? r.t : '', note: r.note,
    };
  });
}
