/**
 * Workload `enhancement`: one index-enhancement LP with 500 stocks, 30 industries, stock
 * deviation 0.5%, industry deviation 2% and a turnover budget of 0.6 (mean of 20 solves after a
 * warm-up; target <= 100 ms per solve).
 */
import { runWorkload } from '../harness.js';
import { createRng } from '../../src/random.js';
import { loadSolver } from '../../src/portfolio/optimizer.js';
import { enhanceIndex } from '../../src/stockstudy/enhancement.js';

const solver = await loadSolver();
await runWorkload('enhancement', () => {
  const g = createRng(3);
  const n = 500, G = 30;
  const b = Array.from({ length: n }, () => g.uniform());
  const tot = b.reduce((a, x) => a + x, 0);
  const prev = Array.from({ length: n }, () => g.uniform());
  const ptot = prev.reduce((a, x) => a + x, 0);
  const input = {
    stocks: Array.from({ length: n }, (_, i) => `S${i}`), scores: Array.from({ length: n }, () => g.uniform() * 2 - 1),
    benchmark: b.map((x) => x / tot), industryCodes: Array.from({ length: n }, (_, i) => i % G), industries: Array.from({ length: G }, (_, k) => `G${k}`),
    previous: prev.map((x) => x / ptot), stockDeviation: 0.005, industryDeviation: 0.02, turnoverBudget: 0.6,
  };
  enhanceIndex(solver, input); // warm-up
  return input;
}, (input) => {
  const runs = 20;
  for (let k = 0; k < runs; k++) enhanceIndex(solver, input);
  return `stocks=500 industries=30 solves=${runs} (wall_s covers all solves)`;
});
