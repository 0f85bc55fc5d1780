/**
 * The command-line tool as a user runs it: help, usage errors (exit 2), a run on the built-in
 * simulator writing its outputs, and byte-identical outputs on rerun.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const cli = (...args: string[]) => spawnSync(tsx, ['src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8' });

test('help and usage errors', () => {
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: rotation <command>/);
  const runHelp = cli('run', '--help');
  assert.equal(runHelp.status, 0);
  assert.match(runHelp.stdout, /--data VALUE/);
  const unknown = cli('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badOpt = cli('run', '--colour', 'red');
  assert.equal(badOpt.status, 2);
  assert.match(badOpt.stderr, /Unknown option --colour/);
  const badSeed = cli('run', '--seed', 'abc');
  assert.equal(badSeed.status, 2);
  const noCommand = cli();
  assert.equal(noCommand.status, 2);
});

test('run on the simulator writes its outputs, byte-identical on rerun', { timeout: 5 * 60_000 }, () => {
  const a = mkdtempSync(path.join(os.tmpdir(), 'run-a-'));
  const b = mkdtempSync(path.join(os.tmpdir(), 'run-b-'));
  const ra = cli('run', '--out', a);
  assert.equal(ra.status, 0, ra.stderr);
  assert.match(ra.stdout, /\[1\/\d+\] load data \(simulator, seed 7\)/);
  const rb = cli('run', '--out', b, '--quiet');
  assert.equal(rb.status, 0, rb.stderr);
  const [dir] = readdirSync(a);
  const files = readdirSync(path.join(a, dir)).sort();
  assert.ok(['summary.md', 'coverage.csv', 'loss_report.csv', 'factors.csv', 'factor_loss_report.csv'].every((f) => files.includes(f)), files.join(', '));
  assert.equal(readFileSync(path.join(a, dir, 'factors.csv'), 'utf8').split('\n')[0], 'date,industry,factor,value');
  for (const f of files) assert.equal(readFileSync(path.join(a, dir, f), 'utf8'), readFileSync(path.join(b, dir, f), 'utf8'), `${f} differs between reruns`);
  const coverage = readFileSync(path.join(a, dir, 'coverage.csv'), 'utf8').split('\n');
  assert.equal(coverage[0], 'asset,name,first,last,valid,missingShare,gapShare');
});

test('run on a folder that does not exist fails with exit 1 and names the path', () => {
  const r = cli('run', '--data', 'no/such/folder', '--out', mkdtempSync(path.join(os.tmpdir(), 'run-x-')));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /no\/such\/folder/);
});
