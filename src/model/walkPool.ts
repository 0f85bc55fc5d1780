/**
 * Allocator walks of several specs spread over two threads: the same walks, bit for bit, in less
 * wall time (a walk of one spec depends on that spec and the data alone, so independent walks can
 * run anywhere; every allocator is built fresh per walk, and every HiGHS solve starts from a cleared
 * state (an LP on the solver's kept model returns what a fresh model returns, bit for bit: see
 * src/portfolio/optimizer.ts), so a walk's numbers do not depend on the thread or on what ran
 * before it).
 *
 * The call is synchronous, so the CLI and studies keep their shape:
 *   1. the calling thread posts every job (allocator spec, rebalance dates, the industries of each
 *      date, scores) and the returns panel to the worker once, with a shared counter;
 *   2. both threads claim jobs by atomically incrementing the counter (whoever is free takes the
 *      next one, costliest allocators first: `claimOrder`; a worker still starting claims
 *      nothing, and the caller simply does everything);
 *   3. the worker posts each result and bumps a shared "done" count; the caller, when no job is left
 *      to claim, waits on that count (`Atomics.wait`) and reads the results with
 *      `receiveMessageOnPort`.
 * An error in a job is re-raised on the caller with its code; with several failing jobs, the one
 * of the lowest index (the one a serial run would meet first).
 *
 * The worker loads the sources from one CommonJS bundle (src/threads/workerBundle.ts; through
 * tsx's CommonJS API when no bundle can be had), as the evaluation pool does, and its own HiGHS.
 * It is unref'd: it never keeps the process alive. One pool per process (`createWalkPool`), passed
 * in through the model context; `close()` stops it.
 */
import os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { RotationError, type Where } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import type { Solver } from '../portfolio/optimizer.js';
import { walkAllocator, type WalkResult } from '../portfolio/walk.js';
import { allocatorFor } from './allocators.js';
import type { AllocatorSpec } from './spec.js';
import { WORKER_LOADER, workerModules } from '../threads/workerBundle.js';

/** One walk: what `walkAllocator` needs besides the returns panel, in plain data. */
export interface WalkJob {
  readonly allocator: AllocatorSpec;
  /** The spec's name (the allocator's diagnostics carry it). */
  readonly name: string;
  readonly rebalanceDates: readonly string[];
  /** Industries available at each rebalance date (same order as rebalanceDates). */
  readonly industries: readonly (readonly string[])[];
  readonly scores?: Panel;
}

/** Walk one job on this thread: `walkAllocator(allocatorFor(job.allocator, job.name, solver), ...)`. */
export function runWalkJob(job: WalkJob, returns: Panel, solver?: Solver): WalkResult {
  const byDate = new Map<string, readonly string[]>();
  job.rebalanceDates.forEach((d, k) => byDate.set(d, job.industries[k]));
  return walkAllocator(allocatorFor(job.allocator, job.name, solver), {
    returns, rebalanceDates: job.rebalanceDates, scores: job.scores, industries: (d) => byDate.get(d)!,
  });
}

/** A helper thread for allocator walks (see module comment). */
export interface WalkPool {
  /** 'starting' until the worker has loaded the sources and HiGHS, then 'ready'; 'failed' (with `fallback`) when it could not. */
  status(): 'starting' | 'ready' | 'failed';
  /** Why the worker is not used, or null. */
  readonly fallback: string | null;
  /** Walk every job (results in job order), on this thread and the worker. */
  walk(jobs: readonly WalkJob[], returns: Panel, solver?: Solver): WalkResult[];
  /** Stop the worker; later `walk` calls run on the calling thread. */
  close(): Promise<void>;
}

const STATE_STARTING = 0, STATE_READY = 1, STATE_FAILED = 2;

/** What the walk worker loads (one bundle, so the two share their modules, as under tsx). */
const WALK_EXPORTS = { runWalkJob: 'model/walkPool.ts', loadSolver: 'portfolio/optimizer.ts' } as const;

/** Worker body (CommonJS, run with `eval`). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${WORKER_LOADER}
const state = new Int32Array(workerData.state);
const port = workerData.port;
let runWalkJob, solver;
const start = (async () => {
  const loaded = loadWorkerModules(workerData.modules);
  runWalkJob = loaded.runWalkJob;
  solver = await loaded.loadSolver();
})();
start.then(() => { Atomics.store(state, 0, ${STATE_READY}); }, (e) => { Atomics.store(state, 0, ${STATE_FAILED}); port.postMessage({ startError: String(e && e.message || e) }); });
port.on('message', async (m) => {
  try { await start; } catch { return; }
  const ctl = new Int32Array(m.control);
  for (;;) {
    const k = Atomics.add(ctl, 0, 1);
    if (k >= m.jobs.length) break;
    const i = m.order[k];
    try {
      port.postMessage({ i, result: runWalkJob(m.jobs[i], m.returns, solver) });
    } catch (e) {
      port.postMessage({ i, error: { message: String(e && e.message || e), code: e && e.code, what: e && e.what, where: e && e.where, fix: e && e.fix } });
    }
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  }
});
`;

/** Rough cost of an allocator's walk, for the claim order only (results do not depend on it). */
const WALK_COST: Readonly<Record<string, number>> = { 'score-optimizer': 3, 'mean-variance': 3, 'hmm-regimes': 2 };

/**
 * Job indices, the costliest allocators first (longest job first balances two threads best; ties
 * keep job order). Which thread walks a job never changes its result.
 */
export function claimOrder(jobs: readonly WalkJob[]): number[] {
  return jobs.map((_, i) => i).sort((a, b) => (WALK_COST[jobs[b].allocator.name] ?? 0) - (WALK_COST[jobs[a].allocator.name] ?? 0) || a - b);
}

/** Options of `createWalkPool`. */
export interface WalkPoolOptions {
  /** Project root holding node_modules/tsx and src/ (default process.cwd()). */
  root?: string;
}

/**
 * Start the walk worker (returns at once; the worker loads in the background). On a single core,
 * or when no worker can be created, the pool walks everything on the calling thread (`fallback`).
 */
export function createWalkPool(options: WalkPoolOptions = {}): WalkPool {
  const state = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | undefined, port: MessagePort | undefined, fallback: string | null = null;
  if (os.availableParallelism() < 2) {
    fallback = 'one core';
  } else {
    try {
      const modules = workerModules('walks', WALK_EXPORTS, options.root ?? process.cwd());
      const channel = new MessageChannel();
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modules, state: state.buffer, port: channel.port2 }, transferList: [channel.port2], execArgv: [] });
      worker.unref();
      worker.on('error', () => Atomics.store(state, 0, STATE_FAILED));
      worker.on('exit', () => Atomics.store(state, 0, STATE_FAILED));
      port = channel.port1;
      port.unref();
    } catch (e) {
      fallback = `worker_threads could not start a worker: ${(e as Error).message}`;
    }
  }
  const status = (): 'starting' | 'ready' | 'failed' => (!worker ? 'failed' : (['starting', 'ready', 'failed'] as const)[Atomics.load(state, 0)]);
  return {
    status,
    get fallback() { return fallback ?? (status() === 'failed' ? 'the walk worker stopped or could not load the sources' : null); },
    walk(jobs, returns, solver) {
      const results: (WalkResult | undefined)[] = new Array(jobs.length);
      const errors = new Map<number, unknown>();
      const useWorker = worker !== undefined && port !== undefined && status() !== 'failed' && jobs.length > 1;
      const control = new Int32Array(new SharedArrayBuffer(8)); // [next job to claim, jobs the worker finished]
      const order = claimOrder(jobs);
      if (useWorker) port!.postMessage({ jobs, order, returns, control: control.buffer });
      let mine = 0;
      for (;;) {
        const k = Atomics.add(control, 0, 1);
        if (k >= jobs.length) break;
        const i = order[k];
        mine++;
        try { results[i] = runWalkJob(jobs[i], returns, solver); } catch (e) { errors.set(i, e); }
      }
      const theirs = jobs.length - mine;
      if (theirs > 0) {
        for (let done = Atomics.load(control, 1); done < theirs; done = Atomics.load(control, 1)) {
          if (Atomics.wait(control, 1, done, 1000) === 'timed-out' && status() === 'failed') {
            throw new RotationError('WALK_WORKER_FAILED', `the walk worker stopped with ${theirs - done} of ${jobs.length} walks unfinished`, { unfinished: theirs - done },
              'rerun with ROTATION_WALK_WORKERS=0 to walk on one thread, and report the error');
          }
        }
        for (let m = receiveMessageOnPort(port!); m; m = receiveMessageOnPort(port!)) {
          const msg = m.message as { i?: number; result?: WalkResult; error?: { message: string; code?: string; what?: string; where?: Where; fix?: string }; startError?: string };
          if (msg.i === undefined) continue;
          if (msg.error) {
            const e = msg.error;
            errors.set(msg.i, e.code ? new RotationError(e.code, e.what ?? e.message, e.where ?? {}, e.fix ?? '') : new Error(e.message));
          } else results[msg.i] = msg.result;
        }
      }
      if (errors.size) throw errors.get(Math.min(...errors.keys()));
      for (let i = 0; i < jobs.length; i++) {
        if (!results[i]) throw new RotationError('WALK_WORKER_FAILED', `walk ${i} (${jobs[i].name}) returned no result`, { job: jobs[i].name }, 'rerun with ROTATION_WALK_WORKERS=0 and report the error');
      }
      return results as WalkResult[];
    },
    async close() {
      const w = worker;
      worker = undefined;
      fallback = 'closed';
      port?.close();
      if (w) await w.terminate();
    },
  };
}

/**
 * Industries from which the CLI walks on two threads by default. Below it the walks are short and
 * a second thread's start-up (the worker's bundle, its own HiGHS and V8's compilation of both) is
 * not repaid. Since the worker loads one bundle instead of its sources through tsx, the 30-industry
 * markets gain: `rotation run` median wall −9% on the default simulator and −10% on CITIC L1
 * (farm-bench, 5–6 alternating pairs, ROTATION_WALK_WORKERS=1 against =0), CPU +0.5–1%, peak
 * memory +27–30 MB; at 300 industries the stages fell from 12.8 s to 8.2 s. Fewer than 20
 * industries was not measured, so the pool stays off there.
 */
export const WALK_POOL_MIN_INDUSTRIES = 20;

/**
 * The pool the CLI uses for a dataset of `industries` industries: a worker from
 * WALK_POOL_MIN_INDUSTRIES on, none below; ROTATION_WALK_WORKERS=0 never starts one, =1 always does.
 */
export function defaultWalkPool(industries: number): WalkPool | undefined {
  const env = process.env.ROTATION_WALK_WORKERS;
  if (env === '0') return undefined;
  return env === '1' || industries >= WALK_POOL_MIN_INDUSTRIES ? createWalkPool() : undefined;
}
