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
 * compares the doubles themselves). −0 and +0 compare equal and are ties. It is 3–4x faster than
 * the quicksort co-sort of `midranksInto` on 5,000 continuous values (it is linear in n), which is
 * what lets one pass over a 5,000 x 2,500 panel rank the factor and three horizons of returns.
 * Scratch is allocated once per call site (`newFastRankScratch`) and reused across dates.
 */

/** Scratch for `sortAscending` / `fastMidranksInto`, sized for up to `capacity` cells. */
export interface FastRankScratch {
  readonly capacity: number;
  /** After `sortAscending`: order[k] = position (in x) of the k-th smallest (value, position). */
  readonly order: Int32Array;
  /** After `sortAscending`: sorted[k] = x[order[k]], ascending. */
  readonly sorted: Float64Array;
  readonly keyA: Int32Array;
  readonly keyB: Int32Array;
  readonly idxB: Int32Array;
  readonly hist: Int32Array;
  /** Int32 view of the last input's buffer (inputs are reused across dates, so it is built once). */
  view: Int32Array | null;
  viewOf: Float64Array | null;
  /** Radix window shift of the previous call (a guess for the next one). */
  lastShift: number;
}

const DIGIT_BITS = 12;
const DIGIT_SIZE = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGIT_SIZE - 1;
const WINDOW_BITS = 2 * DIGIT_BITS;
/** Below this size an insertion sort (≤ n²/4 moves on average) beats two 4096-bin radix passes. */
const SMALL = 96;
/** Index of the upper 32-bit word of a double in an Int32 view (1 on little-endian machines). */
const HI_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Allocate scratch for cross-sections of up to `capacity` cells (once per call, reused across dates). */
export function newFastRankScratch(capacity: number): FastRankScratch {
  const c = Math.max(1, capacity);
  return {
    capacity: c,
    order: new Int32Array(c),
    sorted: new Float64Array(c),
    keyA: new Int32Array(c),
    keyB: new Int32Array(c),
    idxB: new Int32Array(c),
    hist: new Int32Array(2 * DIGIT_SIZE),
    view: null,
    viewOf: null,
    lastShift: 0,
  };
}

/** Insertion sort of sv/ix[lo..hi] by (value, index); returns the number of moves, or -1 once `budget` is exceeded. */
function insertionFix(sv: Float64Array, ix: Int32Array, n: number, budget: number): number {
  let moves = 0;
  for (let k = 1; k < n; k++) {
    const v = sv[k];
    const p = sv[k - 1];
    if (p < v) continue;
    const o = ix[k];
    if (p === v && ix[k - 1] < o) continue;
    let j = k - 1;
    while (j >= 0 && (sv[j] > v || (sv[j] === v && ix[j] > o))) {
      sv[j + 1] = sv[j];
      ix[j + 1] = ix[j];
      j--;
      moves++;
    }
    sv[j + 1] = v;
    ix[j + 1] = o;
    if (moves > budget) return -1;
  }
  return moves;
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
 * `x` is read only. n must not exceed the scratch capacity.
 */
export function sortAscending(x: Float64Array, n: number, scratch: FastRankScratch): void {
  const ord = scratch.order, sv = scratch.sorted;
  if (n <= SMALL) {
    for (let i = 0; i < n; i++) { sv[i] = x[i]; ord[i] = i; }
    insertionFix(sv, ord, n, Infinity);
    return;
  }
  if (scratch.viewOf !== x) {
    scratch.view = new Int32Array(x.buffer, x.byteOffset, 2 * x.length);
    scratch.viewOf = x;
  }
  const bits = scratch.view!;
  const keyA = scratch.keyA, keyB = scratch.keyB, idxB = scratch.idxB, hist = scratch.hist;
  // Signed key: k = hi ^ ((hi >> 31) & 0x7fffffff) orders like the doubles (−0 and +0 get keys
  // −1 and 0; they compare equal in the final pass). Unsigned digits come from k ^ 0x80000000.
  // Keys, their range and (speculatively, with the window of the previous call: consecutive
  // cross-sections usually span the same binary range) the digit histograms, in one pass.
  let kmin = 0x7fffffff, kmax = -0x80000000;
  let shift = scratch.lastShift;
  hist.fill(0);
  for (let i = 0; i < n; i++) {
    const h = bits[2 * i + HI_WORD];
    let k = h ^ ((h >> 31) & 0x7fffffff);
    if (k === -1 && x[i] === 0) k = 0; // −0 gets the key of +0
    keyA[i] = k;
    if (k < kmin) kmin = k;
    if (k > kmax) kmax = k;
    const d = (k ^ 0x80000000) >>> shift;
    hist[d & DIGIT_MASK]++;
    hist[DIGIT_SIZE + ((d >>> DIGIT_BITS) & DIGIT_MASK)]++;
  }
  const diff = kmin ^ kmax;
  if (diff === 0) {
    for (let k = 0; k < n; k++) { ord[k] = k; sv[k] = x[k]; }
  } else {
    const top = 32 - Math.clz32(diff);
    const want = top > WINDOW_BITS ? top - WINDOW_BITS : 0;
    if (want !== shift) {
      shift = want;
      scratch.lastShift = want;
      hist.fill(0);
      for (let i = 0; i < n; i++) {
        const k = (keyA[i] ^ 0x80000000) >>> shift;
        hist[k & DIGIT_MASK]++;
        hist[DIGIT_SIZE + ((k >>> DIGIT_BITS) & DIGIT_MASK)]++;
      }
    }
    const sh2 = shift + DIGIT_BITS;
    // Exclusive prefix sums; a digit whose histogram holds all n keys needs no pass.
    let s0 = 0, s1 = 0, t0 = false, t1 = false;
    for (let b = 0; b < DIGIT_SIZE; b++) {
      const c0 = hist[b], c1 = hist[DIGIT_SIZE + b];
      if (c0 === n) t0 = true;
      if (c1 === n) t1 = true;
      hist[b] = s0; s0 += c0;
      hist[DIGIT_SIZE + b] = s1; s1 += c1;
    }
    if (!t0 && !t1) {
      for (let i = 0; i < n; i++) {
        const k = keyA[i];
        const p = hist[((k ^ 0x80000000) >>> shift) & DIGIT_MASK]++;
        keyB[p] = k;
        idxB[p] = i;
      }
      for (let i = 0; i < n; i++) {
        const p = hist[DIGIT_SIZE + (((keyB[i] ^ 0x80000000) >>> sh2) & DIGIT_MASK)]++;
        ord[p] = idxB[i];
      }
    } else {
      const off = t0 ? DIGIT_SIZE : 0, sh = t0 ? sh2 : shift;
      for (let i = 0; i < n; i++) {
        const p = hist[off + (((keyA[i] ^ 0x80000000) >>> sh) & DIGIT_MASK)]++;
        ord[p] = i;
      }
    }
    for (let k = 0; k < n; k++) sv[k] = x[ord[k]];
  }
  if (insertionFix(sv, ord, n, 32 * n + 1024) < 0) quickSortPairs(sv, ord, 0, n - 1);
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
