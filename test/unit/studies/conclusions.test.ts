/** Generated conclusions: every sentence template against hand-made inputs, and one run on the simulator. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { ActiveReturnTest, PeriodSeries } from '../../../src/metrics/activeSignificance.js';
import type { AdjustedReportRow } from '../../../src/evaluate/report.js';
import type { IcByDate } from '../../../src/evaluate/ic.js';
import {
  beatsClaimAgreement, comparisonSentence, conclusionsMarkdown, leaderboardSentences, modelVsBaselinesSentences, notWorseClaimAgreement,
  perYear, pointClaimAgreement, sourceStudyClaims, verdictOf, weightingSentences, whatTheDataSays03, whatTheDataSays05, whatTheDataSays08,
} from '../../../src/studies/conclusions.js';
import type { StockStudy, StudyBacktest } from '../../../src/studies/stockSelection.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { modelContext } from '../../../src/model/context.js';
import { compositeStudy, selectFactorsForComposite, walkForwardCompositeStudy } from '../../../src/studies/factorTesting.js';
import { withAdjustedPValues } from '../../../src/evaluate/report.js';
import { allocationStudy } from '../../../src/studies/modeling.js';
import { loadModelSpec, MODELS_DIR } from '../../../src/model/files.js';

/** Month ends 2018-01-31 … (n months). */
function monthEnds(n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const y = 2018 + Math.floor(k / 12), m = k % 12;
    out.push(new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10));
  }
  return out;
}

function handT(d: number[]): { mean: number; t: number } {
  const n = d.length, m = d.reduce((a, v) => a + v, 0) / n;
  const sd = Math.sqrt(d.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
  return { mean: m, t: m / (sd / Math.sqrt(n)) };
}

const fakeTest = (mean: number, t: number): ActiveReturnTest => ({
  label: 'x', n: 72, start: '2020-01-31', end: '2025-12-31', mean, std: NaN, t, pValue: NaN, lag: 3, tNeweyWest: NaN, pValueNeweyWest: NaN,
});

test('verdict rule: beats needs a positive mean and |t| >= 2; a non-positive mean does not beat; positive with |t| < 2 is inconclusive', () => {
  assert.deepEqual(verdictOf(0.01, 2.5), { verdict: 'beats', significant: true });
  assert.deepEqual(verdictOf(0.01, 1.99), { verdict: 'inconclusive', significant: false });
  assert.deepEqual(verdictOf(-0.01, -0.5), { verdict: 'does not beat', significant: false });
  assert.deepEqual(verdictOf(-0.01, -3), { verdict: 'does not beat', significant: true });
  assert.deepEqual(verdictOf(0, NaN), { verdict: 'does not beat', significant: false });
});

test('comparison sentence: the issue example, each verdict wording, annualized %/yr with a real minus sign', () => {
  assert.equal(comparisonSentence('CITIC L1', 'the model', '12-1M momentum', 'out-of-sample', fakeTest(-0.016 / 12, -0.5), 12),
    'On CITIC L1 the model does not beat 12-1M momentum out of sample (2020-01-31..2025-12-31, 72 periods): −1.6%/yr, t = −0.5.');
  assert.match(comparisonSentence('D', 'A', 'B', 'whole sample', fakeTest(0.004, 2.3), 12), /^On D A beats B over the whole sample .*: \+4\.8%\/yr, t = 2\.3\.$/);
  assert.match(comparisonSentence('D', 'A', 'B', 'in-sample', fakeTest(0.001, 1.2), 12), /A is ahead of, but does not significantly beat, B in sample/);
  assert.match(comparisonSentence('D', 'A', 'B', 'in-sample', fakeTest(-0.004, -2.6), 12), /A does not beat \(significantly behind\) B in sample .*−4\.8%\/yr, t = −2\.6\./);
  assert.equal(perYear(0.001, 6), '+0.6%/yr');
});

test('model vs baselines: best baseline chosen in sample, sentences carry the hand-computed t, a short window says so with the minimum', () => {
  const dates = monthEnds(30), split = dates[17];
  const wave = (k: number, a: number) => a * Math.sin(1.7 * k + a * 100);
  const bench: PeriodSeries = { name: 'EW', dates, returns: dates.map((_, k) => 0.01 + wave(k, 0.02)) };
  // baseline X is the best in sample; Y is better after the split only
  const x = dates.map((_, k) => bench.returns[k] + (k <= 17 ? 0.004 : -0.002) + wave(k, 0.003));
  const y = dates.map((_, k) => bench.returns[k] + (k <= 17 ? 0.001 : 0.02) + wave(k, 0.005));
  const m = dates.map((_, k) => bench.returns[k] + 0.002 + wave(k, 0.004));
  const out = modelVsBaselinesSentences({
    dataset: 'D', split, periodsPerYear: 12, benchmark: bench, model: { name: 'the model', series: { name: 'model', dates, returns: m } },
    baselines: [{ name: 'Y', series: { name: 'Y', dates, returns: y } }, { name: 'X', series: { name: 'X', dates, returns: x } }],
  });
  assert.match(out[0], /best baseline, chosen by its in-sample \(to 2019-06-30\) mean active return, is X/);
  const whole = handT(m.map((v, k) => v - x[k]));
  assert.ok(out[1].includes(`t = ${whole.t < 0 ? '−' : ''}${Math.abs(whole.t).toFixed(1)}.`), out[1]);
  assert.ok(out[1].includes('over the whole sample'));
  const inS = handT(m.slice(0, 18).map((v, k) => v - x[k]));
  assert.ok(out[2].includes(`t = ${inS.t < 0 ? '−' : ''}${Math.abs(inS.t).toFixed(1)}.`), out[2]);
  // the out-of-sample window has 12 periods: enough; 11 would not be
  assert.match(out[3], /out of sample \(2019-07-31\.\.2020-06-30, 12 periods\)/);
  const short = modelVsBaselinesSentences({
    dataset: 'D', split: dates[18], periodsPerYear: 12, benchmark: bench, model: { name: 'the model', series: { name: 'model', dates, returns: m } },
    baselines: [{ name: 'X', series: { name: 'X', dates, returns: x } }],
  });
  assert.match(short[3], /^On D the model cannot be compared with X out of sample: .*11 period\(s\).*needs at least 12/);
  assert.deepEqual(modelVsBaselinesSentences({ dataset: 'D', split, periodsPerYear: 12, benchmark: bench, model: { name: 'M', series: bench }, baselines: [] }),
    ['On D no baseline was run, so nothing says whether M beats a simple rule.']);
});

test('leaderboard: counts before adjustment and after Holm and BH at 5%, singular and plural', () => {
  const row = (factor: string, p: number, pHolm: number, pBH: number) => ({ factor, horizon: '1M', pValueNeweyWest: p, pHolm, pBH }) as unknown as AdjustedReportRow;
  const s = leaderboardSentences('D', [row('a', 0.001, 0.003, 0.003), row('b', 0.02, 0.04 * 1.5, 0.03), row('c', 0.5, 0.5, 0.5)]);
  assert.deepEqual(s, ['On D, of 3 factors tested at 1M, 2 have a Newey-West p below 5% before adjustment; 1 survives Holm: a; 2 survive Benjamini-Hochberg at 5%: a, b.']);
});

test('weighting: the highest mean rank IC wins, with the difference and its paired t', () => {
  const dates = monthEnds(24);
  const ic = (f: (k: number) => number): IcByDate => ({ dates, ic: Float64Array.from(dates, (_, k) => f(k)), n: new Int32Array(24), skipped: {} as IcByDate['skipped'] });
  const eq = ic((k) => 0.05 + 0.03 * Math.sin(k)), ir = ic((k) => 0.02 + 0.03 * Math.cos(k));
  const d = Array.from(eq.ic, (v, k) => v - ir.ic[k]);
  const h = handT(d);
  const [s] = weightingSentences('D', [{ name: 'ICIR', ic: ir }, { name: 'equal', ic: eq }]);
  assert.ok(s.startsWith('On D equal weights give the highest composite rank IC'), s);
  assert.ok(s.includes(`difference +${h.mean.toFixed(3)}, paired t = ${h.t.toFixed(1)}`), s);
});

test('claim agreement rules', () => {
  assert.equal(beatsClaimAgreement(0.01, 2.1), 'yes');
  assert.equal(beatsClaimAgreement(0.01, 1.0), 'not shown');
  assert.equal(beatsClaimAgreement(-0.01, -0.3), 'no');
  assert.equal(notWorseClaimAgreement(-0.01, -2.5), 'no');
  assert.equal(notWorseClaimAgreement(-0.01, -1.5), 'yes');
  assert.equal(pointClaimAgreement(-2.1), 'no');
  assert.equal(pointClaimAgreement(1.9), 'yes');
  assert.equal(pointClaimAgreement(NaN), 'not shown');
});

test('source-study claims table: IC t against 5.3%, ICIR z against 0.40, Fisher z against 0.4, paired t of monthly returns', () => {
  // daily dates: 3 trading days per month (5th, 15th, month end) over 24 months
  const allDays = monthEnds(24).flatMap((e) => [`${e.slice(0, 8)}05`, `${e.slice(0, 8)}15`, e]);
  const bt = (name: string, approach: string, setting: string, f: (t: number) => number): StudyBacktest => ({
    name, approach, setting, dates: allDays, returns: Float64Array.from(allDays, (_, t) => f(t)), benchmarkReturns: new Float64Array(allDays.length),
  }) as unknown as StudyBacktest;
  const study = {
    name: 'D',
    reports: [{ name: 'industry rotation ⊥ growth', horizons: [{ rankIcSummary: { mean: -0.011, std: 0.1, n: 100, icir: -0.11, t: -1.1 }, icSummary: { mean: 0.043, std: 0.1, n: 100, icir: 0.43, t: 4.3 } }] }],
    icCorrelation: [{ series: 'raw vs growth', ic: 0.2, rankIc: 0.2, n: 103 }],
    models: [
      bt('four-factor, equal weight', 'top decile', 'top 10%', (t) => 0.001 * Math.sin(t)),
      bt('five-factor, equal weight', 'top decile', 'top 10%', (t) => 0.001 * Math.sin(t) + 0.002 + 0.001 * Math.cos(3 * t)),
      bt('five-factor, ICIR weight', 'top decile', 'top 10%', (t) => 0.001 * Math.sin(t) + 0.002),
    ],
    enhancements: [],
  } as unknown as StockStudy;
  const rows = sourceStudyClaims(study);
  assert.equal(rows[0].significance, `t = −${((0.064) / 0.01).toFixed(1)} vs 5.3%`);
  assert.equal(rows[0].agrees, 'no');
  assert.equal(rows[1].significance, 't = −1.0 vs 5.3%');
  assert.equal(rows[1].agrees, 'yes');
  rows.splice(1, 1);
  const se = Math.sqrt((1 + 0.11 * 0.11 / 2) / 100);
  assert.ok(rows[1].significance.startsWith(`z = −${((0.51) / se).toFixed(1)} vs 0.40`), rows[1].significance);
  const z = (Math.atanh(0.2) - Math.atanh(0.4)) * Math.sqrt(100);
  assert.equal(rows[2].significance, `Fisher z = −${Math.abs(z).toFixed(1)} vs 0.4`);
  assert.equal(rows[2].agrees, 'no');
  // five- vs four-factor: monthly compounded difference, hand-worked
  const monthly = (f: (t: number) => number) => monthEnds(24).map((_, m) => [0, 1, 2].reduce((w, j) => w * (1 + f(3 * m + j)), 1) - 1);
  const a = monthly((t) => 0.001 * Math.sin(t) + 0.002 + 0.001 * Math.cos(3 * t)), b = monthly((t) => 0.001 * Math.sin(t));
  const h = handT(a.map((v, k) => v - b[k]));
  assert.equal(rows[3].significance, `t = ${h.t.toFixed(1)} (24 months)`);
  assert.equal(rows[3].agrees, 'yes');
  assert.equal(rows.find((r) => r.claim.startsWith('relaxing the industry deviation from 2% to 4%'))!.measured, 'not run');
  const said = whatTheDataSays08(study);
  assert.match(said[0], /^Not reproduced on D: monthly rank IC of the growth-orthogonalized industry factor — the source study says \+5\.3%; measured here −1\.1%/);
  assert.ok(conclusionsMarkdown('08', said).startsWith('### What the data says: 08\n\n- Not reproduced'));
});

test('simulator: the walk-forward headline, the upper bound and the gap sentences are computed from the study', () => {
  const ds = simulateMarket({ seed: 3, nStocks: 300, years: 8 }).dataset;
  const ctx = modelContext(ds);
  const wf = walkForwardCompositeStudy(ctx, { split: '2019-12-31' });
  assert.equal(wf.walkForward.selection, 'walk-forward');
  assert.ok(Math.abs(wf.gap.rankIc - (wf.fullSample.whole.mean - wf.walkForward.whole.mean)) < 1e-15);
  const study = ctx.study('M');
  const s = whatTheDataSays03({ dataset: 'sim', leaderboard: withAdjustedPValues(study.leaderboard), walkForward: wf, composites: compositeStudy(study, selectFactorsForComposite(study)) });
  const head = s.find((x) => x.includes('walk-forward selection'))!;
  assert.ok(head.includes(`has rank IC ${wf.walkForward.whole.mean.toFixed(3)}`), head);
  assert.ok(head.includes(`shows ${wf.fullSample.whole.mean.toFixed(3)}`), head);
  assert.ok(s.some((x) => x.startsWith('After 2019-12-31 the walk-forward composite')));
  assert.equal(s.filter((x) => /factors tested at (1M|3M|6M)/.test(x)).length, 3);
  // notebook 05 sentences on the model and one baseline
  const specs = [loadModelSpec(path.join(MODELS_DIR, 'default.json')), loadModelSpec(path.join(MODELS_DIR, 'baselines', 'momentum_12_1.json'))];
  const a = allocationStudy(ctx, specs);
  const s5 = whatTheDataSays05('sim', a.runs, '2019-12-31');
  assert.match(s5[0], /best baseline, chosen by its in-sample \(to 2019-12-31\) mean active return, is /);
  assert.equal(s5.length, 4);
});
