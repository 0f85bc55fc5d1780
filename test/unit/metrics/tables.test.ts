/** Summaries, the conventions table, per-year and monthly tables, metric rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { METRIC_DEFINITIONS, conventionsMarkdown, definitionFooter, metricKeys } from '../../../src/metrics/conventions.js';
import { annualTable, monthlyExcessGrid, summarizeReturns } from '../../../src/metrics/tables.js';
import { metricTableRows } from '../../../src/report/metricTable.js';
import { cagr, sharpeRatio } from '../../../src/metrics/returns.js';
import { informationRatio } from '../../../src/metrics/relative.js';
import { maxDrawdown } from '../../../src/metrics/drawdown.js';
import { createRng } from '../../../src/random.js';

function close(a: number, b: number, tol = 1e-12): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
}

function monthEnds(n: number): string[] {
  return Array.from({ length: n }, (_, k) => new Date(Date.UTC(2015, k + 1, 0)).toISOString().slice(0, 10));
}

test('the conventions table has one entry per metric key, each with a formula and a reference', () => {
  const keys = METRIC_DEFINITIONS.map((d) => d.key);
  assert.equal(new Set(keys).size, keys.length);
  for (const d of METRIC_DEFINITIONS) { assert.ok(d.formula.length > 10, d.key); assert.ok(d.reference.length > 3, d.key); }
  assert.equal(metricKeys().length, 20);
  const footer = definitionFooter(12, 'monthly');
  assert.match(footer[0], /periodsPerYear P = 12/);
  assert.equal(footer.length, METRIC_DEFINITIONS.length + 1);
  assert.ok(footer.some((l) => /Information ratio \(ann\.\).*annualized/.test(l)));
});

test('summary values follow the metric functions; a summary carries every metric', () => {
  const rng = createRng(3);
  const n = 60;
  const r = Float64Array.from({ length: n }, () => 0.01 + 0.04 * rng.normal());
  const b = Float64Array.from({ length: n }, (_, t) => r[t] - 0.002 + 0.01 * rng.normal());
  const s = summarizeReturns({ name: 's', dates: monthEnds(n), returns: r, benchmarkReturns: b, periodsPerYear: 12 });
  close(s.values.cagr, cagr(r, 12));
  close(s.values.sharpe, sharpeRatio(r, 12));
  close(s.values.informationRatio, informationRatio(r, b, 12));
  close(s.values.maxDrawdown, maxDrawdown(r));
  for (const k of metricKeys()) assert.ok(k in s.values, k);
  assert.ok(Number.isNaN(s.values.dsr));
  assert.match(s.reasons.dsr!, /trials/);
  const withTrials = summarizeReturns({ name: 's', dates: monthEnds(n), returns: r, benchmarkReturns: b, periodsPerYear: 12 }, { trials: { count: 20, sharpeVariance: 0.01 } });
  assert.ok(withTrials.values.dsr < withTrials.values.psr);
  const rows = metricTableRows([s]);
  assert.equal(rows.length, 20);
  assert.equal(rows.find((x) => x.Metric === 'CAGR')!.s, `${(s.values.cagr * 100).toFixed(2)}%`);
  assert.match(rows.find((x) => x.Metric === 'Deflated Sharpe')!.Note, /trials/);
});

test('annual table and monthly excess grid by hand', () => {
  const dates = ['2023-12-28', '2023-12-29', '2024-01-02', '2024-02-01'];
  const r = [0.01, 0.02, -0.01, 0.03], b = [0.0, 0.01, 0.0, 0.01];
  const tbl = annualTable(dates, r, b, 252);
  assert.deepEqual(tbl.map((x) => x.year), ['2023', '2024']);
  close(tbl[0].strategy, 1.01 * 1.02 - 1); close(tbl[0].benchmark, 0.01); close(tbl[0].excess, 1.01 * 1.02 - 1 - 0.01);
  close(tbl[1].maxDrawdown, -0.01);
  assert.equal(tbl[1].periods, 2);
  const g = monthlyExcessGrid(dates, r, b);
  assert.deepEqual(g.years, ['2023', '2024']);
  close(g.values[0][11], 1.01 * 1.02 - 1 - 0.01);
  close(g.values[1][0], -0.01); close(g.values[1][1], 0.02);
  assert.ok(Number.isNaN(g.values[0][0]));
});

test('docs/conventions.md carries the conventions table exactly (update the doc with conventionsMarkdown() when a definition changes)', () => {
  const doc = readFileSync('docs/conventions.md', 'utf8');
  assert.ok(doc.includes(conventionsMarkdown()), 'docs/conventions.md "Metric definitions" differs from conventionsMarkdown()');
});
