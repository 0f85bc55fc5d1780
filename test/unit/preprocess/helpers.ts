/** Shared helpers of the preprocessing tests (not a test file itself). */
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';

export function dates(T: number): string[] {
  return Array.from({ length: T }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10));
}

/** Panel from rows of numbers (one inner array per date). */
export function P(rows: number[][]): Panel {
  const N = rows[0].length;
  return createPanel(dates(rows.length), Array.from({ length: N }, (_, i) => `A${i}`), Float64Array.from(rows.flat()));
}

export function row(p: Panel, t: number): number[] {
  const N = p.assets.length;
  return [...p.values.subarray(t * N, (t + 1) * N)];
}

export function close(actual: number[], expected: number[], tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let k = 0; k < actual.length; k++) {
    if (Number.isNaN(expected[k])) assert.ok(Number.isNaN(actual[k]), `cell ${k}: expected NaN, got ${actual[k]}`);
    else assert.ok(Math.abs(actual[k] - expected[k]) <= tol * Math.max(1, Math.abs(expected[k])), `cell ${k}: expected ${expected[k]}, got ${actual[k]}`);
  }
}

export function throwsCode(fn: () => unknown, code: string): RotationError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RotationError, `expected RotationError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code} to be thrown`);
}
