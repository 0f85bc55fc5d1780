/**
 * The house rules of docs/architecture.md, checked on the import graph of src/: imports follow
 * the flow (no library folder imports the studies; metrics imports neither backtest nor report;
 * model imports no study), and the model's magic numbers have one home.
 * Run: node --import tsx --test test/unit/house.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Top folder under src/ of each relative import of a file. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+'(\.[^']+)'/g)) {
    const target = path.relative('src', path.resolve(path.dirname(file), m[1]));
    out.push(target.split(path.sep)[0]);
  }
  return out;
}

const files = sources('src');
const folderOf = (f: string) => path.relative('src', f).split(path.sep)[0];

test('no library folder imports src/studies/ (only the CLI and the studies themselves)', () => {
  const bad = files.filter((f) => !['studies', 'cli'].includes(folderOf(f)) && importedFolders(f).includes('studies'));
  assert.deepEqual(bad, []);
});

test('metrics/ imports neither backtest/ nor report/; model/ imports no study; evaluate/ does not import combine/', () => {
  const offenders: string[] = [];
  for (const f of files) {
    const from = folderOf(f), to = importedFolders(f);
    if (from === 'metrics' && to.some((t) => t === 'backtest' || t === 'report')) offenders.push(f);
    if (from === 'model' && to.includes('studies')) offenders.push(f);
    if (from === 'evaluate' && to.includes('combine')) offenders.push(f);
  }
  assert.deepEqual(offenders, []);
});

test('252 has one home: no other src file writes the daily periods per year as a literal', () => {
  const literal = /(?<![\d.])252(?![\d.])/;
  const bad = files.filter((f) => f !== path.join('src', 'metrics', 'conventions.ts')).filter((f) =>
    readFileSync(f, 'utf8').split('\n').some((l) => literal.test(l) && !/^\s*(\*|\/\/|\/\*)/.test(l) && !/'[^']*252[^']*'|`[^`]*252[^`]*`|"[^"]*252[^"]*"/.test(l)));
  assert.deepEqual(bad, []);
});
