/**
 * Index-enhancement LP: a hand-solved 3-stock case, constraint verification on random cases,
 * benchmark renormalization, infeasible turnover/deviation named and relaxed, 500-stock timing.
 * Run: node --import tsx --test test/unit/stockstudy/enhancement.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RotationError } from '../../../src/errors.js';
import { createRng } from '../../../src/random.js';
import { loadSolver, type Solver } from '../../../src/portfolio/optimizer.js';
import {
  constraintViolations, enhanceIndex, ENHANCEMENT_TOLERANCE, minimumTurnover, benchmarkWeightsAsOf,
} from '../../../src/stockstudy/enhancement.js';
import { throwsCode } from '../assertions.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }
function close(a: number, b: number, tol = 1e-9, what = ''): void { ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`); }

let solver: Solver;
before(async () => { solver = await loadSolver(); });

describe('enhanceIndex', () => {
  it('solves a hand-worked 3-stock, 2-industry case', () => {
    // b = (0.5, 0.3, 0.2), A = {0, 1}, B = {2}; δ = 0.05, d = 0.02; scores 1, 3, 5.
    // With w0 = 1 − w1 − w2 the objective is 1 + 2 w1 + 4 w2: w2 as large as allowed, min(0.25, 0.2 + d) = 0.22
    // (industry B binding); then w0 + w1 = 0.78 with w0 >= 0.45 (stock deviation) -> w1 = 0.33, w0 = 0.45.
    // Objective 0.45 + 0.99 + 1.10 = 2.54.
    const r = enhanceIndex(solver, {
      stocks: ['s0', 's1', 's2'], scores: [1, 3, 5], benchmark: [0.5, 0.3, 0.2], industryCodes: [0, 0, 1], industries: ['A', 'B'],
      stockDeviation: 0.05, industryDeviation: 0.02,
    });
    close(r.weights[0], 0.45, 1e-9, 'w0'); close(r.weights[1], 0.33, 1e-9, 'w1'); close(r.weights[2], 0.22, 1e-9, 'w2');
    close(r.objective, 2.54, 1e-9, 'objective');
    assert.equal(r.relaxations.length, 0);
    assert.equal(r.benchmarkRenormalized, false);
  });

  it('honours asymmetric industry bands (hand-worked) and rejects bad bands', () => {
    // As above, bands A [−0.02, 0], B [−0, +0.01]: w2 = min(0.25, 0.2 + 0.01) = 0.21, then w0 >= 0.45 -> w1 = 0.34.
    // Objective 0.45 + 1.02 + 1.05 = 2.52.
    const base = { stocks: ['s0', 's1', 's2'], benchmark: [0.5, 0.3, 0.2], industryCodes: [0, 0, 1], industries: ['A', 'B'], stockDeviation: 0.05, industryDeviation: 0.02 };
    const r = enhanceIndex(solver, { ...base, scores: [1, 3, 5], industryBands: { below: [0.02, 0], above: [0, 0.01] } });
    close(r.weights[0], 0.45, 1e-9, 'w0'); close(r.weights[1], 0.34, 1e-9, 'w1'); close(r.weights[2], 0.21, 1e-9, 'w2');
    close(r.objective, 2.52, 1e-9, 'objective');
    // Scores favour A, but A may not be over-weighted (above 0) and B not under-weighted (below 0): industry weights stay
    // at the benchmark; inside A, w0 = 0.5 + δ = 0.55, w1 = 0.25. Objective 2.75 + 0.75 + 0.2 = 3.7.
    const f = enhanceIndex(solver, { ...base, scores: [5, 3, 1], industryBands: { below: [0.02, 0], above: [0, 0.01] } });
    close(f.weights[0], 0.55, 1e-9, 'w0'); close(f.weights[1], 0.25, 1e-9, 'w1'); close(f.weights[2], 0.2, 1e-9, 'w2');
    close(f.objective, 3.7, 1e-9, 'objective');
    throwsCode(() => enhanceIndex(solver, { ...base, scores: [1, 3, 5], industryBands: { below: [0.02], above: [0, 0.01] } }), 'ENH_BAD_INPUT');
    throwsCode(() => enhanceIndex(solver, { ...base, scores: [1, 3, 5], industryBands: { below: [0.02, -0.01], above: [0, 0.01] } }), 'ENH_BAD_INPUT');
  });

  it('renormalizes benchmark weights that do not sum to 1 and reports it', () => {
    const r = enhanceIndex(solver, {
      stocks: ['s0', 's1', 's2'], scores: [1, NaN, 2], benchmark: [1, 0.6, 0.4], industryCodes: [0, 0, 1], industries: ['A', 'B'],
      stockDeviation: 0.05, industryDeviation: 0.02,
    });
    ok(r.benchmarkRenormalized, 'renormalized');
    close(r.benchmarkSum, 2, 1e-12, 'sum');
    close(r.benchmark[0], 0.5, 1e-12, 'b0');
    assert.equal(r.unscored, 1);
  });

  it('verifies every constraint within 1e-9 on random cases (with and without turnover)', () => {
    const g = createRng(11); const rng = (): number => g.uniform();
    for (let c = 0; c < 20; c++) {
      const n = 20 + Math.floor(rng() * 60), G = 2 + Math.floor(rng() * 6);
      const b = Array.from({ length: n }, () => (rng() < 0.3 ? 0 : rng()));
      const tot = b.reduce((a, x) => a + x, 0);
      const bn = b.map((x) => x / tot);
      const codes = Array.from({ length: n }, () => Math.floor(rng() * G));
      const prev = Array.from({ length: n }, () => rng());
      const ptot = prev.reduce((a, x) => a + x, 0);
      const pn = prev.map((x) => x / ptot);
      const withTurnover = c % 2 === 1;
      const input = {
        stocks: Array.from({ length: n }, (_, i) => `S${i}`), scores: Array.from({ length: n }, () => rng() * 2 - 1), benchmark: bn,
        industryCodes: codes, industries: Array.from({ length: G }, (_, g) => `G${g}`),
        stockDeviation: 0.005 + rng() * 0.02, industryDeviation: rng() * 0.05,
        previous: withTurnover ? pn : undefined, turnoverBudget: withTurnover ? 0.2 + rng() : undefined,
      };
      const r = enhanceIndex(solver, input);
      const v = constraintViolations(r.weights, r.benchmark, codes, G, r.stockDeviation, r.industryDeviation, input.previous, r.turnoverBudget);
      for (const [k, x] of Object.entries(v)) ok(x <= ENHANCEMENT_TOLERANCE, `case ${c}: ${k} violated by ${x}`);
    }
  });

  it('names an infeasible industry-deviation/turnover setting, then relaxes d before τ', () => {
    // Previous portfolio all in industry A; benchmark 50/50; d = 1%, τ = 0.2 cannot reach |A - 0.5| <= 0.01.
    const n = 10;
    const base = {
      stocks: Array.from({ length: n }, (_, i) => `S${i}`), scores: Array.from({ length: n }, (_, i) => i / n),
      benchmark: new Array(n).fill(0.1), industryCodes: Array.from({ length: n }, (_, i) => (i < 5 ? 0 : 1)), industries: ['A', 'B'],
      previous: Array.from({ length: n }, (_, i) => (i < 5 ? 0.2 : 0)), stockDeviation: 0.5, industryDeviation: 0.01, turnoverBudget: 0.2,
    };
    assert.throws(() => enhanceIndex(solver, { ...base, relax: 'none' }), (e: unknown) => {
      ok(e instanceof RotationError && e.code === 'ENH_INFEASIBLE', 'code');
      ok(String((e as RotationError).where.binding).includes('industry deviation'), 'binding names industry deviation');
      return true;
    });
    // Relaxing d: needs |A − 0.5| <= d with turnover 2|A_move| <= 0.2 -> A >= 0.9 -> d = 0.4 needed (beyond dMax 0.10) -> τ raised.
    const r = enhanceIndex(solver, { ...base, dStep: 0.01, maxIndustryDeviation: 0.1 });
    assert.equal(r.relaxations[0].constraint, 'industryDeviation');
    assert.equal(r.relaxations[1].constraint, 'turnoverBudget');
    close(r.industryDeviation, 0.1, 1e-12, 'd widened to max');
    close(r.turnoverBudget, 2 * (1 - 0.6), 1e-6, 'τ = exact minimum (move 0.4 from A to B)');
    close(minimumTurnover(solver, { ...base, industryDeviation: 0.1 }), 0.8, 1e-7, 'minimum turnover');
    // d alone suffices when dMax is large enough: move 0.1 -> A = 0.9, d = 0.4.
    const r2 = enhanceIndex(solver, { ...base, dStep: 0.05, maxIndustryDeviation: 0.5 });
    assert.equal(r2.relaxations.length, 1);
    assert.equal(r2.relaxations[0].constraint, 'industryDeviation');
    close(r2.industryDeviation, 0.41, 1e-9, 'smallest d on the grid with 2(0.5 - d) <= 0.2 -> d >= 0.4 -> 0.41');
  });

  it('rejects bad input with named errors', () => {
    assert.throws(() => enhanceIndex(solver, { stocks: ['a'], scores: [1], benchmark: [-1], industryCodes: [0], industries: ['A'] }),
      (e: unknown) => e instanceof RotationError && e.code === 'ENH_BAD_INPUT');
    assert.throws(() => enhanceIndex(solver, { stocks: ['a'], scores: [1], benchmark: [1], industryCodes: [0], industries: ['A'], turnoverBudget: 0.1 }),
      (e: unknown) => e instanceof RotationError && e.code === 'ENH_BAD_INPUT');
  });

  it('solves 500 stocks x 30 industries with a turnover budget and meets every constraint (timing: npm run bench -- enhancement)', () => {
    const g = createRng(3); const rng = (): number => g.uniform();
    const n = 500, G = 30;
    const b = Array.from({ length: n }, () => rng());
    const tot = b.reduce((a, x) => a + x, 0);
    const prev = Array.from({ length: n }, () => rng());
    const ptot = prev.reduce((a, x) => a + x, 0);
    const input = {
      stocks: Array.from({ length: n }, (_, i) => `S${i}`), scores: Array.from({ length: n }, () => rng() * 2 - 1),
      benchmark: b.map((x) => x / tot), industryCodes: Array.from({ length: n }, (_, i) => i % G), industries: Array.from({ length: G }, (_, g) => `G${g}`),
      previous: prev.map((x) => x / ptot), stockDeviation: 0.005, industryDeviation: 0.02, turnoverBudget: 0.6,
    };
    const res = enhanceIndex(solver, input);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += res.weights[i];
      ok(res.weights[i] >= -1e-9, `weight ${i} negative`);
      ok(Math.abs(res.weights[i] - input.benchmark[i]) <= 0.005 + 1e-9, `stock ${i} deviation`);
    }
    ok(Math.abs(sum - 1) <= 1e-9, `weights sum to ${sum}`);
    ok(res.turnover <= 0.6 + 1e-9 || res.relaxations.length > 0, `turnover ${res.turnover}`);
  });

  it('reads benchmark weights as of a date', () => {
    const recs = [{ date: '2020-01-31', index: 'X', stock: 'a', weight: 0.6 }, { date: '2020-01-31', index: 'X', stock: 'b', weight: 0.4 },
      { date: '2020-02-28', index: 'X', stock: 'a', weight: 1 }];
    const r = benchmarkWeightsAsOf(recs, 'X', '2020-02-15', ['b', 'a', 'c']);
    assert.equal(r.indexDate, '2020-01-31');
    assert.deepEqual([...r.weights], [0.4, 0.6, 0]);
  });
});
