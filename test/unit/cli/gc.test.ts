/**
 * collectGarbage runs a full collection on request: an object no longer reachable is gone after it.
 * Run: node --import tsx --test test/unit/cli/gc.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectGarbage } from '../../../src/cli/gc.js';

test('collectGarbage frees what is no longer reachable', async () => {
  let big: Float64Array | null = new Float64Array(1 << 20);
  const ref = new WeakRef(big);
  big = null;
  await new Promise((r) => setTimeout(r, 0)); // a WeakRef target lives to the end of the current job
  collectGarbage();
  assert.equal(ref.deref(), undefined);
  collectGarbage(); // a second call reuses the same function
});
