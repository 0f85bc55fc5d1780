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
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';
import { summarizeIc, type IcSummary } from '../evaluate/summary.js';
import { differenceTest } from '../metrics/activeSignificance.js';
import type { ModelContext } from '../model/context.js';
import { modelScore } from '../model/score.js';
import { variantOf, type ModelSpec } from '../model/spec.js';
import { DEFAULT_MODEL_FILE, loadModelSpec } from '../model/files.js';

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

/** Paired test of two rank-IC series on their common dates with both ICs present (dates > `after` when given). */
export interface IcDifference {
  label: string;
  /** Common dates used. */
  n: number;
  first: string;
  last: string;
  /** Mean of IC_a − IC_b. */
  mean: number;
  t: number;
  tNeweyWest: number;
  pValue: number;
}

/**
 * Is factor A's rank IC higher than B's? d_t = IC^A_t − IC^B_t over the dates where both are
 * present (and dated after `after`): the paired t = d̄/(s_d/√T), Newey-West t and two-sided p of
 * `differenceTest` (src/metrics/activeSignificance.ts). Fewer than 12 common dates:
 * METRIC_TOO_FEW_PERIODS naming the minimum.
 */
export function rankIcDifference(a: { name: string; ic: IcByDate }, b: { name: string; ic: IcByDate }, after?: string): IcDifference {
  const ib = new Map(b.ic.dates.map((d, t) => [d, b.ic.ic[t]]));
  const dates: string[] = [], ra: number[] = [], rb: number[] = [];
  a.ic.dates.forEach((d, t) => {
    const x = a.ic.ic[t], y = ib.get(d);
    if (after !== undefined && !(d > after)) return;
    if (Number.isFinite(x) && y !== undefined && Number.isFinite(y)) { dates.push(d); ra.push(x); rb.push(y); }
  });
  const r = differenceTest({ name: a.name, dates, returns: ra }, { name: b.name, dates, returns: rb });
  return { label: `${a.name} − ${b.name}`, n: r.n, first: r.start, last: r.end, mean: r.mean, t: r.t, tNeweyWest: r.tNeweyWest, pValue: r.pValue };
}

/** Summary of the 1M rank ICs of a report dated after `after` (gaps kept as NaN); null when fewer than 3 ICs. */
export function rankIcSummaryAfter(report: FactorReport, after: string): IcSummary | null {
  const h = report.horizons[0].rankIc;
  const k = h.dates.findIndex((d) => d > after);
  if (k < 0) return null;
  const sub = h.ic.subarray(k);
  let n = 0;
  for (const v of sub) if (Number.isFinite(v)) n++;
  return n >= 3 ? summarizeIc(sub, { horizonPeriods: 1 }) : null;
}

/** One composite of the walk-forward study, evaluated like a factor. */
export interface CompositeEvaluation {
  name: string;
  selection: 'walk-forward' | 'full-sample (in-sample upper bound)';
  /** Full sample: the selected factors; walk-forward: every factor selected on some date. */
  factors: string[];
  /** Walk-forward: mean number of factors selected over dates with a selection. */
  meanSelected: number;
  report: FactorReport;
  /** 1M rank-IC summary over the composite's dates, and after the split. */
  whole: IcSummary;
  afterSplit: IcSummary | null;
}

export interface WalkForwardCompositeStudy {
  split: string;
  method: 'equal' | 'icir' | 'max-icir';
  /** The headline: factors and weights chosen only from ICs known at each date (the model's rule). */
  walkForward: CompositeEvaluation;
  /** The same rule on the whole sample: an in-sample upper bound, not a result. */
  fullSample: CompositeEvaluation;
  /** Upper bound − walk-forward: of the mean rank IC, rank ICIR and t (whole, after the split). */
  gap: { rankIc: number; rankIcir: number; t: number; rankIcAfterSplit: number; tAfterSplit: number };
  /** Paired test of the rank-IC difference (upper bound − walk-forward) on common dates, whole and after the split. */
  difference: { whole: IcDifference; afterSplit: IcDifference | null };
}

export interface WalkForwardCompositeOptions {
  /** The model spec the walk-forward variant derives from (default models/default.json). */
  spec?: ModelSpec;
  /** Composite weights: 'equal' (default, the notebook-03 headline), 'icir' or 'max-icir'. */
  method?: 'equal' | 'icir' | 'max-icir';
  /** Factors kept (default 8), rank ICIR threshold (default 0.05), ICs needed (default 24). */
  k?: number;
  minRankIcir?: number;
  minObservations?: number;
  /** Default: the spec's split. */
  split?: string;
}

const FULL_SAMPLE_NAME: Record<'equal' | 'icir' | 'max-icir', string> = { equal: 'equal', icir: 'ICIR', 'max-icir': 'max-ICIR' };

/**
 * Walk-forward composite first, full-sample selection second:
 *
 * - walk-forward: `modelScore` of the spec variant { factors: all, selection: walk-forward, k,
 *   minRankIcir, minObservations, expanding window; composite: `method` } — at each date t the
 *   factors with the k highest direction-aligned rank ICIRs > minRankIcir over the 1M rank ICs known
 *   at t (dated <= t − 1 period), weighted by `method` from the same known ICs;
 * - full sample: `compositeStudy(study, selectFactorsForComposite(study, minRankIcir, k))` (the
 *   same threshold and k applied to the WHOLE sample's ICIRs), the variant of the same weighting,
 *   labelled as the in-sample upper bound it is.
 *
 * Both are evaluated with `factorReport` on the study's forward returns; the gap is upper bound −
 * walk-forward, and both are summarized again on ICs dated after the split.
 */
export function walkForwardCompositeStudy(ctx: ModelContext, options: WalkForwardCompositeOptions = {}): WalkForwardCompositeStudy {
  const base = options.spec ?? loadModelSpec(DEFAULT_MODEL_FILE);
  const method = options.method ?? 'equal';
  const k = options.k ?? 8, minRankIcir = options.minRankIcir ?? 0.05, minObservations = options.minObservations ?? 24;
  const split = options.split ?? base.split;
  const study = ctx.study(base.calendar.frequency);
  const spec = variantOf(base, {
    name: `walk-forward ${FULL_SAMPLE_NAME[method]} composite`, factors: 'all',
    selection: { rule: 'walk-forward', k, minRankIcir, minObservations, window: 'expanding' },
    composite: method === 'equal' ? { method, horizon: 1, window: 'expanding', minObservations: 12 }
      : method === 'icir' ? { method, horizon: 1, window: 'expanding', minObservations: 12 }
        : { method, horizon: 1, window: 'expanding', minObservations: 24, nonNegative: true },
  });
  const ms = modelScore(spec, ctx);
  const sel = ms.selection!;
  const K = sel.factors.length, ever = new Set<string>();
  let sum = 0, nd = 0;
  for (let t = 0; t < sel.dates.length; t++) {
    if (sel.count[t] > 0) { sum += sel.count[t]; nd++; }
    for (let f = 0; f < K; f++) if (sel.selected[t * K + f]) ever.add(sel.factors[f]);
  }
  const wfName = `${FULL_SAMPLE_NAME[method]} (walk-forward selection)`;
  const wfReport = factorReport(ms.score, study.forward, { name: wfName });
  const names = selectFactorsForComposite(study, minRankIcir, k);
  const full = compositeStudy(study, names).find((v) => v.name === FULL_SAMPLE_NAME[method])!;
  const evaluation = (name: string, selection: CompositeEvaluation['selection'], factors: string[], meanSelected: number, report: FactorReport): CompositeEvaluation => ({
    name, selection, factors, meanSelected, report, whole: report.horizons[0].rankIcSummary, afterSplit: rankIcSummaryAfter(report, split),
  });
  const walkForward = evaluation(wfName, 'walk-forward', [...ever].sort(), nd ? sum / nd : 0, wfReport);
  const fullSample = evaluation(`${FULL_SAMPLE_NAME[method]} (full-sample selection, in-sample upper bound)`, 'full-sample (in-sample upper bound)', names, names.length, full.report);
  const a = { name: fullSample.name, ic: fullSample.report.horizons[0].rankIc }, b = { name: walkForward.name, ic: walkForward.report.horizons[0].rankIc };
  let afterSplit: IcDifference | null = null;
  try { afterSplit = rankIcDifference(a, b, split); } catch (e) { if (!(e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS')) throw e; }
  return {
    split, method, walkForward, fullSample,
    gap: {
      rankIc: fullSample.whole.mean - walkForward.whole.mean, rankIcir: fullSample.whole.icir - walkForward.whole.icir, t: fullSample.whole.t - walkForward.whole.t,
      rankIcAfterSplit: (fullSample.afterSplit?.mean ?? NaN) - (walkForward.afterSplit?.mean ?? NaN),
      tAfterSplit: (fullSample.afterSplit?.t ?? NaN) - (walkForward.afterSplit?.t ?? NaN),
    },
    difference: { whole: rankIcDifference(a, b), afterSplit },
  };
}

/**
 * Display rows of the walk-forward study: walk-forward first, the upper bound, then the gap row
 * (rankIc and rankIcir = upper bound − walk-forward; its t and tNeweyWest are the PAIRED t of the
 * rank-IC difference on the common dates, whole and after the split — not a difference of t's).
 */
export function walkForwardCompositeRows(s: WalkForwardCompositeStudy): Record<string, string | number>[] {
  const row = (e: CompositeEvaluation) => ({
    composite: e.name, factors: e.selection === 'walk-forward' ? `${e.meanSelected.toFixed(1)} on average of ${e.factors.length}` : String(e.factors.length),
    window: `${firstValid(e.report)}..${lastValid(e.report)}`, rankIc: e.whole.mean, rankIcir: e.whole.icir, t: e.whole.t, tNeweyWest: e.whole.tNeweyWest,
    [`rankIc after ${s.split}`]: e.afterSplit?.mean ?? NaN, [`t after ${s.split}`]: e.afterSplit?.t ?? NaN,
  });
  return [row(s.walkForward), row(s.fullSample), {
    composite: 'gap (upper bound − walk-forward)', factors: '', window: `${s.difference.whole.first}..${s.difference.whole.last}`,
    rankIc: s.gap.rankIc, rankIcir: s.gap.rankIcir, t: s.difference.whole.t, tNeweyWest: s.difference.whole.tNeweyWest,
    [`rankIc after ${s.split}`]: s.gap.rankIcAfterSplit, [`t after ${s.split}`]: s.difference.afterSplit?.t ?? NaN,
  }];
}

function firstValid(r: FactorReport): string {
  const h = r.horizons[0].rankIc;
  const k = Array.prototype.findIndex.call(h.ic, (v: number) => Number.isFinite(v));
  return k < 0 ? '' : h.dates[k];
}

function lastValid(r: FactorReport): string {
  const h = r.horizons[0].rankIc;
  for (let k = h.ic.length - 1; k >= 0; k--) if (Number.isFinite(h.ic[k])) return h.dates[k];
  return '';
}
