/**
 * "What the data says": sentences computed from study results, never hard-coded. Each notebook
 * 03–08 ends with `conclusionsMarkdown(title, whatTheDataSays…(…))`.
 *
 * Verdict rule for "A beats B" (A − B per period, its t): `verdictOf(mean, t)`
 *   - beats          : mean > 0 and |t| >= 2;
 *   - does not beat  : mean <= 0 (significantly behind when |t| >= 2);
 *   - inconclusive   : mean > 0 and |t| < 2 (ahead, but within sampling error).
 * Returns are per rebalance period (monthly) and shown annualized arithmetically (× periods per
 * year, "%/yr"); t is the plain paired t of src/metrics/activeSignificance.ts.
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';
import type { AdjustedReportRow } from '../evaluate/report.js';
import { differenceTest, sliceSeries, splitWindows, type ActiveReturnTest, type PeriodSeries } from '../metrics/activeSignificance.js';
import { compoundToPeriodEnds } from '../metrics/returns.js';
import { rebalancePeriodSeries } from '../backtest/summary.js';
import { bestBaselineName } from '../backtest/significanceRows.js';
import type { BacktestResult } from '../backtest/types.js';
import { rankIcDifference, type WalkForwardCompositeStudy } from './factorTesting.js';
import type { AllocationRun } from './modeling.js';
import type { StockStudy, StudyBacktest } from './stockSelection.js';

export type Verdict = 'beats' | 'does not beat' | 'inconclusive';

/** The verdict of "A beats B" from the mean difference and its t (module comment). */
export function verdictOf(mean: number, t: number): { verdict: Verdict; significant: boolean } {
  const significant = Number.isFinite(t) && Math.abs(t) >= 2;
  if (!(mean > 0)) return { verdict: 'does not beat', significant };
  return { verdict: significant ? 'beats' : 'inconclusive', significant };
}

const MINUS = '−';

/** Signed number with a real minus sign, e.g. fmtSigned(-0.0161, 1, 100) = "−1.6". */
function signed(x: number, digits: number, scale = 1, plus = false): string {
  if (!Number.isFinite(x)) return 'n/a';
  const v = x * scale, s = Math.abs(v).toFixed(digits);
  if (Number(s) === 0) return s;
  return v < 0 ? `${MINUS}${s}` : plus ? `+${s}` : s;
}

/** "−1.6%/yr" from a per-period mean and periods per year. */
export function perYear(meanPerPeriod: number, periodsPerYear: number): string {
  return `${signed(meanPerPeriod * periodsPerYear, 1, 100, true)}%/yr`;
}

/** "t = −0.5" */
export function tText(t: number): string {
  return `t = ${signed(t, 1)}`;
}

const WINDOW_TEXT: Record<'whole sample' | 'in-sample' | 'out-of-sample', string> = {
  'whole sample': 'over the whole sample', 'in-sample': 'in sample', 'out-of-sample': 'out of sample',
};

/** A named return series on rebalance periods. */
export interface NamedSeries { name: string; series: PeriodSeries }

/** Input of the model-vs-baselines sentences: rebalance-period returns on one calendar. */
export interface ModelVsBaselinesInput {
  dataset: string;
  model: NamedSeries;
  baselines: readonly NamedSeries[];
  /** Benchmark returns on the same calendar (for the best baseline: highest in-sample mean active return). */
  benchmark: PeriodSeries;
  split: string;
  periodsPerYear: number;
}

/** One comparison sentence: "On X the model does not beat Y out of sample: −1.6%/yr, t = −0.5." */
export function comparisonSentence(dataset: string, a: string, b: string, window: keyof typeof WINDOW_TEXT, test: ActiveReturnTest, periodsPerYear: number): string {
  const { verdict, significant } = verdictOf(test.mean, test.t);
  const verb = verdict === 'beats' ? 'beats' : verdict === 'inconclusive' ? 'is ahead of, but does not significantly beat,' : significant ? 'does not beat (significantly behind)' : 'does not beat';
  return `On ${dataset} ${a} ${verb} ${b} ${WINDOW_TEXT[window]} (${test.start}..${test.end}, ${test.n} periods): ${perYear(test.mean, periodsPerYear)}, ${tText(test.t)}.`;
}

/** The sentence for a window too short for a test (names the window and the reason from the error). */
function tooShortSentence(dataset: string, a: string, b: string, window: keyof typeof WINDOW_TEXT, why: string): string {
  return `On ${dataset} ${a} cannot be compared with ${b} ${WINDOW_TEXT[window]}: ${why}`;
}

function windowsOf(s: PeriodSeries, split: string): [keyof typeof WINDOW_TEXT, { start: number; end: number }][] {
  const w = splitWindows(s.dates, split);
  return [['whole sample', { start: 0, end: s.dates.length }], ['in-sample', w.inSample], ['out-of-sample', w.outOfSample]];
}

/**
 * (a) The model against each baseline and against the best baseline (highest in-sample mean
 * active return, stated), in every window: one `comparisonSentence` per (baseline, window); a
 * window too short gives a sentence saying so with the minimum.
 */
export function modelVsBaselinesSentences(input: ModelVsBaselinesInput): string[] {
  const { dataset, model, baselines, benchmark, split, periodsPerYear } = input;
  const out: string[] = [];
  if (baselines.length === 0) return [`On ${dataset} no baseline was run, so nothing says whether ${model.name} beats a simple rule.`];
  // best baseline by in-sample mean active return
  const w = splitWindows(benchmark.dates, split);
  let best = baselines[0], bestMean = -Infinity;
  for (const b of baselines) {
    const s = sliceSeries(b.series, w.inSample), bm = sliceSeries(benchmark, w.inSample);
    let m = 0;
    for (let t = 0; t < s.dates.length; t++) m += s.returns[t] - bm.returns[t];
    m /= s.dates.length;
    if (m > bestMean) { bestMean = m; best = b; }
  }
  out.push(`On ${dataset} the best baseline, chosen by its in-sample (to ${split}) mean active return, is ${best.name} (${perYear(bestMean, periodsPerYear)} over ${benchmarkName(benchmark)}).`);
  for (const b of [best, ...baselines.filter((x) => x !== best)]) {
    for (const [window, range] of windowsOf(model.series, split)) {
      try {
        const test = differenceTest(sliceSeries(model.series, range), sliceSeries(b.series, range));
        out.push(comparisonSentence(dataset, model.name, b.name, window, test, periodsPerYear));
      } catch (e) {
        if (e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS') out.push(tooShortSentence(dataset, model.name, b.name, window, e.what));
        else throw e;
      }
    }
  }
  return out;
}

function benchmarkName(s: PeriodSeries): string {
  return s.name ?? 'the benchmark';
}

/** The model-vs-baselines input of an allocation study's runs (the first 'model' run against every baseline). */
export function modelVsBaselinesInput(dataset: string, runs: readonly AllocationRun[], split: string): ModelVsBaselinesInput {
  const model = runs.find((r) => r.kind === 'model') ?? runs[0];
  const ms = rebalancePeriodSeries(model.run.backtest);
  return {
    dataset, split, periodsPerYear: ms.periodsPerYear, benchmark: ms.benchmark,
    model: { name: `the model (${model.name})`, series: ms.strategy },
    baselines: runs.filter((r) => r.kind === 'baseline').map((r) => ({ name: r.name, series: rebalancePeriodSeries(r.run.backtest).strategy })),
  };
}

/**
 * (b) Composite weighting: which of the (non-orthogonalized) weightings has the highest mean 1M
 * rank IC, by how much over each other one, and the paired t of that difference.
 */
export function weightingSentences(dataset: string, variants: readonly { name: string; ic: IcByDate }[]): string[] {
  if (variants.length < 2) return [];
  const meanIc = (v: { ic: IcByDate }) => { let s = 0, n = 0; for (const x of v.ic.ic) if (Number.isFinite(x)) { s += x; n++; } return n ? s / n : NaN; };
  const ranked = [...variants].sort((a, b) => meanIc(b) - meanIc(a));
  const win = ranked[0];
  const parts = ranked.slice(1).map((o) => {
    const d = rankIcDifference(win, o);
    return `${o.name} ${signed(meanIc(o), 3)} (difference ${signed(d.mean, 3, 1, true)}, paired ${tText(d.t)}${Math.abs(d.t) >= 2 ? '' : ', not significant'})`;
  });
  return [`On ${dataset} ${win.name} weights give the highest composite rank IC, ${signed(meanIc(win), 3)}, against ${parts.join(' and ')}.`];
}

/** (c) Walk-forward vs full-sample selection: the headline, the upper bound, the gap and its t, whole and after the split. */
export function walkForwardGapSentences(dataset: string, s: WalkForwardCompositeStudy): string[] {
  const wf = s.walkForward, fs = s.fullSample;
  const out = [
    `On ${dataset} the ${wf.name} composite — factors and weights chosen only from ICs known at each date — has rank IC ${signed(wf.whole.mean, 3)} (${tText(wf.whole.t)}, ICIR ${signed(wf.whole.icir, 2)}); ` +
      `the full-sample selection, an in-sample upper bound, shows ${signed(fs.whole.mean, 3)} (${tText(fs.whole.t)}): a gap of ${signed(s.gap.rankIc, 3)} (paired ${tText(s.difference.whole.t)}).`,
  ];
  if (wf.afterSplit && fs.afterSplit) {
    const v = verdictOf(wf.afterSplit.mean, wf.afterSplit.t);
    out.push(`After ${s.split} the walk-forward composite's rank IC is ${signed(wf.afterSplit.mean, 3)} (${tText(wf.afterSplit.t)}, ${v.significant && wf.afterSplit.mean > 0 ? 'significant' : 'not significantly above zero'}) ` +
      `against ${signed(fs.afterSplit.mean, 3)} (${tText(fs.afterSplit.t)}) for the upper bound` +
      (s.difference.afterSplit ? `: gap ${signed(s.gap.rankIcAfterSplit, 3)}, paired ${tText(s.difference.afterSplit.t)}.` : '.'));
  } else {
    out.push(`After ${s.split} there are too few ICs to evaluate the composites.`);
  }
  return out;
}

/**
 * (d) Leaderboard: of the factors tested at one horizon, how many have a Newey-West p below
 * `alpha`, and how many survive Holm and Benjamini-Hochberg at `alpha` (named, at most 8).
 */
export function leaderboardSentences(dataset: string, rows: readonly AdjustedReportRow[], alpha = 0.05): string[] {
  const byH = new Map<string, AdjustedReportRow[]>();
  for (const r of rows) { const a = byH.get(r.horizon); if (a) a.push(r); else byH.set(r.horizon, [r]); }
  const pc = `${(100 * alpha).toFixed(0)}%`;
  return [...byH].map(([h, rs]) => {
    const raw = rs.filter((r) => r.pValueNeweyWest < alpha).length;
    const holm = rs.filter((r) => r.pHolm < alpha), bh = rs.filter((r) => r.pBH < alpha);
    const names = (xs: AdjustedReportRow[]) => xs.length ? `: ${xs.slice(0, 8).map((r) => r.factor).join(', ')}${xs.length > 8 ? ', …' : ''}` : '';
    const verb = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    return `On ${dataset}, of ${rs.length} factors tested at ${h}, ${verb(raw, 'has', 'have')} a Newey-West p below ${pc} before adjustment; ` +
      `${verb(holm.length, 'survives', 'survive')} Holm${names(holm)}; ${verb(bh.length, 'survives', 'survive')} Benjamini-Hochberg at ${pc}${names(bh)}.`;
  });
}

/** Markdown of a "What the data says" cell: a heading and one bullet per sentence. */
export function conclusionsMarkdown(title: string, sentences: readonly string[]): string {
  return [`### What the data says: ${title}`, '', ...sentences.map((s) => `- ${s}`), ''].join('\n');
}

// ---- per-notebook helpers ----------------------------------------------------------------

/** Notebook 03: leaderboard survival, the walk-forward headline and its gap, the weighting comparison. */
export function whatTheDataSays03(input: {
  dataset: string; leaderboard: readonly AdjustedReportRow[]; walkForward: WalkForwardCompositeStudy;
  composites: readonly { name: string; orthogonalized: boolean; report: { horizons: { rankIc: IcByDate }[] } }[];
}): string[] {
  return [
    ...leaderboardSentences(input.dataset, input.leaderboard),
    ...walkForwardGapSentences(input.dataset, input.walkForward),
    ...weightingSentences(`${input.dataset} (full-sample selection)`, input.composites.filter((c) => !c.orthogonalized).map((c) => ({ name: c.name, ic: c.report.horizons[0].rankIc }))),
  ];
}

/** The active-return sentence of one backtest in a window (vs its own benchmark). */
function activeSentence(dataset: string, name: string, bench: string, window: keyof typeof WINDOW_TEXT, test: ActiveReturnTest, P: number): string {
  return comparisonSentence(dataset, name, bench, window, test, P);
}

/** Notebook 04: the model and every baseline against the benchmark (whole sample), then the model vs each baseline. */
export function whatTheDataSays04(dataset: string, runs: readonly AllocationRun[], split: string): string[] {
  const out: string[] = [];
  for (const r of runs) {
    const s = rebalancePeriodSeries(r.run.backtest);
    try { out.push(activeSentence(dataset, r.name, s.benchmark.name ?? 'the benchmark', 'whole sample', differenceTest(s.strategy, s.benchmark), s.periodsPerYear)); } catch (e) {
      if (!(e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS')) throw e;
      out.push(tooShortSentence(dataset, r.name, s.benchmark.name ?? 'the benchmark', 'whole sample', e.what));
    }
  }
  return [...out, ...modelVsBaselinesSentences(modelVsBaselinesInput(dataset, runs, split))];
}

/** Notebook 05: every window — the model vs the best baseline (in-sample choice) and every baseline. */
export function whatTheDataSays05(dataset: string, runs: readonly AllocationRun[], split: string): string[] {
  return modelVsBaselinesSentences(modelVsBaselinesInput(dataset, runs, split));
}

/** Notebook 06: the deployed model's record — out-of-sample active return vs the benchmark and vs the best baseline. */
export function whatTheDataSays06(dataset: string, runs: readonly AllocationRun[], split: string): string[] {
  const input = modelVsBaselinesInput(dataset, runs, split);
  const s = input.model.series, w = splitWindows(s.dates, split);
  const out: string[] = [];
  try {
    const test = differenceTest(sliceSeries(s, w.outOfSample), sliceSeries(input.benchmark, w.outOfSample));
    out.push(activeSentence(dataset, input.model.name, benchmarkName(input.benchmark), 'out-of-sample', test, input.periodsPerYear) +
      (verdictOf(test.mean, test.t).verdict === 'beats' ? '' : ' Deploying it rests on evidence that has not been significant out of sample.'));
  } catch (e) {
    if (!(e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS')) throw e;
    out.push(tooShortSentence(dataset, input.model.name, benchmarkName(input.benchmark), 'out-of-sample', e.what));
  }
  const best = bestBaselineName(runs.map((r) => ({ backtest: r.run.backtest, kind: r.kind })), split);
  return [...out, ...modelVsBaselinesSentences({ ...input, baselines: input.baselines.filter((b) => b.name === best) }).slice(1).filter((x) => x.includes('out of sample'))];
}

/** Notebook 07: each strategy pair (e.g. dynamic vs static weighting) compared in every window. */
export function whatTheDataSays07(dataset: string, pairs: readonly { a: BacktestResult; b: BacktestResult }[], split: string): string[] {
  const out: string[] = [];
  for (const { a, b } of pairs) {
    const sa = rebalancePeriodSeries(a), sb = rebalancePeriodSeries(b);
    for (const [window, range] of windowsOf(sa.strategy, split)) {
      try { out.push(comparisonSentence(dataset, a.name, b.name, window, differenceTest(sliceSeries(sa.strategy, range), sliceSeries(sb.strategy, range)), sa.periodsPerYear)); } catch (e) {
        if (!(e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS')) throw e;
        out.push(tooShortSentence(dataset, a.name, b.name, window, e.what));
      }
    }
  }
  return out;
}

// ---- notebook 08: the source study's claims -------------------------------------------------

/** The numbers of the source study (shared docs/seeds/003: 申万金工因子观察第2期, 2026-02-01). */
export const SOURCE_STUDY_003 = {
  /** Monthly IC of the growth-orthogonalized industry rotation factor, 2017 – 2026-01. */
  ic: 0.053,
  icir: 0.40,
  /** "The monthly IC of the original factor has a correlation of over 0.4 with the growth factor." */
  icCorrelationWithGrowth: 0.4,
} as const;

export type Agreement = 'yes' | 'no' | 'not shown';

/** One row of the claims table. */
export interface ClaimRow {
  claim: string;
  source: string;
  measured: string;
  /** The statistic of the difference (t or z) as text. */
  significance: string;
  agrees: Agreement;
}

/**
 * Agreement with "A beats B" from the monthly difference A − B and its t: yes when
 * verdictOf(...) = beats; no when A is behind (mean <= 0); not shown when ahead but |t| < 2.
 */
export function beatsClaimAgreement(mean: number, t: number): Agreement {
  const v = verdictOf(mean, t).verdict;
  return v === 'beats' ? 'yes' : v === 'does not beat' ? 'no' : 'not shown';
}

/**
 * Agreement with "A is not worse than B": no when A is significantly behind (mean < 0, |t| >= 2),
 * yes otherwise.
 */
export function notWorseClaimAgreement(mean: number, t: number): Agreement {
  return mean < 0 && Math.abs(t) >= 2 ? 'no' : 'yes';
}

/** Agreement with a point value: yes when |z| < 2 (within sampling error), no otherwise. */
export function pointClaimAgreement(z: number): Agreement {
  return Number.isFinite(z) ? (Math.abs(z) < 2 ? 'yes' : 'no') : 'not shown';
}

/** Month-end returns of a daily study backtest (compounded within each calendar month). */
export function monthlySeries(b: StudyBacktest): PeriodSeries {
  const ends: string[] = [];
  for (let t = 0; t < b.dates.length; t++) if (t === b.dates.length - 1 || b.dates[t + 1].slice(0, 7) !== b.dates[t].slice(0, 7)) ends.push(b.dates[t]);
  const r = compoundToPeriodEnds(b.dates, b.returns, ends);
  return { name: b.name, dates: r.labels, returns: r.returns };
}

function findBacktest(s: StockStudy, pred: (b: StudyBacktest) => boolean): StudyBacktest | undefined {
  return [...s.models, ...s.enhancements].find(pred);
}

/**
 * The claims of the source study against this study, with the significance of each difference:
 *
 * - rank IC (and Pearson IC) of f⊥: t = (m − 0.053)/(s/√n) (one-sample t of the monthly ICs; the
 *   study reports "IC" 5.3%, the issue compares the rank IC); agrees when |t| < 2;
 * - rank ICIR of f⊥: z = (ICIR − 0.40)/se, se = √((1 + ICIR²/2)/n) (iid); agrees when |z| < 2;
 * - corr(IC of the raw factor, IC of growth) > 0.4: Fisher z = (atanh r − atanh 0.4)√(n − 3);
 *   yes when r >= 0.4, no when z <= −2, else not shown;
 * - five- beats four-factor (equal weight); equal weight not worse than ICIR (five-factor);
 *   relaxing the industry deviation from 2% to 3/4/5% beats 2% (five-factor); five-factor ±2%
 *   beats rank bands (d = 2%); the 3:7 platter beats the 5:5 platter: paired t of the monthly
 *   return difference (`beatsClaimAgreement`, `notWorseClaimAgreement`).
 */
export function sourceStudyClaims(s: StockStudy): ClaimRow[] {
  const rows: ClaimRow[] = [];
  const orth = s.reports.find((r) => r.name.includes('⊥'));
  if (orth) {
    const h = orth.horizons[0].rankIcSummary;
    const tIc = (h.mean - SOURCE_STUDY_003.ic) / (h.std / Math.sqrt(h.n));
    rows.push({ claim: 'monthly rank IC of the growth-orthogonalized industry factor', source: '+5.3%', measured: `${signed(h.mean, 1, 100, true)}% (${h.n} months, ${tText(h.t)} vs 0)`,
      significance: `${tText(tIc)} vs 5.3%`, agrees: pointClaimAgreement(tIc) });
    const p = orth.horizons[0].icSummary;
    const tP = (p.mean - SOURCE_STUDY_003.ic) / (p.std / Math.sqrt(p.n));
    rows.push({ claim: 'monthly IC (Pearson) of the growth-orthogonalized industry factor', source: '+5.3%', measured: `${signed(p.mean, 1, 100, true)}% (${p.n} months, ${tText(p.t)} vs 0)`,
      significance: `${tText(tP)} vs 5.3%`, agrees: pointClaimAgreement(tP) });
    const se = Math.sqrt((1 + h.icir * h.icir / 2) / h.n), z = (h.icir - SOURCE_STUDY_003.icir) / se;
    rows.push({ claim: 'rank ICIR of the growth-orthogonalized industry factor', source: '0.40', measured: signed(h.icir, 2), significance: `z = ${signed(z, 1)} vs 0.40 (se ${se.toFixed(2)})`, agrees: pointClaimAgreement(z) });
  }
  const raw = s.icCorrelation[0];
  if (raw) {
    const z = (Math.atanh(raw.ic) - Math.atanh(SOURCE_STUDY_003.icCorrelationWithGrowth)) * Math.sqrt(raw.n - 3);
    rows.push({ claim: 'correlation of the raw factor\'s monthly IC with growth\'s', source: '> 0.4', measured: `${signed(raw.ic, 2)} (${raw.n} months)`,
      significance: `Fisher z = ${signed(z, 1)} vs 0.4`, agrees: raw.ic >= SOURCE_STUDY_003.icCorrelationWithGrowth ? 'yes' : z <= -2 ? 'no' : 'not shown' });
  }
  const pair = (claim: string, source: string, a: StudyBacktest | undefined, b: StudyBacktest | undefined, kind: 'beats' | 'not worse'): void => {
    if (!a || !b) { rows.push({ claim, source, measured: 'not run', significance: '', agrees: 'not shown' }); return; }
    let test: ActiveReturnTest;
    try {
      test = differenceTest(monthlySeries(a), monthlySeries(b));
    } catch (e) {
      if (!(e instanceof RotationError)) throw e;
      rows.push({ claim, source, measured: 'not comparable', significance: e.what, agrees: 'not shown' });
      return;
    }
    rows.push({ claim, source, measured: `${a.name} − ${b.name}: ${perYear(test.mean, 12)}`, significance: `${tText(test.t)} (${test.n} months)`,
      agrees: kind === 'beats' ? beatsClaimAgreement(test.mean, test.t) : notWorseClaimAgreement(test.mean, test.t) });
  };
  const byName = (n: string) => findBacktest(s, (b) => b.name === n);
  pair('five-factor beats four-factor (equal weight, top decile)', 'yes, significantly, especially recently', byName('five-factor, equal weight'), byName('four-factor, equal weight'), 'beats');
  pair('equal weights not worse than ICIR weights (five-factor)', 'ICIR shows no better results', byName('five-factor, equal weight'), byName('five-factor, ICIR weight'), 'not worse');
  const five = (d: string) => findBacktest(s, (b) => b.approach.startsWith('five-factor, industry') && b.setting === `d = ${d}`);
  for (const d of ['3%', '4%', '5%']) pair(`relaxing the industry deviation from 2% to ${d} raises excess return (five-factor)`, d === '3%' ? 'implied' : 'yes (best use)', five(d), five('2%'), 'beats');
  pair('five-factor ±2% beats rank bands from the industry score (d = 2%)', 'rank bands weaker', five('2%'), findBacktest(s, (b) => b.approach.startsWith('(a)') && b.setting === 'd = 2%'), 'beats');
  pair('3:7 platter beats the 5:5 platter', 'only 3:7 has a slight edge', findBacktest(s, (b) => b.setting === '3:7 satellite:core'), findBacktest(s, (b) => b.setting === '5:5 satellite:core'), 'beats');
  return rows;
}

/** Notebook 08: one sentence per claim, saying plainly where the source study is not reproduced. */
export function whatTheDataSays08(s: StockStudy): string[] {
  return sourceStudyClaims(s).map((c) => {
    const head = c.agrees === 'yes' ? 'Reproduced' : c.agrees === 'no' ? 'Not reproduced' : 'Not shown either way';
    return `${head} on ${s.name}: ${c.claim} — the source study says ${c.source}; measured here ${c.measured}${c.significance ? ` (${c.significance})` : ''}.`;
  });
}
