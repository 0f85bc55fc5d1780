/**
 * industryLevelDataset: no stock data, no intraday bars; every industry array equal, bit for bit,
 * and owning its memory (not a view into the buffer the cached market was decoded from).
 * Run: node --import tsx --test test/unit/data/industryLevel.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateMarketCached } from '../../../src/data/simulatorCache.js';
import { industryLevelDataset } from '../../../src/data/industryLevel.js';
import { dataFingerprint } from '../../../src/model/record.js';
import type { Panel } from '../../../src/panel/panel.js';

test('industryLevelDataset drops the stock and intraday data and copies the industry arrays out of the decoded buffer', () => {
  // Read from the cache file (a first call on a cold cache simulates and writes it: no views then).
  const config = { seed: 3, nStocks: 300, years: 8 };
  let status = '';
  let ds = simulateMarketCached(config, { onStatus: (st) => { status = st; } }).dataset;
  if (status !== 'hit') ds = simulateMarketCached(config).dataset;
  assert.ok(ds.stocks && ds.industryIntraday, 'the fixture has stock and intraday data');
  const slim = industryLevelDataset(ds);
  assert.equal(slim.stocks, undefined);
  assert.equal(slim.industryIntraday, undefined);
  assert.equal('stocks' in slim, false);
  for (const k of ['name', 'calendar', 'industries', 'losses', 'caveats', 'frequency', 'periodsPerYear'] as const) assert.equal(slim[k], ds[k], k);
  const fields = Object.keys(ds.industryBars) as (keyof typeof ds.industryBars)[];
  assert.deepEqual(Object.keys(slim.industryBars), fields);
  let views = 0;
  for (const k of fields) {
    const a = ds.industryBars[k] as Panel, b = slim.industryBars[k] as Panel;
    if (a.values.buffer.byteLength > a.values.byteLength) views++;
    assert.deepEqual(b.values, a.values, k);
    assert.equal(b.dates, a.dates);
    assert.equal(b.assets, a.assets);
    assert.equal(b.values.buffer.byteLength, b.values.byteLength, `${k} owns its memory`);
  }
  assert.ok(views > 0, 'the cached market\'s arrays are views (what the copy is for)');
  assert.deepEqual(dataFingerprint(slim), dataFingerprint(ds), 'the experiment records fingerprint the same data');
});
