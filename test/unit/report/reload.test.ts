import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localImports, srcImporters, tsFilesUnder, watchSrc } from '../../../src/report/reload.js';

function tree(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'reload-'));
  mkdirSync(path.join(dir, 'metrics'));
  mkdirSync(path.join(dir, 'report'));
  writeFileSync(path.join(dir, 'metrics', 'returns.ts'), "export const r = 1;\n");
  writeFileSync(path.join(dir, 'metrics', 'tables.ts'), "import { r } from './returns.js';\nexport const t = r;\n");
  writeFileSync(path.join(dir, 'report', 'tearsheet.ts'), "import type { X } from '../types.js';\nimport { t } from '../metrics/tables.js';\nexport { t };\n");
  writeFileSync(path.join(dir, 'report', 'lazy.ts'), "export const load = () => import('./tearsheet.js');\n");
  writeFileSync(path.join(dir, 'other.ts'), "import { readFileSync } from 'node:fs';\nexport const o = readFileSync;\n");
  return dir;
}

test('localImports: relative specifiers only, .js mapped to .ts, dynamic imports included', () => {
  const f = '/p/src/report/x.ts';
  const deps = localImports(f, "import a from './a.js';\nimport { b } from '../m/b.js';\nexport * from './c.js';\nconst d = import('./d.js');\nimport 'node:fs';\nimport x from 'arquero';\n");
  assert.deepEqual(deps.sort(), ['/p/src/m/b.ts', '/p/src/report/a.ts', '/p/src/report/c.ts', '/p/src/report/d.ts']);
});

test('srcImporters: transitive importers of a changed file, the file itself and unrelated files excluded', () => {
  const dir = tree();
  const rel = (fs: string[]) => fs.map((f) => path.relative(dir, f));
  assert.deepEqual(rel(srcImporters(path.join(dir, 'metrics', 'returns.ts'), dir)), ['metrics/tables.ts', 'report/lazy.ts', 'report/tearsheet.ts']);
  assert.deepEqual(rel(srcImporters(path.join(dir, 'report', 'tearsheet.ts'), dir)), ['report/lazy.ts']);
  assert.deepEqual(srcImporters(path.join(dir, 'other.ts'), dir), []);
});

test('watchSrc: an edit touches the importers (new mtime, same content) and not unrelated files; idempotent', async () => {
  const dir = tree();
  const old = new Date(Date.now() - 3600_000);
  for (const f of ['metrics/returns.ts', 'metrics/tables.ts', 'report/tearsheet.ts', 'report/lazy.ts', 'other.ts']) utimesSync(path.join(dir, f), old, old);
  const logs: string[] = [];
  const w = watchSrc({ dir, debounceMs: 20, log: (m) => logs.push(m) });
  assert.ok(w, 'watcher started');
  try {
    assert.equal(watchSrc({ dir }), w, 'one watcher per process');
    writeFileSync(path.join(dir, 'metrics', 'returns.ts'), 'export const r = 2;\n');
    const until = Date.now() + 5000;
    while (Date.now() < until && statSync(path.join(dir, 'report', 'tearsheet.ts')).mtimeMs <= old.getTime() + 1000) await new Promise((r) => setTimeout(r, 25));
    for (const f of ['metrics/tables.ts', 'report/tearsheet.ts', 'report/lazy.ts']) assert.ok(statSync(path.join(dir, f)).mtimeMs > old.getTime() + 1000, `${f} touched`);
    assert.ok(statSync(path.join(dir, 'other.ts')).mtimeMs < old.getTime() + 1000, 'unrelated file untouched');
    assert.match(logs[0], /returns\.ts changed; 3 importer\(s\) marked for reload/);
  } finally {
    w!.close();
  }
  assert.notEqual(watchSrc({ dir }), w, 'a closed watcher is replaced');
  watchSrc({ dir })!.close();
});

test('src/ has no circular imports (tslab loads local modules without cycle support: a cycle overflows the stack)', () => {
  const files = tsFilesUnder(path.resolve('src'));
  const graph = new Map(files.map((f) => [f, localImports(f, readFileSync(f, 'utf8')).filter((d) => files.includes(d))]));
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const visit = (f: string, stack: string[]) => {
    if (state.get(f) === 2) return;
    if (state.get(f) === 1) { cycles.push([...stack.slice(stack.indexOf(f)), f].map((x) => path.relative('src', x)).join(' → ')); return; }
    state.set(f, 1);
    for (const d of graph.get(f)!) visit(d, [...stack, f]);
    state.set(f, 2);
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
  // the check itself finds a planted cycle
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cycle-'));
  writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = b;\n");
  writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = a;\n");
  assert.deepEqual(localImports(path.join(dir, 'a.ts'), "import { b } from './b.js';"), [path.join(dir, 'b.ts')]);
  assert.deepEqual(srcImporters(path.join(dir, 'a.ts'), dir), [path.join(dir, 'b.ts')]);
});
