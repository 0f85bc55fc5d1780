import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createRng } from '../../../src/random.js';
import {
  MAX_STRING_CHARS, NUM_BLANK, NUM_OK, NUM_TEXT, decodeText, detectDelimiter, displayPath, firstInvalidGbkByte, numericColumn, parseCsvText,
  parseNumberCell, readCsv, readTextFile, sharedDataDir,
} from '../../../src/data/csv.js';
import { throwsCode } from '../assertions.js';

const SAMPLES = path.resolve(process.cwd(), 'data/samples');


function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-csv-'));
}

test('nonexistent file: DATA_FILE_NOT_FOUND names the path tried (relative)', () => {
  const e = throwsCode(() => readTextFile('data/samples/no_such_file.csv'), 'DATA_FILE_NOT_FOUND');
  assert.match(e.message, /data\/samples\/no_such_file\.csv/);
  assert.equal(e.where.file, 'data/samples/no_such_file.csv');
  assert.ok(!String(e.where.file).startsWith('/'), 'path is shown relative to the project');
});

test('nonexistent file: hints at a .gz sibling', () => {
  const d = tmpDir();
  fs.writeFileSync(path.join(d, 'x.csv.gz'), zlib.gzipSync('a,b\n1,2\n'));
  const e = throwsCode(() => readTextFile(path.join(d, 'x.csv')), 'DATA_FILE_NOT_FOUND');
  assert.match(e.message, /x\.csv\.gz exists/);
});

test('a directory is not a file', () => {
  throwsCode(() => readTextFile(SAMPLES), 'DATA_FILE_NOT_FOUND');
});

test('empty file (0 bytes), whitespace-only and header-only files: DATA_EMPTY_FILE', () => {
  const d = tmpDir();
  for (const [name, content] of [['empty.csv', ''], ['blank.csv', ' \n\n  \r\n'], ['header.csv', 'date,code,close\n']] as const) {
    fs.writeFileSync(path.join(d, name), content);
    const e = throwsCode(() => readCsv(path.join(d, name)), 'DATA_EMPTY_FILE');
    assert.match(String(e.where.file), new RegExp(name));
  }
});

test('GBK-encoded Wind sample decodes as GBK and says so', () => {
  const tf = readTextFile(path.join(SAMPLES, 'industry_bars_wind_gbk.csv'));
  assert.equal(tf.encoding, 'gbk');
  assert.ok(tf.text.startsWith('代码,简称,日期,开盘价(元)'));
  assert.ok(tf.text.includes('石油石化'));
  const t = readCsv(path.join(SAMPLES, 'industry_bars_wind_gbk.csv'));
  assert.ok(t.notes.some((n) => /GBK/.test(n)), t.notes.join('; '));
  assert.equal(t.text['代码'][0], 'CI005001.WI');
});

test('BOM-prefixed CSV: BOM stripped, first header clean, CRLF handled', () => {
  const t = readCsv(path.join(SAMPLES, 'stock_bars_bom.csv'), { numeric: ['close', 'volume'] });
  assert.equal(t.bom, true);
  assert.deepEqual(t.header, ['date', 'code', 'close', 'volume']);
  assert.deepEqual(t.text.date, ['2024-01-02', '2024-01-03', '2024-01-02']);
  assert.deepEqual(Array.from(t.num.close), [9.21, 9.2, 6.62]);
  assert.ok(t.notes.some((n) => /byte-order mark/.test(n)));
});

test('gzip detected by magic bytes, not by file name', () => {
  const d = tmpDir();
  const f = path.join(d, 'plain-name.csv');
  fs.writeFileSync(f, zlib.gzipSync('date,code,close\n2024-01-02,000001.SZ,1.5\n'));
  const tf = readTextFile(f);
  assert.equal(tf.gzip, true);
  assert.equal(tf.text, 'date,code,close\n2024-01-02,000001.SZ,1.5\n');
  const bad = path.join(d, 'truncated.csv.gz');
  fs.writeFileSync(bad, zlib.gzipSync('date,code\n'.repeat(100)).subarray(0, 20));
  throwsCode(() => readTextFile(bad), 'DATA_GZIP');
});

test('undecodable bytes: DATA_ENCODING says what was found', () => {
  const e = throwsCode(() => decodeText(Uint8Array.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0xfd]), 'x.csv'), 'DATA_ENCODING');
  assert.match(e.message, /neither valid UTF-8 .* nor valid GBK/);
  assert.ok(typeof e.where.bytes === 'string' && /ff/.test(e.where.bytes as string));
  const u16 = throwsCode(() => decodeText(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]), 'x.csv'), 'DATA_ENCODING');
  assert.match(u16.message, /UTF-16 LE/);
  const nul = throwsCode(() => decodeText(Uint8Array.from([0x61, 0x00, 0x62, 0x00]), 'x.csv'), 'DATA_ENCODING');
  assert.match(nul.message, /NUL/);
  assert.equal(firstInvalidGbkByte(Uint8Array.from([0x41, 0xd6, 0xd0, 0xff])), 3);
  assert.equal(firstInvalidGbkByte(Uint8Array.from([0x41, 0xd6, 0xd0])), -1);
});

test('valid UTF-8 is preferred to GBK; plain ASCII reports UTF-8', () => {
  assert.equal(decodeText(new TextEncoder().encode('代码,x\n1,2\n'), 's').encoding, 'utf-8');
  assert.equal(decodeText(new TextEncoder().encode('a,b\n'), 's').encoding, 'utf-8');
});

test('identifier columns are never coerced: "000001" stays a string', () => {
  const t = parseCsvText('code,date,close\n000001,20240102,1.50\n600000,20240103,2\n', { numeric: ['close'] });
  assert.deepEqual(t.text.code, ['000001', '600000']);
  assert.deepEqual(t.text.date, ['20240102', '20240103']);
  assert.deepEqual(Array.from(t.num.close), [1.5, 2]);
  assert.equal(t.num.code, undefined);
});

test('quoted fields: delimiters, escaped quotes and embedded newlines; line numbers follow', () => {
  const text = 'code,name,close\n"000001","Ping ""An"", Bank",1.5\n000002,"two\nlines",2\n000004,plain,3\n';
  const t = parseCsvText(text, { numeric: ['close'] });
  assert.deepEqual(t.text.name, ['Ping "An", Bank', 'two\nlines', 'plain']);
  assert.deepEqual(t.text.code, ['000001', '000002', '000004']);
  assert.deepEqual(Array.from(t.lines), [2, 3, 5]);
  const q = parseCsvText('a,b\n"1.25"," 7 "\n', { numeric: ['a', 'b'] });
  assert.deepEqual(Array.from(q.num.a), [1.25]);
  assert.deepEqual(Array.from(q.num.b), [7]);
});

test('blank lines are ignored; ragged records are skipped with their line', () => {
  const t = parseCsvText('a,b,c\n1,2,3\n\n4,5\n6,7,8,9\n10,11,12\r\n', { numeric: ['a', 'b', 'c'] });
  assert.equal(t.nRows, 2);
  assert.deepEqual(Array.from(t.num.a), [1, 10]);
  assert.deepEqual(t.skipped.map((s) => s.line), [4, 5]);
  assert.match(t.skipped[0].reason, /2 field\(s\), header has 3/);
  const trailing = parseCsvText('a,b,\n1,2\n3,4,\n', { numeric: ['a', 'b'] });
  assert.equal(trailing.nRows, 2, 'a header ending with a delimiter does not make rows ragged');
  assert.deepEqual(Array.from(trailing.num.b), [2, 4]);
});

test('text in a numeric column: NaN with status NUM_TEXT and the offending text kept', () => {
  const t = parseCsvText('code,close\nA,1.5\nB,abc\nC,\nD,NA\nE,--\nF,"1,234.5"\nG,1e3\nH,Infinity\n', { numeric: ['close'] });
  const st = Array.from(t.numStatus.close);
  assert.deepEqual(st, [NUM_OK, NUM_TEXT, NUM_BLANK, NUM_BLANK, NUM_BLANK, NUM_OK, NUM_OK, NUM_TEXT]);
  assert.equal(t.badText.close.get(1), 'abc');
  assert.equal(t.num.close[5], 1234.5);
  assert.equal(t.num.close[6], 1000);
  assert.ok(Number.isNaN(t.num.close[1]));
});

test('fast number parsing agrees with Number() bit for bit', () => {
  const rng = createRng(7);
  for (let k = 0; k < 20000; k++) {
    const digits = 1 + rng.int(15);
    const intPart = String(rng.int(10 ** Math.min(digits, 9)));
    const frac = String(rng.int(10 ** (1 + rng.int(6)))).padStart(1 + rng.int(6), '0');
    const s = `${rng.uniform() < 0.3 ? '-' : ''}${intPart}${rng.uniform() < 0.8 ? `.${frac}` : ''}`;
    const got = parseNumberCell(s);
    assert.equal(got.status, NUM_OK, s);
    assert.ok(Object.is(got.value, Number(s)) || (got.value === 0 && Number(s) === 0), `${s}: ${got.value} vs ${Number(s)}`);
  }
  for (const s of ['0.1', '0.000001', '123456789012345678', '1.7976931348623157e308', '  42  ', '+3.5', '007', '-0.0']) {
    assert.equal(parseNumberCell(s).value, Number(s.trim()), s);
  }
});

test('delimiter detection (comma, tab, semicolon) and duplicate headers', () => {
  assert.equal(detectDelimiter('a\tb\tc'), '\t');
  assert.equal(detectDelimiter('a;b;c'), ';');
  assert.equal(detectDelimiter('a,b;c,d'), ',');
  const t = parseCsvText('stock_code\tsw1_code\n000001.SZ\t801780\n');
  assert.deepEqual(t.text.sw1_code, ['801780']);
  throwsCode(() => parseCsvText('a,b,a\n1,2,3\n'), 'DATA_DUPLICATE_COLUMN');
});

test('numericColumn parses a text column on demand', () => {
  const t = parseCsvText('x,y\n1,a\n2.5,\n');
  const c = numericColumn(t, 'x')!;
  assert.deepEqual(Array.from(c.values), [1, 2.5]);
  const y = numericColumn(t, 'y')!;
  assert.deepEqual(Array.from(y.status), [NUM_TEXT, NUM_BLANK]);
  assert.equal(numericColumn(t, 'z'), undefined);
});

test('shared data root: ROTATION_SHARED_DATA overrides ../shared/data', () => {
  const before = process.env.ROTATION_SHARED_DATA;
  try {
    delete process.env.ROTATION_SHARED_DATA;
    assert.equal(sharedDataDir(), path.resolve(process.cwd(), '../shared/data'));
    process.env.ROTATION_SHARED_DATA = 'some/other/place';
    assert.equal(sharedDataDir(), path.resolve('some/other/place'));
  } finally {
    if (before === undefined) delete process.env.ROTATION_SHARED_DATA;
    else process.env.ROTATION_SHARED_DATA = before;
  }
  assert.equal(displayPath(path.resolve('data/samples/x.csv')), 'data/samples/x.csv');
});

test('a file over the string limit is DATA_FILE_TOO_LARGE naming the limit, never DATA_ENCODING', () => {
  // the real limit (2^29 − 24 characters, ~537 M) is injected small here; valid UTF-8 and GBK bytes alike
  const bytes = new TextEncoder().encode('date,code,close\n' + '2024-01-02,A,1\n'.repeat(20));
  const e = throwsCode(() => decodeText(bytes, 'big.csv', 100), 'DATA_FILE_TOO_LARGE');
  assert.equal(e.where.limitChars, 100);
  assert.match(e.message, /longest string the JavaScript engine can hold/);
  assert.match(e.fix, /split the export/);
  assert.equal(decodeText(bytes, 'big.csv', bytes.length).text.length, bytes.length);
  assert.equal(MAX_STRING_CHARS, 536870888);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-big-'));
  fs.writeFileSync(path.join(dir, 'big.csv'), bytes);
  throwsCode(() => readTextFile(path.join(dir, 'big.csv'), 200), 'DATA_FILE_TOO_LARGE');
});

test('decimal commas: parsed with decimal ",", text (counted by the validators) without it', () => {
  const t = parseCsvText('date;code;close\n2024-01-02;A;2543,75\n2024-01-03;A;1.234,5\n2024-01-04;A;12.5\n2024-01-05;A;--\n', { numeric: ['close'], decimal: ',' });
  assert.deepEqual(Array.from(t.num.close).slice(0, 3), [2543.75, 1234.5, 12.5]);
  assert.equal(t.numStatus.close[3], NUM_BLANK);
  const plain = parseCsvText('date;code;close\n2024-01-02;A;2543,75\n', { numeric: ['close'] });
  assert.equal(plain.numStatus.close[0], NUM_TEXT);
  assert.equal(plain.badText.close.get(0), '2543,75');
});
