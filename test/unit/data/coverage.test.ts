import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPanel } from '../../../src/panel/panel.js';
import { coverageByAsset, coverageByMonth } from '../../../src/data/coverage.js';

const N = NaN;
const p = createPanel(
  ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02'],
  ['A', 'B', 'C'],
  new Float64Array([
    1, N, N,
    1, 2, N,
    N, 2, N,
    1, 2, N,
  ]),
);

test('coverageByAsset: first/last, missing share over the calendar, gaps inside the life', () => {
  const c = coverageByAsset(p, { A: 'Alpha' });
  assert.deepEqual(c[0], { asset: 'A', name: 'Alpha', first: '2024-01-30', last: '2024-02-02', valid: 3, missingShare: 0.25, gapShare: 0.25 });
  assert.equal(c[1].first, '2024-01-31');
  assert.equal(c[1].missingShare, 0.25);
  assert.equal(c[1].gapShare, 0);
  assert.equal(c[2].first, undefined);
  assert.equal(c[2].missingShare, 1);
  assert.ok(Number.isNaN(c[2].gapShare));
});

test('coverageByMonth: share of each month with data', () => {
  const m = coverageByMonth(p);
  assert.deepEqual(m.months, ['2024-01', '2024-02']);
  assert.deepEqual(Array.from(m.share[0]), [1, 0.5]);
  assert.deepEqual(Array.from(m.share[1]), [0.5, 1]);
  assert.deepEqual(Array.from(m.share[2]), [0, 0]);
});
