/** `npm run docs`: regenerate docs/data_dictionary.md from the code. */
import { dictionaryExtraSections } from '../src/report/dictionarySections.js';
import { writeDataDictionary } from '../src/report/docs.js';

const r = writeDataDictionary(dictionaryExtraSections());
console.log(`${r.file}: ${r.changed ? 'written' : 'unchanged'}`);
