/**
 * Workload `pipeline`: `npm start` as a user runs it — `node bin/rotation.mjs run` (the CLI from its
 * cached bundle, no TypeScript loader; bin/rotation.mjs) on the default simulator
 * (load, coverage, 41 factors, evaluation, preprocessing, composite, every allocator, backtest,
 * outputs and tear sheet) in a child process. wall_s is spawn to exit; cpu_s and peak_rss_mb are
 * the CHILD's own figures (bench/childUsage.mjs), not this process's. Targets (issue 16):
 * <= 5 s wall, <= 400 MB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChild, runWorkload } from '../harness.js';

await runWorkload('pipeline', () => mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-')), (out) => {
  const r = runChild([path.join('bin', 'rotation.mjs'), 'run', '--quiet', '--out', out], {}, false);
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`rotation run failed: ${r.stderr}`);
  return { cpu_s: r.cpu_s, peak_rss_mb: r.peak_rss_mb, detail: `child: ${r.stdout.trim().split('\n').pop()}` };
}, { wall_s: 5, peak_rss_mb: 400 });
