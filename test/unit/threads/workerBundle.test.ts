import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleEntry, WORKER_LOADER, workerModules, type WorkerModules } from '../../../src/threads/workerBundle.js';

const project = process.cwd();
const roots: string[] = [];
after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

/** A throwaway project: src/a.ts imports src/b.ts; node_modules is the real one (esbuild, tsx). */
function tinyProject(factor: number): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'worker-bundle-'));
  roots.push(root);
  mkdirSync(path.join(root, 'src'));
  symlinkSync(path.join(project, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(root, 'src', 'a.ts'), "import { factor } from './b.js';\nexport function scale(x: number): number { return x * factor; }\n");
  writeFileSync(path.join(root, 'src', 'b.ts'), `export const factor: number = ${factor};\n`);
  return root;
}

/** Run `scale(x)` in a worker that loads it with WORKER_LOADER. */
async function scaleInWorker(modules: WorkerModules, x: number): Promise<number> {
  const w = new Worker(`const { parentPort, workerData } = require('node:worker_threads');\n${WORKER_LOADER}\n`
    + 'parentPort.postMessage(loadWorkerModules(workerData.modules).scale(workerData.x));',
  { eval: true, workerData: { modules, x }, execArgv: [] });
  try {
    return await new Promise<number>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  } finally {
    await w.terminate();
  }
}

test('bundleEntry: one re-export per name, from src/', () => {
  assert.equal(bundleEntry({ scale: 'a.ts', loadSolver: 'portfolio/optimizer.ts' }),
    "export { scale } from './src/a.ts';\nexport { loadSolver } from './src/portfolio/optimizer.ts';\n");
});

test('workerModules builds one bundle, reuses it while the sources are unchanged, and builds again after an edit', async () => {
  const root = tinyProject(3);
  const first = workerModules('tiny', { scale: 'a.ts' }, root);
  assert.equal(first.fallback, null);
  assert.ok(first.bundle && existsSync(first.bundle));
  assert.equal(path.dirname(first.bundle), path.join(root, '.cache', 'workers'));
  const req = createRequire(import.meta.url);
  assert.equal((req(first.bundle) as { scale: (x: number) => number }).scale(2), 6);
  assert.equal(await scaleInWorker(first, 5), 15);

  // unchanged sources: the same file, not rewritten
  const mtime = statSync(first.bundle).mtimeMs;
  const again = workerModules('tiny', { scale: 'a.ts' }, root);
  assert.equal(again.bundle, first.bundle);
  assert.equal(statSync(first.bundle).mtimeMs, mtime);

  // an edit to an imported file (not the entry): a new bundle; the old one is deleted
  writeFileSync(path.join(root, 'src', 'b.ts'), 'export const factor: number = 7;\n');
  const edited = workerModules('tiny', { scale: 'a.ts' }, root);
  assert.ok(edited.bundle && edited.bundle !== first.bundle);
  assert.equal(existsSync(first.bundle), false);
  assert.equal(await scaleInWorker(edited, 5), 35);
  assert.deepEqual(readdirSync(path.join(root, '.cache', 'workers')).sort(), [path.basename(edited.bundle), 'tiny.json']);
});

test('without a bundle the worker loads the same exports through tsx, and the reason is given', async () => {
  const root = tinyProject(4);
  const prev = process.env.ROTATION_WORKER_BUNDLE;
  process.env.ROTATION_WORKER_BUNDLE = '0';
  try {
    const m = workerModules('tiny', { scale: 'a.ts' }, root);
    assert.equal(m.bundle, null);
    assert.equal(m.fallback, 'ROTATION_WORKER_BUNDLE=0');
    assert.equal(await scaleInWorker(m, 5), 20);
    assert.equal(existsSync(path.join(root, '.cache')), false);
  } finally {
    if (prev === undefined) delete process.env.ROTATION_WORKER_BUNDLE; else process.env.ROTATION_WORKER_BUNDLE = prev;
  }
});

test('a missing source, a source esbuild cannot parse, no esbuild, or an unwritable cache folder: no bundle, the reason given, never a throw', () => {
  const root = tinyProject(2);
  const missing = workerModules('tiny', { scale: 'nowhere.ts' }, root);
  assert.equal(missing.bundle, null);
  assert.match(missing.fallback ?? '', /not under/);
  writeFileSync(path.join(root, 'src', 'bad.ts'), 'export const scale = (x: number) => x *;\n');
  const broken = workerModules('tiny', { scale: 'bad.ts' }, root);
  assert.equal(broken.bundle, null);
  assert.match(broken.fallback ?? '', /^no worker bundle: esbuild could not bundle the sources/);
  const bare = mkdtempSync(path.join(os.tmpdir(), 'worker-bundle-bare-'));
  roots.push(bare);
  mkdirSync(path.join(bare, 'src'));
  writeFileSync(path.join(bare, 'src', 'a.ts'), 'export const scale = (x: number) => x;\n');
  assert.match(workerModules('tiny', { scale: 'a.ts' }, bare).fallback ?? '', /esbuild could not bundle.*esbuild/, 'no esbuild under the root');
  writeFileSync(path.join(root, '.cache'), 'a file where the folder should be');
  const unwritable = workerModules('tiny', { scale: 'a.ts' }, root);
  assert.equal(unwritable.bundle, null);
  assert.match(unwritable.fallback ?? '', /^no worker bundle: /);
});

test('the project\'s pools find their bundles (evaluation and walks)', () => {
  for (const [name, exports] of [
    ['evaluation', { evaluateCrossSections: 'evaluate/crossSection.ts' }],
    ['walks', { runWalkJob: 'model/walkPool.ts', loadSolver: 'portfolio/optimizer.ts' }],
  ] as const) {
    const m = workerModules(name, exports, project);
    assert.equal(m.fallback, null, `${name}: ${m.fallback}`);
    const loaded = createRequire(import.meta.url)(m.bundle!) as Record<string, unknown>;
    for (const k of Object.keys(exports)) assert.equal(typeof loaded[k], 'function', `${name}.${k}`);
  }
});
