import { test, after } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { periodReturns } from '../../../src/data/calendar.js';
import { evaluateCrossSections, type CrossSectionEvaluation, type CrossSectionOptions } from '../../../src/evaluate/crossSection.js';
import { forwardReturnsFromPrices, forwardReturnsFromReturns, type ForwardReturns } from '../../../src/evaluate/forwardReturns.js';
import { createEvaluationPool, evaluateCrossSectionsParallel, shareForwardReturns } from '../../../src/evaluate/parallel.js';
import { RotationError } from '../../../src/errors.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { createRng } from '../../../src/random.js';
import { randomMarket } from './helpers.js';

// Two workers even on one core: with the calling thread that is three chunks, so two chunk
// boundaries (two leading dates dropped and subtracted) are exercised.
const pool = createEvaluationPool({ workers: 2 });
after(() => pool.close());

/** Bit-for-bit comparison (assert.deepStrictEqual uses Object.is: NaN = NaN, −0 ≠ +0). */
async function same(factor: Panel, fr: ForwardReturns, options: CrossSectionOptions, chunks = 3): Promise<CrossSectionEvaluation> {
  const want = evaluateCrossSections(factor, fr, options);
  const got = await evaluateCrossSectionsParallel(factor, fr, options, pool);
  const { parallel, ...rest } = got;
  assert.equal(parallel.fallback, null, 'workers must start under node --import tsx');
  assert.equal(parallel.workers, 2);
  assert.equal(parallel.chunks, chunks);
  assert.deepStrictEqual(rest, want);
  return want;
}

/** A market whose dates include ones the chunking must carry exactly: too few assets, all ties. */
function awkwardMarket(seed: number, T: number, N: number, ties: boolean): { prices: Panel; factor: Panel } {
  const { prices, factor } = randomMarket(seed, T, N, { nanRate: 0.06, ties });
  const f = factor.values.slice();
  for (let t = 0; t < T; t++) {
    if (t % 7 === 3) for (let i = 2; i < N; i++) f[t * N + i] = NaN; // 2 assets: too few for groups and ICs
    if (t % 11 === 5) for (let i = 0; i < N; i++) if (f[t * N + i] === f[t * N + i]) f[t * N + i] = 1.25; // all tied
  }
  return { prices, factor: createPanel(factor.dates, factor.assets, f) };
}

test('parallel evaluation is bit-identical to the one-thread pass (prices and returns, ties, skipped dates, three horizons)', async () => {
  for (const ties of [false, true]) {
    const { prices, factor } = awkwardMarket(ties ? 31 : 32, 90, 120, ties);
    const frs = [
      forwardReturnsFromPrices(prices, { horizons: [1, 5, 21], periodsPerYear: 252 }),
      forwardReturnsFromReturns(periodReturns(prices, prices.dates), { horizons: [1, 5, 21], periodsPerYear: 252 }),
    ];
    for (const fr of frs) {
      const ev = await same(factor, fr, { groups: { quantiles: 5 } });
      // The case must exercise what it claims: skipped dates of both kinds and turnover values.
      assert.ok(ev.groupSkipped['too-few-assets'] > 0 && ev.groupSkipped['all-ties'] > 0);
      assert.ok(ev.horizons[0].rankIc!.skipped['too-few-pairs'] > 0);
      assert.ok(ev.turnover!.mean.every((v) => v > 0 && v < 1));
    }
  }
});

test('parallel evaluation: top-k groups, cap weights, average ties, a subset of horizons, unmatched dates and assets', async () => {
  const { prices, factor } = awkwardMarket(33, 80, 60, true);
  const fr = forwardReturnsFromPrices(createPanel(prices.dates.slice(0, 70), prices.assets.slice(0, 50),
    Float64Array.from({ length: 70 * 50 }, (_, k) => prices.values[Math.floor(k / 50) * 60 + (k % 50)])), { horizons: [1, 3, 10], periodsPerYear: 252 });
  const rng = createRng(4);
  const weights = createPanel(factor.dates, factor.assets, Float64Array.from({ length: factor.values.length }, () => rng.uniform()));
  const ev = await same(factor, fr, { groups: { topK: 5 }, ties: 'average', weights, horizons: ['3D', 10], minAssets: 4 });
  assert.deepEqual(ev.unmatched, { dates: 10, assets: 10 });
  assert.equal(ev.horizons.length, 2);
  await same(factor, fr, { groups: false, ic: true, rankIc: false, horizons: [1] });
});

test('workers that load the sources through tsx (no bundle) give the same numbers, bit for bit', async () => {
  const { prices, factor } = awkwardMarket(36, 60, 50, true);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 5], periodsPerYear: 252 });
  const prev = process.env.ROTATION_WORKER_BUNDLE;
  process.env.ROTATION_WORKER_BUNDLE = '0';
  const viaTsx = createEvaluationPool({ workers: 1 });
  if (prev === undefined) delete process.env.ROTATION_WORKER_BUNDLE; else process.env.ROTATION_WORKER_BUNDLE = prev;
  assert.equal(viaTsx.sources, 'tsx (ROTATION_WORKER_BUNDLE=0)');
  assert.equal(pool.sources, 'bundle');
  try {
    const { parallel, ...rest } = await evaluateCrossSectionsParallel(factor, fr, { groups: { quantiles: 5 } }, viaTsx);
    assert.deepEqual(parallel, { chunks: 2, workers: 1, fallback: null });
    assert.deepStrictEqual(rest, evaluateCrossSections(factor, fr, { groups: { quantiles: 5 } }));
  } finally {
    await viaTsx.close();
  }
});

test('parallel evaluation falls back to the calling thread, and says why, with no worker; errors are the one-thread ones', async () => {
  const { prices, factor } = randomMarket(34, 30, 20);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 5], periodsPerYear: 252 });
  const want = evaluateCrossSections(factor, fr);
  const none = createEvaluationPool({ workers: 0 });
  assert.equal(none.sources, 'none');
  const a = await evaluateCrossSectionsParallel(factor, fr, {}, none);
  assert.match(a.parallel.fallback ?? '', /0 workers/);
  const broken = createEvaluationPool({ workers: 1, root: path.join(os.tmpdir(), 'no-such-project-root') });
  const b = await evaluateCrossSectionsParallel(factor, fr, {}, broken);
  assert.match(b.parallel.fallback ?? '', /could not load/);
  const c = await evaluateCrossSectionsParallel(factor, fr, {}, null);
  assert.equal(c.parallel.fallback, 'no evaluation pool');
  for (const r of [a, b, c]) { const { parallel, ...rest } = r; assert.equal(parallel.chunks, 1); assert.deepStrictEqual(rest, want); }
  await none.close();
  await broken.close();
  await assert.rejects(evaluateCrossSectionsParallel(factor, fr, { minAssets: 1 }, pool),
    (e: unknown) => e instanceof RotationError && e.code === 'EVAL_BAD_ARGUMENT');
  await assert.rejects(evaluateCrossSectionsParallel(factor, fr, { horizons: [2] }, pool),
    (e: unknown) => e instanceof RotationError && e.code === 'EVAL_UNKNOWN_HORIZON');
});

test('shareForwardReturns: the same values on shared memory, and the evaluation on it is unchanged', async () => {
  const { prices, factor } = randomMarket(35, 40, 30);
  for (const fr of [forwardReturnsFromPrices(prices, { horizons: [1, 5], periodsPerYear: 252 }),
    forwardReturnsFromReturns(periodReturns(prices, prices.dates), { horizons: [1, 5], periodsPerYear: 252 })]) {
    const sh = shareForwardReturns(fr);
    assert.ok(sh.level.buffer instanceof SharedArrayBuffer);
    assert.ok(sh.segment === null || sh.segment.buffer instanceof SharedArrayBuffer);
    assert.deepStrictEqual({ ...sh, level: Float64Array.from(sh.level), segment: sh.segment && Int32Array.from(sh.segment) }, fr);
    const got = await evaluateCrossSectionsParallel(factor, sh, {}, pool);
    const { parallel, ...rest } = got;
    assert.equal(parallel.chunks, 3);
    assert.deepStrictEqual(rest, evaluateCrossSections(factor, fr));
  }
});
