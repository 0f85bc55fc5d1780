/**
 * Workload `enhancement-sweep`: the notebook-08 industry-deviation sweep (d = 2%, 3%, 4%, 5%) as
 * four monthly enhancement walks over 10 years of month ends (weekday calendar), 500 stocks in 30
 * industries, stock deviation 0.5%, turnover budget 0.6, every solve verified within 1e-9
 * (target <= 60 s for the four walks; setup builds the seeded closes, scores and universe).
 */
import { runWorkload, weekdayDates } from '../harness.js';
import { createRng } from '../../src/random.js';
import { createPanel } from '../../src/panel/panel.js';
import { monthEndRebalanceDates } from '../../src/data/calendar.js';
import { loadSolver } from '../../src/portfolio/optimizer.js';
import { enhancementWalk, walkUniverse } from '../../src/stockstudy/walk.js';

const solver = await loadSolver();
await runWorkload('enhancement-sweep', () => {
  const g = createRng(8);
  const N = 500, G = 30;
  const days = weekdayDates(2610);
  const stocks = Array.from({ length: N }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const close = new Float64Array(days.length * N);
  for (let i = 0; i < N; i++) close[i] = 10;
  for (let t = 1; t < days.length; t++) for (let i = 0; i < N; i++) close[t * N + i] = close[(t - 1) * N + i] * (1 + 0.02 * g.normal());
  const dates = monthEndRebalanceDates(days);
  const membership = stocks.map((s, i) => ({ stock: s, industry: `G${String(i % G).padStart(2, '0')}`, scheme: 'bench', validFrom: days[0] }));
  const bench = Float64Array.from({ length: N }, () => g.uniform() ** 2);
  let tot = 0;
  for (const x of bench) tot += x;
  for (let i = 0; i < N; i++) bench[i] /= tot;
  const scores = createPanel(dates, stocks, Float64Array.from({ length: dates.length * N }, () => g.normal()));
  const closeP = createPanel(days, stocks, close);
  const universe = walkUniverse({ dates, close: closeP, membership, scheme: 'bench', benchmarkAt: () => bench });
  return { universe, closeP, scores, months: dates.length };
}, ({ universe, closeP, scores, months }) => {
  let solves = 0, relaxations = 0, worst = 0;
  for (const d of [0.02, 0.03, 0.04, 0.05]) {
    const w = enhancementWalk(solver, universe, closeP, { name: `d=${d}`, scores, stockDeviation: 0.005, industryDeviation: d, turnoverBudget: 0.6 });
    solves += w.records.length;
    relaxations += w.relaxations.length;
    for (const r of w.records) worst = Math.max(worst, r.maxViolation);
  }
  return `stocks=500 industries=30 months=${months} settings=4 solves=${solves} relaxations=${relaxations} max_violation=${worst.toExponential(1)}`;
});
