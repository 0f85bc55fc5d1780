/**
 * Workload `baselines`: a full monthly walk of the mean-variance baseline (36-month Ledoit-Wolf,
 * caps 20%, quadratic turnover penalty) and of the HMM regime baseline (3 states, full covariance,
 * 4 daily features, yearly expanding-window refits, 4 restarts) over the 10 years (120 month ends)
 * of the default simulator. The simulation is setup; the timed section is the two walks.
 * Target: < 5 s.
 */
import { runWorkload } from '../harness.js';
import { simulateMarket } from '../../src/data/simulator.js';
import { monthEndRebalanceDates } from '../../src/data/calendar.js';
import { simpleReturns } from '../../src/portfolio/history.js';
import { loadSolver } from '../../src/portfolio/optimizer.js';
import { isQpFallback, meanVarianceAllocator } from '../../src/portfolio/meanVariance.js';
import { hmmRegimeAllocator, regimeFeatures } from '../../src/portfolio/regime.js';
import { walkAllocator } from '../../src/portfolio/walk.js';

await runWorkload('baselines', async () => {
  const { dataset } = simulateMarket();
  const solver = await loadSolver();
  const returns = simpleReturns(dataset.industryBars.close);
  const dates = monthEndRebalanceDates(dataset.calendar);
  return { dataset, solver, returns, dates };
}, ({ dataset, solver, returns, dates }) => {
  const t0 = process.hrtime.bigint();
  const mv = walkAllocator(meanVarianceAllocator(solver, { caps: 0.2, turnoverPenalty: 0.5 }), { returns, rebalanceDates: dates });
  const t1 = process.hrtime.bigint();
  const features = regimeFeatures({ returns, turnover: dataset.industryBars.turnover });
  const hmm = walkAllocator(hmmRegimeAllocator({ seed: 1, features }), { returns, rebalanceDates: dates });
  const t2 = process.hrtime.bigint();
  const fallbacks = mv.diagnostics.filter((d) => typeof d.details.qpSolver === 'string' && isQpFallback(d.details.qpSolver)).length;
  const refits = hmm.diagnostics.filter((d) => d.notes.some((n) => n.startsWith('HMM refitted'))).length;
  return `months=${dates.length} industries=${returns.assets.length} mv_s=${(Number(t1 - t0) / 1e9).toFixed(3)} hmm_s=${(Number(t2 - t1) / 1e9).toFixed(3)} mv_qp_fallbacks=${fallbacks} hmm_refits=${refits}`;
});
