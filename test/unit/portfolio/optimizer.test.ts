/**
 * Score optimizer (HiGHS): hand-solved LP cases, transaction costs, the holdings MIP, feasibility
 * diagnostics that name the binding constraints, and the relaxation order.
 * Run: node --import tsx --test test/unit/portfolio/optimizer.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RotationError } from '../../../src/errors.js';
import { checkFeasibility, minimumForcedTurnover, RELAXATION_ORDER, resolveConstraints } from '../../../src/portfolio/constraints.js';
import {
  loadSolver, optimizeScoreWeights, releaseSolverModel, scoreOptimizerAllocator, solveProblem, type LinearRow, type OptimizationProblem, type Solver,
} from '../../../src/portfolio/optimizer.js';
import { createRng, type Rng } from '../../../src/random.js';

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

describe('the kept LP model (solveProblem reuses one HiGHS model for LPs)', () => {
  /** A random LP over n columns: a budget row, group rows and a turnover-like row; `shape` seeds the matrix. */
  function randomLp(g: Rng, n: number, shape: number): OptimizationProblem {
    const gs = createRng(shape);
    const groups = 2 + Math.floor(gs.uniform() * 4);
    const member = Array.from({ length: n }, () => Math.floor(gs.uniform() * groups));
    const rows: LinearRow[] = [{ name: 'budget', indices: Array.from({ length: n }, (_, i) => i), values: new Array(n).fill(1), lower: 1, upper: 1 }];
    for (let k = 0; k < groups; k++) {
      const idx = member.flatMap((m, i) => (m === k ? [i] : []));
      if (idx.length) rows.push({ name: `g${k}`, indices: idx, values: idx.map(() => 1 + Math.floor(gs.uniform() * 3)), lower: -Infinity, upper: 0.2 + g.uniform() });
    }
    const cap = 1.5 / n + g.uniform() * (2 / n);
    return {
      sense: g.uniform() < 0.5 ? 'maximize' : 'minimize',
      colNames: Array.from({ length: n }, (_, i) => `x${i}`),
      cost: Array.from({ length: n }, () => g.normal()),
      lower: new Array(n).fill(0),
      upper: Array.from({ length: n }, () => (g.uniform() < 0.1 ? Infinity : cap)),
      rows,
    };
  }

  it('returns bit for bit what a fresh model returns, over a sequence of LPs sharing and changing matrices', async () => {
    const fresh = await loadSolver({ reuseLpModel: false });
    const kept = await loadSolver();
    const g = createRng(20261206);
    const statuses = new Set<string>();
    let matrixKept = 0;
    for (let k = 0; k < 120; k++) {
      // Runs of three LPs share a matrix (shape seed) and differ in costs, bounds and sense.
      const run = Math.floor(k / 3);
      const p = randomLp(g, [5, 12, 30][run % 3], 1000 + run);
      const problem: OptimizationProblem = k % 17 === 5 ? { ...p, options: { simplex_strategy: 4 } } : p;
      const before = kept.kept?.indices;
      const a = solveProblem(fresh, problem), b = solveProblem(kept, problem);
      if (before !== undefined && kept.kept?.indices === before) matrixKept++;
      statuses.add(a.status);
      assert.equal(b.status, a.status, `LP ${k}`);
      assert.equal(b.modelStatus, a.modelStatus, `LP ${k}`);
      assert.deepEqual(Array.from(b.x), Array.from(a.x), `LP ${k} (${a.status}, ${problem.sense}, matrix kept: ${before !== undefined && kept.kept?.indices === before}): x`);
      assert.deepEqual(Array.from(b.rowActivity), Array.from(a.rowActivity), `LP ${k}: row activity`);
      assert.ok(Object.is(b.objective, a.objective), `LP ${k}: objective ${b.objective} vs ${a.objective}`);
    }
    assert.ok(statuses.has('optimal') && statuses.has('infeasible'), `both optimal and infeasible LPs were met: ${[...statuses]}`);
    assert.ok(matrixKept >= 40, `${matrixKept} of 120 LPs reused the kept matrix`);
  });

  it('keeps one model while the options stay, changes only costs and bounds for the same matrix, and a fresh solver holds none', async () => {
    const s = await loadSolver();
    const g = createRng(5);
    const kept = (): Solver['kept'] => s.kept; // read through a call: no narrowing across the solves
    assert.equal(kept(), null);
    solveProblem(s, randomLp(g, 8, 1));
    const first = kept()!;
    const matrix = first.indices;
    solveProblem(s, randomLp(g, 8, 1));
    assert.equal(kept(), first, 'same options: same model');
    assert.equal(kept()!.indices, matrix, 'same matrix: not passed again');
    solveProblem(s, randomLp(g, 8, 2));
    assert.equal(kept(), first);
    assert.notEqual(kept()!.indices, matrix, 'another matrix: the LP is passed whole');
    solveProblem(s, { ...randomLp(g, 8, 2), options: { simplex_strategy: 4 } });
    assert.notEqual(kept(), first, 'other options: a new model');
    releaseSolverModel(s);
    assert.equal(kept(), null);
    const mip = solveProblem(s, { ...randomLp(g, 8, 3), integer: new Array(8).fill(0) });
    assert.ok(mip.status === 'optimal' || mip.status === 'infeasible');
    assert.equal(kept(), null, 'MIPs are solved on a fresh model');
  });
  it('restarts the run clock with every solve: the time limit is per solve, not for the kept model', async () => {
    const s = await loadSolver();
    const n = 300;
    const lp: OptimizationProblem = {
      sense: 'maximize', colNames: Array.from({ length: n }, (_, i) => `x${i}`), cost: Array.from({ length: n }, (_, i) => Math.sin(i)),
      lower: new Array(n).fill(0), upper: new Array(n).fill(0.01),
      rows: [{ name: 'budget', indices: Array.from({ length: n }, (_, i) => i), values: new Array(n).fill(1), lower: 1, upper: 1 }],
      timeLimit: 0.05,
    };
    solveProblem(s, lp);
    const model = s.kept;
    // Solve until the solves together took several times the limit (HiGHS's clock adds up over runs
    // unless it is zeroed): every one is optimal on the same kept model.
    let spent = 0, solves = 0;
    while (spent < 0.25 || solves < 50) {
      const t0 = performance.now();
      const r = solveProblem(s, lp);
      spent += (performance.now() - t0) / 1000;
      solves++;
      assert.equal(r.status, 'optimal', `solve ${solves} after ${spent.toFixed(3)} s`);
      assert.equal(s.kept, model, `solve ${solves}: the kept model was dropped`);
    }
  });
});
