/**
 * Top-k holding buffer: a held industry stays until its rank leaves k + b. Hand-worked cases;
 * buffer 0 (and a spec without a buffer) keeps today's results bit-identical; the spec validates
 * the buffer and drops a zero one from the hash.
 * Run: node --import tsx --test test/unit/portfolio/buffer.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreAllocator, topKBufferedWeights, topKEqualWeights } from '../../../src/portfolio/weights.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { modelContext } from '../../../src/model/context.js';
import { runModel } from '../../../src/model/run.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { specHash, validateModelSpec, variantOf } from '../../../src/model/spec.js';
import { throwsCode } from '../assertions.js';

const all = new Uint8Array(6).fill(1);
// scores: ranks A=1 (0.9), B=2 (0.8), C=3 (0.7), D=4 (0.6), E=5 (0.5), F=6 (0.4)
const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];

test('hand-worked: k = 2, buffer 2, held {D, F}: D (rank 4 <= 4) stays, F (rank 6) goes, A fills the free slot', () => {
  const w = topKBufferedWeights(s, all, 2, 2, [0, 0, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(w), [0.5, 0, 0, 0.5, 0, 0]);
  // buffer 1: D at rank 4 > 3 leaves too: the plain top 2
  assert.deepEqual(Array.from(topKBufferedWeights(s, all, 2, 1, [0, 0, 0, 1, 0, 1])), [0.5, 0.5, 0, 0, 0, 0]);
  // buffer 4: both held stay (ranks 4 and 6 <= 6)
  assert.deepEqual(Array.from(topKBufferedWeights(s, all, 2, 4, [0, 0, 0, 1, 0, 1])), [0, 0, 0, 0.5, 0, 0.5]);
  // an ineligible held industry is never kept
  assert.deepEqual(Array.from(topKBufferedWeights(s, [1, 1, 1, 0, 1, 1], 2, 4, [0, 0, 0, 1, 0, 1])), [0.5, 0, 0, 0, 0, 0.5]);
});

test('buffer 0 equals top-k for any holdings; bad buffers are WEIGHTS_BAD_OPTION', () => {
  for (const held of [[0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], [0, 0, 0, 1, 1, 1]]) {
    assert.deepEqual(Array.from(topKBufferedWeights(s, all, 3, 0, held)), Array.from(topKEqualWeights(s, all, 3)));
  }
  throwsCode(() => topKBufferedWeights(s, all, 2, -1, all), 'WEIGHTS_BAD_OPTION');
  throwsCode(() => scoreAllocator({ method: 'top-k', k: 2, buffer: 1.5 }), 'WEIGHTS_BAD_OPTION');
  throwsCode(() => scoreAllocator({ method: 'rank', buffer: 2 }), 'WEIGHTS_BAD_OPTION');
});

test('the allocator reads context.previous: with a buffer it keeps a held industry ranked within k + b', () => {
  const industries = ['A', 'B', 'C', 'D', 'E', 'F'];
  const a = scoreAllocator({ method: 'top-k', k: 2, buffer: 2 });
  const r = a({ date: '2020-01-31', industries, scores: s, previous: { industries: ['D', 'F'], weights: [0.6, 0.4] } });
  assert.deepEqual(Array.from(r.weights), [0.5, 0, 0, 0.5, 0, 0]);
  assert.equal(r.diagnostics.turnover, 0.1 + 0.4 + 0.5);
});

test('spec: buffer validated, 0 dropped (same hash as no buffer); a run with buffer 0 is bit-identical to the default; a buffer lowers turnover', () => {
  const base = loadModelSpec('models/default.json');
  const zero = variantOf(base, { allocator: { name: 'top-k', k: 5, buffer: 0 } });
  assert.equal(specHash(zero), specHash(base));
  assert.deepEqual(zero.allocator, { name: 'top-k', k: 5 });
  throwsCode(() => validateModelSpec({ ...base, allocator: { name: 'top-k', k: 5, buffer: -1 } }), 'MODEL_BAD_PARAMETER');
  throwsCode(() => validateModelSpec({ ...base, allocator: { name: 'top-k', k: 5, buffer: 0.5 } }), 'MODEL_BAD_PARAMETER');
  const buffered = variantOf(base, { allocator: { name: 'top-k', k: 5, buffer: 3 } });
  assert.notEqual(specHash(buffered), specHash(base));

  const ds = simulateMarket({ seed: 3, nStocks: 300, years: 8 }).dataset;
  const ctx = modelContext(ds);
  const a = runModel(base, ctx), b = runModel(zero, ctx), c = runModel(buffered, ctx);
  assert.deepEqual(Array.from(b.weights.values), Array.from(a.weights.values));
  assert.deepEqual(Array.from(b.backtest.returns), Array.from(a.backtest.returns));
  const to = (r: typeof a) => r.windows[0].summary.values.turnover;
  assert.ok(to(c) < to(a), `buffer 3 turnover ${to(c)} < top-5 ${to(a)}`);
});
