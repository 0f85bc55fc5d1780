import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportConclusion, reportIndexEntry, reportIndexHtml, reportTitle } from '../../../src/report/reportIndex.js';

const page = (body: string, title = '03 · Factor testing') => `<!DOCTYPE html><html><head><title>${title}</title></head><body>${body}</body></html>`;

test('reportConclusion: the rotation-conclusion div first, then the "What the data says" section, else empty', () => {
  assert.equal(reportConclusion(page('<div class="rotation-conclusion" style="x"><strong>What the data says.</strong> Momentum &amp; value lead.</div><h2>What the data says</h2><p>other</p>')),
    'What the data says. Momentum & value lead.');
  assert.equal(reportConclusion(page('<h2 id="What-the-data-says">What the data says<a class="anchor-link" href="#What-the-data-says">¶</a></h2><p>IC of <b>0.05</b>, t 3.1.</p><ul><li>holds OOS</li></ul><h2>Next</h2><p>no</p>')),
    'IC of 0.05 , t 3.1. holds OOS');
  assert.equal(reportConclusion(page('<h2>Other</h2><p>text</p>')), '');
  assert.ok(reportConclusion(page(`<div class="rotation-conclusion">${'word '.repeat(200)}</div>`)).length <= 402);
});

test('reportTitle and the index page: one linked item per report, conclusion when present, escaped', () => {
  assert.equal(reportTitle(page('', 'Notebook'), '01_x.html'), '01_x');
  assert.equal(reportTitle(page(''), '03_x.html'), '03 · Factor testing');
  const e1 = reportIndexEntry('03_factor testing.html', page('<div class="rotation-conclusion">A &lt; B</div>'), 2_400_000);
  const e2 = reportIndexEntry('05_b.html', page('', '05 &lt;b&gt;'), 1_000_000);
  const html = reportIndexHtml([e1, e2]);
  assert.equal(html.split('<li>').length - 1, 2);
  assert.match(html, /<a href="03_factor%20testing\.html">03 · Factor testing<\/a> <span class="size">\(2\.4 MB\)<\/span><p>A &lt; B<\/p><\/li>/);
  assert.match(html, /<a href="05_b\.html">05 &lt;b&gt;<\/a> <span class="size">\(1\.0 MB\)<\/span><\/li>/);
});
