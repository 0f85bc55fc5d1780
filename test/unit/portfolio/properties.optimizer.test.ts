/**
 * Property test over 1,000 seeded random cases of the HiGHS score optimizer with random caps,
 * floors, holdings limits, turnover budgets, turnover penalties and costs (many infeasible as
 * given, so the relaxation order is exercised). Invariants as in propertyCases.ts, plus: the
 * turnover budget in force holds within 1e-7 and the holdings limit in force holds.
 * Run: node --import tsx --test test/unit/portfolio/properties.optimizer.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createRng } from '../../../src/random.js';
import { loadSolver, optimizeScoreWeights, scoreOptimizerAllocator, type Solver } from '../../../src/portfolio/optimizer.js';
import type { ConstraintSpec } from '../../../src/portfolio/constraints.js';
import type { BoundSpec } from '../../../src/portfolio/types.js';
import { assertInvariants, pick, randomCase, UNIVERSE } from './propertyCases.js';

const CASES = 1000;
let solver: Solver;
before(async () => { solver = await loadSolver(); });

describe(`score optimizer over ${CASES} random cases`, () => {
  it('holds the weight invariants and the constraints in force', () => {
    const rng = createRng(5);
    const counts: Record<string, number> = {};
    for (let c = 0; c < CASES; c++) {
      const industries = pick(rng, UNIVERSE, 1 + rng.int(UNIVERSE.length));
      const { ctx, caps } = randomCase(rng, '2024-01-31', industries);
      const n = industries.length;
      let floors: BoundSpec | undefined;
      const fm = rng.int(3);
      if (fm === 1) floors = 0.08 * rng.uniform();
      else if (fm === 2) { const rec: Record<string, number> = {}; for (const d of pick(rng, industries, 1 + rng.int(n))) rec[d] = 0.1 * rng.uniform(); floors = rec; }
      // A floor above its cap is a specification error (tested elsewhere): keep floor <= cap here.
      const capOf = (d: string): number => (caps === undefined ? 1 : typeof caps === 'number' ? caps : (caps[d] ?? 1));
      if (floors !== undefined) {
        const rec: Record<string, number> = {};
        for (const d of industries) rec[d] = Math.min(capOf(d), typeof floors === 'number' ? floors : (floors[d] ?? 0));
        floors = rec;
      }
      const constraints: ConstraintSpec = {
        caps, floors,
        maxHoldings: rng.uniform() < 0.25 ? 1 + rng.int(Math.min(n, 8)) : undefined,
        turnoverBudget: rng.uniform() < 0.5 ? 2 * rng.uniform() : undefined,
      };
      const alloc = scoreOptimizerAllocator(solver, {
        constraints, turnoverPenalty: rng.uniform() < 0.3 ? 0.5 * rng.uniform() : 0, costRate: rng.uniform() < 0.3 ? 0.01 * rng.uniform() : 0,
      });
      const res = alloc(ctx);
      assertInvariants(res, ctx, caps, `optimizer case ${c}`);
      for (const r of res.diagnostics.relaxed) counts[r.constraint] = (counts[r.constraint] ?? 0) + 1;
      // Constraints in force after relaxation.
      const direct = optimizeScoreWeights(solver, {
        industries, scores: ctx.scores!, previous: ctx.previous, constraints,
        turnoverPenalty: 0, costRate: 0,
      });
      const set = direct.constraints;
      if (set.turnoverBudget !== Infinity) assert.ok(direct.turnover <= set.turnoverBudget + 1e-7, `case ${c}: turnover ${direct.turnover} > ${set.turnoverBudget}`);
      if (set.maxHoldings !== Infinity) assert.ok(Array.from(direct.weights).filter((w) => w > 1e-9).length <= set.maxHoldings, `case ${c}: holdings`);
      for (let i = 0; i < n; i++) assert.ok(direct.weights[i] >= set.floors[i] - 1e-9 || !set.eligible[i], `case ${c}: floor`);
    }
    // The random constraints exercise every relaxation step.
    for (const f of ['turnover-budget', 'max-holdings', 'floors', 'caps']) assert.ok((counts[f] ?? 0) > 0, `no ${f} relaxation in ${CASES} cases: ${JSON.stringify(counts)}`);
  });
});
