/**
 * Stock-level projection of the industry score: hand case, growth-orthogonal residual, month-end
 * forward returns, factor set and composites, and the seed-7 simulator check (orthogonalized
 * industry factor has a positive mean monthly rank IC).
 * Run: node --import tsx --test test/unit/stockstudy/projection.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPanel } from '../../../src/panel/panel.js';
import { zscore } from '../../../src/panel/kernels.js';
import { createRng } from '../../../src/random.js';
import { rankIcByDate } from '../../../src/evaluate/ic.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { factorStudy } from '../../../src/model/evidence.js';
import { modelContext } from '../../../src/model/context.js';
import { modelScore } from '../../../src/model/score.js';
import { loadModelSpec } from '../../../src/model/files.js';
import {
  icSeriesCorrelation, monthlyForwardReturns, orthogonalizeAgainst, projectIndustryScore,
} from '../../../src/stockstudy/projection.js';
import { computePriceProxyFactors, computeStockFactors, equalWeightComposite, icirComposite } from '../../../src/stockstudy/stockFactors.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }

describe('projectIndustryScore', () => {
  it('gives each stock its point-in-time industry score and counts stocks without an industry', () => {
    const score = createPanel(['2020-01-31', '2020-02-28'], ['A', 'B'], new Float64Array([1, 2, 3, 4]));
    const membership = [
      { stock: 'x', industry: 'A', scheme: 's', validFrom: '2019-01-01', validTo: '2020-02-10' },
      { stock: 'x', industry: 'B', scheme: 's', validFrom: '2020-02-11' },
      { stock: 'y', industry: 'B', scheme: 's', validFrom: '2020-02-01' },
      { stock: 'z', industry: 'C', scheme: 's', validFrom: '2019-01-01' },
    ];
    const r = projectIndustryScore(score, membership, 's', ['x', 'y', 'z']);
    assert.deepEqual([...r.factor.values].map((v) => (Number.isNaN(v) ? null : v)), [1, null, null, 4, 4, null]);
    assert.equal(r.noIndustry, 1); // y in January
    assert.deepEqual([...r.noIndustryByDate], [1, 0]);
    assert.equal(r.unscored, 2); // z's industry C has no score
  });
});

describe('orthogonalizeAgainst', () => {
  it('leaves a residual with zero correlation with growth on every date', () => {
    const g = createRng(5);
    const T = 6, N = 50;
    const growth = new Float64Array(T * N), f = new Float64Array(T * N);
    for (let k = 0; k < T * N; k++) { growth[k] = g.normal(); f[k] = 0.7 * growth[k] + g.normal(); }
    f[3] = NaN; growth[60] = NaN;
    const dates = ['2020-01-31', '2020-02-28', '2020-03-31', '2020-04-30', '2020-05-29', '2020-06-30'];
    const assets = Array.from({ length: N }, (_, i) => `s${i}`);
    const res = orthogonalizeAgainst(createPanel(dates, assets, f), createPanel(dates, assets, growth));
    for (let t = 0; t < T; t++) {
      let n = 0, se = 0, sg = 0;
      for (let i = 0; i < N; i++) { const e = res.values[t * N + i]; if (e === e) { n++; se += e; sg += growth[t * N + i]; } }
      const me = se / n, mg = sg / n;
      let c = 0, ve = 0, vg = 0;
      for (let i = 0; i < N; i++) {
        const e = res.values[t * N + i]; if (e !== e) continue;
        c += (e - me) * (growth[t * N + i] - mg); ve += (e - me) ** 2; vg += (growth[t * N + i] - mg) ** 2;
      }
      ok(Math.abs(c / Math.sqrt(ve * vg)) < 1e-12, `date ${t}: correlation ${c / Math.sqrt(ve * vg)}`);
      ok(Math.abs(me) < 1e-12, 'residual mean 0');
    }
    ok(Number.isNaN(res.values[3]) && Number.isNaN(res.values[60]), 'missing inputs stay missing');
  });
});

describe('monthlyForwardReturns and composites', () => {
  it('computes month-end forward returns and equal-weight composites by hand', () => {
    const close = createPanel(['2020-01-30', '2020-01-31', '2020-02-28'], ['a', 'b'], new Float64Array([1, 1, 2, 4, 3, 2]));
    const r = monthlyForwardReturns(close, ['2020-01-31', '2020-02-28']);
    assert.deepEqual([r.values[0], r.values[1]], [0.5, -0.5]);
    ok(Number.isNaN(r.values[2]), 'last month end has no forward return');
    const a = createPanel(['2020-01-31'], ['a', 'b'], new Float64Array([1, NaN]));
    const b = createPanel(['2020-01-31'], ['a', 'b'], new Float64Array([3, 2]));
    assert.deepEqual([...equalWeightComposite([a, b]).values], [2, 2]);
  });
});

describe('computePriceProxyFactors', () => {
  it('computes the price proxies by hand on a geometric price path, carrying closes over a suspension', () => {
    // c(t) = 1.01^t for stock a; stock b is suspended on the lag day t − 240 (its close carried from t − 241).
    const T = 500, dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2015, 0, 1) + t * 86_400_000).toISOString().slice(0, 10));
    const v = new Float64Array(T * 2);
    for (let t = 0; t < T; t++) { v[t * 2] = 1.01 ** t; v[t * 2 + 1] = 1.02 ** t; }
    const t0 = 490;
    v[(t0 - 240) * 2 + 1] = NaN;
    const f = computePriceProxyFactors(createPanel(dates, ['a', 'b'], v), [dates[t0]]);
    const rel = (x: number, y: number, what: string): void => ok(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)), `${what}: ${x} vs ${y}`);
    rel(f.raw.value.values[0], -(1.01 ** 240 - 1), 'value proxy = −(c(t−240)/c(t−480) − 1)');
    rel(f.raw.growth.values[0], 1.01 ** 220 - 1, 'growth proxy = c(t−20)/c(t−240) − 1');
    rel(f.raw.reversal.values[0], -(1.01 ** 21 - 1), 'reversal');
    ok(Math.abs(f.raw.lowVol.values[0]) < 1e-12, 'constant daily return: zero volatility');
    rel(f.raw.growth.values[1], 1.02 ** 221 - 1, 'suspended lag day uses the last close before it');
  });
});

describe('seed-7 simulator', () => {
  it('the growth-orthogonalized industry factor has a positive mean monthly rank IC', () => {
    const ds = simulateMarket({ seed: 7 }).dataset;
    const study = factorStudy(ds);
    const score = modelScore(loadModelSpec('models/default.json'), modelContext(ds, { study })).score;
    const sf = computeStockFactors(ds.stocks!, study.dates);
    const fwd = monthlyForwardReturns(ds.stocks!.bars.close, study.dates);
    const proj = projectIndustryScore(score, ds.stocks!.membership, 'sim_l1', sf.stocks);
    const orth = zscore(orthogonalizeAgainst(proj.factor, sf.z.growth));
    const mean = (a: Float64Array): number => { let s = 0, n = 0; for (const x of a) if (x === x) { s += x; n++; } return s / n; };
    const icOrth = rankIcByDate(orth, fwd);
    ok(mean(icOrth.ic) > 0, `orthogonalized industry rank IC ${mean(icOrth.ic)}`);
    const corr = icSeriesCorrelation(rankIcByDate(proj.factor, fwd), rankIcByDate(sf.z.growth, fwd));
    ok(Number.isFinite(corr.correlation) && corr.n > 50, 'IC correlation with growth reported');
    const five = icirComposite([sf.z.value, sf.z.growth, sf.z.reversal, sf.z.lowVol, orth], fwd);
    // Weights use past ICs only: the first 12 dates (fewer than 12 known ICs) have no weights.
    ok(five.weights.slice(0, 12 * 5).every((w) => Number.isNaN(w)), 'no weights before 12 ICs');
    ok(mean(rankIcByDate(five.composite, fwd).ic) > 0, 'ICIR composite IC positive');
  });
});
