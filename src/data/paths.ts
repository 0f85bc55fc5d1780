/**
 * Where real data lives. Real vendor data is read from the shared folder beside the project
 * (`../shared/data`, or `$ROTATION_SHARED_DATA`), never copied into it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder of shared real data: `$ROTATION_SHARED_DATA`, else `../shared/data` from the project root. */
export function sharedDataDir(): string {
  const env = process.env.ROTATION_SHARED_DATA;
  return env && env.trim() !== '' ? path.resolve(env) : path.resolve(process.cwd(), '../shared/data');
}

/** True when the shared data folder (or a subfolder of it, e.g. "citic_l1_industry") exists. */
export function hasSharedData(sub = ''): boolean {
  return existsSync(path.join(sharedDataDir(), sub));
}
