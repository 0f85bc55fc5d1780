/**
 * `npm run bench [-- workload ...] [-- --compare]`: run each workload in bench/workloads/ in its
 * own process (so peak memory and CPU are per workload) and relay its `bench ...` line.
 *
 * - With no workload named, every workload except `scale` and `industries` runs (they run several sizes and
 *   are asked for by name: `npm run bench -- scale`, `npm run bench -- industries`).
 * - `--compare` also runs the Python reference (bench/reference/alphalens_evaluate.py, the
 *   `evaluate` work done by alphalens-reloaded) when a Python with alphalens is available — the
 *   interpreter named by ALPHALENS_PYTHON, else .venv-alphalens/bin/python — and prints the
 *   ratio reference / ours for wall and CPU seconds. Without one it prints how to create it and
 *   skips (exit status unaffected). docs/performance.md describes the venv.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const OPT_IN = new Set(['scale', 'industries']);
const dir = path.join(process.cwd(), 'bench', 'workloads');
const all = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
const argv = process.argv.slice(2);
const compare = argv.includes('--compare');
const wanted = argv.filter((a) => a !== '--compare');
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`bench: unknown workload(s) ${unknown.join(', ')}; available: ${all.join(', ')} (and --compare)`);
  process.exit(2);
}

/** key=value figures of a `bench <name> ...` line. */
function figures(line: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of line.matchAll(/(\w+)=([-\d.eE+]+)(?=\s|$)/g)) out[m[1]] = Number(m[2]);
  return out;
}

let failed = 0;
const lines = new Map<string, string>();
const list = wanted.length ? wanted : all.filter((w) => !OPT_IN.has(w));
if (compare && !list.includes('evaluate')) list.push('evaluate');
for (const w of list) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${w}.ts`)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: process.env });
  process.stdout.write(r.stdout ?? '');
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(`bench ${w} `));
  if (line) lines.set(w, line);
  if (r.status !== 0) { failed++; console.error(`bench ${w} FAILED (exit ${r.status})`); }
}

if (compare) {
  const py = process.env.ALPHALENS_PYTHON ?? path.join(process.cwd(), '.venv-alphalens', 'bin', 'python');
  const probe = existsSync(py) || process.env.ALPHALENS_PYTHON
    ? spawnSync(py, ['-c', 'import alphalens, pandas'], { encoding: 'utf8' })
    : null;
  if (!probe || probe.status !== 0) {
    console.log(`bench compare SKIPPED: no Python with alphalens-reloaded at ${path.relative(process.cwd(), py) || py}` +
      ' (create it: python3 -m venv .venv-alphalens && .venv-alphalens/bin/pip install alphalens-reloaded; or set ALPHALENS_PYTHON; see docs/performance.md)');
  } else {
    const r = spawnSync(py, [path.join('bench', 'reference', 'alphalens_evaluate.py')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stdout.write(r.stdout ?? '');
    const ref = (r.stdout ?? '').split('\n').find((l) => l.startsWith('bench reference-alphalens '));
    const ours = lines.get('evaluate');
    if (r.status !== 0 || !ref || !ours) { failed++; console.error(`bench compare FAILED (reference exit ${r.status})`); }
    else {
      const a = figures(ref), b = figures(ours);
      const ratio = (k: string) => (a[k] / b[k]).toFixed(1);
      console.log(`bench compare evaluate vs alphalens: wall_ratio=${ratio('wall_s')} cpu_ratio=${ratio('cpu_s')} memory_ratio=${ratio('peak_rss_mb')}` +
        ` target_cpu_ratio>=30:${a.cpu_s / b.cpu_s >= 30 ? 'ok' : 'MISS'}`);
    }
  }
}
process.exit(failed ? 1 : 0);
