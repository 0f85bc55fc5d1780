import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { assertBalanced, formatLossReport } from '../../../src/data/loss.js';
import { displayPath } from '../../../src/data/csv.js';
import {
  ASHARE_CAVEATS, ashareDir, loadAshareDaily, loadAshareDataset, loadAshareIndexWeights, loadAshareMonthly, loadAshareStockData,
  loadAshareStocks, loadSw2014Classification,
} from '../../../src/data/ashare.js';
import { citicDir } from '../../../src/data/citic.js';

const DIR = ashareDir();
const HAVE = fs.existsSync(DIR);
const SKIP = `shared A-share data not found at ${displayPath(DIR)} (set ROTATION_SHARED_DATA to the shared data folder)`;

test('monthly panel: 458,036 rows → 120 month-end dates x 5,352 stocks, balanced; ret consistent with close', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const t0 = performance.now();
  const m = loadAshareMonthly();
  t.diagnostic(`load monthly panel: ${(performance.now() - t0).toFixed(0)} ms`);
  t.diagnostic(formatLossReport(m.loss));
  assertBalanced(m.loss);
  assert.equal(m.loss.rowsRead, 458036);
  assert.equal(m.calendar.length, 120);
  assert.equal(m.calendar[0], '2015-01-30');
  assert.equal(m.calendar[119], '2024-12-31');
  assert.equal(m.close.assets.length, 5352);
  assert.ok(m.close.assets.includes('000001.SZ'), 'codes keep their leading zeros');
  assert.ok(m.loss.notes.some((n) => /452675 consecutive-month pairs compared, 0 differ/.test(n)), m.loss.notes.join('; '));
  const i = m.close.assets.indexOf('000001.SZ');
  assert.equal(m.close.values[i], 607.5703);
  assert.ok(Number.isNaN(m.ret.values[i]), 'first month has no return');
  assert.equal(m.nTradingDays.values[i], 20);
  assert.equal(m.stale.values[i], 0);
  let stale = 0;
  for (let k = 0; k < m.stale.values.length; k++) if (m.stale.values[k] === 1) stale++;
  t.diagnostic(`stale month-end closes: ${stale}`);
  assert.ok(stale > 0);
  assert.equal(m.volume.values[i], 3094212302);
});

test('daily bars of the CSI 500 members: 1,127,377 rows, 483 stocks, 2,431 days, balanced', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const t0 = performance.now();
  const d = loadAshareDaily();
  t.diagnostic(`load daily bars: ${(performance.now() - t0).toFixed(0)} ms`);
  t.diagnostic(formatLossReport(d.loss));
  assertBalanced(d.loss);
  assert.equal(d.loss.rowsRead, 1127377);
  assert.equal(d.stocks.length, 483);
  assert.equal(d.calendar.length, 2431);
  const i = d.stocks.indexOf('000008.SZ');
  assert.equal(d.bars.close.values[i], 109.8971);
  assert.equal(d.bars.volume.values[i], 2290058);
  let valid = 0;
  for (let k = 0; k < d.bars.close.values.length; k++) if (!Number.isNaN(d.bars.close.values[k])) valid++;
  assert.equal(valid, 1127377, 'suspended days are NaN, every row is a cell');
});

test('stocks.csv: 5,352 stocks; CITIC and Shenwan snapshot mappings with blanks counted', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const s = loadAshareStocks();
  for (const l of s.losses) { assertBalanced(l); t.diagnostic(formatLossReport(l)); }
  assert.equal(s.stocks.length, 5352);
  assert.deepEqual(s.stocks[0], { code: '000001.SZ', name: '平安银行', listDate: '2015-01-05' });
  assert.equal(s.losses[1].dropped['industry: blank identifier (row dropped)'], 261);
  assert.equal(s.losses[2].dropped['industry: blank identifier (row dropped)'], 1504);
  const citic = s.membership.filter((m) => m.scheme === 'citic_l1');
  const sw = s.membership.filter((m) => m.scheme === 'sw_l1');
  assert.equal(citic.length, 5091);
  assert.equal(sw.length, 3848);
  assert.equal(new Set(citic.map((m) => m.industry)).size, 30);
  assert.equal(s.industryNames.get('CI005021.WI'), '银行');
  assert.equal(s.industryNames.get('801780'), '银行');
  assert.ok(s.membership.every((m) => m.validFrom === '2015-01-05' && m.validTo === undefined));
});

test('index constituents 2020-10-10: CSI 300/500/1000 weights as fractions summing to 1', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const w = loadAshareIndexWeights();
  assertBalanced(w.loss);
  t.diagnostic(formatLossReport(w.loss));
  assert.equal(w.records.length, 1800);
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const r of w.records) {
    sums.set(r.index, (sums.get(r.index) ?? 0) + r.weight);
    counts.set(r.index, (counts.get(r.index) ?? 0) + 1);
    assert.equal(r.date, '2020-10-10');
  }
  assert.deepEqual(Object.fromEntries(counts), { '000905.SH': 500, '000300.SH': 300, '000852.SH': 1000 });
  for (const s of sums.values()) assert.ok(Math.abs(s - 1) < 0.005);
  const renorm = loadAshareIndexWeights(undefined, { renormalize: true });
  const s500 = renorm.records.filter((r) => r.index === '000905.SH').reduce((a, r) => a + r.weight, 0);
  assert.ok(Math.abs(s500 - 1) < 1e-12);
});

test('Shenwan 2014 classification: 4,143 rows, 254 "获取失败" dropped, 2200-01-01 open', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const sw = loadSw2014Classification();
  assertBalanced(sw.loss);
  t.diagnostic(formatLossReport(sw.loss));
  assert.equal(sw.loss.rowsRead, 4143);
  assert.equal(sw.loss.dropped['industry: not a valid code (row dropped)'], 254);
  assert.equal(sw.records.length, 3889);
  assert.equal(new Set(sw.records.map((r) => r.industry)).size, 28);
  const pt = sw.records.find((r) => r.stock === '000592.SZ')!;
  assert.deepEqual(pt, { stock: '000592.SZ', industry: '801010', scheme: 'sw_l1', validFrom: '1996-03-27' });
  assert.equal(sw.industryNames.get('801010'), '农林牧渔');
});

test('StockData and the combined dataset: balanced losses, caveats carried', (t) => {
  if (!HAVE || !fs.existsSync(citicDir())) { t.skip(SKIP); return; }
  const sd = loadAshareStockData();
  for (const l of sd.losses) assertBalanced(l);
  assert.equal(sd.stockData.stocks.length, 483);
  assert.equal(sd.stockData.indexWeights!.length, 1800);
  for (const c of ASHARE_CAVEATS) assert.ok(sd.caveats.includes(c));
  const ds = loadAshareDataset();
  for (const l of ds.losses) assertBalanced(l);
  assert.equal(ds.stocks!.bars.close.dates.length, 2431);
  assert.ok(ds.caveats.some((c) => /Survivorship/.test(c)));
  assert.ok(ds.losses.length >= 8);
});

test('asOf drops later rows and counts them', (t) => {
  if (!HAVE) { t.skip(SKIP); return; }
  const m = loadAshareMonthly(undefined, { asOf: '2023-12-31' });
  assertBalanced(m.loss);
  assert.equal(m.calendar[m.calendar.length - 1], '2023-12-29');
  assert.ok(m.loss.dropped['last_date after asOf 2023-12-31 (row dropped)'] > 0);
});
