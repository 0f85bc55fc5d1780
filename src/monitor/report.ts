/**
 * The monitor report: everything the monitoring stage shows about a study's factors as of one
 * rebalance date, as plain data (the notebook displays it, the CLI writes it; this module writes
 * nothing).
 *
 * Inputs. IC_f(s) = 1M rank IC of the direction-aligned factor f at rebalance date s (the ICs the
 * model's ICIR weights read, src/portfolio/study.ts), known at s + h (h = 1). As of date index
 * a (`asOf`) the series are cut to dates <= d_a before anything is computed, so no number of the
 * report can read an IC dated after asOf; every statistic at date t then uses the ICs of
 * W(t) = {s : lo(t) <= s <= t − h} (rollingIc.ts), i.e. only ICs already known at t.
 *
 *   rolling  = rollingIcTable over windows L ∈ {12, 36} (mean, std, ICIR = mean/std, t = ICIR·√n)
 *   alerts   = alertHistory: the alerts (low-ic, sign-flip, t-stat-drop) raised at dates t <= asOf,
 *              one row per raise (alerts.ts: minimum effect, hysteresis, confirmation)
 *   history  = healthHistory: status of every factor at every date t <= asOf
 *   health   = factorHealth at asOf (status, windowed mean ICs, t_L, reasons)
 *   counts   = #{f : status_f(asOf) = s} for s ∈ {healthy, weakening, failed, stale, warmup}
 *
 * Row orders are stable: health by factor (input order: registry order by default); alerts by
 * date, then factor, then rule (low-ic, sign-flip, t-stat-drop); rolling by factor, window, date.
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from '../evaluate/ic.js';
import { alignedFactors, type FactorStudy } from '../model/evidence.js';
import { icByFactor } from '../evaluate/crossSection.js';
import { alertHistory, resolveRules, type Alert, type AlertRules } from './alerts.js';
import { factorHealth, healthHistory, type FactorHealthRow, type HealthStatus } from './health.js';
import { rollingIcTable, type RollingIcRow } from './rollingIc.js';

/** Statuses in display order. */
export const HEALTH_STATUSES: readonly HealthStatus[] = Object.freeze(['healthy', 'weakening', 'failed', 'stale', 'warmup'] as HealthStatus[]);

export interface MonitorIcOptions {
  /** Factors to monitor (ids of the study). Default: every available factor, registry order. */
  factors?: readonly string[];
  /** IC horizon in rebalance periods, a horizon of `study.forward`. Default 1 (the model's 1M ICs). */
  horizon?: number;
}

export interface MonitorReportOptions extends MonitorIcOptions {
  /** Report date: a rebalance date of the study. Default: the last one. */
  asOf?: string;
  /** Alert rules (alerts.ts DEFAULT_ALERT_RULES: short 12, long 36, lowIc 0, minT 1, significantT 2, minEffect 0.01, tBand 0.5, confirm 2). Their horizon is the IC horizon. */
  rules?: AlertRules;
  /** Rolling windows of the rolling IC table, in IC dates. Default [12, 36] (12M and 36M of monthly ICs). */
  windows?: readonly (number | 'expanding')[];
}

/** Health status of every factor at every date up to asOf. */
export interface HealthTimeline {
  dates: string[];
  /** status[factor][t], aligned with `dates`. */
  status: Record<string, HealthStatus[]>;
}

export interface MonitorReport {
  dataset: string;
  asOf: string;
  /** IC horizon (periods). */
  horizon: number;
  factors: string[];
  /** The rules applied, defaults filled in. */
  rules: Required<AlertRules>;
  /** Window labels of `rolling` ("12", "36", "expanding"). */
  windows: string[];
  /** One row per factor at asOf, factor order. */
  health: FactorHealthRow[];
  /** Factors per status at asOf. */
  counts: Record<HealthStatus, number>;
  /** Every alert raised at a date <= asOf (one row per raise): by date, factor, rule. */
  alerts: Alert[];
  /** Rolling IC statistics at dates <= asOf: by factor, window, date. */
  rolling: RollingIcRow[];
  history: HealthTimeline;
}

/**
 * The monitored IC series: IC_f(s) of the direction-aligned factors (rank IC, horizon h) by factor
 * name, in `factors` order. Errors: MONITOR_NO_FACTORS (no factor in the study or an empty list),
 * MONITOR_UNKNOWN_FACTOR (a name the study did not compute).
 */
/**
 * The factor ids to monitor or weight: `factors` (default every factor the study computed).
 * Errors: MONITOR_NO_FACTORS (none), MONITOR_UNKNOWN_FACTOR (an id the study did not compute).
 */
export function studyFactorIds(study: FactorStudy, factors?: readonly string[]): string[] {
  const available = [...study.batch.results.keys()];
  const names = factors ? [...factors] : available;
  if (names.length === 0) {
    throw new RotationError('MONITOR_NO_FACTORS', `No factor in study "${study.dataset}"`,
      { dataset: study.dataset, available: available.length }, 'run factorStudy on a dataset with at least one available factor, or pass factor ids');
  }
  const unknown = names.filter((n) => !study.batch.results.has(n));
  if (unknown.length) {
    throw new RotationError('MONITOR_UNKNOWN_FACTOR', `Factor(s) not in study "${study.dataset}": ${unknown.join(', ')}`,
      { dataset: study.dataset, unknown, available }, 'pass ids of factors the study computed (study.batch.results)');
  }
  return names;
}

export function monitorIcs(study: FactorStudy, options: MonitorIcOptions = {}): Record<string, IcByDate> {
  const names = studyFactorIds(study, options.factors);
  return icByFactor(alignedFactors(study, names), study.forward, options.horizon ?? 1, { method: 'rank' });
}

/** `ics` cut to the dates <= the date at index a (copies). */
function truncate(ics: Readonly<Record<string, IcByDate>>, a: number): Record<string, IcByDate> {
  const out: Record<string, IcByDate> = {};
  for (const [f, ic] of Object.entries(ics)) {
    out[f] = { ...ic, dates: ic.dates.slice(0, a + 1), ic: ic.ic.slice(0, a + 1), n: ic.n.slice(0, a + 1) };
  }
  return out;
}

/**
 * Monitor report (module comment) from IC series that share their dates. Errors:
 * MONITOR_NO_FACTORS (empty `ics`), MONITOR_BAD_IC_SERIES (series on different dates),
 * MONITOR_UNKNOWN_DATE (asOf not a date of the series; the nearest dates are named),
 * MONITOR_BAD_ARGUMENT (bad rules or windows; rules.horizon different from `horizon`).
 */
export function monitorReportFromIcs(ics: Readonly<Record<string, IcByDate>>, options: MonitorReportOptions & { dataset?: string } = {}): MonitorReport {
  const factors = Object.keys(ics);
  const dataset = options.dataset ?? '';
  if (factors.length === 0) {
    throw new RotationError('MONITOR_NO_FACTORS', 'No IC series to monitor', { dataset }, 'pass at least one factor\'s IC series (monitorIcs)');
  }
  const dates = ics[factors[0]].dates;
  for (const f of factors) {
    const d = ics[f].dates;
    if (d.length !== dates.length || d.some((x, t) => x !== dates[t])) {
      throw new RotationError('MONITOR_BAD_IC_SERIES', `The IC series of "${f}" is not on the dates of "${factors[0]}"`,
        { factor: f, reference: factors[0], dates: d.length, referenceDates: dates.length }, 'compute every IC series against the same forward returns (monitorIcs / icByFactor)');
    }
  }
  if (dates.length === 0) {
    throw new RotationError('MONITOR_NO_DATES', 'The IC series have no dates', { dataset }, 'run the study on a dataset with at least one rebalance date');
  }
  const horizon = options.horizon ?? 1;
  if (options.rules?.horizon !== undefined && options.rules.horizon !== horizon) {
    throw new RotationError('MONITOR_BAD_ARGUMENT', `rules.horizon (${options.rules.horizon}) differs from the IC horizon (${horizon})`,
      { argument: 'rules.horizon' }, 'leave rules.horizon out: it is the IC horizon');
  }
  const rules = resolveRules({ ...options.rules, horizon });
  const asOf = options.asOf ?? dates[dates.length - 1];
  const a = dates.indexOf(asOf);
  if (a < 0) {
    const before = dates.filter((d) => d < asOf).pop(), after = dates.find((d) => d > asOf);
    throw new RotationError('MONITOR_UNKNOWN_DATE', `asOf ${asOf} is not a rebalance date of the study`,
      { asOf, dataset, first: dates[0], last: dates[dates.length - 1], previous: before ?? 'none', next: after ?? 'none' },
      `pass a rebalance date (month end) between ${dates[0]} and ${dates[dates.length - 1]}${before || after ? `, e.g. ${before ?? after}` : ''}`);
  }
  const cut = truncate(ics, a);
  const windows = options.windows ?? [12, 36];
  const health = factorHealth(cut, asOf, rules);
  const counts = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  for (const r of health) counts[r.status]++;
  return {
    dataset, asOf, horizon, factors, rules,
    windows: windows.map((w) => (w === 'expanding' ? 'expanding' : `${w}`)),
    health, counts,
    alerts: alertHistory(cut, rules),
    rolling: rollingIcTable(cut, { windows, horizon }),
    history: { dates: dates.slice(0, a + 1), status: healthHistory(cut, rules) },
  };
}

/**
 * Monitor report of a factor study as of `asOf` (default: its last rebalance date): the IC series
 * of `monitorIcs`, then `monitorReportFromIcs`. Pure: reads the study, writes nothing.
 */
export function monitorReport(study: FactorStudy, options: MonitorReportOptions = {}): MonitorReport {
  return monitorReportFromIcs(monitorIcs(study, options), { ...options, dataset: study.dataset });
}

/** Health counts as one row per status (display order), for tables. */
export function healthCountRows(report: MonitorReport): { status: HealthStatus; factors: number }[] {
  return HEALTH_STATUSES.map((status) => ({ status, factors: report.counts[status] }));
}

/** When a factor was first flagged on or after a date. */
export interface DetectionRow {
  factor: string;
  /** The reference date (e.g. the simulator's true switch-off date). */
  since: string;
  /** First rebalance date >= since. */
  firstDate: string;
  /** First date >= since with status weakening or failed ('' if never). */
  firstFlagged: string;
  /** First date >= since with status failed ('' if never). */
  firstFailed: string;
  /** Rebalance periods from firstDate to firstFlagged / firstFailed (NaN if never). */
  lagFlagged: number;
  lagFailed: number;
  /** Dates before `since` on which the factor was already weakening or failed (false alarms when `since` is a true break). */
  flaggedBefore: number;
  /** Status at the report date. */
  statusAsOf: HealthStatus;
}

/**
 * Detection of a break at `since`: with t_0 = first date index with d_t >= since,
 * lagFlagged = min{t >= t_0 : status_f(t) ∈ {weakening, failed}} − t_0 (periods), lagFailed
 * likewise for failed, flaggedBefore = #{t < t_0 : status_f(t) ∈ {weakening, failed}}.
 * Errors: MONITOR_UNKNOWN_FACTOR, MONITOR_UNKNOWN_DATE (since after the report date).
 */
export function detectionLag(report: MonitorReport, factor: string, since: string): DetectionRow {
  const st = report.history.status[factor];
  if (!st) {
    throw new RotationError('MONITOR_UNKNOWN_FACTOR', `Factor "${factor}" is not in the monitor report`, { factor, available: report.factors }, 'pass a monitored factor id');
  }
  const dates = report.history.dates;
  const t0 = dates.findIndex((d) => d >= since);
  if (t0 < 0) {
    throw new RotationError('MONITOR_UNKNOWN_DATE', `${since} is after the report date ${report.asOf}`, { since, asOf: report.asOf }, 'pass a date on or before the report date');
  }
  const flagged = (s: HealthStatus) => s === 'weakening' || s === 'failed';
  let tf = -1, tx = -1, before = 0;
  for (let t = 0; t < dates.length; t++) {
    if (t < t0) { if (flagged(st[t])) before++; continue; }
    if (tf < 0 && flagged(st[t])) tf = t;
    if (tx < 0 && st[t] === 'failed') tx = t;
  }
  return {
    factor, since, firstDate: dates[t0],
    firstFlagged: tf >= 0 ? dates[tf] : '', firstFailed: tx >= 0 ? dates[tx] : '',
    lagFlagged: tf >= 0 ? tf - t0 : NaN, lagFailed: tx >= 0 ? tx - t0 : NaN,
    flaggedBefore: before, statusAsOf: st[dates.length - 1],
  };
}

/** First date each factor was flagged (weakening or failed) and first failed, over the whole report: detectionLag since the first date. */
export function firstFlags(report: MonitorReport): DetectionRow[] {
  return report.factors.map((f) => detectionLag(report, f, report.history.dates[0]));
}

/** Alerts of the report, optionally only some factors and dates >= from (same order as report.alerts). */
export function alertRows(report: MonitorReport, filter: { factors?: readonly string[]; from?: string } = {}): Alert[] {
  const keep = filter.factors ? new Set(filter.factors) : null;
  return report.alerts.filter((a) => (!keep || keep.has(a.factor)) && (filter.from === undefined || a.date >= filter.from));
}

/** Alert counts per factor and rule over the report's history, with the first and last alert date ('' if none). */
export interface AlertSummaryRow {
  factor: string;
  'low-ic': number;
  'sign-flip': number;
  't-stat-drop': number;
  first: string;
  last: string;
}

/** One row per factor (factor order): #alerts of each rule at dates <= asOf, first and last alert dates. */
export function alertSummary(report: MonitorReport): AlertSummaryRow[] {
  const rows = new Map(report.factors.map((f) => [f, { factor: f, 'low-ic': 0, 'sign-flip': 0, 't-stat-drop': 0, first: '', last: '' } as AlertSummaryRow]));
  for (const a of report.alerts) {
    const r = rows.get(a.factor)!;
    r[a.alert]++;
    if (!r.first) r.first = a.date;
    r.last = a.date;
  }
  return [...rows.values()];
}

/** Rolling IC statistics at the report date, one row per factor and window: the columns mean and ICIR of each window. */
export function rollingAsOf(report: MonitorReport): Record<string, string | number>[] {
  const out = new Map<string, Record<string, string | number>>(report.factors.map((f) => [f, { factor: f }]));
  for (const r of report.rolling) {
    if (r.date !== report.asOf) continue;
    const row = out.get(r.factor)!;
    row[`meanIc ${r.window}`] = r.meanIc;
    row[`icir ${r.window}`] = r.icir;
    row[`t ${r.window}`] = r.tStat;
  }
  return [...out.values()];
}
