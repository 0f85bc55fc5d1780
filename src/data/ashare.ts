/**
 * Loaders for ../shared/data/ashare_stocks (see its PROVENANCE.md): all A-shares listed at
 * end-2024, prices and volume only.
 *
 * - `ashare_monthly_panel.csv.gz` → monthly panels on month-end trading dates (`loadAshareMonthly`)
 * - `csi500_2020members_daily.csv.gz` → daily `StockBars` of the 483 CSI 500 members of 2020-10-10
 *   still listed in 2024 (`loadAshareDaily`)
 * - `stocks.csv` → `StockInfo` + CITIC ("citic_l1") and Shenwan ("sw_l1") membership (`loadAshareStocks`)
 * - `index_constituents_20201010_jq.csv` → CSI 300/500/1000 weights on 2020-10-10 as fractions
 *   (`loadAshareIndexWeights`)
 * - `sw2014_stock_classification_202010_jq.csv` → Shenwan 2014 L1 membership windows ("sw_l1";
 *   2200-01-01 = open; "获取失败" codes dropped) (`loadSw2014Classification`)
 *
 * Caveats travel with the data (`ASHARE_CAVEATS`): survivorship bias, no market cap or
 * fundamentals, snapshot classifications, back-adjusted prices.
 */
import * as path from 'node:path';
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import type { LossReport } from './loss.js';
import { headerForMessage, NUM_OK, NUM_TEXT, readCsv, sharedDataDir, type CsvTable } from './csv.js';
import { readCsvStream } from './csvStream.js';
import {
  gridFromRows, panelFromGrid, normalizeDate, validateIndexWeights, validateMembership, validateStockBars, RowLedger, ISSUES,
  type Issue, type StockBarsResult, type ValidateOptions,
} from './schema.js';
import { loadCiticIndustry, type CiticDataset, type CiticOptions } from './citic.js';
import type { IndexWeightRecord, MembershipRecord, StockData, StockInfo } from './types.js';

/** File names inside the A-share folder. */
export const ASHARE_FILES = Object.freeze({
  monthly: 'ashare_monthly_panel.csv.gz',
  daily: 'csi500_2020members_daily.csv.gz',
  stocks: 'stocks.csv',
  indexConstituents: 'index_constituents_20201010_jq.csv',
  sw2014: 'sw2014_stock_classification_202010_jq.csv',
});

/** Date of the JoinQuant index-weight and Shenwan snapshots. */
export const ASHARE_INDEX_SNAPSHOT_DATE = '2020-10-10';

/** Facts every report using this data must state. */
export const ASHARE_CAVEATS: readonly string[] = Object.freeze([
  'Source: Wind daily exports and JoinQuant-derived index/Shenwan files posted in public GitHub repositories; redistribution status unclear (see ../shared/data/ashare_stocks/PROVENANCE.md).',
  'Survivorship bias: only the 5,352 stocks still listed at end-2024 are present; stocks delisted during 2015-2024 are missing.',
  'No market cap, shares outstanding, amount, turnover, valuation or fundamentals: size/value/quality factors cannot be built from this data.',
  'Prices are back-adjusted (后复权): use them for returns only, not for price levels or market-cap reconstruction.',
  'Classifications are snapshots: CITIC L1 as of 2026-01-27, Shenwan 2014 L1 as of about 2020-10; index weights only on 2020-10-10. None is point in time.',
  'Daily bars cover only the 483 of the 500 CSI 500 members of 2020-10-10 still listed in 2024.',
  'listDate is the first date in the data (2015-01-05 for stocks listed earlier), not the IPO date.',
  'Suspended days have no rows (NaN in the panels).',
]);

/** The A-share folder: `dir` if given, else `<shared data>/ashare_stocks`. */
export function ashareDir(dir?: string): string {
  return dir ?? path.join(sharedDataDir(), 'ashare_stocks');
}

function requireColumns(t: CsvTable, expected: readonly string[]): void {
  const missing = expected.filter((c) => !t.header.includes(c));
  if (missing.length) {
    throw new RotationError('DATA_MISSING_COLUMN', `Required column(s) ${missing.join(', ')} missing`,
      { file: t.source, missing, expected, found: headerForMessage(t) }, 'use the file as published in ../shared/data/ashare_stocks (see its PROVENANCE.md)');
  }
}

function unknownColumnsNote(t: CsvTable, known: readonly string[]): string[] {
  const unknown = t.header.filter((h) => h !== '' && !known.includes(h));
  return unknown.length ? [`unknown column(s) ignored: ${unknown.join(', ')}`] : [];
}

/** Monthly panels on month-end trading dates (the last trading day of each month in the data). */
export interface AshareMonthly {
  /** Month-end trading dates, ascending (one per month). */
  calendar: string[];
  /** Month's last back-adjusted close. */
  close: Panel;
  /** Month-over-month simple return of close (NaN in a stock's first month). */
  ret: Panel;
  /** Shares traded in the month. */
  volume: Panel;
  /** Days with non-zero volume in the month. */
  nTradingDays: Panel;
  /** 1 when the stock's last trade in the month is before the month-end date (stale close), else 0. */
  stale: Panel;
  loss: LossReport;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MONTHLY_COLS: readonly string[] = Object.freeze(['month', 'code', 'last_date', 'close_adj', 'ret', 'volume_shares', 'n_trading_days']);

/**
 * Load the monthly panel. Rows: bad month or last_date (or last_date outside its month) and
 * close_adj blank / text / <= 0 drop the row; ret / volume_shares / n_trading_days text or
 * negative volume mask the cell; last_date after `asOf` drops the row; duplicate (month, code) throws.
 */
export function loadAshareMonthly(dir?: string, options: ValidateOptions = {}): AshareMonthly {
  const t = readCsvStream(path.join(ashareDir(dir), ASHARE_FILES.monthly), { numeric: ['close_adj', 'ret', 'volume_shares', 'n_trading_days'] });
  requireColumns(t, MONTHLY_COLS);
  const led = new RowLedger(options.stage ?? 'load A-share monthly panel', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...unknownColumnsNote(t, MONTHLY_COLS));
  const n = t.nRows;
  const month = t.text.month, code = t.text.code, last = t.text.last_date;
  const close = { v: t.num.close_adj, s: t.numStatus.close_adj, b: t.badText.close_adj };
  const cols = {
    ret: { v: t.num.ret, s: t.numStatus.ret, b: t.badText.ret ?? new Map<number, string>() },
    volume_shares: { v: t.num.volume_shares, s: t.numStatus.volume_shares, b: t.badText.volume_shares ?? new Map<number, string>() },
    n_trading_days: { v: t.num.n_trading_days, s: t.numStatus.n_trading_days, b: t.badText.n_trading_days ?? new Map<number, string>() },
  };
  const use = new Uint8Array(n);
  const lastIso = new Array<string>(n);
  const vc = new Float64Array(n), vr = new Float64Array(n), vv = new Float64Array(n), vn = new Float64Array(n);
  const badMonth: Issue = { code: 'DATA_BAD_DATE', reason: 'month: not yyyy-mm (row dropped)', fix: 'write month as yyyy-mm' };
  const outside: Issue = { code: 'DATA_BAD_DATE', reason: 'last_date: unparseable or outside its month (row dropped)', fix: 'last_date must be a date inside month' };
  let blankRet = 0;
  const dateCache = new Map<string, string | null>();
  for (let i = 0; i < n; i++) {
    if (code[i] === '') { led.drop(i, ISSUES.blankId('code'), { month: month[i] }); continue; }
    if (!MONTH_RE.test(month[i])) { led.drop(i, badMonth, { code: code[i], column: 'month', text: month[i] }); continue; }
    let ld = dateCache.get(last[i]);
    if (ld === undefined) { ld = normalizeDate(last[i]); dateCache.set(last[i], ld); }
    if (ld === null || ld.slice(0, 7) !== month[i]) { led.drop(i, outside, { code: code[i], month: month[i], column: 'last_date', text: last[i] }); continue; }
    if (options.asOf !== undefined && ld > options.asOf) { led.drop(i, ISSUES.afterAsOf('last_date', options.asOf), { code: code[i], date: ld }); continue; }
    const ex = { month: month[i], code: code[i] };
    const cs = close.s[i];
    if (cs === NUM_TEXT) { led.drop(i, ISSUES.textDrop('close_adj'), { ...ex, column: 'close_adj', text: close.b?.get(i) ?? '' }); continue; }
    if (cs !== NUM_OK) { led.drop(i, ISSUES.blankRequired('close_adj'), { ...ex, column: 'close_adj' }); continue; }
    if (!(close.v[i] > 0)) { led.drop(i, ISSUES.nonPositiveDrop('close_adj'), { ...ex, column: 'close_adj', value: close.v[i] }); continue; }
    vc[i] = close.v[i];
    const num = (name: keyof typeof cols, rule: 'any' | 'nonNegative'): number => {
      const c = cols[name];
      if (c.s[i] === NUM_TEXT) { led.mask(i, ISSUES.textMask(name), { ...ex, column: name, text: c.b.get(i) ?? '' }); return NaN; }
      if (c.s[i] !== NUM_OK) return NaN;
      if (rule === 'nonNegative' && c.v[i] < 0) { led.mask(i, ISSUES.negativeVolume(name), { ...ex, column: name, value: c.v[i] }); return NaN; }
      return c.v[i];
    };
    vr[i] = num('ret', 'any');
    if (cols.ret.s[i] !== NUM_OK && cols.ret.s[i] !== NUM_TEXT) blankRet++;
    vv[i] = num('volume_shares', 'nonNegative');
    vn[i] = num('n_trading_days', 'nonNegative');
    lastIso[i] = ld;
    use[i] = 1;
  }
  const grid = gridFromRows(month, code, use, t.source, t.lines, ['month', 'code']);
  // month → last trading date seen in that month
  const monthEnd = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const cur = monthEnd.get(month[i]);
    if (cur === undefined || lastIso[i] > cur) monthEnd.set(month[i], lastIso[i]);
  }
  const calendar = grid.dates.map((m) => monthEnd.get(m)!);
  const g = { ...grid, dates: calendar };
  const vs = new Float64Array(n);
  for (let i = 0; i < n; i++) if (use[i]) vs[i] = lastIso[i] < monthEnd.get(month[i])! ? 1 : 0;
  const closeP = panelFromGrid(g, vc, t.source);
  const retP = panelFromGrid(g, vr, t.source);
  // consistency: ret vs close ratio
  const A = g.assets.length;
  let checked = 0, mismatch = 0;
  for (let tt = 1; tt < calendar.length; tt++) {
    for (let a = 0; a < A; a++) {
      const r = retP.values[tt * A + a], c1 = closeP.values[tt * A + a], c0 = closeP.values[(tt - 1) * A + a];
      if (Number.isNaN(r) || Number.isNaN(c1) || Number.isNaN(c0)) continue;
      checked++;
      if (Math.abs(r - (c1 / c0 - 1)) > 1e-4 * Math.max(1, Math.abs(r))) mismatch++;
    }
  }
  led.report.notes.push(`${blankRet} blank ret value(s) (a stock's first month, by construction): NaN, not counted as losses`);
  led.report.notes.push(`ret vs close_adj check: ${checked} consecutive-month pairs compared, ${mismatch} differ by more than 1e-4`);
  return {
    calendar, close: closeP, ret: retP, volume: panelFromGrid(g, vv, t.source), nTradingDays: panelFromGrid(g, vn, t.source),
    stale: panelFromGrid(g, vs, t.source), loss: led.finish(),
  };
}

/**
 * Load the daily bars (date, code, close_adj, volume_shares) of the CSI 500 members of 2020-10-10
 * as `StockBars` (close = back-adjusted close, volume in shares), validated like any stock-bar file.
 */
export function loadAshareDaily(dir?: string, options: ValidateOptions = {}): StockBarsResult {
  const t = readCsvStream(path.join(ashareDir(dir), ASHARE_FILES.daily), { numeric: ['close_adj', 'volume_shares'] });
  requireColumns(t, ['date', 'code', 'close_adj', 'volume_shares']);
  const view: CsvTable = {
    ...t,
    header: t.header.map((h) => (h === 'close_adj' ? 'close' : h === 'volume_shares' ? 'volume' : h)),
    num: { close: t.num.close_adj, volume: t.num.volume_shares },
    numStatus: { close: t.numStatus.close_adj, volume: t.numStatus.volume_shares },
    badText: { close: t.badText.close_adj ?? new Map(), volume: t.badText.volume_shares ?? new Map() },
    notes: [...t.notes, 'columns close_adj → close (back-adjusted CNY), volume_shares → volume (shares)'],
  };
  return validateStockBars(view, { ...options, stage: options.stage ?? 'load CSI 500 members daily' });
}

/** Stock list and snapshot classifications from stocks.csv. */
export interface AshareStocks {
  stocks: StockInfo[];
  /** "citic_l1" (2026-01-27 snapshot) and "sw_l1" (about 2020-10) records, validFrom = `membershipFrom`, open-ended. */
  membership: MembershipRecord[];
  /** Industry code → name for both schemes. */
  industryNames: Map<string, string>;
  /** [stock list, citic_l1 membership, sw_l1 membership]. */
  losses: LossReport[];
}

const STOCKS_COLS: readonly string[] = Object.freeze(['code', 'name', 'first_date', 'last_date', 'n_rows', 'citic_l1_code', 'citic_l1_name', 'sw1_code_2020', 'sw1_name_2020', 'csi500_weight_20201010', 'csi300_weight_20201010']);

/**
 * Load stocks.csv: `StockInfo` (listDate = first date in the data; delistDate = last_date when
 * it is before the file's last date) and the CITIC / Shenwan snapshot mappings as membership
 * records (blank codes, e.g. Beijing-exchange stocks without a CITIC industry, are dropped and counted).
 */
export function loadAshareStocks(dir?: string, options: ValidateOptions & { membershipFrom?: string } = {}): AshareStocks {
  const t = readCsv(path.join(ashareDir(dir), ASHARE_FILES.stocks), { numeric: ['n_rows', 'csi500_weight_20201010', 'csi300_weight_20201010'] });
  requireColumns(t, ['code', 'name', 'first_date', 'last_date', 'citic_l1_code', 'sw1_code_2020']);
  const led = new RowLedger(options.stage ?? 'load A-share stock list', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...unknownColumnsNote(t, STOCKS_COLS));
  led.report.notes.push('index weight columns are ignored here: loadAshareIndexWeights reads the full constituent file');
  const code = t.text.code, name = t.text.name, first = t.text.first_date, last = t.text.last_date;
  let maxLast = '';
  const lastIso = last.map((s) => normalizeDate(s));
  for (const d of lastIso) if (d !== null && d > maxLast) maxLast = d;
  const stocks: StockInfo[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < t.nRows; i++) {
    if (code[i] === '') { led.drop(i, ISSUES.blankId('code')); continue; }
    if (name[i] === '') { led.drop(i, ISSUES.blankRequired('name'), { code: code[i] }); continue; }
    const fd = normalizeDate(first[i]);
    if (fd === null) { led.drop(i, ISSUES.badDate('first_date'), { code: code[i], column: 'first_date', text: first[i] }); continue; }
    if (lastIso[i] === null) { led.drop(i, ISSUES.badDate('last_date'), { code: code[i], column: 'last_date', text: last[i] }); continue; }
    if (options.asOf !== undefined && fd > options.asOf) { led.drop(i, ISSUES.afterAsOf('first_date', options.asOf), { code: code[i], date: fd }); continue; }
    if (seen.has(code[i])) {
      throw new RotationError('DATA_DUPLICATE_KEY', `Duplicate stock code ${code[i]}`, { file: t.source, lines: [t.lines[seen.get(code[i])!], t.lines[i]] }, 'keep one row per stock');
    }
    seen.set(code[i], i);
    const s: StockInfo = { code: code[i], name: name[i], listDate: fd };
    if (lastIso[i]! < maxLast) s.delistDate = lastIso[i]!;
    stocks.push(s);
  }
  const stockLoss = led.finish();
  let minFirst = '9999-12-31';
  for (const s of stocks) if (s.listDate < minFirst) minFirst = s.listDate;
  const validFrom = options.membershipFrom ?? minFirst;
  const industryNames = new Map<string, string>();
  const mapping = (scheme: string, codeCol: string, nameCol: string, stage: string, why: string) => {
    const view: CsvTable = {
      ...t,
      header: ['stock', 'industry', 'industry_name', 'valid_from', 'scheme'],
      text: {
        stock: code, industry: t.text[codeCol], industry_name: t.text[nameCol] ?? new Array<string>(t.nRows).fill(''),
        valid_from: new Array<string>(t.nRows).fill(validFrom), scheme: new Array<string>(t.nRows).fill(scheme),
      },
      num: {}, numStatus: {}, badText: {}, notes: [],
    };
    const res = validateMembership(view, { strict: false, stage });
    res.loss.notes.push(`${why}; membership validFrom set to ${validFrom} (back-dated snapshot: not point in time), open-ended`);
    for (const [k, v] of res.industryNames) industryNames.set(k, v);
    return res;
  };
  const citic = mapping('citic_l1', 'citic_l1_code', 'citic_l1_name', 'load A-share CITIC L1 mapping', 'CITIC L1 snapshot of 2026-01-27; Beijing-exchange stocks have no CITIC industry (blank)');
  const sw = mapping('sw_l1', 'sw1_code_2020', 'sw1_name_2020', 'load A-share Shenwan L1 mapping', 'Shenwan 2014 L1 as of about 2020-10; stocks listed later or missing in the source are blank');
  return { stocks, membership: [...citic.records, ...sw.records], industryNames, losses: [stockLoss, citic.loss, sw.loss] };
}

/** Load the CSI 300 / 500 / 1000 constituent weights of 2020-10-10 (fractions; each index sums to 1). */
export function loadAshareIndexWeights(dir?: string, options: ValidateOptions & { renormalize?: boolean } = {}): { records: IndexWeightRecord[]; loss: LossReport } {
  const t = readCsv(path.join(ashareDir(dir), ASHARE_FILES.indexConstituents), { numeric: ['weight_pct'] });
  requireColumns(t, ['index_code', 'stock_code', 'weight_pct']);
  const view: CsvTable = {
    ...t,
    header: ['date', 'index', 'stock', 'weight_pct'],
    text: { date: new Array<string>(t.nRows).fill(ASHARE_INDEX_SNAPSHOT_DATE), index: t.text.index_code, stock: t.text.stock_code },
    notes: [...t.notes, `no date column: every weight dated ${ASHARE_INDEX_SNAPSHOT_DATE} (the JoinQuant snapshot)`,
      ...unknownColumnsNote(t, ['index_code', 'index_name', 'stock_code', 'stock_name', 'weight_pct', 'sw1_code', 'sw1_name'])],
  };
  return validateIndexWeights(view, { ...options, stage: options.stage ?? 'load CSI index weights 2020-10-10' });
}

/**
 * Load the Shenwan 2014 classification as "sw_l1" membership windows: [start_date, end_date]
 * (2200-01-01 = open). Rows whose sw1_code is not a 6-digit code (the source's "获取失败",
 * fetch failed, for delisted stocks) are dropped and counted.
 */
export function loadSw2014Classification(dir?: string, options: ValidateOptions = {}): { records: MembershipRecord[]; industryNames: Map<string, string>; loss: LossReport } {
  const t = readCsv(path.join(ashareDir(dir), ASHARE_FILES.sw2014));
  requireColumns(t, ['stock_code', 'start_date', 'end_date', 'sw1_code']);
  const view: CsvTable = {
    ...t,
    header: ['stock', 'industry', 'industry_name', 'valid_from', 'valid_to', 'scheme'],
    text: {
      stock: t.text.stock_code, industry: t.text.sw1_code, industry_name: t.text.sw1_name ?? new Array<string>(t.nRows).fill(''),
      valid_from: t.text.start_date, valid_to: t.text.end_date, scheme: new Array<string>(t.nRows).fill('sw_l1'),
    },
    notes: [...t.notes, 'start_date/end_date are the stock\'s listing window from JoinQuant, used as the membership window; the industry itself is the about-2020-10 classification (not point in time)',
      ...unknownColumnsNote(t, ['stock_code', 'stock_name', 'start_date', 'end_date', 'sw1_code', 'sw1_name', 'sw2_code', 'sw2_name', 'sw3_code', 'sw3_name'])],
  };
  return validateMembership(view, { ...options, industryPattern: /^\d{6}$/, stage: options.stage ?? 'load Shenwan 2014 classification' });
}

/** Stock data (daily bars of the CSI 500 members, stock list, membership, index weights) plus losses and caveats. */
export interface AshareStockDataResult {
  stockData: StockData;
  losses: LossReport[];
  caveats: string[];
}

/**
 * Assemble `StockData`: the daily bars of the CSI 500 members, the stock list restricted to those
 * stocks, the CITIC and Shenwan snapshot membership of all stocks, and the 2020-10-10 index weights.
 */
export function loadAshareStockData(dir?: string, options: ValidateOptions & { membershipFrom?: string } = {}): AshareStockDataResult {
  const daily = loadAshareDaily(dir, options);
  const st = loadAshareStocks(dir, options);
  const w = loadAshareIndexWeights(dir, options);
  const inBars = new Set(daily.stocks);
  const stocks = st.stocks.filter((s) => inBars.has(s.code));
  const missing = daily.stocks.filter((c) => !st.stocks.some((s) => s.code === c));
  const caveats = [...ASHARE_CAVEATS];
  if (missing.length) caveats.push(`${missing.length} stock(s) with bars are not in stocks.csv: ${missing.slice(0, 10).join(', ')}`);
  caveats.push(`StockData.stocks lists the ${stocks.length} stocks with daily bars; membership covers all ${st.stocks.length} stocks of stocks.csv.`);
  return {
    stockData: { stocks, bars: daily.bars, membership: st.membership, indexWeights: w.records },
    losses: [daily.loss, ...st.losses, w.loss],
    caveats,
  };
}

/**
 * The CITIC L1 industry dataset (citic.ts) with `stocks` filled from the A-share folder: the
 * research dataset for stock-level studies (notebook 08). Losses and caveats of both are merged.
 */
export function loadAshareDataset(options: { citicDir?: string; ashareDir?: string; citic?: CiticOptions; stocks?: ValidateOptions } = {}): CiticDataset {
  const ds = loadCiticIndustry(options.citicDir, options.citic ?? {});
  const sd = loadAshareStockData(options.ashareDir, { ...(options.stocks ?? {}), membershipFrom: ds.calendar[0] });
  return { ...ds, name: 'CITIC L1 + A-share stocks (Wind/JoinQuant exports)', stocks: sd.stockData, losses: [...ds.losses, ...sd.losses], caveats: [...ds.caveats, ...sd.caveats] };
}
