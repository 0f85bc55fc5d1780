import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { chartHtml, compactFigure, downsampleIndices, plotlyLibraryHtml, plotlyMimePayload } from '../../../src/report/plotly.js';
import { lineChart, stackedAreaChart } from '../../../src/report/figures.js';

test('plotlyLibraryHtml: the bundle gzip+base64 inside one window.Plotly guard, byte-stable, and it inflates back to the bundle', () => {
  const bundle = 'window.Plotly = { newPlot: function () {} }; /* ' + 'x'.repeat(5000) + ' */';
  const html = plotlyLibraryHtml(bundle);
  assert.equal(html, plotlyLibraryHtml(bundle), 'byte-stable');
  assert.ok(html.length < bundle.length, 'compressed');
  const b64 = /var b="([A-Za-z0-9+/=]+)"/.exec(html)![1];
  assert.equal(gunzipSync(Buffer.from(b64, 'base64')).toString('utf8'), bundle);
  assert.equal(html.split('if (!window.Plotly)').length - 1, 1);
  assert.match(html, /DecompressionStream\("gzip"\)/);
});

test('downsampleIndices: short series untouched; min and max of every bucket kept, first and last kept; stacked: every k-th', () => {
  assert.deepEqual(downsampleIndices([1, 2, 3], 10), [0, 1, 2]);
  // 20 points into maxPoints 10 → buckets of k = 4
  const y = [0, 5, -3, 1, /**/ 2, 2, 2, 2, /**/ 9, 0, 1, 8, /**/ 1, NaN, 3, 2, /**/ 4, 4, 7, 1];
  assert.deepEqual(downsampleIndices(y, 10), [0, 1, 2, 4, 8, 9, 12, 13, 14, 18, 19]);
  assert.deepEqual(downsampleIndices(y, 10, true), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 19]);
  const long = Float64Array.from({ length: 2446 }, (_, i) => Math.sin(i / 50) + (i === 1234 ? 10 : 0));
  const idx = downsampleIndices(long, 1000);
  assert.ok(idx.length <= 1000 + 2, `${idx.length} points`);
  assert.ok(idx.includes(1234), 'the spike survives');
  assert.equal(idx[0], 0);
  assert.equal(idx[idx.length - 1], 2445);
});

test('compactFigure slices x and y alike for long lines only; chartHtml writes a shared x once and rounds to 4 digits', () => {
  const x = Array.from({ length: 3000 }, (_, i) => `d${i}`);
  const fig = lineChart([{ name: 'a', x, y: Float64Array.from(x, (_, i) => i / 7) }, { name: 'b', x, y: Float64Array.from(x, (_, i) => -i / 7) }]);
  const c = compactFigure(fig, 1000);
  const t0 = c.data[0] as { x: string[]; y: number[] };
  assert.ok(t0.x.length <= 1002 && t0.x.length === t0.y.length);
  assert.equal(t0.x[t0.x.length - 1], 'd2999');
  assert.equal(t0.y[1] * 7, Number(t0.x[1].slice(1)), 'x and y stay paired');
  const html = chartHtml(fig, 'c1');
  assert.equal(html.split('"d2999"').length - 1, 1, 'the shared x array is written once');
  assert.ok(!/\d\.\d{5,}/.test(html.replace(/"d\d+"/g, '')), 'no number with more than 4 significant digits');
  const stacked = compactFigure(stackedAreaChart([{ name: 'A', x, y: new Float64Array(3000).fill(0.5) }, { name: 'B', x, y: new Float64Array(3000).fill(0.5) }]), 1000);
  assert.deepEqual((stacked.data[0] as { x: string[] }).x, (stacked.data[1] as { x: string[] }).x, 'stacked traces keep a common x');
  const payload = plotlyMimePayload(fig) as { data: { x: string[] }[] };
  assert.ok(payload.data[0].x.length <= 1002, 'the MIME payload is compacted too');
});

test('legend names: codes become names where the map has them', () => {
  const fig = stackedAreaChart([{ name: 'CI005001.WI', x: ['a'], y: [1] }, { name: 'X', x: ['a'], y: [0] }], { names: { 'CI005001.WI': '石油石化' } });
  assert.deepEqual(fig.data.map((t) => t.name), ['石油石化', 'X']);
});
