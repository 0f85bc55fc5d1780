import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chartHtml, escapeForScript, figureJson, plotlyLibraryHtml } from '../../../src/report/plotly.js';
import { formatCell, htmlTable, markdownTable } from '../../../src/report/table.js';
import { keyResultsDir, writeKeyResults } from '../../../src/report/keyResults.js';
import { openNotebook } from '../../../src/report/notebook.js';
import { lineChart, heatmap } from '../../../src/report/figures.js';

test('figureJson: typed arrays become arrays, NaN/Infinity become null, < is escaped, numbers rounded', () => {
  const json = figureJson({ data: [{ y: new Float64Array([1, NaN, Infinity, 0.123456789]), name: '</script><b>' }] }, 4);
  assert.ok(!json.includes('<'));
  const back = JSON.parse(json);
  assert.deepEqual(back.data[0].y, [1, null, null, 0.1235]);
  assert.equal(back.data[0].name, '</script><b>');
});

test('escapeForScript removes </script and <!-- sequences', () => {
  const s = escapeForScript('a</script>b<!--c</SCRIPT>');
  assert.ok(!/<\/script/i.test(s));
  assert.ok(!s.includes('<!--'));
});

test('plotlyLibraryHtml embeds the bundle once behind a window.Plotly guard', () => {
  const html = plotlyLibraryHtml('var Plotly = {};');
  assert.match(html, /^<script type="text\/javascript">if \(!window\.Plotly\) \{/);
  assert.ok(html.endsWith('}</script>'));
});

test('chartHtml: div with the id and a newPlot call for it', () => {
  const html = chartHtml(lineChart([{ name: 's', x: ['2024-01-31'], y: [1] }]), 'c1');
  assert.match(html, /<div id="c1"/);
  assert.match(html, /newPlot\("c1"/);
});

test('formatCell and tables: fixed digits, percent, missing as a dash, no negative zero', () => {
  assert.equal(formatCell(0.05312, { percent: true, digits: 2 }), '5.31%');
  assert.equal(formatCell(NaN), '–');
  assert.equal(formatCell(-0.00001, { digits: 2 }), '0.00');
  assert.equal(formatCell(12), '12');
  const rows = [{ a: 'x|y', b: 1.5 }];
  assert.equal(markdownTable(rows, { formats: { b: { digits: 2 } } }), '| a | b |\n| --- | ---: |\n| x\\|y | 1.50 |');
  assert.match(htmlTable([{ a: '<b>' }]), /&lt;b&gt;/);
});

test('writeKeyResults is byte-stable and reports whether the file changed', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kr-'));
  const sections = [{ title: 'Headline', rows: [{ metric: 'rank IC', value: 0.0531 }], options: { formats: { value: { percent: true, digits: 2 } } } }];
  const a = writeKeyResults('01_test', sections, root);
  const first = readFileSync(path.join(root, a.file), 'utf8');
  const b = writeKeyResults('01_test', sections, root);
  assert.equal(a.changed, true);
  assert.equal(b.changed, false);
  assert.equal(readFileSync(path.join(root, b.file), 'utf8'), first);
  assert.match(first, /\| rank IC \| 5\.31% \|/);
  assert.throws(() => writeKeyResults('../evil', sections, root));
});

test('NotebookSession: plotly loaded once, deterministic chart ids, MIME bundle with html and plotly json', () => {
  const nb = openNotebook('01_x', { sink: () => {}, root: mkdtempSync(path.join(os.tmpdir(), 'nb-')) });
  nb.chart(lineChart([{ name: 'a', x: [1, 2], y: [1, 2] }]));
  nb.chart(heatmap([[1, 2]], ['m1', 'm2'], ['A']), { title: 'cov' });
  const scripts = nb.outputs.filter((o) => String(o['text/html']).includes('if (!window.Plotly)'));
  assert.equal(scripts.length, 1);
  const charts = nb.outputs.filter((o) => 'application/vnd.plotly.v1+json' in o);
  assert.equal(charts.length, 2);
  assert.match(String(charts[1]['text/html']), /id="chart-01_x-2"/);
  nb.keyResult({ title: 'T', rows: [{ k: 'v' }] });
  const saved = nb.saveKeyResults();
  assert.equal(saved.file, path.join('docs', 'results', '01_x.md'));
});

test('writeKeyResults honours ROTATION_RESULTS_DIR (the reproduce check writes to a scratch folder, never docs/results)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kr-env-'));
  const before = process.env.ROTATION_RESULTS_DIR;
  process.env.ROTATION_RESULTS_DIR = 'scratch/results';
  try {
    assert.equal(keyResultsDir(root), path.join(root, 'scratch', 'results'));
    const out = writeKeyResults('01_env', [{ title: 'T', rows: [{ k: 1 }] }], root);
    assert.equal(out.file, path.join('scratch', 'results', '01_env.md'));
    assert.ok(!existsSync(path.join(root, 'docs', 'results')), 'docs/results not created');
  } finally {
    if (before === undefined) delete process.env.ROTATION_RESULTS_DIR; else process.env.ROTATION_RESULTS_DIR = before;
  }
  assert.equal(keyResultsDir(root), path.join(root, 'docs', 'results'));
});

test('htmlTable wraps the table in a horizontally scrolling div', () => {
  assert.match(htmlTable([{ a: 1 }]), /^<div class="rotation-table-wrap" style="overflow-x:auto;max-width:100%"><table class="rotation-table">/);
});

test('NotebookSession.conclusion and header: the markup the report index and readers rely on', () => {
  const nb = openNotebook('01_y', { sink: () => {}, root: mkdtempSync(path.join(os.tmpdir(), 'nb-')) });
  nb.conclusion('Momentum & value lead.');
  nb.header({ dataset: 'simulator(seed=7)', commit: 'abc1234' });
  assert.match(String(nb.outputs[0]['text/html']), /^<div class="rotation-conclusion"[^>]*><strong>What the data says\.<\/strong> Momentum &amp; value lead\.<\/div>$/);
  assert.match(String(nb.outputs[1]['text/html']), /class="rotation-report-header"[\s\S]*abc1234/);
});

test('NotebookSession.tables: every displayed table is kept as an arquero table to query, keyed by its caption', () => {
  const nb = openNotebook('01_z', { sink: () => {}, root: mkdtempSync(path.join(os.tmpdir(), 'nb-')) });
  nb.table([{ strategy: 'a', t: 2.5 }, { strategy: 'b', t: 0.4 }], { caption: 'significance' });
  nb.table([{ x: 1 }]);
  const t = nb.tables.get('significance')!;
  assert.equal(t.numRows(), 2);
  assert.deepEqual(t.filter((d: { t: number }) => d.t > 2).objects(), [{ strategy: 'a', t: 2.5 }]);
  assert.equal(nb.tables.get('table 2')!.numRows(), 1);
});
