/**
 * Experiment records: byte-identical for the same spec and data, a fingerprint that changes with
 * the data, the run log's count of specs tried, run lookup errors, and comparisons (paired t on
 * the same data; on different data said and not paired).
 * Run: node --import tsx --test test/unit/model/record.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { modelContext } from '../../../src/model/context.js';
import { runModel } from '../../../src/model/run.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { variantOf } from '../../../src/model/spec.js';
import {
  appendRunLog, compareRecords, dataFingerprint, experimentRecord, findRecord, listRecords, readRunLog, recordJson, runLogLine, variantsTried,
} from '../../../src/model/record.js';
import { throwsCode } from '../assertions.js';

const software = { package: 'test', version: '0', commit: 'abc' };
const ds = simulateMarket({ seed: 5, nStocks: 300, years: 7 }).dataset;
const spec = loadModelSpec('models/default.json');
const variant = variantOf(spec, { name: 'top-3 equal', allocator: { name: 'top-k', k: 3 }, composite: { method: 'equal', horizon: 1, window: 'expanding', minObservations: 12 } });

test('a record is byte-identical on rerun, and holds the spec, the data fingerprint and significance per window', () => {
  const a = recordJson(experimentRecord(runModel(spec, modelContext(ds)), ds, software));
  const b = recordJson(experimentRecord(runModel(spec, modelContext(ds)), ds, software));
  assert.equal(a, b);
  const r = JSON.parse(a);
  assert.equal(r.spec.name, 'model: top-5');
  assert.equal(r.calendar.periodsPerYear, 12);
  assert.deepEqual(r.windows.map((w: { window: string }) => w.window), ['whole', 'in-sample', 'out-of-sample']);
  const w = r.windows[0];
  // t of the mean active return per period, recomputed from the stored period series
  const d = r.periods.strategy.map((x: number, i: number) => x - r.periods.benchmark[i]);
  const m = d.reduce((s: number, x: number) => s + x, 0) / d.length;
  const sd = Math.sqrt(d.reduce((s: number, x: number) => s + (x - m) ** 2, 0) / (d.length - 1));
  assert.ok(Math.abs(w.significance.t - m / (sd / Math.sqrt(d.length))) < 1e-9);
  assert.ok(w.significance.p > 0 && w.significance.p < 1);
  assert.doesNotMatch(a, /"time"/);
});

test('the data fingerprint changes when one close changes', () => {
  const f1 = dataFingerprint(ds);
  const v = Float64Array.from(ds.industryBars.close.values);
  v[v.length - 1] *= 1.0001;
  const f2 = dataFingerprint({ ...ds, industryBars: { ...ds.industryBars, close: { ...ds.industryBars.close, values: v } } });
  assert.notEqual(f1.contentHash, f2.contentHash);
  assert.equal(f1.industries, ds.industries.length);
});

test('run log: distinct specs per dataset are the trials; lookup and comparison of records', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'runs-'));
  const ctx = modelContext(ds);
  const recs = [spec, variant].map((s) => experimentRecord(runModel(s, ctx), ds, software));
  for (const r of recs) {
    const dir = path.join(root, 'sim', 'runs', r.specHash);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'record.json'), recordJson(r));
  }
  appendRunLog(root, recs.map((r) => runLogLine(r, 'sim', '2026-01-01T00:00:00Z')));
  appendRunLog(root, [runLogLine(recs[0], 'sim', '2026-01-02T00:00:00Z')]);
  const log = readRunLog(root);
  assert.equal(log.length, 3);
  assert.equal(variantsTried(log, recs[0].data.contentHash), 2, 'a rerun of the same spec is not a new trial');
  assert.equal(variantsTried(log, 'other-data', 1), 1);
  assert.equal(listRecords(root).length, 2);
  assert.equal(findRecord(root, recs[1].specHash.slice(0, 6)).record.spec.name, 'top-3 equal');
  assert.equal(findRecord(root, `sim/${recs[0].specHash}`).record.spec.name, 'model: top-5');
  const e = throwsCode(() => findRecord(root, 'ffffffff'), 'MODEL_RUN_NOT_FOUND');
  assert.equal((e.where.runs as string[]).length, 2);
  const cmp = compareRecords(recs[0], recs[1], ['a', 'b']);
  assert.ok(cmp.sameData && cmp.paired !== null);
  // paired t by hand over the common periods
  const A = recs[0].periods, B = recs[1].periods;
  const ia = new Map(A.dates.map((x, i) => [x, i]));
  const diffs = B.dates.filter((x) => ia.has(x)).map((x) => {
    const i = ia.get(x)!, j = B.dates.indexOf(x);
    return (B.strategy[j]! - B.benchmark[j]!) - (A.strategy[i]! - A.benchmark[i]!);
  });
  const m = diffs.reduce((s, x) => s + x, 0) / diffs.length;
  const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - m) ** 2, 0) / (diffs.length - 1));
  assert.equal(cmp.paired!.n, diffs.length);
  assert.ok(Math.abs(cmp.paired!.t - m / (sd / Math.sqrt(diffs.length))) < 1e-9);
  const whole = cmp.rows.find((r) => r.window === 'whole' && r.metric === 'excessCagr')!;
  assert.ok(Math.abs(whole.difference! - (whole.b! - whole.a!)) < 1e-15);
  // a run on other data: side by side, said, not paired
  const other = simulateMarket({ seed: 6, nStocks: 300, years: 7 }).dataset;
  const ro = experimentRecord(runModel(spec, modelContext(other)), other, software);
  const c2 = compareRecords(recs[0], ro, ['a', 'c']);
  assert.equal(c2.sameData, false);
  assert.equal(c2.paired, null);
  assert.match(c2.notes[0], /different datasets/);
});
