/**
 * Workload `pipeline`: `npm start` as a user runs it — `rotation run` on the default simulator
 * (load, coverage, 41 factors, evaluation, preprocessing, composite, every allocator, backtest,
 * outputs and tear sheet) in a child process, wall time from spawn to exit (target < 10 s).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runWorkload } from '../harness.js';

await runWorkload('pipeline', () => mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-')), (out) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('src', 'cli', 'main.ts'), 'run', '--quiet', '--out', out], { encoding: 'utf8' });
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`rotation run failed: ${r.stderr}`);
  return `child: ${r.stdout.trim().split('\n').pop()}`;
});
