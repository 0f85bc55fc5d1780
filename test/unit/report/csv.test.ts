/**
 * panelsToLongCsv: the same text as toCsv over the long rows it stands for (the definition in its
 * doc comment), built here the slow way.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { createRng } from '../../../src/random.js';
import { panelsToLongCsv, toCsv } from '../../../src/report/csv.js';

/** The definition: one row object per kept cell, then toCsv. */
function longRowsCsv(blocks: { panel: Panel; fixed?: Record<string, string> }[], columns: string[], valueColumn: string, assetColumn: string, positiveOnly: boolean, digits?: number): string {
  const rows: Record<string, string | number>[] = [];
  for (const { panel, fixed = {} } of blocks) {
    const N = panel.assets.length;
    for (let t = 0; t < panel.dates.length; t++) {
      for (let i = 0; i < N; i++) {
        const v = panel.values[t * N + i];
        if (Number.isNaN(v) || (positiveOnly && !(v > 0))) continue;
        rows.push({ ...fixed, date: panel.dates[t], [assetColumn]: panel.assets[i], [valueColumn]: v });
      }
    }
  }
  return toCsv(rows, columns, digits);
}

describe('panelsToLongCsv', () => {
  const g = createRng(61);
  const special = [NaN, 0, -0, 1, -1, 0.1 + 0.2, 1e-12, -3.5e9, 123456789.123456789]; // panels hold no infinities
  const panel = (assets: string[], T: number): Panel => {
    const dates = Array.from({ length: T }, (_, t) => `2024-${String(1 + (t % 12)).padStart(2, '0')}-${String(10 + Math.floor(t / 12)).padStart(2, '0')}`).sort();
    const values = Float64Array.from({ length: T * assets.length }, () => (g.uniform() < 0.4 ? special[Math.floor(g.uniform() * special.length)] : g.normal() * 10 ** Math.floor(g.uniform() * 6 - 3)));
    return createPanel(dates, assets, values);
  };
  const awkward = ['Banks', '=SUM(A1)', 'Food, Beverage', 'say "hi"', '-5', '@home', 'plain'];

  it('equals toCsv over the long rows: one block, several blocks with constant columns, positive only, other digits', () => {
    const a = panel(awkward, 30), b = panel(['X', 'Y'], 7), c = panel(awkward.slice(0, 3), 0);
    const cases: [Parameters<typeof longRowsCsv>[0], string[], string, boolean, number | undefined][] = [
      [[{ panel: a }], ['date', 'industry', 'score'], 'score', false, undefined],
      [[{ panel: a, fixed: { factor: 'pe' } }, { panel: b, fixed: { factor: '=cmd' } }, { panel: c, fixed: { factor: 'empty' } }], ['date', 'industry', 'factor', 'value'], 'value', false, undefined],
      [[{ panel: a, fixed: { strategy: 'top-5, costs' } }, { panel: b, fixed: { strategy: 'equal' } }], ['strategy', 'date', 'industry', 'weight'], 'weight', true, undefined],
      [[{ panel: b }], ['date', 'industry', 'missing', 'value'], 'value', false, 4],
    ];
    for (const [blocks, columns, valueColumn, positiveOnly, digits] of cases) {
      const want = longRowsCsv(blocks, columns, valueColumn, 'industry', positiveOnly, digits);
      const got = panelsToLongCsv(blocks, columns, { valueColumn, assetColumn: 'industry', positiveOnly }, digits);
      assert.equal(got, want, `columns ${columns.join(',')}`);
    }
  });

  it('writes only the header for no blocks or only NaN', () => {
    assert.equal(panelsToLongCsv([], ['date', 'industry', 'v'], { valueColumn: 'v', assetColumn: 'industry' }), 'date,industry,v\n');
    const p = createPanel(['2024-01-31'], ['A'], Float64Array.of(NaN));
    assert.equal(panelsToLongCsv([{ panel: p }], ['date', 'industry', 'v'], { valueColumn: 'v', assetColumn: 'industry' }), 'date,industry,v\n');
  });
});
