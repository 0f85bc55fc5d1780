/** Types of bundleCache.mjs (see its module comment). */

/** A bundle's manifest, `<dir>/<name>.json`. */
export interface BundleManifest {
  esbuild: string;
  entry: string;
  hash: string;
  inputs: string[];
}

/** The entry module of a bundle: one re-export per name, e.g. `export { runWalkJob } from './src/model/walkPool.ts';`. */
export function bundleEntry(exports: Readonly<Record<string, string>>): string;

/** 16 hex of SHA-256(esbuild version, entry text, each input's path and contents); null when an input is missing. */
export function bundleHash(root: string, esbuildVersion: string, entry: string, inputs: readonly string[]): string | null;

/** The bundle file of `name` with extension `ext` and this hash. */
export function bundleFile(dir: string, name: string, hash: string, ext: 'cjs' | 'mjs'): string;

/** The cached bundle of `entry` when its manifest's inputs are unchanged, else null. */
export function cachedBundle(dir: string, name: string, root: string, entry: string, ext: 'cjs' | 'mjs'): string | null;
