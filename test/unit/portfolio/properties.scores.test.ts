/**
 * Property tests over 1,000 seeded random cases per allocator: equal weight, top-k, rank-weighted
 * and tilt. Every result must hold the weight invariants (propertyCases.ts assertInvariants): sum 1
 * within 1e-9, >= 0, caps in force (requested unless a relaxation is recorded), no NaN, NaN-score
 * industries at 0 and counted, turnover consistent with previous weights over a different set.
 * Run: node --import tsx --test test/unit/portfolio/properties.scores.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RotationError } from '../../../src/errors.js';
import { createRng } from '../../../src/random.js';
import { equalWeightAllocator, scoreAllocator } from '../../../src/portfolio/weights.js';
import type { Allocator, BoundSpec } from '../../../src/portfolio/types.js';
import { assertInvariants, pick, randomCase, UNIVERSE } from './propertyCases.js';

const CASES = 1000;

function run(label: string, seed: number, make: (rng: ReturnType<typeof createRng>, caps: BoundSpec | undefined) => Allocator, scoresGiveNaN: boolean): { relaxed: number } {
  const rng = createRng(seed);
  let relaxed = 0;
  for (let c = 0; c < CASES; c++) {
    const industries = pick(rng, UNIVERSE, 1 + rng.int(UNIVERSE.length));
    const { ctx, caps } = randomCase(rng, '2024-01-31', industries);
    const res = make(rng, caps)(ctx);
    assertInvariants(res, ctx, caps, `${label} case ${c}`, scoresGiveNaN);
    if (res.diagnostics.relaxed.length) relaxed++;
  }
  return { relaxed };
}

describe(`weight invariants over ${CASES} random cases`, () => {
  it('equal weight', () => {
    const r = run('equal-weight', 1, (_, caps) => equalWeightAllocator({ caps }), false);
    assert.ok(r.relaxed > 0, 'some cases need a recorded caps relaxation');
  });
  it('top-k equal weight', () => {
    run('top-k', 2, (rng, caps) => scoreAllocator({ method: 'top-k', k: 1 + rng.int(10), caps }), true);
  });
  it('rank-weighted (all names or top k)', () => {
    run('rank', 3, (rng, caps) => scoreAllocator({ method: 'rank', k: rng.uniform() < 0.5 ? undefined : 1 + rng.int(10), caps }), true);
  });
  it('score tilt around equal weight', () => {
    run('tilt', 4, (rng, caps) => scoreAllocator({ method: 'tilt', lambda: rng.uniform() < 0.5 ? undefined : 0.2 * rng.uniform(), caps }), true);
  });
  it('all-NaN scores are refused by name, never given weight', () => {
    const alloc = scoreAllocator({ method: 'rank' });
    assert.throws(() => alloc({ date: '2024-01-31', industries: ['A', 'B'], scores: [NaN, NaN] }),
      (e: unknown) => e instanceof RotationError && e.code === 'WEIGHTS_NOTHING_ELIGIBLE');
  });
});
