/**
 * One instance of the evaluation kernels (evaluationKernels.wat) with the memory its arrays live
 * in. A caller sizes the arena once (`newKernelArena(bytes)`), takes its arrays from it as typed
 * views (`f64(n)`, `i32(n)`, 8-byte aligned, never moved: the memory does not grow afterwards),
 * and passes their `byteOffset`s to the kernels. The module is compiled once per thread on first use.
 */
import { RotationError } from '../../errors.js';
import { EVALUATION_KERNELS_WASM_BASE64 } from './evaluationKernelsBinary.js';

/** The kernels' exports (byte offsets and counts; see evaluationKernels.wat for each one's contract). */
export interface EvaluationKernels {
  sort(x: number, sv: number, ord: number, ka: number, kb: number, ib: number, hist: number, n: number, guess: number): number;
  validCells(row: number, N: number, xv: number, xp: number): number;
  assetsInOrder(xp: number, ord: number, sorted: number, posOrd: number, nf: number): number;
  gatherPairs(posOrd: number, nf: number, fwd: number, fsorted: number, bucketQ: number, rr: number, sf: number, bj: number,
    pa: number, flags: number, stats: number): number;
  rankCorrelation(rSorted: number, rOrd: number, fRank: number, ties: number, n: number): number;
  groupRunSums(rr: number, bj: number, n: number, K: number, s1: number, s2: number, cnt: number, G: number): void;
  groupMembership(bucketQ: number, posOrd: number, nf: number, prevGroup: number, curGroup: number, N: number,
    sizes: number, newNames: number, G: number): void;
}

/** A kernel instance and the allocator of its memory. */
export interface KernelArena {
  readonly kernels: EvaluationKernels;
  /** A new zeroed f64 array of n cells in the arena. */
  f64(n: number): Float64Array;
  /** A new zeroed i32 array of n cells in the arena. */
  i32(n: number): Int32Array;
}

const WASM_PAGE = 65536;

/**
 * The part of the WebAssembly JavaScript API used here, typed locally: Node provides it, but the
 * project's `lib: ["ES2022"]` and tslab's compiler do not declare it (no DOM lib).
 */
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;

/**
 * WebAssembly memory is little-endian and typed-array views use the host's byte order, so the
 * kernels and their views agree only on a little-endian host (x86-64, arm64: every platform Node
 * ships for but s390x).
 */
export function assertLittleEndianHost(littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1): void {
  if (!littleEndian) {
    throw new RotationError('EVAL_BIG_ENDIAN_HOST', 'The evaluation kernels need a little-endian host', { host: process.arch },
      'run the evaluation on an x86-64 or arm64 machine');
  }
}

/** An arena of at least `bytes` bytes for arrays (each array's start is rounded up to 8 bytes). */
export function newKernelArena(bytes: number): KernelArena {
  if (compiled === null) {
    assertLittleEndianHost();
    compiled = new wasm.Module(Buffer.from(EVALUATION_KERNELS_WASM_BASE64, 'base64'));
  }
  const instance = new wasm.Instance(compiled, {});
  const memory = instance.exports.memory as WasmMemory;
  const size = Math.max(0, Math.ceil(bytes));
  const missing = Math.ceil(size / WASM_PAGE) - memory.buffer.byteLength / WASM_PAGE;
  if (missing > 0) memory.grow(missing);
  const buffer = memory.buffer, limit = buffer.byteLength;
  let next = 0;
  const take = (n: number, cellBytes: number): number => {
    const at = next;
    const end = at + n * cellBytes;
    if (end > limit) throw new RangeError(`kernel arena: ${end} bytes needed, ${limit} allocated`);
    next = Math.ceil(end / 8) * 8;
    return at;
  };
  return {
    kernels: instance.exports as unknown as EvaluationKernels,
    f64: (n) => new Float64Array(buffer, take(n, 8), n),
    i32: (n) => new Int32Array(buffer, take(n, 4), n),
  };
}

/** Bytes an arena needs for f64 and i32 arrays of the given lengths (alignment included). */
export function arenaBytes(f64Lengths: readonly number[], i32Lengths: readonly number[]): number {
  let b = 0;
  for (const n of f64Lengths) b += 8 * n;
  for (const n of i32Lengths) b += 4 * n + 4;
  return b;
}
