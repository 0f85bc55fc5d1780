/**
 * Scores to weights (closed-form rules), the weight invariants (`checkWeights`), cap
 * water-filling and alignment with previous weights over a different industry set.
 * Run: node --import tsx --test test/unit/portfolio/weights.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RotationError } from '../../../src/errors.js';
import {
  alignPrevious, applyCaps, checkWeights, equalWeightAllocator, rankWeights, scoreAllocator, scoreTiltWeights,
  topKEqualWeights, turnover,
} from '../../../src/portfolio/weights.js';
import type { RelaxationRecord } from '../../../src/portfolio/types.js';

/** assert.ok with a message always given (node's generated message re-parses the transpiled source: very slow). */
function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }

const code = (c: string) => (e: unknown) => e instanceof RotationError && e.code === c;
const close = (a: ArrayLike<number>, b: number[], tol = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) ok(Math.abs(a[i] - b[i]) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

describe('checkWeights', () => {
  it('accepts a valid vector and clips -1e-12 noise to 0', () => {
    const w = checkWeights([0.5, 0.5 + 1e-13, -1e-13]);
    assert.equal(w[2], 0);
  });
  it('names every violation', () => {
    assert.throws(() => checkWeights([0.5, NaN, 0.5]), code('WEIGHTS_NAN'));
    assert.throws(() => checkWeights([1.1, -0.1]), code('WEIGHTS_NEGATIVE'));
    assert.throws(() => checkWeights([0.5, 0.4]), code('WEIGHTS_SUM'));
    assert.throws(() => checkWeights([0.7, 0.3], { caps: [0.6, 1], industries: ['A', 'B'] }), (e: unknown) =>
      e instanceof RotationError && e.code === 'WEIGHTS_CAP' && e.where.industry === 'A');
    assert.throws(() => checkWeights([0.5, 0.5], { excluded: [0, 1] }), code('WEIGHTS_EXCLUDED'));
    assert.throws(() => checkWeights([]), code('WEIGHTS_EMPTY'));
  });
  it('tolerates 1e-9 on the sum and the caps, not more', () => {
    checkWeights([0.5, 0.5 + 9e-10]);
    assert.throws(() => checkWeights([0.5, 0.5 + 2e-9]), code('WEIGHTS_SUM'));
    checkWeights([0.6 + 5e-10, 0.4 - 5e-10], { caps: [0.6, 1] });
  });
});

describe('closed-form rules', () => {
  const s = [3, 1, NaN, 2, 2];
  const elig = [1, 1, 0, 1, 1];
  it('top-k equal weight: highest scores, ties by position', () => {
    close(topKEqualWeights(s, elig, 2), [0.5, 0, 0, 0.5, 0]); // 3 then the first of the tied 2s
    close(topKEqualWeights(s, elig, 10), [0.25, 0.25, 0, 0.25, 0.25]);
  });
  it('rank-weighted: w ∝ midrank, ties share the average rank', () => {
    // ranks (descending score -> n): 3 -> 4, 2,2 -> 2.5 each, 1 -> 1; sum 10
    close(rankWeights(s, elig), [0.4, 0.1, 0, 0.25, 0.25]);
    // top 2 only: 3 -> 2, first 2 -> 1 (the cut splits the tie by position)
    close(rankWeights(s, elig, 2), [2 / 3, 0, 0, 1 / 3, 0]);
  });
  it('tilt: w = max(0, 1/n + lambda z), renormalized; constant scores give equal weight', () => {
    const t = scoreTiltWeights([1, 2, 3], [1, 1, 1], 0.1);
    // z = (-1, 0, 1) with sd 1 -> 1/3 -+ 0.1
    close(t.weights, [1 / 3 - 0.1, 1 / 3, 1 / 3 + 0.1]);
    const big = scoreTiltWeights([1, 2, 3], [1, 1, 1], 1);
    close(big.weights, [0, 1 / 3 / (1 / 3 + 4 / 3), (4 / 3) / (1 / 3 + 4 / 3)]);
    const flat = scoreTiltWeights([5, 5, 5], [1, 1, 1]);
    assert.equal(flat.degenerate, true);
    close(flat.weights, [1 / 3, 1 / 3, 1 / 3]);
  });
});

describe('applyCaps (water-filling)', () => {
  it('spreads the excess over uncapped holdings in proportion to their weight', () => {
    const relaxed: RelaxationRecord[] = [];
    const r = applyCaps([0.6, 0.3, 0.1], new Float64Array([0.4, 1, 1]), [1, 1, 1], [0, 1, 2], relaxed);
    close(r.weights, [0.4, 0.3 + 0.2 * 0.75, 0.1 + 0.2 * 0.25]);
    assert.equal(relaxed.length, 0);
  });
  it('adds the next preferred names when the holdings cannot absorb the weight (holdings relaxed)', () => {
    const relaxed: RelaxationRecord[] = [];
    const r = applyCaps([0.5, 0.5, 0, 0], new Float64Array([0.3, 0.3, 0.3, 0.3]), [1, 1, 1, 1], [1, 0, 3, 2], relaxed);
    close(r.weights, [0.3, 0.3, 0.1, 0.3]);
    assert.equal(relaxed[0].constraint, 'max-holdings');
  });
  it('raises all eligible caps when even they sum below 1 (caps relaxed)', () => {
    const relaxed: RelaxationRecord[] = [];
    const r = applyCaps([1, 0, 0], new Float64Array([0.2, 0.2, 0.2]), [1, 1, 0], [0, 1], relaxed);
    close(r.weights, [0.5, 0.5, 0]);
    assert.deepEqual(relaxed.map((x) => x.constraint), ['max-holdings', 'caps']);
    ok(Math.abs(r.caps[0] - 0.5) < 1e-15);
  });
});

describe('previous weights over a different industry set', () => {
  it('aligns by name, reports added and removed, and counts removed weight as turnover', () => {
    const now = ['A', 'B', 'D'];
    const prev = { industries: ['A', 'B', 'C'], weights: [0.2, 0.5, 0.3] };
    const { prev: p, alignment } = alignPrevious(now, prev);
    close(p, [0.2, 0.5, 0]);
    assert.deepEqual(alignment.added, ['D']);
    assert.deepEqual(alignment.removed, ['C']);
    assert.equal(alignment.removedWeight, 0.3);
    // |0.4-0.2| + |0.3-0.5| + |0.3-0| + 0.3 (C sold)
    ok(Math.abs(turnover(now, [0.4, 0.3, 0.3], prev) - 1.0) < 1e-12);
  });
  it('rejects malformed previous weights', () => {
    assert.throws(() => alignPrevious(['A'], { industries: ['A', 'A'], weights: [0.5, 0.5] }), code('WEIGHTS_BAD_PREVIOUS'));
    assert.throws(() => alignPrevious(['A'], { industries: ['A'], weights: [NaN] }), code('WEIGHTS_BAD_PREVIOUS'));
  });
  it('allocators report the alignment in their diagnostics', () => {
    const res = equalWeightAllocator()({ date: '2024-01-31', industries: ['A', 'B'], previous: { industries: ['B', 'C'], weights: [0.5, 0.5] } });
    assert.deepEqual(res.diagnostics.alignment?.added, ['A']);
    assert.deepEqual(res.diagnostics.alignment?.removed, ['C']);
    ok(Math.abs(res.diagnostics.turnover! - 1) < 1e-12); // A +0.5, B 0, C -0.5
  });
});

describe('score allocators', () => {
  const ctx = { date: '2024-01-31', industries: ['A', 'B', 'C', 'D'], scores: [0.1, NaN, 0.5, -1] };
  it('exclude and count NaN scores', () => {
    for (const method of ['top-k', 'rank', 'tilt'] as const) {
      const res = scoreAllocator({ method, k: 2 })(ctx);
      assert.equal(res.weights[1], 0);
      assert.equal(res.diagnostics.nanScores, 1);
      assert.deepEqual(res.diagnostics.excluded, [{ industry: 'B', reason: 'NaN score' }]);
    }
  });
  it('throws named errors for a bad context', () => {
    assert.throws(() => scoreAllocator({ method: 'rank' })({ date: '2024-01-31', industries: ['A'] }), code('ALLOC_NO_SCORES'));
    assert.throws(() => scoreAllocator({ method: 'rank' })({ date: '2024-01-31', industries: ['A'], scores: [NaN] }), code('WEIGHTS_NOTHING_ELIGIBLE'));
    assert.throws(() => scoreAllocator({ method: 'rank' })({ date: '2024-01-31', industries: ['A', 'A'], scores: [1, 2] }), code('ALLOC_DUPLICATE_INDUSTRY'));
    assert.throws(() => scoreAllocator({ method: 'top-k' }), code('WEIGHTS_BAD_OPTION'));
  });
  it('records a caps relaxation when equal weight cannot respect the caps', () => {
    const res = equalWeightAllocator({ caps: 0.2 })({ date: '2024-01-31', industries: ['A', 'B', 'C'] });
    close(res.weights, [1 / 3, 1 / 3, 1 / 3]);
    assert.equal(res.diagnostics.relaxed[0].constraint, 'caps');
  });
});
