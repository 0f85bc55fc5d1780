/**
 * The model's composite score, spec-driven and causal at every date t:
 *
 *   z_f(t, i)  = preprocessing steps of the spec on factor f (direction-aligned), then the
 *                composite's per-date z-score (src/combine/composite.ts)
 *   w_f(t)     = composite weights (equal / IC mean / ICIR / max-ICIR) from rank ICs of horizon h
 *                known at t (an IC dated s is known at s + h), restricted to the walk-forward
 *                selection S(t) when the spec asks for it (src/combine/selection.ts)
 *   score(t,i) = Σ_f w_f(t) z_f(t, i) / Σ_{f present} |w_f(t)|
 *
 * `scoreModel(spec, dataset, asOf)` ranks the industries at one scored date, or at the close of
 * any other trading day (`dailyScore`):
 *
 *   Daily rule. At trading day d (not a date of the factor calendar), z_f(d, i) comes from the
 *   factor values computed AT d (`computeFactors(ds, [d])`: factors are point-in-time by date, so
 *   only data known at d's close enter), with the spec's preprocessing and direction; the weights
 *   w_f are those of the last factor date m <= d (the month end whose ICs were known then: no IC
 *   is re-estimated between rebalances), and score(d, i) = Σ_f w_f(m) z_f(d, i) / Σ_{f present} |w_f(m)|.
 *   On a factor date itself the daily score is the model's score there (tested equal).
 */
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import { runPipeline } from '../preprocess/pipeline.js';
import { icByFactor } from '../evaluate/crossSection.js';
import { equalWeights, icirWeights, icMeanWeights, maxIcirWeights, type WeightSchedule } from '../combine/weights.js';
import { restrictSchedule, walkForwardSelection, type FactorSelection } from '../combine/selection.js';
import { compositeScore } from '../combine/composite.js';
import { computeFactors } from '../factors/registry.js';
import { newFactorCache } from '../factors/engine.js';
import { alignDirection } from '../combine/direction.js';
import { getFactor } from '../factors/registry.js';
import { alignedFactors, type FactorStudy } from './evidence.js';
import { modelContext, scoredDates, type ModelContext } from './context.js';
import { canonicalJson, type ModelSpec } from './spec.js';

export interface ModelScore {
  /** Composite score, factor dates x industries (NaN where not scored). */
  score: Panel;
  /** Factor ids that entered (before selection), and their directions. */
  factors: string[];
  /** Weights per date (after selection). */
  schedule: WeightSchedule;
  /** The walk-forward selection, when the spec has one. */
  selection?: FactorSelection;
  /** Dates with at least calendar.minScored scored industries. */
  scored: string[];
  study: FactorStudy;
}

/** Factor ids of the spec available on the dataset (MODEL_FACTOR_UNAVAILABLE names a listed one that is not). */
export function specFactors(spec: ModelSpec, study: FactorStudy): { ids: string[]; directions: Record<string, 1 | -1> } {
  const have = [...study.batch.results.keys()];
  if (spec.factors === 'all') return { ids: have, directions: {} };
  const missing = spec.factors.filter((f) => !study.batch.results.has(f.id));
  if (missing.length) {
    const why = missing.map((m) => study.batch.unavailable.find((u) => u.id === m.id)).filter(Boolean).map((u) => `${u!.id} needs ${u!.missing.join(', ')}`);
    throw new RotationError('MODEL_FACTOR_UNAVAILABLE', `${missing.length} factor(s) of spec "${spec.name}" cannot be computed on ${study.dataset}`,
      { factors: missing.map((m) => m.id), reasons: why }, `remove them from the spec, or use "factors": "all" (every factor the dataset can compute)`);
  }
  return { ids: spec.factors.map((f) => f.id), directions: Object.fromEntries(spec.factors.filter((f) => f.direction).map((f) => [f.id, f.direction!])) };
}

function weightSchedule(spec: ModelSpec, names: string[], ics: ReturnType<typeof icByFactor>, dates: string[]): WeightSchedule {
  const c = spec.composite;
  const opts = { horizon: c.horizon, window: c.window, minObservations: c.minObservations };
  switch (c.method) {
    case 'equal': return equalWeights(names, dates);
    case 'ic': return icMeanWeights(ics, opts);
    case 'icir': return icirWeights(ics, opts);
    case 'max-icir': return maxIcirWeights(ics, { ...opts, shrinkage: c.shrinkage, nonNegative: c.nonNegative });
  }
}

/**
 * What a spec's composite score depends on, as canonical JSON: the factor calendar and its minimum
 * scored industries, the factors, preprocessing, selection and composite (`modelScore` reads
 * nothing else of the spec). Specs with the same key have the same score on one context.
 */
export function scoreKey(spec: ModelSpec): string {
  const { frequency, minScored } = spec.calendar;
  return canonicalJson({ frequency, minScored, factors: spec.factors, preprocessing: spec.preprocessing, selection: spec.selection, composite: spec.composite });
}

/** The spec's composite score on the context's dataset (module comment); computed once per `scoreKey` on a context (`ctx.memo`). */
export function modelScore(spec: ModelSpec, ctx: ModelContext): ModelScore {
  const key = `score:${scoreKey(spec)}`;
  let m = ctx.memo.get(key) as ModelScore | undefined;
  if (!m) { m = computeModelScore(spec, ctx); ctx.memo.set(key, m); }
  return m;
}

/** `modelScore` computed (module comment). */
function computeModelScore(spec: ModelSpec, ctx: ModelContext): ModelScore {
  const study = ctx.study(spec.calendar.frequency);
  const { ids, directions } = specFactors(spec, study);
  let factors = alignedFactors(study, ids, directions);
  if (spec.preprocessing.length) {
    factors = Object.fromEntries(ids.map((id) => [id, runPipeline(factors[id], spec.preprocessing, { name: id }).panel]));
  }
  const needIcs = spec.composite.method !== 'equal' || spec.selection.rule === 'walk-forward';
  const ics = needIcs ? icByFactor(factors, study.forward, spec.composite.horizon, { method: 'rank' }) : {};
  let schedule = weightSchedule(spec, ids, ics, study.dates);
  let selection: FactorSelection | undefined;
  if (spec.selection.rule === 'walk-forward') {
    const s = spec.selection;
    selection = walkForwardSelection(ics, { horizon: spec.composite.horizon, k: s.k, minIcir: s.minRankIcir, minObservations: s.minObservations, window: s.window });
    schedule = restrictSchedule(schedule, selection);
  }
  const score = compositeScore(factors, schedule).panel;
  return { score, factors: ids, schedule, selection, scored: scoredDates(score, spec.calendar.minScored), study };
}

export interface ScoreRow {
  date: string;
  industry: string;
  name: string;
  score: number;
  /** 1 = highest score; NaN for unscored industries (listed last). */
  rank: number;
}

/**
 * Industry scores and ranks of `spec` at `asOf`: a date of the factor calendar (a month end) is
 * read from the model's score; any other trading day is scored by the daily rule (`dailyScore`);
 * 'latest' = the last scored date. Errors: MODEL_BAD_DATE (not yyyy-mm-dd), MODEL_NOT_SCORED
 * (a factor date not scored names the nearest scored dates; a day before the IC warm-up names the
 * first scored date), MODEL_NOT_TRADING_DAY (names the nearest trading days).
 */
export function scoreModel(spec: ModelSpec, data: MarketDataset | ModelContext, asOf: string | 'latest' = 'latest'): ScoreRow[] {
  const ctx = 'returns' in data ? data : modelContext(data);
  const m = modelScore(spec, ctx);
  const date = asOf === 'latest' ? m.scored[m.scored.length - 1] : asOf;
  if (asOf !== 'latest' && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    throw new RotationError('MODEL_BAD_DATE', `asOf "${asOf}" is not a date in YYYY-MM-DD form`, { asOf }, `pass e.g. ${m.scored[m.scored.length - 1] ?? 'latest'}`);
  }
  if (date !== undefined && asOf !== 'latest' && !m.score.dates.includes(date)) return dailyScore(spec, ctx, date, m);
  const t = date === undefined ? -1 : m.score.dates.indexOf(date);
  if (t < 0 || !m.scored.includes(date!)) {
    const before = m.scored.filter((d) => d < (date ?? '')).pop(), after = m.scored.find((d) => d > (date ?? ''));
    throw new RotationError('MODEL_NOT_SCORED', `${date ?? asOf} is not a date the model scores (${spec.calendar.frequency} calendar, at least ${spec.calendar.minScored} industries)`,
      { asOf: date ?? asOf, previous: before ?? 'none', next: after ?? 'none' }, `use a scored date: ${[before, after].filter(Boolean).join(' or ') || 'none exists: the data are too short'}`);
  }
  const N = m.score.assets.length;
  return rankRows(ctx, date!, m.score.assets, m.score.values.subarray(t * N, (t + 1) * N));
}

/** Score rows of one date, ranked (1 = highest; ties by code; NaN scores last with rank NaN). */
function rankRows(ctx: ModelContext, date: string, assets: readonly string[], scores: ArrayLike<number>): ScoreRow[] {
  const names = new Map(ctx.ds.industries.map((x) => [x.code, x.name]));
  const rows = assets.map((industry, i) => ({ date, industry, name: names.get(industry) ?? '', score: scores[i], rank: NaN }));
  rows.sort((a, b) => (Number.isNaN(a.score) ? 1 : 0) - (Number.isNaN(b.score) ? 1 : 0) || b.score - a.score || (a.industry < b.industry ? -1 : 1));
  rows.forEach((r, i) => { r.rank = Number.isNaN(r.score) ? NaN : i + 1; });
  return rows;
}

/** The trading days of the data around a date that is not one (for MODEL_NOT_TRADING_DAY). */
export function nearestTradingDays(calendar: readonly string[], date: string): { previous?: string; next?: string } {
  let lo = 0, hi = calendar.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (calendar[mid] < date) lo = mid + 1; else hi = mid; }
  return { previous: lo > 0 ? calendar[lo - 1] : undefined, next: calendar[lo] === date ? calendar[lo + 1] : calendar[lo] };
}

/**
 * The composite at the close of trading day `asOf` by the daily rule of the module comment
 * (factors computed at asOf; weights of the last factor date <= asOf). Works on any trading day,
 * a factor date included (where it equals the model's score). Errors: MODEL_NOT_TRADING_DAY
 * (names the nearest trading days), MODEL_NOT_SCORED (no factor date with weights at or before
 * asOf, or fewer than calendar.minScored industries scored).
 */
export function dailyScore(spec: ModelSpec, data: MarketDataset | ModelContext, asOf: string, model?: ModelScore): ScoreRow[] {
  return dailyScores(spec, data, [asOf], model)[0];
}

/**
 * `dailyScore` for several trading days at once (one factor computation over all of them): one
 * ranked row set per date, in the order given. Same errors, for the first offending date.
 */
export function dailyScores(spec: ModelSpec, data: MarketDataset | ModelContext, dates: readonly string[], model?: ModelScore): ScoreRow[][] {
  const ctx = 'returns' in data ? data : modelContext(data);
  const cal = ctx.ds.calendar, inCal = new Set(cal);
  for (const asOf of dates) {
    if (!inCal.has(asOf)) {
      const { previous, next } = nearestTradingDays(cal, asOf);
      throw new RotationError('MODEL_NOT_TRADING_DAY', `${asOf} is not a trading day of ${ctx.ds.name}`, { asOf, previousTradingDay: previous ?? 'none', nextTradingDay: next ?? 'none' },
        `use a trading day: ${[previous, next].filter(Boolean).join(' or ') || 'the data have none'}`);
    }
  }
  const m = model ?? modelScore(spec, ctx);
  const sched = m.schedule, K = sched.factors.length;
  const notScored = (asOf: string, why: string) => new RotationError('MODEL_NOT_SCORED', `${asOf} cannot be scored: ${why}`,
    { asOf, firstScored: m.scored[0] ?? 'none' }, `use a trading day on or after ${m.scored[0] ?? 'the first scored date (none: the data are too short)'}`);
  const weightRow = (asOf: string): number => {
    let row = -1;
    for (let r = 0; r < sched.dates.length; r++) {
      if (sched.dates[r] > asOf) break;
      let ok = true;
      for (let k = 0; k < K; k++) if (Number.isNaN(sched.weights[r * K + k])) ok = false;
      row = ok ? r : -1;
    }
    if (row < 0) throw notScored(asOf, 'no factor date at or before it has composite weights (IC warm-up)');
    return row;
  };
  const rows = dates.map(weightRow);
  const { ids, directions } = specFactors(spec, m.study);
  const sorted = [...new Set(dates)].sort();
  // One factor at a time on a shared cache: a factor with no value on these days (e.g. a vendor
  // series that ended) or constant across industries is NaN here, as it would be in the batch.
  const cache = newFactorCache(ctx.ds);
  const raw: Record<string, Panel> = {};
  for (const id of ids) {
    let panel: Panel | undefined;
    try {
      panel = computeFactors(ctx.ds, sorted, { ids: [id], cache, ...(ctx.minIndustries === undefined ? {} : { minIndustries: ctx.minIndustries }) }).results.get(id)?.panel;
    } catch (e) {
      if (!(e instanceof RotationError) || (e.code !== 'FACTOR_NO_COMPUTABLE_DATE' && e.code !== 'FACTOR_CONSTANT')) throw e;
    }
    raw[id] = panel ?? createPanel(sorted, m.score.assets, new Float64Array(sorted.length * m.score.assets.length).fill(NaN));
  }
  let factors = alignDirection(raw, Object.fromEntries(ids.map((n) => [n, directions[n] ?? getFactor(n).direction])));
  if (spec.preprocessing.length) {
    factors = Object.fromEntries(ids.map((id) => [id, runPipeline(factors[id], spec.preprocessing, { name: id }).panel]));
  }
  const weights: WeightSchedule = { ...sched, dates: sorted, weights: new Float64Array(sorted.length * K), observations: new Int32Array(sorted.length), shrinkage: new Float64Array(sorted.length).fill(NaN) };
  sorted.forEach((d, t) => { const r = rows[dates.indexOf(d)]; for (let k = 0; k < K; k++) weights.weights[t * K + k] = sched.weights[r * K + k]; });
  const score = compositeScore(factors, weights).panel, N = score.assets.length;
  return dates.map((asOf) => {
    const t = sorted.indexOf(asOf);
    const v = score.values.subarray(t * N, (t + 1) * N);
    let n = 0;
    for (let i = 0; i < N; i++) if (!Number.isNaN(v[i])) n++;
    if (n < spec.calendar.minScored) throw notScored(asOf, `${n} industries scored, fewer than calendar.minScored = ${spec.calendar.minScored}`);
    return rankRows(ctx, asOf, score.assets, v);
  });
}
