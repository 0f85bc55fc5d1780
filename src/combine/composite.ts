/**
 * Composite score per date from factor panels and weights:
 *
 *   z_f(t, i) = cross-sectional z-score of factor f at date t (`zscore`, ddof 1) — or the raw
 *               values with `standardize: false`;
 *   A(t, i)   = { f : z_f(t, i) is valid and w_f(t) ≠ 0 };
 *   score(t, i) = Σ_{f∈A} w_f(t) z_f(t, i) / Σ_{f∈A} |w_f(t)|
 *
 * i.e. the weights are renormalized over the factors present for each asset (an industry with no
 * analyst coverage is scored on its other factors instead of being dropped or treated as 0).
 * With Σ_f |w_f| = 1 and every factor present, the denominator is 1. A cell with fewer than
 * `minFactors` factors in A, or a date without weights, is NaN and counted in the loss report.
 * Align directions first (src/combine/direction.ts).
 */
import { RotationError } from '../errors.js';
import { countLoss, newLossReport, type LossReport } from '../data/loss.js';
import { zscore } from '../panel/kernels.js';
import type { Panel } from '../panel/panel.js';
import { selectFactors, type FactorSet } from '../evaluate/factorSet.js';
import type { WeightSchedule } from './weights.js';

export interface CompositeOptions {
  /** z-score each factor per date first. Default true. */
  standardize?: boolean;
  /** Minimum number of weighted factors present for an asset to get a score. Default 1. */
  minFactors?: number;
}

export interface CompositeScore {
  panel: Panel;
  factors: string[];
  /** Cells read = dates x assets; kept = scored cells; dropped by reason. */
  loss: LossReport;
}

/**
 * Composite score (module comment) of `factors` with `weights`: a WeightSchedule (weights per
 * date, matched by date string; factor dates without weights give NaN rows) or fixed weights by
 * name. Errors: COMBINE_UNKNOWN_FACTOR (a weighted name absent from the set), PANEL_MISALIGNED
 * (panels of different shape), COMBINE_BAD_ARGUMENT (minFactors < 1, non-finite fixed weights).
 */
export function compositeScore(factors: FactorSet, weights: WeightSchedule | Readonly<Record<string, number>>, options: CompositeOptions = {}): CompositeScore {
  const minFactors = options.minFactors ?? 1;
  if (!Number.isInteger(minFactors) || minFactors < 1) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `minFactors must be an integer >= 1, got ${minFactors}`, { argument: 'minFactors' }, 'pass e.g. 1');
  }
  const schedule = isSchedule(weights) ? weights : null;
  const names = schedule ? schedule.factors : Object.keys(weights);
  if (!schedule) {
    for (const n of names) {
      const w = (weights as Record<string, number>)[n];
      if (!Number.isFinite(w)) {
        throw new RotationError('COMBINE_BAD_ARGUMENT', `Weight of "${n}" is not a finite number (${w})`, { factor: n }, 'pass finite weights');
      }
    }
  }
  const picked = selectFactors(factors, names, 'COMBINE');
  const K = picked.length;
  const first = picked[0][1];
  const T = first.dates.length, N = first.assets.length;
  const zs = picked.map(([, p]) => (options.standardize === false ? p : zscore(p)).values);
  const rowOf = new Int32Array(T).fill(-1);
  if (schedule) {
    const di = new Map(schedule.dates.map((d, t) => [d, t]));
    for (let t = 0; t < T; t++) rowOf[t] = di.get(first.dates[t]) ?? -1;
  }
  const fixed = schedule ? null : names.map((n) => (weights as Record<string, number>)[n]);
  const out = new Float64Array(T * N).fill(NaN);
  const loss = newLossReport('combine:composite', names.join('+'));
  const w = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    let haveWeights = true;
    if (fixed) for (let k = 0; k < K; k++) w[k] = fixed[k];
    else if (rowOf[t] < 0) haveWeights = false;
    else for (let k = 0; k < K; k++) { w[k] = schedule!.weights[rowOf[t] * K + k]; if (w[k] !== w[k]) haveWeights = false; }
    loss.rowsRead += N;
    if (!haveWeights) { countLoss(loss, 'no weights for the date', N, { date: first.dates[t] }); continue; }
    for (let i = 0; i < N; i++) {
      let num = 0, den = 0, present = 0, anyValue = false;
      for (let k = 0; k < K; k++) {
        const z = zs[k][t * N + i];
        if (z !== z) continue;
        anyValue = true;
        if (w[k] === 0) continue;
        num += w[k] * z; den += Math.abs(w[k]); present++;
      }
      if (!anyValue) { countLoss(loss, 'no factor value', 1, { date: first.dates[t], asset: first.assets[i] }); continue; }
      if (present === 0) { countLoss(loss, 'only zero-weight factors present', 1, { date: first.dates[t], asset: first.assets[i] }); continue; }
      if (present < minFactors) { countLoss(loss, `fewer than ${minFactors} weighted factors`, 1, { date: first.dates[t], asset: first.assets[i] }); continue; }
      out[t * N + i] = num / den;
      loss.rowsKept++;
    }
  }
  loss.notes.push(`counts are cells (${T} dates x ${N} assets); weights renormalized over the factors present per cell`);
  return { panel: { dates: first.dates.slice(), assets: first.assets.slice(), values: out }, factors: names.slice(), loss };
}

function isSchedule(x: WeightSchedule | Readonly<Record<string, number>>): x is WeightSchedule {
  return typeof x === 'object' && x !== null && 'weights' in x && (x as WeightSchedule).weights instanceof Float64Array && Array.isArray((x as WeightSchedule).factors);
}
