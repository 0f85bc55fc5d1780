/**
 * The simulated market cached on disk, so the CLI, the notebooks, the tests and the benchmarks
 * simulate each configuration once (the default market costs ~2.3 CPU-s to simulate).
 *
 *   const { dataset } = simulateMarketCached({ seed: 7 });   // same value as simulateMarket({ seed: 7 })
 *
 * - **Content-addressed.** The file is `.cache/simulator/<key>.bin` under the project root, with
 *   key = SHA-256 of (cache format, byte order, the resolved config as JSON, the contents of every
 *   source file the simulator runs: src/data/simulator.ts, src/data/simulator/*.ts and the modules
 *   they import, SIMULATOR_SOURCES). Editing the simulator changes the key, so a stale file is
 *   never read (old files are left for `rm -rf .cache`).
 * - **Exact.** `encodeValue` writes every typed array as its raw bytes and everything else as JSON
 *   with tagged non-JSON numbers (NaN, ±Infinity, −0) and `undefined`; shared references stay
 *   shared. Decoding gives a value deep-equal to the simulated one, bit for bit (unit-tested).
 * - **Safe under concurrent processes.** A writer writes `<key>.bin.<pid>.<random>.tmp` and renames
 *   it over the final name (atomic on one file system), so a reader sees a whole file or none;
 *   two writers write the same bytes.
 * - **Optional.** No cache when ROTATION_SIM_CACHE=0, when the sources are not found under the
 *   working folder (run from the project root), or when the folder is not writable: then it is
 *   `simulateMarket` (the status says which). ROTATION_CACHE_DIR moves the cache folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RotationError } from '../errors.js';
import { resolveSimulatorConfig, simulateMarket, type SimulatedMarket, type SimulatorConfig } from './simulator.js';

/** Bump when the file layout of `encodeValue` changes. */
export const SIMULATOR_CACHE_FORMAT = 2;

/**
 * Source files (relative to the project root) whose contents version the cache: the simulator and
 * everything it imports. Every file of src/data/simulator/ is added at run time.
 */
export const SIMULATOR_SOURCES: readonly string[] = [
  'src/data/simulator.ts', 'src/data/simulatorCache.ts', 'src/random.ts', 'src/panel/panel.ts', 'src/errors.ts', 'src/data/types.ts',
  'src/data/forecasts.ts',
];

/** How `simulateMarketCached` got its value. */
export type SimulatorCacheStatus = 'hit' | 'miss-written' | 'miss-unwritable' | 'off-disabled' | 'off-no-sources';

/** Options of `simulateMarketCached`. */
export interface SimulatorCacheOptions {
  /** Cache folder (default $ROTATION_CACHE_DIR or <cwd>/.cache/simulator). */
  dir?: string;
  /** Project root holding src/ (default process.cwd()). */
  root?: string;
  /** Told how the value was obtained and the cache file (null without a cache). */
  onStatus?: (status: SimulatorCacheStatus, file: string | null) => void;
}

const TYPED = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

function typedName(v: unknown): TypedName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  const n = v.constructor.name;
  return n in TYPED ? (n as TypedName) : null;
}

/**
 * Encode a value of plain objects, arrays, strings, numbers, booleans, null, undefined and typed
 * arrays into one buffer:
 *
 *   [u32 LE: skeleton byte length][skeleton JSON, padded to 8 bytes][typed-array bytes, 8-aligned]
 *
 * In the skeleton a typed array is {"$t": name, "o": offset, "n": length}, a repeated object
 * {"$r": id} (ids in first-visit order), NaN/±Infinity/−0 {"$n": "NaN" | "Infinity" | "-Infinity" | "-0"},
 * undefined {"$u": 1}; an array of >= 16 records with the same keys, every value a number, a
 * string or null, is stored by column {"$c": keys, "v": columns, "n": rows} (number columns as raw
 * doubles); an array of >= 16 strings (a string column included) by dictionary {"$s": distinct
 * strings in first-seen order, "k": u32 codes}, so that decoding allocates each distinct string
 * once instead of parsing every one. A Map, Set, Date, function or class instance is
 * CACHE_UNSUPPORTED.
 */
export function encodeValue(value: unknown): Buffer {
  const blobs: Typed[] = [];
  let blobBytes = 0;
  const ids = new Map<object, number>();
  const walk = (v: unknown, where: string): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (v === undefined) return { $u: 1 };
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $n: 'NaN' };
      if (v === Infinity) return { $n: 'Infinity' };
      if (v === -Infinity) return { $n: '-Infinity' };
      if (Object.is(v, -0)) return { $n: '-0' };
      return v;
    }
    if (typeof v !== 'object') {
      throw new RotationError('CACHE_UNSUPPORTED', `Cannot cache a ${typeof v}`, { path: where }, 'cache plain data only (objects, arrays, typed arrays)');
    }
    const seen = ids.get(v);
    if (seen !== undefined) return { $r: seen };
    ids.set(v, ids.size);
    const tn = typedName(v);
    if (tn) return { $t: tn, ...blob(v as Typed) };
    if (Array.isArray(v)) return columnar(v) ?? stringColumn(v) ?? v.map((x, i) => walk(x, `${where}[${i}]`));
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new RotationError('CACHE_UNSUPPORTED', `Cannot cache a ${(v as object).constructor?.name ?? 'class instance'}`, { path: where },
        'cache plain data only (objects, arrays, typed arrays)');
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = walk((v as Record<string, unknown>)[k], `${where}.${k}`);
    return out;
  };
  const blob = (t: Typed): { o: number; n: number } => {
    const o = blobBytes;
    blobs.push(t);
    blobBytes += Math.ceil(t.byteLength / 8) * 8;
    return { o, n: t.length };
  };
  // An array of >= 16 strings: its distinct strings and one u32 code per element.
  const stringColumn = (a: unknown[]): { $s: string[]; k: { $t: 'Uint32Array'; o: number; n: number } } | null => {
    if (a.length < 16 || !a.every((x) => typeof x === 'string')) return null;
    const code = new Map<string, number>();
    const k = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) {
      let c = code.get(a[i] as string);
      if (c === undefined) { c = code.size; code.set(a[i] as string, c); }
      k[i] = c;
    }
    return { $s: [...code.keys()], k: { $t: 'Uint32Array', ...blob(k) } };
  };
  // An array of >= 16 plain records with the same keys in the same order, every value a number,
  // a string or null: stored by column (numbers as raw doubles), records rebuilt on decode.
  const columnar = (a: unknown[]): unknown | null => {
    if (a.length < 16) return null;
    const r0 = a[0];
    if (r0 === null || typeof r0 !== 'object' || Object.getPrototypeOf(r0) !== Object.prototype) return null;
    const keys = Object.keys(r0);
    const kinds: ('n' | 's' | 'j')[] = keys.map((k) => (typeof (r0 as Record<string, unknown>)[k] === 'number' ? 'n' : typeof (r0 as Record<string, unknown>)[k] === 'string' ? 's' : 'j'));
    for (const r of a) {
      if (r === null || typeof r !== 'object' || Object.getPrototypeOf(r) !== Object.prototype || ids.has(r)) return null;
      const ks = Object.keys(r);
      if (ks.length !== keys.length) return null;
      for (let j = 0; j < keys.length; j++) {
        if (ks[j] !== keys[j]) return null;
        const x = (r as Record<string, unknown>)[keys[j]];
        if (x !== null && typeof x !== 'number' && typeof x !== 'string') return null;
        if (kinds[j] === 'n' && typeof x !== 'number') kinds[j] = 'j';
        if (kinds[j] === 's' && typeof x !== 'string') kinds[j] = 'j';
      }
    }
    for (const r of a) ids.set(r as object, ids.size);
    const cols = keys.map((k, j) => {
      if (kinds[j] === 'n') return { $t: 'Float64Array', ...blob(Float64Array.from(a, (r) => (r as Record<string, number>)[k])) };
      if (kinds[j] === 's') return stringColumn(a.map((r) => (r as Record<string, string>)[k])) ?? a.map((r) => (r as Record<string, string>)[k]);
      return a.map((r) => walk((r as Record<string, unknown>)[k], `$[].${k}`));
    });
    return { $c: keys, v: cols, n: a.length };
  };
  const skeleton = Buffer.from(JSON.stringify(walk(value, '$')), 'utf8');
  const head = 4 + skeleton.length;
  const start = Math.ceil(head / 8) * 8;
  const buf = Buffer.alloc(start + blobBytes);
  buf.writeUInt32LE(skeleton.length, 0);
  skeleton.copy(buf, 4);
  let o = start;
  for (const t of blobs) {
    buf.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), o);
    o += Math.ceil(t.byteLength / 8) * 8;
  }
  return buf;
}

/**
 * Inverse of `encodeValue`: references shared as encoded; typed arrays are views into `buf` where
 * aligned (so `buf` must not be reused by the caller), copies otherwise.
 */
export function decodeValue(buf: Uint8Array): unknown {
  if (buf.byteLength < 4) throw new RotationError('CACHE_CORRUPT', 'Cache file shorter than its header', { bytes: buf.byteLength }, 'delete the .cache folder');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = view.getUint32(0, true);
  if (4 + len > buf.byteLength) throw new RotationError('CACHE_CORRUPT', 'Cache file truncated', { bytes: buf.byteLength }, 'delete the .cache folder');
  const skeleton: unknown = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 4, len).toString('utf8'));
  const start = Math.ceil((4 + len) / 8) * 8;
  const objs: unknown[] = [];
  const typed = (o: Record<string, unknown>): Typed => {
    const C = TYPED[o.$t as TypedName];
    const n = o.n as number, at = start + (o.o as number);
    if (!C || at + n * C.BYTES_PER_ELEMENT > buf.byteLength) {
      throw new RotationError('CACHE_CORRUPT', 'Typed array outside the cache file', { at, length: n }, 'delete the .cache folder');
    }
    // A view into the decoded buffer when aligned (no second copy of the data: the file's bytes
    // become the arrays), else a copy.
    if ((buf.byteOffset + at) % C.BYTES_PER_ELEMENT === 0) return new C(buf.buffer as ArrayBuffer, buf.byteOffset + at, n);
    const t = new C(n);
    new Uint8Array(t.buffer).set(buf.subarray(at, at + n * C.BYTES_PER_ELEMENT));
    return t;
  };
  const strings = (o: Record<string, unknown>): string[] => {
    const levels = o.$s as string[], codes = typed(o.k as Record<string, unknown>);
    const out: string[] = [];
    for (let i = 0; i < codes.length; i++) {
      const x = levels[codes[i]];
      if (x === undefined) throw new RotationError('CACHE_CORRUPT', 'String code outside its dictionary', { at: i, code: codes[i] }, 'delete the .cache folder');
      out.push(x);
    }
    return out;
  };
  const build = (s: unknown): unknown => {
    if (s === null || typeof s !== 'object') return s;
    if (Array.isArray(s)) {
      const out: unknown[] = [];
      objs.push(out);
      for (const x of s) out.push(build(x));
      return out;
    }
    const o = s as Record<string, unknown>;
    if ('$u' in o) return undefined;
    if ('$n' in o) return o.$n === '-0' ? -0 : Number(o.$n);
    if ('$r' in o) return objs[o.$r as number];
    if ('$s' in o) {
      const out = strings(o);
      objs.push(out);
      return out;
    }
    if ('$t' in o) {
      const t = typed(o);
      objs.push(t);
      return t;
    }
    if ('$c' in o) {
      const keys = o.$c as string[], n = o.n as number;
      const out: Record<string, unknown>[] = [];
      objs.push(out);
      const cols = (o.v as unknown[]).map((c) => (Array.isArray(c) ? c.map((x) => build(x)) : '$s' in (c as object) ? strings(c as Record<string, unknown>) : typed(c as Record<string, unknown>)));
      for (let i = 0; i < n; i++) {
        const r: Record<string, unknown> = {};
        for (let j = 0; j < keys.length; j++) r[keys[j]] = (cols[j] as ArrayLike<unknown>)[i];
        objs.push(r);
        out.push(r);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    objs.push(out);
    for (const k of Object.keys(o)) out[k] = build(o[k]);
    return out;
  };
  return build(skeleton);
}

/**
 * The cache key of a config (see the module comment): `<version>-<config>`, version = 16 hex of
 * SHA-256(cache format, byte order, the simulator's sources), config = 16 hex of SHA-256(the
 * resolved config as JSON). Null when a source file is missing under `root`.
 */
export function simulatorCacheKey(config: Partial<SimulatorConfig>, root = process.cwd()): string | null {
  const simDir = path.join(root, 'src', 'data', 'simulator');
  if (!existsSync(simDir)) return null;
  const files = [...SIMULATOR_SOURCES];
  for (const f of readdirSync(simDir).sort()) if (f.endsWith('.ts')) files.push(`src/data/simulator/${f}`);
  const h = createHash('sha256');
  h.update(`format ${SIMULATOR_CACHE_FORMAT} ${os.endianness()}\n`);
  for (const f of files) {
    const p = path.join(root, f);
    if (!existsSync(p)) return null;
    h.update(`\n${f}\n`);
    h.update(readFileSync(p));
  }
  const c = createHash('sha256').update(JSON.stringify(resolveSimulatorConfig(config))).digest('hex').slice(0, 16);
  return `${h.digest('hex').slice(0, 16)}-${c}`;
}

/** Delete the cache files of other simulator versions in `dir` (they can never be read again by these sources). */
function pruneOtherVersions(dir: string, key: string): void {
  const version = key.slice(0, key.indexOf('-') + 1);
  for (const f of readdirSync(dir)) {
    if (/^[0-9a-f]{16}-[0-9a-f]{16}\.bin$/.test(f) && !f.startsWith(version)) rmSync(path.join(dir, f), { force: true });
  }
}

/**
 * `simulateMarket(config)`, read from the on-disk cache when this exact simulator has simulated
 * this exact config before, else simulated and written (see the module comment). The value is
 * deep-equal to `simulateMarket(config)`, bit for bit. A bad config throws as simulateMarket does
 * (SIM_CONFIG / SIM_CONFIG_UNKNOWN_KEY); a corrupt cache file is deleted and simulated again.
 */
export function simulateMarketCached(config: Partial<SimulatorConfig> = {}, options: SimulatorCacheOptions = {}): SimulatedMarket {
  const report = options.onStatus ?? (() => {});
  if (process.env.ROTATION_SIM_CACHE === '0') { report('off-disabled', null); return simulateMarket(config); }
  const root = options.root ?? process.cwd();
  const key = simulatorCacheKey(config, root);
  if (key === null) { report('off-no-sources', null); return simulateMarket(config); }
  const dir = options.dir ?? process.env.ROTATION_CACHE_DIR ?? path.join(root, '.cache', 'simulator');
  const file = path.join(dir, `${key}.bin`);
  if (existsSync(file)) {
    try {
      const v = decodeValue(readFileSync(file)) as SimulatedMarket;
      report('hit', file);
      return v;
    } catch {
      rmSync(file, { force: true });
    }
  }
  const market = simulateMarket(config);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, encodeValue(market));
    renameSync(tmp, file);
    pruneOtherVersions(dir, key);
    report('miss-written', file);
  } catch {
    rmSync(tmp, { force: true });
    report('miss-unwritable', null);
  }
  return market;
}
