/**
 * Named datasets, resolved in one place (the CLI's `--data`, notebooks, studies):
 *
 *   sim            simulateMarket({ seed })                                        daily
 *   citic          CITIC L1 closes 2015–2025 (OHLCV + wide close) + Wind month-end PE-TTM (sheet 中信TTM)   daily
 *   sw             SW L1 closes 1999–2022 + Wind month-end PE-TTM (sheet 申万TTM )                          daily
 *   french<N>      Kenneth French N industry portfolios (N = 5, 10, 12, 17, 30, 48, 49; shared 202104 files)  monthly
 *   <file>.csv[.gz] a French industry portfolio file of any vintage (e.g. from `npm run data:french -- 49`)  monthly
 *   <folder path>  a folder of exports (loadExportsDir)
 *
 * Every dataset returned carries `frequency` and `periodsPerYear` (12 for monthly data, the
 * trading calendar's own days per year for daily data; see src/data/frequency.ts).
 * Shared real data missing → RUN_NO_SHARED_DATA naming the folder tried.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../errors.js';
import { loadCiticIndustry, loadExportsDir, type LoadOptions } from './citic.js';
import { readWorkbook } from './excel.js';
import { FRENCH_INDUSTRY_COUNTS, frenchSharedFile, frenchToDataset, parseFrenchIndustryFile, type FrenchIndustryCount } from './french.js';
import { calendarPeriodsPerYear, datasetFrequency, datasetPeriodsPerYear } from './frequency.js';
import { hasSharedData, sharedDataDir } from './paths.js';
import { simulateMarketCached } from './simulatorCache.js';
import { loadSwIndustry } from './sw.js';
import type { MarketDataset } from './types.js';
import { attachMonthEndPe, checkPeCodes, PE_SHEETS, readPeSheet, VALUATION_DIR, valuationWorkbookFile } from './valuation.js';

export interface NamedDatasetOptions {
  /** Simulator seed (dataset "sim"). Default 7. */
  seed?: number;
  /** CITIC: attach the Wind PE (default true). */
  citicPe?: boolean;
  /** Loader options for a folder of exports (and strict / asOf for CITIC): the CLI's data flags. */
  load?: LoadOptions;
}

/** The dataset names `loadNamedDataset` knows besides a folder path. */
export function namedDatasets(): string[] {
  return ['sim', 'citic', 'sw', ...FRENCH_INDUSTRY_COUNTS.filter((n) => n !== 38).map((n) => `french${n}`)];
}

function requireShared(sub: string, what: string): void {
  if (!hasSharedData(sub)) {
    throw new RotationError('RUN_NO_SHARED_DATA', `The ${what} data folder was not found`, { tried: path.join(sharedDataDir(), sub) },
      'place the shared data beside the project (../shared/data) or set ROTATION_SHARED_DATA');
  }
}

function isFile(p: string): boolean {
  try { return statSync(p).isFile(); } catch { return false; }
}

/** Set frequency and periodsPerYear when a loader left them out. */
function withFrequency(ds: MarketDataset): MarketDataset {
  const frequency = datasetFrequency(ds);
  return { ...ds, frequency, periodsPerYear: ds.periodsPerYear ?? calendarPeriodsPerYear(ds.calendar, frequency) };
}

/**
 * CITIC L1 (`loadCiticIndustry(undefined, { extendCloseWithWide: true })`) with the Wind month-end
 * PE-TTM of sheet 中信TTM (PE before 2004-12 is a formula without a cached value: counted missing).
 * VAL_CODES_MISMATCH when the sheet's codes are not the 30 CITIC industries.
 */
export async function loadCiticWithPe(options: { extendCloseWithWide?: boolean; strict?: boolean; asOf?: string } = { extendCloseWithWide: true }): Promise<MarketDataset> {
  const ds = loadCiticIndustry(undefined, options);
  const wb = await readWorkbook(valuationWorkbookFile());
  const pe = readPeSheet(wb, PE_SHEETS.citic);
  checkPeCodes(pe.panel, ds.industries, { file: wb.source, sheet: PE_SHEETS.citic, dataset: ds.name });
  const out = attachMonthEndPe({ ...ds, losses: [...ds.losses, pe.loss] }, pe.panel, pe.loss.source);
  out.caveats = [...out.caveats.map((c) => c.replace('no amount, turnover or valuation (PE/PB/dividend yield) fields', 'no amount or turnover; PE-TTM from the Wind month-end workbook (no PB or dividend yield)')),
    'PE-TTM is Wind\'s month-end value (overall method, 2004-12 .. 2022-03), known at the last trading day of its month; 0 (Wind: negative or missing earnings) and negative PE are masked, so a loss-making industry has no earnings yield that month.'];
  return out;
}

/**
 * Load a dataset by name (see the module comment). `french<N>` reads the shared 202104 file of N
 * industries; any other name that is not a known dataset is taken as a folder of exports.
 * Errors: RUN_NO_SHARED_DATA (shared folder absent), RUN_UNKNOWN_DATASET (`frenchN` with an
 * unpublished N), and every loader's own errors.
 */
export async function loadNamedDataset(name: string, options: NamedDatasetOptions = {}): Promise<MarketDataset> {
  if (name === 'sim') return withFrequency(simulateMarketCached({ seed: options.seed ?? 7 }).dataset);
  if (name === 'citic') {
    requireShared('citic_l1_industry', 'CITIC');
    const citicOptions = { extendCloseWithWide: true, strict: options.load?.strict, asOf: options.load?.asOf };
    if (options.citicPe === false) return withFrequency(loadCiticIndustry(undefined, citicOptions));
    requireShared(VALUATION_DIR, 'SW/CITIC valuation');
    return withFrequency(await loadCiticWithPe(citicOptions));
  }
  if (name === 'sw') {
    requireShared(VALUATION_DIR, 'SW/CITIC valuation');
    return withFrequency(await loadSwIndustry());
  }
  const fm = /^french(\d+)$/.exec(name);
  if (fm) {
    const n = Number(fm[1]);
    const shared = FRENCH_INDUSTRY_COUNTS.filter((x) => x !== 38);
    if (!(shared as readonly number[]).includes(n)) {
      throw new RotationError('RUN_UNKNOWN_DATASET', `No shared French file with ${n} industries`, { data: name, known: namedDatasets() },
        `use one of ${shared.map((x) => `french${x}`).join(', ')}, or download another with \`npm run data:french -- <N>\` and pass its folder`);
    }
    requireShared('ff_industry_portfolios', 'French industry portfolio');
    return withFrequency(frenchToDataset(parseFrenchIndustryFile(frenchSharedFile(n as FrenchIndustryCount))));
  }
  if (/\.csv(\.gz)?$/i.test(name) && isFile(name)) {
    // the one single-file dataset: a French industry file (another file is FRENCH_BAD_PREAMBLE saying what was expected)
    return withFrequency(frenchToDataset(parseFrenchIndustryFile(name)));
  }
  return withFrequency(loadExportsDir(path.resolve(name), options.load));
}

export { datasetPeriodsPerYear };
