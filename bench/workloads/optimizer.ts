/**
 * Workload `optimizer`: one score-optimizer rebalance with 31 industries, caps 10%, a turnover
 * budget of 0.30 (two-sided, t_i >= +/-(w_i - w_prev,i)) and a 0.2% proportional cost, solved by
 * HiGHS on a freshly loaded solver: 101 solves (fresh seeded scores, drifted previous weights);
 * cold_ms = the first solve (WebAssembly warm-up included), warm_ms = the median of the other 100,
 * per_solve_ms = their mean. Target: warm < 20 ms.
 */
import { coldWarm, runWorkload } from '../harness.js';
import { createRng } from '../../src/random.js';
import { loadSolver, optimizeScoreWeights } from '../../src/portfolio/optimizer.js';

const N = 31, SOLVES = 100;

await runWorkload('optimizer', async () => {
  const solver = await loadSolver();
  const rng = createRng(20240131);
  const industries = Array.from({ length: N }, (_, i) => `IND${String(i + 1).padStart(2, '0')}`);
  const draws = Array.from({ length: SOLVES + 1 }, () => Array.from({ length: N }, () => rng.normal()));
  const noise = Array.from({ length: SOLVES + 1 }, () => Array.from({ length: N }, () => 0.05 * rng.normal()));
  const state = { solver, industries, draws, noise, prev: new Float64Array(N).fill(1 / N) };
  return state;
}, (s) => {
  let relaxed = 0, warmSum = 0;
  const cw = coldWarm(SOLVES + 1, (k) => {
    const t0 = process.hrtime.bigint();
    relaxed += step(s, k);
    if (k > 0) warmSum += Number(process.hrtime.bigint() - t0) / 1e6;
  });
  return { figures: { ...cw, per_solve_ms: warmSum / SOLVES }, detail: `industries=${N} solves=1+${SOLVES} relaxed=${relaxed}` };
}, { warm_ms: 20 });

interface State {
  solver: Awaited<ReturnType<typeof loadSolver>>;
  industries: string[];
  draws: number[][];
  noise: number[][];
  prev: Float64Array;
}

/** One rebalance; the held weights then drift by a random month of returns. Returns 1 if relaxed. */
function step(s: State, k: number): number {
  const res = optimizeScoreWeights(s.solver, {
    industries: s.industries, scores: s.draws[k], previous: { industries: s.industries, weights: s.prev },
    constraints: { caps: 0.1, turnoverBudget: 0.3 }, costRate: 0.002,
  });
  let sum = 0;
  for (let i = 0; i < N; i++) { s.prev[i] = res.weights[i] * (1 + s.noise[k][i]); sum += s.prev[i]; }
  for (let i = 0; i < N; i++) s.prev[i] /= sum;
  return res.relaxed.length ? 1 : 0;
}
