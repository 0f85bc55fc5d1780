import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryModule, compileWat, watSources } from '../../../../scripts/wasm.js';
import { SORT_KERNEL_WASM_BASE64 } from '../../../../src/evaluate/wasm/sortKernelBinary.js';
import { newFastRankScratch, sortAscending } from '../../../../src/evaluate/fastRank.js';
import { createRng } from '../../../../src/random.js';
import { readFileSync } from 'node:fs';

test('every embedded WebAssembly kernel is the compilation of its .wat source (run `npm run build:wasm` after editing one)', async () => {
  const sources = watSources();
  assert.ok(sources.some((f) => f.endsWith('sortKernel.wat')), 'sortKernel.wat is found');
  for (const file of sources) {
    const out = binaryModule(file, await compileWat(file));
    assert.equal(readFileSync(out.path, 'utf8'), out.source, `${out.path} is stale: run npm run build:wasm`);
  }
  assert.ok(SORT_KERNEL_WASM_BASE64.length > 100);
});

test('sort kernel: clustered values exceed the insertion budget, the kernel says so and the fallback still sorts exactly', () => {
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

test('sort kernel: input view and a separate array give the same order; more cells than the capacity is an error', () => {
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
