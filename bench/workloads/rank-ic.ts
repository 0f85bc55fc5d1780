/**
 * Workload `rank-ic`: per-date rank IC (Spearman with midranks) of a seeded factor against seeded
 * forward returns on 5,000 assets x 2,500 dates (12.5 M cells each), ~2% missing cells.
 */
import { runWorkload, weekdayDates } from '../harness.js';
import { createRng } from '../../src/random.js';
import { createPanel } from '../../src/panel/panel.js';
import { rankIcByDate } from '../../src/evaluate/ic.js';

const T = 2500, N = 5000;

await runWorkload('rank-ic', () => {
  const rng = createRng(20240131);
  const dates = weekdayDates(T);
  const assets = Array.from({ length: N }, (_, i) => `S${String(i).padStart(5, '0')}`);
  const f = new Float64Array(T * N), r = new Float64Array(T * N);
  for (let k = 0; k < T * N; k++) {
    const x = rng.normal();
    f[k] = rng.uniform() < 0.02 ? NaN : x;
    r[k] = 0.05 * x + rng.normal();
  }
  return { factor: createPanel(dates, assets, f), returns: createPanel(dates, assets, r) };
}, ({ factor, returns }) => {
  const res = rankIcByDate(factor, returns);
  let s = 0, c = 0;
  for (const v of res.ic) if (!Number.isNaN(v)) { s += v; c++; }
  return `dates=${T} assets=${N} mean_rank_ic=${(s / c).toFixed(4)}`;
});
