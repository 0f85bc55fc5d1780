import { test } from 'node:test';
import assert from 'node:assert/strict';
import { op } from 'arquero';
import { RotationError } from '../../../src/errors.js';
import { asTable, showTable } from '../../../src/report/show.js';
import type { MimeBundle } from '../../../src/report/notebook.js';

const rows = [
  { strategy: 'model', family: 'model', ir: 0.357 },
  { strategy: 'momentum', family: 'baseline', ir: 0.12 },
  { strategy: 'MVO', family: 'baseline', ir: -0.05 },
];

test('asTable: rows become an arquero table the next cell can filter, group and join', () => {
  const t = asTable(rows);
  assert.deepEqual(t.columnNames(), ['strategy', 'family', 'ir']);
  assert.equal(t.filter((d: { ir: number }) => d.ir > 0).numRows(), 2);
  const g = t.groupby('family').rollup({ n: op.count() }).orderby('family').objects();
  assert.deepEqual(g, [{ family: 'baseline', n: 2 }, { family: 'model', n: 1 }]);
  const j = t.join(asTable([{ strategy: 'model', cost: 10 }]), 'strategy').objects();
  assert.deepEqual(j, [{ strategy: 'model', family: 'model', ir: 0.357, cost: 10 }]);
  assert.equal(asTable(t), t, 'an arquero table passes through');
  assert.throws(() => asTable(42 as never), (e: unknown) => e instanceof RotationError && e.code === 'REPORT_NOT_A_TABLE');
});

test('showTable displays an HTML table (scrolling wrapper, fixed formats) and returns it', () => {
  const out: MimeBundle[] = [];
  const html = showTable(asTable(rows).filter((d: { ir: number }) => d.ir > 0), { formats: { ir: { digits: 2 } }, caption: 'IR > 0' }, (b) => out.push(b));
  assert.equal(out.length, 1);
  assert.equal(out[0]['text/html'], html);
  assert.match(html, /^<div class="rotation-table-wrap" style="overflow-x:auto/);
  assert.match(html, /<td style="text-align:right">0\.36<\/td>/);
  assert.ok(!html.includes('MVO'));
  assert.equal(out[0]['text/plain'], '(table: 2 rows x 3 columns: IR > 0)');
});
