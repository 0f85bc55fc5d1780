import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertBalanced } from '../../../src/data/loss.js';
import { parseCsvText, readCsvHeader, readTextFile } from '../../../src/data/csv.js';
import {
  VENDOR_COLUMNS, detectVendor, loadFundamentalsCsv, loadForecastsCsv, loadIndexWeightsCsv, loadIntradayBarsCsv, loadMembershipCsv,
  loadStockBarsCsv, loadStocksCsv, mapVendorColumns, normalizeHeader, normalizeSecurityCode, ratingFromText, readTable, unitSanityNotes,
} from '../../../src/data/vendors.js';
import { loadExportsDir, loadIndustryBarsCsv } from '../../../src/data/citic.js';
import { throwsCode } from '../assertions.js';
import { forecastCount } from '../../../src/data/forecasts.js';

const S = (f: string) => path.join('data/samples', f);


function tmpFile(name: string, content: string | Uint8Array): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-vendors-'));
  const f = path.join(d, name);
  fs.writeFileSync(f, content);
  return f;
}

const header = (f: string) => readCsvHeader(readTextFile(S(f)).text);

test('vendor auto-detection from headers', () => {
  assert.equal(detectVendor(header('stock_bars_tushare.csv'), 'stock_bars').vendor, 'tushare');
  assert.equal(detectVendor(header('stock_bars_joinquant.csv'), 'stock_bars').vendor, 'joinquant');
  assert.equal(detectVendor(header('stock_bars_ricequant.csv'), 'stock_bars').vendor, 'ricequant');
  assert.equal(detectVendor(header('industry_bars_wind_gbk.csv'), 'industry_bars').vendor, 'wind');
  assert.equal(detectVendor(header('industry_bars_tushare_sw.csv'), 'industry_bars').vendor, 'tushare');
  assert.equal(detectVendor(header('industry_bars.csv'), 'industry_bars').vendor, 'canonical');
  assert.equal(detectVendor(['WINDCODE', 'DATE', 'OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME', 'AMT'], 'industry_bars').vendor, 'wind');
});

test('codes: .XSHG/.XSHE → .SH/.SZ, leading zeros kept, others unchanged', () => {
  assert.equal(normalizeSecurityCode('000001.XSHE'), '000001.SZ');
  assert.equal(normalizeSecurityCode('600000.XSHG'), '600000.SH');
  assert.equal(normalizeSecurityCode('430047.BJSE'), '430047.BJ');
  assert.equal(normalizeSecurityCode('CI005001.WI'), 'CI005001.WI');
  assert.equal(normalizeSecurityCode('000001'), '000001');
  const r = loadStockBarsCsv(S('stock_bars_joinquant.csv'));
  assert.deepEqual(r.stocks, ['000001.SZ', '600000.SH']);
  assert.ok(r.loss.notes.some((n) => /4 code\(s\) with \.XSHG\/\.XSHE/.test(n)));
});

test('Tushare daily: vol (lots of 100) ×100, amount (thousand CNY) ×1000; units check consistent; yyyymmdd dates', () => {
  const r = loadStockBarsCsv(S('stock_bars_tushare.csv'));
  assertBalanced(r.loss);
  assert.deepEqual(r.calendar, ['2024-01-02', '2024-01-03']);
  const a = r.bars.close.assets.indexOf('000001.SZ');
  const A = r.bars.close.assets.length;
  assert.equal(r.bars.volume.values[a], 115836645);
  assert.equal(r.bars.amount!.values[a], 1075742252);
  assert.equal(r.bars.volume.values[A + a], 73361000);
  assert.ok(r.loss.notes.some((n) => /units check: .* consistent/.test(n)), r.loss.notes.join('; '));
  assert.ok(r.loss.notes.some((n) => /not adjusted/.test(n)));
  // same numbers from JoinQuant / RQData exports (already in shares and CNY)
  const jq = loadStockBarsCsv(S('stock_bars_joinquant.csv'));
  assert.deepEqual(Array.from(jq.bars.volume.values), Array.from(r.bars.volume.values));
  assert.deepEqual(Array.from(jq.bars.amount!.values), Array.from(r.bars.amount!.values));
  const rq = loadStockBarsCsv(S('stock_bars_ricequant.csv'));
  assert.deepEqual(Array.from(rq.bars.volume.values), [115836645, 73361000]);
});

test('Tushare sw_daily / ci_daily (.SI / .CI codes): vol 万股 ×1e4, amount 万元 ×1e4; newest-first rows sorted', () => {
  const r = loadIndustryBarsCsv(S('industry_bars_tushare_sw.csv'), { layout: 'long' });
  assertBalanced(r.loss);
  assert.deepEqual(r.calendar, ['2024-01-02', '2024-01-03']);
  assert.deepEqual(r.industries.map((x) => x.code), ['801010.SI', '801780.SI']);
  assert.equal(r.bars.volume.values[0], 8000 * 1e4);
  assert.equal(r.bars.amount!.values[2], 95000.25 * 1e4);
  assert.equal(r.bars.pe!.values[0], 28);
  // index_daily codes (no .CI/.SI): lots and thousands
  const f = tmpFile('idx.csv', 'ts_code,trade_date,open,high,low,close,vol,amount\n000300.SH,20240102,3400,3410,3390,3405,1000,2000\n');
  const idx = loadIndustryBarsCsv(f, { layout: 'long' });
  assert.equal(idx.bars.volume.values[0], 1000 * 100);
  assert.equal(idx.bars.amount!.values[0], 2000 * 1000);
});

test('units check warns when volume/amount units look wrong', () => {
  const t = parseCsvText('date,code,close,volume,amount\n2024-01-02,A,10,1000,10\n2024-01-03,A,10,2000,20\n2024-01-04,A,10,1500,15\n', { numeric: ['close', 'volume', 'amount'] });
  const notes = unitSanityNotes(t);
  assert.match(notes[0], /about 0\.001/);
});

test('Wind GBK export: Chinese headers with units, yyyy/m/d dates, footer line counted', () => {
  const r = loadIndustryBarsCsv(S('industry_bars_wind_gbk.csv'), { layout: 'long' });
  assertBalanced(r.loss);
  assert.deepEqual(r.industries, [{ code: 'CI005001.WI', name: '石油石化' }, { code: 'CI005002.WI', name: '煤炭' }]);
  assert.deepEqual(r.calendar, ['2024-01-02', '2024-01-03']);
  assert.equal(r.bars.open.values[0], 2413.34);
  assert.equal(r.loss.dropped['wrong number of fields (row dropped)'], 1);
  assert.ok(r.loss.notes.some((n) => /GBK/.test(n)));
  assert.ok(r.loss.examples.some((e) => String(e.where.record).includes('数据来源')));
  // units in the header: 成交量(手) ×100, 成交额(万元) ×1e4, full-width parentheses accepted
  const f = tmpFile('w.csv', '代码,日期,收盘价（元）,成交量（手）,成交额（万元）\n000001.SZ,2024-01-02,9.21,1158366.45,107574.2252\n');
  const s = loadStockBarsCsv(f);
  assert.equal(s.bars.volume.values[0], 115836645);
  assert.ok(Math.abs(s.bars.amount!.values[0] - 1075742252) < 1e-3);
  assert.equal(normalizeHeader(' 成交额（万元） '), '成交额(万元)');
});

test('RQData index weights: fractions detected, constants fill date and index', () => {
  const r = loadIndexWeightsCsv(S('index_weights_ricequant.csv'), { constants: { date: '2024-01-31', index: '000300.SH' } });
  assertBalanced(r.loss);
  assert.deepEqual(r.records, [
    { date: '2024-01-31', index: '000300.SH', stock: '000001.SZ', weight: 0.605 },
    { date: '2024-01-31', index: '000300.SH', stock: '600000.SH', weight: 0.395 },
  ]);
  assert.ok(r.loss.notes.some((n) => /weight unit detected from the sums: fraction/.test(n)));
  const pct = loadIndexWeightsCsv(S('index_weights.csv'));
  assert.equal(pct.records.length, 4);
  assert.equal(pct.records[0].weight, 0.605);
});

test('transforms: rating words, fiscal year from quarter, split datetime, RQData 0000-00-00', () => {
  assert.equal(ratingFromText('买入'), 5);
  assert.equal(ratingFromText('增持'), 4);
  assert.equal(ratingFromText('Neutral'), 3);
  assert.equal(ratingFromText('4'), 4);
  assert.ok(Number.isNaN(ratingFromText('???')));
  const fc = loadForecastsCsv(tmpFile('rc.csv', 'ts_code,report_date,org_name,quarter,np,eps,rating\n000001.SZ,20240110,Broker A,2024Q4,460000,2.37,买入\n000001.SZ,20240111,Broker B,2024Q4,450000,2.3,跑输行业\n'));
  assertBalanced(fc.loss);
  assert.deepEqual(fc.records.map((x) => [x.fiscalYear, x.netProfit, x.rating]), [[2024, 4.6e9, 5], [2024, 4.5e9, 2]]);
  const intra = loadIntradayBarsCsv(tmpFile('m.csv', 'order_book_id,datetime,open,high,low,close,volume\n000001.XSHE,2024-01-02 09:31:00,9.39,9.4,9.38,9.39,100\n000001.XSHE,2024-01-02 09:32:00,9.39,9.41,9.38,9.4,120\n'));
  assert.deepEqual(intra.bars.times, ['09:31', '09:32']);
  assert.deepEqual(intra.bars.codes, ['000001.SZ']);
  const st = loadStocksCsv(tmpFile('ins.csv', 'order_book_id,symbol,listed_date,de_listed_date\n000001.XSHE,平安银行,1991-04-03,0000-00-00\n000002.XSHE,万科A,1991-01-29,2099-01-01\n'));
  assert.equal(st.stocks[0].delistDate, undefined);
  assert.equal(st.stocks[0].code, '000001.SZ');
});

test('two vendor columns for one canonical column: the first rule wins, the other is noted', () => {
  const f = tmpFile('inc.csv', 'ts_code,ann_date,f_ann_date,end_date,revenue,n_income_attr_p\n000001.SZ,20240315,20240316,20231231,100,10\n');
  const r = loadFundamentalsCsv(f);
  assertBalanced(r.loss);
  assert.equal(r.records[0].announceDate, '2024-03-16', 'f_ann_date (actual announcement) preferred');
  assert.ok(r.loss.notes.some((n) => /ann_date \(f_ann_date already gives announce_date\)/.test(n)), r.loss.notes.join('; '));
  assert.ok(r.loss.notes.some((n) => /year-to-date/.test(n)));
});

test('JoinQuant Shenwan membership: 2200-01-01 is open, codes converted', () => {
  const f = tmpFile('sw.csv', 'stock_code,start_date,end_date,sw1_code,sw1_name\n000001.XSHE,1991-04-03,2200-01-01,801780,银行\n');
  const r = loadMembershipCsv(f, { scheme: 'sw_l1', vendor: 'joinquant' });
  assert.deepEqual(r.records, [{ stock: '000001.SZ', industry: '801780', scheme: 'sw_l1', validFrom: '1991-04-03' }]);
  assert.equal(r.industryNames.get('801780'), '银行');
});

test('readTable: mapping keeps the row count and parses only numeric targets', () => {
  const t = readTable(S('stock_bars_tushare.csv'), 'stock_bars');
  assert.equal(t.vendor, 'tushare');
  assert.equal(t.nRows, 4);
  assert.ok(t.num.volume && t.text.code && t.text.date);
  assert.equal(t.text.code[0], '000001.SZ');
  const m = mapVendorColumns(parseCsvText('code,close\n000001.XSHE,1\n', { numeric: ['close'] }), 'stock_bars', 'canonical');
  assert.deepEqual(m.text.code, ['000001.SZ']);
});

test('every vendor rule maps onto a canonical column of its table', async () => {
  const { SCHEMAS } = await import('../../../src/data/schema.js');
  for (const [vendor, tables] of Object.entries(VENDOR_COLUMNS)) {
    for (const [table, rules] of Object.entries(tables)) {
      const names = new Set(SCHEMAS[table as keyof typeof SCHEMAS].fields.map((f) => f.name));
      for (const r of rules ?? []) assert.ok(names.has(r.to) || (r.to === 'datetime' && r.transform === 'split_datetime'), `${vendor}.${table}: ${r.from} → ${r.to}`);
    }
  }
});

test('--data DIR: data/samples loads as a folder of exports; missing folder / files are named errors', () => {
  const ds = loadExportsDir('data/samples');
  for (const l of ds.losses) assertBalanced(l);
  assert.deepEqual(ds.industries.map((x) => x.code), ['IND01', 'IND02']);
  assert.equal(ds.calendar.length, 3);
  assert.ok(ds.stocks && ds.stocks.stocks.length === 2 && ds.stocks.fundamentals!.length === 3 && forecastCount(ds.stocks.forecasts!) === 3);
  assert.equal(ds.stocks!.indexWeights!.length, 4);
  assert.equal(ds.industryIntraday!.barsPerDay, 2);
  throwsCode(() => loadExportsDir('data/no-such-folder'), 'DATA_DIR_NOT_FOUND');
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-empty-'));
  const e = throwsCode(() => loadExportsDir(empty), 'DATA_FILE_NOT_FOUND');
  assert.match(e.message, /industry_bars\.csv or industry_close_wide\.csv/);
  // wide-only folder
  fs.copyFileSync(S('industry_close_wide.csv'), path.join(empty, 'industry_close_wide.csv'));
  const wide = loadExportsDir(empty);
  assert.ok(wide.caveats.some((c) => /close-only/.test(c)));
});
