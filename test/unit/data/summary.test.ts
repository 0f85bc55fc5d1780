import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPanel } from '../../../src/panel/panel.js';
import { newLossReport, countLoss, countFlag } from '../../../src/data/loss.js';
import { GAP_REASONS } from '../../../src/backtest/engine.js';
import { calibrationComparison, lossKind, lossReportRows, lossSummaryRows, marketVolume, rebasedMonthEnd, schemaRows, uniqueLossReports } from '../../../src/data/summary.js';

test('lossReportRows: counts, sorted reasons, balance flag', () => {
  const r = newLossReport('load', 'f.csv');
  r.rowsRead = 10; r.rowsKept = 7;
  countLoss(r, 'zero price', 2);
  countLoss(r, 'bad date', 1);
  const [row] = lossReportRows([r]);
  assert.deepEqual(row, { stage: 'load', source: 'f.csv', read: 10, kept: 7, dropped: 3, reasons: 'bad date: 1; zero price: 2', balanced: true });
  r.rowsKept = 8;
  assert.equal(lossReportRows([r])[0].balanced, false);
});

test('uniqueLossReports keeps the first of identical reports only', () => {
  const a = newLossReport('load', 'f.csv'); a.rowsRead = 3; a.rowsKept = 3;
  const b = newLossReport('load', 'f.csv'); b.rowsRead = 3; b.rowsKept = 3;
  const c = newLossReport('load', 'g.csv'); c.rowsRead = 3; c.rowsKept = 3;
  assert.deepEqual(uniqueLossReports([a, b, c]), [a, c]);
});

test('calibrationComparison scales percent rows and leaves missing real statistics NaN', () => {
  const rows = calibrationComparison(
    [{ statistic: 'vol', target: 0.295, achieved: 0.3, unit: '%' }, { statistic: 'kurt', target: 4.7, achieved: 4.3, unit: '' }],
    [{ statistic: 'vol', target: 0.295, achieved: 0.28, unit: '%' }],
  );
  assert.equal(rows[0].statistic, 'vol (%)');
  assert.ok(Math.abs((rows[0].target as number) - 29.5) < 1e-12);
  assert.ok(Math.abs((rows[0].real as number) - 28) < 1e-12);
  assert.ok(Number.isNaN(rows[1].real as number));
});

test('rebasedMonthEnd: last valid close of each month over the first valid month-end close', () => {
  const N = NaN;
  const p = createPanel(['2024-01-30', '2024-01-31', '2024-02-28', '2024-02-29', '2024-03-29'], ['A', 'B'],
    new Float64Array([10, N, 11, N, 12, 5, N, N, 22, 10]));
  const r = rebasedMonthEnd(p);
  assert.deepEqual(r.dates, ['2024-01-31', '2024-02-29', '2024-03-29']);
  assert.deepEqual(Array.from(r.levels[0]), [1, 12 / 11, 2]); // Feb falls back to the 28th
  assert.deepEqual(Array.from(r.levels[1]).map((v) => (Number.isNaN(v) ? 'NaN' : v)), ['NaN', 1, 2]);
});

test('marketVolume: sum across assets and a trailing mean over full windows only', () => {
  const p = createPanel(['2024-01-01', '2024-01-02', '2024-01-03'], ['A', 'B'], new Float64Array([1, 2, 3, NaN, 5, 6]));
  const v = marketVolume(p, 2);
  assert.deepEqual(Array.from(v.total), [3, 3, 11]);
  assert.ok(Number.isNaN(v.average[0]));
  assert.deepEqual(Array.from(v.average.subarray(1)), [3, 7]);
});

test('schemaRows lists every canonical table with its key', () => {
  const rows = schemaRows();
  assert.ok(rows.some((r) => r.table === 'fundamentals' && String(r['known on']).length > 0));
  assert.ok(rows.every((r) => typeof r.fields === 'number' && (r.fields as number) > 0));
});

test('lossSummaryRows: one row per (report, reason), kinds in columns, flagged and gap-policy counts included', () => {
  const load = newLossReport('load industry bars', 'x/industry_bars.csv');
  load.rowsRead = 200; load.rowsKept = 190;
  countLoss(load, 'close <= 0 (row dropped)', 3);
  countLoss(load, 'open: text where a number belongs (masked to NaN)', 5);
  countLoss(load, 'date after asOf 2024-01-31 (row dropped)', 2);
  countFlag(load, 'probable rebase or unit change (one-day close ratio beyond the thresholds; kept)', 1);
  const gap = newLossReport('backtest gap policy', 'model');
  gap.rowsRead = 1000; gap.rowsKept = 960;
  countLoss(gap, GAP_REASONS.frozen, 30);
  countLoss(gap, GAP_REASONS.carried, 10);
  const clean = newLossReport('load stocks', 'x/stocks.csv');
  const rows = lossSummaryRows([load, gap, clean, load]);
  assert.deepEqual(rows.map((r) => [r.source, r.dropped, r.masked, r.carried, r.frozen, r.cut, r.flagged]), [
    ['x/industry_bars.csv', 0, 5, 0, 0, 0, 0],
    ['x/industry_bars.csv', 3, 0, 0, 0, 0, 0],
    ['x/industry_bars.csv', 0, 0, 0, 0, 2, 0],
    ['x/industry_bars.csv', 0, 0, 0, 0, 0, 1],
    ['model', 0, 0, 0, 30, 0, 0],
    ['model', 0, 0, 10, 0, 0, 0],
    ['x/stocks.csv', 0, 0, 0, 0, 0, 0],
  ]);
  assert.equal(rows[0].share, 5 / 200);
  assert.equal(rows[4].share, 30 / 1000);
  assert.equal(lossKind('blank cell (no value published)'), 'dropped');
  assert.equal(lossKind('close blank in the wide file (NaN)'), 'masked');
});
