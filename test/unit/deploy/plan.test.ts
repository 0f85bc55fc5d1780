/**
 * Deployment plan on the simulator with the committed samples (data/deploy): prices by precedence
 * (instrument map > industry close on the as-of date > holdings file), reconciliation to capital,
 * every instrument within one lot of its target, and the samples' bad-input variants.
 * Run: node --import tsx --test test/unit/deploy/plan.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { modelContext } from '../../../src/model/context.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { targetWeights } from '../../../src/deploy/targets.js';
import { parseInstrumentMap } from '../../../src/deploy/instruments.js';
import { deploymentOrders, industryClosesAt, parseDatasetHoldings } from '../../../src/deploy/plan.js';
import { throwsCode } from '../assertions.js';

const ds = simulateMarket().dataset;
const targets = targetWeights(modelContext(ds), loadModelSpec('models/default.json'), 'latest');
const asOf = targets[0].date;
const mapText = readFileSync('data/deploy/instruments_sim.csv', 'utf8');
const holdingsText = readFileSync('data/deploy/holdings_sim.csv', 'utf8');

describe('deploymentOrders', () => {
  it('ETF orders from the samples reconcile to the capital, each within one lot of its target', () => {
    const map = parseInstrumentMap(mapText, 'instruments_sim.csv', ds.industries.map((x) => x.code));
    const holdings = parseDatasetHoldings(ds, holdingsText, 'holdings_sim.csv', map);
    const capital = 10_500_000;
    const { rows, totals } = deploymentOrders(ds, targets, holdings, { capital, costBps: 10, instruments: map });
    const inst = rows.filter((r) => r.instrument !== 'CASH');
    const cash = rows[rows.length - 1];
    assert.equal(cash.instrument, 'CASH');
    const sumFinal = inst.reduce((a, r) => a + r.finalValue, 0), sumCost = inst.reduce((a, r) => a + r.cost, 0);
    assert.ok(Math.abs(sumFinal + sumCost + cash.finalValue - capital) < 1e-6, 'final + cost + cash = capital');
    assert.ok(cash.finalValue >= 0, `cash ${cash.finalValue}`);
    for (const r of inst) {
      assert.ok(r.finalValue <= r.targetValue + 1e-6 || r.targetValue === 0 || r.status === 'hold', `${r.instrument} above target`);
      if (r.status !== 'skipped: below minimum') assert.ok(Math.abs(r.finalValue - r.targetValue) <= 100 * r.price + 1e-6, `${r.instrument} within one lot`);
      assert.equal(r.price, map.prices[r.instrument], `${r.instrument} priced from the map`);
    }
    // Every held instrument of the model's top 5 is there; the legacy position is sold.
    assert.equal(inst.filter((r) => r.targetWeight > 0).length, 5);
    const legacy = inst.find((r) => r.instrument === 'SIMETF01')!;
    assert.equal(legacy.finalQuantity, 0);
    assert.equal(totals.residualCash, cash.finalValue);
  });
  it('industries traded as index baskets are priced at the as-of close', () => {
    const closes = industryClosesAt(ds, asOf);
    const held = targets.filter((t) => t.targetWeight > 0).map((t) => t.industry);
    const text = `code,quantity,price\n${held[0]},100,1\n`;
    const holdings = parseDatasetHoldings(ds, text, 'h.csv');
    const { rows } = deploymentOrders(ds, targets, holdings, { capital: 1e8, lotSize: 1 });
    for (const r of rows.filter((x) => x.instrument !== 'CASH')) assert.equal(r.price, closes[r.instrument]);
  });
  it('bad inputs are named', () => {
    const map = parseInstrumentMap(mapText, 'instruments_sim.csv', ds.industries.map((x) => x.code));
    // A held ETF code without the instrument map is unknown.
    throwsCode(() => parseDatasetHoldings(ds, holdingsText, 'holdings_sim.csv'), 'DEPLOY_HOLDINGS_UNKNOWN_CODE');
    const holdings = parseDatasetHoldings(ds, holdingsText, 'holdings_sim.csv', map);
    throwsCode(() => deploymentOrders(ds, targets, holdings, { capital: 0, instruments: map }), 'DEPLOY_BAD_CAPITAL');
    throwsCode(() => deploymentOrders(ds, targets, holdings, { capital: -5, instruments: map }), 'DEPLOY_BAD_CAPITAL');
    throwsCode(() => deploymentOrders(ds, [], holdings, { capital: 1e6, instruments: map }), 'DEPLOY_BAD_ARGUMENT');
    throwsCode(() => industryClosesAt(ds, '2024-12-29'), 'DEPLOY_NOT_TRADING_DAY');
  });
});
