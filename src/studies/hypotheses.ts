/**
 * The problem statement's claims as tested hypotheses (issue 19 item 1, parts a and b). Each
 * function computes the evidence from runs of the house specs on one dataset and returns
 * `{ id, claim, rule, evidence, verdict, sentence }`; the sentence is generated from the numbers.
 *
 * Verdict rule (one for every hypothesis here, T_VERDICT = 2): the hypothesis names a difference
 * d (e.g. model − MVO turnover per rebalance) and the sign the claim predicts;
 *   supported      when d has the claimed sign and |t| >= 2,
 *   not supported  when d has the opposite sign and |t| >= 2 — or, for turnover, whenever the
 *                  annual turnovers simply contradict the claim (a number, not an estimate),
 *   inconclusive   otherwise (including a test that cannot be computed: the reason is given).
 * t is the plain paired t of d over periods (`differenceTest`, Student t p-value; the Newey-West
 * t is shown next to it).
 *
 * (a) MVO vs the model. "MVO is highly sensitive to parameter estimation errors and often leads to
 *     excessive turnover" — so the model should churn less and be less sensitive to estimation
 *     error. Evidence per strategy: annual one-way turnover of its backtest; weight instability
 *     under bootstrap resampling of its estimation window at the middle rebalance date — for MVO
 *     `meanVarianceSensitivity` (iid resampling of the monthly returns window, as notebook 04, the
 *     spec's covariance and caps, no turnover penalty), for the top-k model `topKBootstrap`
 *     (resampling the IC dates of the composite weights' window; see there); both measured as the
 *     two-sided distance Σ|w_b − w_0| to the unresampled weights; the arithmetic excess over equal
 *     weight at 0/10/20/50 bps per unit traded (`costRows`); and the break-even cost
 *     (`breakEvenCost`, bisection on re-run backtests).
 * (b) HMM vs the model. "HMM ... struggles to fully capture sector-specific dynamics": the monthly
 *     cross-sectional rank IC of each allocator's implied ranking against the next period's
 *     industry returns (the model: its composite score; HMM: its regime-conditional expected
 *     returns, `details.regimePerformance` of the allocator), and performance around regime
 *     switches (periods within ±1 rebalance of a change in the causal filtered regime,
 *     `causalRegimePath` with the HMM spec's seed and the allocator's defaults).
 *
 * Errors: HYP_MISSING_STRATEGY (a strategy the hypothesis needs is not in the study),
 * HYP_UNSUPPORTED_COMPOSITE (the bootstrap supports IC-mean, ICIR and equal composites).
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { createPanel } from '../panel/panel.js';
import { runBacktest } from '../backtest/engine.js';
import { summarizeBacktest, rebalancePeriodSeries } from '../backtest/summary.js';
import { differenceTest, type ActiveReturnTest, type PeriodSeries } from '../metrics/activeSignificance.js';
import { rankIcByDate } from '../evaluate/ic.js';
import { icByFactor } from '../evaluate/crossSection.js';
import { compositeScore } from '../combine/composite.js';
import { runPipeline } from '../preprocess/pipeline.js';
import { createRng } from '../random.js';
import { meanVarianceSensitivity, meanVarianceWindow } from '../portfolio/meanVariance.js';
import { causalRegimePath, regimeFeatures } from '../portfolio/regime.js';
import { preferenceOrder, topKEqualWeights } from '../portfolio/weights.js';
import type { Solver } from '../portfolio/optimizer.js';
import { alignedFactors } from '../model/evidence.js';
import { specFactors } from '../model/score.js';
import type { ModelContext } from '../model/context.js';
import type { ModelRun } from '../model/run.js';
import type { ModelSpec } from '../model/spec.js';
import { costRows } from './validation.js';
import type { AllocationStudy } from './modeling.js';

/** |t| needed for a supported / not supported verdict. */
export const T_VERDICT = 2;

export type Verdict = 'supported' | 'not supported' | 'inconclusive';
export type EvidenceRow = Record<string, string | number>;

export interface Hypothesis {
  id: string;
  claim: string;
  /** The verdict rule as applied here. */
  rule: string;
  evidence: EvidenceRow[];
  verdict: Verdict;
  sentence: string;
  /** The test behind the verdict (undefined when it could not be computed). */
  test?: ActiveReturnTest;
}

/** Verdict of a difference with a claimed sign (module comment). */
export function verdictOf(mean: number, t: number, claimedSign: 1 | -1): Verdict {
  if (!Number.isFinite(t) || !Number.isFinite(mean)) return 'inconclusive';
  if (Math.abs(t) < T_VERDICT) return 'inconclusive';
  return Math.sign(mean) === claimedSign ? 'supported' : 'not supported';
}

const pct = (x: number, d = 0) => (Number.isFinite(x) ? `${(100 * x).toFixed(d)}%` : 'n/a');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const pv = (p: number) => (!Number.isFinite(p) ? 'n/a' : p < 0.001 ? '< 0.001' : p.toFixed(3));

function safeTest(a: PeriodSeries, b: PeriodSeries, minPeriods = 12): { test?: ActiveReturnTest; why?: string } {
  try {
    return { test: differenceTest(a, b, { minPeriods }) };
  } catch (e) {
    if (e instanceof RotationError) return { why: e.what };
    throw e;
  }
}

/** Find a run of the study by allocator (and covariance for MVO). */
function findRun(study: AllocationStudy, what: string, pick: (s: ModelSpec) => boolean): ModelRun {
  const r = study.runs.find((x) => pick(x.run.spec));
  if (!r) {
    throw new RotationError('HYP_MISSING_STRATEGY', `the study has no ${what} run`, { strategies: study.runs.map((x) => x.name) },
      'run the house set (houseSpecs(): the model, the optimizer and every baseline) through allocationStudy first');
  }
  return r.run;
}

/** The strategies hypotheses (a) and (b) compare, from a study of the house set (common window). */
export function hypothesisRuns(study: AllocationStudy): { model: ModelRun; optimizer?: ModelRun; mvoSample: ModelRun; mvoLw?: ModelRun; hmm: ModelRun } {
  const model = findRun(study, 'top-k model', (s) => s.role === 'model' && s.allocator.name === 'top-k');
  const opt = study.runs.find((x) => x.run.spec.allocator.name === 'score-optimizer')?.run;
  const mvoSample = findRun(study, 'sample-covariance MVO', (s) => s.allocator.name === 'mean-variance' && s.allocator.covariance === 'sample');
  const mvoLw = study.runs.find((x) => x.run.spec.allocator.name === 'mean-variance' && x.run.spec.allocator.covariance === 'ledoit-wolf')?.run;
  const hmm = findRun(study, 'HMM regime', (s) => s.allocator.name === 'hmm-regimes');
  return { model, optimizer: opt, mvoSample, mvoLw, hmm };
}

/**
 * Break-even cost of a run: the cost c* (bps per unit traded) at which its arithmetic excess over
 * equal weight (rebalance basis) reaches 0, found by bisection on backtests of the run's own
 * weights re-run at each cost (excess falls monotonically with c): bracket [0, c_hi] with c_hi
 * doubled from 100 bps up to 10,000; 40 halvings (precision far below 0.01 bps). 0 when the
 * excess is <= 0 already at zero cost; Infinity when still positive at 10,000 bps.
 */
export function breakEvenCost(ctx: ModelContext, run: ModelRun): number {
  const excessAt = (c: number) => {
    const bt = runBacktest({ name: run.spec.name, close: ctx.ds.industryBars.close, weights: run.weights, rebalance: run.rebalance, costBps: c, execution: run.spec.execution,
      open: run.spec.execution === 'next-open' ? ctx.ds.industryBars.open : undefined, ...(ctx.gapPolicy === undefined ? {} : { gapPolicy: ctx.gapPolicy }),
      ...(ctx.ds.periodsPerYear === undefined ? {} : { periodsPerYear: ctx.ds.periodsPerYear }) });
    return summarizeBacktest(bt, { basis: 'rebalance' }).values.arithmeticExcess;
  };
  if (!(excessAt(0) > 0)) return 0;
  let hi = 100;
  while (excessAt(hi) > 0) { if (hi >= 10000) return Infinity; hi *= 2; }
  let lo = 0;
  for (let i = 0; i < 40; i++) { const mid = (lo + hi) / 2; if (excessAt(mid) > 0) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
}

export interface TopKBootstrap {
  date: string;
  runs: number;
  /** Top-k weights over `industries` from the unresampled IC window. */
  base: Float64Array;
  industries: string[];
  /** IC dates in the window at `date`. */
  window: number;
  /** Mean and 5/95% quantiles (type 7) over runs of Σ_i |w_b,i − w_0,i|. */
  meanTurnoverVsBase: number;
  p05: number;
  p95: number;
  /** Share of runs whose top-k set differs from the base set. */
  changedSetShare: number;
}

/**
 * Estimation-error sensitivity of the top-k model at `date`, the analogue of
 * `meanVarianceSensitivity`: what is resampled is the model's estimated input, the IC window
 * W(date) behind the composite weights (IC dates s <= t − h, expanding or rolling as the spec
 * says). Each of B runs draws |W| IC dates with replacement (iid, seeded), recomputes every
 * factor's weight from them by the spec's rule (ICIR: mean/std, IC: mean; factors with fewer than
 * minObservations valid ICs get 0; Σ|w| = 1), recomputes the composite at `date` with the same
 * factor values (`compositeScore`), and takes the top k. The factor cross-section at `date` is
 * not resampled (it is observed, not estimated). With the unresampled window the composite equals
 * the model's score at `date` (tested). Equal composites have no estimated input: distance 0.
 * Walk-forward selection is not resampled (the spec's selection at `date` is kept).
 */
export function topKBootstrap(spec: ModelSpec, ctx: ModelContext, date: string, options: { seed: number; nBootstrap?: number }): TopKBootstrap {
  if (spec.allocator.name !== 'top-k') {
    throw new RotationError('HYP_MISSING_STRATEGY', `topKBootstrap needs a top-k spec, got "${spec.name}"`, { spec: spec.name }, 'pass models/default.json');
  }
  const method = spec.composite.method;
  if (method === 'max-icir') {
    throw new RotationError('HYP_UNSUPPORTED_COMPOSITE', `the IC-window bootstrap supports equal, IC-mean and ICIR composites, not "${method}"`, { spec: spec.name },
      'use a spec with composite.method "icir" (the default), "ic" or "equal"');
  }
  const k = spec.allocator.k, B = options.nBootstrap ?? 200;
  const study = ctx.study(spec.calendar.frequency);
  const { ids, directions } = specFactors(spec, study);
  let factors = alignedFactors(study, ids, directions);
  if (spec.preprocessing.length) factors = Object.fromEntries(ids.map((id) => [id, runPipeline(factors[id], spec.preprocessing, { name: id }).panel]));
  const t = study.dates.indexOf(date);
  if (t < 0) throw new RotationError('HYP_MISSING_STRATEGY', `${date} is not a factor date of ${ctx.ds.name}`, { date }, 'pass a rebalance date of the run');
  const h = spec.composite.horizon, win = spec.composite.window, minObs = spec.composite.minObservations;
  const hi = t - h, lo = win === 'expanding' ? 0 : Math.max(0, t - h - win + 1);
  const K = ids.length;
  const oneDay: Record<string, Panel> = {};
  for (const id of ids) {
    const p = factors[id], N = p.assets.length;
    oneDay[id] = createPanel([date], p.assets, p.values.slice(t * N, (t + 1) * N));
  }
  const industries = [...oneDay[ids[0]].assets];
  const n = industries.length;
  const ics = method === 'equal' ? undefined : icByFactor(factors, study.forward, h, { method: 'rank' });
  const W = Math.max(0, hi - lo + 1);
  const weightsFrom = (rows: ArrayLike<number>): Record<string, number> | undefined => {
    const out: Record<string, number> = {};
    if (!ics) { for (const id of ids) out[id] = 1 / K; return out; }
    let a = 0;
    for (const id of ids) {
      const v = ics[id].ic;
      let m = 0, c = 0;
      for (let r = 0; r < rows.length; r++) { const x = v[rows[r]]; if (x === x) { m += x; c++; } }
      if (c < minObs) { out[id] = 0; continue; }
      m /= c;
      let ss = 0;
      for (let r = 0; r < rows.length; r++) { const x = v[rows[r]]; if (x === x) ss += (x - m) * (x - m); }
      const sd = c > 1 ? Math.sqrt(ss / (c - 1)) : NaN;
      out[id] = method === 'ic' ? m : sd > 0 ? m / sd : 0;
      a += Math.abs(out[id]);
    }
    if (!(a > 0)) return undefined;
    for (const id of ids) out[id] /= a;
    return out;
  };
  const topK = (w: Record<string, number> | undefined): Float64Array => {
    const out = new Float64Array(n);
    if (!w) return out.fill(NaN);
    const s = compositeScore(oneDay, w).panel.values;
    const eligible = new Uint8Array(n);
    for (let i = 0; i < n; i++) eligible[i] = Number.isFinite(s[i]) ? 1 : 0;
    if (preferenceOrder(s, eligible).length === 0) return out.fill(NaN);
    return topKEqualWeights(s, eligible, k);
  };
  const baseRows = Int32Array.from({ length: W }, (_, r) => lo + r);
  const base = topK(weightsFrom(baseRows));
  const rng = createRng(options.seed);
  const dist: number[] = [];
  let changed = 0;
  const rows = new Int32Array(W);
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < W; r++) rows[r] = lo + rng.int(W);
    const w = topK(weightsFrom(rows));
    let d = 0, diff = false;
    for (let i = 0; i < n; i++) { d += Math.abs(w[i] - base[i]); if ((w[i] > 0) !== (base[i] > 0)) diff = true; }
    if (Number.isFinite(d)) { dist.push(d); if (diff) changed++; }
  }
  const sorted = [...dist].sort((x, y) => x - y);
  const q = (p: number): number => {
    if (sorted.length === 0) return NaN;
    const hq = (sorted.length - 1) * p, l = Math.floor(hq), u = Math.min(l + 1, sorted.length - 1);
    return sorted[l] + (hq - l) * (sorted[u] - sorted[l]);
  };
  return {
    date, runs: dist.length, base, industries, window: W, meanTurnoverVsBase: dist.length ? dist.reduce((x, y) => x + y, 0) / dist.length : NaN,
    p05: q(0.05), p95: q(0.95), changedSetShare: dist.length ? changed / dist.length : NaN,
  };
}

/** Per-rebalance two-sided turnover of a run as a period series (the first rebalance, with no previous weights, dropped). */
function turnoverSeries(run: ModelRun): PeriodSeries {
  const dates: string[] = [], v: number[] = [];
  run.walk.dates.forEach((d, k) => { if (Number.isFinite(run.walk.turnover[k])) { dates.push(d); v.push(run.walk.turnover[k]); } });
  return { name: run.spec.name, dates, returns: Float64Array.from(v) };
}

export interface MvoHypothesisOptions {
  solver: Solver;
  /** Dataset label in sentences (default the dataset's name). */
  label?: string;
  seed?: number;
  nBootstrap?: number;
}

/**
 * Hypothesis (a) as two tests: a1 "the model avoids MVO's excessive turnover and estimation
 * sensitivity" (d = model − sample-MVO two-sided turnover per rebalance, claimed sign −; for
 * turnover the annual numbers alone can contradict it) and a2 "after costs the model beats MVO"
 * (d = model − sample-MVO return per rebalance period at the spec's costs, claimed sign +).
 */
export function mvoHypotheses(ctx: ModelContext, study: AllocationStudy, options: MvoHypothesisOptions): Hypothesis[] {
  const runs = hypothesisRuns(study);
  const label = options.label ?? ctx.ds.name, seed = options.seed ?? 11, B = options.nBootstrap ?? 200;
  const strategies = [runs.model, runs.optimizer, runs.mvoSample, runs.mvoLw].filter((r): r is ModelRun => r !== undefined);
  const date = runs.model.rebalance.dates[Math.floor(runs.model.rebalance.dates.length / 2)];
  const evidence: EvidenceRow[] = strategies.map((run) => {
    const s = run.windows[0].summary.values;
    const costs = costRows(ctx, run);
    const row: EvidenceRow = { strategy: run.spec.name, 'turnover (annual, one-way)': s.turnover };
    let inst: { mean: number; p05: number; p95: number; what: string } = { mean: NaN, p05: NaN, p95: NaN, what: 'not resampled (optimizer)' };
    const a = run.spec.allocator;
    if (a.name === 'mean-variance') {
      const w = meanVarianceWindow(ctx.returns, date, ctx.available(date));
      if (!w.enough || w.industries.length < 2) {
        inst = { mean: NaN, p05: NaN, p95: NaN, what: `not resampled: ${w.window.rows} months of history at ${date}, too few to estimate` };
      } else {
        const rep = meanVarianceSensitivity(options.solver, w.window, w.industries, { seed, nBootstrap: B, caps: a.caps, covariance: a.covariance });
        inst = { mean: rep.meanTurnoverVsBase, p05: rep.turnoverQuantiles.p05, p95: rep.turnoverQuantiles.p95, what: `monthly returns window (${w.window.rows} months), iid` };
      }
    } else if (a.name === 'top-k') {
      const rep = topKBootstrap(run.spec, ctx, date, { seed, nBootstrap: B });
      inst = { mean: rep.meanTurnoverVsBase, p05: rep.p05, p95: rep.p95, what: `IC window of the composite weights (${rep.window} IC dates), iid` };
    }
    row['bootstrap Σ|w_b − w_0| (mean)'] = inst.mean;
    row['bootstrap p05'] = inst.p05;
    row['bootstrap p95'] = inst.p95;
    row['resampled'] = inst.what;
    for (const c of costs) row[`excess @ ${c.costBps} bps`] = c.arithmeticExcess;
    row['break-even cost (bps)'] = breakEvenCost(ctx, run);
    return row;
  });
  const get = (run: ModelRun) => evidence.find((e) => e.strategy === run.spec.name)!;
  const m = get(runs.model), mv = get(runs.mvoSample);
  const toM = m['turnover (annual, one-way)'] as number, toMv = mv['turnover (annual, one-way)'] as number;
  const tt = safeTest(turnoverSeries(runs.model), turnoverSeries(runs.mvoSample));
  let v1: Verdict = tt.test ? verdictOf(tt.test.mean, tt.test.t, -1) : 'inconclusive';
  if (toM > toMv) v1 = 'not supported';
  const opt = runs.optimizer ? get(runs.optimizer) : undefined;
  const s1 = `On ${label} the model (${runs.model.spec.name}) turns over ${pct(toM)}/yr one-way against ${pct(toMv)} for sample MVO` +
    `${opt ? ` (the optimizer ${pct(opt['turnover (annual, one-way)'] as number)}` : ''}${runs.mvoLw ? `${opt ? ',' : ' ('} Ledoit-Wolf MVO ${pct(get(runs.mvoLw)['turnover (annual, one-way)'] as number)})` : opt ? ')' : ''}` +
    `; paired t of the per-rebalance turnover difference ${tt.test ? `${f2(tt.test.t)} (p ${pv(tt.test.pValue)})` : `not available (${tt.why})`}. ` +
    `Resampling the estimation window at ${date} moves the MVO weights by ${pct(mv['bootstrap Σ|w_b − w_0| (mean)'] as number)} (Σ|Δw|, mean) and the model's top-k by ${pct(m['bootstrap Σ|w_b − w_0| (mean)'] as number)}` +
    ` (${(mv['bootstrap Σ|w_b − w_0| (mean)'] as number) > (m['bootstrap Σ|w_b − w_0| (mean)'] as number) ? 'MVO is the more sensitive to estimation error' : 'the model is as sensitive to estimation error as MVO or more'}; descriptive, no t). ` +
    `The claim that the model avoids MVO's excessive turnover is ${v1} here.`;
  const h1: Hypothesis = {
    id: 'a1-turnover', claim: 'MVO leads to excessive turnover and is sensitive to estimation error; the model churns less.',
    rule: `supported when model − MVO turnover per rebalance < 0 with |t| >= ${T_VERDICT}; not supported when the model's annual turnover exceeds MVO's or the difference is > 0 with |t| >= ${T_VERDICT}; else inconclusive`,
    evidence, verdict: v1, sentence: s1, test: tt.test,
  };
  const ps = (r: ModelRun) => rebalancePeriodSeries(r.backtest).strategy;
  const rt = safeTest(ps(runs.model), ps(runs.mvoSample));
  const v2: Verdict = rt.test ? verdictOf(rt.test.mean, rt.test.t, 1) : 'inconclusive';
  const s2 = `After ${runs.model.spec.costs.bps} bps costs the model's excess over equal weight is ${pct(m[`excess @ ${runs.model.spec.costs.bps} bps`] as number, 1)}/yr against ${pct(mv[`excess @ ${runs.mvoSample.spec.costs.bps} bps`] as number, 1)} for sample MVO; ` +
    `the monthly difference model − MVO has t ${rt.test ? `${f2(rt.test.t)} (p ${pv(rt.test.pValue)}, Newey-West t ${f2(rt.test.tNeweyWest)})` : `not available (${rt.why})`}; ` +
    `break-even costs: model ${fmtBps(m['break-even cost (bps)'] as number)}, sample MVO ${fmtBps(mv['break-even cost (bps)'] as number)}. ` +
    `The claim that the model beats MVO after costs is ${v2} on ${label}.`;
  const h2: Hypothesis = {
    id: 'a2-after-costs', claim: 'After costs the model beats MVO.', rule: `supported when model − MVO monthly return > 0 with t >= ${T_VERDICT}; not supported when < 0 with t <= −${T_VERDICT}; else inconclusive`,
    evidence, verdict: v2, sentence: s2, test: rt.test,
  };
  return [h1, h2];
}

function fmtBps(x: number): string {
  return x === Infinity ? '> 10,000 bps' : x === 0 ? '0 bps (no gross excess)' : `${x.toFixed(0)} bps`;
}

/**
 * Monthly cross-sectional rank IC of a ranking (rebalance dates x industries) against the next
 * period's industry returns close(d_{k+1})/close(d_k) − 1 (`rankIcByDate`, at least 3 pairs); the
 * last rebalance date has no next period and is dropped.
 */
export function implementedRankIc(ranking: Panel, close: Panel, dates: readonly string[]): PeriodSeries {
  const N = ranking.assets.length, C = close.assets.length;
  const col = ranking.assets.map((a) => close.assets.indexOf(a));
  const row = new Map(close.dates.map((d, t) => [d, t]));
  const T = dates.length - 1;
  const f = new Float64Array(T * N).fill(NaN), r = new Float64Array(T * N).fill(NaN);
  const rr = new Map(ranking.dates.map((d, t) => [d, t]));
  for (let k = 0; k < T; k++) {
    const a = row.get(dates[k])!, b = row.get(dates[k + 1])!, s = rr.get(dates[k]);
    for (let i = 0; i < N; i++) {
      if (s !== undefined) f[k * N + i] = ranking.values[s * N + i];
      if (col[i] >= 0) { const x = close.values[a * C + col[i]], y = close.values[b * C + col[i]]; if (x > 0 && y > 0) r[k * N + i] = y / x - 1; }
    }
  }
  const ds = dates.slice(0, T);
  const ic = rankIcByDate(createPanel(ds, ranking.assets, f), createPanel(ds, ranking.assets, r));
  return { dates: ds, returns: ic.ic };
}

/** The HMM allocator's regime-conditional expected returns per rebalance date (its implied ranking). */
export function hmmImpliedRanking(run: ModelRun): Panel {
  const assets = run.weights.assets, N = assets.length, col = new Map(assets.map((a, i) => [a, i]));
  const v = new Float64Array(run.walk.dates.length * N).fill(NaN);
  run.walk.diagnostics.forEach((d, k) => {
    const perf = d.details.regimePerformance as Float64Array | undefined;
    if (!perf) return;
    run.walk.weights[k].industries.forEach((c, j) => { v[k * N + col.get(c)!] = perf[j]; });
  });
  return createPanel([...run.walk.dates], assets, v);
}

/** Both series restricted to the dates where both are finite. */
function jointFinite(a: PeriodSeries, b: PeriodSeries): [PeriodSeries, PeriodSeries] {
  const bi = new Map(b.dates.map((d, t) => [d, t]));
  const dates: string[] = [], x: number[] = [], y: number[] = [];
  a.dates.forEach((d, t) => {
    const j = bi.get(d);
    if (j !== undefined && Number.isFinite(a.returns[t]) && Number.isFinite(b.returns[j])) { dates.push(d); x.push(a.returns[t]); y.push(b.returns[j]); }
  });
  return [{ name: a.name, dates, returns: Float64Array.from(x) }, { name: b.name, dates, returns: Float64Array.from(y) }];
}

/**
 * Rebalance periods around a regime switch: with regime g_k at rebalance date d_k (the causal
 * filtered argmax at d_k; −1 before the first fit) and a switch at k when g_k ≠ g_{k−1} (both
 * fitted), period k (d_k, d_{k+1}] is "around a switch" when a switch happens at k − 1, k or k + 1.
 * Returns one flag per rebalance date.
 */
export function switchPeriods(regimeAt: ArrayLike<number>): Uint8Array {
  const n = regimeAt.length, sw = new Uint8Array(n), out = new Uint8Array(n);
  for (let k = 1; k < n; k++) sw[k] = regimeAt[k] >= 0 && regimeAt[k - 1] >= 0 && regimeAt[k] !== regimeAt[k - 1] ? 1 : 0;
  for (let k = 0; k < n; k++) out[k] = (k > 0 && sw[k - 1]) || sw[k] || (k + 1 < n && sw[k + 1]) ? 1 : 0;
  return out;
}

/**
 * Hypothesis (b) as two tests: b1 "the model explains more of the cross-section of next-month
 * industry returns than HMM" (d = model − HMM monthly rank IC, claimed +) and b2 "around regime
 * switches the model beats HMM" (d = model − HMM period return over switch periods, claimed +;
 * a t needs at least 6 such periods). Evidence of b2: each strategy's mean monthly excess over
 * equal weight in switch periods and in the others.
 */
export function hmmHypotheses(ctx: ModelContext, study: AllocationStudy, options: { label?: string } = {}): Hypothesis[] {
  const runs = hypothesisRuns(study);
  const label = options.label ?? ctx.ds.name;
  const dates = runs.model.rebalance.dates;
  const close = ctx.ds.industryBars.close;
  const icModel = { ...implementedRankIc(runs.model.score.score, close, dates), name: 'model composite' };
  const icHmm = { ...implementedRankIc(hmmImpliedRanking(runs.hmm), close, runs.hmm.rebalance.dates), name: 'HMM regime expected returns' };
  const [a, b] = jointFinite(icModel, icHmm);
  const mean = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return x.length ? s / x.length : NaN; };
  const one = (s: PeriodSeries) => {
    const z = { name: 'zero', dates: s.dates, returns: new Float64Array(s.dates.length) };
    return safeTest(s, z).test;
  };
  const tm = one(a), th = one(b), td = safeTest(a, b);
  const e1: EvidenceRow[] = [
    { ranking: 'model composite', months: a.dates.length, 'mean rank IC': mean(a.returns), t: tm?.t ?? NaN, p: tm?.pValue ?? NaN },
    { ranking: 'HMM regime expected returns', months: b.dates.length, 'mean rank IC': mean(b.returns), t: th?.t ?? NaN, p: th?.pValue ?? NaN },
    { ranking: 'difference (model − HMM)', months: a.dates.length, 'mean rank IC': td.test?.mean ?? NaN, t: td.test?.t ?? NaN, p: td.test?.pValue ?? NaN },
  ];
  const v1: Verdict = td.test ? verdictOf(td.test.mean, td.test.t, 1) : 'inconclusive';
  const s1 = `On ${label} the model's composite ranks next month's industry returns with mean rank IC ${f2(mean(a.returns))} (t ${f2(tm?.t ?? NaN)}) against ${f2(mean(b.returns))} (t ${f2(th?.t ?? NaN)}) ` +
    `for the HMM's regime-conditional expected returns over ${a.dates.length} months; difference t ${td.test ? `${f2(td.test.t)} (p ${pv(td.test.pValue)})` : `not available (${td.why})`}. ` +
    `The claim that HMM captures less of the sector cross-section than the model is ${v1} here.`;
  const h1: Hypothesis = {
    id: 'b1-cross-section', claim: 'HMM struggles to capture sector-specific dynamics: the model explains more of the cross-section of next-month industry returns.',
    rule: `supported when model − HMM monthly rank IC > 0 with t >= ${T_VERDICT}; not supported when < 0 with t <= −${T_VERDICT}; else inconclusive`,
    evidence: e1, verdict: v1, sentence: s1, test: td.test,
  };

  const hspec = runs.hmm.spec.allocator;
  const path = causalRegimePath(regimeFeatures({ returns: ctx.returns }), { seed: hspec.name === 'hmm-regimes' ? hspec.seed : 7 });
  const prow = new Map(path.dates.map((d, t) => [d, t]));
  const regimeAt = Int32Array.from(dates, (d) => path.states[prow.get(d) ?? -1] ?? -1);
  const around = switchPeriods(regimeAt);
  // period series labelled at period ends; the decision date of a period is the last rebalance date before its end
  const flagOf = (end: string) => { let k = -1; for (let j = 0; j < dates.length && dates[j] < end; j++) k = j; return k >= 0 ? around[k] : 0; };
  const strategies = [runs.model, runs.optimizer, runs.hmm, runs.mvoSample, runs.mvoLw].filter((r): r is ModelRun => r !== undefined);
  const e2: EvidenceRow[] = strategies.map((run) => {
    const s = rebalancePeriodSeries(run.backtest).active;
    const inS: number[] = [], out: number[] = [];
    s.dates.forEach((d, t) => (flagOf(d) ? inS : out).push(s.returns[t]));
    const w = welchT(inS, out);
    return { strategy: run.spec.name, 'switch periods': inS.length, 'mean excess, switch': mean(inS), 'other periods': out.length, 'mean excess, other': mean(out), 'difference t (Welch)': w };
  });
  const sm = rebalancePeriodSeries(runs.model.backtest).strategy, sh = rebalancePeriodSeries(runs.hmm.backtest).strategy;
  const pick = (s: PeriodSeries): PeriodSeries => {
    const dd: string[] = [], v: number[] = [];
    s.dates.forEach((d, t) => { if (flagOf(d)) { dd.push(d); v.push(s.returns[t]); } });
    return { name: s.name, dates: dd, returns: Float64Array.from(v) };
  };
  const sw = safeTest(pick(sm), pick(sh), 6);
  const v2: Verdict = sw.test ? verdictOf(sw.test.mean, sw.test.t, 1) : 'inconclusive';
  const nSwitch = regimeAt.reduce((c, g, k) => c + (k > 0 && g >= 0 && regimeAt[k - 1] >= 0 && g !== regimeAt[k - 1] ? 1 : 0), 0);
  const s2 = `The causal HMM regime changes at ${nSwitch} of ${dates.length} rebalance dates on ${label}; in the ${pick(sm).dates.length} periods within ±1 rebalance of a change ` +
    `the model ${sw.test ? `earns ${pct(Math.abs(sw.test.mean), 2)}/month ${sw.test.mean >= 0 ? 'more' : 'less'} than HMM (t ${f2(sw.test.t)}, p ${pv(sw.test.pValue)})` : `cannot be compared with a t (${sw.why})`}. ` +
    `The claim that the model handles regime switches better than HMM is ${v2} here.`;
  const h2: Hypothesis = {
    id: 'b2-regime-switches', claim: 'HMM relies on regime switching: around regime switches the model beats HMM.',
    rule: `supported when model − HMM return over switch periods > 0 with t >= ${T_VERDICT}; not supported when < 0 with t <= −${T_VERDICT}; else inconclusive (a t needs >= 6 switch periods)`,
    evidence: e2, verdict: v2, sentence: s2, test: sw.test,
  };
  return [h1, h2];
}

/** Welch t of mean(x) − mean(y) (NaN with fewer than 2 in either group or zero variance). */
export function welchT(x: readonly number[], y: readonly number[]): number {
  if (x.length < 2 || y.length < 2) return NaN;
  const m = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const v = (a: readonly number[], mu: number) => a.reduce((s, z) => s + (z - mu) * (z - mu), 0) / (a.length - 1);
  const mx = m(x), my = m(y), se = Math.sqrt(v(x, mx) / x.length + v(y, my) / y.length);
  return se > 0 ? (mx - my) / se : NaN;
}

/** Table rows of hypotheses: id, claim, verdict, test t and p, sentence. */
export function verdictRows(hs: readonly Hypothesis[]): EvidenceRow[] {
  return hs.map((h) => ({ id: h.id, claim: h.claim, verdict: h.verdict, t: h.test?.t ?? NaN, p: h.test?.pValue ?? NaN, sentence: h.sentence }));
}
