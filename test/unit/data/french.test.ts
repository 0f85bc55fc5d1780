import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync, gunzipSync } from 'node:zlib';
import { RotationError } from '../../../src/errors.js';
import { assertBalanced } from '../../../src/data/loss.js';
import {
  FRENCH_BLOCK_KEYS,
  frenchSharedFile,
  frenchToDataset,
  monthEndIso,
  parseFrenchIndustryFile,
  parseFrenchIndustryText,
  type FrenchIndustryCount,
} from '../../../src/data/french.js';
import {
  downloadFrenchIndustryFile,
  frenchIndustryZipUrl,
  parseIndustryCountArg,
  unzipSingleEntry,
} from '../../../src/data/frenchDownload.js';
import { beMeByMonth } from '../../../src/data/french.js';
import { periodReturns } from '../../../src/data/calendar.js';
import { computeFactor } from '../../../src/factors/registry.js';
import { forwardReturnPanel, forwardReturnsFromPrices } from '../../../src/evaluate/forwardReturns.js';
import { at } from '../../../src/panel/panel.js';
import { throwsCode } from '../assertions.js';

const SHARED_COUNTS: FrenchIndustryCount[] = [5, 10, 12, 17, 30, 48, 49];
const TITLES = [
  'Average Value Weighted Returns -- Monthly',
  'Average Equal Weighted Returns -- Monthly',
  'Average Value Weighted Returns -- Annual',
  'Average Equal Weighted Returns -- Annual',
  'Number of Firms in Portfolios',
  'Average Firm Size',
  'Sum of BE / Sum of ME',
  'Value-Weighted Average of BE/ME',
];

function sharedSkip(n: FrenchIndustryCount): string | false {
  const f = frenchSharedFile(n);
  return existsSync(f) ? false : `shared French file absent (${path.relative(process.cwd(), f)}); set ROTATION_SHARED_DATA`;
}

function sharedText(n: FrenchIndustryCount): string {
  return gunzipSync(readFileSync(frenchSharedFile(n))).toString('latin1');
}

function close(a: number, b: number, tol = 1e-12): void {
  assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
}

/** Expect a RotationError with `code`; return it for further checks. */

/** A small, well-formed file with 2 industries, 3 months and 2 years per block. */
function miniFile(opts: { missing?: string } = {}): string {
  const miss = opts.missing ?? '-99.99';
  const head = ',Aa   ,Bb   ';
  const out = [
    'This file was created by CMPT_IND_RETS using the 202104 CRSP database.',
    'It contains value- and equal-weighted returns for  2 industry portfolios.',
    '',
    'Missing data are indicated by -99.99 or -999.',
    '',
    '',
  ];
  for (const title of TITLES) {
    const annual = title.endsWith('Annual') || title.includes('BE');
    out.push(`  ${title}`, head);
    if (annual) out.push('  1999,  10.00,   2.50', `  2000,  -5.00, ${miss.padStart(6)}`);
    else out.push('199912,   1.00,   2.00', `200001,   3.00, ${miss.padStart(6)}`, '200002,  -1.50,   0.50');
    out.push('', '');
  }
  out.push('Copyright 2021 Kenneth R. French', '');
  return out.join('\r\n');
}

test('french: parses a hand-made file; percent -> fraction; dates; -99.99 and -999 -> NaN counted', () => {
  for (const miss of ['-99.99', '-999']) {
    const f = parseFrenchIndustryText(miniFile({ missing: miss }), 'mini.csv');
    assert.deepEqual(f.industries, ['Aa', 'Bb']);
    assert.equal(f.vintage, '202104');
    assert.ok(f.header.startsWith('This file was created'));
    assert.deepEqual(Object.keys(f.blocks), [...FRENCH_BLOCK_KEYS]);
    const vw = f.blocks.vwMonthly;
    assert.deepEqual(vw.dates, ['1999-12-31', '2000-01-31', '2000-02-29']);
    close(at(vw, 0, 0), 0.01);
    close(at(vw, 2, 0), -0.015);
    assert.ok(Number.isNaN(at(vw, 1, 1)));
    assert.deepEqual(f.blocks.vwAnnual.dates, ['1999-12-31', '2000-12-31']);
    close(at(f.blocks.vwAnnual, 0, 0), 0.1);
    // Non-return blocks are not scaled.
    assert.equal(at(f.blocks.numFirms, 0, 1), 2);
    assert.equal(at(f.blocks.sumBeSumMe, 0, 1), 2.5);
    for (const l of f.losses) {
      assertBalanced(l);
      assert.equal(l.dropped[`missing (${miss})`], 1, l.stage);
      assert.equal(l.examples[0].where.industry, 'Bb');
    }
  }
});

test('french: monthEndIso is the last calendar day', () => {
  assert.equal(monthEndIso(1999, 2), '1999-02-28');
  assert.equal(monthEndIso(2000, 2), '2000-02-29');
  assert.equal(monthEndIso(1900, 2), '1900-02-28');
  assert.equal(monthEndIso(2021, 4), '2021-04-30');
  assert.equal(monthEndIso(1926, 12), '1926-12-31');
});

for (const n of SHARED_COUNTS) {
  test(`french: shared ${n}-industry file: 8 blocks, coverage 1926-07 .. 2021-04, balanced losses`, { skip: sharedSkip(n) }, () => {
    const f = parseFrenchIndustryFile(frenchSharedFile(n));
    assert.equal(f.vintage, '202104');
    assert.equal(f.industries.length, n);
    assert.ok(!f.source.startsWith('/'), `source should be relative: ${f.source}`);
    assert.deepEqual(Object.keys(f.blocks), [...FRENCH_BLOCK_KEYS]);
    assert.deepEqual(FRENCH_BLOCK_KEYS.map((k) => f.meta[k].title), TITLES);
    for (const k of ['vwMonthly', 'ewMonthly', 'numFirms', 'avgFirmSize'] as const) {
      assert.equal(f.meta[k].firstDate, '1926-07-31', k);
      assert.equal(f.meta[k].lastDate, '2021-04-30', k);
      assert.equal(f.meta[k].rows, 1138, k); // 6 months of 1926 + 94 years + 4 months of 2021
    }
    for (const k of ['vwAnnual', 'ewAnnual'] as const) {
      assert.equal(f.meta[k].firstDate, '1927-12-31');
      assert.equal(f.meta[k].lastDate, '2020-12-31');
    }
    for (const k of ['sumBeSumMe', 'vwAvgBeMe'] as const) {
      assert.equal(f.meta[k].firstDate, '1926-12-31');
      assert.equal(f.meta[k].lastDate, '2020-12-31');
    }
    assert.equal(f.losses.length, 8);
    // Independent count of missing cells straight from the raw text, block by block.
    const lines = sharedText(n).split('\r\n');
    for (const [b, k] of FRENCH_BLOCK_KEYS.entries()) {
      const l = f.losses[b];
      assertBalanced(l);
      let missing = 0, cells = 0;
      for (let li = f.meta[k].titleLine + 1; li < lines.length && lines[li].trim() !== ''; li++) {
        for (const tok of lines[li].split(',').slice(1)) {
          cells++;
          if (tok.trim() === '-99.99' || tok.trim() === '-999') missing++;
        }
      }
      assert.equal(l.rowsRead, cells, k);
      assert.equal(l.rowsRead - l.rowsKept, missing, k);
    }
  });
}

test('french: spot values of the 5-industry file match the raw text', { skip: sharedSkip(5) }, () => {
  const f = parseFrenchIndustryFile(frenchSharedFile(5));
  assert.deepEqual(f.industries, ['Cnsmr', 'Manuf', 'HiTec', 'Hlth', 'Other']);
  const row = (k: keyof typeof f.blocks, t: number) => Array.from(f.blocks[k].values.subarray(t * 5, t * 5 + 5));
  const expectRow = (got: number[], want: number[]) => want.forEach((w, i) => close(got[i], w));
  // 192607,   5.43,   2.73,   1.83,   1.77,   2.16
  expectRow(row('vwMonthly', 0), [0.0543, 0.0273, 0.0183, 0.0177, 0.0216]);
  // 202104,   5.82,   2.49,   6.14,   3.21,   5.80  (last VW row)
  expectRow(row('vwMonthly', 1137), [0.0582, 0.0249, 0.0614, 0.0321, 0.058]);
  // EW 192607,   1.68,   1.42,   2.01,   2.45,   0.21
  expectRow(row('ewMonthly', 0), [0.0168, 0.0142, 0.0201, 0.0245, 0.0021]);
  // VW annual   1927,  49.30,  25.47,  37.93,  46.55,  27.76
  expectRow(row('vwAnnual', 0), [0.493, 0.2547, 0.3793, 0.4655, 0.2776]);
  // Number of firms 192607,    168,    199,     23,      7,    111
  expectRow(row('numFirms', 0), [168, 199, 23, 7, 111]);
  // Average firm size 192607,     38.17,     54.81,    146.41,     25.52,     52.19
  expectRow(row('avgFirmSize', 0), [38.17, 54.81, 146.41, 25.52, 52.19]);
  // Sum of BE / Sum of ME   1926,   0.60,   0.96,   0.64,   0.68,   1.33
  expectRow(row('sumBeSumMe', 0), [0.6, 0.96, 0.64, 0.68, 1.33]);
  // VW average BE/ME   1926,   0.60,   0.93,   0.69,   0.73,   1.31
  expectRow(row('vwAvgBeMe', 0), [0.6, 0.93, 0.69, 0.73, 1.31]);
});

test('french: 49-industry file: -99.99 -> NaN counted per block, spot values', { skip: sharedSkip(49) }, () => {
  const f = parseFrenchIndustryFile(frenchSharedFile(49));
  const vw = f.blocks.vwMonthly;
  const ai = (name: string) => f.industries.indexOf(name);
  // 192607,   2.37,   0.12, -99.99,  -5.19, ...
  close(at(vw, 0, ai('Agric')), 0.0237);
  close(at(vw, 0, ai('Food')), 0.0012);
  assert.ok(Number.isNaN(at(vw, 0, ai('Soda'))));
  close(at(vw, 0, ai('Beer')), -0.0519);
  // -99.99 tokens in the VW monthly block (lines 13..1150), counted with grep: 2868.
  assert.equal(f.losses[0].dropped['missing (-99.99)'], 2868);
  assert.equal(f.losses[0].examples[0].where.industry, 'Soda');
  assert.equal(f.losses[0].examples[0].where.line, 13);
  // Number of firms has zeros, not missing values.
  assert.equal(at(f.blocks.numFirms, 0, ai('Soda')), 0);
  assert.equal(f.losses[4].rowsKept, f.losses[4].rowsRead);
});

test('french: .CSV and .CSV.gz parse identically', { skip: sharedSkip(10) }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'french-'));
  try {
    const plain = path.join(dir, '10_Industry_Portfolios.CSV');
    writeFileSync(plain, gunzipSync(readFileSync(frenchSharedFile(10))));
    const a = parseFrenchIndustryFile(plain), b = parseFrenchIndustryFile(frenchSharedFile(10));
    for (const k of FRENCH_BLOCK_KEYS) {
      assert.deepEqual(a.blocks[k].dates, b.blocks[k].dates);
      assert.deepEqual(Array.from(a.blocks[k].values), Array.from(b.blocks[k].values));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Write an edited copy of the shared 5-industry file to a temp dir, parse it, return the error. */
function editedCopyError(edit: (lines: string[]) => void, code: string): RotationError {
  const lines = sharedText(5).split('\r\n');
  edit(lines);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'french-edit-'));
  try {
    const file = path.join(dir, '5_Industry_Portfolios.CSV');
    writeFileSync(file, lines.join('\r\n'), 'latin1');
    return throwsCode(() => parseFrenchIndustryFile(file), code);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('french: an edited copy with a changed header row -> FRENCH_BAD_HEADER naming line, block and expected header', { skip: sharedSkip(5) }, () => {
  // Second block's header renamed: differs from the first block's header.
  let e = editedCopyError((l) => { l[1153] = l[1153].replace('Hlth ', 'Health'); }, 'FRENCH_BAD_HEADER');
  assert.equal(e.where.line, 1154);
  assert.equal(e.where.block, 'Average Equal Weighted Returns -- Monthly');
  assert.equal(e.where.expected, ',Cnsmr,Manuf,HiTec,Hlth ,Other');
  assert.match(e.message, /differs from the header of the first block/);
  // First header with a missing industry: disagrees with line 2's count.
  e = editedCopyError((l) => { l[11] = ',Cnsmr,Manuf,HiTec,Hlth '; }, 'FRENCH_BAD_HEADER');
  assert.equal(e.where.line, 12);
  assert.match(e.message, /has 4 industries, line 2 declares 5/);
  // A header row that is not one.
  e = editedCopyError((l) => { l[2295] = 'Date,Cnsmr,Manuf,HiTec,Hlth ,Other'; }, 'FRENCH_BAD_HEADER');
  assert.equal(e.where.line, 2296);
});

test('french: changed preamble or block title -> named errors with the line', { skip: sharedSkip(5) }, () => {
  let e = editedCopyError((l) => { l[0] = 'This file was created by SOMETHING_ELSE.'; }, 'FRENCH_BAD_PREAMBLE');
  assert.equal(e.where.line, 1);
  e = editedCopyError((l) => { l[2490] = '  Number of Firms'; }, 'FRENCH_UNKNOWN_BLOCK');
  assert.equal(e.where.line, 2491);
  assert.ok(Array.isArray(e.where.expected));
  e = editedCopyError((l) => { l[10] = '  Average Value Weighted Returns -- Monthly (revised)'; }, 'FRENCH_UNKNOWN_BLOCK');
  assert.equal(e.where.line, 11);
  editedCopyError((l) => { l.splice(3632, 1140); }, 'FRENCH_MISSING_BLOCK'); // drop "Average Firm Size"
});

test('french: a row with a wrong column count -> FRENCH_COLUMN_COUNT with line and block', { skip: sharedSkip(5) }, () => {
  let e = editedCopyError((l) => { l[12] = '192607,   5.43,   2.73,   1.83,   1.77'; }, 'FRENCH_COLUMN_COUNT');
  assert.equal(e.where.line, 13);
  assert.equal(e.where.block, 'Average Value Weighted Returns -- Monthly');
  e = editedCopyError((l) => { l[4780] += ',   9.99'; }, 'FRENCH_COLUMN_COUNT');
  assert.equal(e.where.line, 4781);
  assert.equal(e.where.block, 'Sum of BE / Sum of ME');
  e = editedCopyError((l) => { l[20] = l[20].replace('-', 'x'); }, 'FRENCH_BAD_NUMBER');
  assert.equal(e.where.line, 21);
});

test('french: empty and missing files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'french-empty-'));
  try {
    const empty = path.join(dir, 'empty.CSV');
    writeFileSync(empty, '');
    throwsCode(() => parseFrenchIndustryFile(empty), 'FRENCH_EMPTY_FILE');
    const missing = path.join(dir, 'nope.CSV');
    const e = throwsCode(() => parseFrenchIndustryFile(missing), 'FRENCH_FILE_NOT_FOUND');
    assert.equal(e.where.pathTried, missing);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throwsCode(() => parseFrenchIndustryText('\r\n\r\n', 'x'), 'FRENCH_EMPTY_FILE');
  throwsCode(() => parseFrenchIndustryText(miniFile().replace('200001,', '2000-1,'), 'x'), 'FRENCH_BAD_DATE');
  throwsCode(() => parseFrenchIndustryText(miniFile() + 'extra\r\n', 'x'), 'FRENCH_TRAILING_TEXT');
});

test('french: frenchToDataset builds a monthly total-return index from VW returns', () => {
  const f = parseFrenchIndustryText(miniFile(), 'mini.csv');
  const ds = frenchToDataset(f);
  assert.deepEqual(ds.calendar, ['1999-11-30', '1999-12-31', '2000-01-31', '2000-02-29']);
  const c = ds.industryBars.close;
  assert.deepEqual(c.dates, ds.calendar);
  close(at(c, 0, 0), 1);
  close(at(c, 1, 0), 1.01);
  close(at(c, 2, 0), 1.01 * 1.03);
  close(at(c, 3, 0), 1.01 * 1.03 * 0.985);
  // Bb: return missing in 2000-01 -> the level is carried forward (return 0), then resumes.
  close(at(c, 1, 1), 1.02);
  assert.equal(at(c, 2, 1), at(c, 1, 1));
  close(at(c, 3, 1), 1.02 * 1.005);
  for (const k of ['open', 'high', 'low', 'volume'] as const) {
    assert.ok(Array.from(ds.industryBars[k].values).every(Number.isNaN), k);
  }
  assert.ok(ds.caveats.some((s) => /open, high, low and volume are NaN/.test(s)));
  const last = ds.losses[ds.losses.length - 1];
  assertBalanced(last);
  assert.equal(last.dropped['missing return after start (level carried forward, return 0)'], 1);
});

test('french: frenchToDataset on the 49-industry file: returns recoverable, late starters based at 1', { skip: sharedSkip(49) }, () => {
  const f = parseFrenchIndustryFile(frenchSharedFile(49));
  const ds = frenchToDataset(f);
  assert.equal(ds.calendar.length, 1139);
  assert.equal(ds.calendar[0], '1926-06-30');
  assert.equal(ds.calendar[1138], '2021-04-30');
  assert.deepEqual(ds.industries.map((x) => x.code), f.industries);
  const r = periodReturns(ds.industryBars.close, ds.calendar);
  const vw = f.blocks.vwMonthly, N = vw.assets.length;
  let compared = 0;
  for (let t = 0; t < vw.dates.length; t++) {
    for (let i = 0; i < N; i++) {
      const a = vw.values[t * N + i], b = r.values[(t + 1) * N + i];
      if (Number.isNaN(b)) continue;
      close(b, Number.isNaN(a) ? 0 : a, 1e-9); // a missing return inside the series: level carried forward (return 0)
      compared++;
    }
  }
  assert.ok(compared > 52000, `compared ${compared}`);
  const soda = f.industries.indexOf('Soda');
  let first = 0;
  while (Number.isNaN(at(vw, first, soda))) first++;
  assert.equal(at(ds.industryBars.close, first, soda), 1); // month end before Soda's first return
  assert.ok(Number.isNaN(at(ds.industryBars.close, first - 1, soda)));
});

// ---- downloader (no network: zips are built by hand, fetch is injected) ----

interface HandEntry { name: string; data: Buffer; method: 0 | 8; crcOverride?: number }

/** Build a zip archive: local headers + data, central directory, end-of-central-directory. */
function makeZip(entries: HandEntry[]): Buffer {
  const locals: Buffer[] = [], centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const comp = e.method === 8 ? deflateRawSync(e.data) : e.data;
    const crc = e.crcOverride ?? crc32(e.data) >>> 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0, 6); lh.writeUInt16LE(e.method, 8);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(comp.length, 18); lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26); lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0, 8);
    ch.writeUInt16LE(e.method, 10); ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(e.data.length, 24); ch.writeUInt16LE(name.length, 28); ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, comp);
    centrals.push(ch, name);
    offset += lh.length + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(entries.length, 8); eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

test('frenchDownload: unzips a hand-built single-entry zip (deflated and stored)', () => {
  const csv = Buffer.from(miniFile(), 'latin1');
  for (const method of [8, 0] as const) {
    const got = unzipSingleEntry(makeZip([{ name: '5_Industry_Portfolios.CSV', data: csv, method }]));
    assert.equal(got.name, '5_Industry_Portfolios.CSV');
    assert.ok(got.data.equals(csv));
  }
  // A zip comment after the EOCD is allowed.
  const withComment = makeZip([{ name: 'a.CSV', data: csv, method: 8 }]);
  withComment.writeUInt16LE(5, withComment.length - 2);
  assert.ok(unzipSingleEntry(Buffer.concat([withComment, Buffer.from('hello')])).data.equals(csv));
});

test('frenchDownload: bad archives -> FRENCH_ZIP', () => {
  const csv = Buffer.from('abc');
  throwsCode(() => unzipSingleEntry(Buffer.from('not a zip at all, just text........')), 'FRENCH_ZIP');
  throwsCode(() => unzipSingleEntry(makeZip([{ name: 'a', data: csv, method: 8 }, { name: 'b', data: csv, method: 8 }])), 'FRENCH_ZIP');
  const e = throwsCode(() => unzipSingleEntry(makeZip([{ name: 'a', data: csv, method: 8, crcOverride: 1234 }])), 'FRENCH_ZIP');
  assert.match(e.message, /CRC-32/);
});

test('frenchDownload: CLI argument validation (N in 5,10,12,17,30,38,48,49)', () => {
  for (const n of [5, 10, 12, 17, 30, 38, 48, 49]) assert.equal(parseIndustryCountArg([String(n)]), n);
  for (const bad of [['7'], ['50'], ['abc'], ['4.9'], ['-5'], [], ['49', '5']]) {
    throwsCode(() => parseIndustryCountArg(bad), 'FRENCH_BAD_ARGUMENT');
  }
  assert.equal(frenchIndustryZipUrl(49), 'https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/49_Industry_Portfolios_CSV.zip');
});

test('frenchDownload: the script rejects a bad N before touching the network', () => {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/download-french.ts', '7'], { encoding: 'utf8', cwd: process.cwd() });
  assert.equal(res.status, 1, res.stderr);
  assert.match(res.stderr, /FRENCH_BAD_ARGUMENT/);
});

test('frenchDownload: download pipeline with an injected fetch (no network): unzip, write, validate', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'french-dl-'));
  try {
    const csv = Buffer.from(miniFile(), 'latin1');
    const zip = makeZip([{ name: '5_Industry_Portfolios.CSV', data: csv, method: 8 }]);
    const urls: string[] = [];
    const ok = async (url: string) => {
      urls.push(url);
      return { ok: true, status: 200, statusText: 'OK', arrayBuffer: async () => zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.length) };
    };
    const res = await downloadFrenchIndustryFile(5, { outDir: dir, fetchImpl: ok });
    assert.deepEqual(urls, [frenchIndustryZipUrl(5)]);
    assert.equal(res.file, path.join(dir, '5_Industry_Portfolios.CSV'));
    assert.ok(readFileSync(res.file).equals(csv));
    assert.deepEqual(res.parsed.industries, ['Aa', 'Bb']);
    // HTTP failure.
    const notFound = async () => ({ ok: false, status: 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) });
    await assert.rejects(downloadFrenchIndustryFile(10, { outDir: dir, fetchImpl: notFound }), (e: unknown) => (e as RotationError).code === 'FRENCH_DOWNLOAD_FAILED');
    // Network failure.
    const offline = async (): Promise<never> => { throw new TypeError('fetch failed'); };
    await assert.rejects(downloadFrenchIndustryFile(10, { outDir: dir, fetchImpl: offline }), (e: unknown) => (e as RotationError).code === 'FRENCH_DOWNLOAD_FAILED');
    // A zip holding something that is not a French file: parser error, nothing left behind.
    const junk = makeZip([{ name: 'x.CSV', data: Buffer.from('hello\r\nworld\r\n'), method: 8 }]);
    const junkFetch = async () => ({ ok: true, status: 200, statusText: 'OK', arrayBuffer: async () => junk.buffer.slice(junk.byteOffset, junk.byteOffset + junk.length) });
    await assert.rejects(downloadFrenchIndustryFile(12, { outDir: dir, fetchImpl: junkFetch }), (e: unknown) => (e as RotationError).code === 'FRENCH_BAD_PREAMBLE');
    assert.ok(!existsSync(path.join(dir, '12_Industry_Portfolios.CSV')));
    assert.ok(!existsSync(path.join(dir, '12_Industry_Portfolios.CSV.part')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Other vintages, bad files, month-end series, and the momentum spread against an independent computation.

test('french: other vintages load: no "by CMPT_IND_RETS", count merged into line 1, padding differing by block, Fama-French copyright', () => {
  const base = miniFile().split('\r\n');
  const v1 = [...base];
  v1[0] = 'This file was created using the 202312 CRSP database.';
  const merged = ['This file was created using the 202312 CRSP database. It contains value- and equal-weighted returns for 2 industry portfolios.', ...base.slice(2)];
  for (const lines of [v1, merged]) {
    const edited = lines.map((l) => (l === 'Copyright 2021 Kenneth R. French' ? 'Copyright 2024 Eugene F. Fama and Kenneth R. French' : l));
    // the equal-weighted block's header without padding (newer files trim the names)
    const ew = edited.findIndex((l) => l.trim() === 'Average Equal Weighted Returns -- Monthly');
    edited[ew + 1] = ',Aa,Bb';
    const f = parseFrenchIndustryText(edited.join('\n'), 'new.csv');
    assert.equal(f.vintage, '202312');
    assert.deepEqual(f.industries, ['Aa', 'Bb']);
    close(at(f.blocks.ewMonthly, 0, 1), 0.02);
  }
  // a header naming other industries in a later block is still an error
  const bad = [...base];
  const nf = bad.findIndex((l) => l.trim() === 'Number of Firms in Portfolios');
  bad[nf + 1] = ',Aa,Cc';
  throwsCode(() => parseFrenchIndustryText(bad.join('\n'), 'bad.csv'), 'FRENCH_BAD_HEADER');
});

test('french: a missing block, a daily file and a file of another kind -> named errors saying what was expected', () => {
  const lines = miniFile().split('\r\n');
  const at0 = lines.findIndex((l) => l.trim() === 'Average Firm Size');
  const cut = [...lines.slice(0, at0), ...lines.slice(at0 + 6)];
  const e = throwsCode(() => parseFrenchIndustryText(cut.join('\n'), 'cut.csv'), 'FRENCH_MISSING_BLOCK');
  assert.deepEqual(e.where.missing, ['Average Firm Size']);
  const daily = [
    'This file was created using the 202312 CRSP database.', 'It contains value- and equal-weighted returns for 2 industry portfolios.', '',
    '  Average Value Weighted Returns -- Daily', ',Aa,Bb', '19260701,   0.56,  -0.07', '',
  ].join('\n');
  const d = throwsCode(() => parseFrenchIndustryText(daily, 'daily.csv'), 'FRENCH_DAILY_FILE');
  assert.ok((d.where.expected as string[]).includes('Average Firm Size'));
  const sw = throwsCode(() => parseFrenchIndustryText('日期,农林牧渔\n2021-01-04,1000\n', 'sw.csv'), 'FRENCH_BAD_PREAMBLE');
  assert.match(String(sw.where.expected), /CRSP database/);
});

test('french: month-end series: BE/ME row Y held July Y .. June Y+1, size and firm counts as published, monthly frequency', () => {
  const f = parseFrenchIndustryText(miniFile(), 'mini.csv');
  const ds = frenchToDataset(f);
  assert.equal(ds.frequency, 'monthly');
  assert.equal(ds.periodsPerYear, 12);
  const bm = ds.monthEnd!.bookToMarket!;
  // row 1999 (10.00, 2.50) from 1999-07-31; the data end 2000-02-29 cuts the rest; row 2000 starts 2000-07 (after the data)
  assert.deepEqual(bm.dates, ['1999-07-31', '1999-08-31', '1999-09-30', '1999-10-31', '1999-11-30', '1999-12-31', '2000-01-31', '2000-02-29']);
  assert.deepEqual([...bm.values].slice(0, 2), [10, 2.5]);
  assert.equal(bm.values[15], 2.5);
  assert.equal(ds.monthEnd!.numFirms, f.blocks.numFirms);
  // the full 12-month hold and the switch to the next row
  const annual = { dates: ['1990-12-31', '1991-12-31'], assets: ['A'], values: Float64Array.from([1, 2]) };
  const m = beMeByMonth(annual, '1992-12-31');
  assert.equal(m.dates.length, 24);
  assert.equal(m.dates[0], '1990-07-31');
  assert.equal(m.values[m.dates.indexOf('1991-06-30')], 1);
  assert.equal(m.values[m.dates.indexOf('1991-07-31')], 2);
  assert.equal(m.dates.indexOf('1990-06-30'), -1); // not known before July of its year
});

/**
 * Independent reference, plain JS on the raw text (no project code): VW monthly block, r = x/100,
 * -99.99/-999 missing; at formation month t, mom = Π(1 + r_s) − 1 over s = t−5..t (all six valid);
 * spread_t = mean(r_{t+1}, 3 highest mom) − mean(r_{t+1}, 3 lowest), over industries with a valid
 * mom and r_{t+1}.
 */
function referenceMomentumSpread(text: string, from: string, to: string): Map<string, number> {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === 'Average Value Weighted Returns -- Monthly');
  const keys: string[] = [];
  const R: number[][] = [];
  for (let i = start + 2; i < lines.length && lines[i].trim() !== ''; i++) {
    const p = lines[i].split(',');
    keys.push(p[0].trim());
    R.push(p.slice(1).map((x) => (x.trim() === '-99.99' || x.trim() === '-999' ? NaN : parseFloat(x) / 100)));
  }
  const out = new Map<string, number>();
  for (let i = 5; i + 1 < keys.length; i++) {
    if (keys[i] < from || keys[i] > to) continue;
    const cand: { mom: number; next: number }[] = [];
    for (let j = 0; j < R[i].length; j++) {
      let g = 1, ok = true;
      for (let s = i - 5; s <= i; s++) { if (Number.isNaN(R[s][j])) ok = false; g *= 1 + R[s][j]; }
      if (ok && !Number.isNaN(R[i + 1][j])) cand.push({ mom: g - 1, next: R[i + 1][j] });
    }
    cand.sort((a, b) => b.mom - a.mom);
    const top = cand.slice(0, 3), bot = cand.slice(-3);
    out.set(keys[i], top.reduce((a, c) => a + c.next, 0) / 3 - bot.reduce((a, c) => a + c.next, 0) / 3);
  }
  return out;
}

test('french: 6-month momentum spread (top 3 − bottom 3, 1963-07 .. 1995-07) of the pipeline equals an independent computation to 1e-9', { skip: sharedSkip(49) }, () => {
  const ref = referenceMomentumSpread(sharedText(49), '196307', '199507');
  assert.equal(ref.size, 12 * 32 + 1);
  const ds = frenchToDataset(parseFrenchIndustryFile(frenchSharedFile(49)));
  const dates = ds.calendar.filter((d) => d >= '1963-07-31' && d <= '1995-07-31');
  const mom = computeFactor('mom_6m', ds, dates).panel;
  const fwd = forwardReturnPanel(forwardReturnsFromPrices(ds.industryBars.close, { horizons: [1], rebalance: ds.calendar, periodsPerYear: 12 }), 1);
  const N = ds.industries.length;
  const spreads: number[] = [];
  for (let k = 0; k < dates.length; k++) {
    const t = fwd.dates.indexOf(dates[k]);
    const cand: { mom: number; next: number }[] = [];
    for (let j = 0; j < N; j++) {
      const m = mom.values[k * N + j], r = fwd.values[t * N + j];
      if (m === m && r === r) cand.push({ mom: m, next: r });
    }
    cand.sort((a, b) => b.mom - a.mom);
    const s = cand.slice(0, 3).reduce((a, c) => a + c.next, 0) / 3 - cand.slice(-3).reduce((a, c) => a + c.next, 0) / 3;
    const key = dates[k].slice(0, 4) + dates[k].slice(5, 7);
    const want = ref.get(key)!;
    assert.ok(Math.abs(s - want) <= 1e-9, `${key}: pipeline ${s} vs reference ${want}`);
    spreads.push(s);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(mean(spreads) - mean([...ref.values()])) <= 1e-9);
  assert.ok(mean(spreads) > 0); // industry momentum paid over the period
});
