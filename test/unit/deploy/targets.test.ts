/**
 * Target weights on the default simulator: top-5 weights sum to 1, previous = drifted prior target,
 * named errors for out-of-range and non-trading dates.
 * Run: node --import tsx --test test/unit/deploy/targets.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulateMarket } from '../../../src/data/simulator.js';
import { factorStudy } from '../../../src/evaluate/study.js';
import { targetWeights } from '../../../src/deploy/targets.js';
import { RotationError } from '../../../src/errors.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }
const is = (c: string) => (e: unknown) => e instanceof RotationError && e.code === c;

describe('targetWeights', () => {
  const ds = simulateMarket().dataset;
  const study = factorStudy(ds);
  it('top-5 targets at a month end', () => {
    const asOf = study.dates[study.dates.length - 2];
    const rows = targetWeights(ds, asOf, undefined, { study });
    assert.equal(rows.length, ds.industries.length);
    const sw = rows.reduce((a, r) => a + r.targetWeight, 0), sp = rows.reduce((a, r) => a + r.previousWeight, 0);
    ok(Math.abs(sw - 1) < 1e-9 && Math.abs(sp - 1) < 1e-9, `sums ${sw} ${sp}`);
    assert.equal(rows.filter((r) => r.targetWeight > 0).length, 5);
    assert.deepEqual(rows.slice(0, 5).map((r) => r.rank), [1, 2, 3, 4, 5]);
    ok(rows.slice(0, 5).every((r) => Math.abs(r.targetWeight - 0.2) < 1e-12), 'top ranks held');
    ok(rows.every((r) => Math.abs(r.change - (r.targetWeight - r.previousWeight)) < 1e-15), 'change');
  });
  it('named errors', () => {
    assert.throws(() => targetWeights(ds, '2030-01-31', undefined, { study }), is('DEPLOY_AS_OF_OUT_OF_RANGE'));
    assert.throws(() => targetWeights(ds, ds.calendar[0], undefined, { study }), is('DEPLOY_AS_OF_OUT_OF_RANGE'));
    assert.throws(() => targetWeights(ds, '2023-06-03', undefined, { study }), is('DEPLOY_NOT_TRADING_DAY'));
    assert.throws(() => targetWeights(ds, '2023-06-05', undefined, { study }), is('DEPLOY_NOT_REBALANCE_DATE'));
  });
});
