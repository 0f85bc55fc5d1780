/**
 * Workload `evaluate-parallel`: the `evaluate` workload through `evaluateCrossSectionsParallel`
 * on a pool sized to the cores (created in setup, as a session creates it once). The panels are
 * allocated on SharedArrayBuffers (workers read the factor without a copy; the level panel of the
 * forward returns is copied once per worker chunk). The printed figures must equal `evaluate`'s.
 * cpu_s counts every thread. Targets (issue 16): <= 0.6 s wall using both cores, <= 1.0 CPU-s,
 * <= 300 MB.
 */
import { runWorkload } from '../harness.js';
import { evaluatePanels, evaluateSummary } from '../evaluateData.js';
import { forwardReturnsFromPrices } from '../../src/evaluate/forwardReturns.js';
import { createEvaluationPool, evaluateCrossSectionsParallel } from '../../src/evaluate/parallel.js';

await runWorkload('evaluate-parallel', async () => {
  const pool = createEvaluationPool();
  await pool.ready;
  return { pool, ...evaluatePanels(2500, 5000, true) };
}, async ({ pool, factor, prices }) => {
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 5, 21], periodsPerYear: 252 });
  const ev = await evaluateCrossSectionsParallel(factor, fr, { ic: false, rankIc: true, groups: { quantiles: 5 }, turnover: true }, pool);
  await pool.close();
  const p = ev.parallel;
  return `${evaluateSummary(ev)} chunks=${p.chunks} workers=${p.workers} sources="${pool.sources}"${p.fallback ? ` fallback="${p.fallback}"` : ''}`;
}, { wall_s: 0.6, cpu_s: 1.0, peak_rss_mb: 300 });
