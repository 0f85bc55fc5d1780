/**
 * The industry-level context (industryLevelContext): the same model runs, bit for bit, without the
 * stock-level data; a study it did not keep is MODEL_STUDY_NOT_KEPT; and once the caller drops the
 * full context, the dataset it was built on can be collected (nothing in the new context keeps it).
 * Run: node --import tsx --test test/unit/model/context.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { simulateMarketCached } from '../../../src/data/simulatorCache.js';
import { industryLevelContext, modelContext } from '../../../src/model/context.js';
import type { WalkPool } from '../../../src/model/walkPool.js';
import { runModel } from '../../../src/model/run.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { throwsCode } from '../assertions.js';

const CONFIG = { seed: 3, nStocks: 300, years: 8 };

test('the model runs the same on the industry-level context, bit for bit; another frequency is MODEL_STUDY_NOT_KEPT', () => {
  const full = modelContext(simulateMarketCached(CONFIG).dataset);
  const slim = industryLevelContext(full, ['M']);
  assert.equal(slim.ds.stocks, undefined);
  assert.equal(slim.ds.industryIntraday, undefined);
  assert.equal(slim.study('M'), full.study('M'), 'the study is kept, not recomputed');
  assert.equal(slim.returns, full.returns);
  for (const d of [full.ds.calendar[0], full.ds.calendar[1000]]) assert.deepEqual(slim.available(d), full.available(d));
  for (const file of ['models/default.json', 'models/baselines/momentum_12_1.json']) {
    const spec = loadModelSpec(file);
    const a = runModel(spec, full), b = runModel(spec, slim);
    assert.deepEqual(b.weights.values, a.weights.values, `${file}: weights`);
    assert.deepEqual(b.backtest.returns, a.backtest.returns, `${file}: returns`);
  }
  const e = throwsCode(() => slim.study('W'), 'MODEL_STUDY_NOT_KEPT');
  assert.match(e.message, /frequency W/);
  assert.equal(slim.walkPool, undefined, 'the full context\'s pool (none)');
  const pool = { fallback: 'a stand-in' } as unknown as WalkPool;
  assert.equal(industryLevelContext(full, ['M'], { walkPool: pool }).walkPool, pool, 'a pool started for the walks');
});

test('dropping the full context frees the dataset: the industry-level context keeps no reference to it', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let full: ReturnType<typeof modelContext> | null = modelContext(simulateMarketCached(CONFIG).dataset);
  const dataset = new WeakRef(full.ds), stocks = new WeakRef(full.ds.stocks!);
  const slim = industryLevelContext(full, ['M']);
  full = null;
  for (let k = 0; k < 5 && stocks.deref() !== undefined; k++) {
    await new Promise((r) => setTimeout(r, 10)); // a WeakRef target lives to the end of the current job
    gc();
  }
  assert.equal(dataset.deref(), undefined, 'the full dataset was collected');
  assert.equal(stocks.deref(), undefined, 'its stock data was collected');
  assert.ok(slim.study('M').reports.length > 0);
});
