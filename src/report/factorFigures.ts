/**
 * Figures of a factor report (data → plotly spec): IC series with cumulative IC, decay curve,
 * group mean returns, cumulative group wealth, group turnover, monthly IC heat map, correlations.
 */
import type { Figure } from './plotly.js';
import { heatmap } from './figures.js';
import type { FactorReport } from '../evaluate/report.js';
import type { CorrelationMatrix } from '../evaluate/correlation.js';

const layout = (title: string, extra: Record<string, unknown> = {}) => ({
  title: { text: title }, margin: { l: 60, r: 60, t: 50, b: 50 }, legend: { orientation: 'h', y: -0.15 }, ...extra,
});

/**
 * Rank IC per date (bars, upper panel) and its cumulative sum (line, lower panel), first horizon.
 * Two panels on one shared date axis instead of two y axes over each other: each panel has its
 * own labelled scale and zero line, so neither series is read against the other's ticks.
 */
export function icSeriesFigure(r: FactorReport): Figure {
  const h = r.horizons[0];
  const ic = Array.from(h.rankIc.ic);
  let s = 0;
  const cum = ic.map((v) => (Number.isNaN(v) ? s : (s += v)));
  return {
    data: [
      { type: 'bar', name: `rank IC (${h.horizon.label})`, x: h.rankIc.dates, y: ic, marker: { color: ic.map((v) => (v >= 0 ? '#2166ac' : '#b2182b')) } },
      { type: 'scatter', mode: 'lines', name: 'cumulative rank IC', x: h.rankIc.dates, y: cum, xaxis: 'x', yaxis: 'y2', line: { color: '#333' } },
    ],
    layout: layout(`${r.name}: rank IC per period (top) and its cumulative sum (bottom)`, {
      height: 520, showlegend: false,
      xaxis: { anchor: 'y2' },
      yaxis: { domain: [0.45, 1], title: { text: `rank IC (${h.horizon.label})` }, zeroline: true, zerolinecolor: '#888' },
      yaxis2: { domain: [0, 0.38], title: { text: 'cumulative rank IC' }, zeroline: true, zerolinecolor: '#888' },
    }),
  };
}

/** Mean rank IC of the factor at t against the one-period return k periods later, k = 0..K. */
export function decayFigure(r: FactorReport): Figure {
  return {
    data: [{ type: 'bar', name: 'mean rank IC', x: r.decay.lags.map((k) => `lag ${k}`), y: Array.from(r.decay.mean) }],
    layout: layout(`${r.name}: IC decay (mean rank IC at lag k)`, { yaxis: { title: { text: 'mean rank IC' } } }),
  };
}

/** Mean forward return of each group per horizon (grouped bars). */
export function groupReturnsFigure(r: FactorReport): Figure {
  return {
    data: r.horizons.map((h) => ({ type: 'bar', name: h.horizon.label, x: h.groupSummary.labels, y: Array.from(h.groupSummary.mean) })),
    layout: layout(`${r.name}: mean forward return by group`, { barmode: 'group', yaxis: { tickformat: '.1%' } }),
  };
}

/** Compounded wealth of each group and of top − bottom, first horizon, non-overlapping periods. */
export function cumulativeGroupsFigure(r: FactorReport): Figure {
  const c = r.horizons[0].cumulative;
  const G = c.labels.length;
  const data: Record<string, unknown>[] = c.labels.map((label, g) => ({
    type: 'scatter', mode: 'lines', name: label, x: c.dates, y: c.dates.map((_, s) => c.wealth[s * G + g]),
  }));
  data.push({ type: 'scatter', mode: 'lines', name: 'top − bottom', x: c.dates, y: Array.from(c.longShort), line: { dash: 'dot', color: '#000' } });
  return { data, layout: layout(`${r.name}: cumulative group returns (${r.horizons[0].horizon.label})`, { yaxis: { type: 'log' } }) };
}

/** Share of each group's names that are new since the previous date. */
export function groupTurnoverFigure(r: FactorReport): Figure {
  const t = r.turnover, G = t.labels.length;
  return {
    data: t.labels.map((label, g) => ({ type: 'scatter', mode: 'lines', name: label, x: t.dates, y: t.dates.map((_, k) => t.turnover[k * G + g]) })),
    layout: layout(`${r.name}: group turnover`, { yaxis: { tickformat: '.0%' } }),
  };
}

/** Monthly rank IC heat map (year x month). */
export function monthlyIcFigure(r: FactorReport): Figure {
  const h = r.heatmap;
  return heatmap(h.mean, h.months.map((m) => `M${m}`), h.years, { title: `${r.name}: rank IC by month`, zmin: -0.5, zmax: 0.5, zFormat: '.2f' });
}

/** Correlation matrix heat map. */
export function correlationFigure(m: CorrelationMatrix, title: string): Figure {
  return heatmap(m.matrix, m.names, m.names, { title, zmin: -1, zmax: 1, zFormat: '.2f' });
}
