/**
 * Rolling IC statistics of a per-date IC series, using at each date only the ICs already known.
 *
 * Look-ahead rule (the one of src/combine/weights.ts). An IC of horizon h dated s is known at
 * s + h, so the statistics reported at date index t use the ICs of
 *
 *   W(t) = { s : lo(t) <= s <= t − h },  lo(t) = 0 ('expanding') or t − h − L + 1 (rolling window L)
 *
 * and, over the n valid (non-NaN) ICs x of W(t):
 *
 *   mean = Σx/n,  std = √(Σ(x − mean)²/(n − 1)),  ICIR = mean/std,  t = ICIR·√n.
 *
 * A date with n < minObservations has NaN statistics (warm-up).
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';

/** One window of statistics, aligned with the IC series' dates. */
export interface RollingIcSeries {
  dates: string[];
  /** Window length in IC dates, or 'expanding'. */
  window: number | 'expanding';
  horizon: number;
  /** Valid ICs in W(t). */
  n: Int32Array;
  mean: Float64Array;
  std: Float64Array;
  icir: Float64Array;
  t: Float64Array;
}

export interface RollingIcOptions {
  /** Window length L (IC dates, e.g. 12 or 36 monthly ICs) or 'expanding'. Default 12. */
  window?: number | 'expanding';
  /** IC horizon in periods: an IC dated s is known at s + horizon. Default 1. */
  horizon?: number;
  /** Valid ICs needed for statistics. Default ceil(0.75·L) for a rolling window, 12 for 'expanding'. */
  minObservations?: number;
}

/** Resolved options; MONITOR_BAD_ARGUMENT on a bad window, horizon or minimum. */
export function resolveRollingOptions(o: RollingIcOptions = {}): { window: number | 'expanding'; horizon: number; minObs: number } {
  const window = o.window ?? 12;
  if (window !== 'expanding' && (!Number.isInteger(window) || window < 2)) {
    throw new RotationError('MONITOR_BAD_ARGUMENT', `window must be 'expanding' or an integer >= 2, got ${String(window)}`,
      { argument: 'window' }, 'pass e.g. 12 or 36 (monthly ICs) or "expanding"');
  }
  const horizon = o.horizon ?? 1;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new RotationError('MONITOR_BAD_ARGUMENT', `horizon must be a positive integer, got ${String(horizon)}`,
      { argument: 'horizon' }, 'pass the IC horizon in rebalance periods, e.g. 1 for 1M ICs');
  }
  const minObs = o.minObservations ?? (window === 'expanding' ? 12 : Math.ceil(0.75 * window));
  if (!Number.isInteger(minObs) || minObs < 2 || (window !== 'expanding' && minObs > window)) {
    throw new RotationError('MONITOR_BAD_ARGUMENT', `minObservations must be an integer in [2, window], got ${String(minObs)}`,
      { argument: 'minObservations', window: String(window) }, 'pass e.g. 9 for a 12-date window');
  }
  return { window, horizon, minObs };
}

/** Rolling (or expanding) mean, std (ddof 1), ICIR = mean/std and t = ICIR·√n of the ICs known at each date (module comment). */
export function rollingIc(ic: IcByDate, options: RollingIcOptions = {}): RollingIcSeries {
  const { window, horizon, minObs } = resolveRollingOptions(options);
  const T = ic.dates.length;
  if (ic.ic.length !== T) {
    throw new RotationError('MONITOR_BAD_IC_SERIES', `IC series has ${ic.ic.length} values for ${T} dates`, { dates: T, values: ic.ic.length },
      'pass an IcByDate from icForHorizon / icByFactor');
  }
  const out: RollingIcSeries = {
    dates: ic.dates.slice(), window, horizon, n: new Int32Array(T),
    mean: new Float64Array(T).fill(NaN), std: new Float64Array(T).fill(NaN), icir: new Float64Array(T).fill(NaN), t: new Float64Array(T).fill(NaN),
  };
  for (let t = 0; t < T; t++) {
    const hi = t - horizon;
    const lo = window === 'expanding' ? 0 : Math.max(0, hi - window + 1);
    let n = 0, s = 0;
    for (let k = lo; k <= hi; k++) { const v = ic.ic[k]; if (v === v) { s += v; n++; } }
    out.n[t] = n;
    if (n < minObs) continue;
    const mean = s / n;
    let ss = 0;
    for (let k = lo; k <= hi; k++) { const v = ic.ic[k]; if (v === v) ss += (v - mean) * (v - mean); }
    const std = Math.sqrt(ss / (n - 1));
    out.mean[t] = mean;
    out.std[t] = std;
    out.icir[t] = std > 0 ? mean / std : NaN;
    out.t[t] = std > 0 ? (mean / std) * Math.sqrt(n) : NaN;
  }
  return out;
}

/** One row of the rolling IC table. */
export interface RollingIcRow {
  date: string;
  factor: string;
  window: string;
  n: number;
  meanIc: number;
  stdIc: number;
  icir: number;
  tStat: number;
}

/**
 * Long table of rolling IC statistics per factor and window (default 12 and 36 ICs, e.g. 12M and
 * 36M of monthly ICs), rows ordered by factor (input order), window, date. Each row uses only the
 * ICs known at its date (module comment).
 */
export function rollingIcTable(ics: Readonly<Record<string, IcByDate>>, options: { windows?: readonly (number | 'expanding')[]; horizon?: number } = {}): RollingIcRow[] {
  const windows = options.windows ?? [12, 36];
  const rows: RollingIcRow[] = [];
  for (const [factor, ic] of Object.entries(ics)) {
    for (const w of windows) {
      const r = rollingIc(ic, { window: w, horizon: options.horizon });
      const label = w === 'expanding' ? 'expanding' : `${w}`;
      r.dates.forEach((date, t) => rows.push({ date, factor, window: label, n: r.n[t], meanIc: r.mean[t], stdIc: r.std[t], icir: r.icir[t], tStat: r.t[t] }));
    }
  }
  return rows;
}
