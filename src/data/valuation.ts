/**
 * Month-end industry valuation from vendor workbooks (Wind PE-TTM for CITIC L1 and SW L1 in
 * `<shared data>/sw_citic_valuation/industry_pe_monthly_wind.xlsx`, see its PROVENANCE.md) and its
 * attachment to a daily `MarketDataset`.
 *
 * Point in time: a Wind month-end PE (dated the calendar month end) is known at the last trading
 * day of its month (`knownMonthAt`). On the daily bars it is placed there and carried forward over
 * the trading days of the next month (an as-of join; the first trading day of a month still reads
 * the previous month end), so `industryBars.pe` at a month-end rebalance date is that month's
 * value. The full month-end history (which may start before the prices) is `monthEnd.pe`.
 */
import path from 'node:path';
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { readCodeSheet, type CodeSheet, type Workbook } from './excel.js';
import { datasetFrequency, knownMonthAt, monthEndOfIndex, monthIndex } from './frequency.js';
import { countLoss, newLossReport, type LossReport } from './loss.js';
import { sharedDataDir } from './paths.js';
import type { IndustryInfo, MarketDataset } from './types.js';

/** Folder and workbook of the Wind valuation export. */
export const VALUATION_DIR = 'sw_citic_valuation';
export const VALUATION_WORKBOOK = 'industry_pe_monthly_wind.xlsx';
/** Sheets of the workbook read by the loaders (the SW name has a trailing space in the file; findSheet trims). */
export const PE_SHEETS = Object.freeze({ citic: '中信TTM', sw: '申万TTM' });

/** Path of the Wind valuation workbook in the shared data folder. */
export function valuationWorkbookFile(): string {
  return path.join(sharedDataDir(), VALUATION_DIR, VALUATION_WORKBOOK);
}

/**
 * Read a month-end PE sheet: PE-TTM (x) by code, 0 and negative masked and counted under their own
 * reasons (Wind writes 0 for negative or unavailable earnings), formula cells without a cached
 * result counted as missing. Rows are re-dated to their calendar month end (one row per month;
 * two rows in one month: VAL_DUPLICATE_MONTH).
 */
export function readPeSheet(wb: Workbook, sheet: string): CodeSheet {
  const res = readCodeSheet(wb, sheet, { valueRule: 'positive', quantity: 'PE', stage: `load month-end PE-TTM (${sheet.trim()})` });
  const p = res.panel;
  const dates = p.dates.map((d) => monthEndOfIndex(monthIndex(d)));
  for (let k = 1; k < dates.length; k++) {
    if (dates[k] === dates[k - 1]) {
      throw new RotationError('VAL_DUPLICATE_MONTH', `Two PE rows in the month of ${dates[k]} (${p.dates[k - 1]} and ${p.dates[k]})`,
        { file: wb.source, sheet, dates: [p.dates[k - 1], p.dates[k]] }, 'keep one row per month (the month end)');
    }
  }
  const moved = p.dates.filter((d, k) => d !== dates[k]).length;
  if (moved) res.loss.notes.push(`${moved} row date(s) were not calendar month ends and are dated at the end of their month`);
  return { ...res, panel: createPanel(dates, p.assets, p.values, res.loss.source) };
}

/**
 * Check that the PE sheet's codes are exactly the dataset's industries: VAL_CODES_MISMATCH lists
 * the industries without a PE column and the PE codes that are no industry of the prices.
 */
export function checkPeCodes(pe: Panel, industries: readonly IndustryInfo[], where: { file: string; sheet: string; dataset: string }): void {
  const have = new Set(pe.assets), want = new Set(industries.map((x) => x.code));
  const noPe = industries.filter((x) => !have.has(x.code)).map((x) => `${x.code} ${x.name}`);
  const extra = pe.assets.filter((c) => !want.has(c));
  if (noPe.length || extra.length) {
    throw new RotationError('VAL_CODES_MISMATCH',
      `The PE sheet's codes do not match the price file's industries: ${noPe.length} industr${noPe.length === 1 ? 'y' : 'ies'} without PE, ${extra.length} PE code(s) not in the prices`,
      { ...where, industriesWithoutPe: noPe, peCodesNotInPrices: extra },
      'use the PE sheet of the same classification (CITIC sheet for CITIC prices, SW sheet for SW prices), or fix the codes so both list the same industries');
  }
}

/**
 * Attach a month-end PE panel (calendar month-end dates x codes) to a daily or monthly dataset:
 * `monthEnd.pe` = the panel (columns in dataset industry order), and `industryBars.pe` on the
 * trading calendar with pe[t] = PE of month knownMonthAt(t) (carried forward at most one month).
 * The loss report counts valid PE cells: kept = placed on a trading day; month ends outside the
 * price calendar are counted (they stay in the monthEnd history).
 */
export function attachMonthEndPe(ds: MarketDataset, pe: Panel, source: string): MarketDataset {
  const J = ds.industries.length, N = pe.assets.length;
  const col = new Map(pe.assets.map((a, i) => [a, i]));
  const M = pe.dates.length;
  const aligned = new Float64Array(M * J).fill(NaN);
  for (let r = 0; r < M; r++) {
    for (let j = 0; j < J; j++) {
      const i = col.get(ds.industries[j].code);
      if (i !== undefined) aligned[r * J + j] = pe.values[r * N + i];
    }
  }
  const monthPanel = createPanel(pe.dates, ds.industries.map((x) => x.code), aligned, source);
  const rowOfMonth = new Map(pe.dates.map((d, r) => [monthIndex(d), r]));
  const cal = ds.industryBars.close.dates, T = cal.length, freq = datasetFrequency(ds);
  const daily = new Float64Array(T * J).fill(NaN);
  const placed = new Set<number>();
  for (let t = 0; t < T; t++) {
    const r = rowOfMonth.get(knownMonthAt(cal, t, freq));
    if (r === undefined) continue;
    for (let j = 0; j < J; j++) daily[t * J + j] = aligned[r * J + j];
    if (monthIndex(cal[t]) === monthIndex(pe.dates[r])) placed.add(r);
  }
  const loss = newLossReport('align month-end PE to the trading calendar', source);
  loss.notes.push('counts are valid month-end PE cells; kept = placed on the last trading day of its month (and carried over the next month)');
  for (let r = 0; r < M; r++) {
    for (let j = 0; j < J; j++) {
      if (!Number.isFinite(aligned[r * J + j])) continue;
      loss.rowsRead++;
      if (placed.has(r)) loss.rowsKept++;
      else countLoss(loss, 'month end outside the price calendar (kept in monthEnd.pe only)', 1, { date: pe.dates[r], code: ds.industries[j].code });
    }
  }
  return {
    ...ds,
    industryBars: { ...ds.industryBars, pe: createPanel(cal, ds.industries.map((x) => x.code), daily, `${source} [as of the last month end]`) },
    monthEnd: { ...(ds.monthEnd ?? {}), pe: monthPanel },
    losses: [...ds.losses, loss],
  };
}
