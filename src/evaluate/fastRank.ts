/**
 * Fast exact sorting and midranks of one cross-section, for the evaluation hot paths.
 *
 * The order of x[0..n) (no NaN) ascending by the pair (x_i, i) — value first, ties broken by the
 * position i, i.e. by asset order when x was gathered in asset order — is found in three steps:
 *
 *   1. key_i = the upper 32 bits of the IEEE-754 pattern of x_i mapped to an integer whose order
 *      is the numeric order (the magnitude bits flipped for x < 0);
 *   2. an LSD radix sort (two stable passes of 12-bit digits) on the 24 most significant bits of
 *      key_i that vary across the cross-section (the window starts at the highest bit where the
 *      smallest and the largest key differ, so a cross-section such as 100.00 .. 100.99 still
 *      spreads over the digits);
 *   3. an insertion pass on the true (value, position) pairs, which fixes the few neighbours whose
 *      keys agreed on those 24 bits. If that pass does more than 32·n + 1024 moves (heavily
 *      clustered values), the sort falls back to a quicksort on (value, position).
 *
 * The result is exactly the order of a comparison sort on (x_i, i): no precision is lost (step 3
 * compares the doubles themselves). −0 and +0 compare equal and are ties. Cross-sections of at
 * most 96 cells are insertion-sorted directly.
 *
 * Steps 1–3 run as a WebAssembly kernel (`sort` in src/evaluate/wasm/evaluationKernels.wat,
 * embedded by `npm run build:wasm`): its data-dependent scatters run ~2x faster there than as
 * typed-array JavaScript (docs/performance.md, *Evaluation*). A scratch's arrays live in a kernel
 * arena (its own, or one the caller shares with other kernel arrays); `order`, `sorted` and
 * `input` are views of it. A caller that writes its cross-section into `scratch.input` saves the
 * copy. Scratch is allocated once per call site (`newFastRankScratch`) and reused across dates.
 */
import { arenaBytes, newKernelArena, type KernelArena } from './wasm/arena.js';

/** Scratch for `sortAscending` / `fastMidranksInto`, sized for up to `capacity` cells. */
export interface FastRankScratch {
  readonly capacity: number;
  /** The kernel's input cells (`sortAscending(scratch.input, n, scratch)` sorts without a copy). */
  readonly input: Float64Array;
  /** After `sortAscending`: order[k] = position (in x) of the k-th smallest (value, position). */
  readonly order: Int32Array;
  /** After `sortAscending`: sorted[k] = x[order[k]], ascending. */
  readonly sorted: Float64Array;
  /** Runs the kernel on input[0..n): 0 when sorted, 1 when the comparison-sort fallback must finish. */
  readonly sortKernel: (n: number) => number;
}

/** Digit histograms of the kernel: two of 4,096 bins. */
const HISTOGRAM_BINS = 2 * 4096;

/** Arena bytes of one scratch of `capacity` cells (for callers that share an arena). */
export function fastRankScratchBytes(capacity: number): number {
  const c = Math.max(1, capacity);
  return arenaBytes([c, c], [c, c, c, c, HISTOGRAM_BINS]);
}

/**
 * Allocate scratch for cross-sections of up to `capacity` cells (once per call site, reused
 * across dates), in `arena` (which must have `fastRankScratchBytes(capacity)` bytes left) or in
 * an arena of its own.
 */
export function newFastRankScratch(capacity: number, arena?: KernelArena): FastRankScratch {
  const c = Math.max(1, capacity);
  const a = arena ?? newKernelArena(fastRankScratchBytes(c));
  const input = a.f64(c), sorted = a.f64(c), order = a.i32(c);
  const ka = a.i32(c).byteOffset, kb = a.i32(c).byteOffset, ib = a.i32(c).byteOffset, hist = a.i32(HISTOGRAM_BINS).byteOffset;
  const k = a.kernels;
  let shift = 0; // radix window of the previous call: the next call's guess
  return {
    capacity: c, input, sorted, order,
    sortKernel: (n) => {
      const r = k.sort(input.byteOffset, sorted.byteOffset, order.byteOffset, ka, kb, ib, hist, n, shift);
      shift = r & 255;
      return r >>> 8;
    },
  };
}

function less(sv: Float64Array, ix: Int32Array, a: number, b: number): boolean {
  return sv[a] < sv[b] || (sv[a] === sv[b] && ix[a] < ix[b]);
}

function swap(sv: Float64Array, ix: Int32Array, a: number, b: number): void {
  const t = sv[a]; sv[a] = sv[b]; sv[b] = t;
  const u = ix[a]; ix[a] = ix[b]; ix[b] = u;
}

/** Quicksort of sv/ix[lo..hi] by (value, index) (all pairs distinct); median-of-three, small side first. */
function quickSortPairs(sv: Float64Array, ix: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    if (less(sv, ix, mid, lo)) swap(sv, ix, mid, lo);
    if (less(sv, ix, hi, lo)) swap(sv, ix, hi, lo);
    if (less(sv, ix, hi, mid)) swap(sv, ix, hi, mid);
    const pv = sv[mid], pi = ix[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (sv[i] < pv || (sv[i] === pv && ix[i] < pi)) i++;
      while (sv[j] > pv || (sv[j] === pv && ix[j] > pi)) j--;
      if (i <= j) { swap(sv, ix, i, j); i++; j--; }
    }
    if (j - lo < hi - i) { quickSortPairs(sv, ix, lo, j); lo = i; } else { quickSortPairs(sv, ix, i, hi); hi = j; }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = sv[i], o = ix[i];
    let j = i - 1;
    while (j >= lo && (sv[j] > v || (sv[j] === v && ix[j] > o))) { sv[j + 1] = sv[j]; ix[j + 1] = ix[j]; j--; }
    sv[j + 1] = v;
    ix[j + 1] = o;
  }
}

/**
 * Sort x[0..n) (finite or ±Infinity, no NaN) ascending by (x_i, i) into the scratch:
 *
 *   scratch.order[k] = i_k,  scratch.sorted[k] = x[i_k],  (x[i_0], i_0) < (x[i_1], i_1) < …
 *
 * (lexicographic: by value, ties by position). Exact; see the module comment for the method.
 * `x` is read only (copied into `scratch.input` unless it is that view). n must not exceed the
 * scratch capacity.
 */
export function sortAscending(x: Float64Array, n: number, scratch: FastRankScratch): void {
  if (n > scratch.capacity) {
    throw new RangeError(`sortAscending: ${n} cells exceed the scratch capacity ${scratch.capacity}`);
  }
  if (x !== scratch.input) scratch.input.set(n === x.length ? x : x.subarray(0, n));
  if (scratch.sortKernel(n) !== 0) quickSortPairs(scratch.sorted, scratch.order, 0, n - 1);
}

/**
 * Midranks of an ascending sequence s[0..n) into out[0..n) (out[k] belongs to s[k]):
 *
 *   out[k] = (a + b)/2 + 1  for the maximal run s[a] = … = s[b] holding k
 *
 * (ranks 1..n, ties share the average of the ranks they span). Returns the number of tied runs
 * of length > 1 (0 = no ties). Allocation-free.
 */
export function midranksOfSorted(s: Float64Array, n: number, out: Float64Array): number {
  let runs = 0, j = 0;
  while (j < n) {
    let e = j;
    const v = s[j];
    while (e + 1 < n && s[e + 1] === v) e++;
    if (e === j) {
      out[j] = j + 1;
    } else {
      runs++;
      const r = (j + e) / 2 + 1;
      for (let q = j; q <= e; q++) out[q] = r;
    }
    j = e + 1;
  }
  return runs;
}

/**
 * Midranks of x[0..n) (no NaN) into out[0..n) — the same numbers as `midranksInto` in
 * src/panel/kernels.ts:
 *
 *   out[i] = 1 + #{j : x_j < x_i} + (#{j : x_j = x_i} − 1)/2
 *
 * computed through `sortAscending` (radix sort of the IEEE-754 keys, exact). `out` may not alias x.
 */
export function fastMidranksInto(x: Float64Array, n: number, out: Float64Array, scratch: FastRankScratch): void {
  sortAscending(x, n, scratch);
  const ord = scratch.order, sv = scratch.sorted;
  let j = 0;
  while (j < n) {
    let e = j;
    const v = sv[j];
    while (e + 1 < n && sv[e + 1] === v) e++;
    const r = (j + e) / 2 + 1;
    for (let q = j; q <= e; q++) out[ord[q]] = r;
    j = e + 1;
  }
}
