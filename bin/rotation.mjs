#!/usr/bin/env node
// The `rotation` command (package.json "bin"; `npm start`, `npm run rotation`), from any working
// directory. Paths the user types (--data folder, --out, --holdings) stay relative to the working
// directory; what belongs to the project (its node_modules, e.g. the plotly bundle of the tear
// sheet, and the default shared data folder ../shared/data) is found from ROTATION_PROJECT_ROOT,
// set here to this checkout unless already set.
//
// It runs src/cli/main.ts from one ES-module bundle of the CLI's sources, `.cache/cli/cli-<hash>.mjs`
// (src/threads/workerBundle.ts): while no source changed, the bundle is checked (bundleCache.mjs:
// the SHA-256 of every bundled file) and imported, and no TypeScript loader starts, which saves
// ~0.4 s and ~50 MB in every command. After an edit, the bundle is built again (esbuild, in a child
// process) through tsx. Without a bundle (esbuild missing or failing, a read-only checkout, or
// ROTATION_CLI_BUNDLE=0), the sources run through tsx as before. Same code either way: esbuild is
// also what tsx compiles with.
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { bundleEntry, cachedBundle } from '../src/threads/bundleCache.mjs';

if (!process.env.ROTATION_PROJECT_ROOT) process.env.ROTATION_PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = process.env.ROTATION_PROJECT_ROOT;
const entry = bundleEntry({ main: 'cli/main.ts' });
const useBundle = process.env.ROTATION_CLI_BUNDLE !== '0';

/** `main` through tsx; first building the bundle when `build` (then from the bundle when that worked). */
async function mainThroughTsx(build) {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: path.join(root, 'tsconfig.json') });
  if (build) {
    const { sourceBundle } = await import(pathToFileURL(path.join(root, 'src', 'threads', 'workerBundle.ts')).href);
    const b = sourceBundle('cli', entry, { root, folder: 'cli', format: 'esm' });
    if (b.file) return (await import(pathToFileURL(b.file).href)).main;
  }
  return (await import(pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href)).main;
}

async function loadMain() {
  const file = useBundle ? cachedBundle(path.join(root, '.cache', 'cli'), 'cli', root, entry, 'mjs') : null;
  if (file) {
    try {
      return (await import(pathToFileURL(file).href)).main;
    } catch (e) {
      // Replaced by a newer bundle between the check and the import (another process rebuilt it).
      if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(path.basename(file))) throw e;
    }
  }
  return mainThroughTsx(useBundle);
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
