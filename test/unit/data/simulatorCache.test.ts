import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulateMarket } from '../../../src/data/simulator.js';
import { decodeValue, encodeValue, simulateMarketCached, simulatorCacheKey, type SimulatorCacheStatus } from '../../../src/data/simulatorCache.js';
import { throwsCode } from '../assertions.js';

test('encodeValue / decodeValue: exact for NaN, ±Infinity, −0, undefined, typed arrays, shared references and record columns', () => {
  const shared = Float64Array.from([1.5, NaN, -0, Infinity, -Infinity, 5e-324]);
  const dates = ['2024-01-02', '2024-01-03'];
  const records = Array.from({ length: 20 }, (_, i) => ({ stock: `S${i}`, value: i === 3 ? NaN : i === 4 ? -0 : i / 7, note: i === 5 ? null : 'x', mixed: i % 2 ? 1 : 'one' }));
  const value = {
    a: shared, b: shared, dates, again: dates, records, i32: Int32Array.from([-1, 2, 2 ** 31 - 1]), u8: Uint8Array.from([0, 255, 7]),
    nums: [NaN, -0, 0, Infinity, -Infinity, 1e308], u: undefined, nested: { deep: [[1, 'two', null, true]] }, short: [{ k: 1 }, { k: 2 }],
  };
  const buf = encodeValue(value);
  const back = decodeValue(buf) as typeof value;
  assert.deepStrictEqual(back, value);
  assert.ok(Object.is(back.nums[1], -0) && Object.is(back.a[2], -0) && Object.is(back.records[4].value, -0));
  assert.ok('u' in back && back.u === undefined);
  assert.equal(back.a, back.b, 'a shared typed array stays shared');
  assert.equal(back.dates, back.again, 'a shared array stays shared');
  assert.notEqual(back.a, shared, 'decoded typed arrays are new arrays, not the encoded ones');
  const unaligned = Buffer.alloc(buf.length + 1).subarray(1);
  buf.copy(unaligned);
  assert.deepStrictEqual(decodeValue(unaligned), value, 'an unaligned buffer decodes through copies');
  assert.deepEqual(Object.keys(back.records[0]), ['stock', 'value', 'note', 'mixed']);
  assert.equal(Buffer.compare(encodeValue(back), buf), 0, 'encode(decode(x)) is byte-identical');
  throwsCode(() => encodeValue({ m: new Map() }), 'CACHE_UNSUPPORTED');
  throwsCode(() => decodeValue(buf.subarray(0, 3)), 'CACHE_CORRUPT');
  throwsCode(() => decodeValue(buf.subarray(0, buf.length - 8)), 'CACHE_CORRUPT');
});

test('string arrays are stored by dictionary and decode to equal arrays, shared where encoded shared; a code outside the dictionary is CACHE_CORRUPT', () => {
  const codes = Array.from({ length: 40 }, (_, i) => `S${i % 7}`);
  const value = {
    codes, again: codes, short: ['a', 'b', 'a'], mixed: [...Array.from({ length: 20 }, () => 'x'), null],
    records: Array.from({ length: 20 }, (_, i) => ({ stock: `S${i % 3}`, broker: i % 2 ? 'B' : '' })),
    after: Float64Array.from([1, 2, 3]),
  };
  const buf = encodeValue(value);
  const skeleton = JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString('utf8'));
  assert.deepEqual(skeleton.codes.$s, ['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6'], 'distinct strings in first-seen order');
  assert.deepEqual(skeleton.records.v[1].$s, ['', 'B'], 'a string column of records too');
  assert.ok(Array.isArray(skeleton.short) && Array.isArray(skeleton.mixed), 'short or mixed arrays stay JSON');
  const back = decodeValue(buf) as typeof value;
  assert.deepStrictEqual(back, value);
  assert.equal(back.codes, back.again, 'a shared string array stays shared');
  assert.equal(Buffer.compare(encodeValue(back), buf), 0, 'encode(decode(x)) is byte-identical');
  // corrupt the first code of `codes` (its u32 codes sit at byte offset k.o of the typed part)
  const bad = Buffer.from(buf);
  bad.writeUInt32LE(99, Math.ceil((4 + buf.readUInt32LE(0)) / 8) * 8 + skeleton.codes.k.o);
  throwsCode(() => decodeValue(bad), 'CACHE_CORRUPT');
});

test('simulateMarketCached: writes once, then reads a market bit-identical to simulateMarket; the key follows config and sources', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'simcache-'));
  const env = process.env.ROTATION_SIM_CACHE;
  delete process.env.ROTATION_SIM_CACHE; // the test needs the cache on whatever the caller set
  try {
    const cfg = { seed: 5, nStocks: 60, years: 2, nIndustries: 8, benchmarkSize: 20 };
    const statuses: SimulatorCacheStatus[] = [];
    const onStatus = (s: SimulatorCacheStatus) => { statuses.push(s); };
    const fresh = simulateMarket(cfg);
    const a = simulateMarketCached(cfg, { dir, onStatus });
    const b = simulateMarketCached(cfg, { dir, onStatus });
    assert.deepEqual(statuses, ['miss-written', 'hit']);
    assert.deepStrictEqual(a, fresh);
    assert.deepStrictEqual(b, fresh);
    assert.equal(Buffer.compare(encodeValue(b), encodeValue(fresh)), 0);
    const files = readdirSync(dir);
    assert.equal(files.length, 1, 'no temp file left behind');
    assert.equal(files[0], `${simulatorCacheKey(cfg)}.bin`);
    // A file of another simulator version is deleted when this version writes; another config's
    // file of this version is kept.
    const key = simulatorCacheKey(cfg)!;
    const stale = path.join(dir, `${'0'.repeat(16)}-${key.slice(17)}.bin`), other = path.join(dir, `${key.slice(0, 17)}${'1'.repeat(16)}.bin`);
    writeFileSync(stale, 'old');
    writeFileSync(other, 'kept');
    rmSync(path.join(dir, files[0]));
    simulateMarketCached(cfg, { dir });
    assert.deepEqual(readdirSync(dir).sort(), [files[0], path.basename(other)].sort());
    rmSync(other);
    // Another config, another file; a truncated file is replaced, not trusted.
    assert.notEqual(simulatorCacheKey({ ...cfg, seed: 6 }), simulatorCacheKey(cfg));
    const f = path.join(dir, files[0]);
    writeFileSync(f, readFileSync(f).subarray(0, 100));
    statuses.length = 0;
    assert.deepStrictEqual(simulateMarketCached(cfg, { dir, onStatus }), fresh);
    assert.deepEqual(statuses, ['miss-written']);
    // ROTATION_SIM_CACHE=0 turns it off: simulated, nothing read or written.
    process.env.ROTATION_SIM_CACHE = '0';
    statuses.length = 0;
    assert.deepStrictEqual(simulateMarketCached(cfg, { dir: path.join(dir, 'off'), onStatus }), fresh);
    assert.deepEqual(statuses, ['off-disabled']);
    assert.equal(existsSync(path.join(dir, 'off')), false);
  } finally {
    if (env === undefined) delete process.env.ROTATION_SIM_CACHE; else process.env.ROTATION_SIM_CACHE = env;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('simulatorCacheKey changes when a simulator source changes, and is null without the sources', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'simroot-'));
  try {
    cpSync(path.join('src'), path.join(root, 'src'), { recursive: true });
    const cfg = { seed: 7 };
    const k0 = simulatorCacheKey(cfg, root);
    assert.equal(k0, simulatorCacheKey(cfg));
    const engine = path.join(root, 'src', 'data', 'simulator', 'engine.ts');
    writeFileSync(engine, `${readFileSync(engine, 'utf8')}\n// edited\n`);
    assert.notEqual(simulatorCacheKey(cfg, root), k0);
    rmSync(path.join(root, 'src', 'random.ts'));
    assert.equal(simulatorCacheKey(cfg, root), null);
    assert.equal(existsSync(path.join(root, '.cache')), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
