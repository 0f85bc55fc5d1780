/**
 * Benchmark harness. Every workload runs in its own process (bench/run.ts spawns one per
 * workload) and prints one line
 *
 *   bench <workload> wall_s=<s> cpu_s=<s> peak_rss_mb=<MB> [targets...] [detail...]
 *
 * - wall_s: the timed section, monotonic clock;
 * - cpu_s: user + system CPU seconds of the timed section, all threads of the process (worker
 *   threads included), from process.cpuUsage(); for a workload that runs a child process
 *   (`runChild`) the child's own CPU seconds;
 * - peak_rss_mb: the peak resident set size of the process that did the work, setup included:
 *   this process's process.resourceUsage().maxRSS, or, for a child, the maxRSS the child reports
 *   for itself at exit (bench/childUsage.mjs), never the parent's;
 * - targets: `target_<figure><=<limit>:ok|MISS` for each target the workload declares.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Figures a workload may declare a target for (upper bounds). */
export interface Targets {
  wall_s?: number;
  cpu_s?: number;
  peak_rss_mb?: number;
  /** Free-form figures the workload reports in `extra` (e.g. warm_ms). */
  [figure: string]: number | undefined;
}

/** What a timed section may return: a detail string, or figures plus detail. */
export interface WorkloadResult {
  detail?: string;
  /** Figures printed as key=value and checked against targets of the same name. */
  figures?: Record<string, number>;
  /** Overrides of the measured figures (a child process's own CPU and peak memory). */
  cpu_s?: number;
  peak_rss_mb?: number;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

/** `target_<k><=<limit>:ok` / `:MISS` for each declared target. */
export function targetVerdicts(values: Record<string, number>, targets: Targets): string {
  const out: string[] = [];
  for (const [k, limit] of Object.entries(targets)) {
    if (limit === undefined) continue;
    const v = values[k];
    out.push(`target_${k}<=${limit}:${v === undefined || !(v <= limit) ? 'MISS' : 'ok'}`);
  }
  return out.join(' ');
}

/** Run `setup` (untimed), then `run` (timed), and print the workload's line (see module comment). */
export async function runWorkload<S>(name: string, setup: () => S | Promise<S>,
  run: (s: S) => string | void | WorkloadResult | Promise<string | void | WorkloadResult>, targets: Targets = {}): Promise<void> {
  const state = await setup();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const res = await run(state);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const r: WorkloadResult = typeof res === 'string' ? { detail: res } : res ?? {};
  const values: Record<string, number> = {
    wall_s: wall,
    cpu_s: r.cpu_s ?? (cu.user + cu.system) / 1e6,
    peak_rss_mb: r.peak_rss_mb ?? process.resourceUsage().maxRSS / 1024,
    ...(r.figures ?? {}),
  };
  const figs = Object.entries(values).map(([k, v]) => `${k}=${k === 'peak_rss_mb' ? v.toFixed(0) : fmt(v)}`).join(' ');
  const verdicts = targetVerdicts(values, targets);
  console.log(`bench ${name} ${figs}${verdicts ? ` ${verdicts}` : ''}${r.detail ? ` ${r.detail}` : ''}`);
}

/** A child process's own accounting, reported by bench/childUsage.mjs at its exit. */
export interface ChildUsage {
  status: number | null;
  stdout: string;
  stderr: string;
  wall_s: number;
  /** User + system CPU seconds of the child (all its threads). */
  cpu_s: number;
  /** The child's own peak resident set size. */
  peak_rss_mb: number;
}

/**
 * Run `node --import tsx --import bench/childUsage.mjs <args>` (without `--import tsx` when
 * `tsx` is false: a JavaScript entry such as bin/rotation.mjs, measured as a user runs it) and
 * return its own CPU seconds and peak memory (written by the child to a temp file at exit), with
 * its output. Throws when the child did not report (it crashed before exit handlers ran).
 */
export function runChild(args: string[], options: SpawnSyncOptions = {}, tsx = true): ChildUsage {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-usage-'));
  const file = path.join(dir, 'usage.json');
  try {
    const t0 = process.hrtime.bigint();
    const preload = [...(tsx ? ['--import', 'tsx'] : []), '--import', path.join(process.cwd(), 'bench', 'childUsage.mjs')];
    const r = spawnSync(process.execPath, [...preload, ...args],
      { encoding: 'utf8', ...options, env: { ...process.env, ...(options.env ?? {}), BENCH_USAGE_FILE: file } });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    let u: { cpu_s: number; peak_rss_mb: number };
    try { u = JSON.parse(readFileSync(file, 'utf8')); } catch {
      throw new Error(`bench child ${args.join(' ')} exited ${r.status} without reporting its usage: ${String(r.stderr).slice(-2000)}`);
    }
    return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr), wall_s: wall, ...u };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Time `solves` calls of `solve` (the first is the cold solve: the first after loading the
 * solver, WebAssembly compilation tiers included) and return, in wall and in CPU milliseconds of
 * this thread's process (the CPU figures stay meaningful on a busy shared machine):
 *   cold_ms = call 1,  warm_ms = median of calls 2..solves,  cold_cpu_ms / warm_cpu_ms likewise.
 */
export function coldWarm(solves: number, solve: (k: number) => void): { cold_ms: number; warm_ms: number; cold_cpu_ms: number; warm_cpu_ms: number } {
  const ms: number[] = [], cpu: number[] = [];
  for (let k = 0; k < solves; k++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    solve(k);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  return { cold_ms: ms[0], warm_ms: median(ms.slice(1)), cold_cpu_ms: cpu[0], warm_cpu_ms: median(cpu.slice(1)) };
}

/** `n` weekday dates (ISO) from `start`: the seeded panels' calendar. */
export function weekdayDates(n: number, start = '2010-01-01'): string[] {
  const dates: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (dates.length < n) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return dates;
}
