/**
 * The factor-testing study of notebook 03, as plain data: every available factor of a dataset
 * evaluated at month ends against 1M/3M/6M forward returns, a leaderboard, factor and IC
 * correlations, and the composite study (equal vs ICIR vs max-ICIR weights, before and after
 * symmetric orthogonalization). Weights at each date use only ICs already known then.
 */
import type { Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import { monthEndRebalanceDates } from '../data/calendar.js';
import { computeFactors, getFactor, type FactorBatch } from '../factors/registry.js';
import { forwardReturnsFromPrices, type ForwardReturns } from './forwardReturns.js';
import { factorReport, reportRows, type FactorReport, type ReportRow } from './report.js';
import { icByFactor } from './crossSection.js';
import { factorCorrelationMatrix, icCorrelationMatrix, type CorrelationMatrix } from './correlation.js';
import { alignDirection } from '../combine/direction.js';
import { equalWeights, icirWeights, maxIcirWeights, type WeightSchedule } from '../combine/weights.js';
import { symmetricOrthogonalize } from '../combine/orthogonalize.js';
import { compositeScore } from '../combine/composite.js';

export interface FactorStudy {
  dataset: string;
  dates: string[];
  batch: FactorBatch;
  forward: ForwardReturns;
  /** One report per available factor, direction-aligned from the registry (registry order). */
  reports: FactorReport[];
  leaderboard: ReportRow[];
}

/** Evaluate every available factor of `ds` at month ends against 1M, 3M and 6M forward returns. */
export function factorStudy(ds: MarketDataset, horizons: readonly number[] = [1, 3, 6]): FactorStudy {
  const dates = monthEndRebalanceDates(ds.calendar);
  const batch = computeFactors(ds, dates);
  const forward = forwardReturnsFromPrices(ds.industryBars.close, { horizons: [...horizons], rebalance: dates, periodsPerYear: 12 });
  const reports = [...batch.results].map(([id, r]) => factorReport(r.panel, forward, { name: id, direction: getFactor(id).direction }));
  return { dataset: ds.name, dates, batch, forward, reports, leaderboard: reportRows(reports) };
}

/** Leaderboard rows of one horizon, sorted by |rank ICIR| descending (ties by factor id). */
export function leaderboardAt(study: FactorStudy, horizon = '1M'): ReportRow[] {
  return study.leaderboard
    .filter((r) => r.horizon === horizon)
    .sort((a, b) => Math.abs(b.rankIcir) - Math.abs(a.rankIcir) || (a.factor < b.factor ? -1 : 1));
}

/** The best factor (highest rank ICIR at 1M, after direction alignment) of each family. */
export function bestOfFamilies(study: FactorStudy): { family: string; report: FactorReport }[] {
  const byFamily = new Map<string, FactorReport>();
  for (const r of study.reports) {
    const fam = getFactor(r.name).family;
    const cur = byFamily.get(fam);
    const icir = r.horizons[0].rankIcSummary.icir;
    if (!cur || (Number.isFinite(icir) && !(icir <= cur.horizons[0].rankIcSummary.icir))) byFamily.set(fam, r);
  }
  return [...byFamily].map(([family, report]) => ({ family, report }));
}

/** Factors kept for the composite: rank ICIR at 1M (direction-aligned) above `minIcir`, the `maxFactors` best. */
export function selectFactorsForComposite(study: FactorStudy, minIcir = 0.05, maxFactors = 8): string[] {
  return leaderboardAt(study, '1M').filter((r) => r.rankIcir > minIcir).slice(0, maxFactors).map((r) => r.factor);
}

export interface CompositeVariant {
  name: string;
  orthogonalized: boolean;
  schedule: WeightSchedule;
  score: Panel;
  report: FactorReport;
}

/** Direction-aligned panels of the named factors. */
export function alignedFactors(study: FactorStudy, names: readonly string[]): Record<string, Panel> {
  const raw: Record<string, Panel> = {};
  for (const n of names) raw[n] = study.batch.results.get(n)!.panel;
  return alignDirection(raw, Object.fromEntries(names.map((n) => [n, getFactor(n).direction])));
}

/**
 * The composite study: equal, ICIR (expanding window) and max-ICIR (shrunk, non-negative) weights
 * over the selected factors, before and after symmetric (Löwdin) orthogonalization; each composite
 * evaluated like a factor. ICs are 1M rank ICs, known one period after their date.
 */
export function compositeStudy(study: FactorStudy, names: readonly string[]): CompositeVariant[] {
  const aligned = alignedFactors(study, names);
  const ortho = symmetricOrthogonalize(aligned, names).factors;
  const out: CompositeVariant[] = [];
  for (const [orthogonalized, set] of [[false, aligned], [true, ortho]] as const) {
    const ics = icByFactor(set, study.forward, 1, { method: 'rank' });
    const schedules: [string, WeightSchedule][] = [
      ['equal', equalWeights([...names], study.dates)],
      ['ICIR', icirWeights(ics, { horizon: 1, window: 'expanding', minObservations: 12 })],
      ['max-ICIR', maxIcirWeights(ics, { horizon: 1, window: 'expanding', minObservations: 24, nonNegative: true })],
    ];
    for (const [label, schedule] of schedules) {
      const score = compositeScore(set, schedule).panel;
      const name = `${label}${orthogonalized ? ' (orthogonalized)' : ''}`;
      out.push({ name, orthogonalized, schedule, score, report: factorReport(score, study.forward, { name }) });
    }
  }
  return out;
}

/** Correlations among the named factors: mean cross-sectional rank correlation, and of their 1M rank-IC series. */
export function factorCorrelations(study: FactorStudy, names: readonly string[]): { factors: CorrelationMatrix; ics: CorrelationMatrix } {
  const aligned = alignedFactors(study, names);
  return {
    factors: factorCorrelationMatrix(aligned, { names }),
    ics: icCorrelationMatrix(Object.fromEntries(names.map((n) => [n, study.reports.find((r) => r.name === n)!.horizons[0].rankIc]))),
  };
}
