/** Validators of bar files: industry bars, stock bars and intraday bars, each into panels plus a loss report. */
import { RotationError } from '../../errors.js';
import type { Panel } from '../../panel/panel.js';
import type { LossReport } from '../loss.js';
import { NUM_OK, type CsvTable } from '../csv.js';
import type { IndustryBars, IndustryInfo, IntradayBars, StockBars } from '../types.js';
import { SCHEMAS } from './tables.js';
import { dateNormalizer, normalizeTime, yearLastHint } from './dates.js';
import { ISSUES, RowLedger, ValidateOptions, assertAsOf, checkColumns, numCol, optionalNumber, requireNumber, stringCol } from './ledger.js';
import { gridFromRows, panelFromGrid } from './grid.js';

// ---------------------------------------------------------------------------------------------
// Validators

/** Industry bars: the panels of `IndustryBars` on the file's calendar, plus names. */
export interface IndustryBarsResult {
  industries: IndustryInfo[];
  calendar: string[];
  bars: IndustryBars;
  loss: LossReport;
}

export interface BarsValidateOptions extends ValidateOptions {
  /**
   * Treat zeros in these columns as the vendor's "no data" placeholder when the close is valid:
   * masked to NaN and counted (CITIC via Wind writes open/high/low/volume = 0 before an index
   * had trading data).
   */
  zeroIsMissing?: readonly string[];
}

const OHLV = Object.freeze(['open', 'high', 'low', 'volume'] as const);

const OPTIONAL_INDUSTRY_NUMS: readonly (readonly [string, keyof IndustryBars])[] = Object.freeze([
  ['amount', 'amount'], ['turnover', 'turnover'], ['pe', 'pe'], ['pb', 'pb'], ['ps', 'ps'], ['dividend_yield', 'dividendYield'],
] as const);

/** Shared bar checks for one row: returns false when the row is dropped. */
function checkBarRow(led: RowLedger, i: number, dateRaw: string, date: string | null, code: string,
  asOf: string | undefined, dateCol: string, notAfter?: string): boolean {
  if (code === '') { led.drop(i, ISSUES.blankId('code'), { date: dateRaw }); return false; }
  if (date === null) { led.drop(i, ISSUES.badDate(dateCol), { column: dateCol, text: dateRaw, code }); return false; }
  if (asOf !== undefined && date > asOf) { led.drop(i, ISSUES.afterAsOf(dateCol, asOf), { date, code }); return false; }
  if (asOf === undefined && notAfter !== undefined && date > notAfter) { led.drop(i, ISSUES.futureDate(dateCol, notAfter), { date, code }); return false; }
  return true;
}

/**
 * Validate long industry bars (canonical columns) into `IndustryBars`.
 * close: blank / text / <= 0 drops the row; open, high, low: text or <= 0 masks the cell;
 * volume, amount: text or < 0 masks; high < low masks both; dates after `asOf` drop the row;
 * duplicate (date, code) throws.
 */
export function validateIndustryBars(t: CsvTable, options: BarsValidateOptions = {}): IndustryBarsResult {
  const schema = SCHEMAS.industry_bars;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load industry_bars', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, codeTxt = stringCol(t, 'code')!;
  const nameTxt = stringCol(t, 'name');
  const n = t.nRows;
  const normDate = dateNormalizer(options.dateFormat);
  const dates = new Array<string>(n);
  const use = new Uint8Array(n);
  const close = numCol(t, 'close')!;
  const cols = { open: numCol(t, 'open'), high: numCol(t, 'high'), low: numCol(t, 'low'), volume: numCol(t, 'volume') };
  const vals = { open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  const opt = OPTIONAL_INDUSTRY_NUMS.filter(([c]) => t.header.includes(c)).map(([c, k]) => ({ c, k, col: numCol(t, c)!, v: new Float64Array(n) }));
  const zero = new Set(options.zeroIsMissing ?? []);
  const zeroCols = OHLV.filter((c) => zero.has(c));
  for (const c of ['open', 'high', 'low', 'volume'] as const) if (!cols[c]) led.report.notes.push(`column ${c} absent: its panel is all NaN`);
  for (let i = 0; i < n; i++) {
    const code = codeTxt[i];
    const d = normDate(dateTxt[i]);
    if (!checkBarRow(led, i, dateTxt[i], d, code, options.asOf, 'date', options.notAfter)) continue;
    const ex = { date: d!, code };
    const c = requireNumber(led, close, i, 'close', true, ex);
    if (Number.isNaN(c)) continue;
    // vendor zero placeholders (e.g. CITIC before trading data existed): bit k set = column k is a 0 placeholder
    let zbits = 0;
    if (zeroCols.length) {
      const zs: string[] = [];
      for (let k = 0; k < OHLV.length; k++) {
        const col = cols[OHLV[k]];
        if (zero.has(OHLV[k]) && col && col.status[i] === NUM_OK && col.values[i] === 0) { zbits |= 1 << k; zs.push(OHLV[k]); }
      }
      if (zs.length) led.mask(i, ISSUES.zeroPlaceholder(zeroCols.join('/')), { ...ex, columns: zs.join('/') }, zs.length);
    }
    const o = zbits & 1 ? NaN : optionalNumber(led, cols.open, i, 'open', 'positive', ex);
    let h = zbits & 2 ? NaN : optionalNumber(led, cols.high, i, 'high', 'positive', ex);
    let l = zbits & 4 ? NaN : optionalNumber(led, cols.low, i, 'low', 'positive', ex);
    const v = zbits & 8 ? NaN : optionalNumber(led, cols.volume, i, 'volume', 'nonNegative', ex);
    if (h < l) { led.mask(i, ISSUES.highBelowLow(), { ...ex, high: h, low: l }, 2); h = NaN; l = NaN; }
    vals.open[i] = o; vals.high[i] = h; vals.low[i] = l; vals.close[i] = c; vals.volume[i] = v;
    for (const x of opt) x.v[i] = optionalNumber(led, x.col, i, x.c, x.c === 'amount' ? 'nonNegative' : 'any', ex);
    dates[i] = d!;
    use[i] = 1;
  }
  const dateHint = yearLastHint(normDate.rejected());
  if (dateHint) led.report.notes.push(dateHint);
  const grid = gridFromRows(dates, codeTxt, use, t.source, t.lines);
  const src = t.source;
  const bars: IndustryBars = {
    open: panelFromGrid(grid, vals.open, src), high: panelFromGrid(grid, vals.high, src), low: panelFromGrid(grid, vals.low, src),
    close: panelFromGrid(grid, vals.close, src), volume: panelFromGrid(grid, vals.volume, src),
  };
  for (const x of opt) (bars as unknown as Record<string, Panel>)[x.k] = panelFromGrid(grid, x.v, src);
  const names = new Map<string, string>();
  const renamed = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const nm = nameTxt ? nameTxt[i] : '';
    const prev = names.get(codeTxt[i]);
    if (prev === undefined) names.set(codeTxt[i], nm);
    else if (nm !== '' && prev !== nm) { renamed.add(codeTxt[i]); names.set(codeTxt[i], nm); }
  }
  if (renamed.size) led.report.notes.push(`industry name changed within the file for ${[...renamed].sort().join(', ')} (the latest name is used)`);
  const industries = grid.assets.map((code) => ({ code, name: names.get(code) || code }));
  return { industries, calendar: grid.dates, bars, loss: led.finish() };
}

/** Stock bars: `StockBars` panels on the file's calendar. */
export interface StockBarsResult {
  stocks: string[];
  calendar: string[];
  bars: StockBars;
  loss: LossReport;
}

/**
 * Validate long stock bars into `StockBars`. close: blank / text / <= 0 drops the row; volume and
 * amount: text or < 0 masks; caps: text or <= 0 masks; tradable: not 0/1 masks; dates after
 * `asOf` drop the row; duplicate (date, code) throws.
 */
export function validateStockBars(t: CsvTable, options: ValidateOptions = {}): StockBarsResult {
  const schema = SCHEMAS.stock_bars;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load stock_bars', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, codeTxt = stringCol(t, 'code')!;
  const n = t.nRows;
  const normDate = dateNormalizer(options.dateFormat);
  const dates = new Array<string>(n);
  const use = new Uint8Array(n);
  const close = numCol(t, 'close')!;
  const vol = numCol(t, 'volume');
  if (!vol) led.report.notes.push('column volume absent: its panel is all NaN');
  const optional = (['amount', 'float_cap', 'total_cap', 'tradable'] as const).filter((c) => t.header.includes(c));
  const ocols = optional.map((c) => ({ c, col: numCol(t, c)!, v: new Float64Array(n) }));
  const vc = new Float64Array(n), vv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const code = codeTxt[i];
    const d = normDate(dateTxt[i]);
    if (!checkBarRow(led, i, dateTxt[i], d, code, options.asOf, 'date', options.notAfter)) continue;
    const ex = { date: d!, code };
    const c = requireNumber(led, close, i, 'close', true, ex);
    if (Number.isNaN(c)) continue;
    vc[i] = c;
    vv[i] = optionalNumber(led, vol, i, 'volume', 'nonNegative', ex);
    for (const o of ocols) {
      let x = optionalNumber(led, o.col, i, o.c, o.c === 'amount' ? 'nonNegative' : o.c === 'tradable' ? 'any' : 'positive', ex);
      if (o.c === 'tradable' && !Number.isNaN(x) && x !== 0 && x !== 1) {
        led.mask(i, ISSUES.outOfRange('tradable', '{0, 1}'), { ...ex, value: x });
        x = NaN;
      }
      o.v[i] = x;
    }
    dates[i] = d!;
    use[i] = 1;
  }
  const dateHint = yearLastHint(normDate.rejected());
  if (dateHint) led.report.notes.push(dateHint);
  const grid = gridFromRows(dates, codeTxt, use, t.source, t.lines);
  const bars: StockBars = { close: panelFromGrid(grid, vc, t.source), volume: panelFromGrid(grid, vv, t.source) };
  const key: Record<string, keyof StockBars> = { amount: 'amount', float_cap: 'floatCap', total_cap: 'totalCap', tradable: 'tradable' };
  for (const o of ocols) (bars as unknown as Record<string, Panel>)[key[o.c]] = panelFromGrid(grid, o.v, t.source);
  return { stocks: grid.assets, calendar: grid.dates, bars, loss: led.finish() };
}

/** Membership records plus their loss report. */
export interface IntradayResult {
  bars: IntradayBars;
  loss: LossReport;
}

/**
 * Validate intraday bars into `IntradayBars` (days x codes x bar times, NaN where absent). Same
 * price/volume rules as daily bars; a bad time drops the row; duplicate (date, time, code) throws.
 */
export function validateIntradayBars(t: CsvTable, options: ValidateOptions = {}): IntradayResult {
  const schema = SCHEMAS.intraday_bars;
  assertAsOf(options.asOf);
  const notes = checkColumns(t, schema);
  const led = new RowLedger(options.stage ?? 'load intraday_bars', t.source, t.nRows, { strict: options.strict, skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes, ...notes);
  const dateTxt = stringCol(t, 'date')!, timeTxt = stringCol(t, 'time')!, codeTxt = stringCol(t, 'code')!;
  const close = numCol(t, 'close')!;
  const cols = { open: numCol(t, 'open'), high: numCol(t, 'high'), low: numCol(t, 'low'), volume: numCol(t, 'volume') };
  const n = t.nRows;
  const normDate = dateNormalizer(options.dateFormat);
  const rd = new Array<string>(n), rt = new Array<string>(n);
  const use = new Uint8Array(n);
  const v = { open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const code = codeTxt[i];
    const d = normDate(dateTxt[i]);
    if (!checkBarRow(led, i, dateTxt[i], d, code, options.asOf, 'date', options.notAfter)) continue;
    const tm = normalizeTime(timeTxt[i]);
    if (tm === null) { led.drop(i, ISSUES.badTime(), { date: d!, code, text: timeTxt[i] }); continue; }
    const ex = { date: d!, time: tm, code };
    const c = requireNumber(led, close, i, 'close', true, ex);
    if (Number.isNaN(c)) continue;
    let h = optionalNumber(led, cols.high, i, 'high', 'positive', ex);
    let l = optionalNumber(led, cols.low, i, 'low', 'positive', ex);
    if (h < l) { led.mask(i, ISSUES.highBelowLow(), { ...ex, high: h, low: l }, 2); h = NaN; l = NaN; }
    v.open[i] = optionalNumber(led, cols.open, i, 'open', 'positive', ex);
    v.high[i] = h; v.low[i] = l; v.close[i] = c;
    v.volume[i] = optionalNumber(led, cols.volume, i, 'volume', 'nonNegative', ex);
    rd[i] = d!; rt[i] = tm; use[i] = 1;
  }
  const days = [...new Set(rd.filter((_, i) => use[i]))].sort();
  const times = [...new Set(rt.filter((_, i) => use[i]))].sort();
  const codes = [...new Set(codeTxt.filter((_, i) => use[i]))].sort();
  const di = new Map(days.map((d, k) => [d, k])), ti = new Map(times.map((x, k) => [x, k])), ci = new Map(codes.map((x, k) => [x, k]));
  const B = times.length, C = codes.length;
  const size = days.length * C * B;
  const out = { open: new Float64Array(size).fill(NaN), high: new Float64Array(size).fill(NaN), low: new Float64Array(size).fill(NaN), close: new Float64Array(size).fill(NaN), volume: new Float64Array(size).fill(NaN) };
  const owner = new Int32Array(size).fill(-1);
  const dups: string[] = [];
  let nDup = 0;
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const k = (di.get(rd[i])! * C + ci.get(codeTxt[i])!) * B + ti.get(rt[i])!;
    if (owner[k] >= 0) { nDup++; if (dups.length < 10) dups.push(`${rd[i]} ${rt[i]} ${codeTxt[i]} (lines ${t.lines[owner[k]]} and ${t.lines[i]})`); continue; }
    owner[k] = i;
    out.open[k] = v.open[i]; out.high[k] = v.high[i]; out.low[k] = v.low[i]; out.close[k] = v.close[i]; out.volume[k] = v.volume[i];
  }
  if (nDup) {
    throw new RotationError('DATA_DUPLICATE_KEY', `${nDup} duplicate (date, time, code) row(s)`, { file: t.source, duplicates: dups },
      'keep one bar per (date, time, code)');
  }
  const bars: IntradayBars = { codes, days, times, barsPerDay: B, ...out };
  return { bars, loss: led.finish() };
}

/** Index weights (fractions) plus their loss report. */
