import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadNamedDataset, namedDatasets } from '../../../src/data/datasets.js';
import { assertBalanced } from '../../../src/data/loss.js';
import { hasSharedData } from '../../../src/data/paths.js';
import { stripSchemeSuffix } from '../../../src/data/sw.js';
import { availableFactors } from '../../../src/factors/registry.js';
import { rejectsCode } from '../assertions.js';


const valSkip = hasSharedData('sw_citic_valuation') ? false : 'shared SW/CITIC valuation data absent (../shared/data/sw_citic_valuation)';

test('names: sim, citic, sw and the shared French files', () => {
  assert.deepEqual(namedDatasets(), ['sim', 'citic', 'sw', 'french5', 'french10', 'french12', 'french17', 'french30', 'french48', 'french49']);
  assert.equal(stripSchemeSuffix('农林牧渔(申万)'), '农林牧渔');
  assert.equal(stripSchemeSuffix('石油石化（中信）'), '石油石化');
  assert.equal(stripSchemeSuffix('银行'), '银行');
});

test('shared data absent: RUN_NO_SHARED_DATA naming the folder tried; an unpublished French count: RUN_UNKNOWN_DATASET', async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'rotation-noshared-'));
  const old = process.env.ROTATION_SHARED_DATA;
  process.env.ROTATION_SHARED_DATA = empty;
  try {
    for (const name of ['citic', 'sw', 'french49']) {
      const e = await rejectsCode(loadNamedDataset(name), 'RUN_NO_SHARED_DATA');
      assert.ok(String(e.where.tried).startsWith(empty), String(e.where.tried));
    }
  } finally {
    if (old === undefined) delete process.env.ROTATION_SHARED_DATA; else process.env.ROTATION_SHARED_DATA = old;
    rmSync(empty, { recursive: true, force: true });
  }
  const e = await rejectsCode(loadNamedDataset('french7'), 'RUN_UNKNOWN_DATASET');
  assert.ok((e.where.known as string[]).includes('french49'));
});

test('a CSV file path: read as a French industry file of any vintage; any other CSV is FRENCH_BAD_PREAMBLE saying what was expected', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rotation-fr-'));
  try {
    const head = ',Aa,Bb,Cc,Dd,Ee';
    const lines = ['This file was created using the 202312 CRSP database.', 'It contains value- and equal-weighted returns for 5 industry portfolios.', ''];
    const titles = ['Average Value Weighted Returns -- Monthly', 'Average Equal Weighted Returns -- Monthly', 'Average Value Weighted Returns -- Annual',
      'Average Equal Weighted Returns -- Annual', 'Number of Firms in Portfolios', 'Average Firm Size', 'Sum of BE / Sum of ME', 'Value-Weighted Average of BE/ME'];
    for (const t of titles) {
      lines.push(`  ${t}`, head);
      if (t.endsWith('Annual') || t.includes('BE')) lines.push('2022,1,2,3,4,5', '2023,1,2,3,4,5');
      else lines.push('202301,1,2,3,4,5', '202302,1,2,3,4,5', '202303,-1,2,3,4,5');
      lines.push('');
    }
    lines.push('Copyright 2024 Eugene F. Fama and Kenneth R. French');
    const file = path.join(dir, '5_Industry_Portfolios.CSV');
    writeFileSync(file, lines.join('\r\n'));
    const ds = await loadNamedDataset(file);
    assert.equal(ds.frequency, 'monthly');
    assert.deepEqual(ds.calendar, ['2022-12-31', '2023-01-31', '2023-02-28', '2023-03-31']);
    const other = path.join(dir, 'prices.csv');
    writeFileSync(other, 'date,close\n2023-01-03,1\n');
    const e = await rejectsCode(loadNamedDataset(other), 'FRENCH_BAD_PREAMBLE');
    assert.match(String(e.where.expected), /CRSP database/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sim: daily, periods per year from its trading calendar', async () => {
  const ds = await loadNamedDataset('sim', { seed: 7 });
  assert.equal(ds.frequency, 'daily');
  const years = (Date.parse(ds.calendar[ds.calendar.length - 1]) - Date.parse(ds.calendar[0])) / (365.25 * 86_400_000);
  assert.equal(ds.periodsPerYear, Math.round((ds.calendar.length - 1) / years));
});

test('sw: 31 industries 1999-12-30 .. 2022-12-21, codes from the workbook, month-end PE, balanced losses, PE factors available', { skip: valSkip }, async () => {
  const ds = await loadNamedDataset('sw');
  assert.equal(ds.industries.length, 31);
  assert.equal(ds.calendar[0], '1999-12-30');
  assert.equal(ds.calendar[ds.calendar.length - 1], '2022-12-21');
  assert.equal(ds.calendar.length, 5568);
  assert.equal(ds.frequency, 'daily');
  assert.ok(ds.periodsPerYear! > 235 && ds.periodsPerYear! < 250);
  const agri = ds.industries.find((x) => x.code === '801010.SI')!;
  assert.equal(agri.name, '农林牧渔');
  const j = ds.industryBars.close.assets.indexOf('801010.SI');
  assert.equal(ds.industryBars.close.values[j], 1000); // base 1000 on 1999-12-30
  for (const l of ds.losses) assertBalanced(l);
  const pe = ds.monthEnd!.pe!;
  assert.equal(pe.dates[0], '2000-12-31');
  assert.equal(pe.dates[pe.dates.length - 1], '2022-08-31');
  // on the last trading day of 2000-12 the daily PE is the 2000-12-31 value of 801010.SI (65.69)
  const t = ds.calendar.filter((d) => d <= '2000-12-31').length - 1;
  const N = ds.industries.length;
  assert.ok(Math.abs(ds.industryBars.pe!.values[t * N + j] - 65.69000244140625) < 1e-12);
  const avail = availableFactors(ds).available;
  for (const id of ['ep', 'ep_pct_5y', 'pe_chg_1m', 'pe_chg_3m', 'pe_chg_12m', 'mom_6m', 'vol_3m']) assert.ok(avail.includes(id), id);
  assert.ok(!avail.includes('bm'));
  assert.ok(ds.caveats.some((c) => c.includes('back-filled')) && ds.caveats.some((c) => c.includes('without dividends')));
});

test('citic: gains Wind PE (month ends from 2004-12), codes checked, losses balanced', { skip: valSkip || (hasSharedData('citic_l1_industry') ? false : 'shared CITIC data absent') }, async () => {
  const ds = await loadNamedDataset('citic');
  assert.equal(ds.industries.length, 30);
  const pe = ds.monthEnd!.pe!;
  const N = 30;
  const firstValid = pe.dates.findIndex((_, r) => { for (let j = 0; j < N; j++) if (pe.values[r * N + j] === pe.values[r * N + j]) return true; return false; });
  assert.equal(pe.dates[firstValid], '2004-12-31');
  assert.equal(pe.dates[pe.dates.length - 1], '2022-03-31');
  for (const l of ds.losses) assertBalanced(l);
  assert.ok(availableFactors(ds).available.includes('ep_pct_5y'));
});

test('french49: monthly, 12 periods a year, month-end BE/ME, size and firm counts; daily-window factors unavailable', { skip: hasSharedData('ff_industry_portfolios') ? false : 'shared French data absent' }, async () => {
  const ds = await loadNamedDataset('french49');
  assert.equal(ds.frequency, 'monthly');
  assert.equal(ds.periodsPerYear, 12);
  assert.equal(ds.industries.length, 49);
  for (const l of ds.losses) assertBalanced(l);
  const a = availableFactors(ds);
  assert.deepEqual([...a.available].sort(), ['bm', 'bm_chg_1y', 'mom_12_1', 'mom_1m', 'mom_3m', 'mom_6m', 'num_firms_chg_1y', 'size_avg_firm']);
  assert.deepEqual(a.unavailable.find((u) => u.id === 'vol_3m')!.missing, ['calendar.daily']);
});
