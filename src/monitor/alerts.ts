/**
 * Decay alerts on a factor's (direction-aligned) IC series, each evaluated at a date from the ICs
 * known then (rolling statistics of rollingIc.ts: an IC dated s is known at s + horizon):
 *
 *   low-ic:      mean_S(t) < lowIc                         (short window S, default 12 ICs, lowIc default 0)
 *   sign-flip:   sign(mean_L(t)) ≠ sign(mean_∞(t)), mean_L(t) ≠ 0
 *                (long window L, default 36 ICs, versus the expanding long-run mean)
 *   t-stat-drop: t_L(t) < minT while t_∞(t) >= significantT   (defaults minT = 1, significantT = 2)
 *                with t = mean/std·√n over the window (std ddof 1)
 *
 * A rule whose statistics are in warm-up (too few ICs) does not fire.
 */
import type { IcByDate } from '../evaluate/ic.js';
import { rollingIc, type RollingIcSeries } from './rollingIc.js';
import { RotationError } from '../errors.js';

export type AlertKind = 'low-ic' | 'sign-flip' | 't-stat-drop';

export interface AlertRules {
  /** Short window S (IC dates). Default 12. */
  shortWindow?: number;
  /** Long window L (IC dates). Default 36. */
  longWindow?: number;
  /** low-ic fires when mean_S < lowIc. Default 0. */
  lowIc?: number;
  /** t-stat-drop fires when t_L < minT ... Default 1. */
  minT?: number;
  /** ... and the expanding t_∞ >= significantT. Default 2. */
  significantT?: number;
  /** IC horizon in periods. Default 1. */
  horizon?: number;
}

/** One fired alert. */
export interface Alert {
  date: string;
  factor: string;
  alert: AlertKind;
  /** The statistic tested (mean_S, mean_L or t_L). */
  value: number;
  /** The threshold it crossed (lowIc, 0, minT). */
  threshold: number;
}

/** The three statistics series the rules read. */
export interface AlertInputs {
  short: RollingIcSeries;
  long: RollingIcSeries;
  expanding: RollingIcSeries;
}

/** Rules with defaults filled in. */
export function resolveRules(rules: AlertRules = {}): Required<AlertRules> {
  const r = { shortWindow: 12, longWindow: 36, lowIc: 0, minT: 1, significantT: 2, horizon: 1, ...rules };
  for (const k of ['lowIc', 'minT', 'significantT'] as const) {
    if (!Number.isFinite(r[k])) {
      throw new RotationError('MONITOR_BAD_ARGUMENT', `Alert threshold ${k} must be a finite number, got ${String(r[k])}`, { argument: k }, 'pass e.g. lowIc: 0, minT: 1, significantT: 2');
    }
  }
  return r;
}

/** Short, long and expanding statistics of one IC series (rollingIc with the rules' windows). */
export function alertInputs(ic: IcByDate, rules: AlertRules = {}): AlertInputs {
  const r = resolveRules(rules);
  return {
    short: rollingIc(ic, { window: r.shortWindow, horizon: r.horizon }),
    long: rollingIc(ic, { window: r.longWindow, horizon: r.horizon }),
    expanding: rollingIc(ic, { window: 'expanding', horizon: r.horizon }),
  };
}

/** Alerts fired at date index t (module comment), in the order low-ic, sign-flip, t-stat-drop. */
export function alertsAtIndex(factor: string, inputs: AlertInputs, t: number, rules: AlertRules = {}): Alert[] {
  const r = resolveRules(rules);
  const date = inputs.short.dates[t];
  const out: Alert[] = [];
  const mS = inputs.short.mean[t], mL = inputs.long.mean[t], mE = inputs.expanding.mean[t];
  const tL = inputs.long.t[t], tE = inputs.expanding.t[t];
  if (mS === mS && mS < r.lowIc) out.push({ date, factor, alert: 'low-ic', value: mS, threshold: r.lowIc });
  if (mL === mL && mE === mE && mL !== 0 && mE !== 0 && Math.sign(mL) !== Math.sign(mE)) out.push({ date, factor, alert: 'sign-flip', value: mL, threshold: 0 });
  if (tL === tL && tE === tE && tE >= r.significantT && tL < r.minT) out.push({ date, factor, alert: 't-stat-drop', value: tL, threshold: r.minT });
  return out;
}

/**
 * Alert history: every alert fired at every date, for every factor, rows ordered by date then
 * factor (input order) then rule. Each date uses only the ICs known then.
 */
export function alertHistory(ics: Readonly<Record<string, IcByDate>>, rules: AlertRules = {}): Alert[] {
  const perFactor = Object.entries(ics).map(([f, ic]) => [f, alertInputs(ic, rules)] as const);
  if (perFactor.length === 0) return [];
  const T = perFactor[0][1].short.dates.length;
  const out: Alert[] = [];
  for (let t = 0; t < T; t++) for (const [f, inp] of perFactor) out.push(...alertsAtIndex(f, inp, t, rules));
  return out;
}
