/**
 * The TypeScript sources a worker thread runs, as one CommonJS file built once and reused; and
 * the same for the `rotation` CLI, as one ES module file (`sourceBundle`, run by bin/rotation.mjs).
 *
 *   const data = workerModules('evaluation', { evaluateCrossSections: 'evaluate/crossSection.ts' });
 *   new Worker(`${WORKER_LOADER} const { evaluateCrossSections } = loadWorkerModules(workerData.modules); …`,
 *              { eval: true, workerData: { modules: data } });
 *
 * Why: a worker that loads the sources through tsx's CommonJS API carries tsx and esbuild's
 * JavaScript API in its heap (~25 MB of peak memory per worker, measured) and resolves and reads
 * every module again at each start; a bundle is one `require` of one file.
 *
 * - **Content-addressed.** The bundle is `<root>/.cache/workers/<name>-<hash>.cjs` (the CLI's:
 *   `.cache/cli/cli-<hash>.mjs`), hash = 16 hex of SHA-256(esbuild's version, the entry text, the
 *   path and contents of every source file the bundle holds, as esbuild's metafile lists them;
 *   defined in bundleCache.mjs, which the bin reads too). A manifest `<name>.json` keeps that list, so a
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
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeFileAtomic } from '../report/csv.js';
import { bundleEntry, bundleFile, bundleHash, cachedBundle, type BundleManifest } from './bundleCache.mjs';

export { bundleEntry };

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

/** Module format of a bundle: CommonJS for worker threads (`require`), ES modules for the CLI (its packages include ES-only ones). */
export type BundleFormat = 'cjs' | 'esm';

/**
 * The esbuild run of `buildBundle`, in a child process (CommonJS source for `node -e`; argv: root,
 * name, entry, format; prints JSON { version, text, inputs }): esbuild's JavaScript API and its build
 * stay out of the calling process's memory (a long-lived notebook kernel, a benchmark measuring
 * its own peak), which only ever reads the finished bundle.
 */
const BUILD_SCRIPT = `
const [root, name, entry, format] = process.argv.slice(1);
try {
  const esbuild = require(require.resolve('esbuild', { paths: [root] }));
  const result = esbuild.buildSync({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: name + '-entry.ts' },
    absWorkingDir: root, bundle: true, platform: 'node', format, packages: 'external',
    metafile: true, write: false, logLevel: 'silent', legalComments: 'none',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== name + '-entry.ts' && !f.startsWith('<')).sort();
  process.stdout.write(JSON.stringify({ version: esbuild.version, text: result.outputFiles[0].text, inputs }));
} catch (e) {
  process.stderr.write(String(e && e.message || e).split('\\n').slice(0, 3).join(' '));
  process.exitCode = 1;
}
`;

/** File extension of a bundle format. */
const extension = (format: BundleFormat): 'cjs' | 'mjs' => (format === 'cjs' ? 'cjs' : 'mjs');

/** Build the bundle with esbuild (in a child process), write it and its manifest, and delete older bundles of `name`. */
function buildBundle(dir: string, name: string, root: string, entry: string, format: BundleFormat): string {
  const run = spawnSync(process.execPath, ['-e', BUILD_SCRIPT, root, name, entry, format], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`esbuild could not bundle the sources: ${(run.stderr || run.error?.message || `exit ${run.status}`).trim()}`);
  const built = JSON.parse(run.stdout) as { version: string; text: string; inputs: string[] };
  // The entry is hashed as text; the files it reaches are the inputs.
  const hash = bundleHash(root, built.version, entry, built.inputs);
  if (hash === null) throw new Error('a bundled source file disappeared while building');
  const ext = extension(format), file = bundleFile(dir, name, hash, ext);
  writeFileAtomic(file, built.text);
  writeFileAtomic(path.join(dir, `${name}.json`), JSON.stringify({ esbuild: built.version, entry, hash, inputs: built.inputs } satisfies BundleManifest));
  for (const f of readdirSync(dir)) {
    if (f.startsWith(`${name}-`) && f.endsWith(`.${ext}`) && f !== path.basename(file)) rmSync(path.join(dir, f), { force: true });
  }
  return file;
}

/** A bundle of `entry` (or why there is none): the cached one while current, else built now. */
export interface SourceBundle {
  readonly file: string | null;
  readonly fallback: string | null;
}

/**
 * The bundle `<root>/.cache/<folder>/<name>-<hash>.<cjs|mjs>` of `entry` (module comment): the cached
 * one while its sources are unchanged, else built now with esbuild. Never throws: when no bundle can
 * be had, `file` is null and `fallback` says why (the caller loads the sources through tsx).
 */
export function sourceBundle(name: string, entry: string, options: { root: string; folder: string; format: BundleFormat }): SourceBundle {
  const dir = path.join(options.root, '.cache', options.folder);
  try {
    return { file: cachedBundle(dir, name, options.root, entry, extension(options.format)) ?? buildBundle(dir, name, options.root, entry, options.format), fallback: null };
  } catch (e) {
    return { file: null, fallback: (e as Error).message };
  }
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
  const b = sourceBundle(name, entry, { root, folder: 'workers', format: 'cjs' });
  return b.file ? { root, exports, bundle: b.file, fallback: null } : without(`no worker bundle: ${b.fallback}`);
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
