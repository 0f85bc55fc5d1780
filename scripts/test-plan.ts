/**
 * Shard plan of the unit tests (used by scripts/test-units.sh):
 *
 *   test-plan.ts plan J FILE...     prints J lines, each the tab-separated files of one shard,
 *                                   dealt by the longest-processing-time rule on each file's
 *                                   expected seconds (`assignLanes`, src/report/notebookSchedule.ts);
 *   test-plan.ts record TSV:LOG...  for each shard, adds up the "<file>\t<ms>" lines of
 *                                   scripts/test-seconds-reporter.mjs (TSV) per file, spreads what
 *                                   the shard's wall time (the spec report's last `ℹ duration_ms`,
 *                                   LOG) has beyond its tests' time (module loading between files)
 *                                   evenly over its files, and records the seconds in
 *                                   .cache/unit-tests/seconds.json.
 *
 * Expected seconds of a file: the committed test/unit/expected-seconds.json, else (a new file)
 * the median of the files known. Only committed figures are read, so the plan is the same on every
 * run of a commit, here and in CI: a test that passed only thanks to another file's leftovers in
 * the same shard would fail every time, not now and then. To refresh the figures after the suite
 * has changed, run the unit tests and copy .cache/unit-tests/seconds.json over the committed file.
 * The plan changes which process runs a file, never a result (TEST_ISOLATION=process runs one
 * process per file to check that no test depends on another file).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMainScript } from './isMain.js';
import { assignLanes, readRecordedSeconds, recordSeconds } from '../src/report/notebookSchedule.js';

export const UNIT_SECONDS_FILE = path.join('.cache', 'unit-tests', 'seconds.json');
export const UNIT_SECONDS_HINTS = path.join('test', 'unit', 'expected-seconds.json');

/** Expected seconds of each file: its committed figure, else the median of the known ones (1 s when none is known). */
export function expectedUnitSeconds(files: readonly string[], hints: Readonly<Record<string, number>>): number[] {
  const known = files.map((f) => hints[f]);
  const sorted = known.filter((s): s is number => s !== undefined).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 1;
  return known.map((s) => s ?? median);
}

/**
 * Seconds per file of one shard from its reporter lines "<file>\t<ms>" (files made relative to
 * `root`, '/'-separated), in tenths of a second: the file's test milliseconds plus an equal share
 * of `shardMs − Σ test milliseconds` when the shard's wall time `shardMs` is given and larger.
 */
export function secondsFromReporterLines(text: string, root: string, shardMs?: number): Record<string, number> {
  const ms: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [file, v] = line.split('\t');
    const x = Number(v);
    if (!file || !Number.isFinite(x)) continue;
    const rel = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
    ms[rel] = (ms[rel] ?? 0) + x;
  }
  const files = Object.keys(ms);
  const tests = files.reduce((a, f) => a + ms[f], 0);
  const share = shardMs !== undefined && shardMs > tests && files.length > 0 ? (shardMs - tests) / files.length : 0;
  return Object.fromEntries(files.map((f) => [f, Math.round((ms[f] + share) / 100) / 10]));
}

/** The last `ℹ duration_ms <ms>` of a node:test spec report (the whole run's wall time), or undefined. */
export function reportDurationMs(log: string): number | undefined {
  const all = [...log.matchAll(/^ℹ duration_ms ([0-9.]+)$/gm)];
  return all.length ? Number(all[all.length - 1][1]) : undefined;
}

if (isMainScript(import.meta.url)) {
  const [cmd, ...rest] = process.argv.slice(2);
  const root = process.cwd();
  if (cmd === 'plan') {
    const [j, ...files] = rest;
    const expected = expectedUnitSeconds(files, readRecordedSeconds(path.join(root, UNIT_SECONDS_HINTS)));
    for (const lane of assignLanes(expected, Number(j))) console.log(lane.map((k) => files[k]).join('\t'));
  } else if (cmd === 'record') {
    const seconds: Record<string, number> = {};
    for (const pair of rest) {
      const [tsv, log] = pair.split(':');
      if (!existsSync(tsv)) continue;
      const shardMs = log && existsSync(log) ? reportDurationMs(readFileSync(log, 'utf8')) : undefined;
      Object.assign(seconds, secondsFromReporterLines(readFileSync(tsv, 'utf8'), root, shardMs));
    }
    if (Object.keys(seconds).length) recordSeconds(path.join(root, UNIT_SECONDS_FILE), seconds);
  } else {
    console.error('usage: test-plan.ts plan J FILE... | test-plan.ts record TSV:LOG...');
    process.exit(2);
  }
}
