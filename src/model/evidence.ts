/**
 * The model's evidence: every factor of the spec computed on the factor calendar and evaluated
 * against forward returns of the given horizons (periods of that calendar). A `FactorStudy` is
 * computed once per dataset and calendar and shared by every spec run on it (ModelContext).
 *
 *   factor dates  = base calendar of the spec (month / week / quarter ends of the trading days)
 *   forward return R_h(t, i) = L(t + h, i) / L(t, i) − 1 on those dates (src/evaluate/forwardReturns.ts)
 */
import type { Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import { rebalanceCalendar } from '../data/calendar.js';
import { computeFactors, getFactor, type FactorBatch } from '../factors/registry.js';
import { forwardReturnsFromPrices, type ForwardReturns } from '../evaluate/forwardReturns.js';
import { factorReport, reportRows, type FactorReport, type ReportRow } from '../evaluate/report.js';
import { alignDirection } from '../combine/direction.js';
import { BASE_PERIODS_PER_YEAR, type BaseFrequency } from './spec.js';

export interface FactorStudy {
  dataset: string;
  /** Factor calendar (base frequency of the spec) and its periods per year. */
  frequency: BaseFrequency;
  periodsPerYear: number;
  dates: string[];
  batch: FactorBatch;
  forward: ForwardReturns;
  /** One report per available factor, direction-aligned from the registry (registry order). */
  reports: FactorReport[];
  leaderboard: ReportRow[];
}

/** Factor dates of a base frequency: the last trading day of each month / ISO week / quarter (partial last period dropped). */
export function factorDates(ds: MarketDataset, frequency: BaseFrequency = 'M'): string[] {
  return rebalanceCalendar(ds.calendar, { frequency, anchor: 'end' }).dates;
}

/**
 * Evaluate every available factor of `ds` on the `frequency` calendar against forward returns of
 * `horizons` periods (default 1, 3, 6: 1M/3M/6M on month ends).
 */
export function factorStudy(ds: MarketDataset, horizons: readonly number[] = [1, 3, 6], frequency: BaseFrequency = 'M', options: { minIndustries?: number } = {}): FactorStudy {
  const dates = factorDates(ds, frequency);
  const periodsPerYear = BASE_PERIODS_PER_YEAR[frequency];
  const batch = computeFactors(ds, dates, options.minIndustries === undefined ? {} : { minIndustries: options.minIndustries });
  const forward = forwardReturnsFromPrices(ds.industryBars.close, { horizons: [...horizons], rebalance: dates, periodsPerYear });
  const reports = [...batch.results].map(([id, r]) => factorReport(r.panel, forward, { name: id, direction: getFactor(id).direction }));
  return { dataset: ds.name, frequency, periodsPerYear, dates, batch, forward, reports, leaderboard: reportRows(reports) };
}

/** Direction-aligned panels of the named factors (direction: `directions[name]`, else the registry's). */
export function alignedFactors(study: FactorStudy, names: readonly string[], directions: Readonly<Record<string, 1 | -1>> = {}): Record<string, Panel> {
  const raw: Record<string, Panel> = {};
  for (const n of names) raw[n] = study.batch.results.get(n)!.panel;
  return alignDirection(raw, Object.fromEntries(names.map((n) => [n, directions[n] ?? getFactor(n).direction])));
}
