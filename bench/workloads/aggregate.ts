/**
 * Workload `aggregate`: stock → industry aggregation of a 5,000 stocks x 2,500 days panel
 * (~2% missing) with point-in-time membership (30 industries, 5% of stocks change industry once):
 * the membership as-of join, then cap-weighted, equal-weighted and median aggregation and breadth.
 * Target: under 3 s.
 */
import { runWorkload } from '../harness.js';
import { createRng } from '../../src/random.js';
import { createPanel } from '../../src/panel/panel.js';
import { membershipAsOf } from '../../src/data/pointInTime.js';
import type { MembershipRecord } from '../../src/data/types.js';
import { aggregateToIndustries, industryBreadth } from '../../src/factors/aggregate.js';

const T = 2500, N = 5000, G = 30;

await runWorkload('aggregate', () => {
  const rng = createRng(20240607);
  const dates: string[] = [];
  const d = new Date(Date.UTC(2010, 0, 1));
  while (dates.length < T) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  const stocks = Array.from({ length: N }, (_, i) => `S${String(i).padStart(5, '0')}`);
  const industries = Array.from({ length: G }, (_, g) => `IND${String(g).padStart(2, '0')}`);
  const records: MembershipRecord[] = [];
  for (const s of stocks) {
    const g = rng.int(G);
    if (rng.uniform() < 0.05) {
      const cut = 100 + rng.int(T - 200);
      records.push({ stock: s, industry: industries[g], scheme: 'bench', validFrom: dates[0], validTo: dates[cut - 1] });
      records.push({ stock: s, industry: industries[(g + 1) % G], scheme: 'bench', validFrom: dates[cut] });
    } else {
      records.push({ stock: s, industry: industries[g], scheme: 'bench', validFrom: dates[0] });
    }
  }
  const x = new Float64Array(T * N), w = new Float64Array(T * N);
  for (let k = 0; k < T * N; k++) {
    x[k] = rng.uniform() < 0.02 ? NaN : rng.normal();
    w[k] = Math.exp(22 + rng.normal());
  }
  return { values: createPanel(dates, stocks, x), caps: createPanel(dates, stocks, w), records, stocks, industries, dates };
}, ({ values, caps, records, stocks, industries, dates }) => {
  const t0 = process.hrtime.bigint();
  const mem = membershipAsOf(records, 'bench', dates, stocks, { industries });
  const t1 = process.hrtime.bigint();
  const cap = aggregateToIndustries(values, mem, { method: 'cap', weights: caps });
  const t2 = process.hrtime.bigint();
  aggregateToIndustries(values, mem, { method: 'equal' });
  const t3 = process.hrtime.bigint();
  aggregateToIndustries(values, mem, { method: 'median' });
  const t4 = process.hrtime.bigint();
  industryBreadth(values, mem, 20);
  const t5 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => (Number(b - a) / 1e6).toFixed(0);
  return `stocks=${N} days=${T} industries=${G} membership_ms=${ms(t0, t1)} cap_ms=${ms(t1, t2)} equal_ms=${ms(t2, t3)} median_ms=${ms(t3, t4)} breadth_ms=${ms(t4, t5)} kept=${cap.loss.rowsKept}`;
});
