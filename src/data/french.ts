/**
 * Kenneth R. French Data Library industry portfolio files (`N_Industry_Portfolios.CSV`, built by
 * French's CMPT_IND_RETS program from CRSP): parser and conversion to a `MarketDataset`.
 *
 * File layout (multi-block CSV, CRLF line ends):
 *
 *   line 1      "This file was created by CMPT_IND_RETS using the <yyyymm> CRSP database."
 *   line 2      "It contains value- and equal-weighted returns for <N> industry portfolios."
 *   ...         free text (the preamble, returned verbatim as `header`)
 *   title       e.g. "  Average Value Weighted Returns -- Monthly"
 *   header      ",Ind1,Ind2,...,IndN"  (names padded with spaces, e.g. "Hlth ")
 *   rows        "<key>,v1,...,vN"      key = YYYYMM (monthly blocks) or YYYY (annual blocks)
 *   ...         blank lines, the next title, ..., and a closing "Copyright <yyyy> Kenneth R. French".
 *
 * Conventions applied here (stated once, relied on everywhere):
 * - Missing values `-99.99` and `-999` become NaN and are counted per block in a `LossReport`
 *   (counts are cells: rowsRead = rows x industries = rowsKept + masked).
 * - Return blocks are in percent in the file and become fractions: r = value / 100.
 * - Monthly rows YYYYMM are dated at the month end, the last calendar day (199902 -> 1999-02-28,
 *   200002 -> 2000-02-29), not the last trading day: the library has no trading calendar.
 * - Annual rows YYYY are dated yyyy-12-31. For the annual returns this is when the January..December
 *   return is complete. For the two BE/ME blocks it is a label, not the formation date: French
 *   forms the ratio for June of year t from book equity of the fiscal year ending in t-1 and
 *   market equity of December t-1 (rows here run 1926..2020, matching the June 1926 .. June 2020
 *   formations), so yyyy-12-31 is later than the date the value was available (no look-ahead).
 */
import { sharedDataDir } from './paths.js';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { countLoss, newLossReport, type LossReport } from './loss.js';
import type { MarketDataset } from './types.js';

/** Stable keys for the eight blocks of an industry portfolio file. */
export type FrenchBlockKey =
  | 'vwMonthly'
  | 'ewMonthly'
  | 'vwAnnual'
  | 'ewAnnual'
  | 'numFirms'
  | 'avgFirmSize'
  | 'sumBeSumMe'
  | 'vwAvgBeMe';

export type FrenchFrequency = 'monthly' | 'annual';

/** What one block holds, as parsed. */
export interface FrenchBlockMeta {
  key: FrenchBlockKey;
  /** Title line as written in the file, trimmed (e.g. "Average Value Weighted Returns -- Monthly"). */
  title: string;
  frequency: FrenchFrequency;
  /** Unit of the panel values after conversion. */
  unit: string;
  /** 1-based line number of the title line. */
  titleLine: number;
  /** Number of data rows (= panel dates). */
  rows: number;
  firstDate: string;
  lastDate: string;
}

/** Result of parsing one industry portfolio file. */
export interface FrenchIndustryFile {
  /** File the data came from, relative to the working directory (the project root). */
  source: string;
  /** CRSP vintage from line 1, e.g. "202104". */
  vintage: string;
  /** The preamble (every line before the first block title), CR stripped, joined with "\n". */
  header: string;
  /** Industry short names in file order, trimmed ("Hlth " -> "Hlth"). */
  industries: string[];
  blocks: Record<FrenchBlockKey, Panel>;
  meta: Record<FrenchBlockKey, FrenchBlockMeta>;
  /** One report per block: cells read, kept, and masked as missing (-99.99 / -999). */
  losses: LossReport[];
}

interface BlockSpec {
  key: FrenchBlockKey;
  title: string;
  frequency: FrenchFrequency;
  /** Divide by 100 (percent -> fraction). */
  percent: boolean;
  unit: string;
}

const BLOCK_SPECS: readonly BlockSpec[] = [
  { key: 'vwMonthly', title: 'Average Value Weighted Returns -- Monthly', frequency: 'monthly', percent: true, unit: 'fraction per month' },
  { key: 'ewMonthly', title: 'Average Equal Weighted Returns -- Monthly', frequency: 'monthly', percent: true, unit: 'fraction per month' },
  { key: 'vwAnnual', title: 'Average Value Weighted Returns -- Annual', frequency: 'annual', percent: true, unit: 'fraction per year (January..December)' },
  { key: 'ewAnnual', title: 'Average Equal Weighted Returns -- Annual', frequency: 'annual', percent: true, unit: 'fraction per year (January..December)' },
  { key: 'numFirms', title: 'Number of Firms in Portfolios', frequency: 'monthly', percent: false, unit: 'count of firms' },
  { key: 'avgFirmSize', title: 'Average Firm Size', frequency: 'monthly', percent: false, unit: 'USD millions (average market cap)' },
  { key: 'sumBeSumMe', title: 'Sum of BE / Sum of ME', frequency: 'annual', percent: false, unit: 'ratio (aggregate book / market equity)' },
  { key: 'vwAvgBeMe', title: 'Value-Weighted Average of BE/ME', frequency: 'annual', percent: false, unit: 'ratio (value-weighted average BE/ME)' },
];

/** Block keys in file order. */
export const FRENCH_BLOCK_KEYS: readonly FrenchBlockKey[] = BLOCK_SPECS.map((s) => s.key);

/** Industry counts the library publishes as `N_Industry_Portfolios`. */
export const FRENCH_INDUSTRY_COUNTS = [5, 10, 12, 17, 30, 38, 48, 49] as const;
export type FrenchIndustryCount = (typeof FRENCH_INDUSTRY_COUNTS)[number];

const LINE1 = /^This file was created (?:by [A-Za-z_]+ )?using the (\d{6}) CRSP database\.?(?:\s|$)/;
const LINE1_EXPECTED = 'This file was created [by CMPT_IND_RETS] using the <yyyymm> CRSP database.';
const LINE2 = /It contains value- and equal-weighted returns for\s+(\d+) industry portfolios/;
const LINE2_EXPECTED = 'It contains value- and equal-weighted returns for <N> industry portfolios.';
const COPYRIGHT = /^Copyright \d{4}\b.*\bFrench\.?$/;
const MONTH_KEY = /^(\d{4})(\d{2})$/;
const YEAR_KEY = /^(\d{4})$/;
const SHARED_SUBDIR = 'ff_industry_portfolios';
const SHARED_VINTAGE = '202104';


/** Path of the shared 202104-vintage file for `n` industries (5, 10, 12, 17, 30, 48 or 49; no 38). */
export function frenchSharedFile(n: FrenchIndustryCount): string {
  return path.join(sharedDataDir(), SHARED_SUBDIR, `${n}_Industry_Portfolios_${SHARED_VINTAGE}.CSV.gz`);
}

/** Month-end ISO date of year y, month m (1..12): the last calendar day, leap years included. */
export function monthEndIso(y: number, m: number): string {
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function relativeSource(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === '' ? file : rel.split(path.sep).join('/');
}

/**
 * Read and parse a French industry portfolio file, plain (`.CSV`) or gzip-compressed (`.CSV.gz`,
 * detected by the gzip magic bytes 1f 8b, not the name). See the module comment for conventions.
 * Throws `FRENCH_FILE_NOT_FOUND` (with the path tried), `FRENCH_EMPTY_FILE`, `FRENCH_GZIP` and
 * every error of `parseFrenchIndustryText`.
 */
export function parseFrenchIndustryFile(file: string): FrenchIndustryFile {
  const resolved = path.resolve(file);
  let isFile = false;
  try {
    isFile = statSync(resolved).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new RotationError('FRENCH_FILE_NOT_FOUND', 'French industry portfolio file not found', { file, pathTried: resolved },
      'check the path; the shared copies live in <shared data>/ff_industry_portfolios (set ROTATION_SHARED_DATA to move it), ' +
      'or download a current file with `npm run data:french -- <N>`');
  }
  const raw = readFileSync(resolved);
  const source = relativeSource(resolved);
  let bytes: Buffer = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new RotationError('FRENCH_GZIP', `Cannot decompress gzip file: ${(e as Error).message}`, { file: source },
        'the file is truncated or corrupt; fetch a fresh copy');
    }
  }
  return parseFrenchIndustryText(bytes.toString('latin1'), source);
}

interface PendingBlock {
  spec: BlockSpec;
  titleLine: number;
  dates: string[];
  cells: number[];
  loss: LossReport;
}

/**
 * Parse the text of a French industry portfolio file (see the module comment for the layout).
 * `source` names the file in errors and loss reports.
 *
 * Block values: returns r = x / 100 (fraction), other blocks unchanged; x in {-99.99, -999} -> NaN.
 * Dates: YYYYMM -> last calendar day of the month, YYYY -> yyyy-12-31.
 *
 * Errors (code): empty text (FRENCH_EMPTY_FILE); line 1 or 2 not the CMPT_IND_RETS preamble
 * (FRENCH_BAD_PREAMBLE); an unrecognised non-blank line where a title was expected
 * (FRENCH_UNKNOWN_BLOCK); a header row that is not ",Ind1,...,IndN" with the file's industries
 * (FRENCH_BAD_HEADER); a data row whose column count differs from its header (FRENCH_COLUMN_COUNT);
 * a row key that is not YYYYMM / YYYY or not ascending (FRENCH_BAD_DATE); a cell that is not a
 * number (FRENCH_BAD_NUMBER); a block seen twice (FRENCH_DUPLICATE_BLOCK) or absent
 * (FRENCH_MISSING_BLOCK); text after the copyright line (FRENCH_TRAILING_TEXT).
 */
export function parseFrenchIndustryText(text: string, source = 'french.csv'): FrenchIndustryFile {
  if (text.trim() === '') {
    throw new RotationError('FRENCH_EMPTY_FILE', 'French industry portfolio file is empty', { file: source },
      'the download or copy failed; fetch the file again');
  }
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const m1 = LINE1.exec(lines[0].trim());
  if (!m1) {
    throw new RotationError('FRENCH_BAD_PREAMBLE', `Line 1 is not the CMPT_IND_RETS preamble: got "${lines[0].trim().slice(0, 120)}"`,
      { file: source, line: 1, expected: LINE1_EXPECTED },
      'pass an N_Industry_Portfolios.CSV file from the French data library; if the library changed its format, update src/data/french.ts');
  }
  const vintage = m1[1];
  // The industry-count sentence: line 2 in the 202104 vintage; other vintages move or merge it
  // (e.g. onto line 1), so it is searched in the preamble (the lines before the first block title).
  const titleKeys = new Set(BLOCK_SPECS.map((s) => normTitle(s.title)));
  let firstTitle = lines.findIndex((l) => titleKeys.has(normTitle(l)));
  if (firstTitle < 0) firstTitle = Math.min(lines.length, 40);
  const dailyTitle = lines.slice(0, Math.min(lines.length, 60)).find((l) => /--\s*daily\s*$/i.test(l.trim()));
  if (dailyTitle !== undefined && lines.findIndex((l) => titleKeys.has(normTitle(l))) < 0) {
    throw new RotationError('FRENCH_DAILY_FILE', `This is a daily industry file (block "${dailyTitle.trim()}"); the loader reads the monthly file`,
      { file: source, expected: BLOCK_SPECS.map((s) => s.title) },
      'pass N_Industry_Portfolios.CSV (monthly, with the firm-count, size and BE/ME blocks), not N_Industry_Portfolios_Daily.CSV');
  }
  const m2 = LINE2.exec(lines.slice(0, firstTitle).join(' ').replace(/\s+/g, ' '));
  if (!m2 && firstTitle <= 1) {
    throw new RotationError('FRENCH_BAD_PREAMBLE', 'No industry-count line before the first block', { file: source, line: 2, expected: LINE2_EXPECTED },
      'pass an N_Industry_Portfolios.CSV file from the French data library; if the library changed its format, update src/data/french.ts');
  }
  /** Declared industry count, or undefined (then the first header row defines it). */
  let nDeclared: number | undefined = m2 ? Number(m2[1]) : undefined;

  const byTitle = new Map(BLOCK_SPECS.map((s) => [normTitle(s.title), s]));
  const titleList = BLOCK_SPECS.map((s) => s.title);
  const done = new Map<FrenchBlockKey, PendingBlock>();
  let industries: string[] | undefined;
  let headerText: string | undefined;
  let rawHeader: string | undefined;
  let current: PendingBlock | undefined;
  let sawCopyright = false;
  let lineNo = 0;

  for (let li = 0; li < lines.length; li++) {
    lineNo = li + 1;
    const line = lines[li];
    const trimmed = line.trim();
    if (sawCopyright) {
      if (trimmed !== '') {
        throw new RotationError('FRENCH_TRAILING_TEXT', `Unexpected text after the copyright line: "${trimmed.slice(0, 80)}"`,
          { file: source, line: lineNo }, 'remove the extra lines or fetch a pristine file');
      }
      continue;
    }
    if (current && trimmed !== '' && /^\d/.test(trimmed)) {
      parseRow(current, line, lineNo, industries!, source);
      continue;
    }
    if (trimmed === '') {
      current = finish(current, done);
      continue;
    }
    // Not a data row, not blank: a block title, the copyright line, or the preamble.
    if (headerText === undefined && !byTitle.has(normTitle(trimmed))) {
      if (trimmed.startsWith(',')) {
        // A header row before any known title: the line above it is a changed title.
        let t = li - 1;
        while (t > 0 && lines[t].trim() === '') t--;
        throw new RotationError('FRENCH_UNKNOWN_BLOCK', `Unrecognised block title "${lines[t].trim().slice(0, 120)}" above the first header row`,
          { file: source, line: t + 1, expected: titleList },
          'the file format changed or the file was edited: compare with a pristine French file and update the block list in src/data/french.ts');
      }
      continue; // still in the free-text preamble
    }
    if (/^\d/.test(trimmed)) {
      throw new RotationError('FRENCH_UNKNOWN_BLOCK', 'Data row outside any block (no title and header row above it)',
        { file: source, line: lineNo, expected: titleList }, 'the file was edited: restore the block title and header row, or fetch a pristine file');
    }
    current = finish(current, done);
    if (COPYRIGHT.test(trimmed)) {
      sawCopyright = true;
      continue;
    }
    const spec = byTitle.get(normTitle(trimmed));
    if (!spec) {
      throw new RotationError('FRENCH_UNKNOWN_BLOCK', `Unrecognised block title "${trimmed.slice(0, 120)}"`,
        { file: source, line: lineNo, expected: titleList },
        'the file format changed or the file was edited: compare with a pristine French file and update the block list in src/data/french.ts');
    }
    if (done.has(spec.key)) {
      throw new RotationError('FRENCH_DUPLICATE_BLOCK', `Block "${spec.title}" appears twice`,
        { file: source, line: lineNo, block: spec.title }, 'fetch a pristine file');
    }
    if (headerText === undefined) {
      headerText = lines.slice(0, li).join('\n').replace(/\n+$/, '');
    }
    // The header row follows the title directly.
    const hLine = lines[li + 1] ?? '';
    const names = hLine.split(',');
    const trimmedNames = names.slice(1).map((s) => s.trim());
    const badShape0 = names.length < 2 || names[0].trim() !== '' || trimmedNames.some((s) => s === '');
    if (nDeclared === undefined && !badShape0) nDeclared = trimmedNames.length;
    const expectedHeader = rawHeader ?? `,<${nDeclared ?? 'N'} industry names>`;
    const badShape = badShape0;
    // Blocks must name the same industries; padding may differ between vintages and blocks.
    const sameNames = rawHeader === undefined || (industries !== undefined && trimmedNames.length === industries.length && trimmedNames.every((n, q) => n === industries![q]));
    if (badShape || !sameNames || trimmedNames.length !== nDeclared) {
      const reason = badShape
        ? 'is not a header row ",Ind1,...,IndN"'
        : trimmedNames.length !== nDeclared
          ? `has ${trimmedNames.length} industries, line 2 declares ${nDeclared}`
          : 'differs from the header of the first block';
      throw new RotationError('FRENCH_BAD_HEADER', `Header row of block "${spec.title}" ${reason}: got "${hLine.slice(0, 160)}"`,
        { file: source, line: lineNo + 1, block: spec.title, expected: expectedHeader.slice(0, 400) },
        'the file format changed or the file was edited: every block must start with the same ",Ind1,...,IndN" header; fetch a pristine file');
    }
    if (rawHeader === undefined) {
      const seen = new Set<string>();
      for (const n of trimmedNames) {
        if (seen.has(n)) {
          throw new RotationError('FRENCH_BAD_HEADER', `Duplicate industry name "${n}" in the header row`,
            { file: source, line: lineNo + 1, block: spec.title }, 'fetch a pristine file');
        }
        seen.add(n);
      }
      rawHeader = hLine;
      industries = trimmedNames;
    }
    current = {
      spec,
      titleLine: lineNo,
      dates: [],
      cells: [],
      loss: newLossReport(`french:${spec.key}`, source),
    };
    li++; // skip the header row
  }
  finish(current, done);

  const missing = BLOCK_SPECS.filter((s) => !done.has(s.key)).map((s) => s.title);
  if (missing.length > 0 || industries === undefined) {
    throw new RotationError('FRENCH_MISSING_BLOCK', `${missing.length} block(s) missing from the file`,
      { file: source, missing, lines: lines.length },
      'the file is truncated or of another kind; fetch a pristine N_Industry_Portfolios.CSV');
  }

  const blocks = {} as Record<FrenchBlockKey, Panel>;
  const meta = {} as Record<FrenchBlockKey, FrenchBlockMeta>;
  const losses: LossReport[] = [];
  for (const spec of BLOCK_SPECS) {
    const b = done.get(spec.key)!;
    if (b.dates.length === 0) {
      throw new RotationError('FRENCH_MISSING_BLOCK', `Block "${spec.title}" has no data rows`,
        { file: source, line: b.titleLine, block: spec.title }, 'the file is truncated; fetch a pristine file');
    }
    blocks[spec.key] = createPanel(b.dates, industries, Float64Array.from(b.cells), `${source} [${spec.title}]`);
    meta[spec.key] = {
      key: spec.key,
      title: spec.title,
      frequency: spec.frequency,
      unit: spec.unit,
      titleLine: b.titleLine,
      rows: b.dates.length,
      firstDate: b.dates[0],
      lastDate: b.dates[b.dates.length - 1],
    };
    b.loss.notes.push(`counts are cells (rows x ${industries.length} industries) of block "${spec.title}"`);
    if (spec.percent) b.loss.notes.push('percent converted to fraction (x / 100)');
    losses.push(b.loss);
  }
  return { source, vintage, header: headerText ?? '', industries, blocks, meta, losses };
}

/** A block title compared case- and spacing-insensitively ("  Average Firm Size " = "average firm size"). */
function normTitle(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

function finish(b: PendingBlock | undefined, done: Map<FrenchBlockKey, PendingBlock>): undefined {
  if (b && !done.has(b.spec.key)) done.set(b.spec.key, b);
  return undefined;
}

function parseRow(b: PendingBlock, line: string, lineNo: number, industries: string[], source: string): void {
  const parts = line.split(',');
  const n = industries.length;
  if (parts.length !== n + 1) {
    throw new RotationError('FRENCH_COLUMN_COUNT', `Row has ${parts.length} columns, its header has ${n + 1} (date + ${n} industries)`,
      { file: source, line: lineNo, block: b.spec.title, row: parts[0].trim() },
      'the file was edited or truncated: every data row needs one value per industry; fetch a pristine file');
  }
  const key = parts[0].trim();
  let date: string | undefined;
  if (b.spec.frequency === 'monthly') {
    const m = MONTH_KEY.exec(key);
    const mo = m ? Number(m[2]) : 0;
    if (m && mo >= 1 && mo <= 12) date = monthEndIso(Number(m[1]), mo);
  } else if (YEAR_KEY.test(key)) {
    date = `${key}-12-31`;
  }
  if (date === undefined) {
    throw new RotationError('FRENCH_BAD_DATE', `Row key "${key}" is not ${b.spec.frequency === 'monthly' ? 'YYYYMM' : 'YYYY'}`,
      { file: source, line: lineNo, block: b.spec.title, column: 1 },
      'the block holds rows of another frequency or the file was edited; fetch a pristine file');
  }
  const prev = b.dates.length ? b.dates[b.dates.length - 1] : undefined;
  if (prev !== undefined && date <= prev) {
    throw new RotationError('FRENCH_BAD_DATE', `Row ${key} is not after the previous row (${prev})`,
      { file: source, line: lineNo, block: b.spec.title, column: 1 }, 'rows must be unique and ascending; fetch a pristine file');
  }
  b.dates.push(date);
  const scale = b.spec.percent ? 0.01 : 1;
  for (let j = 1; j <= n; j++) {
    const s = parts[j].trim();
    const v = s === '' ? NaN : Number(s);
    if (!Number.isFinite(v)) {
      throw new RotationError('FRENCH_BAD_NUMBER', `Cell "${s}" is not a number`,
        { file: source, line: lineNo, block: b.spec.title, column: j + 1, industry: industries[j - 1], date },
        'the file was edited or corrupted; fetch a pristine file');
    }
    b.loss.rowsRead++;
    if (v === -99.99 || v === -999) {
      b.cells.push(NaN);
      countLoss(b.loss, `missing (${s})`, 1, { line: lineNo, date, industry: industries[j - 1] });
    } else {
      b.cells.push(v * scale);
      b.loss.rowsKept++;
    }
  }
}

/**
 * Turn a parsed French file into a `MarketDataset` on a monthly calendar, so the later stages
 * (rebalance calendars, forward returns, factors, backtests) can run on US data.
 *
 * - calendar: the month ends of the value-weighted monthly block, preceded by one base month end
 *   (1926-06-30 for files starting 1926-07), so every return is recoverable from the index.
 * - close (total-return index, value-weighted, dividends included): for industry i with first
 *   valid return in month s, close[s-1] = 1 and close[t] = close[t-1] * (1 + r_t) for t >= s,
 *   so close[t] / close[t-1] - 1 = r_t exactly. NaN before s. A missing return after s (an
 *   industry portfolio with no firms, e.g. 49-industry Rubbr 1943-07 .. 1944-06) carries the level
 *   forward (return 0 for that month, counted), so a position held into the gap earns nothing
 *   instead of breaking the backtest, and the index resumes from the same level.
 * - open / high / low / volume: NaN (the library has monthly returns only); stated in `caveats`.
 */
export function frenchToDataset(parsed: FrenchIndustryFile): MarketDataset {
  const vw = parsed.blocks.vwMonthly;
  const T = vw.dates.length, N = vw.assets.length;
  const first = vw.dates[0];
  const y = Number(first.slice(0, 4)), m = Number(first.slice(5, 7));
  const base = m === 1 ? monthEndIso(y - 1, 12) : monthEndIso(y, m - 1);
  const calendar = [base, ...vw.dates];
  const close = new Float64Array((T + 1) * N).fill(NaN);
  const loss = newLossReport('french:toDataset', parsed.source);
  for (let i = 0; i < N; i++) {
    let level = NaN;
    for (let t = 0; t < T; t++) {
      const r = vw.values[t * N + i];
      loss.rowsRead++;
      if (Number.isNaN(r)) {
        if (!Number.isNaN(level)) close[(t + 1) * N + i] = level; // carried forward: return 0 while the portfolio is empty
        countLoss(loss, Number.isNaN(level) ? 'no return yet (industry not in the data)' : 'missing return after start (level carried forward, return 0)',
          1, { date: vw.dates[t], industry: vw.assets[i] });
        continue;
      }
      if (Number.isNaN(level)) {
        level = 1;
        close[t * N + i] = 1; // row t of close is the month end before VW row t
      }
      level *= 1 + r;
      close[(t + 1) * N + i] = level;
      loss.rowsKept++;
    }
  }
  loss.notes.push('counts are monthly value-weighted returns (cells) chained into the close index');
  const src = `${parsed.source} [total-return index]`;
  const nan = () => createPanel(calendar, vw.assets, new Float64Array((T + 1) * N).fill(NaN), src);
  const monthEnd = {
    bookToMarket: beMeByMonth(parsed.blocks.sumBeSumMe, calendar[calendar.length - 1]),
    avgFirmSize: parsed.blocks.avgFirmSize,
    numFirms: parsed.blocks.numFirms,
  };
  return {
    name: `French ${N} industry portfolios (CRSP ${parsed.vintage})`,
    frequency: 'monthly',
    periodsPerYear: 12,
    monthEnd,
    calendar,
    industries: vw.assets.map((code) => ({ code, name: code })),
    industryBars: {
      open: nan(),
      high: nan(),
      low: nan(),
      close: createPanel(calendar, vw.assets, close, src),
      volume: nan(),
    },
    losses: [...parsed.losses, loss],
    caveats: [
      'Monthly data: the calendar is calendar month ends (last calendar day, not the last trading day), with one base month end before the first return.',
      'close is a value-weighted total-return index (dividends reinvested) = 1 at the month end before each industry\'s first return; it is not a price.',
      'open, high, low and volume are NaN: the French library publishes returns only.',
      'Industries are reassigned by SIC code at the end of each June (CRSP/Compustat); CRSP data have no survivorship bias.',
      `Source: Kenneth R. French Data Library, ${N} industry portfolios, CRSP vintage ${parsed.vintage}.`,
      'Month-end series: average firm size and number of firms as published for each month; BE/ME (Sum of BE / Sum of ME) of row Y (book equity of fiscal year Y−1 over market equity of December Y−1) is used from the end of July Y to the end of June Y+1, one month after Fama-French form portfolios with it (end of June Y).',
      'Lookbacks are calendar months on this calendar (6M = 6 rows); daily-window factors (volatility, trend, intraday proxies) are unavailable.',
    ],
  };
}

/**
 * The annual BE/ME block as a month-end series: the row labelled year Y (dated Y-12-31 by the
 * parser; BE of fiscal year Y−1 over ME of December Y−1, French's June-Y formation) is held at the
 * month ends July Y .. June Y+1, i.e. first used one month after Fama-French use it. Months after
 * `lastDate` are not produced.
 */
export function beMeByMonth(annual: Panel, lastDate: string): Panel {
  const N = annual.assets.length, Y = annual.dates.length;
  const dates: string[] = [];
  const values: number[] = [];
  for (let r = 0; r < Y; r++) {
    const year = Number(annual.dates[r].slice(0, 4));
    for (let k = 0; k < 12; k++) {
      const m = 7 + k, y = year + (m > 12 ? 1 : 0), mo = ((m - 1) % 12) + 1;
      const d = monthEndIso(y, mo);
      if (d > lastDate) break;
      dates.push(d);
      for (let i = 0; i < N; i++) values.push(annual.values[r * N + i]);
    }
  }
  return createPanel(dates, annual.assets, Float64Array.from(values), 'French BE/ME by month (July Y .. June Y+1)');
}
