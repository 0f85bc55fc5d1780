/**
 * Shenwan (SW2021) level-1 industry indices with Wind month-end PE-TTM, from
 * `<shared data>/sw_citic_valuation` (see its PROVENANCE.md):
 *
 * - `sw_l1_index_daily_close_1999_2022.csv.gz`: wide daily closes, header `日期,<31 Chinese names>`,
 *   1999-12-30 .. 2022-12-21; blank cells are days without a value (counted).
 * - `industry_pe_monthly_wind.xlsx`, sheet `申万TTM ` (trailing space): row 1 codes 801010.SI ..,
 *   row 2 names "农林牧渔(申万)", month-end PE-TTM 2000-12-31 .. 2022-08-31. The names (without the
 *   "(申万)" suffix) map the CSV's columns to codes; the sheet's own columns from 34 on are an
 *   uploader's calculations and are ignored.
 */
import path from 'node:path';
import { RotationError } from '../errors.js';
import { createPanel } from '../panel/panel.js';
import { wideTableToPanel } from './citic.js';
import { parseTextFileAsCsv, readCsvHeader, readTextFile } from './csv.js';
import { readWorkbook, type Workbook } from './excel.js';
import { calendarPeriodsPerYear } from './frequency.js';
import { sharedDataDir } from './paths.js';
import type { MarketDataset } from './types.js';
import { attachMonthEndPe, checkPeCodes, PE_SHEETS, readPeSheet, VALUATION_DIR, VALUATION_WORKBOOK } from './valuation.js';

export const SW_CLOSE_FILE = 'sw_l1_index_daily_close_1999_2022.csv.gz';

/** The SW folder: `dir`, else `<shared data>/sw_citic_valuation`. */
export function swDir(dir?: string): string {
  return dir ?? path.join(sharedDataDir(), VALUATION_DIR);
}

/** Strip a vendor classification suffix from a name: "农林牧渔(申万)" / "农林牧渔（申万）" → "农林牧渔". */
export function stripSchemeSuffix(name: string): string {
  return name.trim().replace(/[（(][^()（）]*[)）]$/, '').trim();
}

export interface SwOptions {
  /** Ignore rows dated after this ISO date. */
  asOf?: string;
  /** An already read workbook (the CITIC PE loader reads the same file). */
  workbook?: Workbook;
}

/**
 * Load the SW L1 dataset: daily closes (names mapped to codes through the PE sheet's row 2),
 * month-end PE-TTM on `monthEnd.pe` and, as of the last month end, on `industryBars.pe`.
 * open/high/low/volume are NaN (the file has closes only). Errors: those of the CSV reader,
 * `readWorkbook` / `readCodeSheet`, DATA_UNKNOWN_INDUSTRY (a CSV column whose name is not in the
 * sheet), SW_DUPLICATE_NAME (two codes with one name), VAL_CODES_MISMATCH.
 */
export async function loadSwIndustry(dir?: string, options: SwOptions = {}): Promise<MarketDataset> {
  const folder = swDir(dir);
  const wb = options.workbook ?? await readWorkbook(path.join(folder, VALUATION_WORKBOOK));
  const pe = readPeSheet(wb, PE_SHEETS.sw);
  const nameToCode = new Map<string, string>();
  for (const [code, name] of pe.names) {
    const short = stripSchemeSuffix(name);
    if (nameToCode.has(short)) {
      throw new RotationError('SW_DUPLICATE_NAME', `Two codes share the name "${short}" in the PE sheet`,
        { file: wb.source, sheet: PE_SHEETS.sw, codes: [nameToCode.get(short)!, code] }, 'fix row 2 of the sheet so each code has its own name');
    }
    nameToCode.set(short, code);
  }
  const tf = readTextFile(path.join(folder, SW_CLOSE_FILE));
  const header = readCsvHeader(tf.text);
  const t = parseTextFileAsCsv(tf, { numeric: header.slice(1) });
  const wide = wideTableToPanel(t, { asOf: options.asOf, nameToCode, stage: 'load SW L1 daily closes' });
  const industries = wide.industries.map((x) => ({ code: x.code, name: x.name }));
  const calendar = [...wide.close.dates];
  checkPeCodes(pe.panel, industries, { file: wb.source, sheet: PE_SHEETS.sw, dataset: 'SW L1' });
  const nan = () => createPanel(calendar, wide.close.assets, new Float64Array(wide.close.values.length).fill(NaN), `${wide.loss.source} [not in the file]`);
  const base: MarketDataset = {
    name: 'SW L1 (Wind export)',
    calendar,
    industries,
    industryBars: { open: nan(), high: nan(), low: nan(), close: wide.close, volume: nan() },
    losses: [wide.loss, pe.loss],
    caveats: [
      'Source: Wind terminal exports of Shenwan (SW2021) level-1 industry indices and PE posted in a public GitHub repository; redistribution status unclear (see ../shared/data/sw_citic_valuation/PROVENANCE.md).',
      'SW2021 taxonomy back-filled by the vendor to 1999: industries that did not exist then are vendor reconstructions (look-ahead in the classification itself).',
      'Price indices without dividends (close only; open/high/low/volume are not in the file and are NaN).',
      'PE-TTM is Wind\'s month-end value (overall method), known at the last trading day of its month; 0 (Wind: negative or missing earnings) and negative PE are masked, so a loss-making industry has no earnings yield that month.',
      `PE runs to ${pe.panel.dates[pe.panel.dates.length - 1]}; closes run to ${calendar[calendar.length - 1]}: PE factors have no value after the last PE month end + 1 month.`,
    ],
    frequency: 'daily',
    periodsPerYear: calendarPeriodsPerYear(calendar, 'daily'),
  };
  return attachMonthEndPe(base, pe.panel, pe.loss.source);
}
