/** True when the module at `importMetaUrl` is the script node was started with (not an import of it). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function isMainScript(importMetaUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(importMetaUrl);
}
