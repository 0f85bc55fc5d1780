/**
 * The model's target sector weights at a rebalance date d_k of a model spec: the spec's composite
 * score (src/model/score.ts), its allocator walked over the spec's rebalance dates up to d_k, and
 * the previous weight = target of d_{k−1} drifted to d_k:
 *
 *   w_prev,i = w_{k−1,i} Π_{t∈(d_{k−1}, d_k]} (1 + r_{t,i}) / Σ_j (same),   change_i = w_i − w_prev,i
 *
 * rank 1 = highest score (NaN scores last). Rows ordered by rank, then industry code.
 * The previous target is the model's own (the walk re-run to d_{k−1}); the orders command compares
 * against the real holdings instead.
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { walkAllocator } from '../portfolio/walk.js';
import { walkWeights, type ModelContext } from '../model/context.js';
import { modelScore } from '../model/score.js';
import { allocatorFor } from '../model/allocators.js';
import { rebalanceSchedule } from '../model/run.js';
import type { ModelSpec } from '../model/spec.js';

export interface TargetRow {
  date: string; industry: string; name: string; score: number; rank: number;
  targetWeight: number; previousWeight: number; change: number;
}

/**
 * Rebalance dates the spec can act on: its rebalance calendar over the dates where the composite
 * scores at least calendar.minScored industries. `latest` is the last of them.
 */
export function deployableDates(spec: ModelSpec, ctx: ModelContext): string[] {
  return [...rebalanceSchedule(spec, modelScore(spec, ctx).scored).dates];
}

/**
 * Target weight rows at `asOf` (module comment); `asOf = 'latest'` takes the last deployable date.
 * Errors: DEPLOY_AS_OF_OUT_OF_RANGE, DEPLOY_NOT_TRADING_DAY, DEPLOY_NOT_REBALANCE_DATE,
 * DEPLOY_BAD_DATE (not YYYY-MM-DD).
 */
export function targetWeights(ctx: ModelContext, spec: ModelSpec, asOfArg: string): TargetRow[] {
  const ds = ctx.ds;
  const m = modelScore(spec, ctx);
  const score: Panel = m.score;
  const cal = ds.calendar;
  const N = score.assets.length;
  const scored = [...rebalanceSchedule(spec, m.scored).dates];
  const first = scored[0], last = cal[cal.length - 1];
  const asOf = asOfArg === 'latest' ? scored[scored.length - 1] ?? '' : asOfArg;
  if (asOfArg !== 'latest' && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    throw new RotationError('DEPLOY_BAD_DATE', `asOf "${asOfArg}" is not a date in YYYY-MM-DD form`, { asOf: asOfArg }, `pass e.g. --asof ${scored[scored.length - 1] ?? '2024-12-31'} or --asof latest`);
  }
  if (first === undefined || asOf < first || asOf > last) {
    throw new RotationError('DEPLOY_AS_OF_OUT_OF_RANGE', `asOf ${asOf} is outside the range the model can act on`, { asOf, first: first ?? 'none', last },
      `pass a rebalance date between ${first} (first date with enough history) and ${last} (last data date)`);
  }
  if (!scored.includes(asOf)) {
    const before = scored.filter((d) => d < asOf).pop(), after = scored.find((d) => d > asOf);
    throw new RotationError(cal.includes(asOf) ? 'DEPLOY_NOT_REBALANCE_DATE' : 'DEPLOY_NOT_TRADING_DAY',
      `asOf ${asOf} is ${cal.includes(asOf) ? `not a rebalance date of spec "${spec.name}"` : 'not a trading day'}`, { asOf, previousRebalance: before ?? 'none', nextRebalance: after ?? 'none' },
      `use the nearest rebalance date: ${before ?? ''}${before && after ? ' or ' : ''}${after ?? ''}`);
  }
  const allocator = allocatorFor(spec.allocator, spec.name, ctx.solver);
  const returns = ctx.returns;
  const dates = scored.filter((d) => d <= asOf);
  const walk = walkAllocator(allocator, { returns, rebalanceDates: dates, scores: score, industries: ctx.available });
  const res = { returns };
  const r = { walk, weights: walkWeights(walk, ds.industries.map((x) => x.code)) };
  const k = dates.length - 1;
  const target = r.weights, M = target.assets.length;
  const prev = new Float64Array(M);
  if (k > 0) {
    const R = res.returns, from = R.dates.indexOf(r.walk.dates[k - 1]) + 1, to = R.dates.indexOf(asOf);
    let s = 0;
    for (let i = 0; i < M; i++) {
      const j = R.assets.indexOf(target.assets[i]);
      let g = target.values[(k - 1) * M + i];
      for (let t = from; t <= to; t++) { const x = R.values[t * R.assets.length + j]; if (x === x) g *= 1 + x; }
      prev[i] = g; s += g;
    }
    if (s > 0) for (let i = 0; i < M; i++) prev[i] /= s;
  }
  const srow = score.dates.indexOf(asOf);
  const names = new Map(ds.industries.map((x) => [x.code, x.name]));
  const rows = target.assets.map((code, i) => {
    const sc = score.values[srow * N + score.assets.indexOf(code)];
    const w = target.values[k * M + i];
    return { date: asOf, industry: code, name: names.get(code) ?? '', score: sc, rank: 0, targetWeight: w, previousWeight: prev[i], change: w - prev[i] };
  });
  rows.sort((a, b) => (Number.isNaN(a.score) ? 1 : 0) - (Number.isNaN(b.score) ? 1 : 0) || b.score - a.score || (a.industry < b.industry ? -1 : 1));
  rows.forEach((r, i) => { r.rank = Number.isNaN(r.score) ? NaN : i + 1; });
  return rows;
}
