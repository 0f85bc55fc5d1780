/**
 * Writes the deployment samples in data/deploy/ (deterministic; rerun rewrites identical files):
 *
 * - instruments_sim.csv: every simulated industry traded through a fictional tracking ETF
 *   "SIMETFnn" priced at index/1000 on the simulator's last month end (IND30 as a two-fund basket);
 * - holdings_sim.csv: the book a manager would hold after following the model's previous month
 *   (the top-5 target of the month before, 10,000,000 of capital, 100-share lots) plus a small legacy
 *   position, marked at the previous month end;
 * - holdings_citic.csv (when ../shared/data is present): the CITIC L1 index baskets held directly
 *   (quantity in index units, lot 1; index levels are ~10,000, so 100-unit lots would be 1,000,000
 *   each), 100,000,000 of capital.
 *
 * Run: npx tsx scripts/make-deploy-samples.ts
 */
import path from 'node:path';
import { simulateMarket } from '../src/data/simulator.js';
import { loadCiticIndustry } from '../src/data/citic.js';
import { hasSharedData } from '../src/data/paths.js';
import type { MarketDataset } from '../src/data/types.js';
import { factorStudy } from '../src/evaluate/study.js';
import { causalComposite } from '../src/portfolio/study.js';
import { deployableDates, targetWeights } from '../src/deploy/targets.js';
import { industryClosesAt } from '../src/deploy/plan.js';
import { toCsv, writeFileAtomic } from '../src/report/csv.js';

const SIM_CAPITAL = 10_000_000, CITIC_CAPITAL = 100_000_000;
const dir = path.join('data', 'deploy');
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Previous month's model target turned into whole-lot holdings at that month's prices. */
function previousBook(ds: MarketDataset, capital: number, lot: number, price: (code: string, date: string) => number, instrument: (code: string) => string) {
  const score = causalComposite(factorStudy(ds));
  const dates = deployableDates(score);
  const prev = dates[dates.length - 2];
  const rows = targetWeights(ds, prev, undefined, { score }).filter((r) => r.targetWeight > 0);
  return { prev, rows: rows.map((r) => {
    const p = price(r.industry, prev);
    return { code: instrument(r.industry), quantity: lot * Math.floor((capital * r.targetWeight) / p / lot), price: p };
  }) };
}

const sim = simulateMarket({ seed: 7 }).dataset;
const simLast = deployableDates(causalComposite(factorStudy(sim))).pop()!;
const etf = (code: string) => `SIMETF${code.slice(3)}`;
const lastCloses = industryClosesAt(sim, simLast);
const instruments = sim.industries.flatMap((ind) => ind.code === 'IND30'
  ? [{ industry: ind.code, instrument: 'SIMETF30A', share: 0.6, price: round3(lastCloses[ind.code] / 1000) }, { industry: ind.code, instrument: 'SIMETF30B', share: 0.4, price: round3(lastCloses[ind.code] / 2000) }]
  : [{ industry: ind.code, instrument: etf(ind.code), share: 1, price: round3(lastCloses[ind.code] / 1000) }]);
writeFileAtomic(path.join(dir, 'instruments_sim.csv'), toCsv(instruments, ['industry', 'instrument', 'share', 'price']));
const simBook = previousBook(sim, SIM_CAPITAL, 100, (c, d) => round3(industryClosesAt(sim, d)[c] / 1000), (c) => c === 'IND30' ? 'SIMETF30A' : etf(c));
const legacy = sim.industries.map((x) => x.code).find((c) => !simBook.rows.some((r) => r.code === etf(c)))!;
simBook.rows.push({ code: etf(legacy), quantity: 250, price: round3(industryClosesAt(sim, simBook.prev)[legacy] / 1000) });
writeFileAtomic(path.join(dir, 'holdings_sim.csv'), toCsv(simBook.rows, ['code', 'quantity', 'price']));
console.log(`data/deploy: simulator book of ${simBook.prev} → targets at ${simLast}`);

if (hasSharedData('citic_l1_industry')) {
  const citic = loadCiticIndustry(undefined, { extendCloseWithWide: true });
  const book = previousBook(citic, CITIC_CAPITAL, 1, (c, d) => industryClosesAt(citic, d)[c], (c) => c);
  writeFileAtomic(path.join(dir, 'holdings_citic.csv'), toCsv(book.rows, ['code', 'quantity', 'price']));
  console.log(`data/deploy: CITIC book of ${book.prev}`);
}
