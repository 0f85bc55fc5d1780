/**
 * Sections appended to the generated data dictionary beyond the canonical schemas:
 * the factor library, generated from the factor registry.
 */
import type { DictionarySection } from '../data/dictionary.js';
import { factorDictionarySection } from '../factors/registry.js';

export function dictionaryExtraSections(): DictionarySection[] {
  return [factorDictionarySection()];
}
