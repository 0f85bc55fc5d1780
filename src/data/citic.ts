/**
 * CITIC (中信) level-1 industry indices from ../shared/data/citic_l1_industry (see its
 * PROVENANCE.md), and a generic industry-bar loader for users' own exports.
 *
 * Files read by `loadCiticIndustry`:
 * - `citic_l1_daily_ohlcv.csv.gz`: long `date,code,name,open,high,low,close,volume`, 2015-01-05 ..
 *   2024-12-31 (30 industries, 72,442 rows). Real-data quirk: CI005030 综合金融 starts 2017-01-03
 *   and its first 708 rows carry only a close (open/high/low/volume = 0); on 2019-11-29 the index
 *   is rebased to 1000 with volume 0. These zeros are vendor placeholders: masked to NaN and
 *   counted, the close is kept.
 * - `citic_l1_close_wide_2015_2025.csv`: wide close-only table (date + one column per industry,
 *   Chinese short names as headers) reaching 2025-12-31; `citic_l1_codes.csv` maps the names to codes.
 * - `citic_l1_constituents_20260127.csv`: members and weights on 2026-01-27 (a snapshot, not point in
 *   time).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { countLoss, newLossReport, type LossReport } from './loss.js';
import { NUM_BLANK, NUM_TEXT, displayPath, headerForMessage, parseTextFileAsCsv, readCsv, readCsvHeader, readTextFile, sharedDataDir, type CsvTable } from './csv.js';
import {
  validateIndexWeights, validateIndustryBars, validateMembership, dateNormalizer, yearLastHint, RowLedger, ISSUES,
  type BarsValidateOptions, type DateFormat, type IndustryBarsResult,
} from './schema.js';
import {
  detectVendor, mapVendorColumns, normalizeHeader, numericVendorColumns, loadForecastsCsv, loadFundamentalsCsv, loadIndexWeightsCsv,
  loadIntradayBarsCsv, loadMembershipCsv, loadStockBarsCsv, loadStocksCsv, type Vendor,
} from './vendors.js';
import { assertMaxLoss, assertNoCaseVariantCodes, checkLossThreshold, DEFAULT_MAX_LOSS, flagConstantCloses, flagProbableRebases } from './checks.js';
import { forecastColumns } from './forecasts.js';
import type { IndexWeightRecord, IndustryBars, IndustryInfo, MarketDataset, MembershipRecord, StockData, StockInfo } from './types.js';

/** File names inside the CITIC folder. */
export const CITIC_FILES = Object.freeze({
  ohlcv: 'citic_l1_daily_ohlcv.csv.gz',
  wideClose: 'citic_l1_close_wide_2015_2025.csv',
  codes: 'citic_l1_codes.csv',
  constituents: 'citic_l1_constituents_20260127.csv',
});

/** Date of the constituents snapshot. */
export const CITIC_SNAPSHOT_DATE = '2026-01-27';

/** The CITIC folder: `dir` if given, else `<shared data>/citic_l1_industry` (env ROTATION_SHARED_DATA overrides the shared root). */
export function citicDir(dir?: string): string {
  return dir ?? path.join(sharedDataDir(), 'citic_l1_industry');
}

export interface CiticOptions {
  /** Throw on the first row-level problem instead of masking / dropping and counting. */
  strict?: boolean;
  /** Ignore rows dated after this ISO date. */
  asOf?: string;
  /** Extend the close panel with the wide close file to 2025-12-31 (open/high/low/volume NaN there, counted). */
  extendCloseWithWide?: boolean;
  /**
   * validFrom of the snapshot membership: 'data-start' (default; back-dated to the first date of
   * the data: look-ahead, stated in the caveats) or 'snapshot' (2026-01-27, so joins before then find nothing).
   */
  membershipFrom?: 'data-start' | 'snapshot';
}

/** The CITIC dataset: a MarketDataset plus the snapshot membership and constituent weights. */
export interface CiticDataset extends MarketDataset {
  /** Scheme "citic_l1", from the 2026-01-27 snapshot (not point in time). */
  membership: MembershipRecord[];
  /** Constituent weights within each industry on 2026-01-27 (index = industry code, fractions). */
  constituentWeights: IndexWeightRecord[];
}

/** Load the long OHLCV file (zeros of CI005030's early rows masked to NaN and counted). */
export function loadCiticOhlcv(dir?: string, options: Pick<CiticOptions, 'strict' | 'asOf'> = {}): IndustryBarsResult {
  const file = path.join(citicDir(dir), CITIC_FILES.ohlcv);
  const t = readCsv(file, { numeric: ['open', 'high', 'low', 'close', 'volume'] });
  return validateIndustryBars(t, { ...options, stage: 'load CITIC L1 OHLCV', zeroIsMissing: ['open', 'high', 'low', 'volume'] });
}

/** CITIC codes with names and Wind EDB ids. */
export interface CiticCode extends IndustryInfo {
  windEdbId: string;
}

/** Load `citic_l1_codes.csv` (name → code map for the wide file). Duplicate names or codes throw. */
export function loadCiticCodes(dir?: string): { codes: CiticCode[]; loss: LossReport } {
  const t = readCsv(path.join(citicDir(dir), CITIC_FILES.codes));
  for (const c of ['code', 'name']) {
    if (!t.text[c]) {
      throw new RotationError('DATA_MISSING_COLUMN', `Required column ${c} missing in the CITIC code map`,
        { file: t.source, expected: ['code', 'name', 'wind_edb_id'], found: t.header }, 'restore the header code,name,wind_edb_id');
    }
  }
  const led = new RowLedger('load CITIC L1 codes', t.source, t.nRows, { skipped: t.skipped, lines: t.lines });
  led.report.notes.push(...t.notes);
  const codes: CiticCode[] = [];
  const byName = new Map<string, number>(), byCode = new Map<string, number>();
  for (let i = 0; i < t.nRows; i++) {
    const code = t.text.code[i], name = t.text.name[i];
    if (code === '' || name === '') { led.drop(i, ISSUES.blankId(code === '' ? 'code' : 'name')); continue; }
    for (const [m, k, what] of [[byName, name, 'name'], [byCode, code, 'code']] as const) {
      if (m.has(k)) {
        throw new RotationError('DATA_DUPLICATE_KEY', `Duplicate ${what} "${k}" in the CITIC code map`, { file: t.source, lines: [t.lines[m.get(k)!], t.lines[i]] },
          'keep one row per industry');
      }
      m.set(k, i);
    }
    codes.push({ code, name, windEdbId: t.text.wind_edb_id ? t.text.wind_edb_id[i] : '' });
  }
  codes.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { codes, loss: led.finish() };
}

/** A wide close panel plus its loss report (counts are (date, column) cells). */
export interface WideCloseResult {
  close: Panel;
  industries: IndustryInfo[];
  loss: LossReport;
}

export interface WideOptions {
  strict?: boolean;
  asOf?: string;
  /** How the date column is written (default year first). */
  dateFormat?: DateFormat;
  /** Rows dated after this ISO date (when no asOf) are future rows: dropped and counted. */
  notAfter?: string;
  /** Map header name → code (e.g. 家电 → CI005016.WI). Headers not in the map throw `DATA_UNKNOWN_INDUSTRY`. Without a map the headers are the codes. */
  nameToCode?: ReadonlyMap<string, string>;
  stage?: string;
}

/**
 * Read a wide table: first column = date, every other column = one asset's values. Counts are
 * (date, column) cells: blank cells are counted as "blank cell", text cells and values <= 0 are
 * masked and counted, rows with a bad date or after `asOf` drop all their cells. Duplicate dates throw.
 */
export function wideTableToPanel(t: CsvTable, options: WideOptions = {}): WideCloseResult {
  const dateCol = t.header[0];
  const valueCols = t.header.slice(1).filter((h) => h !== '');
  if (valueCols.length === 0) {
    throw new RotationError('DATA_MISSING_COLUMN', 'Wide table has no value columns', { file: t.source, found: headerForMessage(t) },
      'a wide table is date followed by one column per industry');
  }
  const codes = valueCols.map((h) => options.nameToCode ? options.nameToCode.get(normalizeHeader(h)) ?? options.nameToCode.get(h) : h);
  const unknown = valueCols.filter((_, j) => codes[j] === undefined);
  if (unknown.length) {
    throw new RotationError('DATA_UNKNOWN_INDUSTRY', `${unknown.length} column header(s) are not in the name → code map`,
      { file: t.source, unknown, known: options.nameToCode ? [...options.nameToCode.keys()] : [] },
      'add the names to the code map (citic_l1_codes.csv) or rename the columns');
  }
  const C = valueCols.length;
  const report = newLossReport(options.stage ?? 'load wide close', t.source);
  report.notes.push(...t.notes, 'counts are (date, column) cells, not lines; a dropped line counts once per column');
  report.rowsRead = t.nRows * C + t.skipped.length;
  for (const s of t.skipped) {
    if (options.strict) {
      throw new RotationError('DATA_RAGGED_ROW', `Record has the wrong number of fields: ${s.reason}`, { file: t.source, line: s.line, record: s.excerpt },
        'remove footer/notes lines from the export');
    }
    countLoss(report, 'wrong number of fields (line dropped)', 1, { file: t.source, line: s.line, record: s.excerpt });
  }
  const normDate = dateNormalizer(options.dateFormat);
  const dateTxt = t.text[dateCol] ?? [];
  const cols = valueCols.map((h) => ({ h, values: t.num[h], status: t.numStatus[h], bad: t.badText[h] ?? new Map<number, string>() }));
  const rows: { date: string; i: number }[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const d = normDate(dateTxt[i] ?? '');
    const where = { file: t.source, line: t.lines[i] };
    if (d === null) {
      if (options.strict) throw new RotationError('DATA_BAD_DATE', ISSUES.badDate(dateCol).reason, { ...where, text: dateTxt[i] }, ISSUES.badDate(dateCol).fix);
      countLoss(report, `${dateCol}: unparseable date (line dropped)`, C, { ...where, text: dateTxt[i] });
      continue;
    }
    if (options.asOf !== undefined && d > options.asOf) {
      if (options.strict) throw new RotationError('DATA_AFTER_AS_OF', ISSUES.afterAsOf(dateCol, options.asOf).reason, { ...where, date: d }, ISSUES.afterAsOf(dateCol, options.asOf).fix);
      countLoss(report, `date after asOf ${options.asOf} (line dropped)`, C, { ...where, date: d });
      continue;
    }
    if (options.asOf === undefined && options.notAfter !== undefined && d > options.notAfter) {
      const issue = ISSUES.futureDate(dateCol, options.notAfter);
      if (options.strict) throw new RotationError(issue.code, issue.reason, { ...where, date: d }, issue.fix);
      countLoss(report, `${dateCol} in the future, after ${options.notAfter} (line dropped)`, C, { ...where, date: d });
      continue;
    }
    rows.push({ date: d, i });
  }
  const dateHint = yearLastHint(normDate.rejected());
  if (dateHint) report.notes.push(dateHint);
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i));
  for (let k = 1; k < rows.length; k++) {
    if (rows[k].date === rows[k - 1].date) {
      throw new RotationError('DATA_DUPLICATE_KEY', `Duplicate date ${rows[k].date} in a wide table`, { file: t.source, lines: [t.lines[rows[k - 1].i], t.lines[rows[k].i]] },
        'keep one line per date');
    }
  }
  // columns ordered by code
  const order = codes.map((c, j) => ({ c: c!, j })).sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  const values = new Float64Array(rows.length * C).fill(NaN);
  let kept = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k].i;
    for (let jj = 0; jj < C; jj++) {
      const { c, j } = order[jj];
      const col = cols[j];
      const st = col.status ? col.status[i] : NUM_BLANK;
      const where = { file: t.source, line: t.lines[i], date: rows[k].date, column: col.h, code: c };
      if (st === NUM_BLANK) { countLoss(report, 'blank cell (no value published)', 1, where); continue; }
      if (st === NUM_TEXT) {
        if (options.strict) throw new RotationError('DATA_NOT_A_NUMBER', ISSUES.textMask(col.h).reason, { ...where, text: col.bad.get(i) ?? '' }, ISSUES.textMask(col.h).fix);
        countLoss(report, 'text where a number belongs (cell masked to NaN)', 1, { ...where, text: col.bad.get(i) ?? '' });
        continue;
      }
      const v = col.values[i];
      if (!(v > 0)) {
        if (options.strict) throw new RotationError('DATA_NONPOSITIVE_PRICE', ISSUES.nonPositiveMask(col.h).reason, { ...where, value: v }, ISSUES.nonPositiveMask(col.h).fix);
        countLoss(report, 'close <= 0 (cell masked to NaN)', 1, { ...where, value: v });
        continue;
      }
      values[k * C + jj] = v;
      kept++;
    }
  }
  report.rowsKept = kept;
  const assets = order.map((o) => o.c);
  const close = createPanel(rows.map((x) => x.date), assets, values, t.source);
  const industries = order.map((o) => ({ code: o.c, name: valueCols[o.j] }));
  return { close, industries, loss: report };
}

/** Load the wide close file (to 2025-12-31) with names mapped to codes through `citic_l1_codes.csv`. */
export function loadCiticWideClose(dir?: string, options: Pick<CiticOptions, 'strict' | 'asOf'> = {}): WideCloseResult & { codesLoss: LossReport } {
  const { codes, loss: codesLoss } = loadCiticCodes(dir);
  const nameToCode = new Map(codes.map((c) => [c.name, c.code]));
  const file = path.join(citicDir(dir), CITIC_FILES.wideClose);
  const tf = readTextFile(file);
  const header = readCsvHeader(tf.text);
  const t = parseTextFileAsCsv(tf, { numeric: header.slice(1) });
  const res = wideTableToPanel(t, { ...options, nameToCode, stage: 'load CITIC L1 wide close' });
  const names = new Map(codes.map((c) => [c.code, c.name]));
  res.industries = res.industries.map((x) => ({ code: x.code, name: names.get(x.code) ?? x.name }));
  return { ...res, codesLoss };
}

/** Snapshot membership and within-industry weights from the constituents file. */
export interface CiticConstituentsResult {
  membership: MembershipRecord[];
  weights: IndexWeightRecord[];
  /** Membership rows (one per stock). */
  loss: LossReport;
  /** Weight rows (a blank weight drops the weight, not the membership). */
  weightsLoss: LossReport;
}

/**
 * Load the 2026-01-27 constituents snapshot as `citic_l1` membership (validFrom = `validFrom`,
 * open-ended) and within-industry weights (fractions, each industry sums to 1).
 */
export function loadCiticConstituents(dir?: string, options: { validFrom?: string; strict?: boolean } = {}): CiticConstituentsResult {
  const file = path.join(citicDir(dir), CITIC_FILES.constituents);
  const tf = readTextFile(file);
  const raw = parseTextFileAsCsv(tf, { numeric: ['weight_pct'] });
  const validFrom = options.validFrom ?? CITIC_SNAPSHOT_DATE;
  const asMembership: CsvTable = {
    ...raw,
    header: ['stock', 'industry', 'industry_name', 'valid_from', 'scheme'],
    text: {
      stock: raw.text.stock_code ?? [], industry: raw.text.industry_code ?? [], industry_name: raw.text.industry_name ?? [],
      valid_from: new Array<string>(raw.nRows).fill(validFrom), scheme: new Array<string>(raw.nRows).fill('citic_l1'),
    },
    num: {}, numStatus: {}, badText: {},
  };
  for (const c of ['industry_code', 'stock_code']) {
    if (!raw.text[c]) {
      throw new RotationError('DATA_MISSING_COLUMN', `Required column ${c} missing in the CITIC constituents file`,
        { file: raw.source, expected: ['industry_code', 'industry_name', 'stock_code', 'stock_name', 'weight_pct'], found: raw.header },
        'restore the header industry_code,industry_name,stock_code,stock_name,weight_pct');
    }
  }
  const mem = validateMembership(asMembership, { strict: options.strict, stage: 'load CITIC L1 constituents (membership)' });
  mem.loss.notes.push(`snapshot of ${CITIC_SNAPSHOT_DATE}; membership validFrom set to ${validFrom}, open-ended`);
  const asWeights: CsvTable = {
    ...raw,
    header: ['date', 'index', 'stock', 'weight_pct'],
    text: { date: new Array<string>(raw.nRows).fill(CITIC_SNAPSHOT_DATE), index: raw.text.industry_code, stock: raw.text.stock_code },
    num: { weight_pct: raw.num.weight_pct }, numStatus: { weight_pct: raw.numStatus.weight_pct }, badText: { weight_pct: raw.badText.weight_pct ?? new Map() },
    notes: [...raw.notes],
  };
  const w = validateIndexWeights(asWeights, { strict: options.strict, stage: 'load CITIC L1 constituents (weights)' });
  return { membership: mem.records, weights: w.records, loss: mem.loss, weightsLoss: w.loss };
}

/**
 * Load the CITIC L1 dataset: calendar, industries, bars (from the OHLCV file; with
 * `extendCloseWithWide` the close panel runs to 2025-12-31 from the wide file, OHLV NaN there),
 * snapshot membership, loss reports per file and caveats.
 */
export function loadCiticIndustry(dir?: string, options: CiticOptions = {}): CiticDataset {
  const ohlcv = loadCiticOhlcv(dir, options);
  const losses: LossReport[] = [ohlcv.loss];
  let bars: IndustryBars = ohlcv.bars;
  let calendar = ohlcv.calendar;
  const caveats: string[] = [
    'Source: Wind terminal exports of CITIC (中信) level-1 industry indices posted in a public GitHub repository; redistribution status unclear (see ../shared/data/citic_l1_industry/PROVENANCE.md).',
    'Price indices (no dividends reinvested); volume in shares; no amount, turnover or valuation (PE/PB/dividend yield) fields.',
    'CI005030 综合金融 starts 2017-01-03; its first 708 rows carry only a close (open/high/low/volume = 0, masked to NaN); on 2019-11-29 it is rebased to 1000 with volume 0 (masked).',
  ];
  const wide = options.extendCloseWithWide ? loadCiticWideClose(dir, options) : undefined;
  if (wide) {
    losses.push(wide.codesLoss, wide.loss);
    const ext = extendWithWideClose(ohlcv.bars, calendar, wide.close, wide.loss.source);
    bars = ext.bars;
    calendar = ext.calendar;
    losses.push(ext.loss);
    caveats.push(`Closes after ${ohlcv.calendar[ohlcv.calendar.length - 1]} (to ${calendar[calendar.length - 1]}) come from the wide close file; open/high/low/volume are NaN there.`);
  }
  const validFrom = options.membershipFrom === 'snapshot' ? CITIC_SNAPSHOT_DATE : calendar[0];
  const cons = loadCiticConstituents(dir, { validFrom, strict: options.strict });
  losses.push(cons.loss, cons.weightsLoss);
  caveats.push(options.membershipFrom === 'snapshot'
    ? `Membership is the ${CITIC_SNAPSHOT_DATE} constituents snapshot (valid from that date only), not point in time.`
    : `Membership is the ${CITIC_SNAPSHOT_DATE} constituents snapshot back-dated to ${validFrom}: not point in time (look-ahead and survivorship bias for stock-level use).`);
  return {
    name: 'CITIC L1 (Wind export)',
    calendar,
    industries: ohlcv.industries,
    industryBars: bars,
    losses,
    caveats,
    membership: cons.membership,
    constituentWeights: cons.weights,
  };
}

/**
 * Extend daily bars with closes of a wide panel for dates after the bars' last date. Open, high,
 * low and volume are NaN there; each added (date, industry) close is counted under
 * "open/high/low/volume not available" (rowsKept counts complete bars added: 0). Also notes how
 * many overlapping closes differ between the two sources.
 */
export function extendWithWideClose(bars: IndustryBars, calendar: readonly string[], wideClose: Panel, source = 'wide close'): { bars: IndustryBars; calendar: string[]; loss: LossReport } {
  const last = calendar[calendar.length - 1];
  const assets = bars.close.assets;
  const A = assets.length;
  const wa = new Map(wideClose.assets.map((a, i) => [a, i]));
  const wd = new Map(wideClose.dates.map((d, t) => [d, t]));
  const report = newLossReport('extend close with wide file', source);
  report.notes.push('counts are (date, industry) cells added after the OHLCV file ends');
  // consistency on the overlap
  let compared = 0, differ = 0;
  const cd = new Map(calendar.map((d, t) => [d, t]));
  for (const [d, t] of cd) {
    const tw = wd.get(d);
    if (tw === undefined) continue;
    for (let i = 0; i < A; i++) {
      const j = wa.get(assets[i]);
      if (j === undefined) continue;
      const a = bars.close.values[t * A + i], b = wideClose.values[tw * wideClose.assets.length + j];
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      compared++;
      if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))) differ++;
    }
  }
  const missingInWide = calendar.filter((d) => !wd.has(d)).length;
  const wideOnlyInside = wideClose.dates.filter((d) => d <= last && !cd.has(d)).length;
  report.notes.push(`overlap check: ${compared} (date, industry) closes compared, ${differ} differ; ${missingInWide} OHLCV dates absent from the wide file; ${wideOnlyInside} wide dates inside the OHLCV range absent from the OHLCV file`);
  const extraDates = wideClose.dates.filter((d) => d > last);
  const T0 = calendar.length, T = T0 + extraDates.length;
  const grow = (p: Panel, fillFromWide: boolean): Panel => {
    const v = new Float64Array(T * A).fill(NaN);
    v.set(p.values);
    if (fillFromWide) {
      for (let k = 0; k < extraDates.length; k++) {
        const tw = wd.get(extraDates[k])!;
        for (let i = 0; i < A; i++) {
          const j = wa.get(assets[i]);
          if (j !== undefined) v[(T0 + k) * A + i] = wideClose.values[tw * wideClose.assets.length + j];
        }
      }
    }
    return createPanel([...calendar, ...extraDates], assets, v, 'citic close extended');
  };
  const close = grow(bars.close, true);
  let added = 0, blank = 0;
  for (let k = T0 * A; k < T * A; k++) {
    if (Number.isNaN(close.values[k])) blank++;
    else added++;
  }
  report.rowsRead = added + blank;
  report.rowsKept = 0;
  if (added) countLoss(report, `open/high/low/volume not available after ${last} (NaN; close from the wide file)`, added, { dates: `${extraDates[0]} .. ${extraDates[extraDates.length - 1]}` });
  if (blank) countLoss(report, 'close blank in the wide file (NaN)', blank);
  const out: IndustryBars = { open: grow(bars.open, false), high: grow(bars.high, false), low: grow(bars.low, false), close, volume: grow(bars.volume, false) };
  for (const k of ['amount', 'turnover', 'pe', 'pb', 'ps', 'dividendYield'] as const) {
    const p = bars[k];
    if (p) out[k] = grow(p, false);
  }
  return { bars: out, calendar: [...calendar, ...extraDates], loss: report };
}

export interface IndustryBarsCsvOptions extends BarsValidateOptions {
  /** Vendor layout; detected from the headers when omitted. */
  vendor?: Vendor;
  /** 'long' (one row per date and industry) or 'wide' (date + one close column per industry). */
  layout: 'long' | 'wide';
  /** For 'wide': header name → industry code (headers are the codes when omitted). */
  nameToCode?: ReadonlyMap<string, string>;
  /** Decimal mark of numbers: '.' (default) or ',' ("2543,75"). */
  decimal?: '.' | ',';
}

/**
 * Load industry bars from a user's own export. 'long': vendor columns mapped and validated like
 * the CITIC file. 'wide': a close-only table; open/high/low/volume panels are all NaN (noted).
 */
export function loadIndustryBarsCsv(file: string, options: IndustryBarsCsvOptions): IndustryBarsResult {
  const tf = readTextFile(file);
  const header = readCsvHeader(tf.text);
  if (options.layout === 'wide') {
    const t = parseTextFileAsCsv(tf, { numeric: header.slice(1), decimal: options.decimal });
    const res = wideTableToPanel(t, {
      strict: options.strict, asOf: options.asOf, nameToCode: options.nameToCode, stage: options.stage ?? 'load industry close (wide)',
      dateFormat: options.dateFormat, notAfter: options.notAfter,
    });
    assertNoCaseVariantCodes(res.close.assets, t.source, 'industry column');
    const nan = () => createPanel(res.close.dates, res.close.assets, new Float64Array(res.close.values.length).fill(NaN), t.source);
    res.loss.notes.push('wide layout is close-only: open, high, low and volume panels are all NaN');
    return { industries: res.industries, calendar: [...res.close.dates], bars: { open: nan(), high: nan(), low: nan(), close: res.close, volume: nan() }, loss: res.loss };
  }
  if (options.layout !== 'long') {
    throw new RotationError('DATA_BAD_ARGUMENT', `Unknown layout "${String(options.layout)}"`, { file: tf.source }, "pass layout: 'long' or 'wide'");
  }
  const det = options.vendor ? { vendor: options.vendor, matched: [] as string[] } : detectVendor(header, 'industry_bars');
  const numeric = numericVendorColumns(header, 'industry_bars', det.vendor);
  const parsed = parseTextFileAsCsv(tf, { numeric: [...numeric], decimal: options.decimal });
  parsed.notes.push(options.vendor ? `layout: ${det.vendor} (given)` : det.vendor === 'canonical' ? 'layout: canonical column names' : `layout: ${det.vendor} (auto-detected from headers ${det.matched.join(', ')})`);
  const mapped = mapVendorColumns(parsed, 'industry_bars', det.vendor);
  const res = validateIndustryBars(mapped, { ...options, stage: options.stage ?? 'load industry bars' });
  assertNoCaseVariantCodes(res.bars.close.assets, parsed.source);
  return res;
}

/** File names `loadExportsDir` looks for (each also as `.csv.gz`). */
export const EXPORT_FILES = Object.freeze({
  industryBars: 'industry_bars.csv',
  industryCloseWide: 'industry_close_wide.csv',
  industryIntraday: 'intraday_bars.csv',
  stockBars: 'stock_bars.csv',
  stocks: 'stocks.csv',
  membership: 'industry_membership.csv',
  fundamentals: 'fundamentals.csv',
  forecasts: 'analyst_forecasts.csv',
  indexWeights: 'index_weights.csv',
});

export interface ExportsDirOptions {
  strict?: boolean;
  asOf?: string;
  /** Vendor of every file; detected per file from its headers when omitted. */
  vendor?: Vendor;
  /** Rescale index weights that do not sum to 100 % instead of throwing. */
  renormalize?: boolean;
  /** Dataset name shown in reports. Default "exports (<dir>)". */
  name?: string;
  /** Decimal mark of every file: '.' (default) or ',' (CLI --decimal). */
  decimal?: '.' | ',';
  /** How dates are written in every file (default year first; CLI --date-format). */
  dateFormat?: DateFormat;
  /**
   * Largest share of a file's rows that may be lost (dropped or masked; rows after asOf excluded)
   * before the load fails with DATA_LOSS_OVER_THRESHOLD (default 0.05; CLI --max-loss; 1 disables).
   */
  maxLoss?: number;
  /**
   * "Today" for the future-date cut (ISO; default the current UTC date): without `asOf`, bars
   * dated after it are dropped and counted as future rows.
   */
  today?: string;
  /** One-day close ratio thresholds of a probable rebase (default −0.9 / +9). */
  rebaseThresholds?: { down: number; up: number };
}

/** The load options of a data folder as the CLI passes them (alias of ExportsDirOptions). */
export type LoadOptions = ExportsDirOptions;

/** Today's date (UTC, ISO): the default future-date cut. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function findExport(dir: string, name: string): string | undefined {
  for (const f of [name, `${name}.gz`]) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Load a folder of vendor or canonical CSV exports (the CLI's `--data DIR`) as a MarketDataset.
 * Required: `industry_bars.csv` (long) or `industry_close_wide.csv` (wide, close only). Optional:
 * `intraday_bars.csv` (industry level), `stock_bars.csv` (+ `stocks.csv`, `industry_membership.csv`,
 * `fundamentals.csv`, `analyst_forecasts.csv`, `index_weights.csv`). Each may be gzip-compressed
 * (`.csv.gz`). One loss report per file.
 */
export function loadExportsDir(dir: string, options: ExportsDirOptions = {}): MarketDataset {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new RotationError('DATA_DIR_NOT_FOUND', `Data folder not found: ${displayPath(dir)}`, { dir: displayPath(dir) },
      'pass --data with a folder holding industry_bars.csv (see data/README.md for the file names)');
  }
  const maxLoss = options.maxLoss ?? DEFAULT_MAX_LOSS;
  assertMaxLoss(maxLoss);
  const notAfter = options.asOf === undefined ? options.today ?? todayIso() : undefined;
  const common = { strict: options.strict, asOf: options.asOf, vendor: options.vendor, decimal: options.decimal, dateFormat: options.dateFormat, notAfter };
  /** Every file's loss report goes through the threshold as soon as it is read. */
  const checked = <T extends { loss: LossReport }>(r: T): T => { checkLossThreshold(r.loss, maxLoss); return r; };
  const longFile = findExport(dir, EXPORT_FILES.industryBars);
  const wideFile = longFile ? undefined : findExport(dir, EXPORT_FILES.industryCloseWide);
  if (!longFile && !wideFile) {
    throw new RotationError('DATA_FILE_NOT_FOUND', `No industry bars in ${displayPath(dir)}: expected ${EXPORT_FILES.industryBars} or ${EXPORT_FILES.industryCloseWide} (optionally .gz)`,
      { dir: displayPath(dir), found: fs.readdirSync(dir).sort() }, 'export industry index bars under one of these names (see data/README.md)');
  }
  const ind = checked(loadIndustryBarsCsv((longFile ?? wideFile)!, { ...common, layout: longFile ? 'long' : 'wide' }));
  const losses: LossReport[] = [ind.loss];
  const caveats: string[] = [];
  caveats.push(...flagProbableRebases(ind.bars.close, ind.loss, options.rebaseThresholds), ...flagConstantCloses(ind.bars.close, ind.loss));
  if (wideFile) caveats.push('Industry bars are close-only (wide layout): open/high/low/volume are NaN.');
  const ds: MarketDataset = { name: options.name ?? `exports (${displayPath(dir)})`, calendar: ind.calendar, industries: ind.industries, industryBars: ind.bars, losses, caveats };
  const intra = findExport(dir, EXPORT_FILES.industryIntraday);
  if (intra) {
    const r = checked(loadIntradayBarsCsv(intra, common));
    ds.industryIntraday = r.bars;
    losses.push(r.loss);
  }
  const sb = findExport(dir, EXPORT_FILES.stockBars);
  if (sb) {
    const bars = checked(loadStockBarsCsv(sb, common));
    assertNoCaseVariantCodes(bars.stocks, bars.loss.source);
    losses.push(bars.loss);
    const stFile = findExport(dir, EXPORT_FILES.stocks);
    let stocks: StockInfo[];
    if (stFile) {
      const r = checked(loadStocksCsv(stFile, common));
      losses.push(r.loss);
      stocks = r.stocks;
    } else {
      stocks = bars.stocks.map((code) => ({ code, name: code, listDate: firstValidDate(bars.bars.close, code) }));
      caveats.push('No stocks.csv: stock names are the codes and listDate is the first date with a close in the data.');
    }
    const memFile = findExport(dir, EXPORT_FILES.membership);
    const mem = memFile ? checked(loadMembershipCsv(memFile, common)) : undefined;
    if (mem) losses.push(mem.loss);
    else caveats.push('No industry_membership.csv: stocks have no industry.');
    const stockData: StockData = { stocks, bars: bars.bars, membership: mem ? mem.records : [] };
    const fu = findExport(dir, EXPORT_FILES.fundamentals);
    if (fu) { const r = checked(loadFundamentalsCsv(fu, common)); stockData.fundamentals = r.records; losses.push(r.loss); }
    const fc = findExport(dir, EXPORT_FILES.forecasts);
    if (fc) { const r = checked(loadForecastsCsv(fc, common)); stockData.forecasts = forecastColumns(r.records); losses.push(r.loss); }
    const iw = findExport(dir, EXPORT_FILES.indexWeights);
    if (iw) { const r = checked(loadIndexWeightsCsv(iw, { ...common, renormalize: options.renormalize })); stockData.indexWeights = r.records; losses.push(r.loss); }
    ds.stocks = stockData;
  }
  return ds;
}

function firstValidDate(p: Panel, code: string): string {
  const i = p.assets.indexOf(code);
  const A = p.assets.length;
  for (let t = 0; t < p.dates.length; t++) if (!Number.isNaN(p.values[t * A + i])) return p.dates[t];
  return p.dates[0];
}
