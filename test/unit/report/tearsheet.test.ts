/** Tear sheet: data, figures, and the standalone HTML (one plotly script, N chart divs, footer). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RotationError } from '../../../src/errors.js';
import { rebalanceCalendar } from '../../../src/data/calendar.js';
import { runBacktest } from '../../../src/backtest/engine.js';
import { METRIC_DEFINITIONS } from '../../../src/metrics/conventions.js';
import {
  buildTearSheet, monthlyExcessHeatmapFigure, tearSheetFigures, wealthFigure, weightsFigure, writeTearSheetHtml,
} from '../../../src/report/tearsheet.js';
import { randomCloses } from '../backtest/helpers.js';
import { comparisonRows, HEADLINE_METRICS } from '../../../src/studies/validation.js';
import { csvField, toCsv } from '../../../src/report/csv.js';
import { formatMetric } from '../../../src/report/metricTable.js';
import { compoundToPeriodEnds } from '../../../src/metrics/returns.js';

function fixture() {
  const close = randomCloses(31, 600, 6);
  const cal = rebalanceCalendar(close.dates, { frequency: 'M', anchor: 'end' });
  const mk = (name: string, shift: number, costBps: number) => runBacktest({
    name, close, rebalance: cal, costBps,
    weights: cal.dates.map((date, k) => ({ date, weights: { [close.assets[(k + shift) % 6]]: 0.6, [close.assets[(k + shift + 1) % 6]]: 0.4 } })),
  });
  return { close, cal, a: mk('rotation A', 0, 10), b: mk('rotation B', 3, 20) };
}

test('tear sheet data: every series on the shared dates, metric table with benchmark column, IS/OOS table', () => {
  const { a, b, cal } = fixture();
  const sheet = buildTearSheet([a, b], { split: cal.dates[14] });
  assert.equal(sheet.strategies.length, 2);
  for (const s of sheet.strategies) {
    for (const k of ['wealth', 'relativeWealth', 'underwater', 'excessUnderwater', 'rollingExcess', 'rollingIr'] as const) assert.equal(s[k].length, sheet.dates.length, k);
    assert.ok(s.annual.length >= 2);
    assert.ok(s.drawdowns.length <= 5);
    assert.equal(s.trades.dates.length, a.rebalances.length);
  }
  assert.deepEqual(Object.keys(sheet.metricTable[0]), ['Metric', 'rotation A', 'rotation B', sheet.benchmark.name, 'Note']);
  assert.equal(sheet.splitTable!.length, 4);
  assert.match(sheet.definitions[0], /periodsPerYear P = 12 \(rebalance-period returns/, 'default basis: the rebalance calendar (month ends, 12 a year)');
  assert.equal(sheet.metricPeriodsPerYear, cal.periodsPerYear);
  assert.match(buildTearSheet([a, b], { basis: 'daily' }).definitions[0], /periodsPerYear P = 252 \(daily/);
  assert.equal(sheet.definitions.length, METRIC_DEFINITIONS.length + 2);
  const w = wealthFigure(sheet);
  assert.equal(w.data.length, 3);
  assert.equal((w.data[0].x as string[])[0], sheet.originDate, 'wealth starts at 1 at the origin');
  assert.equal((w.data[0].y as number[])[0], 1);
  assert.ok(Array.isArray((w.layout as Record<string, unknown>).shapes), 'split marked');
  assert.equal(monthlyExcessHeatmapFigure(sheet, 'rotation B').data[0].type, 'heatmap');
  assert.equal(weightsFigure(sheet).data[0].stackgroup, 'one');
});

test('misaligned or duplicate strategies are named errors', () => {
  const { a, close, cal } = fixture();
  const other = runBacktest({ name: 'late', close, rebalance: cal, weights: cal.dates.slice(2).map((date) => ({ date, weights: { [close.assets[0]]: 1 } })) });
  assert.throws(() => buildTearSheet([a, other]), (e: unknown) => e instanceof RotationError && e.code === 'TS_MISALIGNED');
  assert.throws(() => buildTearSheet([a, a]), (e: unknown) => e instanceof RotationError && e.code === 'TS_DUPLICATE_NAME');
  assert.throws(() => buildTearSheet([]), (e: unknown) => e instanceof RotationError && e.code === 'TS_EMPTY');
});

test('the HTML is standalone: plotly embedded once, one rotation-chart div per figure, definitions footer, atomic write', () => {
  const { a, b, cal } = fixture();
  const sheet = buildTearSheet([a, b], { split: cal.dates[14], title: 'Rotation <test>' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tearsheet-'));
  const file = path.join(dir, 'report.html');
  const out = writeTearSheetHtml(sheet, file);
  const html = readFileSync(file, 'utf8');
  const figures = tearSheetFigures(sheet);
  assert.equal(out.charts, figures.length);
  assert.equal(figures.length, 12);
  assert.equal(html.split('if (!window.Plotly)').length - 1, 1, 'one plotly library script');
  assert.equal(html.split('class="rotation-chart"').length - 1, figures.length);
  assert.ok(!/<script[^>]+src=/.test(html), 'no external scripts');
  assert.ok(!/<link[^>]+href=["']https?:/.test(html), 'no external stylesheets');
  assert.ok(html.includes('Rotation &lt;test&gt;'));
  for (const d of METRIC_DEFINITIONS) assert.ok(html.includes(d.label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), d.label);
  assert.ok(html.includes('periodsPerYear P = 12 (rebalance-period returns'));
  assert.deepEqual(readdirSync(dir), ['report.html'], 'no temp file left');
  // a stub bundle keeps the structure (for fast checks)
  const out2 = writeTearSheetHtml(sheet, path.join(dir, 'stub.html'), { plotlyBundle: '/* plotly */' });
  assert.ok(out2.bytes < out.bytes);
});

test('one number per figure: the tear sheet prints exactly the figures of performance.csv (comparisonRows) for the same backtest', () => {
  const { a, b } = fixture();
  const sheet = buildTearSheet([a, b]);
  const rows = comparisonRows([a, b]);
  // performance.csv as the CLI writes it, read back as text
  const csv = toCsv(rows, ['strategy', ...HEADLINE_METRICS]).trim().split('\n').map((l) => l.split(','));
  const header = csv[0];
  let compared = 0;
  for (const k of HEADLINE_METRICS) {
    const label = METRIC_DEFINITIONS.find((d) => d.key === k)!.label;
    const sheetRow = sheet.metricTable.find((r) => r.Metric === label);
    assert.ok(sheetRow, `tear sheet has a row for ${k}`);
    for (const [i, bt] of [a, b].entries()) {
      const printedCsv = csv[i + 1][header.indexOf(k)];
      assert.equal(printedCsv, csvField(rows[i][k]));
      const fromCsv = printedCsv === '' ? NaN : Number(printedCsv);
      assert.equal(sheetRow[bt.name], formatMetric(k, fromCsv), `${bt.name} ${k}: tear sheet ${sheetRow[bt.name]} vs csv ${printedCsv}`);
      compared += 1;
    }
  }
  assert.equal(compared, HEADLINE_METRICS.length * 2);
});

test('the tear sheet CAGR is annualized with the rebalance calendar\'s periods per year (hand-worked from month-end wealth)', () => {
  const { a, cal } = fixture();
  const sheet = buildTearSheet([a]);
  // independent: compound daily returns to month ends, then (Π(1+r_m))^(12/M) − 1
  const ends = a.rebalanceDates.filter((d) => d > a.originDate);
  const m = compoundToPeriodEnds(a.dates, a.returns, ends).returns;
  let w = 1;
  for (const r of m) w *= 1 + r;
  const cagr = Math.pow(w, cal.periodsPerYear / m.length) - 1;
  const label = METRIC_DEFINITIONS.find((d) => d.key === 'cagr')!.label;
  assert.equal(sheet.metricTable.find((r) => r.Metric === label)![a.name], `${(cagr * 100).toFixed(2)}%`);
  assert.notEqual(sheet.strategies[0].summary.values.cagr, buildTearSheet([a], { basis: 'daily' }).strategies[0].summary.values.cagr);
});
