/**
 * Start order of independent notebooks run several at a time: longest first.
 *
 * With L lanes and notebooks of lengths s_1 ≥ s_2 ≥ …, starting them in that order (each on the
 * lane that frees first: the longest-processing-time rule) ends within 4/3 of the best possible
 * finish, whereas file order can start the longest notebook last (on two lanes, 05b ~150 s
 * started sixth finished ~30 s after the others). The order changes no result: every notebook
 * reads its own inputs and writes its own report and key results.
 *
 * Expected seconds of a notebook, in order of preference:
 *   1. the seconds its last run took on this machine (`.cache/notebooks/seconds.json`, written
 *      after each run; gitignored);
 *   2. the hint committed in the notebook's metadata (`metadata.rotation.expected_seconds`), so a
 *      fresh clone (CI) starts well too;
 *   3. unknown: 0, i.e. after the known ones, in file order.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './csv.js';

/** Where the seconds of the last run of each notebook are kept, relative to the project root. */
export const NOTEBOOK_SECONDS_FILE = path.join('.cache', 'notebooks', 'seconds.json');

/** Seconds recorded by earlier runs, by notebook stem ({} when there is no readable file). */
export function readNotebookSeconds(root: string): Record<string, number> {
  const file = path.join(root, NOTEBOOK_SECONDS_FILE);
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

/**
 * Merge `seconds` (by stem) into the recorded file (`writeFileAtomic`: readers see a whole file).
 * Returns false, writing nothing, when the folder is not writable: a hint is never worth a failed run.
 */
export function recordNotebookSeconds(root: string, seconds: Readonly<Record<string, number>>): boolean {
  const merged = { ...readNotebookSeconds(root), ...seconds };
  const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
  try {
    writeFileAtomic(path.join(root, NOTEBOOK_SECONDS_FILE), `${JSON.stringify(sorted, null, 1)}\n`);
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
