/**
 * Sections appended to the generated data dictionary beyond the canonical schemas.
 * (The factor library's section is added here when the registry exists.)
 */
import type { DictionarySection } from '../data/dictionary.js';

export function dictionaryExtraSections(): DictionarySection[] {
  return [];
}
