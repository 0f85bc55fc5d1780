/**
 * Workload `industries` (opt-in: `npm run bench -- industries`): allocation cost against the number of industries — the two mean-variance baselines of the studies (sample covariance, caps 30%;
 * Ledoit-Wolf, caps 30%, quadratic turnover penalty 0.05) walked over 12 month ends with a
 * 36-month window, at 30, 100 and 300 industries (seeded one-factor daily returns, ~4 years).
 * Reports ms per rebalance date for each size; the timed section is the six walks.
 * Target: 300 industries well under 100 ms per date and baseline (was ~0.45 s).
 */
import { runWorkload, weekdayDates } from '../harness.js';
import { createPanel, type Panel } from '../../src/panel/panel.js';
import { createRng } from '../../src/random.js';
import { monthEndRebalanceDates } from '../../src/data/calendar.js';
import { loadSolver } from '../../src/portfolio/optimizer.js';
import { meanVarianceAllocator } from '../../src/portfolio/meanVariance.js';
import { walkAllocator } from '../../src/portfolio/walk.js';

const SIZES = [30, 100, 300];
const MONTHS = 12;

function returnsPanel(n: number): Panel {
  const rng = createRng(n);
  const dates = weekdayDates(22 * (36 + MONTHS + 1));
  const assets = Array.from({ length: n }, (_, i) => `I${String(i).padStart(3, '0')}`);
  const beta = Float64Array.from({ length: n }, () => 0.6 + 0.8 * rng.uniform());
  const values = new Float64Array(dates.length * n);
  for (let t = 0; t < dates.length; t++) {
    const f = rng.normal();
    for (let i = 0; i < n; i++) values[t * n + i] = t === 0 ? NaN : 0.0003 + 0.01 * beta[i] * f + 0.012 * rng.normal();
  }
  return createPanel(dates, assets, values);
}

await runWorkload('industries', async () => ({ solver: await loadSolver(), panels: SIZES.map(returnsPanel) }), ({ solver, panels }) => {
  const parts: string[] = [];
  for (const returns of panels) {
    const dates = monthEndRebalanceDates(returns.dates).slice(-MONTHS);
    for (const [tag, o] of [['sample', { covariance: 'sample' as const, caps: 0.3 }], ['lw', { covariance: 'ledoit-wolf' as const, caps: 0.3, turnoverPenalty: 0.05 }]] as const) {
      const t0 = process.hrtime.bigint();
      walkAllocator(meanVarianceAllocator(solver, o), { returns, rebalanceDates: dates });
      parts.push(`mv_${tag}_n${returns.assets.length}_ms_per_date=${(Number(process.hrtime.bigint() - t0) / 1e6 / dates.length).toFixed(1)}`);
    }
  }
  return parts.join(' ');
});
