/**
 * Where real data lives. Real vendor data is read from the shared folder beside the project
 * (`../shared/data`, or `$ROTATION_SHARED_DATA`), never copied into it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project root: `$ROTATION_PROJECT_ROOT` (set by bin/rotation.mjs to its checkout, so the
 * command works from any directory), else the working directory (npm scripts, notebooks and
 * tests run from the root).
 */
export function projectRoot(): string {
  const env = process.env.ROTATION_PROJECT_ROOT;
  return env && env.trim() !== '' ? path.resolve(env) : process.cwd();
}

/** The folder of shared real data: `$ROTATION_SHARED_DATA`, else `../shared/data` from the project root (`projectRoot`). */
export function sharedDataDir(): string {
  const env = process.env.ROTATION_SHARED_DATA;
  return env && env.trim() !== '' ? path.resolve(env) : path.resolve(projectRoot(), '../shared/data');
}

/** True when the shared data folder (or a subfolder of it, e.g. "citic_l1_industry") exists. */
export function hasSharedData(sub = ''): boolean {
  return existsSync(path.join(sharedDataDir(), sub));
}
