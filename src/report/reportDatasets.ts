/**
 * Which datasets a standalone report (`npm run report`) covers. Without a request: the simulator,
 * plus every real dataset present under ../shared/data. A requested dataset that is absent is a
 * named error, never a silent skip.
 */
import { RotationError } from '../errors.js';

/** Report datasets: id on the command line → the ../shared/data subfolder it needs (null: built in). */
export const REPORT_DATASETS: Readonly<Record<string, string | null>> = Object.freeze({
  simulator: null,
  citic: 'citic_l1_industry',
});

/**
 * The dataset ids to report on. `requested` empty: 'simulator' and every real dataset whose
 * folder `has(folder)` reports present. Otherwise exactly the requested ids, in the order given:
 * REPORT_DATASET_UNKNOWN for an id not in REPORT_DATASETS, REPORT_DATASET_ABSENT for one whose
 * folder is missing (names the folder and how to provide it).
 */
export function selectReportDatasets(requested: readonly string[], has: (folder: string) => boolean, dataDir = '../shared/data'): string[] {
  if (requested.length === 0) {
    return Object.keys(REPORT_DATASETS).filter((id) => REPORT_DATASETS[id] === null || has(REPORT_DATASETS[id]!));
  }
  for (const id of requested) {
    if (!Object.prototype.hasOwnProperty.call(REPORT_DATASETS, id)) {
      throw new RotationError('REPORT_DATASET_UNKNOWN', `Unknown report dataset "${id}"`, { dataset: id, known: Object.keys(REPORT_DATASETS) },
        'use one of the known dataset ids (--dataset simulator or --dataset citic)');
    }
    const folder = REPORT_DATASETS[id];
    if (folder !== null && !has(folder)) {
      throw new RotationError('REPORT_DATASET_ABSENT', `The report asked for dataset "${id}", but its data folder is absent`,
        { dataset: id, folder: `${dataDir}/${folder}` },
        `put the vendor export in ${dataDir}/${folder} (or set ROTATION_SHARED_DATA to the folder holding it), or drop --dataset ${id}`);
    }
  }
  return Array.from(new Set(requested));
}
