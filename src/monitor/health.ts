/**
 * Factor health at a date from its RAISED alerts (alerts.ts: minimum effect size, hysteresis band
 * and `confirm` consecutive dates per state change, so a flat series does not flap), using only
 * the ICs known then:
 *
 *   failed     if sign-flip is raised (the long-window mean IC is at least minEffect on the other
 *              side of 0 from a long-run mean at least minEffect from 0);
 *   weakening  else if low-ic or t-stat-drop is raised;
 *   warmup     else if the expanding statistics are still in warm-up (too few ICs to judge);
 *   stale      else if the short window is in warm-up after the expanding one is not: fewer than
 *              ⌈0.75·S⌉ of the last S ICs exist (the factor stopped producing values, e.g. its
 *              input data ended), so its recent behaviour cannot be judged;
 *   healthy    otherwise.
 *
 * Reasons list every fired alert as "<rule>: <value> vs <threshold>" (and, when stale,
 * "stale: <n> of the last <S> ICs").
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';
import { alertInputs, alertsAtIndex, type Alert, type AlertInputs, type AlertRules } from './alerts.js';

export type HealthStatus = 'healthy' | 'weakening' | 'failed' | 'warmup' | 'stale';

export interface FactorHealthRow {
  date: string;
  factor: string;
  status: HealthStatus;
  /** Mean IC over the short and long windows and the expanding window (NaN in warm-up). */
  meanIcShort: number;
  meanIcLong: number;
  meanIcLongRun: number;
  tStatLong: number;
  reasons: string;
}

/** Status from the alerts fired at one date (module comment); `stale`: the short-window statistics are in warm-up. */
export function healthFromAlerts(alerts: readonly Alert[], inWarmup: boolean, stale = false): HealthStatus {
  if (alerts.some((a) => a.alert === 'sign-flip')) return 'failed';
  if (alerts.length > 0) return 'weakening';
  if (inWarmup) return 'warmup';
  return stale ? 'stale' : 'healthy';
}

/** Status of one factor at date index t from precomputed alert inputs (module comment). */
function statusAt(alerts: readonly Alert[], inputs: AlertInputs, t: number): HealthStatus {
  return healthFromAlerts(alerts, Number.isNaN(inputs.expanding.mean[t]), Number.isNaN(inputs.short.mean[t]));
}

function fmt(x: number): string { return Number(x.toPrecision(3)).toString(); }

/** Health row of one factor at date index t from precomputed alert inputs (their rules). */
export function healthAtIndex(factor: string, inputs: AlertInputs, t: number): FactorHealthRow {
  const alerts = alertsAtIndex(factor, inputs, t);
  const status = statusAt(alerts, inputs, t);
  const reasons = alerts.map((a) => `${a.alert}: ${fmt(a.value)} vs ${fmt(a.threshold)}`);
  if (status === 'stale') reasons.push(`stale: ${inputs.short.n[t]} of the last ${inputs.short.window} ICs`);
  return {
    date: inputs.short.dates[t], factor, status,
    meanIcShort: inputs.short.mean[t], meanIcLong: inputs.long.mean[t], meanIcLongRun: inputs.expanding.mean[t], tStatLong: inputs.long.t[t],
    reasons: reasons.join('; '),
  };
}

/**
 * Factor-health table at `date` (a date of the IC series; MONITOR_UNKNOWN_DATE otherwise), one row
 * per factor in input order.
 */
export function factorHealth(ics: Readonly<Record<string, IcByDate>>, date: string, rules: AlertRules = {}): FactorHealthRow[] {
  return Object.entries(ics).map(([factor, ic]) => {
    const t = ic.dates.indexOf(date);
    if (t < 0) {
      throw new RotationError('MONITOR_UNKNOWN_DATE', `${date} is not a date of the IC series of "${factor}"`,
        { date, factor, first: ic.dates[0], last: ic.dates[ic.dates.length - 1] }, 'pass a rebalance date of the IC series (a month end)');
    }
    return healthAtIndex(factor, alertInputs(ic, rules), t);
  });
}

/** Health status of every factor at every date: status[f][t], aligned with the IC series' dates. */
export function healthHistory(ics: Readonly<Record<string, IcByDate>>, rules: AlertRules = {}): Record<string, HealthStatus[]> {
  const out: Record<string, HealthStatus[]> = {};
  for (const [factor, ic] of Object.entries(ics)) {
    const inp = alertInputs(ic, rules);
    out[factor] = ic.dates.map((_, t) => statusAt(alertsAtIndex(factor, inp, t), inp, t));
  }
  return out;
}
