/**
 * The walk pool: every house spec walked on two threads equals the one-thread walk bit for bit
 * (weights, diagnostics, turnover); runModels equals runModel spec by spec; an allocator error in
 * the worker comes back with its code; the claim order puts the costly allocators first; the
 * CLI's pool starts only for many industries.
 * Run: node --import tsx --test test/unit/model/walkPool.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { loadSolver, type Solver } from '../../../src/portfolio/optimizer.js';
import { modelContext } from '../../../src/model/context.js';
import { runModel, runModels } from '../../../src/model/run.js';
import { claimOrder, createWalkPool, defaultWalkPool, runWalkJob, WALK_POOL_MIN_INDUSTRIES, type WalkJob } from '../../../src/model/walkPool.js';
import { houseSpecs } from '../../../src/studies/modeling.js';
import { createPanel } from '../../../src/panel/panel.js';
import { rejectsCode } from '../assertions.js';

const ds = simulateMarket({ seed: 4, nStocks: 300, years: 6 }).dataset;
const pool = createWalkPool();
let solver: Solver;

before(async () => {
  solver = await loadSolver();
  // wait (at most 60 s) for the worker, so that the tests below exercise it
  for (let k = 0; k < 600 && pool.status() === 'starting'; k++) await new Promise((r) => setTimeout(r, 100));
});
after(async () => { await pool.close(); });

test('the worker starts', () => {
  assert.equal(pool.status(), 'ready', `walk worker: ${pool.fallback}`);
});

test('runModels on the pool equals runModel spec by spec, bit for bit (every house spec)', () => {
  const specs = houseSpecs();
  const serial = specs.map((s) => runModel(s, modelContext(ds, { solver })));
  const parallel = runModels(specs, modelContext(ds, { solver, walkPool: pool }));
  assert.equal(parallel.length, serial.length);
  for (let k = 0; k < specs.length; k++) {
    assert.deepStrictEqual(parallel[k].walk, serial[k].walk, `walk of ${specs[k].name}`);
    assert.deepStrictEqual(parallel[k].weights, serial[k].weights, `weights of ${specs[k].name}`);
    assert.deepStrictEqual(parallel[k].windows, serial[k].windows, `windows of ${specs[k].name}`);
  }
});

test('an allocator error in a walk comes back with its code (the lowest failing job)', async () => {
  const ctx = modelContext(ds, { solver });
  const dates = ['2019-01-31', '2019-02-28'].filter((d) => ctx.returns.dates.includes(d));
  const ok: WalkJob = { allocator: { name: 'equal-weight' }, name: 'ew', rebalanceDates: dates, industries: dates.map((d) => ctx.available(d)) };
  // top-k needs scores: without them the allocator throws a named error
  const bad: WalkJob = { allocator: { name: 'top-k', k: 5 }, name: 'no scores', rebalanceDates: dates, industries: dates.map((d) => ctx.available(d)) };
  let code: string | undefined;
  try { runWalkJob(bad, ctx.returns, solver); } catch (e) { code = (e as { code?: string }).code; }
  assert.ok(code, 'the job fails on one thread');
  await rejectsCode((async () => pool.walk([ok, bad, ok, bad], ctx.returns, solver))(), code!);
});

test('claim order: the costly allocators first, job order among equals', () => {
  const p = createPanel(['2020-01-31'], ['A'], new Float64Array([1]));
  const job = (name: string): WalkJob => ({ allocator: { name } as WalkJob['allocator'], name, rebalanceDates: [], industries: [], scores: p });
  assert.deepEqual(claimOrder([job('top-k'), job('hmm-regimes'), job('mean-variance'), job('equal-weight'), job('score-optimizer')]), [2, 4, 1, 0, 3]);
});

test('the CLI\'s pool: a worker from WALK_POOL_MIN_INDUSTRIES industries on; ROTATION_WALK_WORKERS=0 never, =1 always', async () => {
  const saved = process.env.ROTATION_WALK_WORKERS;
  try {
    delete process.env.ROTATION_WALK_WORKERS;
    assert.equal(defaultWalkPool(WALK_POOL_MIN_INDUSTRIES - 1), undefined);
    const big = defaultWalkPool(WALK_POOL_MIN_INDUSTRIES);
    assert.ok(big, 'a pool at the threshold');
    await big.close();
    process.env.ROTATION_WALK_WORKERS = '0';
    assert.equal(defaultWalkPool(1000), undefined);
    process.env.ROTATION_WALK_WORKERS = '1';
    const forced = defaultWalkPool(5);
    assert.ok(forced, 'forced on');
    await forced.close();
  } finally {
    if (saved === undefined) delete process.env.ROTATION_WALK_WORKERS; else process.env.ROTATION_WALK_WORKERS = saved;
  }
});
