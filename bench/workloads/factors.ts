/**
 * Workload `factors`: every industry factor the default simulator supports (41 of the registry) (30 industries,
 * 1,000 stocks, 10 years daily, intraday bars, fundamentals and forecasts) at the month-end
 * rebalance dates, with one shared cache. Target: under 2 s. The simulation itself is setup.
 */
import { runWorkload } from '../harness.js';
import { monthEndRebalanceDates } from '../../src/data/calendar.js';
import { simulateMarket } from '../../src/data/simulator.js';
import { availableFactors, computeFactors, newFactorCache } from '../../src/factors/registry.js';

await runWorkload('factors', () => {
  const { dataset } = simulateMarket();
  return { dataset, dates: monthEndRebalanceDates(dataset.calendar) };
}, ({ dataset, dates }) => {
  const cache = newFactorCache(dataset);
  const times: [string, number][] = [];
  let n = 0;
  for (const id of availableFactors(dataset).available) {
    const t0 = process.hrtime.bigint();
    computeFactors(dataset, dates, { ids: [id], cache });
    times.push([id, Number(process.hrtime.bigint() - t0) / 1e6]);
    n++;
  }
  times.sort((a, b) => b[1] - a[1]);
  const slowest = times.slice(0, 3).map(([id, ms]) => `${id}:${ms.toFixed(0)}ms`).join(',');
  return `factors=${n} dates=${dates.length} industries=${dataset.industries.length} slowest=${slowest}`;
});
