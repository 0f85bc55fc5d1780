#!/usr/bin/env node
// The `rotation` command (package.json "bin"): runs src/cli/main.ts through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
