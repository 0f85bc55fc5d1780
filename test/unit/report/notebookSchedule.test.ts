/**
 * Start order of the notebook runner (src/report/notebookSchedule.ts): longest first, recorded
 * seconds before committed hints, unknown notebooks last in file order; the recorded file
 * round-trips and a damaged one is ignored.
 * Run: node --import tsx --test test/unit/report/notebookSchedule.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectedSecondsHint, longestFirst, NOTEBOOK_SECONDS_FILE, readNotebookSeconds, recordNotebookSeconds } from '../../../src/report/notebookSchedule.js';

/** Finish time of running `seconds` in `order` on `lanes` lanes, each start on the lane that frees first. */
function makespan(seconds: readonly number[], order: readonly number[], lanes: number): number {
  const free = new Array(lanes).fill(0);
  for (const k of order) {
    const l = free.indexOf(Math.min(...free));
    free[l] += seconds[k];
  }
  return Math.max(...free);
}

test('longest first; ties keep the given order', () => {
  assert.deepEqual(longestFirst(['a', 'b', 'c', 'd'], {}, [10, 30, 10, 20]), [1, 3, 0, 2]);
});

test('a recorded run wins over the committed hint; unknown notebooks go last in file order', () => {
  assert.deepEqual(longestFirst(['a', 'b', 'c', 'd'], { a: 100 }, [1, undefined, 50, undefined]), [0, 2, 1, 3]);
  assert.deepEqual(longestFirst(['a', 'b'], {}, [undefined, undefined]), [0, 1]);
  assert.deepEqual(longestFirst([], {}, []), []);
});

test('on the notebooks\' measured seconds and two lanes, longest first ends before file order (by hand: 252.9 vs 266.8 s)', () => {
  // 01, 02, 03, 04, 05, 05b, 06, 07, 08 as measured on two lanes
  const s = [19.9, 35.8, 45.8, 37.6, 91.3, 156.3, 36.5, 42.9, 37.1];
  const fileOrder = s.map((_, k) => k);
  const lpt = longestFirst(s.map((_, k) => `n${k}`), {}, s);
  assert.deepEqual(lpt.slice(0, 2), [5, 4]);
  assert.equal(Number(makespan(s, fileOrder, 2).toFixed(1)), 266.8);
  assert.equal(Number(makespan(s, lpt, 2).toFixed(1)), 252.9);
});

test('recorded seconds round-trip and merge; a damaged or foreign file reads as nothing recorded', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nb-seconds-'));
  assert.deepEqual(readNotebookSeconds(root), {});
  assert.equal(recordNotebookSeconds(root, { '05b_claims': 150.5, '01_framing': 20 }), true);
  assert.equal(recordNotebookSeconds(root, { '01_framing': 18 }), true);
  assert.deepEqual(readNotebookSeconds(root), { '01_framing': 18, '05b_claims': 150.5 });
  assert.deepEqual(readdirSync(path.dirname(path.join(root, NOTEBOOK_SECONDS_FILE))), ['seconds.json'], 'no temp file left');
  const file = path.join(root, NOTEBOOK_SECONDS_FILE);
  writeFileSync(file, '{"01_framing": 18, "x": "slow", "y": -1, "z": null}');
  assert.deepEqual(readNotebookSeconds(root), { '01_framing': 18 });
  for (const bad of ['{not json', '[1, 2]', 'null', '']) {
    writeFileSync(file, bad);
    assert.deepEqual(readNotebookSeconds(root), {}, bad);
  }
  // a root where the cache folder cannot be made (a file stands in its way): false, nothing thrown
  const blocked = mkdtempSync(path.join(os.tmpdir(), 'nb-seconds-blocked-'));
  writeFileSync(path.join(blocked, '.cache'), 'not a folder');
  assert.equal(recordNotebookSeconds(blocked, { a: 1 }), false);
  assert.deepEqual(readNotebookSeconds(blocked), {});
});

test('the committed hint is read from the notebook metadata, and every project notebook has one', () => {
  assert.equal(expectedSecondsHint(JSON.stringify({ metadata: { rotation: { expected_seconds: 42 } } })), 42);
  assert.equal(expectedSecondsHint(JSON.stringify({ metadata: {} })), undefined);
  assert.equal(expectedSecondsHint(JSON.stringify({ metadata: { rotation: { expected_seconds: 'long' } } })), undefined);
  assert.equal(expectedSecondsHint('{broken'), undefined);
  const dir = path.join(process.cwd(), 'notebooks');
  const notebooks = readdirSync(dir).filter((f) => /^\d\d[a-z]?_.+\.ipynb$/.test(f));
  assert.ok(notebooks.length >= 9);
  for (const f of notebooks) assert.ok(expectedSecondsHint(readFileSync(path.join(dir, f), 'utf8'))! > 0, f);
});
