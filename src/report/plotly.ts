/**
 * Plotly in notebooks and exported HTML, offline.
 *
 * The plotly.js bundle is embedded once per notebook as an inline script guarded by
 * `if (!window.Plotly)`; each chart is a `<div>` plus a `Plotly.newPlot(...)` call. Figures are
 * plain data (`Figure`): builders in figures.ts turn data into specs, this module serializes them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../data/paths.js';

export type Trace = Record<string, unknown>;

export interface Figure {
  data: Trace[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** Absolute path of the plotly.js-dist-min bundle, resolved from the project root (`projectRoot`). */
export function plotlyBundlePath(): string {
  const req = createRequire(path.join(projectRoot(), 'noop.js'));
  return req.resolve('plotly.js-dist-min/plotly.min.js');
}

/** Make text safe inside an inline `<script>`: no `</script`, no `<!--`. */
export function escapeForScript(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

/**
 * The `<script>` that defines `window.Plotly` from the local bundle (≈4.8 MB), once per page:
 * `<script>if (!window.Plotly) { …bundle… }</script>`.
 */
export function plotlyLibraryHtml(bundle = readFileSync(plotlyBundlePath(), 'utf8')): string {
  return `<script type="text/javascript">if (!window.Plotly) {\n${escapeForScript(bundle)}\n}</script>`;
}

/**
 * JSON for a figure: typed arrays become arrays, numbers are rounded to `digits` significant
 * decimals (smaller, byte-stable output), NaN/±Infinity become null (plotly's gap), and `<` is
 * escaped as \u003c so the JSON can sit inside a `<script>`.
 */
export function figureJson(fig: Figure | unknown, digits = 6): string {
  const json = JSON.stringify(fig, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (v) => roundOrNull(v, digits));
    if (typeof value === 'number') return roundOrNull(value, digits);
    return value;
  });
  return json.replace(/</g, '\\u003c');
}

function roundOrNull(v: number, digits: number): number | null {
  if (!Number.isFinite(v)) return null;
  if (v === 0 || Number.isInteger(v)) return v;
  return Number(v.toPrecision(digits));
}

/** Chart markup: a div and the script that draws into it (expects window.Plotly present). */
export function chartHtml(fig: Figure, id: string, digits = 6): string {
  const config = { responsive: true, displaylogo: false, ...(fig.config ?? {}) };
  const height = typeof fig.layout?.height === 'number' ? fig.layout.height : 420;
  return (
    `<div id="${id}" class="rotation-chart" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function(){var f=${figureJson({ data: fig.data, layout: fig.layout ?? {} }, digits)};` +
    `var c=${figureJson(config, digits)};` +
    `function draw(){if(window.Plotly){window.Plotly.newPlot(${JSON.stringify(id)},f.data,f.layout,c);}else{setTimeout(draw,50);}}draw();})();</script>`
  );
}

/** The plotly MIME bundle payload (`application/vnd.plotly.v1+json`) for a figure. */
export function plotlyMimePayload(fig: Figure, digits = 6): unknown {
  return JSON.parse(figureJson({ data: fig.data, layout: fig.layout ?? {}, config: fig.config ?? {} }, digits).replace(/\\u003c/g, '<'));
}
