import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryModule, compileWat, watSources } from '../../../../scripts/wasm.js';
import { EVALUATION_KERNELS_WASM_BASE64 } from '../../../../src/evaluate/wasm/evaluationKernelsBinary.js';
import { fastRankScratchBytes, newFastRankScratch, sortAscending } from '../../../../src/evaluate/fastRank.js';
import { arenaBytes, assertLittleEndianHost, newKernelArena } from '../../../../src/evaluate/wasm/arena.js';
import { naiveRanks } from '../helpers.js';
import { createRng } from '../../../../src/random.js';
import { readFileSync } from 'node:fs';

test('every embedded WebAssembly kernel is the compilation of its .wat source (run `npm run build:wasm` after editing one)', async () => {
  const sources = watSources();
  assert.ok(sources.some((f) => f.endsWith('evaluationKernels.wat')), 'evaluationKernels.wat is found');
  for (const file of sources) {
    const out = binaryModule(file, await compileWat(file));
    assert.equal(readFileSync(out.path, 'utf8'), out.source, `${out.path} is stale: run npm run build:wasm`);
  }
  assert.ok(EVALUATION_KERNELS_WASM_BASE64.length > 100);
});

test('evaluation kernels, sort: clustered values exceed the insertion budget, the kernel says so and the fallback still sorts exactly', () => {
  const rng = createRng(3);
  const n = 4000;
  const sc = newFastRankScratch(n);
  // All keys agree on their upper 32 bits: the radix passes cannot separate them.
  for (let i = 0; i < n; i++) sc.input[i] = 1 + rng.uniform() * 1e-12;
  assert.equal(sc.sortKernel(n), 1, 'kernel reports the exceeded budget');
  const x = sc.input.slice(0, n);
  sortAscending(x, n, sc);
  const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : a - b));
  assert.deepEqual([...sc.order.subarray(0, n)], want);
  // Spread values stay within the budget.
  for (let i = 0; i < n; i++) sc.input[i] = rng.normal();
  assert.equal(sc.sortKernel(n), 0);
});

test('evaluation kernels, sort: input view and a separate array give the same order; more cells than the capacity is an error', () => {
  const rng = createRng(4);
  const n = 500;
  const sc = newFastRankScratch(n);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  sortAscending(x, n, sc);
  const a = sc.order.slice(0, n);
  sc.input.set(x);
  sortAscending(sc.input, n, sc);
  assert.deepEqual(sc.order.slice(0, n), a);
  assert.throws(() => sortAscending(new Float64Array(n + 1), n + 1, sc), /exceed the scratch capacity 500/);
});

test('evaluation kernels, gatherPairs: hand-worked pairs in factor order, NaN returns left out, flags choose the outputs', () => {
  const a = newKernelArena(arenaBytes([4, 4, 4, 4, 2], [4, 4, 4, 4]));
  const posOrd = a.i32(4), bucketQ = a.i32(4), bj = a.i32(4), pa = a.i32(4);
  const fwd = a.f64(4), fsorted = a.f64(4), rr = a.f64(4), sf = a.f64(4), stats = a.f64(2);
  posOrd.set([2, 0, 1, 3]); fwd.set([0.1, NaN, -0.2, 0.3]); fsorted.set([1, 2, 3, 4]); bucketQ.set([0, 0, 1, 1]);
  const call = (flags: number) => a.kernels.gatherPairs(posOrd.byteOffset, 4, fwd.byteOffset, fsorted.byteOffset, bucketQ.byteOffset,
    rr.byteOffset, sf.byteOffset, bj.byteOffset, pa.byteOffset, flags, stats.byteOffset);
  assert.equal(call(0), 3);
  assert.deepEqual([...rr.subarray(0, 3)], [-0.2, 0.1, 0.3]);
  assert.deepEqual([...sf], [0, 0, 0, 0], 'flag 1 off: factor values not written');
  assert.deepEqual([...stats], [-0.2, 0.3]);
  assert.equal(call(7), 3);
  assert.deepEqual([...sf.subarray(0, 3)], [1, 2, 4]);
  assert.deepEqual([...bj.subarray(0, 3)], [0, 0, 1]);
  assert.deepEqual([...pa.subarray(0, 3)], [2, 0, 3]);
  fwd.fill(NaN);
  assert.equal(call(7), 0);
  assert.deepEqual([...stats], [Infinity, -Infinity]);
});

test('evaluation kernels, rankCorrelation: equals Pearson of midranks (naive), with and without factor ties, clipped', () => {
  const rng = createRng(9);
  const n = 300;
  const a = newKernelArena(fastRankScratchBytes(n) + arenaBytes([n], []));
  const sc = newFastRankScratch(n, a), fRank = a.f64(n);
  for (const factorTies of [false, true]) {
    // Pairs in factor order: factor ranks 1..n, or midranks of a tied factor.
    const f = Array.from({ length: n }, (_, j) => (factorTies ? Math.floor(j / 4) : j));
    const r = Array.from({ length: n }, (_, j) => Math.round((0.3 * j / n + rng.normal()) * 5) / 5); // tied returns
    fRank.set(naiveRanks(f));
    sc.input.set(r);
    sortAscending(sc.input, n, sc);
    const got = a.kernels.rankCorrelation(sc.sorted.byteOffset, sc.order.byteOffset, fRank.byteOffset, factorTies ? 1 : 0, n);
    const fr = naiveRanks(f), rr = naiveRanks(r), mid = (n + 1) / 2;
    let sab = 0, saa = 0, sbb = 0;
    for (let j = 0; j < n; j++) { const x = fr[j] - mid, y = rr[j] - mid; sab += x * y; saa += x * x; sbb += y * y; }
    // Every term is a multiple of 1/4 and every partial sum is below 2^53/4: the sums are exact in any order.
    assert.equal(got, sab / Math.sqrt(saa * sbb), `ties=${factorTies}`);
    assert.ok(got > 0.05 && got < 1);
  }
  // No ties on either side (the closed-form path), odd and even n: the same bits as one
  // accumulator in return order.
  for (const m of [n, n - 1]) {
    const r = Array.from({ length: m }, (_, j) => 0.3 * j / m + rng.normal());
    fRank.set(Array.from({ length: m }, (_, j) => j + 1));
    sc.input.set(r);
    sortAscending(sc.input, m, sc);
    const got = a.kernels.rankCorrelation(sc.sorted.byteOffset, sc.order.byteOffset, fRank.byteOffset, 0, m);
    const rr = naiveRanks(r), mid = (m + 1) / 2;
    let sab = 0, saa = 0, sbb = 0;
    for (let w = 0; w < m; w++) { const j = sc.order[w], x = j + 1 - mid, y = rr[j] - mid; sab += x * y; saa += x * x; sbb += y * y; }
    assert.equal(got, sab / Math.sqrt(saa * sbb), `no ties, n=${m}`);
  }
  // Identical orders: exactly 1 (not 1 + 1 ulp).
  fRank.set(Array.from({ length: n }, (_, j) => j + 1));
  sc.input.set(Array.from({ length: n }, (_, j) => j * 0.1));
  sortAscending(sc.input, n, sc);
  assert.equal(a.kernels.rankCorrelation(sc.sorted.byteOffset, sc.order.byteOffset, fRank.byteOffset, 0, n), 1);
});

test('evaluation kernels, groupRunSums: sums per run of groups, shifted by K, group −1 left out, sums reset per call', () => {
  const a = newKernelArena(arenaBytes([6, 3, 3], [6, 3]));
  const rr = a.f64(6), s1 = a.f64(3), s2 = a.f64(3), bj = a.i32(6), cnt = a.i32(3);
  rr.set([1, 2, 3, 4, 5, 6]); bj.set([0, 0, 1, -1, 1, 2]);
  for (let rep = 0; rep < 2; rep++) {
    a.kernels.groupRunSums(rr.byteOffset, bj.byteOffset, 6, 1, s1.byteOffset, s2.byteOffset, cnt.byteOffset, 3);
    assert.deepEqual([...s1], [0 + 1, 2 + 4, 5]);
    assert.deepEqual([...s2], [0 + 1, 4 + 16, 25]);
    assert.deepEqual([...cnt], [2, 2, 1]);
  }
});

test('evaluation kernels, assetsInOrder: assets of the sorted cells and the factor-ties flag', () => {
  const a = newKernelArena(arenaBytes([3], [3, 3, 3]));
  const sorted = a.f64(3), xp = a.i32(3), ord = a.i32(3), posOrd = a.i32(3);
  xp.set([4, 7, 9]); ord.set([2, 0, 1]); sorted.set([1, 2, 3]);
  assert.equal(a.kernels.assetsInOrder(xp.byteOffset, ord.byteOffset, sorted.byteOffset, posOrd.byteOffset, 3), 0);
  assert.deepEqual([...posOrd], [9, 4, 7]);
  sorted.set([1, 2, 2]);
  assert.equal(a.kernels.assetsInOrder(xp.byteOffset, ord.byteOffset, sorted.byteOffset, posOrd.byteOffset, 3), 1);
});

test('kernel arena: views are 8-byte aligned and an arena too small for a request is a named error', () => {
  const a = newKernelArena(arenaBytes([1], [3]));
  const i = a.i32(3), f = a.f64(1);
  assert.equal(f.byteOffset % 8, 0);
  assert.ok(f.byteOffset >= i.byteOffset + 12);
  assert.throws(() => newKernelArena(16).f64(1e6), /kernel arena: 8000000 bytes needed, 65536 allocated/);
});

test('kernel arena: a big-endian host is a named error saying where the kernels run', () => {
  assert.doesNotThrow(() => assertLittleEndianHost());
  assert.throws(() => assertLittleEndianHost(false), (e: Error & { code?: string }) =>
    e.code === 'EVAL_BIG_ENDIAN_HOST' && /x86-64 or arm64/.test(e.message));
});

test('evaluation kernels, validCells: the non-NaN cells of a row in asset order, with their assets', () => {
  const a = newKernelArena(arenaBytes([5, 5], [5]));
  const row = a.f64(5), xv = a.f64(5), xp = a.i32(5);
  row.set([NaN, 2, -0, NaN, 7]);
  assert.equal(a.kernels.validCells(row.byteOffset, 5, xv.byteOffset, xp.byteOffset), 3);
  assert.deepEqual([...xv.subarray(0, 3)], [2, -0, 7]);
  assert.ok(Object.is(xv[1], -0));
  assert.deepEqual([...xp.subarray(0, 3)], [1, 2, 4]);
});

test('evaluation kernels, groupMembership: sizes, each asset\'s group and the names new to their group (hand-worked)', () => {
  const a = newKernelArena(arenaBytes([], [4, 4, 5, 5, 2, 2]));
  const bucketQ = a.i32(4), posOrd = a.i32(4), prev = a.i32(5), cur = a.i32(5), sizes = a.i32(2), newNames = a.i32(2);
  // Four assets in factor order 3, 0, 4, 1 (asset 2 has no factor value); groups 0, 0, 1, -1.
  bucketQ.set([0, 0, 1, -1]); posOrd.set([3, 0, 4, 1]);
  prev.set([0, 1, -1, 1, 1]); // at the previous date: asset 0 in group 0, assets 1, 3, 4 in group 1
  cur.set([9, 9, 9, 9, 9]);
  a.kernels.groupMembership(bucketQ.byteOffset, posOrd.byteOffset, 4, prev.byteOffset, cur.byteOffset, 5, sizes.byteOffset, newNames.byteOffset, 2);
  assert.deepEqual([...cur], [0, -1, -1, 0, 1]);
  assert.deepEqual([...sizes], [2, 1]);
  assert.deepEqual([...newNames], [1, 0], 'asset 3 moved from group 1 to 0; asset 0 stayed in 0, asset 4 in 1');
});
