/**
 * Generated documentation: docs/data_dictionary.md (schemas, vendor mappings and, once
 * registered, the factor library). `npm run docs` writes it; a unit test fails when the committed
 * file differs from what the code generates, so it is never hand-edited or stale.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { dataDictionaryMarkdown, type DictionarySection } from '../data/dictionary.js';
import { writeFileAtomic } from './csv.js';

export const DATA_DICTIONARY_PATH = path.join('docs', 'data_dictionary.md');

/** The full data dictionary text (extra sections, e.g. the factor library, appended). */
export function dataDictionary(extra: readonly DictionarySection[] = []): string {
  return dataDictionaryMarkdown(extra);
}

/** Write docs/data_dictionary.md under `root`; returns whether the bytes changed. */
export function writeDataDictionary(extra: readonly DictionarySection[] = [], root = process.cwd()): { file: string; changed: boolean } {
  const file = path.join(root, DATA_DICTIONARY_PATH);
  const text = dataDictionary(extra);
  const changed = !existsSync(file) || readFileSync(file, 'utf8') !== text;
  if (changed) writeFileAtomic(file, text);
  return { file: DATA_DICTIONARY_PATH, changed };
}
