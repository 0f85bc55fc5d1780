/**
 * Dynamic composite weights: ICIR weights from past ICs only (src/combine/weights.ts, W(t) =
 * ICs dated <= t − horizon), then shrunk by each factor's health at t (health.ts, same ICs):
 *
 *   v_f(t) = w_f(t) · m_f(t),   m = 0 (failed), weakeningShrink (weakening, default 0.5), 1 otherwise
 *   (healthy, warm-up, stale: a stale factor has no recent values, so the composite already
 *   leaves it out wherever it is missing)
 *   w'_f(t) = v_f(t) / Σ_g |v_g(t)|
 *
 * A date whose weights were all shrunk to 0 gets no weights (a NaN row) and is counted in
 * skipped['zero-signal']. A date where no non-zero weight was shrunk (every weighted factor
 * healthy, stale or in warm-up) keeps the ICIR row exactly (no renormalization round-off), so with no
 * weakening or failed factor the schedule equals icirWeights bit for bit. The result is a
 * WeightSchedule for compositeScore.
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';
import { icirWeights, type WeightSchedule } from '../combine/weights.js';
import { healthHistory, type HealthStatus } from './health.js';
import type { AlertRules } from './alerts.js';

export interface DynamicWeightOptions {
  /** IC horizon in periods. Default 1. */
  horizon?: number;
  /** ICIR window: IC dates or 'expanding'. Default 'expanding'. */
  window?: number | 'expanding';
  /** ICs a factor needs for a weight. Default 12. */
  minObservations?: number;
  /** Multiplier m for 'weakening' factors, in [0, 1]. Default 0.5. */
  weakeningShrink?: number;
  rules?: AlertRules;
}

export interface DynamicWeights {
  schedule: WeightSchedule;
  /** Health used at each date, by factor (aligned with schedule.dates). */
  health: Record<string, HealthStatus[]>;
}

/** Health-shrunk ICIR weights per date (module comment). */
export function dynamicWeights(ics: Readonly<Record<string, IcByDate>>, options: DynamicWeightOptions = {}): DynamicWeights {
  const shrink = options.weakeningShrink ?? 0.5;
  if (!(shrink >= 0 && shrink <= 1)) {
    throw new RotationError('MONITOR_BAD_ARGUMENT', `weakeningShrink must be in [0, 1], got ${String(shrink)}`, { argument: 'weakeningShrink' }, 'pass e.g. 0.5');
  }
  const horizon = options.horizon ?? 1;
  const base = icirWeights(ics, { horizon, window: options.window ?? 'expanding', minObservations: options.minObservations ?? 12 });
  const health = healthHistory(ics, { ...options.rules, horizon });
  const K = base.factors.length, T = base.dates.length;
  const w = Float64Array.from(base.weights);
  const skipped = { ...base.skipped };
  for (let t = 0; t < T; t++) {
    if (Number.isNaN(w[t * K])) continue;
    let a = 0, shrunk = false;
    for (let k = 0; k < K; k++) {
      const st = health[base.factors[k]][t];
      const m = st === 'failed' ? 0 : st === 'weakening' ? shrink : 1;
      if (m !== 1 && w[t * K + k] !== 0) { w[t * K + k] = m === 0 ? 0 : w[t * K + k] * m; shrunk = true; }
      a += Math.abs(w[t * K + k]);
    }
    // Nothing shrunk: the row is the ICIR row itself (Σ|w| = 1 already), left bit-identical.
    if (!(a > 0)) { for (let k = 0; k < K; k++) w[t * K + k] = NaN; skipped['zero-signal']++; }
    else if (shrunk) for (let k = 0; k < K; k++) w[t * K + k] /= a;
  }
  return { schedule: { ...base, weights: w, skipped }, health };
}
