/**
 * Summaries of loaded data for notebooks and the CLI: loss-report tables, calibration of the
 * simulator against real data, month-end index levels and market volume.
 */
import type { Panel } from '../panel/panel.js';
import { totalDropped, type LossReport } from './loss.js';
import type { CalibrationRow } from './simulator/calibration.js';
import { SCHEMAS, TABLE_NAMES } from './schema.js';

export interface LossRow extends Record<string, string | number | boolean> {
  stage: string;
  source: string;
  read: number;
  kept: number;
  dropped: number;
  reasons: string;
  balanced: boolean;
}

/** One row per loss report; `balanced` checks read = kept + dropped. */
export function lossReportRows(reports: readonly LossReport[]): LossRow[] {
  return reports.map((r) => {
    const d = totalDropped(r);
    const reasons = Object.entries(r.dropped).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `${k}: ${v}`).join('; ');
    return { stage: r.stage, source: r.source, read: r.rowsRead, kept: r.rowsKept, dropped: d, reasons, balanced: r.rowsRead === r.rowsKept + d };
  });
}

/** How an observation was lost (a column of the run-end loss summary). */
export type LossKind = 'dropped' | 'masked' | 'carried' | 'frozen' | 'cut' | 'flagged';

/**
 * The kind of a loss-report reason, read from its wording: "carried forward" → carried (backtest
 * gap policy), "frozen" → frozen, "after asOf" → cut (a requested cut), "masked" / "NaN" →
 * masked, anything else (row / line dropped, blank cell) → dropped.
 */
export function lossKind(reason: string): Exclude<LossKind, 'flagged'> {
  if (/carried forward/.test(reason)) return 'carried';
  if (/frozen/.test(reason)) return 'frozen';
  if (/ after asOf /.test(reason)) return 'cut';
  if (/masked|\(NaN|NaN\)|NaN;/.test(reason)) return 'masked';
  return 'dropped';
}

/** One row of the run-end loss summary: one (file or stage, reason), its count in its kind's column. */
export interface LossSummaryRow extends Record<string, string | number> {
  stage: string;
  source: string;
  reason: string;
  dropped: number;
  masked: number;
  carried: number;
  frozen: number;
  /** Rows after an explicit asOf (requested, not a loss). */
  cut: number;
  /** Kept but flagged (probable rebase, constant series). */
  flagged: number;
  /** count / rows read of that report (NaN when it read none). */
  share: number;
}

/**
 * The loss summary a run prints and writes at its end: one row per (report, reason) over the load
 * reports and the backtests' gap reports (`bt.gapLoss`), kinds in separate columns, flagged
 * observations included; a report with nothing lost gives one row with reason "" and zeros.
 * Identical reports are listed once (uniqueLossReports). Order: reports as given, reasons by
 * count descending then name.
 */
export function lossSummaryRows(reports: readonly LossReport[]): LossSummaryRow[] {
  const rows: LossSummaryRow[] = [];
  for (const r of uniqueLossReports(reports)) {
    const base = { stage: r.stage, source: r.source, dropped: 0, masked: 0, carried: 0, frozen: 0, cut: 0, flagged: 0 };
    const entries: [string, number, LossKind][] = [
      ...Object.entries(r.dropped).map(([k, n]) => [k, n, lossKind(k)] as [string, number, LossKind]),
      ...Object.entries(r.flagged ?? {}).map(([k, n]) => [k, n, 'flagged'] as [string, number, LossKind]),
    ];
    entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (entries.length === 0) rows.push({ ...base, reason: '', share: 0 });
    for (const [reason, n, kind] of entries) {
      const row: LossSummaryRow = { ...base, reason, share: r.rowsRead > 0 ? n / r.rowsRead : NaN };
      row[kind] = n;
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Side-by-side calibration: for each statistic the CALIBRATION.md target, the simulator and a real
 * dataset (NaN where the real dataset lacks the input, e.g. stock statistics for industry data).
 */
export function calibrationComparison(sim: readonly CalibrationRow[], real: readonly CalibrationRow[] = []): Record<string, string | number>[] {
  const realBy = new Map(real.map((r) => [r.statistic, r]));
  return sim.map((r) => {
    const scale = r.unit === '%' ? 100 : 1;
    const suffix = r.unit === '%' ? ' (%)' : '';
    return {
      statistic: r.statistic + suffix,
      target: r.target * scale,
      simulator: r.achieved * scale,
      real: (realBy.get(r.statistic)?.achieved ?? NaN) * scale,
    };
  });
}

/**
 * Month-end index levels rebased to 1 at each asset's first valid month end:
 * level[m, i] = close[m, i] / close[m0(i), i].
 */
export function rebasedMonthEnd(close: Panel): { dates: string[]; assets: string[]; levels: Float64Array[] } {
  const T = close.dates.length, N = close.assets.length;
  const idx: number[] = [];
  for (let t = 0; t < T; t++) if (t === T - 1 || close.dates[t + 1].slice(0, 7) !== close.dates[t].slice(0, 7)) idx.push(t);
  const levels = close.assets.map((_, i) => {
    const out = new Float64Array(idx.length).fill(NaN);
    let base = NaN;
    for (let m = 0; m < idx.length; m++) {
      // last valid close in the month at or before the month end
      let v = close.values[idx[m] * N + i];
      for (let t = idx[m]; Number.isNaN(v) && t > (m ? idx[m - 1] : -1); t--) v = close.values[t * N + i];
      if (!Number.isNaN(v) && Number.isNaN(base)) base = v;
      out[m] = Number.isNaN(base) ? NaN : v / base;
    }
    return out;
  });
  return { dates: idx.map((t) => close.dates[t]), assets: [...close.assets], levels };
}

/** Market volume: Σ_i volume[t, i] over assets with data, and its trailing `window`-day mean. */
export function marketVolume(volume: Panel, window = 20): { dates: string[]; total: Float64Array; average: Float64Array } {
  const T = volume.dates.length, N = volume.assets.length;
  const total = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0, c = 0;
    for (let i = 0; i < N; i++) { const v = volume.values[t * N + i]; if (!Number.isNaN(v)) { s += v; c++; } }
    total[t] = c ? s : NaN;
  }
  const average = new Float64Array(T).fill(NaN);
  let s = 0, c = 0;
  for (let t = 0; t < T; t++) {
    if (!Number.isNaN(total[t])) { s += total[t]; c++; }
    if (t >= window && !Number.isNaN(total[t - window])) { s -= total[t - window]; c--; }
    if (t >= window - 1 && c === window) average[t] = s / window;
  }
  return { dates: [...volume.dates], total, average };
}

/** One row per canonical table: title, number of fields, required fields, key, known-date column. */
export function schemaRows(): Record<string, string | number>[] {
  return TABLE_NAMES.map((name) => {
    const s = SCHEMAS[name];
    return {
      table: name, title: s.title, fields: s.fields.length,
      required: s.fields.filter((f) => f.required).map((f) => f.name).join(', '),
      key: s.key.join(', '), 'known on': s.knownDate,
    };
  });
}

/**
 * Drop repeated reports of the same load (same stage, source and counts), keeping the first: the
 * same file loaded by two loaders (e.g. CITIC constituents for the industry and the stock
 * datasets) is one loss, not two.
 */
export function uniqueLossReports(reports: readonly LossReport[]): LossReport[] {
  const seen = new Set<string>();
  return reports.filter((r) => {
    const key = JSON.stringify([r.stage, r.source, r.rowsRead, r.rowsKept, r.dropped]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
