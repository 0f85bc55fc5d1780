import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { expectedUnitSeconds, reportDurationMs, secondsFromReporterLines, UNIT_SECONDS_HINTS } from '../../../scripts/test-plan.js';
import { assignLanes } from '../../../src/report/notebookSchedule.js';

test('assignLanes: longest first, each job to the least-loaded lane (hand-worked), every job once', () => {
  // 7, 5, 4, 3, 3 on two lanes: 7 -> A, 5 -> B, 4 -> B (5 < 7), 3 -> A (7 < 9), 3 -> B (9 < 10)... A=10, B=12
  assert.deepEqual(assignLanes([3, 7, 4, 5, 3], 2), [[1, 0], [3, 2, 4]]);
  assert.deepEqual(assignLanes([1, 2], 4), [[1], [0], [], []]);
  assert.deepEqual(assignLanes([], 2), [[], []]);
  const lanes = assignLanes([5, 1, 9, 2, 2, 8, 3], 3);
  assert.deepEqual(lanes.flat().sort(), [0, 1, 2, 3, 4, 5, 6]);
});

test('expectedUnitSeconds: the committed figure, the median of the known for a new file', () => {
  const files = ['a.test.ts', 'b.test.ts', 'c.test.ts', 'new.test.ts'];
  assert.deepEqual(expectedUnitSeconds(files, { 'a.test.ts': 1, 'b.test.ts': 2, 'c.test.ts': 30 }), [1, 2, 30, 2]);
  assert.deepEqual(expectedUnitSeconds(['x'], {}), [1]);
});

test('the committed unit-test seconds name only test files that exist (refresh them when files are renamed)', () => {
  const hints = JSON.parse(readFileSync(UNIT_SECONDS_HINTS, 'utf8')) as Record<string, number>;
  for (const f of Object.keys(hints)) assert.ok(existsSync(f) && f.endsWith('.test.ts'), f);
});

test('secondsFromReporterLines: top-level test milliseconds summed per file, relative to the root, in tenths of a second', () => {
  const root = path.resolve('/project');
  const text = `${path.join(root, 'test', 'unit', 'a.test.ts')}\t1200\n${path.join(root, 'test', 'unit', 'a.test.ts')}\t349.9\n` +
    `test/unit/b.test.ts\t50\nnot a line\n\n`;
  assert.deepEqual(secondsFromReporterLines(text, root), { 'test/unit/a.test.ts': 1.5, 'test/unit/b.test.ts': 0.1 });
  // A shard of 3,600 ms wall: the 2,000 ms beyond its tests' 1,600 are shared by its two files.
  assert.deepEqual(secondsFromReporterLines(text, root, 3600), { 'test/unit/a.test.ts': 2.5, 'test/unit/b.test.ts': 1.1 });
  assert.deepEqual(secondsFromReporterLines(text, root, 1000), { 'test/unit/a.test.ts': 1.5, 'test/unit/b.test.ts': 0.1 });
});

test('reportDurationMs: the last duration line of a spec report', () => {
  assert.equal(reportDurationMs('ℹ duration_ms 12.5\n✔ x\nℹ duration_ms 4200.25\n'), 4200.25);
  assert.equal(reportDurationMs('no summary'), undefined);
});
