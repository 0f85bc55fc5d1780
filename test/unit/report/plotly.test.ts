import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

test('plotlyLibraryHtml keeps the compressed bundle in .cache/plotly: the same bytes as compressing, read back, a damaged copy replaced, off with ROTATION_PLOTLY_CACHE=0', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plotly-cache-'));
  const prevRoot = process.env.ROTATION_PROJECT_ROOT, prevOff = process.env.ROTATION_PLOTLY_CACHE;
  const restore = (k: string, v: string | undefined) => { if (v === undefined) delete process.env[k]; else process.env[k] = v; };
  try {
    process.env.ROTATION_PROJECT_ROOT = root;
    const bundle = 'window.Plotly = {}; /* ' + 'y'.repeat(3000) + ' */';
    process.env.ROTATION_PLOTLY_CACHE = '0';
    const uncached = plotlyLibraryHtml(bundle);
    assert.throws(() => readdirSync(path.join(root, '.cache')), 'nothing written when off');
    delete process.env.ROTATION_PLOTLY_CACHE;
    assert.equal(plotlyLibraryHtml(bundle), uncached, 'first call: compressed and written');
    const dir = path.join(root, '.cache', 'plotly');
    const [file] = readdirSync(dir);
    assert.match(file, /^[0-9a-f]{16}\.b64$/);
    const kept = readFileSync(path.join(dir, file), 'utf8');
    assert.ok(uncached.includes(`var b="${kept.slice(65)}"`));
    assert.equal(plotlyLibraryHtml(bundle), uncached, 'read back');
    writeFileSync(path.join(dir, file), kept.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    assert.equal(plotlyLibraryHtml(bundle), uncached, 'an edited copy fails its checksum and is replaced');
    assert.equal(readFileSync(path.join(dir, file), 'utf8'), kept);
    writeFileSync(path.join(dir, file), 'not base64 <html>');
    assert.equal(plotlyLibraryHtml(bundle), uncached, 'a damaged copy is replaced');
    assert.equal(plotlyLibraryHtml(bundle + ' '), (() => { process.env.ROTATION_PLOTLY_CACHE = '0'; const h = plotlyLibraryHtml(bundle + ' '); delete process.env.ROTATION_PLOTLY_CACHE; return h; })(), 'another text, another key');
    assert.equal(readdirSync(dir).length, 2);
  } finally {
    restore('ROTATION_PROJECT_ROOT', prevRoot);
    restore('ROTATION_PLOTLY_CACHE', prevOff);
    rmSync(root, { recursive: true, force: true });
  }
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
