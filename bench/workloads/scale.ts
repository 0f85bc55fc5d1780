/**
 * Workload `scale` (opt-in: `npm run bench -- scale`): how cost grows with the number of assets.
 * Each point runs in its own child process (its own CPU seconds and peak memory):
 *
 * - evaluate: the `evaluate` workload (forward returns 1/5/21 days, rank IC, 5-quantile means,
 *   turnover, one thread) on 2,500 dates x 1,250 / 2,500 / 5,000 assets (1x, 2x, 4x);
 * - pipeline: the simulator and every industry factor it supports at month ends (the part of
 *   `npm start` that sees individual stocks) with 1,000 / 2,000 / 4,000 stocks, 10 years (1x is
 *   the default market).
 *
 * - industries: `rotation run` (the whole pipeline, every allocator, outputs) in a child process on a
 *   synthetic vendor export of 75 / 150 / 300 industries x 2,500 weekdays (`industry_bars.csv`,
 *   long format, seeded); target at 300 industries: <= 20 s wall (issue 18);
 * - stock-load: `loadAshareDaily` on a synthetic CSI-500-style daily file (date, code,
 *   close_adj, volume_shares; gzip) of 1,250 / 2,500 / 5,000 stocks x 2,500 weekdays; target at
 *   5,000 stocks: <= 1,500 MB peak (issue 18). Writing the file is setup (streamed, untimed).
 *
 * Prints one `bench scale-<kind> x=<k> ...` line per point (timed section: wall_s, cpu_s; the
 * child's peak_rss_mb, setup included) and the CPU and memory growth against 1x. docs/performance.md
 * holds the table and what it implies for 5,000 stocks x 10 years.
 *   Child mode (internal): scale.ts <kind> <multiple>
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runChild, runWorkload, weekdayDates } from '../harness.js';
import { createRng } from '../../src/random.js';
import { ASHARE_FILES, loadAshareDaily } from '../../src/data/ashare.js';
import { evaluatePanels, evaluateSummary } from '../evaluateData.js';
import { forwardReturnsFromPrices } from '../../src/evaluate/forwardReturns.js';
import { evaluateCrossSections } from '../../src/evaluate/crossSection.js';
import { monthEndRebalanceDates } from '../../src/data/calendar.js';
import { simulateMarket } from '../../src/data/simulator.js';
import { availableFactors, computeFactors, newFactorCache } from '../../src/factors/registry.js';

const MULTIPLES = [1, 2, 4];

/**
 * A vendor-style export of n industries x 2,500 weekdays from 2015-01-05: one market factor with
 * loadings 0.6..1.4, idiosyncratic noise 1.2% a day and a slow sine drift (seeded); columns
 * date,code,name,close,open,high,low,volume. Returns the folder.
 */
function syntheticIndustryExport(n: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-industries-'));
  const rng = createRng(5);
  const dates = weekdayDates(2500, '2015-01-05');
  const level = new Float64Array(n).fill(1000);
  const fd = openSync(path.join(dir, 'industry_bars.csv'), 'w');
  writeSync(fd, 'date,code,name,close,open,high,low,volume\n');
  for (let t = 0; t < dates.length; t++) {
    const m = 0.0003 + 0.01 * rng.normal();
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = m * (0.6 + (0.8 * (i % 7)) / 6) + 0.012 * rng.normal() + 0.0002 * Math.sin(t / 60 + i);
      const open = level[i];
      level[i] *= 1 + r;
      const code = `I${String(i).padStart(3, '0')}`;
      lines.push(`${dates[t]},${code},Industry ${i},${level[i].toFixed(4)},${open.toFixed(4)},${(Math.max(open, level[i]) * 1.005).toFixed(4)},${(Math.min(open, level[i]) * 0.995).toFixed(4)},${Math.floor(1e6 * (1 + rng.uniform()))}`);
    }
    writeSync(fd, lines.join('\n') + '\n');
  }
  closeSync(fd);
  return dir;
}

/** A CSI-500-members-style daily file (`ASHARE_FILES.daily`, gzip) of n stocks x 2,500 weekdays, written in streamed blocks. Returns the folder. */
function syntheticStockDaily(n: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-stocks-'));
  const rng = createRng(11);
  const dates = weekdayDates(2500, '2014-01-01');
  const close = new Float64Array(n).fill(10);
  const codes = Array.from({ length: n }, (_, i) => `${String(600000 + i)}.${i % 2 ? 'SZ' : 'SH'}`);
  const fd = openSync(path.join(dir, ASHARE_FILES.daily), 'w');
  const blocks: Buffer[] = [Buffer.from('date,code,close_adj,volume_shares\n')];
  let pending = 0;
  const flush = (): void => { writeSync(fd, gzipSync(Buffer.concat(blocks), { level: 1 })); blocks.length = 0; pending = 0; };
  for (let t = 0; t < dates.length; t++) {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      close[i] *= 1 + 0.02 * rng.normal();
      lines.push(`${dates[t]},${codes[i]},${close[i].toFixed(4)},${Math.floor(1e6 * rng.uniform())}`);
    }
    const b = Buffer.from(lines.join('\n') + '\n');
    blocks.push(b); pending += b.length;
    if (pending > 32 * 1024 * 1024) flush();
  }
  flush(); // concatenated gzip members are one valid gzip stream
  closeSync(fd);
  return dir;
}
const [kind, multiple] = process.argv.slice(2);

if (kind === 'evaluate') {
  const N = 1250 * Number(multiple);
  await runWorkload(`scale-evaluate x=${multiple}`, () => evaluatePanels(2500, N), ({ factor, prices }) => {
    const fr = forwardReturnsFromPrices(prices, { horizons: [1, 5, 21], periodsPerYear: 252 });
    return evaluateSummary(evaluateCrossSections(factor, fr, { ic: false, rankIc: true, groups: { quantiles: 5 }, turnover: true }));
  });
} else if (kind === 'pipeline') {
  const nStocks = 1000 * Number(multiple);
  await runWorkload(`scale-pipeline x=${multiple}`, () => null, () => {
    const { dataset } = simulateMarket({ nStocks });
    const dates = monthEndRebalanceDates(dataset.calendar);
    const ids = availableFactors(dataset).available;
    computeFactors(dataset, dates, { ids, cache: newFactorCache(dataset) });
    return `stocks=${nStocks} days=${dataset.calendar.length} factors=${ids.length} months=${dates.length}`;
  });
} else if (kind === 'industries') {
  const n = 75 * Number(multiple);
  await runWorkload(`scale-industries x=${multiple}`, () => syntheticIndustryExport(n), (dir) => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'bench-industries-out-'));
    const r = runChild([path.join('bin', 'rotation.mjs'), 'run', '--quiet', '--data', dir, '--out', out], { cwd: process.cwd() }, false);
    rmSync(out, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`rotation run failed: ${r.stderr}`);
    return { cpu_s: r.cpu_s, peak_rss_mb: r.peak_rss_mb, detail: `industries=${n} days=2500` };
  }, Number(multiple) === 4 ? { wall_s: 20 } : {});
} else if (kind === 'stock-load') {
  const n = 1250 * Number(multiple);
  await runWorkload(`scale-stock-load x=${multiple}`, () => syntheticStockDaily(n), (dir) => {
    const res = loadAshareDaily(dir);
    rmSync(dir, { recursive: true, force: true });
    return `stocks=${res.stocks.length} days=${res.calendar.length} rows=${res.loss.rowsRead} kept=${res.loss.rowsKept}`;
  }, Number(multiple) === 4 ? { peak_rss_mb: 1500 } : {});
} else {
  const self = path.join('bench', 'workloads', 'scale.ts');
  for (const k of ['evaluate', 'pipeline', 'industries', 'stock-load']) {
    const rows: Record<string, number>[] = [];
    for (const m of MULTIPLES) {
      const r = runChild([self, k, String(m)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const line = r.stdout.split('\n').find((l) => l.startsWith('bench scale-'));
      if (r.status !== 0 || !line) throw new Error(`scale ${k} x${m} failed (exit ${r.status})`);
      const fig: Record<string, number> = {};
      for (const mm of line.matchAll(/(\w+)=([-\d.eE+]+)(?=\s|$)/g)) fig[mm[1]] = Number(mm[2]);
      // The child's own peak (setup included) replaces the in-process figure, which is the same process.
      console.log(line);
      rows.push(fig);
    }
    const g = (f: string) => rows.map((x) => (x[f] / rows[0][f]).toFixed(2)).join('/');
    console.log(`bench scale-${k} growth x=1/2/4: cpu ${g('cpu_s')} wall ${g('wall_s')} peak_rss ${g('peak_rss_mb')}`);
  }
}
