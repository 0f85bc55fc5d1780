/**
 * Recovery of the simulator's planted signals: the mean 1M rank IC measured by src/evaluate has
 * the planted sign and lies within a stated tolerance of truth.plantedIc.
 *
 * Setup: simulateMarket({ seed: 7, nIndustries: 60, years: 20, nStocks: 1200 }) (60 industries x
 * ~239 month ends: the standard error of a mean monthly rank IC is about 1/√59/√239 ≈ 0.0085).
 * The switch-off factor is compared before truth.switchOff.date (its plantedIc is the value
 * before the switch).
 *   - the simulator's own month-end factor values (truth.industryFactors): tolerance 0.02;
 *   - the registry factors that measure the same thing (computeFactors): tolerance 0.025;
 *     valuation_pb_percentile is the percentile of PB, bp_pct_3y that of 1/PB, so its sign is
 *     flipped; turnover_crowding (20d/120d turnover) is proxied by crowding_volume_z.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { icForHorizon } from '../../../src/evaluate/crossSection.js';
import { forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { computeFactors } from '../../../src/factors/registry.js';
import type { Panel } from '../../../src/panel/panel.js';

const REGISTRY: Record<string, [string, 1 | -1]> = {
  momentum_12_1: ['mom_12_1', 1], momentum_1m: ['mom_1m', 1], analyst_fy2_revision_3m: ['fy2_rev_3m', 1],
  growth_np_yoy: ['np_yoy_q', 1], quality_roe: ['roe_ttm', 1], valuation_pb_percentile: ['bp_pct_3y', -1],
  hf_last30_return: ['hf_last30_ret_1m', 1], turnover_crowding: ['crowding_volume_z', 1],
};

test('planted industry ICs are recovered at 1M with the planted sign (simulator + computeFactors)', (t) => {
  const { dataset, truth } = simulateMarket({ seed: 7, nIndustries: 60, years: 20, nStocks: 1200 });
  const dates = monthEndRebalanceDates(dataset.calendar);
  const fr = forwardReturnsFromPrices(dataset.industryBars.close, { horizons: [1], rebalance: dates, periodsPerYear: 12 });
  const batch = computeFactors(dataset, dates, { ids: Object.values(REGISTRY).map(([id]) => id) });
  const meanIc = (p: Panel, before?: string): number => {
    const ic = icForHorizon(p, fr, '1M');
    let s = 0, c = 0;
    ic.ic.forEach((v, k) => { if (!Number.isNaN(v) && (before === undefined || ic.dates[k] < before)) { s += v; c++; } });
    return s / c;
  };
  const rows: string[] = ['factor | planted | simulator values | registry factor | registry'];
  for (const [name, planted] of Object.entries(truth.plantedIc)) {
    const before = name === truth.switchOff.factor ? truth.switchOff.date : undefined;
    const own = meanIc(truth.industryFactors[name as keyof typeof truth.industryFactors], before);
    const [id, sign] = REGISTRY[name];
    const reg = sign * meanIc(batch.results.get(id)!.panel, before);
    rows.push(`${name} | ${planted.toFixed(3)} | ${own.toFixed(4)} | ${sign < 0 ? '−' : ''}${id} | ${reg.toFixed(4)}`);
    assert.equal(Math.sign(own), Math.sign(planted), `${name}: simulator values ${own} vs planted ${planted}`);
    assert.ok(Math.abs(own - planted) <= 0.02, `${name}: simulator values ${own} vs planted ${planted} (tolerance 0.02)`);
    assert.equal(Math.sign(reg), Math.sign(planted), `${name} via ${id}: ${reg} vs planted ${planted}`);
    assert.ok(Math.abs(reg - planted) <= 0.025, `${name} via ${id}: ${reg} vs planted ${planted} (tolerance 0.025)`);
  }
  for (const r of rows) t.diagnostic(r);
});
