/**
 * The TypeScript sources a worker thread runs, as one CommonJS file built once and reused.
 *
 *   const data = workerModules('evaluation', { evaluateCrossSections: 'evaluate/crossSection.ts' });
 *   new Worker(`${WORKER_LOADER} const { evaluateCrossSections } = loadWorkerModules(workerData.modules); …`,
 *              { eval: true, workerData: { modules: data } });
 *
 * Why: a worker that loads the sources through tsx's CommonJS API carries tsx and esbuild's
 * JavaScript API in its heap (~25 MB of peak memory per worker, measured) and resolves and reads
 * every module again at each start; a bundle is one `require` of one file.
 *
 * - **Content-addressed.** The bundle is `<root>/.cache/workers/<name>-<hash>.cjs`, hash = 16 hex
 *   of SHA-256(esbuild's version, the entry text, the path and contents of every source file the
 *   bundle holds, as esbuild's metafile lists them). A manifest `<name>.json` keeps that list, so a
 *   later call hashes the listed files without loading esbuild and reuses the bundle when none
 *   changed; an edit to any of them builds a new bundle. Packages stay outside the bundle
 *   (`packages: 'external'`) and are `require`d from the project's node_modules, which is why the
 *   folder is under the project root and not under ROTATION_CACHE_DIR.
 * - **Safe under concurrent processes.** Files are written with `writeFileAtomic` (a temporary
 *   name renamed over the file, atomic on one file system); the bundle before its manifest.
 * - **Built in a child process.** esbuild's API and its build never enter the calling process's
 *   memory (a notebook kernel, a benchmark measuring its own peak); it reads the finished bundle.
 * - **Optional.** When esbuild cannot run or fails, the sources are not under `root`, the folder
 *   is not writable, or ROTATION_WORKER_BUNDLE=0, `bundle` is null with the reason, and the worker
 *   loads the same exports through tsx (`WORKER_LOADER` does either). The numbers are the same on
 *   both paths (each pool's tests compare its results with the calling thread's, bit for bit).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeFileAtomic } from '../report/csv.js';

/** What a worker needs to load its exports: `workerData.modules` for `loadWorkerModules`. */
export interface WorkerModules {
  /** Project root holding src/ and node_modules/. */
  readonly root: string;
  /** Export name → source file under src/ (e.g. 'evaluate/crossSection.ts'). */
  readonly exports: Readonly<Record<string, string>>;
  /** The bundle file to `require`, or null to load the sources through tsx. */
  readonly bundle: string | null;
  /** Why there is no bundle, or null. */
  readonly fallback: string | null;
}

interface Manifest {
  esbuild: string;
  entry: string;
  hash: string;
  inputs: string[];
}

/** The entry module of a bundle: one re-export per name, e.g. `export { runWalkJob } from './src/model/walkPool.ts';`. */
export function bundleEntry(exports: Readonly<Record<string, string>>): string {
  return Object.entries(exports).map(([name, file]) => `export { ${name} } from './src/${file}';\n`).join('');
}

/** 16 hex of SHA-256(esbuild version, entry text, each input's path and contents); null when an input is missing. */
function bundleHash(root: string, esbuildVersion: string, entry: string, inputs: readonly string[]): string | null {
  const h = createHash('sha256').update(`esbuild ${esbuildVersion}\n${entry}`);
  for (const f of inputs) {
    const p = path.join(root, f);
    if (!existsSync(p)) return null;
    h.update(`\n${f}\n`).update(readFileSync(p));
  }
  return h.digest('hex').slice(0, 16);
}

/** The cached bundle when its manifest's inputs are unchanged, else null. */
function cachedBundle(dir: string, name: string, root: string, entry: string): string | null {
  const manifestFile = path.join(dir, `${name}.json`);
  if (!existsSync(manifestFile)) return null;
  let m: Manifest;
  try { m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest; } catch { return null; }
  if (m.entry !== entry || !Array.isArray(m.inputs)) return null;
  const file = path.join(dir, `${name}-${m.hash}.cjs`);
  return bundleHash(root, m.esbuild, entry, m.inputs) === m.hash && existsSync(file) ? file : null;
}

/**
 * The esbuild run of `buildBundle`, in a child process (CommonJS source for `node -e`; argv: root,
 * name, entry; prints JSON { version, text, inputs }): esbuild's JavaScript API and its build
 * stay out of the calling process's memory (a long-lived notebook kernel, a benchmark measuring
 * its own peak), which only ever reads the finished bundle.
 */
const BUILD_SCRIPT = `
const [root, name, entry] = process.argv.slice(1);
try {
  const esbuild = require(require.resolve('esbuild', { paths: [root] }));
  const result = esbuild.buildSync({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: name + '-entry.ts' },
    absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', packages: 'external',
    metafile: true, write: false, logLevel: 'silent', legalComments: 'none',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== name + '-entry.ts' && !f.startsWith('<')).sort();
  process.stdout.write(JSON.stringify({ version: esbuild.version, text: result.outputFiles[0].text, inputs }));
} catch (e) {
  process.stderr.write(String(e && e.message || e).split('\\n').slice(0, 3).join(' '));
  process.exitCode = 1;
}
`;

/** Build the bundle with esbuild (in a child process), write it and its manifest, and delete older bundles of `name`. */
function buildBundle(dir: string, name: string, root: string, entry: string): string {
  const run = spawnSync(process.execPath, ['-e', BUILD_SCRIPT, root, name, entry], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`esbuild could not bundle the sources: ${(run.stderr || run.error?.message || `exit ${run.status}`).trim()}`);
  const built = JSON.parse(run.stdout) as { version: string; text: string; inputs: string[] };
  // The entry is hashed as text; the files it reaches are the inputs.
  const hash = bundleHash(root, built.version, entry, built.inputs);
  if (hash === null) throw new Error('a bundled source file disappeared while building');
  const file = path.join(dir, `${name}-${hash}.cjs`);
  writeFileAtomic(file, built.text);
  writeFileAtomic(path.join(dir, `${name}.json`), JSON.stringify({ esbuild: built.version, entry, hash, inputs: built.inputs } satisfies Manifest));
  for (const f of readdirSync(dir)) {
    if (f.startsWith(`${name}-`) && f.endsWith('.cjs') && f !== path.basename(file)) rmSync(path.join(dir, f), { force: true });
  }
  return file;
}

/**
 * What a worker needs to load `exports` (export name → file under src/): the bundle of those
 * exports (built on first use, see the module comment) or, when none can be had, the reason and
 * the files for tsx. Never throws.
 */
export function workerModules(name: string, exports: Readonly<Record<string, string>>, root = process.cwd()): WorkerModules {
  const entry = bundleEntry(exports);
  const without = (fallback: string): WorkerModules => ({ root, exports, bundle: null, fallback });
  if (process.env.ROTATION_WORKER_BUNDLE === '0') return without('ROTATION_WORKER_BUNDLE=0');
  if (!Object.values(exports).every((f) => existsSync(path.join(root, 'src', f)))) return without(`the sources are not under ${root}/src`);
  const dir = path.join(root, '.cache', 'workers');
  try {
    return { root, exports, bundle: cachedBundle(dir, name, root, entry) ?? buildBundle(dir, name, root, entry), fallback: null };
  } catch (e) {
    return without(`no worker bundle: ${(e as Error).message}`);
  }
}

/**
 * Worker-side loader (CommonJS source text to put at the top of a worker evaluated with `eval`):
 * defines `loadWorkerModules(modules)`, which returns the exports named in a `WorkerModules`, from
 * its bundle or, without one, through tsx's CommonJS API resolved from the project root.
 */
export const WORKER_LOADER = `
const loadWorkerModules = (modules) => {
  if (modules.bundle) return require(modules.bundle);
  const path = require('node:path');
  const api = require(require.resolve('tsx/cjs/api', { paths: [modules.root] }));
  const out = {};
  for (const [name, rel] of Object.entries(modules.exports)) {
    const file = path.join(modules.root, 'src', ...rel.split('/'));
    out[name] = api.require(file, file)[name];
  }
  return out;
};
`;
