/**
 * Target weights on the default simulator: top-5 weights sum to 1, previous = drifted prior target,
 * named errors for out-of-range and non-trading dates.
 * Run: node --import tsx --test test/unit/deploy/targets.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { factorStudy } from '../../../src/model/evidence.js';
import { modelContext } from '../../../src/model/context.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { deployableDates, targetWeights } from '../../../src/deploy/targets.js';
import { loadSolver } from '../../../src/portfolio/optimizer.js';
import { throwsCode } from '../assertions.js';
import { RotationError } from '../../../src/errors.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }
const is = (c: string) => (e: unknown) => e instanceof RotationError && e.code === c;

describe('targetWeights', () => {
  const ds = simulateMarket().dataset;
  const study = factorStudy(ds);
  const ctx = modelContext(ds, { study });
  const spec = loadModelSpec('models/default.json');
  it('top-5 targets at a month end', () => {
    const asOf = study.dates[study.dates.length - 2];
    const rows = targetWeights(ctx, spec, asOf);
    assert.equal(rows.length, ds.industries.length);
    const sw = rows.reduce((a, r) => a + r.targetWeight, 0), sp = rows.reduce((a, r) => a + r.previousWeight, 0);
    ok(Math.abs(sw - 1) < 1e-9 && Math.abs(sp - 1) < 1e-9, `sums ${sw} ${sp}`);
    assert.equal(rows.filter((r) => r.targetWeight > 0).length, 5);
    assert.deepEqual(rows.slice(0, 5).map((r) => r.rank), [1, 2, 3, 4, 5]);
    ok(rows.slice(0, 5).every((r) => Math.abs(r.targetWeight - 0.2) < 1e-12), 'top ranks held');
    ok(rows.every((r) => Math.abs(r.change - (r.targetWeight - r.previousWeight)) < 1e-15), 'change');
  });
  it('named errors', () => {
    assert.throws(() => targetWeights(ctx, spec, '2030-01-31'), is('DEPLOY_AS_OF_OUT_OF_RANGE'));
    assert.throws(() => targetWeights(ctx, spec, ds.calendar[0]), is('DEPLOY_AS_OF_OUT_OF_RANGE'));
    assert.throws(() => targetWeights(ctx, spec, '2023-06-03'), is('DEPLOY_NOT_TRADING_DAY'));
    assert.throws(() => targetWeights(ctx, spec, '2023-06-05'), is('DEPLOY_NOT_REBALANCE_DATE'));
  });
  it("'latest' is the last deployable date; a malformed date is named", () => {
    const last = deployableDates(spec, ctx).pop()!;
    const rows = targetWeights(ctx, spec, 'latest');
    assert.equal(rows[0].date, last);
    const e = throwsCode(() => targetWeights(ctx, spec, '31/12/2024'), 'DEPLOY_BAD_DATE');
    assert.match(e.fix, new RegExp(last));
  });
  it('previous weight = prior target drifted by the industry closes, renormalized (hand computation)', () => {
    const dates = deployableDates(spec, ctx);
    const [d0, d1] = dates.slice(-2);
    const prior = targetWeights(ctx, spec, d0), now = targetWeights(ctx, spec, d1);
    const close = ds.industryBars.close, N = close.assets.length, t0 = close.dates.indexOf(d0), t1 = close.dates.indexOf(d1);
    const grown = new Map(prior.map((r) => {
      const i = close.assets.indexOf(r.industry);
      return [r.industry, r.targetWeight * close.values[t1 * N + i] / close.values[t0 * N + i]];
    }));
    const total = [...grown.values()].reduce((a, b) => a + b, 0);
    for (const r of now) ok(Math.abs(r.previousWeight - grown.get(r.industry)! / total) < 1e-12, `${r.industry}: ${r.previousWeight} vs ${grown.get(r.industry)! / total}`);
  });
});

describe('targetWeights with the optimizer', () => {
  const ds = simulateMarket().dataset;
  const spec = loadModelSpec('models/optimizer.json');
  let ctx: ReturnType<typeof modelContext>;
  before(async () => { ctx = modelContext(ds, { solver: await loadSolver() }); });
  it('respects caps 15%, at most 10 holdings, turnover <= 60% against the drifted previous weights', () => {
    const rows = targetWeights(ctx, spec, 'latest');
    const w = rows.map((r) => r.targetWeight);
    ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-9, 'fully invested');
    ok(w.every((x) => x >= -1e-12 && x <= 0.15 + 1e-9), 'long-only, capped');
    ok(w.filter((x) => x > 1e-9).length <= 10, 'at most 10 holdings');
    const turnover = rows.reduce((a, r) => a + Math.abs(r.change), 0);
    ok(turnover <= 0.6 + 1e-6, `turnover ${turnover}`);
    const held = rows.filter((r) => r.targetWeight > 1e-9);
    ok(held.length >= 7, `held ${held.length}`);
  });
});

