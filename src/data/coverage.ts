/**
 * Data coverage of a panel: per asset, the first and last date with data and the share of
 * missing cells inside that window and over the whole calendar; per (asset, month), the share
 * of dates with data (for the coverage heat map).
 */
import type { Panel } from '../panel/panel.js';
import type { MarketDataset } from './types.js';

export interface AssetCoverage {
  asset: string;
  name?: string;
  /** First date with a valid value, or undefined if none. */
  first?: string;
  last?: string;
  /** Valid cells over all dates of the calendar. */
  valid: number;
  /** Missing share over the whole calendar: 1 − valid / nDates. */
  missingShare: number;
  /** Missing share between the asset's first and last valid date (gaps inside its life). */
  gapShare: number;
}

/** Per-asset coverage; `names` maps asset → display name. */
export function coverageByAsset(p: Panel, names: Record<string, string> = {}): AssetCoverage[] {
  const T = p.dates.length, N = p.assets.length;
  const out: AssetCoverage[] = [];
  for (let i = 0; i < N; i++) {
    let first = -1, last = -1, valid = 0;
    for (let t = 0; t < T; t++) {
      if (!Number.isNaN(p.values[t * N + i])) {
        if (first < 0) first = t;
        last = t;
        valid++;
      }
    }
    const span = first < 0 ? 0 : last - first + 1;
    out.push({
      asset: p.assets[i],
      name: names[p.assets[i]],
      first: first < 0 ? undefined : p.dates[first],
      last: last < 0 ? undefined : p.dates[last],
      valid,
      missingShare: T ? 1 - valid / T : NaN,
      gapShare: span ? 1 - valid / span : NaN,
    });
  }
  return out;
}

export interface MonthlyCoverage {
  /** yyyy-mm labels, ascending. */
  months: string[];
  assets: string[];
  /** share[i][m]: share of the month's calendar dates on which asset i has data. */
  share: Float64Array[];
}

/** Per (asset, month) share of calendar dates with a valid value: the coverage heat map. */
export function coverageByMonth(p: Panel): MonthlyCoverage {
  const T = p.dates.length, N = p.assets.length;
  const months: string[] = [];
  const monthOf = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    const m = p.dates[t].slice(0, 7);
    if (months.length === 0 || months[months.length - 1] !== m) months.push(m);
    monthOf[t] = months.length - 1;
  }
  const daysIn = new Float64Array(months.length);
  for (let t = 0; t < T; t++) daysIn[monthOf[t]]++;
  const share = p.assets.map(() => new Float64Array(months.length));
  for (let t = 0; t < T; t++) {
    const base = t * N, m = monthOf[t];
    for (let i = 0; i < N; i++) if (!Number.isNaN(p.values[base + i])) share[i][m]++;
  }
  for (const row of share) for (let m = 0; m < months.length; m++) row[m] /= daysIn[m];
  return { months, assets: [...p.assets], share };
}

/** Headline facts of a dataset: universe, calendar, rebalance months. */
export interface DatasetSummary {
  dataset: string;
  industries: number;
  stocks: number;
  firstDate: string;
  lastDate: string;
  tradingDays: number;
  months: number;
  /** Trading days per year over the whole calendar: tradingDays / (calendar years spanned). */
  tradingDaysPerYear: number;
}

export function datasetSummary(ds: MarketDataset): DatasetSummary {
  const cal = ds.calendar;
  const first = cal[0], last = cal[cal.length - 1];
  const months = new Set(cal.map((d) => d.slice(0, 7))).size;
  const years = (Date.parse(last) - Date.parse(first)) / (365.25 * 86400000);
  return {
    dataset: ds.name,
    industries: ds.industries.length,
    stocks: ds.stocks?.stocks.length ?? 0,
    firstDate: first,
    lastDate: last,
    tradingDays: cal.length,
    months,
    tradingDaysPerYear: years > 0 ? Math.round((cal.length / years) * 10) / 10 : NaN,
  };
}

/** Per-industry coverage of the daily close, with industry names. */
export function industryCoverage(ds: MarketDataset): AssetCoverage[] {
  const names: Record<string, string> = {};
  for (const ind of ds.industries) names[ind.code] = ind.name;
  return coverageByAsset(ds.industryBars.close, names);
}

/** Facts of a rebalance calendar for the framing table. */
export function rebalanceSummary(dates: readonly string[], periodsPerYear: number): Record<string, string | number> {
  return {
    'first rebalance': dates[0] ?? '–',
    'last rebalance': dates[dates.length - 1] ?? '–',
    'rebalances': dates.length,
    'periods per year': periodsPerYear,
  };
}

/** Number of stocks with a valid close on each date (listings and delistings show here). */
export function listedCount(ds: MarketDataset): { dates: string[]; count: Float64Array } | undefined {
  const close = ds.stocks?.bars.close;
  if (!close) return undefined;
  const T = close.dates.length, N = close.assets.length;
  const count = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let c = 0;
    for (let i = 0; i < N; i++) if (!Number.isNaN(close.values[t * N + i])) c++;
    count[t] = c;
  }
  return { dates: [...close.dates], count };
}

/** One headline row of industry coverage: how complete the daily close is. */
export function coverageHeadline(ds: MarketDataset): Record<string, string | number> {
  const cov = industryCoverage(ds);
  const missing = cov.map((c) => c.missingShare).sort((a, b) => a - b);
  const worst = cov.reduce((w, c) => (c.missingShare > w.missingShare ? c : w), cov[0]);
  return {
    dataset: ds.name,
    industries: cov.length,
    'complete industries': cov.filter((c) => c.missingShare === 0).length,
    'median missing share': missing.length ? missing[Math.floor((missing.length - 1) / 2)] : NaN,
    'max missing share': worst ? worst.missingShare : NaN,
    'least covered': worst ? `${worst.asset} ${worst.name ?? ''}`.trim() : '–',
  };
}
