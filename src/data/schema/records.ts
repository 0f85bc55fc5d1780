/** Validators of record files: membership windows, fundamentals, forecasts, index weights and the stock list. */
import { RotationError } from '../../errors.js';
import type { LossReport } from '../loss.js';
import { NUM_BLANK, NUM_OK, type CsvTable } from '../csv.js';
import type { FundamentalRecord, ForecastRecord, IndexWeightRecord, MembershipRecord, StockInfo } from '../types.js';
import { SCHEMAS } from './tables.js';
import { normalizeDateAs, normalizeReportPeriod } from './dates.js';
import { ISSUES, RowLedger, ValidateOptions, assertAsOf, checkColumns, numCol, optionalNumber, stringCol } from './ledger.js';

export interface MembershipResult {
  records: MembershipRecord[];
  /** Industry code -> name, when the file has names. */
  industryNames: Map<string, string>;
  loss: LossReport;
}

export interface MembershipValidateOptions extends ValidateOptions {
  /** Scheme for rows without a scheme column / blank scheme. Default "unspecified". */
  scheme?: string;
  /** Industry codes must match this pattern; other values drop the row (e.g. a vendor's "获取失败" = fetch failed). */
  industryPattern?: RegExp;
}

/** True when a valid_to value means "still valid": blank, or a date in year >= 2100 (2200-01-01 is JoinQuant's). */
export function isOpenEnd(iso: string | null, raw: string): boolean {
  return raw.trim() === '' || (iso !== null && iso >= '2100-01-01');
}

/**
 * Validate membership windows. Bad dates or valid_to < valid_from drop the row; rows with
 * valid_from after `asOf` are dropped. Overlapping windows for one stock in one scheme throw
 * `DATA_MEMBERSHIP_OVERLAP` naming the stock and both windows (with lines).
 */
export function validateMembership(t: CsvTable, options: MembershipValidateOptions = {}): MembershipResult {
  const schema = SCHEMAS.industry_membership;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load industry_membership', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const stock = stringCol(t, 'stock')!, industry = stringCol(t, 'industry')!, from = stringCol(t, 'valid_from')!;
  const to = stringCol(t, 'valid_to'), scheme = stringCol(t, 'scheme'), iname = stringCol(t, 'industry_name');
  const defScheme = options.scheme ?? 'unspecified';
  if (!scheme) led.report.notes.push(`no scheme column: scheme "${defScheme}" used for every row`);
  const records: (MembershipRecord & { _row: number })[] = [];
  const industryNames = new Map<string, string>();
  let openEnds = 0;
  for (let i = 0; i < t.nRows; i++) {
    const s = stock[i], ind = industry[i];
    if (s === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    if (ind === '') { led.drop(i, ISSUES.blankId('industry'), { stock: s }); continue; }
    if (options.industryPattern && !options.industryPattern.test(ind)) { led.drop(i, ISSUES.badId('industry', String(options.industryPattern)), { stock: s, column: 'industry', text: ind }); continue; }
    const vf = normalizeDateAs(options.dateFormat, from[i]);
    if (vf === null) { led.drop(i, ISSUES.badDate('valid_from'), { stock: s, column: 'valid_from', text: from[i] }); continue; }
    const rawTo = to ? to[i] : '';
    const vtIso = rawTo.trim() === '' ? null : normalizeDateAs(options.dateFormat, rawTo);
    if (rawTo.trim() !== '' && vtIso === null) { led.drop(i, ISSUES.badDate('valid_to'), { stock: s, column: 'valid_to', text: rawTo }); continue; }
    const open = isOpenEnd(vtIso, rawTo);
    if (!open && vtIso! < vf) { led.drop(i, ISSUES.badWindow(), { stock: s, valid_from: vf, valid_to: vtIso! }); continue; }
    if (options.asOf !== undefined && vf > options.asOf) { led.drop(i, ISSUES.afterAsOf('valid_from', options.asOf), { stock: s, valid_from: vf }); continue; }
    if (open && rawTo.trim() !== '') openEnds++;
    const sc = scheme && scheme[i] !== '' ? scheme[i] : defScheme;
    const rec: MembershipRecord & { _row: number } = { stock: s, industry: ind, scheme: sc, validFrom: vf, _row: i };
    if (!open) rec.validTo = vtIso!;
    records.push(rec);
    if (iname && iname[i] !== '') industryNames.set(ind, iname[i]);
  }
  if (openEnds) led.report.notes.push(`${openEnds} valid_to value(s) in year >= 2100 (e.g. 2200-01-01) read as "still valid"`);
  // overlap check per (scheme, stock)
  const groups = new Map<string, (MembershipRecord & { _row: number })[]>();
  for (const r of records) {
    const k = `${r.scheme}\u0000${r.stock}`;
    const g = groups.get(k);
    if (g) g.push(r); else groups.set(k, [r]);
  }
  const overlaps: string[] = [];
  let first: { a: MembershipRecord & { _row: number }; b: MembershipRecord & { _row: number } } | undefined;
  const lineOf = (r: { _row: number }) => (t.lines ? t.lines[r._row] : r._row + 1);
  const win = (r: MembershipRecord) => `[${r.validFrom} .. ${r.validTo ?? 'open'}] ${r.industry}`;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a._row - b._row));
    for (let k = 1; k < g.length; k++) {
      const a = g[k - 1], b = g[k];
      if (a.validTo === undefined || b.validFrom <= a.validTo) {
        if (!first) first = { a, b };
        overlaps.push(`${b.stock} (${b.scheme}): ${win(a)} line ${lineOf(a)} overlaps ${win(b)} line ${lineOf(b)}`);
      }
    }
  }
  if (first) {
    const { a, b } = first;
    throw new RotationError('DATA_MEMBERSHIP_OVERLAP',
      `Stock ${a.stock} has overlapping ${a.scheme} membership windows ${win(a)} and ${win(b)}${overlaps.length > 1 ? ` (${overlaps.length} overlaps in total)` : ''}`,
      { file: t.source, stock: a.stock, lines: [lineOf(a), lineOf(b)], overlaps },
      'close the earlier window (valid_to) the day before the later one starts, or remove the duplicate row');
  }
  const out = records.map(({ _row, ...r }) => { void _row; return r; });
  return { records: out, industryNames, loss: led.finish() };
}

/** Fundamentals records plus their loss report. */
export interface FundamentalsResult {
  records: FundamentalRecord[];
  loss: LossReport;
}

/**
 * Validate quarterly fundamentals. A bad report period or announcement date, or an announcement
 * on/before the period end (not point in time), drops the row; announcements after `asOf` drop the
 * row; text in a number column masks the cell; duplicate (stock, report_period, announce_date) throws.
 */
export function validateFundamentals(t: CsvTable, options: ValidateOptions = {}): FundamentalsResult {
  const schema = SCHEMAS.fundamentals;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load fundamentals', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const stock = stringCol(t, 'stock')!, rp = stringCol(t, 'report_period')!, ad = stringCol(t, 'announce_date')!;
  const fields: [keyof FundamentalRecord, string][] = [
    ['revenue', 'revenue'], ['netProfit', 'net_profit'], ['grossProfit', 'gross_profit'], ['operatingCashFlow', 'operating_cash_flow'],
    ['equity', 'equity'], ['dividends', 'dividends'],
  ];
  const cols = fields.map(([k, c]) => ({ k, c, col: numCol(t, c) }));
  const records: FundamentalRecord[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const s = stock[i];
    if (s === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    const per = normalizeReportPeriod(rp[i]);
    if (per === null) {
      if (normalizeDateAs(options.dateFormat, rp[i]) !== null) led.drop(i, ISSUES.notQuarterEnd(), { stock: s, report_period: rp[i] });
      else led.drop(i, ISSUES.badDate('report_period'), { stock: s, column: 'report_period', text: rp[i] });
      continue;
    }
    const ann = normalizeDateAs(options.dateFormat, ad[i]);
    if (ann === null) { led.drop(i, ISSUES.badDate('announce_date'), { stock: s, column: 'announce_date', text: ad[i] }); continue; }
    if (ann <= per) { led.drop(i, ISSUES.announcedEarly(), { stock: s, report_period: per, announce_date: ann }); continue; }
    if (options.asOf !== undefined && ann > options.asOf) { led.drop(i, ISSUES.afterAsOf('announce_date', options.asOf), { stock: s, announce_date: ann }); continue; }
    const rec = { stock: s, reportPeriod: per, announceDate: ann } as FundamentalRecord;
    const ex = { stock: s, report_period: per };
    for (const x of cols) (rec as unknown as Record<string, number>)[x.k] = optionalNumber(led, x.col, i, x.c, 'any', ex);
    const key = `${s}|${per}|${ann}`;
    if (seen.has(key)) {
      if (dups.length < 10) dups.push(`${s} ${per} announced ${ann} (lines ${t.lines[seen.get(key)!]} and ${t.lines[i]})`);
      continue;
    }
    seen.set(key, i);
    records.push(rec);
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', `Duplicate (stock, report_period, announce_date) rows`, { file: t.source, duplicates: dups },
      'keep one row per announcement; a restatement needs its own (later) announce_date');
  }
  return { records, loss: led.finish() };
}

/** Forecast records plus their loss report. */
export interface ForecastsResult {
  records: ForecastRecord[];
  loss: LossReport;
}

/**
 * Validate analyst forecasts. Bad forecast_date, blank stock/broker or a non-integer fiscal_year
 * drop the row; forecast_date after `asOf` drops the row; net_profit / eps text masks; rating outside
 * 1..5 masks; duplicate (stock, forecast_date, broker, fiscal_year) throws.
 */
export function validateForecasts(t: CsvTable, options: ValidateOptions = {}): ForecastsResult {
  const schema = SCHEMAS.analyst_forecasts;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load analyst_forecasts', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const stock = stringCol(t, 'stock')!, fd = stringCol(t, 'forecast_date')!, broker = stringCol(t, 'broker')!;
  const fy = numCol(t, 'fiscal_year')!, np = numCol(t, 'net_profit')!, eps = numCol(t, 'eps'), rating = numCol(t, 'rating');
  const records: ForecastRecord[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const s = stock[i];
    if (s === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    if (broker[i] === '') { led.drop(i, ISSUES.blankId('broker'), { stock: s }); continue; }
    const d = normalizeDateAs(options.dateFormat, fd[i]);
    if (d === null) { led.drop(i, ISSUES.badDate('forecast_date'), { stock: s, column: 'forecast_date', text: fd[i] }); continue; }
    if (options.asOf !== undefined && d > options.asOf) { led.drop(i, ISSUES.afterAsOf('forecast_date', options.asOf), { stock: s, forecast_date: d }); continue; }
    const y = fy.values[i];
    if (fy.status[i] !== NUM_OK || !Number.isInteger(y)) { led.drop(i, ISSUES.badInteger('fiscal_year'), { stock: s, column: 'fiscal_year', text: fy.bad.get(i) ?? String(y) }); continue; }
    const ex = { stock: s, forecast_date: d };
    const rec: ForecastRecord = {
      stock: s, forecastDate: d, broker: broker[i], fiscalYear: y,
      netProfit: optionalNumber(led, np, i, 'net_profit', 'any', ex),
      eps: optionalNumber(led, eps, i, 'eps', 'any', ex),
      rating: optionalNumber(led, rating, i, 'rating', 'any', ex),
    };
    if (!Number.isNaN(rec.rating) && (rec.rating < 1 || rec.rating > 5)) {
      led.mask(i, ISSUES.outOfRange('rating', '1..5'), { ...ex, value: rec.rating });
      rec.rating = NaN;
    }
    const key = `${s}|${d}|${broker[i]}|${y}`;
    if (seen.has(key)) {
      if (dups.length < 10) dups.push(`${s} ${d} ${broker[i]} FY${y} (lines ${t.lines[seen.get(key)!]} and ${t.lines[i]})`);
      continue;
    }
    seen.set(key, i);
    records.push(rec);
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', 'Duplicate (stock, forecast_date, broker, fiscal_year) rows', { file: t.source, duplicates: dups },
      'keep one forecast per broker, stock, fiscal year and date');
  }
  return { records, loss: led.finish() };
}

/** Intraday bars plus their loss report. */
export interface IndexWeightsResult {
  records: IndexWeightRecord[];
  loss: LossReport;
}

export interface IndexWeightsValidateOptions extends ValidateOptions {
  /** Rescale each (date, index) to sum to 100 % instead of throwing when off by more than 0.5 pp. */
  renormalize?: boolean;
  /** Unit of weight_pct in the file: 'percent' (default), 'fraction' (sums to 1), or 'auto' (decided from the sums). */
  weightUnit?: 'percent' | 'fraction' | 'auto';
  /** Tolerance in percentage points (default 0.5). */
  tolerancePp?: number;
}

/**
 * Validate index weights: blank / text / negative weights drop the row; each (date, index) must
 * sum to 100 % within 0.5 pp, else `DATA_WEIGHTS_NOT_100` lists the dates (with `renormalize` the
 * weights are rescaled and the notes say so). Records carry fractions (sum 1 per date and index).
 */
export function validateIndexWeights(t: CsvTable, options: IndexWeightsValidateOptions = {}): IndexWeightsResult {
  const schema = SCHEMAS.index_weights;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load index_weights', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, index = stringCol(t, 'index')!, stock = stringCol(t, 'stock')!;
  const w = numCol(t, 'weight_pct')!;
  const tol = options.tolerancePp ?? 0.5;
  const rows: { date: string; index: string; stock: string; w: number; row: number }[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    if (stock[i] === '') { led.drop(i, ISSUES.blankId('stock')); continue; }
    if (index[i] === '') { led.drop(i, ISSUES.blankId('index'), { stock: stock[i] }); continue; }
    const d = normalizeDateAs(options.dateFormat, dateTxt[i]);
    if (d === null) { led.drop(i, ISSUES.badDate('date'), { stock: stock[i], column: 'date', text: dateTxt[i] }); continue; }
    if (options.asOf !== undefined && d > options.asOf) { led.drop(i, ISSUES.afterAsOf('date', options.asOf), { date: d, stock: stock[i] }); continue; }
    if (w.status[i] !== NUM_OK || w.values[i] < 0) {
      led.drop(i, ISSUES.badWeight(), { date: d, index: index[i], stock: stock[i], column: 'weight_pct', text: w.bad.get(i) ?? (w.status[i] === NUM_BLANK ? '' : String(w.values[i])) });
      continue;
    }
    const key = `${d}|${index[i]}|${stock[i]}`;
    if (seen.has(key)) { if (dups.length < 10) dups.push(`${d} ${index[i]} ${stock[i]} (lines ${t.lines[seen.get(key)!]} and ${t.lines[i]})`); continue; }
    seen.set(key, i);
    rows.push({ date: d, index: index[i], stock: stock[i], w: w.values[i], row: i });
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', 'Duplicate (date, index, stock) rows', { file: t.source, duplicates: dups },
      'keep one weight per stock, index and date');
  }
  const sums = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.date}|${r.index}`;
    sums.set(k, (sums.get(k) ?? 0) + r.w);
  }
  let unit = options.weightUnit ?? 'percent';
  if (unit === 'auto') {
    const all = [...sums.values()];
    unit = all.length && all.every((s) => s <= 1.5) ? 'fraction' : 'percent';
    led.report.notes.push(`weight unit detected from the sums: ${unit}`);
  }
  const scale = unit === 'fraction' ? 100 : 1;
  const off: string[] = [];
  for (const [k, s] of [...sums.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const pct = s * scale;
    if (Math.abs(pct - 100) > tol) {
      const [d, ix] = k.split('|');
      off.push(`${d} ${ix}: ${pct.toFixed(3)}%`);
    }
  }
  if (off.length && !options.renormalize) {
    throw new RotationError('DATA_WEIGHTS_NOT_100', `Index weights do not sum to 100% (within ${tol} pp) on ${off.length} (date, index) pair(s)`,
      { file: t.source, dates: off },
      'check for missing constituents or a wrong unit (weights must be percent; fractions summing to 1 need { weightUnit: "fraction" }); or load with --renormalize (library: { renormalize: true }) to rescale each date to 100%');
  }
  if (options.renormalize) {
    led.report.notes.push(off.length
      ? `renormalized weights to 100% on ${off.length} (date, index) pair(s) off by more than ${tol} pp: ${off.slice(0, 10).join('; ')}${off.length > 10 ? '; …' : ''}`
      : 'renormalize requested: every (date, index) already summed to 100% within tolerance; rescaled exactly to 100%');
  }
  const records: IndexWeightRecord[] = rows.map((r) => {
    const s = sums.get(`${r.date}|${r.index}`)!;
    const frac = options.renormalize ? (s > 0 ? r.w / s : NaN) : (r.w * scale) / 100;
    return { date: r.date, index: r.index, stock: r.stock, weight: frac };
  });
  return { records, loss: led.finish() };
}

/** Stock list plus its loss report. */
export interface StocksResult {
  stocks: StockInfo[];
  loss: LossReport;
}

/**
 * Validate the stock list. Blank code or name, a bad list_date or a bad delist_date drop the row;
 * list_date after `asOf` drops the row; duplicate codes throw.
 */
export function validateStocks(t: CsvTable, options: ValidateOptions = {}): StocksResult {
  const schema = SCHEMAS.stocks;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load stocks', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const code = stringCol(t, 'code')!, name = stringCol(t, 'name')!, ld = stringCol(t, 'list_date')!, dd = stringCol(t, 'delist_date');
  const stocks: StockInfo[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const c = code[i];
    if (c === '') { led.drop(i, ISSUES.blankId('code')); continue; }
    if (name[i] === '') { led.drop(i, ISSUES.blankRequired('name'), { code: c }); continue; }
    const l = normalizeDateAs(options.dateFormat, ld[i]);
    if (l === null) { led.drop(i, ISSUES.badDate('list_date'), { code: c, column: 'list_date', text: ld[i] }); continue; }
    if (options.asOf !== undefined && l > options.asOf) { led.drop(i, ISSUES.afterAsOf('list_date', options.asOf), { code: c, list_date: l }); continue; }
    const rawD = dd ? dd[i] : '';
    const dl = rawD.trim() === '' ? null : normalizeDateAs(options.dateFormat, rawD);
    if (rawD.trim() !== '' && dl === null) { led.drop(i, ISSUES.badDate('delist_date'), { code: c, column: 'delist_date', text: rawD }); continue; }
    if (seen.has(c)) { if (dups.length < 10) dups.push(`${c} (lines ${t.lines[seen.get(c)!]} and ${t.lines[i]})`); continue; }
    seen.set(c, i);
    const s: StockInfo = { code: c, name: name[i], listDate: l };
    if (dl !== null && !(options.asOf !== undefined && dl > options.asOf)) s.delistDate = dl;
    stocks.push(s);
  }
  if (dups.length) {
    throw new RotationError('DATA_DUPLICATE_KEY', 'Duplicate stock codes', { file: t.source, duplicates: dups }, 'keep one row per stock');
  }
  return { stocks, loss: led.finish() };
}
