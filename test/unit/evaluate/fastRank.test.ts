import { test } from 'node:test';
import assert from 'node:assert/strict';
import { midranksInto, newRankScratch } from '../../../src/panel/kernels.js';
import { fastMidranksInto, midranksOfSorted, newFastRankScratch, sortAscending } from '../../../src/evaluate/fastRank.js';
import { createRng } from '../../../src/random.js';
import { naiveRanks } from './helpers.js';

test('sortAscending orders by (value, position) and fastMidranksInto equals midranksInto on many distributions', () => {
  const rng = createRng(11);
  const gens: [string, () => number][] = [
    ['normal', () => rng.normal() * 0.02], ['heavy tails', () => rng.studentT(3)], ['ties', () => Math.round(rng.normal() * 4) / 4],
    ['narrow band', () => 100 + rng.uniform()], ['constant', () => 1.5], ['signed zeros', () => (rng.uniform() < 0.5 ? -0 : 0)],
    ['three values', () => rng.int(3)], ['wide exponents', () => (rng.uniform() < 0.5 ? 1e300 : -1e-300) * rng.uniform()],
    ['infinities', () => (rng.uniform() < 0.1 ? Infinity : rng.uniform() < 0.1 ? -Infinity : rng.normal())],
    ['clustered below 2^-20', () => 1 + rng.int(10) * 1e-9 + rng.uniform() * 1e-12],
  ];
  const N = 3000;
  const sc = newFastRankScratch(N), rs = newRankScratch(N);
  const x = new Float64Array(N), a = new Float64Array(N), b = new Float64Array(N);
  for (const [name, g] of gens) {
    for (const n of [0, 1, 2, 7, 24, 25, 200, N]) {
      for (let i = 0; i < n; i++) x[i] = g();
      midranksInto(x, n, a, rs);
      fastMidranksInto(x, n, b, sc);
      for (let i = 0; i < n; i++) assert.equal(b[i], a[i], `${name} n=${n} i=${i}`);
      sortAscending(x, n, sc);
      for (let k = 1; k < n; k++) {
        const p = sc.order[k - 1], q = sc.order[k];
        assert.ok(x[p] < x[q] || (x[p] === x[q] && p < q), `${name} n=${n} order at ${k}`);
        assert.equal(sc.sorted[k], x[q]);
      }
    }
  }
});

test('sortAscending: hand-worked order with ties broken by position', () => {
  const x = Float64Array.from([3, 1, 2, 2, -0, 0]);
  const sc = newFastRankScratch(6);
  sortAscending(x, 6, sc);
  assert.deepEqual([...sc.order], [4, 5, 1, 2, 3, 0]);
  const r = new Float64Array(6);
  fastMidranksInto(x, 6, r, sc);
  assert.deepEqual([...r], naiveRanks([...x]));
  assert.deepEqual([...r], [6, 3, 4.5, 4.5, 1.5, 1.5]);
});

test('midranksOfSorted: runs share the average rank and the count of tied runs is returned', () => {
  const out = new Float64Array(6);
  assert.equal(midranksOfSorted(Float64Array.from([1, 2, 2, 3, 5, 5]), 6, out), 2);
  assert.deepEqual([...out], [1, 2.5, 2.5, 4, 5.5, 5.5]);
  assert.equal(midranksOfSorted(Float64Array.from([1, 2, 3]), 3, out), 0);
});

test('sortAscending gives the comparison-sort order on spread, tied, clustered, infinite and huge-span values', () => {
  // 200 cells (above the insertion-sort size): the radix window, the insertion clean-up and its
  // quicksort fallback all see these.
  const rng = createRng(5);
  const n = 200;
  const cases: [string, Float64Array][] = [
    ['spread', Float64Array.from({ length: n }, () => rng.normal())],
    ['spread with ties', Float64Array.from({ length: n }, () => Math.round(rng.normal() * 8) / 8)],
    ['cluster and outlier', Float64Array.from({ length: n }, (_, i) => (i === 7 ? 1e9 : rng.uniform()))],
    ['infinite', Float64Array.from({ length: n }, (_, i) => (i === 3 ? -Infinity : rng.uniform()))],
    ['huge span', Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1.7e308 : -1.7e308) * rng.uniform())],
  ];
  const sc = newFastRankScratch(n);
  for (const [name, x] of cases) {
    const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : a - b));
    sortAscending(x, n, sc);
    assert.deepEqual([...sc.order], want, name);
    assert.deepEqual([...sc.sorted], want.map((i) => x[i]), name);
  }
});
