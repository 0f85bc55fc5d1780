/**
 * Experiment records: every `runModel` becomes one record — the spec and its hash, a fingerprint
 * of the input data, the software version and commit, the calendar, every metric of the whole,
 * in-sample and out-of-sample windows with the significance of the active return, and the
 * per-period series a comparison needs. The CLI writes it with the per-date scores, weights and
 * daily returns under `results/<dataset>/runs/<spec-hash>/`, and appends one line per run to the
 * run log `results/experiments.jsonl` — the count of distinct specs tried on a dataset, which the
 * deflated Sharpe ratio must use as its number of trials.
 *
 * A record holds no wall-clock time (the log line does), so reruns of a spec on the same data at
 * the same commit give byte-identical record files.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../errors.js';
import type { MarketDataset } from '../data/types.js';
import type { Panel } from '../panel/panel.js';
import { backtestSeries } from '../backtest/summary.js';
import { studentTTwoSidedP } from '../stats/distributions.js';
import type { ModelRun } from './run.js';
import type { ModelSpec } from './spec.js';

export interface DataFingerprint {
  /** Dataset name as loaded. */
  dataset: string;
  /** Files (or generator) the dataset was built from, as its loss reports name them. */
  sources: string[];
  industries: number;
  tradingDays: number;
  first: string;
  last: string;
  /** sha256 (16 hex) of the calendar, industry codes and every industry bar value (close, open, high, low, volume present). */
  contentHash: string;
}

/** Fingerprint of a dataset (see DataFingerprint). */
export function dataFingerprint(ds: MarketDataset): DataFingerprint {
  const h = createHash('sha256');
  h.update(ds.calendar.join(',')).update('|').update(ds.industries.map((i) => i.code).join(','));
  const bars = ds.industryBars as unknown as Record<string, Panel | undefined>;
  for (const k of Object.keys(bars).sort()) {
    const p = bars[k];
    if (p && p.values instanceof Float64Array) {
      h.update(`|${k}|${p.dates.length}x${p.assets.length}|`);
      h.update(new Uint8Array(p.values.buffer, p.values.byteOffset, p.values.byteLength));
    }
  }
  return {
    dataset: ds.name, sources: [...new Set(ds.losses.map((l) => l.source))].sort(), industries: ds.industries.length,
    tradingDays: ds.calendar.length, first: ds.calendar[0] ?? '', last: ds.calendar[ds.calendar.length - 1] ?? '', contentHash: h.digest('hex').slice(0, 16),
  };
}

/** Package name and version (package.json of the working directory) and the git commit, 'unknown' where unavailable. */
export function softwareVersion(): { package: string; version: string; commit: string } {
  let pkg = { name: 'unknown', version: 'unknown' };
  try { pkg = JSON.parse(readFileSync('package.json', 'utf8')) as typeof pkg; } catch { /* outside the project: unknown */ }
  let commit = 'unknown';
  try { commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || 'unknown'; } catch { /* not a git checkout */ }
  return { package: pkg.name, version: pkg.version, commit };
}

export interface RecordWindow {
  window: string;
  first: string;
  last: string;
  /** Every metric of the summary (fractions; null where undefined). */
  metrics: Record<string, number | null>;
  /** Mean active return per rebalance period, its t and two-sided p (Student t, n − 1 df). */
  significance: { n: number; meanActive: number | null; t: number | null; p: number | null };
}

export interface ExperimentRecord {
  schema: 1;
  specHash: string;
  spec: ModelSpec;
  data: DataFingerprint;
  software: { package: string; version: string; commit: string };
  calendar: { frequency: string; every: number; periodsPerYear: number; rebalances: number; first: string; last: string };
  split: string;
  /** Factors that entered the composite (before selection). */
  factors: string[];
  /** Walk-forward selection: how often each factor was selected, and the mean number selected per date. */
  selection: { rule: string; timesSelected: Record<string, number>; meanSelected: number } | null;
  windows: RecordWindow[];
  /** Rebalance-period series for comparisons: period end dates, strategy and benchmark returns. */
  periods: { dates: string[]; strategy: (number | null)[]; benchmark: (number | null)[] };
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Two-sided p of a t with n − 1 degrees of freedom (null when undefined). */
function pOf(t: number, n: number): number | null {
  return Number.isFinite(t) && n > 1 ? studentTTwoSidedP(t, n - 1) : null;
}

/** The record of a model run on `ds` (module comment). */
export function experimentRecord(run: ModelRun, ds: MarketDataset, software = softwareVersion()): ExperimentRecord {
  const sel = run.score.selection;
  let selection: ExperimentRecord['selection'] = null;
  if (sel) {
    const K = sel.factors.length, times: Record<string, number> = {};
    let total = 0, dates = 0;
    sel.factors.forEach((f, k) => { let c = 0; for (let t = 0; t < sel.dates.length; t++) c += sel.selected[t * K + k]; times[f] = c; });
    for (let t = 0; t < sel.dates.length; t++) if (sel.count[t] > 0) { total += sel.count[t]; dates++; }
    selection = { rule: 'walk-forward', timesSelected: times, meanSelected: dates ? total / dates : 0 };
  }
  const s = backtestSeries(run.backtest, 'rebalance');
  const reb = run.rebalance.dates;
  return {
    schema: 1, specHash: run.specHash, spec: run.spec, data: dataFingerprint(ds), software,
    calendar: { frequency: run.spec.calendar.frequency, every: run.spec.calendar.every, periodsPerYear: run.rebalance.periodsPerYear, rebalances: reb.length, first: reb[0] ?? '', last: reb[reb.length - 1] ?? '' },
    split: run.spec.split, factors: run.score.factors, selection,
    windows: run.windows.map((w) => ({
      window: w.window, first: w.first, last: w.last,
      metrics: Object.fromEntries(Object.entries(w.summary.values).map(([k, v]) => [k, fin(v as number)])),
      significance: { n: w.significance.n, meanActive: fin(w.significance.meanActive), t: fin(w.significance.t), p: pOf(w.significance.t, w.significance.n) },
    })),
    periods: { dates: s.dates, strategy: Array.from(s.returns, fin), benchmark: Array.from(s.benchmarkReturns, fin) },
  };
}

/** The record as file text: JSON, 2-space indented, one trailing newline. */
export function recordJson(r: ExperimentRecord): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** One line of the run log. */
export interface RunLogLine {
  time: string;
  /** Output folder name of the dataset. */
  dataset: string;
  dataHash: string;
  specHash: string;
  name: string;
  role: string;
  excessCagr: number | null;
  informationRatio: number | null;
  t: number | null;
  tOutOfSample: number | null;
}

export const RUN_LOG_FILE = 'experiments.jsonl';

/** The log line of a record. */
export function runLogLine(r: ExperimentRecord, datasetFolder: string, time: string): RunLogLine {
  const whole = r.windows.find((w) => w.window === 'whole'), oos = r.windows.find((w) => w.window === 'out-of-sample');
  return {
    time, dataset: datasetFolder, dataHash: r.data.contentHash, specHash: r.specHash, name: r.spec.name, role: r.spec.role,
    excessCagr: whole?.metrics.excessCagr ?? null, informationRatio: whole?.metrics.informationRatio ?? null, t: whole?.significance.t ?? null, tOutOfSample: oos?.significance.t ?? null,
  };
}

/** Append lines to `<root>/experiments.jsonl` (created when missing). */
export function appendRunLog(root: string, lines: readonly RunLogLine[]): void {
  mkdirSync(root, { recursive: true });
  appendFileSync(path.join(root, RUN_LOG_FILE), lines.map((l) => JSON.stringify(l) + '\n').join(''));
}

/** The run log's lines (empty when there is none); MODEL_BAD_RUN_LOG names a line that is not JSON. */
export function readRunLog(root: string): RunLogLine[] {
  const file = path.join(root, RUN_LOG_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    try { return JSON.parse(l) as RunLogLine; } catch {
      throw new RotationError('MODEL_BAD_RUN_LOG', `Line ${i + 1} of the run log is not JSON`, { file, line: i + 1 }, 'remove or repair that line (the log is append-only JSON lines)');
    }
  });
}

/**
 * Number of distinct specs tried on a dataset (by data content hash): the number of trials for
 * the deflated Sharpe ratio. At least `floor` (the specs of the current run, which the log may not
 * hold yet).
 */
export function variantsTried(log: readonly RunLogLine[], dataHash: string, floor = 1): number {
  return Math.max(floor, new Set(log.filter((l) => l.dataHash === dataHash).map((l) => l.specHash)).size);
}

/** Every record under `<root>/<dataset>/runs/<hash>/record.json`, sorted by dataset then hash. */
export function listRecords(root: string): { folder: string; dataset: string; record: ExperimentRecord }[] {
  const out: { folder: string; dataset: string; record: ExperimentRecord }[] = [];
  if (!existsSync(root)) return out;
  for (const d of readdirSync(root).sort()) {
    const runs = path.join(root, d, 'runs');
    if (!existsSync(runs)) continue;
    for (const h of readdirSync(runs).sort()) {
      const f = path.join(runs, h, 'record.json');
      if (existsSync(f)) out.push({ folder: path.join(runs, h), dataset: d, record: JSON.parse(readFileSync(f, 'utf8')) as ExperimentRecord });
    }
  }
  return out;
}

/**
 * The record named by `id`: a spec hash (or a unique prefix of at least 4 digits), optionally as
 * `dataset/hash`. MODEL_RUN_NOT_FOUND lists what exists; MODEL_RUN_AMBIGUOUS lists the matches.
 */
export function findRecord(root: string, id: string): { dataset: string; record: ExperimentRecord } {
  const all = listRecords(root);
  const [ds, h] = id.includes('/') ? id.split('/', 2) : [undefined, id];
  const hits = all.filter((r) => (ds === undefined || r.dataset === ds) && h.length >= 4 && r.record.specHash.startsWith(h));
  if (hits.length === 0) {
    throw new RotationError('MODEL_RUN_NOT_FOUND', `No run "${id}" under ${root}`, { id, runs: all.map((r) => `${r.dataset}/${r.record.specHash}`) },
      all.length ? 'pass a spec hash (or dataset/hash) from `rotation runs`' : 'run a model first: rotation run --model models/default.json');
  }
  if (hits.length > 1) {
    throw new RotationError('MODEL_RUN_AMBIGUOUS', `"${id}" matches ${hits.length} runs`, { id, matches: hits.map((r) => `${r.dataset}/${r.record.specHash}`) }, 'qualify it as dataset/hash');
  }
  return hits[0];
}

export interface RunComparison {
  a: string;
  b: string;
  sameData: boolean;
  /** Metric rows per window: a, b and b − a. */
  rows: { window: string; metric: string; a: number | null; b: number | null; difference: number | null }[];
  /**
   * Paired test of the active-return difference per rebalance period on the common period ends:
   * d_t = (r^B_t − b^B_t) − (r^A_t − b^A_t), t = mean(d) / (std(d, ddof 1)/√n). Null on different data.
   */
  paired: { n: number; meanDifference: number; t: number; p: number | null } | null;
  notes: string[];
}

const COMPARE_METRICS = ['cagr', 'excessCagr', 'trackingError', 'informationRatio', 'sharpe', 'maxDrawdown', 'excessMaxDrawdown', 'turnover', 'costDrag'];

/** Two records side by side (RunComparison). Different datasets are allowed and said so. */
export function compareRecords(a: ExperimentRecord, b: ExperimentRecord, labels: [string, string]): RunComparison {
  const sameData = a.data.contentHash === b.data.contentHash;
  const notes: string[] = [];
  if (!sameData) notes.push(`different datasets: ${a.data.dataset} (${a.data.contentHash}) vs ${b.data.dataset} (${b.data.contentHash}); metrics side by side, no paired test`);
  if (a.calendar.periodsPerYear !== b.calendar.periodsPerYear) notes.push(`different calendars: ${a.calendar.periodsPerYear} vs ${b.calendar.periodsPerYear} periods a year; the paired test uses the common period ends`);
  const rows: RunComparison['rows'] = [];
  for (const w of ['whole', 'in-sample', 'out-of-sample']) {
    const wa = a.windows.find((x) => x.window === w), wb = b.windows.find((x) => x.window === w);
    if (!wa && !wb) continue;
    for (const m of COMPARE_METRICS) {
      const va = wa?.metrics[m] ?? null, vb = wb?.metrics[m] ?? null;
      rows.push({ window: w, metric: m, a: va, b: vb, difference: va === null || vb === null ? null : vb - va });
    }
    const ta = wa?.significance.t ?? null, tb = wb?.significance.t ?? null;
    rows.push({ window: w, metric: 't (mean active)', a: ta, b: tb, difference: null });
  }
  let paired: RunComparison['paired'] = null;
  if (sameData) {
    const ia = new Map(a.periods.dates.map((d, i) => [d, i]));
    const d: number[] = [];
    b.periods.dates.forEach((date, j) => {
      const i = ia.get(date);
      if (i === undefined) return;
      const ra = a.periods.strategy[i], ba = a.periods.benchmark[i], rb = b.periods.strategy[j], bb = b.periods.benchmark[j];
      if (ra !== null && ba !== null && rb !== null && bb !== null) d.push((rb - bb) - (ra - ba));
    });
    const n = d.length, m = d.reduce((s, x) => s + x, 0) / (n || 1);
    const sd = n > 1 ? Math.sqrt(d.reduce((s, x) => s + (x - m) * (x - m), 0) / (n - 1)) : NaN;
    const t = sd > 0 ? m / (sd / Math.sqrt(n)) : NaN;
    paired = { n, meanDifference: m, t, p: pOf(t, n) };
    if (n < 12) notes.push(`only ${n} common periods: the paired t is unreliable`);
  }
  return { a: labels[0], b: labels[1], sameData, rows, paired, notes };
}
