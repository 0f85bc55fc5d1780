/**
 * Unit-test shards: `scripts/test-units.sh` splits the unit test files into one shard per core and
 * runs each shard as ONE node process that imports its files in turn:
 *
 *   node --import tsx --test-reporter=spec scripts/test-shard.ts test/unit/a.test.ts test/unit/b.test.ts ...
 *
 * Every file's tests register on import and run one after another, in file order, exactly as
 * `node --test` would run them in a process of their own; what a shard saves is the start-up of a
 * Node process, the tsx loader and the src modules for every file (about 0.5–1 CPU-s each, 114
 * files). A failing test sets the exit code (node:test); a file that cannot be imported is named
 * and fails the shard. Tests must not depend on another file's leftovers (each writes only to its
 * own mkdtemp folder or the content-addressed cache, and restores what it patches); the
 * per-file mode (`TEST_ISOLATION=process`) remains to check that.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('test-shard: no test files given (usage: scripts/test-shard.ts FILE.test.ts ...)');
  process.exit(2);
}
for (const f of files) {
  try {
    await import(pathToFileURL(path.resolve(f)).href);
  } catch (e) {
    console.error(`test-shard: ${f} could not be loaded: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
