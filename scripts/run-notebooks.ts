/**
 * Notebook runner.
 *
 *   npm run notebooks [-- NAME ...]   execute notebooks/NN_*.ipynb in order, headless, with the
 *                                     tslab kernel; HTML reports → docs/reports/ (plus
 *                                     docs/reports/index.html), key results → docs/results/.
 *   --reports=DIR                     write the HTML reports to DIR instead of docs/reports.
 *   npm run reproduce [-- NAME ...]   the same (all notebooks by default) with the key results
 *                                     written to a scratch folder (test-output/reproduce/results,
 *                                     via ROTATION_RESULTS_DIR), then compared section by section
 *                                     with the COMMITTED files (git show HEAD:docs/results/<nb>.md).
 *                                     Never writes docs/results. Says up front which datasets of
 *                                     ../shared/data are present and which committed sections need
 *                                     an absent one (those are reported 'skipped', not failed);
 *                                     ends with a table: notebook, section, identical / differs
 *                                     (first differing line) / skipped (why). Exit 1 when any differs.
 *
 * Notebooks are independent and run NOTEBOOK_JOBS at a time (default: the cores), longest first
 * (seconds of the last run here in .cache/notebooks/, else metadata.rotation.expected_seconds);
 * each line is printed as its notebook ends. The first failing cell stops the run (no new
 * notebook starts; the running ones finish): the notebook, the cell number and the error text are
 * printed and the exit code is 1. Never runs with --allow-errors.
 */
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../src/errors.js';
import { sharedDataDir } from '../src/data/paths.js';
import {
  checkNotebooksPresent, compareKeyResults, datasetsOfSection, DATASET_MARKERS, splitSections, summaryTable, type SectionResult,
} from '../src/report/reproduce.js';
import { reportIndexHtml, reportIndexEntry } from '../src/report/reportIndex.js';
import { expectedSecondsHint, longestFirst, readNotebookSeconds, recordNotebookSeconds } from '../src/report/notebookSchedule.js';

const root = process.cwd();
const args = process.argv.slice(2);
const reproduce = args.includes('--reproduce');
const names = args.filter((a) => !a.startsWith('--'));
const reportsArg = args.find((a) => a.startsWith('--reports='));
const python = path.join(root, '.venv', 'bin', 'python');
const committedDir = path.join(root, 'docs', 'results');
const scratchResults = path.join(root, 'test-output', 'reproduce', 'results');
const resultsDir = reproduce ? scratchResults : committedDir;
const reportsDir = reportsArg ? path.resolve(root, reportsArg.slice('--reports='.length)) : path.join(root, 'docs', 'reports');

function fail(msg: string): never {
  console.error(`notebooks: ${msg}`);
  process.exit(1);
}

function failWith(e: unknown): never {
  if (e instanceof RotationError) fail(`[${e.code}] ${e.message}`);
  throw e;
}

function git(...gitArgs: string[]): string | null {
  const r = spawnSync('git', gitArgs, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : null;
}

if (!existsSync(python)) fail('the Jupyter environment is missing (.venv). Run `npm run setup` first.');
const all = readdirSync(path.join(root, 'notebooks')).filter((f) => /^\d\d[a-z]?_.+\.ipynb$/.test(f)).sort().map((f) => path.join('notebooks', f));
// A name is a notebook stem or number prefix ("01", "01_problem_framing") or a path to any .ipynb.
const matches = (f: string, n: string) => {
  const b = path.basename(f);
  return b === n || b === `${n}.ipynb` || b.startsWith(`${n}_`);
};
const explicit = names.filter((n) => n.endsWith('.ipynb') && existsSync(path.resolve(root, n)));
const unknown = names.filter((n) => !explicit.includes(n) && !all.some((f) => matches(f, n)));
if (unknown.length) {
  failWith(new RotationError('NOTEBOOK_UNKNOWN', `unknown notebook(s): ${unknown.join(', ')}`, { available: all.map((f) => path.basename(f)) },
    'pass a notebook number (01), stem (01_problem_framing) or a path to an .ipynb file'));
}
const selected = names.length
  ? [...all.filter((f) => names.some((n) => matches(f, n))), ...explicit.map((n) => path.relative(root, path.resolve(root, n)))]
  : all;
if (reproduce && explicit.length) fail('--reproduce compares notebooks/NN_*.ipynb with their committed docs/results; pass numbers or stems, not paths');

// ---- reproduce: the committed files, the datasets present, the sections that will be skipped
const committed = new Map<string, string | null>();
let present: string[] = [];
if (reproduce) {
  const head = git('rev-parse', '--short', 'HEAD');
  const listed = head ? git('ls-tree', '--name-only', 'HEAD', 'docs/results/') : null;
  let committedFiles: string[];
  if (listed !== null) {
    committedFiles = listed.split('\n').map((l) => l.trim()).filter((l) => l.endsWith('.md')).map((l) => path.basename(l));
    console.log(`reproduce: comparing with the committed key results (git HEAD ${head!.trim()}: docs/results/, ${committedFiles.length} files); the working tree's docs/results is not read or written`);
  } else {
    committedFiles = existsSync(committedDir) ? readdirSync(committedDir).filter((f) => f.endsWith('.md')).sort() : [];
    console.log('reproduce: no git repository here: comparing with the working tree\'s docs/results (not written by this run)');
  }
  try {
    checkNotebooksPresent(committedFiles, all);
  } catch (e) {
    failWith(e);
  }
  for (const f of committedFiles) {
    const stem = f.replace(/\.md$/, '');
    if (!selected.some((s) => path.basename(s, '.ipynb') === stem)) continue;
    committed.set(stem, listed !== null ? git('show', `HEAD:docs/results/${f}`) : readFileSync(path.join(committedDir, f), 'utf8'));
  }
  const dataDir = sharedDataDir();
  const folders = existsSync(dataDir) ? readdirSync(dataDir).filter((d) => statSync(path.join(dataDir, d)).isDirectory()).sort() : [];
  present = folders;
  const known = DATASET_MARKERS.map((m) => m.dataset);
  const absent = known.filter((d) => !folders.includes(d));
  console.log(`reproduce: real data (${path.relative(root, dataDir) || dataDir}): ${folders.length ? `present: ${folders.join(', ')}` : 'folder absent'}${absent.length ? `; absent: ${absent.join(', ')}` : ''}`);
  const willSkip: string[] = [];
  for (const [stem, text] of committed) {
    if (text === null) continue;
    for (const s of splitSections(text)) {
      const missing = datasetsOfSection(s.text).filter((d) => !folders.includes(d));
      if (missing.length) willSkip.push(`  ${stem} / ${s.title}  (needs ${missing.join(', ')})`);
    }
  }
  console.log(willSkip.length
    ? `reproduce: ${willSkip.length} committed section(s) need absent data; they are reported as skipped unless they come out identical:\n${willSkip.join('\n')}`
    : 'reproduce: every committed section can be reproduced with the data present');
  rmSync(scratchResults, { recursive: true, force: true });
  mkdirSync(scratchResults, { recursive: true });
  console.log(`reproduce: fresh key results → ${path.relative(root, scratchResults)}/`);
}

const env = {
  ...process.env,
  JUPYTER_PATH: path.join(root, '.jupyter'),
  JUPYTER_RUNTIME_DIR: path.join(root, '.jupyter', 'runtime'),
  JUPYTER_PLATFORM_DIRS: '1',
  PYDEVD_DISABLE_FILE_VALIDATION: '1',
  // keyResultsDir (src/report/keyResults.ts) honours this: reproduce never touches docs/results.
  ...(reproduce ? { ROTATION_RESULTS_DIR: scratchResults } : {}),
};
const commit = git('rev-parse', '--short', 'HEAD')?.trim();
const dirty = commit ? (git('status', '--porcelain', '--untracked-files=no') ?? '').trim() !== '' : false;
const dataFolders = existsSync(sharedDataDir()) ? readdirSync(sharedDataDir()).filter((d) => statSync(path.join(sharedDataDir(), d)).isDirectory()).sort() : [];
const provenance = `Commit ${commit ?? 'unknown (no git)'}${dirty ? ' (+ uncommitted changes)' : ''} · real data present: ${dataFolders.length ? dataFolders.join(', ') : 'none (simulator only)'}`;
/** What execute_notebook.py prints last: a JSON status line. */
interface ExecStatus { ok: boolean; seconds?: number; cell?: number; ename?: string; evalue?: string; traceback?: string; error?: string; bytes?: number }

/** Execute one notebook headless (scripts/execute_notebook.py); resolves with its outcome, never rejects. */
function executeNotebook(file: string, html: string): Promise<{ status: ExecStatus | undefined; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, [path.join(root, 'scripts', 'execute_notebook.py'), path.join(root, file), html, '--provenance', provenance],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-64_000); });
    child.on('error', (e) => { stderr += String(e); });
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      let status: ExecStatus | undefined;
      try { status = line ? JSON.parse(line) : undefined; } catch { status = undefined; }
      resolve({ status, code, stderr });
    });
  });
}

/** The failure message of a notebook (undefined when it ran and wrote its key results). */
function notebookFailure(file: string, stem: string, html: string, r: { status: ExecStatus | undefined; code: number | null; stderr: string }): string | undefined {
  const { status } = r;
  if (!status) return `${file}: the executor gave no status (exit ${r.code}).\n${r.stderr.slice(-4000)}`;
  if (!status.ok) {
    const where = status.cell && status.cell > 0 ? `cell ${status.cell}` : 'kernel';
    const tb = (status.traceback ?? '').replace(/\x1b\[[0-9;]*m/g, '');
    return `${file} failed at ${where}: ${status.ename}: ${status.evalue}\n${tb.slice(-4000)}\n(partial report: ${path.relative(root, html)})${reproduce ? '\nreproduce: stopped; the committed docs/results are untouched' : ''}`;
  }
  if (path.dirname(file) === 'notebooks' && !existsSync(path.join(resultsDir, `${stem}.md`))) {
    return `${file} ran but did not write ${path.relative(root, resultsDir)}/${stem}.md (call nb.saveKeyResults())`;
  }
  return undefined;
}

// Notebooks are independent (each reads the data and writes its own report and key results; the
// simulated market comes from the content-addressed cache, written by temp + rename), so up to
// NOTEBOOK_JOBS of them (default: the cores) run at once. Each line is printed when its notebook
// ends; the first failure stops new starts, the running ones finish, and the run fails with the
// failure of the earliest notebook in order.
// They start longest first (src/report/notebookSchedule.ts: the seconds of the last run here, else
// the notebook's committed hint), so the longest one does not start last.
const jobs = Math.max(1, Number(process.env.NOTEBOOK_JOBS) || os.availableParallelism());
const stems = selected.map((f) => path.basename(f).replace(/\.ipynb$/, ''));
const order = longestFirst(stems, readNotebookSeconds(root), selected.map((f) => expectedSecondsHint(readFileSync(path.resolve(root, f), 'utf8'))));
const t0 = Date.now();
const failures = new Map<number, string>();
const seconds: Record<string, number> = {};
let next = 0, done = 0;
async function lane(): Promise<void> {
  while (next < selected.length && failures.size === 0) {
    const k = order[next++];
    const file = selected[k];
    const stem = stems[k];
    const html = path.join(reportsDir, `${stem}.html`);
    const r = await executeNotebook(file, html);
    const failure = notebookFailure(file, stem, html, r);
    done++;
    if (failure) {
      failures.set(k, failure);
      console.log(`[${done}/${selected.length}] ${file} ... FAILED`);
    } else {
      if (typeof r.status!.seconds === 'number') seconds[stem] = r.status!.seconds;
      const size = existsSync(html) ? ` ${(statSync(html).size / 1e6).toFixed(2)} MB` : '';
      console.log(`[${done}/${selected.length}] ${file} ... ok (${r.status!.seconds} s) → ${path.relative(root, html)}${size}`);
    }
  }
}
console.log(`notebooks: ${selected.length} to execute, ${Math.min(jobs, selected.length)} at a time`);
await Promise.all(Array.from({ length: Math.min(jobs, selected.length) }, () => lane()));
recordNotebookSeconds(root, seconds);
if (failures.size) fail(failures.get(Math.min(...failures.keys()))!);
console.log(`notebooks: ${selected.length} executed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// ---- the index page of every report in the reports folder
if (existsSync(reportsDir)) {
  const entries = readdirSync(reportsDir).filter((f) => /^\d\d[a-z]?_.+\.html$/.test(f)).sort()
    .map((f) => reportIndexEntry(f, readFileSync(path.join(reportsDir, f), 'utf8'), statSync(path.join(reportsDir, f)).size));
  writeFileSync(path.join(reportsDir, 'index.html'), reportIndexHtml(entries));
  console.log(`notebooks: index of ${entries.length} report(s) → ${path.relative(root, path.join(reportsDir, 'index.html'))}`);
}

if (reproduce) {
  const rows: SectionResult[] = [];
  for (const file of selected) {
    const stem = path.basename(file, '.ipynb');
    const freshFile = path.join(scratchResults, `${stem}.md`);
    const fresh = existsSync(freshFile) ? readFileSync(freshFile, 'utf8') : null;
    rows.push(...compareKeyResults(stem, committed.has(stem) ? committed.get(stem)! : null, fresh, present));
  }
  console.log(`\n${summaryTable(rows)}\n`);
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  const tally = `${count('identical')} identical, ${count('skipped')} skipped (data absent), ${count('differs')} differ`;
  if (count('differs')) {
    fail(`reproduce: FAILED: ${tally}. The committed docs/results are untouched; the fresh files are in ${path.relative(root, scratchResults)}/ (run \`npm run notebooks\` to replace the committed ones on purpose)`);
  }
  console.log(`reproduce: passed: ${selected.length} notebook(s), ${tally}; the committed docs/results are untouched`);
}
