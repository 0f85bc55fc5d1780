/**
 * Walk-forward factor selection: at each date t, from the ICs known at t only,
 *
 *   W(t)      = IC dates [t − horizon − window + 1, t − horizon] (or [0, t − horizon], expanding)
 *   ICIR_f(t) = mean / std (ddof 1) of IC_f over W(t), for factors with >= minObservations ICs there
 *   S(t)      = the k factors of largest ICIR_f(t) with ICIR_f(t) > minIcir (ties by name)
 *
 * and a weight schedule restricted to S(t): w_f(t) = 0 for f ∉ S(t), renormalized to Σ|w| = 1;
 * a date with S(t) empty gets no weights (NaN row: no score). A full-sample selection, by
 * contrast, reads ICs of dates after t and is an in-sample upper bound.
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';
import { knownIcWindow, type IcSeriesSet, type WeightSchedule } from './weights.js';

export interface SelectionOptions {
  horizon: number;
  k: number;
  minIcir: number;
  minObservations: number;
  window: number | 'expanding';
}

export interface FactorSelection {
  dates: string[];
  factors: string[];
  /** selected[t * K + f] = 1 when factor f is in S(t). */
  selected: Uint8Array;
  /** ICIR_f(t) over W(t) (NaN where fewer than minObservations ICs). */
  icir: Float64Array;
  /** Number of factors selected at each date. */
  count: Int32Array;
}

/** S(t) for every date (module comment). COMBINE_BAD_ARGUMENT for k < 1 or minObservations < 2. */
export function walkForwardSelection(ics: IcSeriesSet, o: SelectionOptions): FactorSelection {
  if (!Number.isInteger(o.k) || o.k < 1) throw new RotationError('COMBINE_BAD_ARGUMENT', `k must be an integer >= 1, got ${o.k}`, { argument: 'k' }, 'pass e.g. 5');
  if (!Number.isInteger(o.minObservations) || o.minObservations < 2) {
    throw new RotationError('COMBINE_BAD_ARGUMENT', `minObservations must be an integer >= 2, got ${o.minObservations}`, { argument: 'minObservations' }, 'pass e.g. 12');
  }
  const entries: [string, IcByDate][] = ics instanceof Map ? [...(ics as ReadonlyMap<string, IcByDate>)] : Object.entries(ics as Record<string, IcByDate>);
  const K = entries.length, dates = entries[0]?.[1].dates ?? [], T = dates.length;
  const selected = new Uint8Array(T * K), icir = new Float64Array(T * K).fill(NaN), count = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    const [lo, hi] = knownIcWindow(t, o.horizon, o.window);
    const cands: { f: number; v: number }[] = [];
    for (let f = 0; f < K; f++) {
      const x = entries[f][1].ic;
      let n = 0, s = 0, ss = 0;
      for (let u = lo; u <= hi; u++) { const v = x[u]; if (v === v) { n++; s += v; } }
      if (n < o.minObservations) continue;
      const m = s / n;
      for (let u = lo; u <= hi; u++) { const v = x[u]; if (v === v) ss += (v - m) * (v - m); }
      const sd = Math.sqrt(ss / (n - 1));
      const r = sd > 0 ? m / sd : NaN;
      icir[t * K + f] = r;
      if (r > o.minIcir) cands.push({ f, v: r });
    }
    cands.sort((a, b) => b.v - a.v || (entries[a.f][0] < entries[b.f][0] ? -1 : 1));
    for (const c of cands.slice(0, o.k)) selected[t * K + c.f] = 1;
    count[t] = Math.min(o.k, cands.length);
  }
  return { dates: [...dates], factors: entries.map(([n]) => n), selected, icir, count };
}

/**
 * `schedule` restricted to the selection: weights of unselected factors set to 0 and the row
 * renormalized to Σ|w| = 1; a row with no selected factor (or no weight left) becomes NaN.
 * COMBINE_MISALIGNED when the schedule and the selection differ in dates or factors.
 */
export function restrictSchedule(schedule: WeightSchedule, sel: FactorSelection): WeightSchedule {
  const K = schedule.factors.length, T = schedule.dates.length;
  const same = K === sel.factors.length && schedule.factors.every((f, k) => f === sel.factors[k]) && T === sel.dates.length && schedule.dates.every((d, t) => d === sel.dates[t]);
  if (!same) {
    throw new RotationError('COMBINE_MISALIGNED', 'The weight schedule and the factor selection have different dates or factors', { scheduleFactors: K, selectionFactors: sel.factors.length },
      'compute both from the same IC series');
  }
  const w = new Float64Array(T * K).fill(NaN);
  for (let t = 0; t < T; t++) {
    let a = 0;
    for (let k = 0; k < K; k++) { const v = schedule.weights[t * K + k]; if (sel.selected[t * K + k] && v === v) a += Math.abs(v); }
    if (!(a > 0)) continue;
    for (let k = 0; k < K; k++) { const v = schedule.weights[t * K + k]; w[t * K + k] = sel.selected[t * K + k] && v === v ? v / a : 0; }
  }
  return { ...schedule, weights: w };
}
