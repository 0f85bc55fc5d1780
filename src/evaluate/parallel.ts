/**
 * `evaluateCrossSections` spread over worker threads: the same numbers, bit for bit, in about
 * 1/k of the wall time on k cores.
 *
 * Every figure of `evaluateCrossSections` at date t depends on date t alone (its factor row and
 * the level rows t .. t + h), except group turnover, which compares the groups of t with those of
 * the previous evaluated date. So the evaluated dates t_0 < t_1 < … are split into k contiguous
 * chunks C_1 … C_k and each chunk is evaluated separately, chunk c > 1 with one extra leading
 * date (the last date of C_{c−1}) so that the turnover of its first date sees the previous groups:
 *
 *   result(t) = evaluateCrossSections(factor[rows of {t_prev} ∪ C_c], fr[rows of C_c … + max h])(t)
 *
 * The extra date's own outputs are dropped, and its skip counts are taken off by evaluating it
 * alone once more (a one-date call: the same per-date code, so the same counts). Sums over dates
 * (the mean turnover) are recomputed after the merge in date order, exactly as the one-thread pass
 * does. A test compares every output of both paths bit for bit.
 *
 * Workers: a pool (`createEvaluationPool`) of `availableParallelism() − 1` worker threads is
 * created once and reused; the calling thread evaluates the last chunk itself while the workers
 * evaluate the others. Workers load `evaluateCrossSections` from one CommonJS bundle of its sources
 * (src/threads/workerBundle.ts: built once, content-addressed), or through tsx's CommonJS API when
 * no bundle can be had, so they work the same under `node --import tsx`, the `tsx` CLI and a tslab
 * kernel. Factor and level rows reach a worker as Float64Array views
 * of a SharedArrayBuffer: the input's own buffer when it is already shared (no copy; see
 * `shareForwardReturns` for many factors against one ForwardReturns), otherwise one copy of that
 * chunk's rows into a new shared buffer. When no worker can start (no tsx, a worker
 * error, a single core) everything runs on the calling thread, and `parallel.fallback` says why.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Panel } from '../panel/panel.js';
import { evaluateCrossSections, type CrossSectionEvaluation, type CrossSectionOptions } from './crossSection.js';
import { horizonOf, type ForwardReturns } from './forwardReturns.js';
import type { IcByDate } from './ic.js';
import { WORKER_LOADER, workerModules } from '../threads/workerBundle.js';

/** A pool of evaluation worker threads (create once with `createEvaluationPool`, `close()` when done). */
export interface EvaluationPool {
  /** Worker threads requested (the calling thread works too). */
  readonly size: number;
  /** Resolves to the number of workers that started, and why none did (null when some did). */
  readonly ready: Promise<{ workers: number; fallback: string | null }>;
  /** How the workers load their sources: 'bundle' (src/threads/workerBundle.ts), or 'tsx (<why no bundle>)'; 'none' without workers. */
  readonly sources: string;
  /** Stop every worker; the pool cannot be used afterwards. */
  close(): Promise<void>;
  /** @internal run one chunk on a worker. */
  run(task: ChunkTask): Promise<CrossSectionEvaluation>;
}

/** Options of `createEvaluationPool`. */
export interface EvaluationPoolOptions {
  /** Worker threads; default availableParallelism() − 1 (the calling thread evaluates a chunk too). */
  workers?: number;
  /** Project root holding node_modules/tsx and src/ (default process.cwd(), as the CLI, tests and notebooks run). */
  root?: string;
}

/** How a parallel evaluation ran. */
export interface ParallelInfo {
  /** Chunks of dates evaluated (1 = the one-thread path). */
  chunks: number;
  /** Worker threads used. */
  workers: number;
  /** Why the evaluation ran on the calling thread only, or null. */
  fallback: string | null;
}

/** `CrossSectionEvaluation` plus how it was computed. */
export type ParallelEvaluation = CrossSectionEvaluation & { parallel: ParallelInfo };

interface ChunkTask {
  factor: Panel;
  fr: ForwardReturns;
  options: CrossSectionOptions;
}

/** Worker body (CommonJS, run with `eval`): load evaluateCrossSections (bundle or tsx), then evaluate chunks. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
${WORKER_LOADER}
let evaluate;
try {
  evaluate = loadWorkerModules(workerData.modules).evaluateCrossSections;
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ ready: false, error: String(e && e.message || e) });
}
parentPort.on('message', (task) => {
  try {
    parentPort.postMessage({ id: task.id, result: evaluate(task.factor, task.fr, task.options) });
  } catch (e) {
    parentPort.postMessage({ id: task.id, error: String(e && e.message || e) });
  }
});
`;

/**
 * Start `workers` evaluation worker threads (default availableParallelism() − 1). Starting never
 * throws: a worker that cannot load leaves the pool smaller, and with none `ready` reports the
 * reason and evaluation falls back to the calling thread. Idle workers do not keep the process
 * alive; call `close()` to stop them.
 */
export function createEvaluationPool(options: EvaluationPoolOptions = {}): EvaluationPool {
  const size = Math.max(0, Math.floor(options.workers ?? os.availableParallelism() - 1));
  const modules = size > 0 ? workerModules('evaluation', { evaluateCrossSections: 'evaluate/crossSection.ts' }, options.root ?? process.cwd()) : null;
  interface Slot { worker: Worker; busy: boolean; pending: Map<number, { resolve: (r: CrossSectionEvaluation) => void; reject: (e: Error) => void }> }
  const slots: Slot[] = [];
  let nextId = 0, closed = false;
  const starts: Promise<string | null>[] = [];
  for (let k = 0; k < size; k++) {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modules }, execArgv: [] });
    } catch (e) {
      starts.push(Promise.resolve(`worker_threads could not start a worker: ${(e as Error).message}`));
      continue;
    }
    const slot: Slot = { worker, busy: false, pending: new Map() };
    starts.push(new Promise((resolve) => {
      const fail = (why: string) => {
        worker.unref();
        for (const p of slot.pending.values()) p.reject(new Error(why));
        slot.pending.clear();
        const i = slots.indexOf(slot);
        if (i >= 0) slots.splice(i, 1);
        resolve(why);
      };
      worker.on('message', (m: { ready?: boolean; error?: string; id?: number; result?: CrossSectionEvaluation }) => {
        if (m.ready === true) { worker.unref(); slots.push(slot); resolve(null); return; }
        if (m.ready === false) { void worker.terminate(); fail(`the worker could not load the sources: ${m.error}`); return; }
        const p = slot.pending.get(m.id!);
        if (!p) return;
        slot.pending.delete(m.id!);
        if (slot.pending.size === 0) worker.unref();
        if (m.error !== undefined) p.reject(new Error(m.error)); else p.resolve(m.result!);
      });
      worker.on('error', (e) => fail(`worker error: ${e.message}`));
      worker.on('exit', () => fail('worker exited'));
    }));
  }
  const ready = Promise.all(starts).then((why) => {
    const failures = why.filter((w): w is string => w !== null);
    const workers = slots.length;
    const fallback = workers > 0 ? null : size === 0 ? 'a pool of 0 workers (one core)' : failures[0] ?? 'no worker started';
    return { workers, fallback };
  });
  let rr = 0;
  return {
    size,
    ready,
    sources: modules === null ? 'none' : modules.bundle !== null ? 'bundle' : `tsx (${modules.fallback})`,
    async close() {
      closed = true;
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
    run(task: ChunkTask): Promise<CrossSectionEvaluation> {
      if (closed || slots.length === 0) return Promise.reject(new Error('no evaluation worker available'));
      const slot = slots[rr++ % slots.length];
      const id = nextId++;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.ref();
        slot.worker.postMessage({ id, ...task });
      });
    },
  };
}

/**
 * The same forward returns with `level` (and `segment`) on SharedArrayBuffers: one copy, after
 * which every `evaluateCrossSectionsParallel` call on them hands workers views instead of copies
 * (evaluate many factors against one ForwardReturns: share it once). Values are unchanged.
 */
export function shareForwardReturns(fr: ForwardReturns): ForwardReturns {
  const share = <A extends Float64Array | Int32Array>(a: A): A => sharedRows(a, 0, a.length, 1);
  return { ...fr, level: share(fr.level), segment: fr.segment ? share(fr.segment) : null };
}

/** Rows [lo, hi) of a date-major buffer with `width` columns, on a SharedArrayBuffer (a view when it already is one). */
function sharedRows<A extends Float64Array | Int32Array>(a: A, lo: number, hi: number, width: number): A {
  const view = a.subarray(lo * width, hi * width) as A;
  if (a.buffer instanceof SharedArrayBuffer) return view;
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): A; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(view.length * Ctor.BYTES_PER_ELEMENT));
  out.set(view);
  return out;
}

interface Chunk {
  /** Factor rows [lo, hi). */
  lo: number;
  hi: number;
  /** Forward-return rows [rlo, rhi). */
  rlo: number;
  rhi: number;
  /** A leading date evaluated only for the turnover of the next one. */
  lead: boolean;
}

function chunkTask(factor: Panel, fr: ForwardReturns, c: Chunk, options: CrossSectionOptions, shared: boolean): ChunkTask {
  const N = factor.assets.length, M = fr.assets.length;
  const rows = <A extends Float64Array | Int32Array>(a: A, lo: number, hi: number, w: number): A =>
    (shared ? sharedRows(a, lo, hi, w) : a.subarray(lo * w, hi * w) as A);
  const f: Panel = { dates: factor.dates.slice(c.lo, c.hi), assets: factor.assets, values: rows(factor.values, c.lo, c.hi, N) };
  const sub: ForwardReturns = {
    ...fr,
    dates: fr.dates.slice(c.rlo, c.rhi),
    level: rows(fr.level, c.rlo, c.rhi, M),
    segment: fr.segment ? rows(fr.segment, c.rlo, c.rhi, M) : null,
  };
  let opts = options;
  if (options.weights) opts = { ...options, weights: { dates: f.dates, assets: options.weights.assets, values: rows(options.weights.values, c.lo, c.hi, N) } };
  return { factor: f, fr: sub, options: opts };
}

function minusCounts<K extends string>(a: Record<K, number>, b: Record<K, number>): Record<K, number> {
  const out = { ...a };
  for (const k of Object.keys(b) as K[]) out[k] -= b[k];
  return out;
}

function concatF64(parts: Float64Array[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function concatI32(parts: Int32Array[]): Int32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Int32Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * `evaluateCrossSections(factor, fr, options)` with its dates split over the pool's workers and
 * the calling thread (see the module comment): every output is bit-identical to the one-thread
 * call. Without a pool, with no started worker, with fewer than 2 dates a chunk, or with cap
 * weights not on the factor's grid, it is the one-thread call, and `parallel.fallback` says why.
 * Errors are the one-thread call's (RotationError codes EVAL_*), thrown on the calling thread.
 */
export async function evaluateCrossSectionsParallel(factor: Panel, fr: ForwardReturns, options: CrossSectionOptions = {},
  pool?: EvaluationPool | null): Promise<ParallelEvaluation> {
  const single = (fallback: string | null): ParallelEvaluation =>
    ({ ...evaluateCrossSections(factor, fr, options), parallel: { chunks: 1, workers: 0, fallback } });
  if (!pool) return single('no evaluation pool');
  const { workers, fallback } = await pool.ready;
  if (workers === 0) return single(fallback);
  const w = options.weights;
  if (w && (w.dates.length !== factor.dates.length || w.assets.length !== factor.assets.length
    || w.dates.some((d, t) => d !== factor.dates[t]) || w.assets.some((a, i) => a !== factor.assets[i]))) {
    return single('cap weights not on the factor grid');
  }
  // Aligned dates: factor rows whose date the forward returns have, with their fr rows.
  const frRow = new Map<string, number>();
  fr.dates.forEach((d, t) => frRow.set(d, t));
  const fRows: number[] = [], rRows: number[] = [];
  factor.dates.forEach((d, t) => { const r = frRow.get(d); if (r !== undefined) { fRows.push(t); rRows.push(r); } });
  const k = Math.min(workers + 1, Math.floor(fRows.length / 2));
  if (k < 2) return single(fRows.length === 0 ? null : 'too few dates to split');
  let maxP = 0;
  for (const key of options.horizons ?? fr.horizons.map((h) => h.label)) maxP = Math.max(maxP, horizonOf(fr, key).periods);
  const chunks: Chunk[] = [];
  for (let c = 0; c < k; c++) {
    const s = Math.floor((c * fRows.length) / k), e = Math.floor(((c + 1) * fRows.length) / k);
    const first = c > 0 ? s - 1 : s;
    chunks.push({ lo: fRows[first], hi: fRows[e - 1] + 1, rlo: rRows[first], rhi: Math.min(fr.dates.length, rRows[e - 1] + maxP + 1), lead: c > 0 });
  }
  // Workers take chunks 0 .. k−2, the calling thread the last one.
  const remote = chunks.slice(0, k - 1).map((c) => {
    const task = chunkTask(factor, fr, c, options, true);
    return pool.run(task).then((r) => ({ ok: true as const, r }), (e: Error) => ({ ok: false as const, e, task }));
  });
  let local: CrossSectionEvaluation;
  try {
    local = evaluateCrossSections(...taskArgs(chunkTask(factor, fr, chunks[k - 1], options, false)));
  } catch (e) {
    await Promise.all(remote);
    throw e;
  }
  const parts: CrossSectionEvaluation[] = [];
  let workerFailure: string | null = null;
  for (let c = 0; c < k - 1; c++) {
    const got = await remote[c];
    if (got.ok) parts.push(got.r);
    else {
      workerFailure ??= got.e.message;
      parts.push(evaluateCrossSections(...taskArgs(chunkTask(factor, fr, chunks[c], options, false))));
    }
  }
  parts.push(local);
  // Skip counts of each leading date, evaluated alone.
  const leads = chunks.map((c) => (c.lead
    ? evaluateCrossSections(...taskArgs(chunkTask(factor, fr, { ...c, hi: c.lo + 1 }, options, false)))
    : null));
  const merged = mergeChunks(parts, leads, chunks, factor, fr, fRows.length);
  return { ...merged, parallel: { chunks: k, workers, fallback: workerFailure ? `a worker failed, its chunk ran here: ${workerFailure}` : null } };
}

function taskArgs(t: ChunkTask): [Panel, ForwardReturns, CrossSectionOptions] {
  return [t.factor, t.fr, t.options];
}

/** Concatenate chunk results, dropping each leading date and its skip counts (see the module comment). */
function mergeChunks(parts: CrossSectionEvaluation[], leads: (CrossSectionEvaluation | null)[], chunks: Chunk[],
  factor: Panel, fr: ForwardReturns, aligned: number): CrossSectionEvaluation {
  const p0 = parts[0];
  const G = p0.groupLabels.length;
  const drop = (c: number) => (chunks[c].lead ? 1 : 0);
  const dates: string[] = [];
  const rowsParts: Int32Array[] = [];
  parts.forEach((p, c) => {
    const d = drop(c);
    dates.push(...p.dates.slice(d));
    const r = p.rows.slice(d);
    for (let t = 0; t < r.length; t++) r[t] += chunks[c].rlo;
    rowsParts.push(r);
  });
  const rows = concatI32(rowsParts);
  const cutF = (get: (p: CrossSectionEvaluation) => Float64Array, per: number) => concatF64(parts.map((p, c) => get(p).subarray(drop(c) * per)));
  const cutI = (get: (p: CrossSectionEvaluation) => Int32Array, per: number) => concatI32(parts.map((p, c) => get(p).subarray(drop(c) * per)));

  let groupSkipped = { ...p0.groupSkipped };
  const groupSkippedDates: CrossSectionEvaluation['groupSkippedDates'] = { 'too-few-assets': [], 'all-ties': [] };
  parts.forEach((p, c) => {
    if (c > 0) for (const key of Object.keys(groupSkipped) as (keyof typeof groupSkipped)[]) groupSkipped[key] += p.groupSkipped[key];
    const lead = leads[c];
    if (lead) groupSkipped = minusCounts(groupSkipped, lead.groupSkipped);
    for (const key of Object.keys(groupSkippedDates) as (keyof typeof groupSkippedDates)[]) {
      const ds = p.groupSkippedDates[key];
      groupSkippedDates[key].push(...(lead && ds.length > 0 && ds[0] === p.dates[0] ? ds.slice(1) : ds));
    }
  });

  const horizons = p0.horizons.map((h0, hIdx) => {
    const mergeIc = (get: (e: CrossSectionEvaluation) => IcByDate | null): IcByDate | null => {
      if (!get(p0)) return null;
      let skipped = { ...get(p0)!.skipped };
      parts.forEach((p, c) => {
        if (c > 0) for (const key of Object.keys(skipped) as (keyof typeof skipped)[]) skipped[key] += get(p)!.skipped[key];
        const lead = leads[c];
        if (lead) skipped = minusCounts(skipped, get(lead)!.skipped);
      });
      return { dates: dates.slice(), ic: cutF((p) => get(p)!.ic, 1), n: cutI((p) => get(p)!.n, 1), skipped };
    };
    const horizon = horizonOf(fr, h0.horizon.label);
    return {
      horizon,
      ic: mergeIc((e) => e.horizons[hIdx].ic),
      rankIc: mergeIc((e) => e.horizons[hIdx].rankIc),
      groups: h0.groups ? {
        horizon, periodsPerYear: fr.periodsPerYear, dates: dates.slice(), rows: rows.slice(), labels: h0.groups.labels.slice(),
        weighting: h0.groups.weighting,
        mean: cutF((p) => p.horizons[hIdx].groups!.mean, G), std: cutF((p) => p.horizons[hIdx].groups!.std, G),
        count: cutI((p) => p.horizons[hIdx].groups!.count, G),
        skipped: { ...groupSkipped },
        skippedDates: { 'too-few-assets': groupSkippedDates['too-few-assets'].slice(), 'all-ties': groupSkippedDates['all-ties'].slice() },
      } : null,
    };
  });

  let turnover: CrossSectionEvaluation['turnover'] = null;
  if (p0.turnover) {
    const tv = cutF((p) => p.turnover!.turnover, G);
    const T = dates.length;
    const mean = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      let s = 0, c = 0;
      for (let t = 0; t < T; t++) { const v = tv[t * G + g]; if (v === v) { s += v; c++; } }
      mean[g] = c > 0 ? s / c : NaN;
    }
    turnover = { dates: dates.slice(), labels: p0.turnover.labels.slice(), turnover: tv, mean };
  }
  return {
    dates, assets: p0.assets.slice(), periodsPerYear: fr.periodsPerYear, rows, horizons,
    groupLabels: p0.groupLabels.slice(), groupSize: p0.groupSize ? cutI((p) => p.groupSize!, G) : null,
    groupSkipped, groupSkippedDates, turnover,
    unmatched: { dates: factor.dates.length - aligned, assets: p0.unmatched.assets },
  };
}
