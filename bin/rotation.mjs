#!/usr/bin/env node
// The `rotation` command (package.json "bin"): runs src/cli/main.ts through tsx, from any working
// directory. Paths the user types (--data folder, --out, --holdings) stay relative to the working
// directory; what belongs to the project (its node_modules, e.g. the plotly bundle of the tear
// sheet, and the default shared data folder ../shared/data) is found from ROTATION_PROJECT_ROOT,
// set here to this checkout unless already set.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { register } from 'tsx/esm/api';

if (!process.env.ROTATION_PROJECT_ROOT) process.env.ROTATION_PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
register({ tsconfig: path.join(process.env.ROTATION_PROJECT_ROOT, 'tsconfig.json') });
const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
