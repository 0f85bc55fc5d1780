/**
 * Workload `evaluate`: stock-level factor evaluation on a seeded 5,000 assets x 2,500 trading days
 * panel (bench/evaluateData.ts). Timed: forward returns for 1, 5 and 21 days (one shared level
 * panel), rank IC per date for each horizon, 5-quantile mean returns per date for each horizon,
 * and group turnover (the top-quantile figure is printed), all in one `evaluateCrossSections`
 * pass on the calling thread that ranks the factor once per date. Target (issue 16, one thread):
 * <= 1.0 CPU-s, <= 300 MB.
 */
import { runWorkload } from '../harness.js';
import { evaluatePanels, evaluateSummary } from '../evaluateData.js';
import { forwardReturnsFromPrices } from '../../src/evaluate/forwardReturns.js';
import { evaluateCrossSections } from '../../src/evaluate/crossSection.js';

await runWorkload('evaluate', () => evaluatePanels(2500, 5000), ({ factor, prices }) => {
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 5, 21], periodsPerYear: 252 });
  return evaluateSummary(evaluateCrossSections(factor, fr, { ic: false, rankIc: true, groups: { quantiles: 5 }, turnover: true }));
}, { cpu_s: 1.0, peak_rss_mb: 300 });
