/**
 * The three real markets with valuation data, side by side: Shenwan L1 (2000–2022, Wind PE),
 * CITIC L1 (2015–2025, Wind PE to 2022) and the French 49 US industries (1926–2021, BE/ME, size,
 * firm counts, monthly). Each is loaded through `loadNamedDataset` when its shared folder is
 * present (skipped with the reason otherwise), and carries a split declared here, before any
 * result was looked at, at a round date near two thirds of its history (CITIC keeps the house
 * split of models/default.json): the model spec is the house spec with that split.
 */
import type { MarketDataset } from '../data/types.js';
import { hasSharedData } from '../data/paths.js';
import { loadNamedDataset } from '../data/datasets.js';
import { datasetPeriodsPerYear, datasetFrequency } from '../data/frequency.js';
import { getFactor } from '../factors/registry.js';
import { variantOf, type ModelSpec } from '../model/spec.js';
import type { FactorStudy } from '../model/evidence.js';
import type { ReportRow } from '../evaluate/report.js';
import { leaderboardAt } from './factorTesting.js';

export interface RealMarket {
  /** Dataset name for `loadNamedDataset` / `--data`. */
  key: 'citic' | 'sw' | 'french49';
  label: string;
  /** Shared data folders it needs. */
  needs: readonly string[];
  /** Declared in-sample end for this market (fixed before results were seen). */
  split: string;
}

/** The markets, in display order. */
export const REAL_MARKETS: readonly RealMarket[] = Object.freeze([
  { key: 'sw', label: 'Shenwan L1 (2000–2022)', needs: ['sw_citic_valuation'], split: '2014-12-31' },
  { key: 'citic', label: 'CITIC L1 (2015–2025)', needs: ['citic_l1_industry', 'sw_citic_valuation'], split: '2019-12-31' },
  { key: 'french49', label: 'French 49 US industries (1926–2021)', needs: ['ff_industry_portfolios'], split: '1989-12-31' },
] as RealMarket[]);

export interface LoadedMarket extends RealMarket {
  ds: MarketDataset;
}

/** Load every market whose data is present; the others are listed with the folder they miss. */
export async function loadRealMarkets(): Promise<{ loaded: LoadedMarket[]; skipped: { key: string; missing: string[] }[] }> {
  const loaded: LoadedMarket[] = [], skipped: { key: string; missing: string[] }[] = [];
  for (const m of REAL_MARKETS) {
    const missing = m.needs.filter((n) => !hasSharedData(n));
    if (missing.length) { skipped.push({ key: m.key, missing }); continue; }
    loaded.push({ ...m, ds: await loadNamedDataset(m.key) });
  }
  return { loaded, skipped };
}

/** The house spec with the market's declared split. */
export function marketSpec(spec: ModelSpec, m: RealMarket): ModelSpec {
  return m.split === spec.split ? spec : variantOf(spec, { split: m.split });
}

/** One row per market: calendar, frequency, periods per year, industries, span, split. */
export function marketSummaryRows(markets: readonly LoadedMarket[]): Record<string, string | number>[] {
  return markets.map((m) => ({
    market: m.label, dataset: m.ds.name, frequency: datasetFrequency(m.ds), 'periods per year': datasetPeriodsPerYear(m.ds),
    industries: m.ds.industries.length, first: m.ds.calendar[0], last: m.ds.calendar[m.ds.calendar.length - 1], dates: m.ds.calendar.length, 'declared split': m.split,
  }));
}

/** The `n` best factors at 1M by rank IC (direction-aligned), with t and Newey-West t. */
export function bestFactors(study: FactorStudy, n = 3): ReportRow[] {
  return leaderboardAt(study, '1M').filter((r) => Number.isFinite(r.rankIc)).sort((a, b) => b.rankIc - a.rankIc || (a.factor < b.factor ? -1 : 1)).slice(0, n);
}

/** Leaderboard rows (1M) of the valuation-family factors of a study (registry order). */
export function valuationRows(study: FactorStudy): ReportRow[] {
  return study.leaderboard.filter((r) => r.horizon === '1M' && getFactor(r.factor).family === 'valuation');
}
