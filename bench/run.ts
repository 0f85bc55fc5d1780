/**
 * `npm run bench [-- workload ...]`: run each workload in bench/workloads/ in its own process
 * (so peak memory is per workload) and relay its `bench ...` line.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(process.cwd(), 'bench', 'workloads');
const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`bench: unknown workload(s) ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const w of wanted.length ? wanted : all) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${w}.ts`)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) { failed++; console.error(`bench ${w} FAILED (exit ${r.status})`); }
}
process.exit(failed ? 1 : 0);
