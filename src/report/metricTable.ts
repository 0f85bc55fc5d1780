/**
 * Metric tables for display: each metric formatted by its unit (fractions as %, ratios and t
 * with 2 decimals, probabilities with 3), one row per metric of the conventions table.
 */
import { METRIC_DEFINITIONS, type MetricKey } from '../metrics/conventions.js';
import type { PerformanceSummary } from '../metrics/tables.js';
import { formatCell } from './table.js';

/** How a metric is formatted in tables: fractions as %, ratios and t with 2 decimals, probabilities with 3. */
export function formatMetric(key: MetricKey, value: number): string {
  const d = METRIC_DEFINITIONS.find((x) => x.key === key)!;
  if (d.unit === 'fraction') return formatCell(value, { percent: true, digits: 2 });
  if (d.unit === 'probability') return formatCell(value, { digits: 3 });
  return formatCell(value, { digits: 2 });
}

/**
 * Metric table rows for display: one row per metric (label, then one formatted cell per summary),
 * in conventions-table order; a NaN cell shows "–" and its reason goes to the `Note` column.
 */
export function metricTableRows(summaries: readonly PerformanceSummary[], keys?: readonly MetricKey[]): Record<string, string>[] {
  const chosen = METRIC_DEFINITIONS.filter((d) => d.kind === 'metric' && (!keys || keys.includes(d.key as MetricKey)));
  return chosen.map((d) => {
    const k = d.key as MetricKey;
    const row: Record<string, string> = { Metric: d.label };
    const notes: string[] = [];
    for (const s of summaries) {
      row[s.name] = formatMetric(k, s.values[k]);
      const why = s.reasons[k];
      if (why && Number.isNaN(s.values[k]) && !notes.includes(why)) notes.push(why);
    }
    row.Note = notes.join('; ');
    return row;
  });
}
