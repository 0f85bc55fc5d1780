/**
 * What makes a cached source bundle current (the definitions src/threads/workerBundle.ts builds
 * with and bin/rotation.mjs checks with). Plain JavaScript, because the `rotation` bin reads it
 * before any TypeScript loader exists: a current bundle of the CLI is run without tsx at all.
 * Types: bundleCache.d.mts.
 *
 * A bundle `<dir>/<name>-<hash>.<ext>` holds the sources reached from an entry text; its manifest
 * `<dir>/<name>.json` is { esbuild, entry, hash, inputs } (inputs: project-relative paths of every
 * bundled source file, as esbuild's metafile lists them), and
 *   hash = 16 hex of SHA-256("esbuild <version>\n<entry>" + for each input "\n<path>\n" + contents).
 * The bundle is current while its manifest's entry is the one asked for and every listed input still
 * hashes to `hash`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The entry module of a bundle: one re-export per name, e.g. `export { runWalkJob } from './src/model/walkPool.ts';`. */
export function bundleEntry(exports) {
  return Object.entries(exports).map(([name, file]) => `export { ${name} } from './src/${file}';\n`).join('');
}

/** 16 hex of SHA-256(esbuild version, entry text, each input's path and contents); null when an input is missing. */
export function bundleHash(root, esbuildVersion, entry, inputs) {
  const h = createHash('sha256').update(`esbuild ${esbuildVersion}\n${entry}`);
  for (const f of inputs) {
    const p = path.join(root, f);
    if (!existsSync(p)) return null;
    h.update(`\n${f}\n`).update(readFileSync(p));
  }
  return h.digest('hex').slice(0, 16);
}

/** The bundle file of `name` with extension `ext` ('cjs' or 'mjs') and this hash. */
export function bundleFile(dir, name, hash, ext) {
  return path.join(dir, `${name}-${hash}.${ext}`);
}

/** The cached bundle of `entry` when its manifest's inputs are unchanged, else null (never throws on a bad manifest). */
export function cachedBundle(dir, name, root, entry, ext) {
  const manifestFile = path.join(dir, `${name}.json`);
  if (!existsSync(manifestFile)) return null;
  let m;
  try { m = JSON.parse(readFileSync(manifestFile, 'utf8')); } catch { return null; }
  if (!m || m.entry !== entry || !Array.isArray(m.inputs) || typeof m.hash !== 'string') return null;
  const file = bundleFile(dir, name, m.hash, ext);
  return bundleHash(root, m.esbuild, entry, m.inputs) === m.hash && existsSync(file) ? file : null;
}
