import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBalanced, totalDropped, type LossReport } from '../../../src/data/loss.js';
import { parseCsvText } from '../../../src/data/csv.js';
import {
  SCHEMAS, TABLE_NAMES, normalizeDate, normalizeReportPeriod, normalizeTime, numericFieldNames, schemaFor,
  validateForecasts, validateFundamentals, validateIndexWeights, validateIndustryBars, validateIntradayBars, validateMembership,
  validateStockBars, validateStocks,
} from '../../../src/data/schema.js';
import { dataDictionaryMarkdown } from '../../../src/data/dictionary.js';
import type { IndustryBars } from '../../../src/data/types.js';
import { throwsCode } from '../assertions.js';


/** Parse CSV text as a canonical table of `table` (numeric fields parsed as numbers). */
function csv(table: keyof typeof SCHEMAS, text: string) {
  return parseCsvText(text, { numeric: numericFieldNames(table), source: `test/${table}.csv` });
}

function reasonCount(l: LossReport, re: RegExp): number {
  let n = 0;
  for (const [k, v] of Object.entries(l.dropped)) if (re.test(k)) n += v;
  return n;
}

const BARS_HEADER = 'date,code,name,open,high,low,close,volume';
const GOOD_BARS = `${BARS_HEADER}
2024-01-02,IND01,A,10,11,9,10.5,100
2024-01-02,IND02,B,20,21,19,20.5,200
2024-01-03,IND01,A,10.5,11,10,10.8,150
2024-01-03,IND02,B,20.5,22,20,21,250
`;

test('dates: vendor formats normalise to ISO; impossible dates are rejected', () => {
  for (const s of ['2024-01-31', '20240131', '2024/1/31', '2024/01/31', '2024.1.31', '2024-1-31', '2024-01-31 00:00:00', '2024-01-31T15:00:00Z', '2024年1月31日', ' 20240131 ', '20240131.0']) {
    assert.equal(normalizeDate(s), '2024-01-31', s);
  }
  for (const s of ['2023-02-29', '2024-02-30', '20241332', 'abc', '', '31/01/2024', '2024-13-01']) assert.equal(normalizeDate(s), null, s);
  assert.equal(normalizeDate('2024-02-29'), '2024-02-29');
  assert.equal(normalizeReportPeriod('2024q1'), '2024-03-31');
  assert.equal(normalizeReportPeriod('2024Q4'), '2024-12-31');
  assert.equal(normalizeReportPeriod('20240630'), '2024-06-30');
  assert.equal(normalizeReportPeriod('2024-02-15'), null);
  assert.equal(normalizeTime('9:31'), '09:31');
  assert.equal(normalizeTime('14:00:00'), '14:00');
  assert.equal(normalizeTime('25:00'), null);
});

test('schemas: frozen, one per table, fields documented, numeric fields match the data model', () => {
  assert.equal(TABLE_NAMES.length, 8);
  for (const n of TABLE_NAMES) {
    const s = schemaFor(n);
    assert.ok(Object.isFrozen(s) && Object.isFrozen(s.fields) && Object.isFrozen(s.fields[0]));
    for (const f of s.fields) assert.ok(f.meaning && f.unit && f.pointInTime, `${n}.${f.name}`);
    for (const k of s.key) assert.ok(s.fields.some((f) => f.name === k), `${n} key ${k}`);
  }
  throwsCode(() => schemaFor('nope'), 'DATA_UNKNOWN_TABLE');
  assert.deepEqual(numericFieldNames('industry_bars'), ['open', 'high', 'low', 'close', 'volume', 'amount', 'turnover', 'pe', 'pb', 'ps', 'dividend_yield']);
});

test('industry bars: clean file → panels on the calendar, balanced report', () => {
  const r = validateIndustryBars(csv('industry_bars', GOOD_BARS));
  assertBalanced(r.loss);
  assert.equal(r.loss.rowsRead, 4);
  assert.equal(r.loss.rowsKept, 4);
  assert.deepEqual(r.calendar, ['2024-01-02', '2024-01-03']);
  assert.deepEqual(r.industries, [{ code: 'IND01', name: 'A' }, { code: 'IND02', name: 'B' }]);
  assert.deepEqual(Array.from(r.bars.close.values), [10.5, 20.5, 10.8, 21]);
  assert.deepEqual(Array.from(r.bars.volume.values), [100, 200, 150, 250]);
});

test('missing required column: DATA_MISSING_COLUMN lists expected and found', () => {
  const e = throwsCode(() => validateIndustryBars(csv('industry_bars', 'date,code,open\n2024-01-02,A,1\n')), 'DATA_MISSING_COLUMN');
  assert.deepEqual(e.where.missing, ['close']);
  assert.deepEqual(e.where.expected, ['date', 'code', 'close']);
  assert.deepEqual(e.where.found, ['date', 'code', 'open']);
  assert.match(e.message, /close/);
});

test('text in a numeric column: close → row dropped, open → cell masked; counted with row and column', () => {
  const text = `${BARS_HEADER}
2024-01-02,IND01,A,10,11,9,abc,100
2024-01-02,IND02,B,x1,21,19,20.5,200
2024-01-03,IND01,A,10.5,11,10,10.8,150
`;
  const r = validateIndustryBars(csv('industry_bars', text));
  assertBalanced(r.loss);
  assert.equal(r.loss.dropped['close: text where a number belongs (row dropped)'], 1);
  assert.equal(r.loss.dropped['open: text where a number belongs (masked to NaN)'], 1);
  assert.equal(r.loss.rowsKept, 1);
  const ex = r.loss.examples.find((e) => e.reason.startsWith('close: text'))!;
  assert.deepEqual(ex.where, { file: 'test/industry_bars.csv', line: 2, date: '2024-01-02', code: 'IND01', column: 'close', text: 'abc' });
  assert.ok(Number.isNaN(r.bars.open.values[1]));
  assert.equal(r.bars.close.values[1], 20.5);
  assert.ok(Number.isNaN(r.bars.close.values[0]), 'the dropped row leaves NaN');
  const strict = throwsCode(() => validateIndustryBars(csv('industry_bars', text), { strict: true }), 'DATA_NOT_A_NUMBER');
  assert.equal(strict.where.line, 2);
  assert.equal(strict.where.column, 'close');
});

test('duplicate (date, code): DATA_DUPLICATE_KEY names both lines', () => {
  const e = throwsCode(() => validateIndustryBars(csv('industry_bars', `${GOOD_BARS}2024-01-03,IND01,A,10.5,11,10,10.9,150\n`)), 'DATA_DUPLICATE_KEY');
  assert.match(JSON.stringify(e.where.duplicates), /2024-01-03 IND01 \(lines 4 and 6\)/);
});

test('zero / negative prices, negative volume, high < low: dropped or masked and counted; strict throws each code', () => {
  const text = `${BARS_HEADER}
2024-01-02,IND01,A,10,11,9,0,100
2024-01-02,IND02,B,20,21,19,-3,200
2024-01-03,IND01,A,-1,11,10,10.8,150
2024-01-03,IND02,B,20.5,22,20,21,-5
2024-01-04,IND01,A,10,9,11,10.2,150
2024-01-04,IND02,B,20,21,19,20.1,0
`;
  const r = validateIndustryBars(csv('industry_bars', text));
  assertBalanced(r.loss);
  assert.equal(r.loss.dropped['close <= 0 (row dropped)'], 2);
  assert.equal(r.loss.dropped['open <= 0 (masked to NaN)'], 1);
  assert.equal(r.loss.dropped['volume < 0 (masked to NaN)'], 1);
  assert.equal(r.loss.dropped['high < low (high and low masked to NaN)'], 1);
  assert.equal(r.loss.rowsKept, 1, 'zero volume is a valid observation');
  const hl = r.loss.examples.find((e) => e.reason.startsWith('high < low'))!;
  assert.equal(hl.where.high, 9);
  assert.equal(hl.where.low, 11);
  const lines = text.trim().split('\n');
  const one = (k: number) => csv('industry_bars', `${lines[0]}\n${lines[k]}\n`);
  throwsCode(() => validateIndustryBars(one(1), { strict: true }), 'DATA_NONPOSITIVE_PRICE');
  throwsCode(() => validateIndustryBars(one(3), { strict: true }), 'DATA_NONPOSITIVE_PRICE');
  throwsCode(() => validateIndustryBars(one(4), { strict: true }), 'DATA_NEGATIVE_VOLUME');
  throwsCode(() => validateIndustryBars(one(5), { strict: true }), 'DATA_HIGH_BELOW_LOW');
});

test('dates after asOf are dropped and counted (strict: DATA_AFTER_AS_OF); bad dates dropped', () => {
  const t = () => csv('industry_bars', `${GOOD_BARS}2024-13-01,IND01,A,1,1,1,1,1\n`);
  const r = validateIndustryBars(t(), { asOf: '2024-01-02' });
  assertBalanced(r.loss);
  assert.equal(r.loss.dropped['date after asOf 2024-01-02 (row dropped)'], 2);
  assert.equal(r.loss.dropped['date: unparseable date (row dropped)'], 1);
  assert.deepEqual(r.calendar, ['2024-01-02']);
  throwsCode(() => validateIndustryBars(csv('industry_bars', GOOD_BARS), { asOf: '2024-01-02', strict: true }), 'DATA_AFTER_AS_OF');
  throwsCode(() => validateIndustryBars(csv('industry_bars', GOOD_BARS), { asOf: '2024/01/02' }), 'DATA_BAD_DATE');
});

test('unknown columns are reported in the notes; absent optional columns give NaN panels', () => {
  const r = validateIndustryBars(csv('industry_bars', 'date,code,close,foo,bar\n2024-01-02,A,1,x,y\n'));
  assert.ok(r.loss.notes.includes('unknown column(s) ignored: foo, bar'), r.loss.notes.join('; '));
  assert.ok(r.loss.notes.some((n) => /column open absent/.test(n)));
  assert.ok(Number.isNaN(r.bars.open.values[0]));
});

test('vendor zero placeholders masked when asked (zeroIsMissing), row counted once', () => {
  const text = `${BARS_HEADER}\n2024-01-02,IND01,A,0,0,0,10.5,0\n2024-01-03,IND01,A,10,11,9,10.6,0\n`;
  const r = validateIndustryBars(csv('industry_bars', text), { zeroIsMissing: ['open', 'high', 'low', 'volume'] });
  assertBalanced(r.loss);
  assert.equal(totalDropped(r.loss), 2);
  assert.equal(r.bars.close.values[0], 10.5);
  assert.ok(Number.isNaN(r.bars.open.values[0]) && Number.isNaN(r.bars.volume.values[0]) && Number.isNaN(r.bars.volume.values[1]));
  assert.ok(r.loss.notes.some((n) => /: 5$/.test(n)), r.loss.notes.join('; '));
});

test('ragged rows count as read and dropped (strict: DATA_RAGGED_ROW)', () => {
  const r = validateIndustryBars(csv('industry_bars', `${GOOD_BARS}数据来源：Wind\n`));
  assertBalanced(r.loss);
  assert.equal(r.loss.rowsRead, 5);
  assert.equal(r.loss.dropped['wrong number of fields (row dropped)'], 1);
  throwsCode(() => validateIndustryBars(csv('industry_bars', `${GOOD_BARS}x\n`), { strict: true }), 'DATA_RAGGED_ROW');
});

test('stock bars: close/volume/amount/caps/tradable rules', () => {
  const text = `date,code,close,volume,amount,total_cap,tradable
2024-01-02,000001.SZ,10,100,1000,5e9,1
2024-01-02,000002.SZ,abc,100,1000,5e9,1
2024-01-03,000001.SZ,10.1,-1,1000,5e9,1
2024-01-03,000002.SZ,8,100,1000,0,2
`;
  const r = validateStockBars(csv('stock_bars', text));
  assertBalanced(r.loss);
  assert.deepEqual(r.stocks, ['000001.SZ', '000002.SZ']);
  assert.equal(r.loss.rowsKept, 1);
  assert.equal(reasonCount(r.loss, /close: text/), 1);
  assert.equal(reasonCount(r.loss, /volume < 0/), 1);
  assert.equal(reasonCount(r.loss, /total_cap <= 0/), 1);
  assert.ok(r.loss.notes.some((n) => /tradable: outside/.test(n)));
  const bars = r.bars as Required<typeof r.bars>;
  assert.ok(Number.isNaN(bars.tradable.values[3]));
  assert.equal(bars.totalCap.values[0], 5e9);
  throwsCode(() => validateStockBars(csv('stock_bars', 'date,code,close\n2024-01-02,A,1\n2024-01-02,A,2\n')), 'DATA_DUPLICATE_KEY');
});

test('fundamentals: announced on/before the period end is dropped (point in time); strict throws', () => {
  const text = `stock,report_period,announce_date,revenue,net_profit
000001.SZ,2023-12-31,2024-03-15,100,10
000001.SZ,2024-03-31,2024-03-31,100,10
000001.SZ,2024-06-30,2024-05-01,100,10
000002.SZ,2024q1,2024-04-20,abc,10
000002.SZ,2024-02-15,2024-04-20,1,1
000002.SZ,2024-06-30,2024-08-20,1,1
`;
  const r = validateFundamentals(csv('fundamentals', text), { asOf: '2024-06-30' });
  assertBalanced(r.loss);
  assert.equal(r.loss.dropped['announce_date on or before report_period end (row dropped: not point in time)'], 2);
  assert.equal(r.loss.dropped['revenue: text where a number belongs (masked to NaN)'], 1);
  assert.equal(r.loss.dropped['report_period: not a quarter end (row dropped)'], 1);
  assert.equal(r.loss.dropped['announce_date after asOf 2024-06-30 (row dropped)'], 1);
  assert.deepEqual(r.records.map((x) => `${x.stock} ${x.reportPeriod} ${x.announceDate}`), ['000001.SZ 2023-12-31 2024-03-15', '000002.SZ 2024-03-31 2024-04-20']);
  assert.ok(Number.isNaN(r.records[1].revenue));
  const e = throwsCode(() => validateFundamentals(csv('fundamentals', text), { strict: true }), 'DATA_ANNOUNCED_BEFORE_PERIOD_END');
  assert.equal(e.where.line, 3);
  throwsCode(() => validateFundamentals(csv('fundamentals', 'stock,report_period,announce_date,revenue,net_profit\nA,2023-12-31,2024-03-15,1,1\nA,2023-12-31,2024-03-15,2,2\n')), 'DATA_DUPLICATE_KEY');
});

test('membership: overlapping windows for one stock → DATA_MEMBERSHIP_OVERLAP naming the stock and both windows', () => {
  const text = `stock,industry,scheme,valid_from,valid_to
000001.SZ,IND01,s,2015-01-05,2018-12-31
000001.SZ,IND02,s,2018-06-01,
600000.SH,IND01,s,2015-01-05,2200-01-01
`;
  const e = throwsCode(() => validateMembership(csv('industry_membership', text)), 'DATA_MEMBERSHIP_OVERLAP');
  assert.match(e.message, /000001\.SZ/);
  assert.match(e.message, /\[2015-01-05 \.\. 2018-12-31\] IND01/);
  assert.match(e.message, /\[2018-06-01 \.\. open\] IND02/);
  assert.deepEqual(e.where.lines, [2, 3]);
  // different schemes do not overlap; touching windows do not overlap
  const ok = validateMembership(csv('industry_membership', `stock,industry,scheme,valid_from,valid_to
000001.SZ,IND01,a,2015-01-05,2018-12-31
000001.SZ,IND02,a,2019-01-01,2200-01-01 00:00:00
000001.SZ,X,b,2015-01-05,
000002.SZ,X,b,2020-01-01,2019-01-01
000003.SZ,获取失败,b,2020-01-01,
`), { industryPattern: /^[A-Z]+\d*$/ });
  assertBalanced(ok.loss);
  assert.equal(ok.records.length, 3);
  assert.equal(ok.records[1].validTo, undefined, '2200-01-01 means still valid');
  assert.equal(ok.loss.dropped['valid_to before valid_from (row dropped)'], 1);
  assert.equal(ok.loss.dropped['industry: not a valid code (row dropped)'], 1);
});

test('index weights: not summing to 100% on a date → error listing the dates; renormalize rescales', () => {
  const text = `date,index,stock,weight_pct
2024-01-31,I,A,60
2024-01-31,I,B,40
2024-02-29,I,A,60
2024-02-29,I,B,39
2024-03-29,I,A,50
2024-03-29,I,B,50.4
`;
  const e = throwsCode(() => validateIndexWeights(csv('index_weights', text)), 'DATA_WEIGHTS_NOT_100');
  assert.deepEqual(e.where.dates, ['2024-02-29 I: 99.000%']);
  const r = validateIndexWeights(csv('index_weights', text), { renormalize: true });
  assertBalanced(r.loss);
  const feb = r.records.filter((x) => x.date === '2024-02-29');
  assert.ok(Math.abs(feb[0].weight + feb[1].weight - 1) < 1e-12);
  assert.ok(Math.abs(feb[0].weight - 60 / 99) < 1e-12);
  assert.ok(r.loss.notes.some((n) => /renormalized weights to 100% on 1 \(date, index\) pair/.test(n) && /2024-02-29/.test(n)), r.loss.notes.join('; '));
  const frac = validateIndexWeights(csv('index_weights', 'date,index,stock,weight_pct\n2024-01-31,I,A,0.6\n2024-01-31,I,B,0.4\n'), { weightUnit: 'auto' });
  assert.deepEqual(frac.records.map((x) => x.weight), [0.6, 0.4]);
  const bad = validateIndexWeights(csv('index_weights', 'date,index,stock,weight_pct\n2024-01-31,I,A,100\n2024-01-31,I,B,-1\n2024-01-31,I,C,x\n'));
  assertBalanced(bad.loss);
  assert.equal(bad.loss.dropped['weight_pct blank, not a number or negative (row dropped)'], 2);
});

test('forecasts, intraday bars and stock list validate into the data model', () => {
  const f = validateForecasts(csv('analyst_forecasts', `stock,forecast_date,broker,fiscal_year,net_profit,eps,rating
A,2024-01-10,B1,2024,100,1,5
A,2024-01-10,B2,2024.5,100,1,4
A,2024-01-11,B1,2024,100,1,7
`));
  assertBalanced(f.loss);
  assert.equal(f.records.length, 2);
  assert.ok(Number.isNaN(f.records[1].rating));
  assert.equal(f.loss.dropped['fiscal_year: not an integer (row dropped)'], 1);
  const i = validateIntradayBars(csv('intraday_bars', `date,time,code,open,high,low,close,volume
2024-01-02,10:00,X,1,1,1,1,5
2024-01-02,9:45,X,1,1,1,1.5,5
2024-01-02,10:00,Y,1,1,1,2,5
2024-01-03,25:00,Y,1,1,1,2,5
`));
  assertBalanced(i.loss);
  assert.deepEqual(i.bars.times, ['09:45', '10:00']);
  assert.deepEqual(Array.from(i.bars.close), [1.5, 1, NaN, 2]);
  const s = validateStocks(csv('stocks', 'code,name,list_date,delist_date\n000001.SZ,A,1991-04-03,\n000002.SZ,B,19910129,2024-06-30\n'));
  assert.deepEqual(s.stocks, [{ code: '000001.SZ', name: 'A', listDate: '1991-04-03' }, { code: '000002.SZ', name: 'B', listDate: '1991-01-29', delistDate: '2024-06-30' }]);
});

test('IndustryBars panels share dates and assets', () => {
  const r = validateIndustryBars(csv('industry_bars', GOOD_BARS));
  const keys: (keyof IndustryBars)[] = ['open', 'high', 'low', 'close', 'volume'];
  for (const k of keys) {
    assert.deepEqual(r.bars[k]!.dates, r.calendar);
    assert.deepEqual(r.bars[k]!.assets, ['IND01', 'IND02']);
  }
});

test('data dictionary: deterministic, covers every table and field, extra sections appended', () => {
  const a = dataDictionaryMarkdown();
  const b = dataDictionaryMarkdown();
  assert.equal(a, b);
  for (const n of TABLE_NAMES) {
    assert.ok(a.includes(`(\`${n}\`)`), n);
    for (const f of SCHEMAS[n].fields) assert.ok(a.includes(`| \`${f.name}\` |`), `${n}.${f.name}`);
  }
  assert.ok(a.includes('| stock_bars | `vol` | `volume` | lots of 100 shares (手) ×100 |'));
  const c = dataDictionaryMarkdown([{ title: 'Sources', markdown: 'CITIC L1 from Wind.' }]);
  assert.ok(c.endsWith('## Sources\n\nCITIC L1 from Wind.\n'));
  assert.ok(!a.includes('\n\n\n'));
});
