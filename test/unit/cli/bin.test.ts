/**
 * The `rotation` bin works from any directory: the project's own files (the plotly bundle of the
 * tear sheet, the default shared data folder) are found from ROTATION_PROJECT_ROOT, which the bin
 * sets to its checkout; paths the user types stay relative to the working directory. It runs the
 * CLI from a content-addressed bundle while the sources are unchanged, rebuilds it after an edit,
 * and runs the sources through tsx when it cannot have one.
 * Run: node --import tsx --test test/unit/cli/bin.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, sharedDataDir } from '../../../src/data/paths.js';
import { plotlyBundlePath } from '../../../src/report/plotly.js';

const root = process.cwd();

describe('bin/rotation.mjs from another directory', () => {
  it('resolves the plotly bundle and the shared data folder from the project root, not the working directory', () => {
    const saved = { cwd: process.cwd(), root: process.env.ROTATION_PROJECT_ROOT, shared: process.env.ROTATION_SHARED_DATA };
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'rotation-cwd-'));
    try {
      delete process.env.ROTATION_SHARED_DATA;
      process.env.ROTATION_PROJECT_ROOT = root;
      process.chdir(elsewhere);
      assert.equal(projectRoot(), root);
      assert.ok(existsSync(plotlyBundlePath()), 'plotly bundle found from another directory');
      assert.equal(sharedDataDir(), path.resolve(root, '../shared/data'));
      delete process.env.ROTATION_PROJECT_ROOT;
      assert.equal(projectRoot(), process.cwd(), 'without the variable: the working directory (npm scripts, notebooks)');
    } finally {
      process.chdir(saved.cwd);
      if (saved.root === undefined) delete process.env.ROTATION_PROJECT_ROOT; else process.env.ROTATION_PROJECT_ROOT = saved.root;
      if (saved.shared !== undefined) process.env.ROTATION_SHARED_DATA = saved.shared;
    }
  });
  it('the bin starts and parses a command from another directory', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'rotation.mjs'), 'run', '--help'], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /--out/);
  });
});

/**
 * A throwaway checkout: the real bin and bundle code, a tiny src/cli/main.ts (prints where it runs
 * from, then its argv; exits with argv[0]) that imports src/cli/word.ts; node_modules is the real one.
 */
function tinyCheckout(word: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rotation-bin-'));
  for (const f of ['bin/rotation.mjs', 'src/threads/bundleCache.mjs', 'src/threads/workerBundle.ts', 'src/report/csv.ts', 'tsconfig.json']) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(path.join(root, f), path.join(dir, f));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(path.join(dir, 'src', 'cli'));
  writeFileSync(path.join(dir, 'src', 'cli', 'main.ts'), "import { word } from './word.js';\n"
    + "export async function main(argv: string[]): Promise<number> {\n"
    + "  console.log(`${import.meta.url.includes('/.cache/cli/cli-') ? 'bundle' : 'sources'} ${word} ${argv.join(' ')}`);\n"
    + '  return Number(argv[0] ?? 0);\n}\n');
  writeFileSync(path.join(dir, 'src', 'cli', 'word.ts'), `export const word: string = '${word}';\n`);
  return dir;
}

describe('bin/rotation.mjs runs the CLI from its bundle', () => {
  const run = (dir: string, args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'rotation.mjs'), ...args], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 120_000, env: { ...process.env, ROTATION_PROJECT_ROOT: '', ...env } });
    return { status: r.status, out: r.stdout.trim(), err: r.stderr };
  };
  const bundles = (dir: string) => readdirSync(path.join(dir, '.cache', 'cli')).filter((f) => f.endsWith('.mjs'));

  it('builds the bundle once, reuses it while the sources are unchanged, and builds again after an edit to an imported file', () => {
    const dir = tinyCheckout('alpha');
    try {
      const first = run(dir, ['0', 'x']);
      assert.equal(first.status, 0, first.err);
      assert.equal(first.out, 'bundle alpha 0 x');
      const [file] = bundles(dir);
      assert.match(file, /^cli-[0-9a-f]{16}\.mjs$/);
      const mtime = statSync(path.join(dir, '.cache', 'cli', file)).mtimeMs;
      const again = run(dir, ['3']);
      assert.equal(again.status, 3, 'the exit code of main');
      assert.equal(again.out, 'bundle alpha 3');
      assert.equal(statSync(path.join(dir, '.cache', 'cli', file)).mtimeMs, mtime, 'not rewritten');
      writeFileSync(path.join(dir, 'src', 'cli', 'word.ts'), "export const word: string = 'beta';\n");
      const edited = run(dir, ['0']);
      assert.equal(edited.out, 'bundle beta 0', edited.err);
      assert.equal(bundles(dir).length, 1);
      assert.notEqual(bundles(dir)[0], file, 'a new bundle; the old one deleted');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the sources through tsx with ROTATION_CLI_BUNDLE=0 or when the cache folder cannot be written', () => {
    const dir = tinyCheckout('gamma');
    try {
      const off = run(dir, ['0'], { ROTATION_CLI_BUNDLE: '0' });
      assert.equal(off.out, 'sources gamma 0', off.err);
      assert.equal(existsSync(path.join(dir, '.cache')), false);
      writeFileSync(path.join(dir, '.cache'), 'a file where the folder should be');
      const unwritable = run(dir, ['2']);
      assert.equal(unwritable.status, 2, unwritable.err);
      assert.equal(unwritable.out, 'sources gamma 2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
