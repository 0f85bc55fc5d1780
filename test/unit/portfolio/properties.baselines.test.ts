/**
 * Property tests over 1,000 seeded random cases per baseline allocator: momentum 12-1M and 1M,
 * mean-variance (random estimator, frequency, risk aversion, caps, quadratic turnover penalty) and
 * the HMM regime allocator. Contexts are random dates of three random daily return panels (late
 * listings, missing days), random available-industry subsets, caps and previous weights over a
 * different set. Invariants as in propertyCases.ts: sum 1, >= 0, caps in force, no NaN,
 * industries excluded for missing history at exactly 0.
 * Run: node --import tsx --test test/unit/portfolio/properties.baselines.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createRng, type Rng } from '../../../src/random.js';
import { loadSolver, type Solver } from '../../../src/portfolio/optimizer.js';
import { meanVarianceAllocator } from '../../../src/portfolio/meanVariance.js';
import { momentumAllocator } from '../../../src/portfolio/momentum.js';
import { hmmRegimeAllocator } from '../../../src/portfolio/regime.js';
import type { Panel } from '../../../src/panel/panel.js';
import type { Allocator, AllocationContext, BoundSpec } from '../../../src/portfolio/types.js';
import { assertInvariants, pick, randomCase, randomReturnsPanel, UNIVERSE } from './propertyCases.js';

const CASES = 1000;
const PANELS: Panel[] = [randomReturnsPanel(101, 4), randomReturnsPanel(102, 4), randomReturnsPanel(103, 4)];
let solver: Solver;
before(async () => { solver = await loadSolver(); });

/** CASES contexts spread over the panels, dates ascending within each panel (allocators may cache fits). */
function contexts(seed: number): { panel: number; ctx: AllocationContext; caps: BoundSpec | undefined; rng: Rng }[] {
  const rng = createRng(seed);
  const out: { panel: number; ctx: AllocationContext; caps: BoundSpec | undefined; rng: Rng }[] = [];
  for (let p = 0; p < PANELS.length; p++) {
    const T = PANELS[p].dates.length;
    const rows = Array.from({ length: Math.ceil(CASES / PANELS.length) }, () => 20 + rng.int(T - 20)).sort((a, b) => a - b);
    for (const t of rows) {
      if (out.length >= CASES) break;
      const industries = pick(rng, UNIVERSE, 1 + rng.int(UNIVERSE.length));
      const { ctx, caps } = randomCase(rng, PANELS[p].dates[t], industries);
      out.push({ panel: p, ctx: { date: ctx.date, industries, previous: ctx.previous, returns: PANELS[p] }, caps, rng: rng.fork() });
    }
  }
  return out;
}

function run(label: string, seed: number, make: (panel: number, caps: BoundSpec | undefined, rng: Rng) => Allocator): number {
  let fallbacks = 0, cases = 0;
  for (const { panel, ctx, caps, rng } of contexts(seed)) {
    const res = make(panel, caps, rng)(ctx);
    assertInvariants(res, ctx, caps, `${label}`, false);
    if (res.diagnostics.details.fallback) fallbacks++;
    cases++;
  }
  assert.equal(cases, CASES);
  return fallbacks;
}

describe(`baseline invariants over ${CASES} random cases each`, () => {
  it('momentum 12-1M', () => {
    const f = run('momentum-12-1', 11, (_, caps, rng) => momentumAllocator({ k: 1 + rng.int(8), caps }));
    assert.ok(f < CASES, 'most dates have 12 months of history');
  });
  it('momentum 1M', () => {
    run('momentum-1m', 12, (_, caps, rng) => momentumAllocator({ lookbackMonths: 1, skipMonths: 0, k: 1 + rng.int(8), caps }));
  });
  it('mean-variance, with and without a turnover penalty', () => {
    const f = run('mean-variance', 13, (_, caps, rng) => meanVarianceAllocator(solver, {
      caps,
      riskAversion: 1 + 20 * rng.uniform(),
      covariance: rng.uniform() < 0.3 ? 'sample' : 'ledoit-wolf',
      shrinkageTarget: rng.uniform() < 0.5 ? 'identity' : 'constant-correlation',
      frequency: rng.uniform() < 0.3 ? 'daily' : 'monthly',
      turnoverPenalty: rng.uniform() < 0.5 ? 2 * rng.uniform() : 0,
    }));
    assert.ok(f < CASES / 2, `fallbacks ${f}`);
  });
  it('HMM regime (expanding-window refits, filtered probabilities)', () => {
    // One allocator per panel and cap setting is not needed: caps are per call, the fit cache is per panel.
    const byPanel = PANELS.map(() => new Map<string, Allocator>());
    const f = run('hmm-regime', 14, (panel, caps) => {
      const key = JSON.stringify(caps ?? null);
      let a = byPanel[panel].get(key);
      if (!a) {
        a = hmmRegimeAllocator({ seed: 1, nStates: 2, covarianceType: 'diag', restarts: 1, maxIter: 30, minTrainObservations: 200, k: 5, caps });
        byPanel[panel].set(key, a);
      }
      return a;
    });
    assert.ok(f < CASES / 2, `fallbacks ${f}`);
  });
});
