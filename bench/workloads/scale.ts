/**
 * Workload `scale` (opt-in: `npm run bench -- scale`): how cost grows with the number of assets.
 * Each point runs in its own child process (its own CPU seconds and peak memory):
 *
 * - evaluate: the `evaluate` workload (forward returns 1/5/21 days, rank IC, 5-quantile means,
 *   turnover, one thread) on 2,500 dates x 1,250 / 2,500 / 5,000 assets (1x, 2x, 4x);
 * - pipeline: the simulator and every registered industry factor at month ends (the part of
 *   `npm start` that sees individual stocks) with 1,000 / 2,000 / 4,000 stocks, 10 years (1x is
 *   the default market).
 *
 * Prints one `bench scale-<kind> x=<k> ...` line per point (timed section: wall_s, cpu_s; the
 * child's peak_rss_mb, setup included) and the CPU and memory growth against 1x. docs/performance.md
 * holds the table and what it implies for 5,000 stocks x 10 years.
 *   Child mode (internal): scale.ts <kind> <multiple>
 */
import path from 'node:path';
import { runChild, runWorkload } from '../harness.js';
import { evaluatePanels, evaluateSummary } from '../evaluateData.js';
import { forwardReturnsFromPrices } from '../../src/evaluate/forwardReturns.js';
import { evaluateCrossSections } from '../../src/evaluate/crossSection.js';
import { monthEndRebalanceDates } from '../../src/data/calendar.js';
import { simulateMarket } from '../../src/data/simulator.js';
import { computeFactors, factorRegistry, newFactorCache } from '../../src/factors/registry.js';

const MULTIPLES = [1, 2, 4];
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
    const ids = factorRegistry().map((f) => f.id);
    computeFactors(dataset, dates, { ids, cache: newFactorCache(dataset) });
    return `stocks=${nStocks} days=${dataset.calendar.length} factors=${ids.length} months=${dates.length}`;
  });
} else {
  const self = path.join('bench', 'workloads', 'scale.ts');
  for (const k of ['evaluate', 'pipeline']) {
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
