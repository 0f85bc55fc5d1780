/**
 * Start order of independent jobs run several at a time: longest first.
 *
 * With L lanes and jobs of lengths s_1 ≥ s_2 ≥ …, starting them in that order (each on the lane
 * that frees first: the longest-processing-time rule) ends within 4/3 of the best possible
 * finish, whereas file order can start the longest job last (on two lanes, notebook 05b ~150 s
 * started sixth finished ~30 s after the others). The order changes no result: every notebook
 * reads its own inputs and writes its own report and key results, and every unit-test file its own.
 *
 * Notebooks start in that order as lanes free up (`longestFirst`). Unit-test files are dealt to
 * one shard process per lane before any starts (`assignLanes`: the same rule on expected seconds).
 *
 * Expected seconds of a notebook, in order of preference:
 *   1. the seconds its last run took on this machine (`.cache/notebooks/seconds.json`, written
 *      after each run; gitignored);
 *   2. the hint committed in the notebook's metadata (`metadata.rotation.expected_seconds`), so a
 *      fresh clone (CI) starts well too;
 *   3. unknown: 0, i.e. after the known ones, in file order.
 * Of a unit-test file: the committed `test/unit/expected-seconds.json`, else the median of the
 * known files (scripts/test-plan.ts says why only committed figures).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './csv.js';

/** Where the seconds of the last run of each notebook are kept, relative to the project root. */
export const NOTEBOOK_SECONDS_FILE = path.join('.cache', 'notebooks', 'seconds.json');

/** Seconds recorded by earlier runs, by notebook stem ({} when there is no readable file). */
export function readNotebookSeconds(root: string): Record<string, number> {
  return readRecordedSeconds(path.join(root, NOTEBOOK_SECONDS_FILE));
}

/**
 * Merge `seconds` (by stem) into the recorded file (`writeFileAtomic`: readers see a whole file).
 * Returns false, writing nothing, when the folder is not writable: a hint is never worth a failed run.
 */
export function recordNotebookSeconds(root: string, seconds: Readonly<Record<string, number>>): boolean {
  return recordSeconds(path.join(root, NOTEBOOK_SECONDS_FILE), seconds);
}

/** Seconds by job name from a JSON file of { name: seconds } ({} when missing or unreadable). */
export function readRecordedSeconds(file: string): Record<string, number> {
  if (!existsSync(file)) return {};
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Record<string, number> = {};
    for (const [k, s] of Object.entries(v as Record<string, unknown>)) if (typeof s === 'number' && Number.isFinite(s) && s >= 0) out[k] = s;
    return out;
  } catch {
    return {}; // a damaged scheduling hint only costs order, never a run
  }
}

/** Merge `seconds` into the JSON file of recorded seconds (sorted keys); false when it cannot be written. */
export function recordSeconds(file: string, seconds: Readonly<Record<string, number>>): boolean {
  const merged = { ...readRecordedSeconds(file), ...seconds };
  const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
  try {
    writeFileAtomic(file, `${JSON.stringify(sorted, null, 1)}\n`);
    return true;
  } catch {
    return false;
  }
}

/** The committed hint `metadata.rotation.expected_seconds` of a notebook's JSON text, or undefined. */
export function expectedSecondsHint(notebookJson: string): number | undefined {
  try {
    const s = (JSON.parse(notebookJson) as { metadata?: { rotation?: { expected_seconds?: unknown } } }).metadata?.rotation?.expected_seconds;
    return typeof s === 'number' && Number.isFinite(s) && s >= 0 ? s : undefined;
  } catch {
    return undefined; // the run itself reports an unreadable notebook
  }
}

/**
 * Indices of `stems` in start order: by expected seconds, longest first; ties and unknown
 * notebooks (no recorded run, no hint) keep their given order, after the known ones.
 *
 *   expected(k) = recorded[stem_k] ?? hint[k] ?? unknown
 */
export function longestFirst(stems: readonly string[], recorded: Readonly<Record<string, number>>, hints: readonly (number | undefined)[]): number[] {
  const expected = stems.map((s, k) => recorded[s] ?? hints[k]);
  return stems.map((_, k) => k).sort((a, b) => {
    const ea = expected[a], eb = expected[b];
    if (ea === undefined || eb === undefined) return ea === eb ? a - b : ea === undefined ? 1 : -1;
    return eb - ea || a - b;
  });
}

/**
 * Deal jobs with expected seconds `expected[k]` to `lanes` lanes by the longest-processing-time
 * rule: longest first (ties in index order), each to the lane with the least expected seconds so
 * far (ties to the lowest lane). Returns the job indices of each lane, in dealing order.
 */
export function assignLanes(expected: readonly number[], lanes: number): number[][] {
  const L = Math.max(1, Math.floor(lanes));
  const out: number[][] = Array.from({ length: L }, () => []);
  const load = new Array<number>(L).fill(0);
  const order = expected.map((_, k) => k).sort((a, b) => expected[b] - expected[a] || a - b);
  for (const k of order) {
    let best = 0;
    for (let l = 1; l < L; l++) if (load[l] < load[best]) best = l;
    out[best].push(k);
    load[best] += expected[k];
  }
  return out;
}
