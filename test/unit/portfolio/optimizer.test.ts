/**
 * Score optimizer (HiGHS): hand-solved LP cases, transaction costs, the holdings MIP, feasibility
 * diagnostics that name the binding constraints, and the relaxation order.
 * Run: node --import tsx --test test/unit/portfolio/optimizer.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RotationError } from '../../../src/errors.js';
import { checkFeasibility, minimumForcedTurnover, RELAXATION_ORDER, resolveConstraints } from '../../../src/portfolio/constraints.js';
import { loadSolver, optimizeScoreWeights, scoreOptimizerAllocator, type Solver } from '../../../src/portfolio/optimizer.js';

/** assert.ok with a message always given (node's generated message re-parses the transpiled source: very slow). */
function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }

const ABC = ['A', 'B', 'C'];
const near = (a: ArrayLike<number>, b: number[], tol = 1e-9) => {
  for (let i = 0; i < b.length; i++) ok(Math.abs(a[i] - b[i]) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

let solver: Solver;
before(async () => { solver = await loadSolver(); });

describe('hand-solved LP cases', () => {
  it('max 3a + 2b + c, a + b + c = 1, 0 <= w <= 0.5', () => {
    // Hand solution: fill the best score to its cap, then the next: a = 0.5, b = 0.5, c = 0;
    // objective 3(0.5) + 2(0.5) = 2.5.
    const r = optimizeScoreWeights(solver, { industries: ABC, scores: [3, 2, 1], constraints: { caps: 0.5 } });
    near(r.weights, [0.5, 0.5, 0]);
    ok(Math.abs(r.objective - 2.5) < 1e-9);
    assert.equal(r.relaxed.length, 0);
  });

  it('adds a turnover budget: w_prev = (0, 0.2, 0.8), tau = 0.6', () => {
    // Hand solution: cap 0.5 forces selling 0.3 of C, which must be bought elsewhere, so the
    // forced turnover is 0.3 + 0.3 = 0.6 = tau and nothing else can move. The freed 0.3 goes to
    // the best score, A: w = (0.3, 0.2, 0.5), objective 0.9 + 0.4 + 0.5 = 1.8, turnover 0.6.
    const r = optimizeScoreWeights(solver, {
      industries: ABC, scores: [3, 2, 1], previous: { industries: ABC, weights: [0, 0.2, 0.8] }, constraints: { caps: 0.5, turnoverBudget: 0.6 },
    });
    near(r.weights, [0.3, 0.2, 0.5], 1e-8);
    ok(Math.abs(r.objective - 1.8) < 1e-8);
    ok(Math.abs(r.turnover - 0.6) < 1e-8);
    assert.equal(r.relaxed.length, 0);
  });

  it('subtracts proportional costs: trade only when the score gain beats cost x traded amount', () => {
    // From (0.5, 0.5, 0), moving 0.5 from B to A gains 0.5 in score and trades 1.0 (two-sided).
    // c = 0.4: trade, w = (1, 0, 0), objective 3 - 0.4 = 2.6.  c = 0.6: stay, objective 2.5.
    const prev = { industries: ABC, weights: [0.5, 0.5, 0] };
    const cheap = optimizeScoreWeights(solver, { industries: ABC, scores: [3, 2, 1], previous: prev, costRate: 0.4 });
    near(cheap.weights, [1, 0, 0]);
    ok(Math.abs(cheap.objective - 2.6) < 1e-9);
    ok(Math.abs(cheap.cost - 0.4) < 1e-9);
    const dear = optimizeScoreWeights(solver, { industries: ABC, scores: [3, 2, 1], previous: prev, costRate: 0.6 });
    near(dear.weights, [0.5, 0.5, 0]);
    const penalized = optimizeScoreWeights(solver, { industries: ABC, scores: [3, 2, 1], previous: prev, turnoverPenalty: 0.3, costRate: 0.3 });
    near(penalized.weights, [0.5, 0.5, 0]); // penalty + cost = 0.6 per unit traded
  });

  it('limits the number of holdings with a MIP', () => {
    // Caps 0.4, at most 3 names: A 0.4, B 0.4, C 0.2 (D unused).
    const r = optimizeScoreWeights(solver, { industries: ['A', 'B', 'C', 'D'], scores: [3, 2, 1, 0.5], constraints: { caps: 0.4, maxHoldings: 3 } });
    near(r.weights, [0.4, 0.4, 0.2, 0]);
    assert.equal(r.usedMip, true);
    // Tie-heavy scores: the MIP must still hold at most K names.
    const t = optimizeScoreWeights(solver, { industries: ['A', 'B', 'C', 'D', 'E'], scores: [1, 1, 1, 1, 1], constraints: { caps: 0.5, maxHoldings: 2 } });
    assert.equal(Array.from(t.weights).filter((w) => w > 1e-10).length, 2);
  });

  it('gives NaN-score industries no weight and drops their floors', () => {
    const r = optimizeScoreWeights(solver, { industries: ABC, scores: [1, NaN, 2], constraints: { floors: 0.1 } });
    assert.equal(r.weights[1], 0);
    near(r.weights, [0.1, 0, 0.9]);
    ok(r.notes.some((s) => s.includes('floor(s) dropped')));
  });
});

describe('feasibility diagnostics name the binding constraints', () => {
  it('caps that cannot sum to 1', () => {
    const set = resolveConstraints(ABC, { caps: 0.2 }, new Uint8Array([1, 1, 1]));
    const rep = checkFeasibility(set);
    assert.equal(rep.feasible, false);
    assert.equal(rep.conflicts[0].name, 'caps-below-one');
    assert.deepEqual(rep.conflicts[0].binding, ['cap:A', 'cap:B', 'cap:C']);
    ok(Math.abs(rep.conflicts[0].limit - 0.6) < 1e-12);
    assert.throws(() => optimizeScoreWeights(solver, { industries: ABC, scores: [1, 2, 3], constraints: { caps: 0.2 }, onInfeasible: 'throw' }),
      (e: unknown) => e instanceof RotationError && e.code === 'OPT_INFEASIBLE' && JSON.stringify(e.where.constraints) === '["caps-below-one"]');
    const r = optimizeScoreWeights(solver, { industries: ABC, scores: [1, 2, 3], constraints: { caps: 0.2 } });
    assert.deepEqual(r.relaxed.map((x) => x.constraint), ['caps']);
    near(r.weights, [1 / 3, 1 / 3, 1 / 3]);
    ok(r.binding.includes('caps-below-one') && r.binding.includes('cap:B'));
  });

  it('a turnover budget below what the caps force', () => {
    const prev = { industries: ABC, weights: [0, 0.2, 0.8] };
    const set = resolveConstraints(ABC, { caps: 0.5, turnoverBudget: 0.4 }, new Uint8Array([1, 1, 1]), prev);
    // Forced: clip(w_prev) = (0, 0.2, 0.5): |0.3| + |1 - 0.7| = 0.6.
    const m = minimumForcedTurnover(set);
    ok(Math.abs(m.value - 0.6) < 1e-12);
    const rep = checkFeasibility(set);
    assert.equal(rep.conflicts[0].name, 'turnover-below-forced');
    ok(rep.conflicts[0].binding.includes('cap:C'));
    assert.deepEqual(rep.conflicts[0].constraints, ['turnover-budget', 'caps', 'full-investment']);
    const r = optimizeScoreWeights(solver, { industries: ABC, scores: [3, 2, 1], previous: prev, constraints: { caps: 0.5, turnoverBudget: 0.4 } });
    assert.equal(r.relaxed[0].constraint, 'turnover-budget');
    ok(Math.abs(r.relaxed[0].to - 0.6) < 1e-8);
    near(r.weights, [0.3, 0.2, 0.5], 1e-8);
  });

  it('a removed industry counts toward the forced turnover', () => {
    const prev = { industries: ['A', 'X'], weights: [0.7, 0.3] };
    const set = resolveConstraints(['A', 'B'], { turnoverBudget: 0.5 }, new Uint8Array([1, 1]), prev);
    const rep = checkFeasibility(set);
    // sell X 0.3, buy 0.3 back in A or B: 0.6 > 0.5
    ok(Math.abs(rep.minimumTurnover! - 0.6) < 1e-12);
    ok(rep.conflicts[0].binding.includes('removed:X'));
  });

  it('holdings below the floors, and floors above 1: relaxed in RELAXATION_ORDER', () => {
    assert.deepEqual([...RELAXATION_ORDER], ['turnover-budget', 'max-holdings', 'floors', 'caps']);
    const ind = ['A', 'B', 'C', 'D'];
    const set = resolveConstraints(ind, { floors: 0.3, maxHoldings: 2 }, new Uint8Array([1, 1, 1, 1]));
    const rep = checkFeasibility(set);
    assert.deepEqual(rep.conflicts.map((c) => c.name), ['floors-exceed-one', 'holdings-below-floors']);
    const r = optimizeScoreWeights(solver, { industries: ind, scores: [4, 3, 2, 1], constraints: { floors: 0.3, maxHoldings: 2 } });
    // max-holdings (2nd in the order) is relaxed before floors (3rd).
    assert.deepEqual(r.relaxed.map((x) => x.constraint), ['max-holdings', 'floors']);
    near(r.weights, [0.25, 0.25, 0.25, 0.25]);
  });

  it('holdings whose caps cannot reach 1', () => {
    const ind = ['A', 'B', 'C', 'D'];
    const r = optimizeScoreWeights(solver, { industries: ind, scores: [4, 3, 2, 1], constraints: { caps: 0.4, maxHoldings: 2 } });
    ok(r.binding.includes('holdings-caps-below-one'));
    assert.equal(r.relaxed[0].constraint, 'max-holdings');
    assert.equal(r.relaxed[0].to, 3);
    near(r.weights, [0.4, 0.4, 0.2, 0]);
  });

  it('rejects a floor above its cap and bad options by name', () => {
    assert.throws(() => optimizeScoreWeights(solver, { industries: ABC, scores: [1, 2, 3], constraints: { caps: 0.2, floors: { A: 0.3 } } }),
      (e: unknown) => e instanceof RotationError && e.code === 'OPT_FLOOR_ABOVE_CAP' && e.where.industry === 'A');
    assert.throws(() => optimizeScoreWeights(solver, { industries: ABC, scores: [1, 2, 3], constraints: { maxHoldings: 0 } }),
      (e: unknown) => e instanceof RotationError && e.code === 'OPT_BAD_CONSTRAINT');
    assert.throws(() => optimizeScoreWeights(solver, { industries: ABC, scores: [1, 2, 3], costRate: -1 }),
      (e: unknown) => e instanceof RotationError && e.code === 'OPT_BAD_INPUT');
  });
});

describe('allocator wrapper', () => {
  it('returns checked weights and diagnostics', () => {
    const alloc = scoreOptimizerAllocator(solver, { constraints: { caps: 0.4, turnoverBudget: 0.2 } });
    const res = alloc({ date: '2024-01-31', industries: ['A', 'B', 'C', 'D'], scores: [1, 2, NaN, 3], previous: { industries: ['A', 'B', 'E'], weights: [0.4, 0.4, 0.2] } });
    assert.equal(res.weights[2], 0);
    assert.equal(res.diagnostics.nanScores, 1);
    assert.deepEqual(res.diagnostics.alignment?.removed, ['E']);
    ok(res.diagnostics.turnover! <= 0.2 + 1e-8 || res.diagnostics.relaxed.length > 0);
  });
});
