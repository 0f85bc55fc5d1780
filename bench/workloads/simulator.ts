/**
 * Workload `simulator`: the default simulated market (seed 7, 1,000 stocks, 10 years) simulated
 * (`simulateMarket`) and read back from the on-disk cache (`simulateMarketCached`; setup writes
 * the file if it is missing). Prints the CPU seconds of each; the cached value must be what the
 * CLI, the notebooks and the tests get instead of simulating.
 */
import { runWorkload } from '../harness.js';
import { simulateMarket } from '../../src/data/simulator.js';
import { simulateMarketCached, type SimulatorCacheStatus } from '../../src/data/simulatorCache.js';

function cpu<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const v = f();
  const c = process.cpuUsage(c0);
  return [v, (c.user + c.system) / 1e6];
}

await runWorkload('simulator', () => { simulateMarketCached({ seed: 7 }); return null; }, () => {
  let status: SimulatorCacheStatus | null = null;
  const [cached, cachedCpu] = cpu(() => simulateMarketCached({ seed: 7 }, { onStatus: (s) => { status = s; } }));
  const [fresh, simCpu] = cpu(() => simulateMarket({ seed: 7 }));
  const same = cached.dataset.stocks!.bars.close.values.every((v, k) => Object.is(v, fresh.dataset.stocks!.bars.close.values[k]));
  return { figures: { simulate_cpu_s: simCpu, cached_cpu_s: cachedCpu }, detail: `cache=${status} stock_closes_identical=${same}` };
});
