import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCrossSections } from '../../../src/evaluate/crossSection.js';
import { forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { groupTurnover, rankAutocorrelation } from '../../../src/evaluate/turnover.js';
import { close, P, randomMarket, spearman, throwsCode } from './helpers.js';

test('rank autocorrelation: Spearman of the factor at t and t − 1 over the common assets', () => {
  const f = P([[1, 2, 3, NaN], [2, 1, 3, 4], [4, 3, 2, 1]]);
  const ac = rankAutocorrelation(f);
  assert.ok(Number.isNaN(ac.ic[0]));
  close(ac.ic[1], spearman([2, 1, 3], [1, 2, 3]));
  close(ac.ic[2], spearman([4, 3, 2, 1], [2, 1, 3, 4]));
  assert.deepEqual([...ac.n], [0, 3, 4]);
  throwsCode(() => rankAutocorrelation(f, { lag: 3 }), 'EVAL_HORIZON_TOO_LONG');
});

test('standalone group turnover equals the single-pass turnover of evaluateCrossSections', () => {
  const { prices, factor } = randomMarket(41, 40, 60, { ties: true });
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  for (const groups of [{ quantiles: 5 }, { topK: 6 }] as const) {
    for (const ties of ['first', 'average'] as const) {
      const a = groupTurnover(factor, { groups, ties });
      const b = evaluateCrossSections(factor, fr, { groups, ties }).turnover!;
      assert.deepEqual(a.labels, b.labels);
      for (let k = 0; k < a.turnover.length; k++) close(a.turnover[k], b.turnover[k], 0, `${JSON.stringify(groups)} ${ties} ${k}`);
    }
  }
  const slow = P([[1, 2, 3, 4], [1, 2, 3, 4], [4, 3, 2, 1]]);
  const t = groupTurnover(slow, { groups: { quantiles: 2 }, minAssets: 2 });
  assert.deepEqual([...t.turnover.slice(2)], [0, 0, 1, 1]);
});
