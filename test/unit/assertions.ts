/** Shared test assertions. */
import assert from 'node:assert/strict';
import { RotationError } from '../../src/errors.js';

/** Run `fn`, assert it throws a RotationError with `code`, and return the error for further checks. */
export function throwsCode(fn: () => unknown, code: string): RotationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof RotationError, `expected RotationError ${code}, got ${String(caught)}`);
  assert.equal((caught as RotationError).code, code, (caught as RotationError).message);
  return caught as RotationError;
}

/** Awaits `p`, asserts it rejects with a RotationError of `code`, and returns the error. */
export async function rejectsCode(p: Promise<unknown>, code: string): Promise<RotationError> {
  let caught: unknown;
  try { await p; } catch (e) { caught = e; }
  assert.ok(caught instanceof RotationError, `expected RotationError ${code}, got ${String(caught)}`);
  assert.equal((caught as RotationError).code, code, (caught as RotationError).message);
  return caught as RotationError;
}
