/**
 * The turnover frontier chart: excess after costs (y) against annual one-way turnover (x), one
 * line with markers per swept family (turnover budget, holding buffer), each point labelled, and
 * single markers for the baselines. Data in, plotly spec out (figures.ts conventions).
 */
import type { Figure } from './plotly.js';

/** A point of the chart (the fields of src/studies/frontier.ts FrontierPoint it reads). */
export interface FrontierChartPoint {
  family: string;
  label: string;
  turnover: number;
  excess: number;
}

const SYMBOLS = ['circle', 'square', 'diamond', 'triangle-up', 'x', 'star', 'cross', 'pentagon'];

/** Frontier chart (module comment); families keep their first-seen order, baselines are one trace each. */
export function frontierChart(points: readonly FrontierChartPoint[], options: { title?: string; sweptFamilies?: readonly string[] } = {}): Figure {
  const swept = options.sweptFamilies ?? ['turnover budget', 'holding buffer'];
  const data: Record<string, unknown>[] = [];
  for (const fam of swept) {
    const ps = points.filter((p) => p.family === fam).slice().sort((a, b) => a.turnover - b.turnover);
    if (ps.length === 0) continue;
    data.push({ type: 'scatter', mode: 'lines+markers+text', name: fam, x: ps.map((p) => p.turnover), y: ps.map((p) => p.excess), text: ps.map((p) => p.label), textposition: 'top center' });
  }
  points.filter((p) => !swept.includes(p.family)).forEach((p, i) => {
    data.push({ type: 'scatter', mode: 'markers', name: p.label, x: [p.turnover], y: [p.excess], marker: { size: 11, symbol: SYMBOLS[i % SYMBOLS.length] } });
  });
  return {
    data,
    layout: {
      ...(options.title ? { title: { text: options.title } } : {}),
      margin: { l: 60, r: 20, t: options.title ? 50 : 20, b: 50 },
      legend: { orientation: 'h', y: -0.2 },
      xaxis: { title: { text: 'turnover (annual, one-way)' }, tickformat: '.0%' },
      yaxis: { title: { text: 'excess over equal weight after costs (annual)' }, tickformat: '.1%' },
    },
  };
}
