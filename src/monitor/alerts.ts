/**
 * Decay alerts on a factor's (direction-aligned) IC series, each evaluated at a date from the ICs
 * known then (rolling statistics of rollingIc.ts: an IC dated s is known at s + horizon).
 *
 * Each rule compares one statistic with a threshold, but an alert is a STATE, not a per-date test:
 * it is raised only when the statistic is past its threshold by at least the minimum effect size
 * e = minEffect (IC units, default 0.01), and once raised it stays raised until the statistic is
 * back past the threshold by e on the other side (hysteresis band of width 2e; t units use the
 * band tBand, default 0.5). A state changes (raise or clear) only after its condition held on
 * `confirm` consecutive dates (default 2). With a = mean_∞ (expanding long-run mean), sign s = sign(a):
 *
 *   low-ic       raise: mean_S < lowIc − e                     clear: mean_S >= lowIc + e
 *                (short window S, default 12 ICs, lowIc default 0)
 *   sign-flip    raise: s·mean_L < −e and |a| >= e             clear: s·mean_L >= e, or |a| < e
 *                (long window L, default 36 ICs: the long-window mean turned against a long-run mean
 *                that is itself at least e away from 0)
 *   t-stat-drop  raise: t_L < minT, t_∞ >= significantT       clear: t_L >= minT + tBand,
 *                       and a − mean_L >= e                           or t_∞ < significantT − tBand
 *                (defaults minT = 1, significantT = 2; t = mean/std·√n over the window, std ddof 1)
 *
 * A rule whose statistics are in warm-up (NaN: too few ICs) is cleared and its confirmation count
 * reset (it cannot be judged; health.ts reports such a factor as warmup or stale). With
 * minEffect = 0, tBand = 0 and confirm = 1 the rules are the memoryless per-date tests
 * (raise ⇔ mean_S < lowIc; sign(mean_L) ≠ sign(a); t_L < minT while t_∞ >= significantT).
 *
 * Why: a factor whose IC hovers around 0 crossed the memoryless thresholds back and forth every
 * month (2,279 alert rows on the default simulator, "failed" on a sign-flip of a 0.000482 mean);
 * the band and the confirmation make one episode one alert. The alert history lists raise events.
 */
import type { IcByDate } from '../evaluate/ic.js';
import { rollingIc, type RollingIcSeries } from './rollingIc.js';
import { RotationError } from '../errors.js';

export type AlertKind = 'low-ic' | 'sign-flip' | 't-stat-drop';

/** Rules in evaluation (and row) order. */
export const ALERT_KINDS: readonly AlertKind[] = Object.freeze(['low-ic', 'sign-flip', 't-stat-drop'] as AlertKind[]);

export interface AlertRules {
  /** Short window S (IC dates). Default 12. */
  shortWindow?: number;
  /** Long window L (IC dates). Default 36. */
  longWindow?: number;
  /** low-ic threshold on mean_S. Default 0. */
  lowIc?: number;
  /** t-stat-drop threshold on t_L ... Default 1. */
  minT?: number;
  /** ... while the expanding t_∞ >= significantT. Default 2. */
  significantT?: number;
  /** Minimum effect size e in IC units: distance past a mean-IC threshold to raise, and back to clear. Default 0.01. */
  minEffect?: number;
  /** Hysteresis band of the t-statistic thresholds (t units). Default 0.5. */
  tBand?: number;
  /** Consecutive dates a raise or clear condition must hold before the state changes (integer >= 1). Default 2. */
  confirm?: number;
  /** IC horizon in periods. Default 1. */
  horizon?: number;
}

/** Defaults of the alert rules (module comment). */
export const DEFAULT_ALERT_RULES: Readonly<Required<AlertRules>> = Object.freeze({
  shortWindow: 12, longWindow: 36, lowIc: 0, minT: 1, significantT: 2, minEffect: 0.01, tBand: 0.5, confirm: 2, horizon: 1,
});

/** One alert: raised (alertHistory: the date it was raised) or active at a date (alertsAtIndex). */
export interface Alert {
  date: string;
  factor: string;
  alert: AlertKind;
  /** The statistic tested at `date` (mean_S, mean_L or t_L). */
  value: number;
  /** The raise threshold it crossed: lowIc − e, −e·sign(mean_∞) for sign-flip, minT. */
  threshold: number;
}

/** The three statistics series the rules read, the rules, and each rule's raised state per date. */
export interface AlertInputs {
  short: RollingIcSeries;
  long: RollingIcSeries;
  expanding: RollingIcSeries;
  rules: Required<AlertRules>;
  /** raised[kind][t] = 1 while the alert is raised at date index t (module comment). */
  raised: Record<AlertKind, Uint8Array>;
}

/** Rules with defaults filled in; MONITOR_BAD_ARGUMENT on a non-finite threshold, a negative band or a bad confirm. */
export function resolveRules(rules: AlertRules = {}): Required<AlertRules> {
  const r = { ...DEFAULT_ALERT_RULES };
  for (const [k, v] of Object.entries(rules)) if (v !== undefined) (r as Record<string, number>)[k] = v as number;
  for (const k of ['lowIc', 'minT', 'significantT'] as const) {
    if (!Number.isFinite(r[k])) {
      throw new RotationError('MONITOR_BAD_ARGUMENT', `Alert threshold ${k} must be a finite number, got ${String(r[k])}`, { argument: k }, 'pass e.g. lowIc: 0, minT: 1, significantT: 2');
    }
  }
  for (const k of ['minEffect', 'tBand'] as const) {
    if (!Number.isFinite(r[k]) || r[k] < 0) {
      throw new RotationError('MONITOR_BAD_ARGUMENT', `Alert ${k} must be a finite number >= 0, got ${String(r[k])}`, { argument: k }, `pass e.g. ${k}: ${DEFAULT_ALERT_RULES[k]} (0 switches the band off)`);
    }
  }
  if (!Number.isInteger(r.confirm) || r.confirm < 1) {
    throw new RotationError('MONITOR_BAD_ARGUMENT', `Alert confirm must be an integer >= 1, got ${String(r.confirm)}`, { argument: 'confirm' }, 'pass e.g. confirm: 2 (1 = no confirmation)');
  }
  return r;
}

/** Raise and clear conditions of one rule at date index t; null when its statistics are in warm-up. */
function conditions(kind: AlertKind, s: { short: RollingIcSeries; long: RollingIcSeries; expanding: RollingIcSeries }, t: number, r: Required<AlertRules>): { raise: boolean; clear: boolean } | null {
  const e = r.minEffect;
  if (kind === 'low-ic') {
    const m = s.short.mean[t];
    if (m !== m) return null;
    return { raise: m < r.lowIc - e, clear: m >= r.lowIc + e };
  }
  if (kind === 'sign-flip') {
    const m = s.long.mean[t], a = s.expanding.mean[t];
    if (m !== m || a !== a) return null;
    const big = a !== 0 && Math.abs(a) >= e, aligned = Math.sign(a) * m;
    return { raise: big && aligned < -e, clear: !big || aligned >= e };
  }
  const tL = s.long.t[t], tE = s.expanding.t[t], mL = s.long.mean[t], a = s.expanding.mean[t];
  if (tL !== tL || tE !== tE) return null;
  return { raise: tL < r.minT && tE >= r.significantT && a - mL >= e, clear: tL >= r.minT + r.tBand || tE < r.significantT - r.tBand };
}

/**
 * Raised state of one rule at every date (module comment): a state flips after its condition
 * (raise while cleared, clear while raised) held on `confirm` consecutive dates; warm-up clears it.
 * Reads only statistics at dates <= t for the state at t.
 */
function raisedStates(kind: AlertKind, s: { short: RollingIcSeries; long: RollingIcSeries; expanding: RollingIcSeries }, r: Required<AlertRules>): Uint8Array {
  const T = s.short.dates.length, out = new Uint8Array(T);
  let raised = false, run = 0;
  for (let t = 0; t < T; t++) {
    const c = conditions(kind, s, t, r);
    if (c === null) { raised = false; run = 0; continue; }
    run = (raised ? c.clear : c.raise) ? run + 1 : 0;
    if (run >= r.confirm) { raised = !raised; run = 0; }
    out[t] = raised ? 1 : 0;
  }
  return out;
}

/** Short, long and expanding statistics of one IC series (rollingIc with the rules' windows) and the raised states. */
export function alertInputs(ic: IcByDate, rules: AlertRules = {}): AlertInputs {
  const r = resolveRules(rules);
  const s = {
    short: rollingIc(ic, { window: r.shortWindow, horizon: r.horizon }),
    long: rollingIc(ic, { window: r.longWindow, horizon: r.horizon }),
    expanding: rollingIc(ic, { window: 'expanding', horizon: r.horizon }),
  };
  const raised = Object.fromEntries(ALERT_KINDS.map((k) => [k, raisedStates(k, s, r)])) as Record<AlertKind, Uint8Array>;
  return { ...s, rules: r, raised };
}

/** The alert of `kind` as a row at date index t: the tested statistic and the raise threshold (module comment). */
function alertRow(factor: string, inputs: AlertInputs, kind: AlertKind, t: number): Alert {
  const r = inputs.rules, date = inputs.short.dates[t];
  if (kind === 'low-ic') return { date, factor, alert: kind, value: inputs.short.mean[t], threshold: r.lowIc - r.minEffect };
  if (kind === 'sign-flip') return { date, factor, alert: kind, value: inputs.long.mean[t], threshold: -r.minEffect * (Math.sign(inputs.expanding.mean[t]) || 1) };
  return { date, factor, alert: kind, value: inputs.long.t[t], threshold: r.minT };
}

/** Alerts raised (active) at date index t under the rules of `inputs`, in the order low-ic, sign-flip, t-stat-drop. */
export function alertsAtIndex(factor: string, inputs: AlertInputs, t: number): Alert[] {
  return ALERT_KINDS.filter((k) => inputs.raised[k][t] === 1).map((k) => alertRow(factor, inputs, k, t));
}

/** Alerts raised exactly at date index t (cleared at t − 1 or t = 0), rule order. */
export function alertsRaisedAtIndex(factor: string, inputs: AlertInputs, t: number): Alert[] {
  return ALERT_KINDS.filter((k) => inputs.raised[k][t] === 1 && (t === 0 || inputs.raised[k][t - 1] === 0)).map((k) => alertRow(factor, inputs, k, t));
}

/**
 * Alert history: one row per alert RAISED (the date its raise was confirmed), for every factor,
 * rows ordered by date then factor (input order) then rule. An alert that stays raised is not
 * repeated; each date uses only the ICs known then.
 */
export function alertHistory(ics: Readonly<Record<string, IcByDate>>, rules: AlertRules = {}): Alert[] {
  const perFactor = Object.entries(ics).map(([f, ic]) => [f, alertInputs(ic, rules)] as const);
  if (perFactor.length === 0) return [];
  const T = perFactor[0][1].short.dates.length;
  const out: Alert[] = [];
  for (let t = 0; t < T; t++) for (const [f, inp] of perFactor) out.push(...alertsRaisedAtIndex(f, inp, t));
  return out;
}
