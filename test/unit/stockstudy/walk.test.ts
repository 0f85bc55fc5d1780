/**
 * The stock-study walk and the approach rules: hand-worked rank bands, satellite, platter and
 * top-fraction weights; the universe (no industry excluded and counted, benchmark renormalized and
 * reported, too-small universe named); the walk (every solve verified, relaxations recorded per
 * date) and a look-ahead test (data after d_t perturbed: weights at dates <= d_t unchanged).
 * Run: node --import tsx --test test/unit/stockstudy/walk.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createRng } from '../../../src/random.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import type { MembershipRecord } from '../../../src/data/types.js';
import { loadSolver, type Solver } from '../../../src/portfolio/optimizer.js';
import { ENHANCEMENT_TOLERANCE } from '../../../src/stockstudy/enhancement.js';
import {
  enhancementWalk, platterWeights, rankIndustryBands, satelliteWeights, topFractionWeights, walkUniverse,
} from '../../../src/stockstudy/walk.js';
import { throwsCode } from '../assertions.js';

function close(a: number, b: number, tol = 1e-12, what = ''): void { assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`); }

let solver: Solver;
before(async () => { solver = await loadSolver(); });

/** Weekday calendar from 2020-01-01. */
function weekdays(n: number): string[] {
  const out: string[] = [];
  const d = new Date('2020-01-01T00:00:00Z');
  while (out.length < n) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

interface Fixture {
  close: Panel; dates: string[]; stocks: string[]; membership: MembershipRecord[]; bench: Float64Array; scores: Panel;
}

/** 40 stocks in 4 industries (stock S39 has no industry), 8 months of daily closes, random scores. */
function fixture(seed = 1): Fixture {
  const g = createRng(seed);
  const days = weekdays(175), N = 40;
  const stocks = Array.from({ length: N }, (_, i) => `S${String(i).padStart(2, '0')}`);
  const v = new Float64Array(days.length * N);
  for (let i = 0; i < N; i++) v[i] = 10;
  for (let t = 1; t < days.length; t++) for (let i = 0; i < N; i++) v[t * N + i] = v[(t - 1) * N + i] * (1 + 0.02 * g.normal());
  v[100 * N + 5] = NaN; // suspended one day
  const dates = monthEndRebalanceDates(days);
  const membership = stocks.slice(0, N - 1).map((s, i) => ({ stock: s, industry: `G${i % 4}`, scheme: 'x', validFrom: days[0] }));
  const bench = Float64Array.from({ length: N }, () => 0.5 + g.uniform());
  let tot = 0;
  for (const x of bench) tot += x;
  for (let i = 0; i < N; i++) bench[i] /= tot;
  const sv = Float64Array.from({ length: dates.length * N }, () => g.normal());
  return { close: createPanel(days, stocks, v), dates, stocks, membership, bench, scores: createPanel(dates, stocks, sv) };
}

describe('approach rules (hand-worked)', () => {
  it('rank bands: q = (midrank − 1)/(n − 1), band [−d(1 − q), d q]; unscored or absent industries ±d/2', () => {
    // scores (1, 3, 2, NaN), d = 0.04: ranks 1, 3, 2 -> q = 0, 1, 0.5.
    const r = rankIndustryBands([1, 3, 2, NaN], [1, 1, 1, 1], 0.04);
    assert.deepEqual([...r.below].map((x) => +x.toFixed(12)), [0.04, 0, 0.02, 0.02]);
    assert.deepEqual([...r.above].map((x) => +x.toFixed(12)), [0, 0.04, 0.02, 0.02]);
    // ties share the midrank: (5, 5, 1) -> ranks 2.5, 2.5, 1 -> q = 0.75, 0.75, 0
    const t = rankIndustryBands([5, 5, 1], [1, 1, 1], 0.02);
    close(t.above[0], 0.015); close(t.below[0], 0.005); close(t.above[2], 0); close(t.below[2], 0.02);
    // an industry not in the universe is not ranked
    const p = rankIndustryBands([1, 3, 2], [1, 0, 1], 0.04);
    close(p.above[2], 0.04); close(p.below[0], 0.04); close(p.above[1], 0.02);
  });

  it('satellite: w_i = (1/k) b_i / B_g over the k best industries with B_g > 0', () => {
    // b = (0.2, 0.1, 0.3, 0.4); industries 0, 0, 1, 2; scores (2, 1, 3): top-2 = {2, 0}.
    // industry 2: B = 0.4 -> w_3 = 0.5; industry 0: B = 0.3 -> w_0 = 0.5·0.2/0.3, w_1 = 0.5·0.1/0.3.
    const w = satelliteWeights([0.2, 0.1, 0.3, 0.4], [0, 0, 1, 2], [2, 1, 3], 2);
    close(w[0], 1 / 3); close(w[1], 1 / 6); close(w[2], 0); close(w[3], 0.5);
    // an industry without benchmark weight is skipped: top-1 of scores (9, 1, 3) with B_0 = 0 -> industry 2
    const z = satelliteWeights([0, 0, 0.3, 0.7], [0, 0, 1, 2], [9, 1, 3], 1);
    assert.deepEqual([...z], [0, 0, 0, 1]);
  });

  it('platter: w = (1 − s) core + s satellite (3:7 satellite:core -> s = 0.3)', () => {
    const core = createPanel(['2020-01-31'], ['a', 'b', 'c'], new Float64Array([0.5, 0.5, 0]));
    const sat = createPanel(['2020-01-31'], ['a', 'b', 'c'], new Float64Array([0, 0, 1]));
    const p = platterWeights(core, sat, 0.3);
    close(p.values[0], 0.35); close(p.values[1], 0.35); close(p.values[2], 0.3);
    throwsCode(() => platterWeights(core, sat, 1.5), 'STOCK_BAD_ARGUMENT');
  });

  it('top fraction: ⌈f·n⌉ best universe stocks, equal weight', () => {
    const f = fixture();
    const u = walkUniverse({ dates: f.dates, close: f.close, membership: f.membership, scheme: 'x', benchmarkAt: () => f.bench, minStocks: 10 });
    const w = topFractionWeights(u, f.scores, 0.1);
    const N = f.stocks.length;
    for (let k = 0; k < f.dates.length; k++) {
      let n = 0, s = 0, minIn = Infinity, maxOut = -Infinity;
      for (let i = 0; i < N; i++) {
        const x = w.values[k * N + i], sc = f.scores.values[k * N + i];
        if (x > 0) { n++; s += x; minIn = Math.min(minIn, sc); } else if (u.inUniverse[k * N + i]) maxOut = Math.max(maxOut, sc);
      }
      let m = 0;
      for (let i = 0; i < N; i++) if (u.inUniverse[k * N + i]) m++;
      assert.equal(n, Math.ceil(0.1 * m));
      close(s, 1, 1e-12, 'sum');
      assert.ok(minIn >= maxOut, 'holds the best scores');
    }
  });
});

describe('walkUniverse', () => {
  it('excludes a member without an industry (counted), renormalizes the benchmark (reported) and names a too-small universe', () => {
    const f = fixture();
    const half = Float64Array.from(f.bench, (x) => x / 2);
    const u = walkUniverse({ dates: f.dates, close: f.close, membership: f.membership, scheme: 'x', benchmarkAt: () => half, minStocks: 10 });
    const K = f.dates.length, N = f.stocks.length;
    assert.equal(u.loss.dropped['benchmark member without an industry on the date (excluded)'], K);
    assert.equal(u.loss.rowsRead, u.loss.rowsKept + Object.values(u.loss.dropped).reduce((a, b) => a + b, 0));
    assert.ok(u.loss.notes.some((n) => n.includes('renormalized')), 'renormalization reported');
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += u.benchmark.values[k * N + i];
      close(s, 1, 1e-12, 'renormalized');
      assert.equal(u.inUniverse[k * N + 39], 0);
    }
    const e = throwsCode(() => walkUniverse({ dates: f.dates, close: f.close, membership: f.membership, scheme: 'x', benchmarkAt: () => f.bench, minStocks: 100 }), 'STOCK_UNIVERSE_TOO_SMALL');
    assert.equal(e.where.minimum, 100);
    assert.equal(e.where.date, f.dates[0]);
  });
});

describe('enhancementWalk', () => {
  it('verifies every solve within 1e-9 and records relaxations per date', () => {
    const f = fixture();
    const u = walkUniverse({ dates: f.dates, close: f.close, membership: f.membership, scheme: 'x', benchmarkAt: () => f.bench, minStocks: 10 });
    const w = enhancementWalk(solver, u, f.close, { name: 't', scores: f.scores, stockDeviation: 0.01, industryDeviation: 0.01, turnoverBudget: 0.3 });
    assert.equal(w.records.length, f.dates.length);
    for (const r of w.records) assert.ok(r.maxViolation <= ENHANCEMENT_TOLERANCE, `${r.date}: ${r.maxViolation}`);
    const N = f.stocks.length;
    for (let k = 0; k < f.dates.length; k++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += w.targets.values[k * N + i];
      close(s, 1, 1e-9, 'budget');
    }
    // τ = 0 after the first date, while scores change: infeasible once the drift pushes an industry past d -> relaxed and dated.
    const tight = enhancementWalk(solver, u, f.close, { name: 'tight', scores: f.scores, stockDeviation: 0.01, industryDeviation: 0, turnoverBudget: 0, maxIndustryDeviation: 0.001, dStep: 0.001 });
    assert.ok(tight.relaxations.length > 0, 'relaxations recorded');
    for (const r of tight.relaxations) assert.ok(f.dates.includes(r.date));
    assert.equal(tight.relaxations.length, tight.records.reduce((a, r) => a + r.relaxations.length, 0));
    for (const r of tight.records) assert.ok(r.maxViolation <= ENHANCEMENT_TOLERANCE);
  });

  it('has no look-ahead: perturbing closes, scores and benchmark after d_t leaves the weights at dates <= d_t unchanged', () => {
    const f = fixture(3);
    const t = 3, cut = f.dates[t];
    const run = (fx: Fixture, benchAt: (d: string) => Float64Array) => {
      const u = walkUniverse({ dates: fx.dates, close: fx.close, membership: fx.membership, scheme: 'x', benchmarkAt: benchAt, minStocks: 10 });
      return enhancementWalk(solver, u, fx.close, { name: 'la', scores: fx.scores, stockDeviation: 0.01, industryDeviation: 0.02, turnoverBudget: 0.4 });
    };
    const a = run(f, () => f.bench);
    const g = createRng(99);
    const N = f.stocks.length;
    const cv = new Float64Array(f.close.values);
    for (let d = 0; d < f.close.dates.length; d++) if (f.close.dates[d] > cut) for (let i = 0; i < N; i++) cv[d * N + i] *= 1 + 0.2 * g.uniform();
    const sv = new Float64Array(f.scores.values);
    for (let k = t + 1; k < f.dates.length; k++) for (let i = 0; i < N; i++) sv[k * N + i] = g.normal();
    const other = Float64Array.from(f.bench, (x, i) => (i % 2 ? x * 3 : x));
    const b = run({ ...f, close: createPanel(f.close.dates, f.stocks, cv), scores: createPanel(f.dates, f.stocks, sv) }, (d) => (d > cut ? other : f.bench));
    for (let k = 0; k <= t; k++) {
      for (let i = 0; i < N; i++) assert.equal(b.targets.values[k * N + i], a.targets.values[k * N + i], `date ${f.dates[k]} stock ${i}`);
    }
    let differs = false;
    for (let c = (t + 1) * N; c < a.targets.values.length; c++) if (a.targets.values[c] !== b.targets.values[c]) differs = true;
    assert.ok(differs, 'later weights do change');
  });
});
