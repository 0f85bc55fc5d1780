/**
 * Notebook runner.
 *
 *   npm run notebooks [-- NAME ...]   execute notebooks/NN_*.ipynb in order, headless, with the
 *                                     tslab kernel; HTML reports → docs/reports/, key results →
 *                                     docs/results/ (written by each notebook).
 *   --reports=DIR                     write the HTML reports to DIR instead of docs/reports.
 *   npm run reproduce                 the same for all notebooks, then fail if any file in
 *                                     docs/results/ changed (byte comparison, diff printed).
 *
 * The first failing cell stops the run: the notebook, the cell number and the error text are
 * printed and the exit code is 1. Never runs with --allow-errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const args = process.argv.slice(2);
const reproduce = args.includes('--reproduce');
const names = args.filter((a) => !a.startsWith('--'));
const reportsArg = args.find((a) => a.startsWith('--reports='));
const python = path.join(root, '.venv', 'bin', 'python');
const resultsDir = path.join(root, 'docs', 'results');
const reportsDir = reportsArg ? path.resolve(root, reportsArg.slice('--reports='.length)) : path.join(root, 'docs', 'reports');

function fail(msg: string): never {
  console.error(`notebooks: ${msg}`);
  process.exit(1);
}

function snapshotResults(): Map<string, string> {
  const snap = new Map<string, string>();
  if (!existsSync(resultsDir)) return snap;
  for (const f of readdirSync(resultsDir).sort()) snap.set(f, readFileSync(path.join(resultsDir, f), 'utf8'));
  return snap;
}

function firstDiff(a: string, b: string): string {
  const la = a.split('\n'), lb = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(la.length, lb.length) && out.length < 12; i++) {
    if (la[i] !== lb[i]) out.push(`    line ${i + 1}:\n      - ${la[i] ?? '(none)'}\n      + ${lb[i] ?? '(none)'}`);
  }
  return out.join('\n');
}

if (!existsSync(python)) fail('the Jupyter environment is missing (.venv). Run `npm run setup` first.');
const all = readdirSync(path.join(root, 'notebooks')).filter((f) => /^\d\d_.+\.ipynb$/.test(f)).sort().map((f) => path.join('notebooks', f));
// A name is a notebook stem or number prefix ("01", "01_problem_framing") or a path to any .ipynb.
const matches = (f: string, n: string) => {
  const b = path.basename(f);
  return b === n || b === `${n}.ipynb` || b.startsWith(`${n}_`);
};
const explicit = names.filter((n) => n.endsWith('.ipynb') && existsSync(path.resolve(root, n)));
const unknown = names.filter((n) => !explicit.includes(n) && !all.some((f) => matches(f, n)));
if (unknown.length) fail(`unknown notebook(s): ${unknown.join(', ')}. Available: ${all.map((f) => path.basename(f)).join(', ')}`);
const selected = names.length
  ? [...all.filter((f) => names.some((n) => matches(f, n))), ...explicit.map((n) => path.relative(root, path.resolve(root, n)))]
  : all;
if (reproduce && names.length) fail('--reproduce always runs every notebook; drop the names');

const before = snapshotResults();
const env = {
  ...process.env,
  JUPYTER_PATH: path.join(root, '.jupyter'),
  JUPYTER_RUNTIME_DIR: path.join(root, '.jupyter', 'runtime'),
  JUPYTER_PLATFORM_DIRS: '1',
  PYDEVD_DISABLE_FILE_VALIDATION: '1',
};
const t0 = Date.now();
for (const [k, file] of selected.entries()) {
  const stem = path.basename(file).replace(/\.ipynb$/, '');
  const inNotebooks = path.dirname(file) === 'notebooks';
  const html = path.join(reportsDir, `${stem}.html`);
  process.stdout.write(`[${k + 1}/${selected.length}] ${file} ... `);
  const r = spawnSync(python, [path.join(root, 'scripts', 'execute_notebook.py'), path.join(root, file), html],
    { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  let status: { ok: boolean; seconds?: number; cell?: number; ename?: string; evalue?: string; traceback?: string; error?: string } | undefined;
  try { status = line ? JSON.parse(line) : undefined; } catch { status = undefined; }
  if (!status) {
    console.log('FAILED');
    fail(`${file}: the executor gave no status (exit ${r.status}).\n${(r.stderr ?? '').slice(-4000)}`);
  }
  if (!status.ok) {
    console.log('FAILED');
    const where = status.cell && status.cell > 0 ? `cell ${status.cell}` : 'kernel';
    const tb = (status.traceback ?? '').replace(/\x1b\[[0-9;]*m/g, '');
    fail(`${file} failed at ${where}: ${status.ename}: ${status.evalue}\n${tb.slice(-4000)}\n(partial report: ${path.relative(root, html)})`);
  }
  if (inNotebooks && !existsSync(path.join(resultsDir, `${stem}.md`))) fail(`${file} ran but did not write docs/results/${stem}.md (call nb.saveKeyResults())`);
  console.log(`ok (${status.seconds} s) → ${path.relative(root, html)}`);
}
console.log(`notebooks: ${selected.length} executed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

if (reproduce) {
  const after = snapshotResults();
  const changed: string[] = [];
  for (const [f, text] of after) {
    const old = before.get(f);
    if (old === undefined) changed.push(`  added: docs/results/${f}`);
    else if (old !== text) changed.push(`  changed: docs/results/${f}\n${firstDiff(old, text)}`);
  }
  for (const f of before.keys()) if (!after.has(f)) changed.push(`  removed: docs/results/${f}`);
  if (changed.length) fail(`reproduce: results differ from before the rerun:\n${changed.join('\n')}`);
  console.log(`reproduce: all ${after.size} files in docs/results are byte-identical after the rerun`);
}
