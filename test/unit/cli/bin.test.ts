/**
 * The `rotation` bin works from any directory: the project's own files (the plotly bundle of the
 * tear sheet, the default shared data folder) are found from ROTATION_PROJECT_ROOT, which the bin
 * sets to its checkout; paths the user types stay relative to the working directory.
 * Run: node --import tsx --test test/unit/cli/bin.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
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
