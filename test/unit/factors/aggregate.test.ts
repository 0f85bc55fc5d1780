import { test } from 'node:test';
import assert from 'node:assert/strict';
import { membershipAsOf } from '../../../src/data/pointInTime.js';
import type { MembershipRecord } from '../../../src/data/types.js';
import { aggregateToIndustries, datasetMembership, industryBreadth, industryCap } from '../../../src/factors/aggregate.js';
import { createPanel } from '../../../src/panel/panel.js';
import { fundamentalsFixture, near, throwsCode } from './helpers.js';

// Stocks A..E over 3 dates; C moves from G1 to G2 on 2020-01-02; E has no industry.
const dates = ['2020-01-01', '2020-01-02', '2020-01-03'];
const stocks = ['A', 'B', 'C', 'D', 'E'];
const records: MembershipRecord[] = [
  { stock: 'A', industry: 'G1', scheme: 's', validFrom: '2019-01-01' },
  { stock: 'B', industry: 'G1', scheme: 's', validFrom: '2019-01-01' },
  { stock: 'C', industry: 'G1', scheme: 's', validFrom: '2019-01-01', validTo: '2020-01-01' },
  { stock: 'C', industry: 'G2', scheme: 's', validFrom: '2020-01-02' },
  { stock: 'D', industry: 'G2', scheme: 's', validFrom: '2019-01-01' },
];
const mem = membershipAsOf(records, 's', dates, stocks);
const x = createPanel(dates, stocks, Float64Array.from([
  1, 2, 3, 4, 9,
  2, 2, 6, NaN, 9,
  3, 1, 6, 8, 9,
]));
const cap = createPanel(dates, stocks, Float64Array.from([
  1, 1, 2, 1, 1,
  1, 3, 2, 1, 1,
  2, 2, NaN, 1, 1,
]));
const row = (p: { values: Float64Array }, t: number) => [...p.values.subarray(t * 2, t * 2 + 2)];

test('cap-weighted, equal-weighted, median and sum with point-in-time membership', () => {
  const c = aggregateToIndustries(x, mem, { method: 'cap', weights: cap });
  assert.deepEqual(c.panel.assets, ['G1', 'G2']);
  near(row(c.panel, 0)[0], (1 * 1 + 2 * 1 + 3 * 2) / 4); // C still in G1
  near(row(c.panel, 0)[1], 4);
  near(row(c.panel, 1)[0], (2 * 1 + 2 * 3) / 4);
  near(row(c.panel, 1)[1], 6); // D is NaN; C moved to G2
  near(row(c.panel, 2)[1], 8); // C has no cap → left out (counted)
  assert.equal(c.loss.dropped['missing or non-positive weight'], 1);
  assert.equal(c.loss.dropped['no industry on the date'], 3); // E each date
  assert.equal(c.loss.rowsRead, c.loss.rowsKept + 4);
  assert.deepEqual([...c.members], [3, 1, 2, 1, 2, 1]);

  const e = aggregateToIndustries(x, mem, { method: 'equal' });
  assert.deepEqual(row(e.panel, 0), [2, 4]);
  assert.deepEqual(row(e.panel, 2), [2, 7]);
  const m = aggregateToIndustries(x, mem, { method: 'median' });
  assert.deepEqual(row(m.panel, 0), [2, 4]);
  assert.deepEqual(row(m.panel, 1), [2, 6]);
  assert.deepEqual(row(m.panel, 2), [2, 7]); // even count: mean of the middle two
  const s = aggregateToIndustries(x, mem, { method: 'sum' });
  assert.deepEqual(row(s.panel, 2), [4, 14]);
  const min2 = aggregateToIndustries(x, mem, { method: 'equal', minMembers: 2 });
  assert.ok(Number.isNaN(row(min2.panel, 0)[1]));
});

test('breadth: share of members that improved against the lag', () => {
  const b = industryBreadth(x, mem, 1);
  assert.ok(Number.isNaN(row(b.panel, 0)[0]));
  // date 1: G1 = {A 1→2 up, B 2→2 flat}; G2 = {C 3→6 up, D NaN}
  assert.deepEqual(row(b.panel, 1), [0.5, 1]);
  // date 2: G1 = {A 2→3 up, B 2→1 down}; G2 = {C 6→6 flat, D NaN→8 no lag}
  assert.deepEqual(row(b.panel, 2), [0.5, 0]);
  assert.equal(b.loss.dropped['no lagged value'], 4 + 1);
});

test('errors: misaligned dates, cap without weights, unknown method, bad lag', () => {
  const other = membershipAsOf(records, 's', ['2020-01-01', '2020-01-02'], stocks);
  throwsCode(() => aggregateToIndustries(x, other, { method: 'equal' }), 'AGG_MISALIGNED');
  throwsCode(() => aggregateToIndustries(x, mem, { method: 'cap' }), 'AGG_BAD_ARGUMENT');
  throwsCode(() => aggregateToIndustries(x, mem, { method: 'mean' as 'equal' }), 'AGG_BAD_ARGUMENT');
  throwsCode(() => industryBreadth(x, mem, 0), 'AGG_BAD_ARGUMENT');
});

test('stocks absent from the membership count as "no industry"; asset order may differ', () => {
  const reordered = createPanel(dates, ['D', 'Z', 'A'], Float64Array.from([4, 1, 1, NaN, 1, 2, 8, 1, 3]));
  const e = aggregateToIndustries(reordered, mem, { method: 'equal' });
  assert.deepEqual(row(e.panel, 0), [1, 4]);
  assert.equal(e.loss.dropped['no industry on the date'], 3);
});

test('industry aggregate cap of a dataset (sum of members\' float caps, membership as of each date)', () => {
  const ds = fundamentalsFixture(60);
  const d = [ds.calendar[10], ds.calendar[50]];
  const res = industryCap(ds, d);
  const m = datasetMembership(ds, d);
  assert.deepEqual(res.panel.assets, ds.industries.map((i) => i.code));
  // makeStocks gives stock s (sorted order) a float cap of 100·(s + 1)
  const st = ds.stocks!.bars.floatCap!.assets;
  for (let k = 0; k < 2; k++) {
    for (let g = 0; g < 6; g++) {
      let sum = 0;
      for (let s = 0; s < st.length; s++) if (m.codes[k * st.length + s] === g) sum += 100 * (s + 1);
      near(res.panel.values[k * 6 + g], sum);
    }
  }
});
