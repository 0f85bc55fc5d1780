import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertBalanced, formatLossReport, totalDropped } from '../../../src/data/loss.js';
import { displayPath, readCsv } from '../../../src/data/csv.js';
import {
  CITIC_FILES, citicDir, loadCiticCodes, loadCiticConstituents, loadCiticIndustry, loadCiticOhlcv, loadCiticWideClose, loadIndustryBarsCsv,
} from '../../../src/data/citic.js';
import { throwsCode } from '../assertions.js';

const DIR = citicDir();
const HAVE = fs.existsSync(DIR);
const SKIP = `shared CITIC data not found at ${displayPath(DIR)} (set ROTATION_SHARED_DATA to the shared data folder)`;


test('CITIC OHLCV: 72,442 rows, 30 industries, 2,431 days; CI005030 zero placeholders masked, close kept', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const t0 = performance.now();
  const r = loadCiticOhlcv();
  const ms = performance.now() - t0;
  t.diagnostic(`load ${CITIC_FILES.ohlcv}: ${ms.toFixed(0)} ms`);
  t.diagnostic(formatLossReport(r.loss));
  assertBalanced(r.loss);
  assert.equal(r.loss.rowsRead, 72442);
  assert.equal(r.loss.dropped['open/high/low/volume = 0 placeholder with a valid close (masked to NaN)'], 709);
  assert.equal(totalDropped(r.loss), 709);
  assert.ok(r.loss.notes.includes('cells masked to NaN for "open/high/low/volume = 0 placeholder with a valid close (masked to NaN)": 2833'), r.loss.notes.join('; '));
  assert.equal(r.industries.length, 30);
  assert.equal(r.calendar.length, 2431);
  assert.equal(r.calendar[0], '2015-01-05');
  assert.equal(r.calendar[r.calendar.length - 1], '2024-12-31');
  const i = r.bars.close.assets.indexOf('CI005030.WI');
  const A = r.bars.close.assets.length;
  assert.equal(r.industries[i].name, '综合金融');
  const t0317 = r.calendar.indexOf('2017-01-03');
  assert.ok(Number.isNaN(r.bars.close.values[(t0317 - 1) * A + i]), 'no data before 2017-01-03');
  let maskedRows = 0;
  for (let d = t0317; d < t0317 + 708; d++) {
    assert.ok(r.bars.close.values[d * A + i] > 0);
    if (Number.isNaN(r.bars.open.values[d * A + i]) && Number.isNaN(r.bars.high.values[d * A + i]) && Number.isNaN(r.bars.low.values[d * A + i]) && Number.isNaN(r.bars.volume.values[d * A + i])) maskedRows++;
  }
  assert.equal(maskedRows, 708);
  const rebase = r.calendar.indexOf('2019-11-29');
  assert.equal(rebase, t0317 + 708);
  assert.equal(r.bars.open.values[rebase * A + i], 1000);
  assert.ok(Number.isNaN(r.bars.volume.values[rebase * A + i]), 'zero volume on the rebase day is a placeholder');
  assert.ok(r.bars.volume.values[(rebase + 1) * A + i] > 0);
  // nothing else is NaN in the file's range
  let nan = 0;
  for (const p of [r.bars.open, r.bars.high, r.bars.low, r.bars.close, r.bars.volume]) for (let k = 0; k < p.values.length; k++) if (Number.isNaN(p.values[k])) nan++;
  const beforeStart = t0317 * 5;
  assert.equal(nan, beforeStart + 708 * 4 + 1);
});

test('CITIC dataset: every loss report balances; snapshot membership with caveats', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const ds = loadCiticIndustry();
  for (const l of ds.losses) { assertBalanced(l); t.diagnostic(formatLossReport(l)); }
  assert.equal(ds.name, 'CITIC L1 (Wind export)');
  assert.equal(ds.calendar.length, 2431);
  assert.equal(ds.membership.length, 5154);
  assert.ok(ds.membership.every((m) => m.scheme === 'citic_l1' && m.validFrom === '2015-01-05' && m.validTo === undefined));
  assert.equal(ds.constituentWeights.length, 5153);
  const sums = new Map<string, number>();
  for (const w of ds.constituentWeights) sums.set(w.index, (sums.get(w.index) ?? 0) + w.weight);
  assert.equal(sums.size, 30);
  for (const s of sums.values()) assert.ok(Math.abs(s - 1) < 1e-4);
  assert.ok(ds.caveats.some((c) => /2026-01-27 constituents snapshot/.test(c) && /not point in time/.test(c)));
  assert.ok(ds.caveats.some((c) => /CI005030/.test(c)));
  const snap = loadCiticIndustry(undefined, { membershipFrom: 'snapshot' });
  assert.ok(snap.membership.every((m) => m.validFrom === '2026-01-27'));
});

test('CITIC wide close file: 2,674 days to 2025-12-31, 488 blank cells of 综合金融, names mapped to codes', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const w = loadCiticWideClose();
  assertBalanced(w.loss);
  assertBalanced(w.codesLoss);
  t.diagnostic(formatLossReport(w.loss));
  assert.equal(w.close.dates.length, 2674);
  assert.equal(w.close.dates[w.close.dates.length - 1], '2025-12-31');
  assert.equal(w.loss.rowsRead, 2674 * 30);
  assert.equal(w.loss.dropped['blank cell (no value published)'], 488);
  assert.equal(w.close.assets[0], 'CI005001.WI');
  assert.equal(w.industries.find((x) => x.code === 'CI005016.WI')!.name, '家电');
  const codes = loadCiticCodes();
  assert.equal(codes.codes.length, 30);
  assert.equal(codes.codes[0].windEdbId, 'M0331600');
});

test('extendCloseWithWide: close to 2025-12-31, OHLV NaN there and counted; overlapping closes identical', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const ds = loadCiticIndustry(undefined, { extendCloseWithWide: true });
  for (const l of ds.losses) assertBalanced(l);
  assert.equal(ds.calendar[ds.calendar.length - 1], '2025-12-31');
  assert.equal(ds.calendar.length, 2674);
  const ext = ds.losses.find((l) => l.stage === 'extend close with wide file')!;
  t.diagnostic(formatLossReport(ext));
  assert.equal(ext.rowsRead, 243 * 30);
  assert.equal(ext.dropped['open/high/low/volume not available after 2024-12-31 (NaN; close from the wide file)'], 243 * 30);
  assert.ok(ext.notes.some((n) => /72442 \(date, industry\) closes compared, 0 differ/.test(n)), ext.notes.join('; '));
  const A = ds.industryBars.close.assets.length;
  const last = ds.calendar.length - 1;
  for (let i = 0; i < A; i++) {
    assert.ok(ds.industryBars.close.values[last * A + i] > 0);
    assert.ok(Number.isNaN(ds.industryBars.open.values[last * A + i]) && Number.isNaN(ds.industryBars.volume.values[last * A + i]));
  }
  assert.ok(ds.caveats.some((c) => /wide close file/.test(c)));
});

test('CITIC constituents: blank weight drops only the weight; codes never coerced', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const c = loadCiticConstituents();
  assertBalanced(c.loss);
  assertBalanced(c.weightsLoss);
  assert.equal(c.weightsLoss.dropped['weight_pct blank, not a number or negative (row dropped)'], 1);
  assert.equal(c.weightsLoss.examples[0].where.stock, '689009.SH');
  assert.ok(c.membership.some((m) => m.stock === '000001.SZ'));
  assert.ok(c.membership.every((m) => /^\d{6}\.(SH|SZ|BJ)$/.test(m.stock)), 'codes keep their leading zeros');
});

test('loadIndustryBarsCsv reads the CITIC files as user exports (long and wide) with the same numbers', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const long = loadIndustryBarsCsv(path.join(DIR, CITIC_FILES.ohlcv), { layout: 'long' });
  assertBalanced(long.loss);
  assert.equal(long.loss.dropped['open <= 0 (masked to NaN)'], 708, 'without zeroIsMissing the zeros are non-positive prices');
  const ref = loadCiticOhlcv();
  assert.deepEqual(Array.from(long.bars.close.values), Array.from(ref.bars.close.values));
  const codes = loadCiticCodes().codes;
  const wide = loadIndustryBarsCsv(path.join(DIR, CITIC_FILES.wideClose), { layout: 'wide', nameToCode: new Map(codes.map((c) => [c.name, c.code])) });
  assertBalanced(wide.loss);
  assert.equal(wide.calendar.length, 2674);
  assert.ok(Number.isNaN(wide.bars.open.values[0]));
});

test('generic industry loader on samples (no shared data needed): long, wide, and named errors', () => {
  const w = loadIndustryBarsCsv('data/samples/industry_close_wide.csv', { layout: 'wide' });
  assertBalanced(w.loss);
  assert.deepEqual(w.calendar, ['2024-01-02', '2024-01-03', '2024-01-04']);
  assert.deepEqual(Array.from(w.bars.close.values), [1010, 2020.4, 1003.2, NaN, 1006.6, 2008.8]);
  assert.equal(w.loss.dropped['blank cell (no value published)'], 1);
  const e = throwsCode(() => loadIndustryBarsCsv('data/samples/industry_close_wide.csv', { layout: 'wide', nameToCode: new Map([['IND01', 'X1']]) }), 'DATA_UNKNOWN_INDUSTRY');
  assert.deepEqual(e.where.unknown, ['IND02']);
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-citic-'));
  const dup = path.join(d, 'dup.csv');
  fs.writeFileSync(dup, 'date,A\n2024-01-02,1\n20240102,2\n');
  throwsCode(() => loadIndustryBarsCsv(dup, { layout: 'wide' }), 'DATA_DUPLICATE_KEY');
  const meta = path.join(d, 'edb.csv');
  fs.writeFileSync(meta, 'date,A,B\n频率,日,日\n2024-01-02,1,x\n2024-01-03,0,2\n数据来源：Wind\n');
  const m = loadIndustryBarsCsv(meta, { layout: 'wide' });
  assertBalanced(m.loss);
  assert.equal(m.loss.dropped['date: unparseable date (line dropped)'], 2);
  assert.equal(m.loss.dropped['text where a number belongs (cell masked to NaN)'], 1);
  assert.equal(m.loss.dropped['close <= 0 (cell masked to NaN)'], 1);
  assert.equal(m.loss.dropped['wrong number of fields (line dropped)'], 1);
  throwsCode(() => loadIndustryBarsCsv(meta, { layout: 'wide', strict: true }), 'DATA_RAGGED_ROW');
  throwsCode(() => loadIndustryBarsCsv('data/samples/nope.csv', { layout: 'long' }), 'DATA_FILE_NOT_FOUND');
  throwsCode(() => loadCiticOhlcv(d), 'DATA_FILE_NOT_FOUND');
  assert.equal(readCsv('data/samples/industry_bars.csv').nRows, 6);
});
