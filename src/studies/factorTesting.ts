/**
 * The factor-testing study of notebook 03, as plain data: leaderboards of the factor study
 * (src/model/evidence.ts: every available factor at month ends against 1M/3M/6M forward returns),
 * factor and IC correlations, and the composite study (equal vs ICIR vs max-ICIR weights, before
 * and after symmetric orthogonalization) — both the model's walk-forward selection and the
 * full-sample selection, labelled as the in-sample upper bound it is.
 */
import type { Panel } from '../panel/panel.js';
import { getFactor } from '../factors/registry.js';
import { factorReport, type FactorReport, type ReportRow } from '../evaluate/report.js';
import { icByFactor } from '../evaluate/crossSection.js';
import { factorCorrelationMatrix, icCorrelationMatrix, type CorrelationMatrix } from '../evaluate/correlation.js';
import { equalWeights, icirWeights, maxIcirWeights, type WeightSchedule } from '../combine/weights.js';
import { symmetricOrthogonalize } from '../combine/orthogonalize.js';
import { compositeScore } from '../combine/composite.js';
import { alignedFactors, type FactorStudy } from '../model/evidence.js';

export { factorStudy, alignedFactors, type FactorStudy } from '../model/evidence.js';

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

/**
 * Full-sample factor selection (IN-SAMPLE: it reads every IC of the study, including those after
 * any date it is applied to): rank ICIR at 1M (direction-aligned) above `minIcir`, the `maxFactors` best.
 */
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
