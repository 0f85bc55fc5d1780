/**
 * Plotly in notebooks and exported HTML, offline, compact.
 *
 * The plotly.js bundle (4.8 MB) is embedded once per notebook, gzip-compressed and base64-encoded
 * (≈2.0 MB), inside a script guarded by `if (!window.Plotly)` that inflates it with the browser's
 * DecompressionStream and runs it; each chart is a `<div>` plus a script that draws as soon as
 * `window.Plotly` exists. Figures are plain data (`Figure`): builders in figures.ts turn data into
 * specs, this module serializes them compactly:
 *   - numbers rounded to 4 significant digits (DEFAULT_DIGITS), NaN/±Infinity → null;
 *   - line traces with more than `maxPoints` (default 500) points downsampled (compactFigure:
 *     min/max per bucket, so peaks and troughs survive; stacked areas keep every k-th point);
 *   - an x array repeated across traces of one chart is written once (chartHtml).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../data/paths.js';
import { writeFileAtomic } from './csv.js';

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

/** Significant digits of every number in a serialized figure. */
export const DEFAULT_DIGITS = 4;

/** Line traces longer than this are downsampled (compactFigure). */
export const DEFAULT_MAX_POINTS = 500;

/**
 * base64(gzip level 9 of `text`), kept in `<project root>/.cache/plotly/<key>.b64` with key = 16 hex
 * of SHA-256(zlib version, level, text): compressing the 4.8 MB bundle costs ~0.1–0.2 CPU-s in
 * every process that writes a report, reading the kept copy a few milliseconds. zlib gives the
 * same bytes for the same input, level and version, so the output is unchanged. The file's first
 * line is the SHA-256 of the rest, checked on every read (a damaged or edited copy is compressed
 * and written again). Without a writable cache folder (or with ROTATION_PLOTLY_CACHE=0) it
 * compresses every time.
 */
function gzipBase64Cached(text: string): string {
  const compress = (): string => gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');
  if (process.env.ROTATION_PLOTLY_CACHE === '0') return compress();
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
  const key = createHash('sha256').update(`zlib ${process.versions.zlib} level 9\n`).update(text).digest('hex').slice(0, 16);
  const dir = path.join(projectRoot(), '.cache', 'plotly');
  const file = path.join(dir, `${key}.b64`);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8');
    const nl = kept.indexOf('\n');
    if (nl === 64 && kept.slice(0, nl) === sha(kept.slice(nl + 1))) return kept.slice(nl + 1);
  }
  const b64 = compress();
  try {
    writeFileAtomic(file, `${sha(b64)}\n${b64}`);
  } catch {
    // not writable: compress again next time
  }
  return b64;
}

/**
 * The `<script>` that defines `window.Plotly` from the local bundle, once per page: the bundle
 * gzip-compressed and base64-encoded, inflated in the browser (DecompressionStream('gzip')) and
 * run as an inline script; `if (!window.Plotly)` skips it when plotly is already there.
 * Byte-stable (gzip with mtime 0). Charts poll for window.Plotly, so the asynchronous load is safe.
 */
export function plotlyLibraryHtml(bundle = readFileSync(plotlyBundlePath(), 'utf8')): string {
  const b64 = gzipBase64Cached(bundle);
  return '<script type="text/javascript">if (!window.Plotly) {'
    + 'window.__rotationPlotly=window.__rotationPlotly||(function(){'
    + `var b="${b64}";`
    + 'var bin=atob(b),u=new Uint8Array(bin.length);for(var i=0;i<bin.length;i++)u[i]=bin.charCodeAt(i);'
    + 'if(typeof DecompressionStream==="undefined"){console.warn("plotly.js: this browser has no DecompressionStream; charts cannot be drawn");return null;}'
    + 'return new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(js){'
    + 'if(window.Plotly)return;var s=document.createElement("script");s.type="text/javascript";s.text=js;document.head.appendChild(s);});'
    + '})();}</script>';
}

/**
 * JSON for a figure: typed arrays become arrays, numbers are rounded to `digits` significant
 * decimals (smaller, byte-stable output), NaN/±Infinity become null (plotly's gap), and `<` is
 * escaped as \u003c so the JSON can sit inside a `<script>`.
 */
export function figureJson(fig: Figure | unknown, digits = DEFAULT_DIGITS): string {
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

export interface CompactOptions {
  /** Significant digits (default DEFAULT_DIGITS = 4). */
  digits?: number;
  /** Line traces with more points are downsampled (default DEFAULT_MAX_POINTS = 500). */
  maxPoints?: number;
}

function isLineTrace(t: Trace): boolean {
  const type = t.type ?? 'scatter';
  const mode = typeof t.mode === 'string' ? t.mode : 'lines';
  return (type === 'scatter' || type === 'scattergl') && mode.includes('lines');
}

function arrayOf(v: unknown): ArrayLike<unknown> | null {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<unknown>;
  return null;
}

/**
 * Indices kept when a line of n points is downsampled to about `maxPoints`:
 *   - stacked traces (`stackgroup`/`fill`), which must share x: every k-th point, k = ceil(n / maxPoints), and the last;
 *   - other lines: buckets of k = ceil(2n / maxPoints) consecutive points; from each the points of
 *     minimum and maximum y (in x order; the first point when the bucket is flat), plus one
 *     non-finite point when the bucket has any (a gap stays a gap); the first and last points always.
 * n <= maxPoints: every index.
 */
export function downsampleIndices(y: ArrayLike<unknown>, maxPoints = DEFAULT_MAX_POINTS, stacked = false): number[] {
  const n = y.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const keep: number[] = [];
  if (stacked) {
    const k = Math.ceil(n / maxPoints);
    for (let i = 0; i < n; i += k) keep.push(i);
    if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
    return keep;
  }
  const k = Math.ceil((2 * n) / maxPoints);
  for (let start = 0; start < n; start += k) {
    const end = Math.min(n, start + k);
    let lo = -1, hi = -1, gap = -1;
    for (let i = start; i < end; i++) {
      const v = y[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) { if (gap < 0) gap = i; continue; }
      if (lo < 0 || v < (y[lo] as number)) lo = i;
      if (hi < 0 || v > (y[hi] as number)) hi = i;
    }
    const picks = [lo, hi, gap].filter((i) => i >= 0);
    if (start === 0) picks.push(0);
    if (end === n) picks.push(n - 1);
    for (const i of Array.from(new Set(picks)).sort((a, b) => a - b)) keep.push(i);
  }
  return keep;
}

/**
 * A copy of the figure with every long line trace downsampled (downsampleIndices over its y; x,
 * y, text and customdata are sliced alike). Other traces and the layout are unchanged.
 */
export function compactFigure(fig: Figure, maxPoints = DEFAULT_MAX_POINTS): Figure {
  const data = fig.data.map((t) => {
    const y = arrayOf(t.y);
    if (!y || y.length <= maxPoints || !isLineTrace(t)) return t;
    const idx = downsampleIndices(y, maxPoints, t.stackgroup !== undefined || (typeof t.fill === 'string' && t.fill !== 'none'));
    const out: Trace = { ...t };
    for (const key of ['x', 'y', 'text', 'customdata', 'hovertext']) {
      const a = arrayOf(t[key]);
      if (a && a.length === y.length) out[key] = idx.map((i) => a[i]);
    }
    return out;
  });
  return { ...fig, data };
}

/**
 * Chart markup: a div and the script that draws into it once window.Plotly exists. The figure is
 * compacted (compactFigure, figureJson rounding) and an x array shared by several traces is
 * written once and reattached in the browser.
 */
export function chartHtml(fig: Figure, id: string, digits = DEFAULT_DIGITS, options: CompactOptions = {}): string {
  const config = { responsive: true, displaylogo: false, ...(fig.config ?? {}) };
  const height = typeof fig.layout?.height === 'number' ? fig.layout.height : 420;
  const compact = compactFigure(fig, options.maxPoints ?? DEFAULT_MAX_POINTS);
  const shared: string[] = [];
  const refs: number[] = [];
  const data = compact.data.map((t, k) => {
    if (!arrayOf(t.x)) return t;
    const xs = figureJson(Array.from(arrayOf(t.x)!), options.digits ?? digits);
    let j = shared.indexOf(xs);
    if (j < 0) { shared.push(xs); j = shared.length - 1; }
    refs[k] = j;
    const { x: _x, ...rest } = t;
    return rest;
  });
  const attach = refs.length ? `var X=[${shared.join(',')}],R=${JSON.stringify(refs)};R.forEach(function(j,k){if(j!==null)f.data[k].x=X[j];});` : '';
  return (
    `<div id="${id}" class="rotation-chart" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function(){var f=${figureJson({ data, layout: compact.layout ?? {} }, options.digits ?? digits)};` +
    attach +
    `var c=${figureJson(config, options.digits ?? digits)};` +
    `function draw(){if(window.Plotly){window.Plotly.newPlot(${JSON.stringify(id)},f.data,f.layout,c);}else{setTimeout(draw,50);}}draw();})();</script>`
  );
}

/** The plotly MIME bundle payload (`application/vnd.plotly.v1+json`) for a figure, compacted like chartHtml. */
export function plotlyMimePayload(fig: Figure, digits = DEFAULT_DIGITS, options: CompactOptions = {}): unknown {
  const compact = compactFigure(fig, options.maxPoints ?? DEFAULT_MAX_POINTS);
  return JSON.parse(figureJson({ data: compact.data, layout: compact.layout ?? {}, config: compact.config ?? {} }, options.digits ?? digits).replace(/\\u003c/g, '<'));
}
