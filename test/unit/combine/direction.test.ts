import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignDirection, factorDirections } from '../../../src/combine/direction.js';
import { P, throwsCode } from '../evaluate/helpers.js';

test('alignDirection multiplies lower-is-better factors (registry direction −1) by −1', () => {
  assert.deepEqual(factorDirections(['mom_12_1', 'mom_1m', 'vol_3m']), { mom_12_1: 1, mom_1m: -1, vol_3m: -1 });
  const f = P([[1, -2, NaN]]);
  const out = alignDirection({ mom_12_1: f, mom_1m: f });
  assert.equal(out.mom_12_1, f);
  assert.deepEqual([...out.mom_1m.values], [-1, 2, NaN]);
  const custom = alignDirection(new Map([['my_factor', f]]), { my_factor: -1 });
  assert.deepEqual([...custom.my_factor.values], [-1, 2, NaN]);
  const e = throwsCode(() => alignDirection({ my_factor: f }), 'COMBINE_UNKNOWN_DIRECTION');
  assert.match(e.fix, /my_factor/);
  throwsCode(() => factorDirections(['mom_1m'], { mom_1m: 2 }), 'COMBINE_BAD_ARGUMENT');
});
