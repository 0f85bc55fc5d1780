import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataDictionary, DATA_DICTIONARY_PATH } from '../../../src/report/docs.js';
import { dictionaryExtraSections } from '../../../src/report/dictionarySections.js';

test('docs/data_dictionary.md is exactly what the code generates (run `npm run docs` after changing a schema or factor)', () => {
  const committed = readFileSync(DATA_DICTIONARY_PATH, 'utf8');
  assert.equal(committed, dataDictionary(dictionaryExtraSections()));
});

test('the data dictionary is deterministic', () => {
  assert.equal(dataDictionary(dictionaryExtraSections()), dataDictionary(dictionaryExtraSections()));
});
