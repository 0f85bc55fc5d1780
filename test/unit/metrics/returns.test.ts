/**
 * Golden tests: every expected value below is computed BY HAND in the test, following empyrical's
 * code (empyrical-reloaded src/empyrical/stats.py: annual_return, annual_volatility, sharpe_ratio,
 * downside_risk, sortino_ratio, max_drawdown with the starting value, calmar_ratio), and
 * cross-checked against literals computed independently (plain float64 Python of the same formulas).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  annualMean, annualVolatility, cagr, compoundToPeriodEnds, downsideRisk, firstNonPositiveWealth, monthlyReturns,
  sharpeRatio, sortinoRatio, totalReturn, wealthPath, yearlyReturns,
} from '../../../src/metrics/returns.js';
import { calmarRatio, drawdownEpisodes, drawdownTable, maxDrawdown, maxDrawdownEpisode, underwater } from '../../../src/metrics/drawdown.js';
import { throwsCode } from '../assertions.js';

const R = [0.01, -0.02, 0.03, -0.01, 0.015, -0.005, 0.02, -0.03, 0.01, 0.005, 0.012, -0.008];

function close(a: number, b: number, tol = 1e-12, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}


// --- empyrical, by hand -----------------------------------------------------------------------
// annual_return: ending_value ** (1 / (len(returns) / ann_factor)) - 1, ending_value = cumprod(1 + r)[-1]
function empAnnualReturn(r: number[], ann: number): number {
  let ev = 1;
  for (const x of r) ev *= 1 + x;
  return ev ** (1 / (r.length / ann)) - 1;
}
function npMean(r: number[]): number { let s = 0; for (const x of r) s += x; return s / r.length; }
function npStdDdof1(r: number[]): number { const m = npMean(r); let s = 0; for (const x of r) s += (x - m) ** 2; return Math.sqrt(s / (r.length - 1)); }
// annual_volatility: nanstd(r, ddof=1) * ann ** (1 / 2)
function empAnnualVolatility(r: number[], ann: number): number { return npStdDdof1(r) * ann ** 0.5; }
// sharpe_ratio: nanmean(r - rf) / nanstd(r - rf, ddof=1) * sqrt(ann)
function empSharpe(r: number[], ann: number): number { return (npMean(r) / npStdDdof1(r)) * Math.sqrt(ann); }
// downside_risk: sqrt(nanmean(square(clip(r - req, -inf, 0)))) * sqrt(ann)
function empDownsideRisk(r: number[], ann: number): number { return Math.sqrt(npMean(r.map((x) => Math.min(x, 0) ** 2))) * Math.sqrt(ann); }
// sortino_ratio: nanmean(r - req) * ann / downside_risk
function empSortino(r: number[], ann: number): number { return (npMean(r) * ann) / empDownsideRisk(r, ann); }
// max_drawdown: cumulative = [100, 100 * cumprod(1 + r)]; nanmin((cumulative - fmax.accumulate) / fmax.accumulate)
function empMaxDrawdown(r: number[]): number {
  const cum = [100];
  for (const x of r) cum.push(cum[cum.length - 1] * (1 + x));
  let mx = -Infinity, mdd = Infinity;
  for (const c of cum) { mx = Math.max(mx, c); mdd = Math.min(mdd, (c - mx) / mx); }
  return mdd;
}
// calmar_ratio: annual_return / abs(max_dd) if max_dd < 0 else nan
function empCalmar(r: number[], ann: number): number { const m = empMaxDrawdown(r); return m < 0 ? empAnnualReturn(r, ann) / Math.abs(m) : NaN; }

test('golden: annual_return / CAGR (count-based) matches empyrical on P = 12, 4 and 252', () => {
  close(cagr(R, 12), 0.027686183990761615);
  for (const P of [12, 4, 252]) close(cagr(R, P), empAnnualReturn(R, P), 1e-12, `P=${P}`);
  // P = 4: 12 quarters = 3 years: W^(1/3) - 1
  let w = 1; for (const x of R) w *= 1 + x;
  close(cagr(R, 4), Math.cbrt(w) - 1);
});

test('golden: annual_volatility, sharpe_ratio, downside_risk, sortino_ratio match empyrical', () => {
  close(annualVolatility(R, 12), 0.06011730956297785);
  close(sharpeRatio(R, 12), 0.48239018363954056);
  close(downsideRisk(R, 12), 0.03858756276314947);
  close(sortinoRatio(R, 12), 0.7515374883353491);
  for (const P of [12, 252]) {
    close(annualVolatility(R, P), empAnnualVolatility(R, P));
    close(sharpeRatio(R, P), empSharpe(R, P));
    close(downsideRisk(R, P), empDownsideRisk(R, P));
    close(sortinoRatio(R, P), empSortino(R, P));
  }
});

test('golden: max_drawdown (with the starting value) and calmar_ratio match empyrical', () => {
  close(maxDrawdown(R), -0.030000000000000023);
  close(calmarRatio(R, 12), 0.9228727996920532);
  const R2 = [-0.05, 0.02, -0.03, 0.04, 0.01, -0.02, 0.06, -0.01];
  close(maxDrawdown(R2), empMaxDrawdown(R2));
  close(calmarRatio(R2, 12), empCalmar(R2, 12));
  // the initial 1.0 counts: a first-period loss is a drawdown
  close(maxDrawdown([-0.1, 0.05]), -0.1);
  close(maxDrawdown([-0.1, 0.05]), empMaxDrawdown([-0.1, 0.05]));
  assert.equal(maxDrawdown([0.01, 0.02]), 0);
  assert.ok(Number.isNaN(calmarRatio([0.01, 0.02], 12)), 'empyrical: calmar is NaN without a drawdown');
});

test('short series: NaN as empyrical (Sharpe, vol need 2 periods), never an error', () => {
  assert.ok(Number.isNaN(sharpeRatio([0.01], 12)));
  assert.ok(Number.isNaN(annualVolatility([0.01], 12)));
  assert.ok(Number.isNaN(sortinoRatio([0.01], 12)));
  assert.ok(Number.isNaN(cagr([], 12)));
  close(cagr([0.01], 12), 1.01 ** 12 - 1);
  assert.equal(sortinoRatio([0.01, 0.02], 12), Infinity, 'no downside: +Infinity, as numpy division');
});

test('total return, arithmetic annual mean, wealth path compound from 1', () => {
  close(totalReturn([0.1, -0.1]), 1.1 * 0.9 - 1);
  close(annualMean([0.01, 0.03], 12), 0.02 * 12);
  const w = wealthPath([0.1, -0.1, 0.2]);
  close(w[0], 1.1); close(w[1], 0.99); close(w[2], 1.188);
});

test('periodsPerYear is explicit and validated', () => {
  throwsCode(() => cagr(R, 0), 'METRIC_BAD_PERIODS_PER_YEAR');
  throwsCode(() => sharpeRatio(R, NaN), 'METRIC_BAD_PERIODS_PER_YEAR');
  throwsCode(() => annualVolatility(R, -12), 'METRIC_BAD_PERIODS_PER_YEAR');
});

test('a gap in a return series is a named error listing the dates', () => {
  const e = throwsCode(() => monthlyReturns(['2024-01-02', '2024-01-03', '2024-01-04'], [0.01, NaN, 0.02]), 'METRIC_RETURN_GAP');
  assert.deepEqual(e.where.dates, ['2024-01-03']);
  throwsCode(() => sharpeRatio([0.01, Infinity, 0.0], 12), 'METRIC_RETURN_GAP');
});

test('negative wealth is reported, never logged: CAGR is NaN, the ruin date is found, drawdown below -100% is shown', () => {
  const r = [0.1, -1.5, 0.2, 0.1];
  assert.equal(firstNonPositiveWealth(r), 1);
  assert.ok(Number.isNaN(cagr(r, 12)));
  close(totalReturn(r), 1.1 * -0.5 * 1.2 * 1.1 - 1);
  close(maxDrawdown(r), (1.1 * -0.5 * 1.2 * 1.1) / 1.1 - 1);
  assert.ok(maxDrawdown(r) < -1);
  assert.ok(Number.isNaN(calmarRatio(r, 12)));
  assert.equal(firstNonPositiveWealth([0.1, -1]), 1, 'wealth exactly 0 is ruin too');
});

test('underwater and drawdown episodes with peak, trough and recovery dates', () => {
  const dates = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];
  const r = [0.1, -0.2, 0.1, 0.2, -0.05, 0.01];
  const uw = underwater(r);
  // wealth 1.1, 0.88, 0.968, 1.1616, 1.10352, 1.1145552; running max 1.1, 1.1, 1.1, 1.1616, 1.1616, 1.1616
  close(uw[0], 0); close(uw[1], 0.88 / 1.1 - 1); close(uw[2], 0.968 / 1.1 - 1); close(uw[3], 0);
  close(uw[4], 1.10352 / 1.1616 - 1); close(uw[5], 1.1145552 / 1.1616 - 1);
  const eps = drawdownEpisodes(r, dates, 'd0');
  assert.equal(eps.length, 2);
  assert.deepEqual({ s: eps[0].start, t: eps[0].trough, r: eps[0].recovery, len: eps[0].length }, { s: 'd1', t: 'd2', r: 'd4', len: 3 });
  close(eps[0].depth, -0.2);
  assert.equal(eps[1].recovery, null);
  assert.equal(eps[1].recovered, false);
  assert.equal(eps[1].length, 2, 'not recovered: periods from the high to the last date');
  const mdd = maxDrawdownEpisode(r, dates, 'd0')!;
  close(mdd.depth, maxDrawdown(r));
  // first-period loss: the episode starts at the origin
  const first = drawdownEpisodes([-0.1, 0.2], ['a', 'b'], 'origin');
  assert.equal(first[0].start, 'origin');
  assert.equal(first[0].recovery, 'b');
  // table: deepest first, at most `top`
  const tbl = drawdownTable([-0.1, 0.2, -0.05, 0.1, -0.3, 0.5, -0.01, 0.02], undefined, 'o', 2);
  assert.equal(tbl.length, 2);
  assert.ok(tbl[0].depth <= tbl[1].depth);
  close(tbl[0].depth, -0.3);
});

test('compounding into months, years and rebalance periods', () => {
  const dates = ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-29', '2025-01-02'];
  const r = [0.01, 0.02, -0.01, 0.03, 0.05];
  const m = monthlyReturns(dates, r);
  assert.deepEqual(m.labels, ['2024-01', '2024-02', '2025-01']);
  close(m.returns[0], 1.01 * 1.02 - 1); close(m.returns[1], 0.99 * 1.03 - 1); close(m.returns[2], 0.05);
  const y = yearlyReturns(dates, r);
  assert.deepEqual(y.labels, ['2024', '2025']);
  close(y.returns[0], 1.01 * 1.02 * 0.99 * 1.03 - 1);
  const p = compoundToPeriodEnds(dates, r, ['2024-01-31', '2024-02-29']);
  assert.deepEqual(p.labels, ['2024-01-31', '2024-02-29', '2025-01-02']);
  assert.deepEqual(Array.from(p.counts), [2, 2, 1]);
});
