import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import { regimeLegendNames, regimeLegendNamesFromReturns, regimeStateStats } from '../../../src/report/regimes.js';

test('regimeStateStats: annualized mean and volatility of the returns on each state\'s days (hand-worked)', () => {
  // state 0 on r = 0.01, 0.03 → mean 0.02·P; std = √((0.01² + 0.01²)/1) = 0.0141421…; state 1 on −0.02 only; −1 skipped
  const s = regimeStateStats([0, 1, 0, -1, 2], [0.01, -0.02, 0.03, 0.5, NaN], 3, 252);
  assert.equal(s[0].days, 2);
  assert.ok(Math.abs(s[0].meanReturn - 0.02 * 252) < 1e-12);
  assert.ok(Math.abs(s[0].volatility - Math.SQRT2 * 0.01 * Math.sqrt(252)) < 1e-12);
  assert.equal(s[0].label, 'state 0: +504.0%/yr, vol 22.4% (2 days)');
  assert.equal(s[1].days, 1);
  assert.ok(Number.isNaN(s[1].volatility));
  assert.equal(s[1].label, 'state 1: -504.0%/yr, vol – (1 days)');
  assert.equal(s[2].days, 0, 'a NaN return is not counted');
  assert.deepEqual(Object.keys(regimeLegendNames(s)), ['state 0', 'state 1', 'state 2']);
  assert.throws(() => regimeStateStats([0], [0.1, 0.2], 1, 252), (e: unknown) => e instanceof RotationError && e.code === 'REPORT_REGIME_LENGTH');
});

test('regimeLegendNamesFromReturns: equal-weight market return per date over finite industry returns (hand-worked)', () => {
  // dates d0..d2, industries A, B: market = [0.02, 0.01 (B NaN), 0.00]
  const returns = { dates: ['d0', 'd1', 'd2'], assets: ['A', 'B'], values: Float64Array.from([0.01, 0.03, 0.01, NaN, 0.02, -0.02]) };
  const names = regimeLegendNamesFromReturns({ dates: returns.dates, states: [0, 0, 1], nStates: 2 }, returns, 100);
  // state 0: mean 0.015·100 = 150%, std of (0.02, 0.01) = 0.0070711·10 = 7.1%
  assert.equal(names['state 0'], 'state 0: +150.0%/yr, vol 7.1% (2 days)');
  assert.equal(names['state 1'], 'state 1: +0.0%/yr, vol – (1 days)');
  assert.throws(() => regimeLegendNamesFromReturns({ dates: ['x'], states: [0], nStates: 1 }, returns, 100),
    (e: unknown) => e instanceof RotationError && e.code === 'REPORT_REGIME_LENGTH');
});
