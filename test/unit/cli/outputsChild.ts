/**
 * Child process of outputs.test.ts: commits an output folder so the test can SIGKILL it at a
 * random point or run two at once.
 * Usage: node --import tsx outputsChild.ts <target> <tag> <files (0 = 3)> <bytes per file>
 * A tag ending in ":hold" prints "locked" once it holds the lock and keeps it until the file
 * <target>.release exists (the test creates it; at most 120 s), then writes. Exit 0 committed,
 * 3 RotationError.
 */
import { existsSync } from 'node:fs';
import { acquireOutputLock, commitOutputFolder } from '../../../src/cli/outputs.js';
import { RotationError } from '../../../src/errors.js';

const [target, tag, nArg, bytesArg] = process.argv.slice(2);
const n = Number(nArg) || 3, bytes = Number(bytesArg) || 1000;
const files = Array.from({ length: n }, (_, k) => ({ name: k === n - 1 ? 'tearsheet.html' : `f${k}.csv`, text: `${tag} ${k} ${'x'.repeat(bytes)}\n` }));
try {
  const lock = acquireOutputLock(target, { command: `child ${tag}` });
  try {
    if (tag.endsWith(':hold')) {
      process.stdout.write('locked\n');
      const sleeper = new Int32Array(new SharedArrayBuffer(4));
      for (let waited = 0; !existsSync(`${target}.release`) && waited < 120_000; waited += 20) Atomics.wait(sleeper, 0, 0, 20);
    }
    process.stdout.write('writing\n');
    commitOutputFolder(target, files, { lock, meta: { tag } });
  } finally {
    lock.release();
  }
} catch (e) {
  if (e instanceof RotationError) {
    process.stdout.write(`${e.code}: ${e.message}\n`);
    process.exit(3);
  }
  throw e;
}
