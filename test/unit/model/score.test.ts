/**
 * modelScore computes each composite once per context (`ctx.memo`, keyed by `scoreKey`): specs
 * that differ only in what the score does not read share it; a change to anything it reads gives a
 * new score, equal to one computed on a fresh context.
 * Run: node --import tsx --test test/unit/model/score.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulateMarketCached } from '../../../src/data/simulatorCache.js';
import { modelContext } from '../../../src/model/context.js';
import { modelScore, scoreKey } from '../../../src/model/score.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { variantOf } from '../../../src/model/spec.js';

const ds = simulateMarketCached({ seed: 3, nStocks: 300, years: 8 }).dataset;
const spec = loadModelSpec('models/default.json');

test('scoreKey reads the calendar frequency and minimum, factors, preprocessing, selection and composite; nothing else', () => {
  const same = [
    variantOf(spec, { name: 'other name', description: 'other' }),
    loadModelSpec('models/optimizer.json'),
    variantOf(spec, { costs: { bps: 50 }, execution: 'next-open', split: '2018-12-31' }),
    variantOf(spec, { calendar: { ...spec.calendar, every: 3 } }),
  ];
  for (const v of same) assert.equal(scoreKey(v), scoreKey(spec), v.name);
  const different = [
    variantOf(spec, { calendar: { ...spec.calendar, minScored: 6 } }),
    variantOf(spec, { calendar: { ...spec.calendar, frequency: 'Q' } }),
    variantOf(spec, { composite: { ...spec.composite, minObservations: 24 } }),
    variantOf(spec, { factors: [{ id: 'mom_12_1' }, { id: 'ep' }] }),
    variantOf(spec, { preprocessing: [{ step: 'winsorize', method: 'mad', k: 3 }] }),
    variantOf(spec, { selection: { rule: 'walk-forward', k: 3, minRankIcir: 0, minObservations: 12, window: 'expanding' } }),
  ];
  for (const v of different) assert.notEqual(scoreKey(v), scoreKey(spec), JSON.stringify(v.calendar) + JSON.stringify(v.composite));
});

test('modelScore: one computation per key on a context, the same values as on a fresh context', () => {
  const ctx = modelContext(ds);
  const a = modelScore(spec, ctx);
  assert.equal(modelScore(loadModelSpec('models/optimizer.json'), ctx), a, 'shared by a spec with another allocator');
  assert.equal(ctx.memo.size, 1);
  const longer = variantOf(spec, { composite: { ...spec.composite, minObservations: 24 } });
  const b = modelScore(longer, ctx);
  assert.notEqual(b, a);
  assert.equal(ctx.memo.size, 2);
  assert.deepEqual(b.score.values, modelScore(longer, modelContext(ds, { study: ctx.study('M') })).score.values);
  assert.ok(b.scored.length < a.scored.length, 'more warm-up ICs: fewer scored dates');
});
