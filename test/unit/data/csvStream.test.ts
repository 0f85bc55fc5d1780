/**
 * Streaming CSV reader: the same CsvTable as readCsv (columns, numbers, statuses, offending text,
 * file line numbers, skipped records, notes) for every chunk and read size, across quoted
 * newlines, CRLF, blank lines, ragged rows, a BOM, multi-byte characters split between reads and
 * gzip; text cells interned; what it cannot stream goes to readCsv with its named errors.
 * Run: node --import tsx --test test/unit/data/csvStream.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { readCsv } from '../../../src/data/csv.js';
import { readCsvStream } from '../../../src/data/csvStream.js';
import { hasSharedData, sharedDataDir } from '../../../src/data/paths.js';
import { throwsCode } from '../assertions.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-csvstream-'));
function write(name: string, data: string | Uint8Array): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
}

const TRICKY = [
  '',
  'date,code,name,close,volume',
  '2024-01-02,000001.SZ,平安银行,10.5,100',
  '2024-01-02,000002.SZ,"万科, A",--,200',
  '',
  '2024-01-03,000001.SZ,"multi',
  'line ""quoted"" name",10.7,300\r',
  '2024-01-03,000002.SZ,万科A,abc,400\r',
  '2024-01-04,000001.SZ,平安银行,10.9',
  '2024-01-04,000002.SZ,万科A,1e-2,"1,000"',
  '2024-01-05,000001.SZ,平安银行,  11.0 ,',
].join('\n') + '\n';

describe('readCsvStream gives the table readCsv gives', () => {
  it('for every chunk and read size on a file with quotes, newlines in quotes, CRLF, blank and ragged rows, text in numbers, multi-byte text', () => {
    const f = write('tricky.csv', TRICKY);
    const want = readCsv(f, { numeric: ['close', 'volume'] });
    assert.equal(want.nRows, 6);
    assert.equal(want.skipped.length, 1, 'the 4-field row is skipped');
    for (const chunkChars of [1, 7, 40, 1 << 20]) {
      for (const readBytes of [1, 2, 5, 1 << 20]) {
        const got = readCsvStream(f, { numeric: ['close', 'volume'], chunkChars, readBytes });
        assert.deepStrictEqual(got, want, `chunkChars ${chunkChars}, readBytes ${readBytes}`);
      }
    }
  });
  it('with a UTF-8 BOM, gzip-compressed, and with a semicolon delimiter', () => {
    const text = TRICKY.replace(/,/g, ';').replace('"万科; A"', '"万科, A"');
    for (const [name, data] of [
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TRICKY)])],
      ['tricky.csv.gz', zlib.gzipSync(Buffer.from(TRICKY))],
      ['semi.csv', Buffer.from(text)],
    ] as const) {
      const f = write(name, data);
      const want = readCsv(f, { numeric: ['close', 'volume'] });
      for (const chunkChars of [3, 64, 1 << 20]) assert.deepStrictEqual(readCsvStream(f, { numeric: ['close', 'volume'], chunkChars, readBytes: 3 }), want, `${name}, chunk ${chunkChars}`);
    }
  });
  it('a gzip file inflated in many hand-overs (worker thread) equals readCsv, run after run', () => {
    const rows = ['date,code,close,volume'];
    for (let d = 0; d < 400; d++) for (let c = 0; c < 60; c++) rows.push(`2024-${String(1 + (d % 12)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')},${String(c).padStart(6, '0')}.SZ,${(10 + ((d * 7 + c * 13) % 997) / 10).toFixed(2)},${d * c}`);
    const f = write('big.csv.gz', zlib.gzipSync(Buffer.from(rows.join('\n') + '\n')));
    const want = readCsv(f, { numeric: ['close', 'volume'] });
    assert.equal(want.nRows, 24000);
    for (let k = 0; k < 4; k++) assert.deepStrictEqual(readCsvStream(f, { numeric: ['close', 'volume'], readBytes: 65536, chunkChars: 100000 }), want, `run ${k}`);
  });
  it('line numbers and offending text are those of the file (hand-checked)', () => {
    const f = write('tricky2.csv', TRICKY);
    const t = readCsvStream(f, { numeric: ['close', 'volume'], chunkChars: 5, readBytes: 4 });
    // header on line 2 (line 1 is blank); rows: lines 3, 4, 6 (two lines), 8, [9 skipped], 10, 11
    assert.deepEqual(Array.from(t.lines), [3, 4, 6, 8, 10, 11]);
    assert.deepEqual(t.skipped.map((s) => s.line), [9]);
    assert.deepEqual([...t.badText.close], [[3, 'abc']]);
    assert.equal(t.text.name[2], 'multi\nline "quoted" name');
  });
  it('interns text cells: one string per distinct value', () => {
    const rows = ['date,code,close'];
    for (let d = 1; d <= 20; d++) for (const c of ['A', 'B', 'C']) rows.push(`2024-01-${String(d).padStart(2, '0')},${c},${d}`);
    const f = write('many.csv', rows.join('\n') + '\n');
    const t = readCsvStream(f, { numeric: ['close'], chunkChars: 50 });
    assert.equal(t.nRows, 60);
    assert.equal(new Set(t.text.code).size, 3);
    assert.deepEqual(t.text.code.slice(0, 4), ['A', 'B', 'C', 'A']);
    assert.deepStrictEqual(t, readCsv(f, { numeric: ['close'] }));
  });
});

describe('readCsvStream errors are readCsv\'s', () => {
  it('missing file, folder, empty file, header only, duplicate column', () => {
    throwsCode(() => readCsvStream(path.join(dir, 'nope.csv')), 'DATA_FILE_NOT_FOUND');
    throwsCode(() => readCsvStream(dir), 'DATA_FILE_NOT_FOUND');
    throwsCode(() => readCsvStream(write('empty.csv', '\n\n')), 'DATA_EMPTY_FILE');
    throwsCode(() => readCsvStream(write('header.csv', 'a,b\n')), 'DATA_EMPTY_FILE');
    throwsCode(() => readCsvStream(write('dup.csv', 'a,a\n1,2\n'), { chunkChars: 2 }), 'DATA_DUPLICATE_COLUMN');
    throwsCode(() => readCsvStream(write('trunc.csv.gz', zlib.gzipSync(Buffer.from(TRICKY)).subarray(0, 30))), 'DATA_GZIP');
  });
  it('a file that is not UTF-8 (GBK) or UTF-16 is read by readCsv (same table, same errors)', () => {
    const gbk = write('gbk.csv', Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x2c, 0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x31, 0x2c, 0xc6, 0xbd, 0xb0, 0xb2, 0x0a])); // code,name\n1,平安\n in GBK
    const t = readCsvStream(gbk);
    assert.equal(t.encoding, 'gbk');
    assert.deepStrictEqual(t, readCsv(gbk));
    assert.equal(t.text.name[0], '平安');
    throwsCode(() => readCsvStream(write('u16.csv', Buffer.from([0xff, 0xfe, 0x61, 0x00]))), 'DATA_ENCODING');
  });
});

describe('readCsvStream on the A-share files', () => {
  it('equals readCsv on the daily and monthly panels', (t) => {
    if (!hasSharedData('ashare_stocks')) { t.skip(`shared data not found at ${sharedDataDir()}/ashare_stocks`); return; }
    for (const [f, numeric] of [['csi500_2020members_daily.csv.gz', ['close_adj', 'volume_shares']], ['stocks.csv', ['n_rows']]] as const) {
      const file = path.join(sharedDataDir(), 'ashare_stocks', f);
      assert.deepStrictEqual(readCsvStream(file, { numeric: [...numeric] }), readCsv(file, { numeric: [...numeric] }), f);
    }
  });
});
