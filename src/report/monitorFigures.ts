/**
 * Figures of the monitoring stage (data → plotly spec): rolling IC statistics per factor and
 * window, the health status timeline, and a factor's composite weight under static vs dynamic
 * weighting.
 */
import type { Figure } from './plotly.js';
import { heatmap, lineChart, type Series } from './figures.js';
import type { MonitorReport } from '../monitor/report.js';
import type { HealthStatus } from '../monitor/health.js';
import { factorWeightPath, type WeightSchedule } from '../combine/weights.js';

/** Statistic of the rolling IC table to plot. */
export type RollingStat = 'meanIc' | 'icir' | 'tStat';

const STAT_LABEL: Record<RollingStat, string> = { meanIc: 'mean rank IC', icir: 'ICIR (mean/std)', tStat: 't (ICIR·√n)' };

/**
 * Rolling `stat` of each factor and window of the report over time (only the ICs known at each
 * date): one line per factor x window, the longer windows dashed.
 */
export function rollingIcFigure(report: MonitorReport, factors: readonly string[], stat: RollingStat = 'meanIc', title?: string): Figure {
  const series: (Series & { dash: boolean })[] = [];
  for (const f of factors) {
    report.windows.forEach((w, k) => {
      const rows = report.rolling.filter((r) => r.factor === f && r.window === w);
      series.push({ name: `${f} ${w === 'expanding' ? 'expanding' : `${w}M`}`, x: rows.map((r) => r.date), y: rows.map((r) => r[stat]), dash: k > 0 });
    });
  }
  const fig = lineChart(series, { title: title ?? `${report.dataset}: rolling ${STAT_LABEL[stat]} (${report.windows.map((w) => (w === 'expanding' ? w : `${w}M`)).join(', ')})`, yTitle: STAT_LABEL[stat] });
  fig.data.forEach((tr, i) => { tr.line = { dash: series[i].dash ? 'dash' : 'solid' }; });
  return fig;
}

const STATUS_CODE: Record<HealthStatus, number> = { healthy: 0, weakening: 1, failed: 2, stale: 3, warmup: NaN };

/**
 * Health status of every factor (rows) at every date (columns): healthy green, weakening amber,
 * failed red, stale grey, warm-up blank.
 */
export function healthTimelineFigure(report: MonitorReport, factors: readonly string[] = report.factors, title?: string): Figure {
  const z = factors.map((f) => Float64Array.from(report.history.status[f], (s) => STATUS_CODE[s]));
  const fig = heatmap(z, report.history.dates, factors, {
    title: title ?? `${report.dataset}: factor health by month (green healthy, amber weakening, red failed, grey stale, blank warm-up)`,
    colorscale: [[0, '#1a9850'], [0.25, '#1a9850'], [0.25, '#fdae61'], [0.5, '#fdae61'], [0.5, '#d73027'], [0.75, '#d73027'], [0.75, '#bdbdbd'], [1, '#bdbdbd']], zmin: -0.5, zmax: 3.5,
  });
  (fig.data[0] as Record<string, unknown>).showscale = false;
  return fig;
}

/** Weight w_f(t) of each factor in the composite under static (ICIR) and dynamic (health-shrunk) weighting. */
export function weightPathFigure(cmp: { static: WeightSchedule; dynamic: WeightSchedule }, factors: readonly string[], title?: string): Figure {
  const series: Series[] = [];
  for (const f of factors) {
    series.push({ name: `${f} static ICIR`, x: cmp.static.dates, y: factorWeightPath(cmp.static, f) });
    series.push({ name: `${f} dynamic`, x: cmp.dynamic.dates, y: factorWeightPath(cmp.dynamic, f) });
  }
  return lineChart(series, { title: title ?? 'Composite weight of the factor: static vs dynamic (Σ|w| = 1 per date)', yTitle: 'weight', yFormat: '.1%' });
}
