/**
 * Writes the deployment samples in data/deploy/ (deterministic; rerun rewrites identical files):
 *
 * - instruments_sim.csv: every simulated industry traded through a fictional tracking ETF
 *   "SIMETFnn" priced at index/1000 on the simulator's last month end (IND30 as a two-fund basket);
 * - holdings_sim.csv: the book a manager would hold after following the model's previous month
 *   (the top-5 target of the month before, 10,000,000 of capital, 100-share lots) plus a small legacy
 *   position, marked at the previous month end (prices rounded to 4 decimals).
 *
 * (Holdings for the CITIC data are built in notebook 06 with the same recipe, `modelBook`, rather
 * than committed: they would carry vendor index levels.)
 *
 * Run: npx tsx scripts/make-deploy-samples.ts
 */
import path from 'node:path';
import { simulateMarket } from '../src/data/simulator.js';
import { modelContext } from '../src/model/context.js';
import { DEFAULT_MODEL_FILE, loadModelSpec } from '../src/model/files.js';
import { deployableDates } from '../src/deploy/targets.js';
import { industryClosesAt, modelBook } from '../src/deploy/plan.js';
import { toCsv, writeFileAtomic } from '../src/report/csv.js';

const SIM_CAPITAL = 10_000_000;
const dir = path.join('data', 'deploy');
const round3 = (x: number) => Math.round(x * 1000) / 1000;

const sim = simulateMarket({ seed: 7 }).dataset;
const simCtx = modelContext(sim);
const spec = loadModelSpec(DEFAULT_MODEL_FILE);
const simDates = deployableDates(spec, simCtx);
const simLast = simDates[simDates.length - 1];
const etf = (code: string) => `SIMETF${code.slice(3)}`;
const lastCloses = industryClosesAt(sim, simLast);
const instruments = sim.industries.flatMap((ind) => ind.code === 'IND30'
  ? [{ industry: ind.code, instrument: 'SIMETF30A', share: 0.6, price: round3(lastCloses[ind.code] / 1000) }, { industry: ind.code, instrument: 'SIMETF30B', share: 0.4, price: round3(lastCloses[ind.code] / 2000) }]
  : [{ industry: ind.code, instrument: etf(ind.code), share: 1, price: round3(lastCloses[ind.code] / 1000) }]);
writeFileAtomic(path.join(dir, 'instruments_sim.csv'), toCsv(instruments, ['industry', 'instrument', 'share', 'price']));
const prev = simDates[simDates.length - 2];
const book = modelBook(simCtx, spec, prev, { capital: SIM_CAPITAL, lotSize: 100, priceDivisor: 1000, instrument: (c) => c === 'IND30' ? 'SIMETF30A' : etf(c) });
const legacy = sim.industries.map((x) => x.code).find((c) => !book.some((r) => r.code === etf(c)))!;
book.push({ code: etf(legacy), quantity: 250, price: round3(industryClosesAt(sim, prev)[legacy] / 1000), value: 0 });
writeFileAtomic(path.join(dir, 'holdings_sim.csv'), toCsv(book, ['code', 'quantity', 'price']));
console.log(`data/deploy: simulator book of ${prev} → targets at ${simLast}`);
