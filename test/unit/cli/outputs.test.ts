/**
 * Output writing: a target that cannot be written is a named error raised before any file is
 * written, and no temporary or partial file is left behind; whole folders are committed all or
 * nothing (lock, exclusive temp folder, manifest, swap), even when the writer is SIGKILLed.
 * Run: node --import tsx --test test/unit/cli/outputs.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync, readFileSync, symlinkSync, lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  acquireOutputLock, checkWritable, commitOutputFolder, outputFolderName, readOutputManifest, recoverOutputFolder, verifyOutputFolder, writeNewFile, writeOutputs,
} from '../../../src/cli/outputs.js';
import { csvField, toCsv, writeFileAtomic } from '../../../src/report/csv.js';
import { createRng } from '../../../src/random.js';
import { throwsCode } from '../assertions.js';

const tmpDir = () => mkdtempSync(path.join(os.tmpdir(), 'out-'));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('writeOutputs', () => {
  it('writes every file, creating folders', () => {
    const dir = tmpDir();
    writeOutputs([{ file: path.join(dir, 'a', 'x.csv'), text: 'x\n1\n' }, { file: path.join(dir, 'y.csv'), text: 'y\n' }]);
    assert.equal(readFileSync(path.join(dir, 'a', 'x.csv'), 'utf8'), 'x\n1\n');
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'y.csv']);
  });
  it('checks every target first: one unwritable path means nothing is written', () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'afile'), 'not a folder');
    const e = throwsCode(() => writeOutputs([{ file: path.join(dir, 'good.csv'), text: 'g\n' }, { file: path.join(dir, 'afile', 'bad.csv'), text: 'b\n' }]), 'CLI_OUTPUT_NOT_WRITABLE');
    assert.match(e.message, /afile/);
    assert.ok(!existsSync(path.join(dir, 'good.csv')), 'the writable file must not be written either');
    assert.deepEqual(readdirSync(dir), ['afile']);
  });
  it('a folder where the file should go is named', () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, 'x.csv'));
    throwsCode(() => checkWritable(path.join(dir, 'x.csv')), 'CLI_OUTPUT_NOT_WRITABLE');
  });
});

describe('temp files are created exclusively (wx): a planted symlink is never followed', () => {
  it('writeNewFile fails on a symlink at its name and leaves the symlink target untouched', () => {
    const dir = tmpDir();
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, path.join(dir, 'x.tmp'));
    assert.throws(() => writeNewFile(path.join(dir, 'x.tmp'), 'attack\n'), /EEXIST/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  });
  it('writeFileAtomic does not write through symlinks planted at the old predictable temp names', () => {
    const dir = tmpDir();
    const victim = path.join(dir, 'victim.txt'), file = path.join(dir, 'out.csv');
    writeFileSync(victim, 'precious\n');
    // The name the old writer used (`<file>.tmp-<pid>`), plus a dangling one.
    symlinkSync(victim, `${file}.tmp-${process.pid}`);
    writeFileAtomic(file, 'a,b\n1,2\n');
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.equal(readFileSync(file, 'utf8'), 'a,b\n1,2\n');
    assert.ok(!lstatSync(file).isSymbolicLink());
  });
});

describe('CSV cells that a spreadsheet would run as formulas', () => {
  it('text starting with = + - @ (and tab, CR) gets a leading apostrophe; numbers are untouched', () => {
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvField('+cmd'), `'+cmd`);
    assert.equal(csvField('-2+3'), `'-2+3`);
    assert.equal(csvField('@SUM(A1)'), `'@SUM(A1)`);
    assert.equal(csvField('\tx'), `'\tx`);
    // numbers, and text that is a plain number, are not formula text
    assert.equal(csvField(-0.5), '-0.5');
    assert.equal(csvField(-3), '-3');
    assert.equal(csvField(-Infinity), '-inf');
    assert.equal(csvField('-0.5'), '-0.5');
    assert.equal(csvField('+3'), '+3');
    assert.equal(csvField('-1e-4'), '-1e-4');
    assert.equal(csvField('2020-01-31'), '2020-01-31');
    assert.equal(csvField('a=b'), 'a=b');
  });
  it('a formula-like industry name in a coverage table is escaped', () => {
    const csv = toCsv([{ asset: 'CI005001.WI', name: '=1+1', valid: -2 }, { asset: 'X', name: 'Banks', valid: 3 }], ['asset', 'name', 'valid']);
    assert.equal(csv, `asset,name,valid\nCI005001.WI,'=1+1,-2\nX,Banks,3\n`);
  });
});

describe('outputFolderName', () => {
  it('a-x and a_x map to different folders; one folder reached two ways maps to one', () => {
    const root = tmpDir();
    mkdirSync(path.join(root, 'a-x'));
    mkdirSync(path.join(root, 'a_x'));
    const a = outputFolderName(path.join(root, 'a-x'), 'a-x'), b = outputFolderName(path.join(root, 'a_x'), 'a_x');
    assert.notEqual(a, b);
    assert.match(a, /^a_x-[0-9a-f]{8}$/);
    assert.match(b, /^a_x-[0-9a-f]{8}$/);
    symlinkSync(path.join(root, 'a-x'), path.join(root, 'link'));
    assert.equal(outputFolderName(path.join(root, 'link'), 'a-x'), a);
    assert.equal(outputFolderName(path.join(root, 'a-x', '..', 'a-x'), 'a-x'), a);
    // hand-worked: the hash is of the real path
    const real = path.join(root, 'a-x');
    assert.equal(a, `a_x-${sha(real).slice(0, 8)}`);
  });
  it('the built-in datasets keep their documented names', () => {
    assert.equal(outputFolderName('sim', 'Simulator seed 7'), 'simulator_seed_7');
    assert.equal(outputFolderName('citic', 'CITIC L1 (Wind export)'), 'citic_l1_wind_export');
  });
});

describe('commitOutputFolder', () => {
  it('writes every file and a manifest with sizes and sha256; nothing else is left in the parent', () => {
    const root = tmpDir(), target = path.join(root, 'res');
    const r = commitOutputFolder(target, [{ name: 'a.csv', text: 'x\n1\n' }, { name: 'sub/b.html', text: '<p>é</p>' }]);
    assert.equal(r.dir, target);
    assert.deepEqual(readdirSync(root), ['res']);
    assert.deepEqual(readdirSync(target).sort(), ['a.csv', 'manifest.json', 'sub']);
    const m = readOutputManifest(target)!;
    assert.equal(m.complete, true);
    assert.deepEqual(m.files, [
      { name: 'a.csv', bytes: 4, sha256: sha('x\n1\n') },
      { name: 'sub/b.html', bytes: 9, sha256: sha('<p>é</p>') }, // é is 2 bytes in UTF-8
    ]);
    assert.deepEqual(verifyOutputFolder(target), { complete: true, problems: [] });
    writeFileSync(path.join(target, 'a.csv'), 'x\n2\n');
    assert.equal(verifyOutputFolder(target).complete, false);
  });
  it('replaces the previous folder as a whole, carrying over files other commands wrote there', () => {
    const root = tmpDir(), target = path.join(root, 'res');
    commitOutputFolder(target, [{ name: 'a.csv', text: 'old a\n' }, { name: 'gone.csv', text: 'old only\n' }]);
    writeFileSync(path.join(target, 'targets_2024-01-31.csv'), 'from allocate\n');
    const r = commitOutputFolder(target, [{ name: 'a.csv', text: 'new a\n' }]);
    assert.deepEqual(readdirSync(target).sort(), ['a.csv', 'manifest.json', 'targets_2024-01-31.csv']);
    assert.equal(readFileSync(path.join(target, 'a.csv'), 'utf8'), 'new a\n');
    assert.equal(readFileSync(path.join(target, 'targets_2024-01-31.csv'), 'utf8'), 'from allocate\n');
    assert.deepEqual(r.manifest.carried, ['targets_2024-01-31.csv']);
    assert.deepEqual(readdirSync(root), ['res'], 'no .previous, temp folder or lock left');
    const k = commitOutputFolder(target, [{ name: 'a.csv', text: 'newer\n' }], { keepPrevious: true });
    assert.equal(readFileSync(path.join(k.previous!, 'a.csv'), 'utf8'), 'new a\n');
  });
  it('a failure before the swap leaves the previous folder and no temp folder', () => {
    const root = tmpDir(), target = path.join(root, 'res');
    commitOutputFolder(target, [{ name: 'a.csv', text: 'old\n' }]);
    throwsCode(() => commitOutputFolder(target, [{ name: 'a.csv', text: 'new\n' }, { name: 'a.csv', text: 'twice\n' }]), 'CLI_OUTPUT_BAD_NAME');
    throwsCode(() => commitOutputFolder(target, [{ name: '../escape.csv', text: 'x\n' }]), 'CLI_OUTPUT_BAD_NAME');
    throwsCode(() => commitOutputFolder(target, [{ name: 'manifest.json', text: '{}' }]), 'CLI_OUTPUT_BAD_NAME');
    assert.equal(readFileSync(path.join(target, 'a.csv'), 'utf8'), 'old\n');
    assert.deepEqual(readdirSync(root), ['res']);
    writeFileSync(path.join(root, 'plain'), 'a file');
    throwsCode(() => commitOutputFolder(path.join(root, 'plain'), [{ name: 'a.csv', text: 'x\n' }]), 'CLI_OUTPUT_NOT_WRITABLE');
  });
  it('a second concurrent writer into the same folder fails with CLI_OUTPUT_LOCKED; a dead owner\'s lock is stale', () => {
    const root = tmpDir(), target = path.join(root, 'res');
    const lock = acquireOutputLock(target, { command: 'run --data sim' });
    const e = throwsCode(() => commitOutputFolder(target, [{ name: 'a.csv', text: 'x\n' }]), 'CLI_OUTPUT_LOCKED');
    assert.match(e.message, new RegExp(`pid ${process.pid}`));
    assert.match(e.message, /run --data sim/);
    throwsCode(() => acquireOutputLock(target), 'CLI_OUTPUT_LOCKED');
    assert.ok(!existsSync(target), 'the locked-out writer wrote nothing');
    // the holder itself commits with its lock
    commitOutputFolder(target, [{ name: 'a.csv', text: 'x\n' }], { lock });
    lock.release();
    assert.ok(!existsSync(`${target}.lock`));
    // a lock left by a process that no longer exists is taken over
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(`${target}.lock`, JSON.stringify({ pid: dead, host: os.hostname(), started: '2026-01-01T00:00:00Z', token: 'dead' }));
    commitOutputFolder(target, [{ name: 'a.csv', text: 'y\n' }]);
    assert.equal(readFileSync(path.join(target, 'a.csv'), 'utf8'), 'y\n');
    assert.ok(!existsSync(`${target}.lock`));
  });
  it('two processes committing into one folder at once: exactly one wins, the other gets CLI_OUTPUT_LOCKED', async () => {
    const root = tmpDir(), target = path.join(root, 'res');
    const script = path.join(process.cwd(), 'test', 'unit', 'cli', 'outputsChild.ts');
    const runChild = (tag: string, onOut: (out: string) => void = () => {}) => new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', script, target, tag, '0', '2000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d) => { out += String(d); onOut(out); });
      c.stderr.on('data', (d) => { out += String(d); });
      c.on('exit', (code) => resolve({ code, out }));
    });
    // A takes the lock and holds it until told (no timing assumption: a loaded machine only waits
    // longer); B runs start to end meanwhile; then A is released and writes.
    let locked: () => void = () => {};
    const aLocked = new Promise<void>((r) => { locked = r; });
    const a = runChild('A:hold', (out) => { if (out.includes('locked\n')) locked(); });
    await Promise.race([aLocked, a]);
    const b = await runChild('B');
    writeFileSync(`${target}.release`, '');
    const ra = await a;
    assert.equal(ra.code, 0, ra.out);
    assert.equal(b.code, 3, b.out);
    assert.match(b.out, /CLI_OUTPUT_LOCKED/);
    assert.equal(readOutputManifest(target)!.meta.tag, 'A:hold');
    assert.equal(verifyOutputFolder(target).complete, true);
  });
  it('recovery after a kill between the swap and the removal of the previous folder: the new folder stays, .previous goes', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'recover-')), target = path.join(root, 'res');
    commitOutputFolder(target, [{ name: 'a.csv', text: 'old\n' }], { keepPrevious: true });
    commitOutputFolder(target, [{ name: 'a.csv', text: 'new\n' }], { keepPrevious: true });
    assert.ok(existsSync(`${target}.previous`), 'the state a kill after the swap leaves');
    assert.deepEqual(recoverOutputFolder(target), ['removed res.previous']);
    assert.equal(readFileSync(path.join(target, 'a.csv'), 'utf8'), 'new\n');
    assert.deepEqual(readdirSync(root).sort(), ['res']);
  });

  it('SIGKILL at random points of the write stage leaves the previous complete folder or the new complete one, never a mix', async () => {
    const root = tmpDir(), target = path.join(root, 'res');
    const script = path.join(process.cwd(), 'test', 'unit', 'cli', 'outputsChild.ts');
    commitOutputFolder(target, Array.from({ length: 14 }, (_, k) => ({ name: k === 13 ? 'tearsheet.html' : `f${k}.csv`, text: `old ${k}\n` })), { meta: { tag: 'old' } });
    const rng = createRng(11);
    const seen = new Set<string>();
    // Write-stage duration of one uninterrupted child (from "writing" to exit), to spread the kills over it.
    let writeMs = 0;
    for (let iter = -1; iter < 6; iter++) {
      const tag = `new${iter}`;
      const child = spawn(process.execPath, ['--import', 'tsx', script, target, tag, '14', '2000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Kill at a random point after the child starts writing (it prints "writing" first), up to 1.3x the write stage.
      let started = 0;
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d) => {
          if (!String(d).includes('writing')) return;
          started = Date.now();
          if (iter >= 0) setTimeout(() => child.kill('SIGKILL'), Math.floor(rng.uniform() * 1.3 * writeMs));
        });
        child.on('exit', () => resolve());
      });
      if (iter < 0) { writeMs = Math.max(20, Date.now() - started); continue; }
      // The target is at every instant absent (only between the two renames), old-complete or new-complete.
      if (existsSync(target)) assert.equal(verifyOutputFolder(target).complete, true, `iteration ${iter}: ${verifyOutputFolder(target).problems.join('; ')}`);
      recoverOutputFolder(target); // what the next command does under its lock
      const check = verifyOutputFolder(target);
      assert.equal(check.complete, true, `iteration ${iter}: ${check.problems.join('; ')}`);
      const m = readOutputManifest(target)!;
      const files = m.files.map((f) => f.name);
      assert.equal(files.length, 14);
      const texts = new Set(files.map((f) => readFileSync(path.join(target, f), 'utf8').split(' ')[0]));
      assert.equal(texts.size, 1, 'all files from one run');
      seen.add(m.meta.tag === tag ? 'new' : 'previous');
      assert.deepEqual(readdirSync(root).filter((e) => e !== 'res' && e !== 'res.lock'), [], 'no temp or .previous folder left after recovery');
      // the next commit takes over the stale lock of the killed child
      if (iter === 5) {
        commitOutputFolder(target, [{ name: 'f0.csv', text: 'after\n' }]);
        assert.equal(readFileSync(path.join(target, 'f0.csv'), 'utf8'), 'after\n');
      }
    }
    assert.ok(!existsSync(`${target}.lock`));
    console.log(`write stage ${writeMs} ms; outcomes after the kills: ${[...seen].join(', ')}`);
  });
});
