/**
 * Figure builders: data in, plotly spec out. No rendering, no I/O.
 */
import type { Figure } from './plotly.js';

export interface Series {
  name: string;
  x: readonly (string | number)[];
  y: ArrayLike<number>;
}

/**
 * Legend text of a series: `names[name]` when given (industry code → industry name, strategy id →
 * strategy label, "state 0" → a labelled regime), else the name itself.
 */
export function legendName(name: string, names?: Readonly<Record<string, string>>): string {
  return names && Object.prototype.hasOwnProperty.call(names, name) ? names[name] : name;
}

/** Display names for codes: `names` option of the chart builders (e.g. industryNames(ds.industries)). */
export type LegendNames = Readonly<Record<string, string>>;

/** Code → name map of industries (or anything with `code` and `name`), for the `names` option. */
export function industryNames(industries: readonly { code: string; name: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of industries) out[i.code] = i.name;
  return out;
}

const baseLayout = (title?: string, extra: Record<string, unknown> = {}) => ({
  ...(title ? { title: { text: title } } : {}),
  margin: { l: 60, r: 20, t: title ? 50 : 20, b: 50 },
  legend: { orientation: 'h', y: -0.15 },
  template: undefined,
  ...extra,
});

/** Line chart of one or more series sharing an x axis type (dates or numbers). */
export function lineChart(series: readonly Series[], options: { title?: string; yTitle?: string; yFormat?: string; logY?: boolean; names?: LegendNames } = {}): Figure {
  return {
    data: series.map((s) => ({ type: 'scatter', mode: 'lines', name: legendName(s.name, options.names), x: [...s.x], y: Array.from(s.y) })),
    layout: baseLayout(options.title, {
      yaxis: { title: { text: options.yTitle ?? '' }, tickformat: options.yFormat, type: options.logY ? 'log' : 'linear' },
    }),
  };
}

/** Bar chart; several series become grouped bars. */
export function barChart(series: readonly Series[], options: { title?: string; yTitle?: string; yFormat?: string; horizontal?: boolean; names?: LegendNames } = {}): Figure {
  return {
    data: series.map((s) => (options.horizontal
      ? { type: 'bar', orientation: 'h', name: legendName(s.name, options.names), y: [...s.x], x: Array.from(s.y) }
      : { type: 'bar', name: legendName(s.name, options.names), x: [...s.x], y: Array.from(s.y) })),
    layout: baseLayout(options.title, { barmode: 'group', yaxis: { title: { text: options.yTitle ?? '' }, tickformat: options.yFormat } }),
  };
}

/** Heat map of z[row][col] with row labels y and column labels x. */
export function heatmap(
  z: readonly ArrayLike<number>[],
  x: readonly (string | number)[],
  y: readonly (string | number)[],
  options: { title?: string; colorscale?: string | unknown[]; zmin?: number; zmax?: number; zFormat?: string; height?: number } = {},
): Figure {
  return {
    data: [{
      type: 'heatmap', z: z.map((r) => Array.from(r)), x: [...x], y: [...y],
      colorscale: options.colorscale ?? 'RdBu', zmin: options.zmin, zmax: options.zmax,
      hoverongaps: false, colorbar: { tickformat: options.zFormat },
    }],
    layout: baseLayout(options.title, { height: options.height ?? Math.max(300, 18 * y.length + 120), yaxis: { automargin: true, autorange: 'reversed' } }),
  };
}

/**
 * Coverage heat map: rows = assets (labelled "code name"), columns = months, cell = share of the
 * month's trading days with data (0 white .. 1 dark).
 */
export function coverageHeatmap(
  coverage: { months: readonly string[]; assets: readonly string[]; share: readonly ArrayLike<number>[] },
  names: Record<string, string> = {},
  title = 'Data coverage: share of trading days with a close',
): Figure {
  const labels = coverage.assets.map((a) => (names[a] ? `${a} ${names[a]}` : a));
  return heatmap(coverage.share, coverage.months, labels, {
    title, colorscale: [[0, '#f7fbff'], [1, '#08306b']], zmin: 0, zmax: 1, zFormat: '.0%',
  });
}

/**
 * Histograms side by side, one panel per value set with its own x axis (probability density):
 * for before/after comparisons whose scales differ (raw factor vs z-score).
 */
export function histogramPanels(series: readonly { name: string; values: ArrayLike<number> }[], options: { title?: string; nbins?: number } = {}): Figure {
  const n = series.length;
  const layout: Record<string, unknown> = baseLayout(options.title, { grid: { rows: 1, columns: n, pattern: 'independent' }, showlegend: false });
  const data = series.map((s, k) => {
    const ax = k === 0 ? '' : String(k + 1);
    layout[`xaxis${ax}`] = { title: { text: s.name } };
    return { type: 'histogram', name: s.name, x: Array.from(s.values), histnorm: 'probability density', nbinsx: options.nbins ?? 60, xaxis: `x${ax}`, yaxis: `y${ax}` };
  });
  return { data, layout };
}

/**
 * Stacked area chart: series k is drawn on top of series 0..k−1 (plotly `stackgroup`), e.g.
 * portfolio weights over time, whose stack sums to 1 at every date.
 */
export function stackedAreaChart(series: readonly Series[], options: { title?: string; yTitle?: string; yFormat?: string; height?: number; names?: LegendNames } = {}): Figure {
  return {
    data: series.map((s) => ({
      type: 'scatter', mode: 'lines', name: legendName(s.name, options.names), x: [...s.x], y: Array.from(s.y), stackgroup: 'one', line: { width: 0.5 },
    })),
    layout: baseLayout(options.title, {
      ...(options.height ? { height: options.height } : {}),
      yaxis: { title: { text: options.yTitle ?? '' }, tickformat: options.yFormat },
    }),
  };
}

/**
 * Mark a date on a time-series figure: a dotted vertical line at x = `date` across the plot
 * (yref 'paper') with a text label at the top. Returns a new figure; the input is not changed.
 */
export function markDate(fig: Figure, date: string, label: string): Figure {
  const layout = { ...(fig.layout ?? {}) } as Record<string, unknown>;
  const shapes = Array.isArray(layout.shapes) ? [...(layout.shapes as unknown[])] : [];
  const annotations = Array.isArray(layout.annotations) ? [...(layout.annotations as unknown[])] : [];
  shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: date, x1: date, y0: 0, y1: 1, line: { dash: 'dot', width: 1, color: '#555' } });
  annotations.push({ x: date, y: 1, xref: 'x', yref: 'paper', text: label, showarrow: false, xanchor: 'left', yanchor: 'bottom', font: { size: 11 } });
  return { ...fig, layout: { ...layout, shapes, annotations } };
}
