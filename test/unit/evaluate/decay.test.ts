import { test } from 'node:test';
import assert from 'node:assert/strict';
import { icDecay } from '../../../src/evaluate/decay.js';
import { forwardReturnPanel, forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { rankIcByDate } from '../../../src/evaluate/ic.js';
import { createPanel } from '../../../src/panel/panel.js';
import { close, randomMarket, throwsCode } from './helpers.js';

test('IC decay: lag k equals the rank IC of f_t against the one-period return k periods later', () => {
  const { prices, factor } = randomMarket(31, 30, 25);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const dec = icDecay(factor, fr, { maxLag: 4 });
  assert.deepEqual(dec.lags, [0, 1, 2, 3, 4]);
  const r1 = forwardReturnPanel(fr, 1);
  const N = 25;
  for (let k = 0; k <= 4; k++) {
    // Shift the one-period returns up by k rows: row t holds the return over (t+k, t+k+1].
    const v = new Float64Array(30 * N).fill(NaN);
    v.set(r1.values.subarray(k * N), 0);
    const ref = rankIcByDate(factor, createPanel(r1.dates, r1.assets, v));
    let s = 0, c = 0;
    for (let t = 0; t < 30; t++) {
      close(dec.series[k].ic[t], ref.ic[t], 1e-12, `k=${k} t=${t}`);
      if (!Number.isNaN(ref.ic[t])) { s += ref.ic[t]; c++; }
    }
    close(dec.mean[k], s / c, 1e-12);
    assert.equal(dec.n[k], c);
  }
  // The factor drives the next return only: lag 0 carries the signal, later lags do not.
  assert.ok(dec.mean[0] > 0.15 && Math.abs(dec.mean[3]) < 0.1, `${[...dec.mean]}`);
});

test('IC decay: a lag beyond the data is a named error', () => {
  const { prices, factor } = randomMarket(32, 6, 5);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const e = throwsCode(() => icDecay(factor, fr, { maxLag: 5 }), 'EVAL_HORIZON_TOO_LONG');
  assert.match(e.message, /maxLag|lag 5/);
  throwsCode(() => icDecay(factor, fr, { maxLag: -1 }), 'EVAL_BAD_ARGUMENT');
});
