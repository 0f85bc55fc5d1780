;; WebAssembly kernels of the evaluation hot paths, for the loops whose data-dependent memory
;; accesses run ~2x faster here than as typed-array JavaScript (no per-access bounds checks):
;;
;;   sort            exact ascending sort of a cross-section by (value, position): the kernel of
;;                   `sortAscending` in src/evaluate/fastRank.ts;
;;   validCells, assetsInOrder, groupMembership, gatherPairs, rankCorrelation, groupRunSums
;;                   the per-date steps of `evaluateCrossSections` (src/evaluate/crossSection.ts),
;;                   with the same arithmetic in the same order as the formulas documented there.
;;
;; Arrays live in the instance's memory at byte offsets the caller passes (views of it, laid out
;; by src/evaluate/wasm/arena.ts); f64 arrays are 8-byte aligned. The compiled bytes are embedded
;; in evaluationKernelsBinary.ts (`npm run build:wasm`); a unit test recompiles this file and
;; checks they are the same.
;;
;; `sort` uses, for a capacity C: x f64[C] (input), sv f64[C] (out: sv[k] = x[ord[k]]),
;; ord i32[C] (out: position of the k-th smallest (value, position) pair), ka, kb, ib i32[C]
;; (keys, keys and positions after the first pass), hist i32[2 * 4096] (two digit histograms).
;; Method (the module comment of fastRank.ts has the argument for exactness):
;;   1. key_i = upper 32 bits of the IEEE-754 pattern of x_i, magnitude bits flipped for x < 0,
;;      so that signed key order is numeric order (−0 takes the key of +0);
;;   2. LSD radix sort, two stable passes of 12-bit digits, on the 24 most significant bits of
;;      key_i that vary across the cross-section (window guessed by the caller, from its previous
;;      call; redone when the guess was wrong); a digit whose histogram holds all n keys needs no pass;
;;   3. insertion pass on the true (value, position) pairs. It stops once it has made more than
;;      32·n + 1024 moves; the caller then finishes with a comparison sort.
;; Cross-sections of at most 96 cells skip steps 1–2 (insertion sort alone, no move budget).
(module
 (memory (export "memory") 1)
 ;; hist[0..8192) = 0
 (func $clearHist (param $hist i32)
  (memory.fill (local.get $hist) (i32.const 0) (i32.const 32768)))

 ;; Both digit histograms of key >>> shift (unsigned digits of key ^ 0x80000000), for ka[0..n).
 (func $histograms (param $ka i32) (param $hist i32) (param $n i32) (param $shift i32)
  (local $i i32) (local $d i32) (local $a i32)
  (call $clearHist (local.get $hist))
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
   (local.set $d (i32.shr_u
    (i32.xor (i32.load (i32.add (local.get $ka) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 0x80000000))
    (local.get $shift)))
   (local.set $a (i32.add (local.get $hist) (i32.shl (i32.and (local.get $d) (i32.const 4095)) (i32.const 2))))
   (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
   (local.set $a (i32.add (local.get $hist) (i32.shl (i32.and (i32.shr_u (local.get $d) (i32.const 12)) (i32.const 4095)) (i32.const 2))))
   (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (br $next))))

 ;; Stable scatter of positions 0..n by the digit (ka[i] ^ 0x80000000) >>> shift & 4095, through
 ;; the exclusive prefix sums at hist (advanced in place): ord[hist[d]++] = i.
 (func $scatterPositions (param $ka i32) (param $hist i32) (param $ord i32) (param $n i32) (param $shift i32)
  (local $i i32) (local $a i32) (local $p i32)
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
   (local.set $a (i32.add (local.get $hist) (i32.shl (i32.and (i32.shr_u
    (i32.xor (i32.load (i32.add (local.get $ka) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 0x80000000))
    (local.get $shift)) (i32.const 4095)) (i32.const 2))))
   (local.set $p (i32.load (local.get $a)))
   (i32.store (local.get $a) (i32.add (local.get $p) (i32.const 1)))
   (i32.store (i32.add (local.get $ord) (i32.shl (local.get $p) (i32.const 2))) (local.get $i))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (br $next))))

 ;; Insertion sort of sv/ord[0..n) by (value, position). Returns the number of moves, or -1 as
 ;; soon as it exceeds `budget`.
 (func $insertionFix (param $sv i32) (param $ord i32) (param $n i32) (param $budget i32) (result i32)
  (local $k i32) (local $j i32) (local $moves i32) (local $v f64) (local $p f64) (local $o i32)
  (local.set $k (i32.const 1))
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
   (block $inPlace
    (local.set $v (f64.load (i32.add (local.get $sv) (i32.shl (local.get $k) (i32.const 3)))))
    (local.set $p (f64.load (i32.add (local.get $sv) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 3)))))
    (br_if $inPlace (f64.lt (local.get $p) (local.get $v)))
    (local.set $o (i32.load (i32.add (local.get $ord) (i32.shl (local.get $k) (i32.const 2)))))
    (br_if $inPlace (i32.and (f64.eq (local.get $p) (local.get $v))
     (i32.lt_s (i32.load (i32.add (local.get $ord) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2)))) (local.get $o))))
    (local.set $j (i32.sub (local.get $k) (i32.const 1)))
    (block $placed (loop $shift
     (br_if $placed (i32.lt_s (local.get $j) (i32.const 0)))
     (local.set $p (f64.load (i32.add (local.get $sv) (i32.shl (local.get $j) (i32.const 3)))))
     (br_if $placed (i32.eqz (i32.or (f64.gt (local.get $p) (local.get $v))
      (i32.and (f64.eq (local.get $p) (local.get $v))
       (i32.gt_s (i32.load (i32.add (local.get $ord) (i32.shl (local.get $j) (i32.const 2)))) (local.get $o))))))
     (f64.store offset=8 (i32.add (local.get $sv) (i32.shl (local.get $j) (i32.const 3))) (local.get $p))
     (i32.store offset=4 (i32.add (local.get $ord) (i32.shl (local.get $j) (i32.const 2)))
      (i32.load (i32.add (local.get $ord) (i32.shl (local.get $j) (i32.const 2)))))
     (local.set $j (i32.sub (local.get $j) (i32.const 1)))
     (local.set $moves (i32.add (local.get $moves) (i32.const 1)))
     (br $shift)))
    (f64.store offset=8 (i32.add (local.get $sv) (i32.shl (local.get $j) (i32.const 3))) (local.get $v))
    (i32.store offset=4 (i32.add (local.get $ord) (i32.shl (local.get $j) (i32.const 2))) (local.get $o))
    (if (i32.gt_u (local.get $moves) (local.get $budget)) (then (return (i32.const -1)))))
   (local.set $k (i32.add (local.get $k) (i32.const 1)))
   (br $next)))
  (local.get $moves))

 ;; Sort x[0..n) into sv/ord (see the header), guessing the radix window shift `guess`. Returns
 ;; shift + 256·fallback: the window shift used (the next call's guess) and fallback = 1 when the
 ;; caller must finish sv/ord (a permutation of the input, partly ordered) with a comparison sort.
 (func (export "sort") (param $x i32) (param $sv i32) (param $ord i32) (param $ka i32) (param $kb i32) (param $ib i32)
  (param $hist i32) (param $n i32) (param $guess i32) (result i32)
  (local $i i32) (local $h i32) (local $k i32) (local $kmin i32) (local $kmax i32) (local $d i32) (local $a i32)
  (local $shift i32) (local $diff i32) (local $want i32) (local $sh2 i32) (local $b i32)
  (local $s0 i32) (local $s1 i32) (local $c0 i32) (local $c1 i32) (local $t0 i32) (local $t1 i32) (local $p i32)
  ;; Small cross-sections: sv = x, ord = identity, insertion sort without a budget.
  (if (i32.le_s (local.get $n) (i32.const 96)) (then
   (block $done (loop $next
    (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
    (f64.store (i32.add (local.get $sv) (i32.shl (local.get $i) (i32.const 3)))
     (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
    (i32.store (i32.add (local.get $ord) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next)))
   (drop (call $insertionFix (local.get $sv) (local.get $ord) (local.get $n) (i32.const 0x7fffffff)))
   (return (local.get $guess))))
  ;; Keys, their range and (with the previous call's window) both digit histograms, in one pass.
  (local.set $kmin (i32.const 0x7fffffff))
  (local.set $kmax (i32.const 0x80000000))
  (local.set $shift (local.get $guess))
  (call $clearHist (local.get $hist))
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
   (local.set $h (i32.load offset=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
   (local.set $k (i32.xor (local.get $h) (i32.and (i32.shr_s (local.get $h) (i32.const 31)) (i32.const 0x7fffffff))))
   (if (i32.eq (local.get $k) (i32.const -1)) (then
    (if (f64.eq (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))) (f64.const 0))
     (then (local.set $k (i32.const 0))))))
   (i32.store (i32.add (local.get $ka) (i32.shl (local.get $i) (i32.const 2))) (local.get $k))
   (if (i32.lt_s (local.get $k) (local.get $kmin)) (then (local.set $kmin (local.get $k))))
   (if (i32.gt_s (local.get $k) (local.get $kmax)) (then (local.set $kmax (local.get $k))))
   (local.set $d (i32.shr_u (i32.xor (local.get $k) (i32.const 0x80000000)) (local.get $shift)))
   (local.set $a (i32.add (local.get $hist) (i32.shl (i32.and (local.get $d) (i32.const 4095)) (i32.const 2))))
   (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
   (local.set $a (i32.add (local.get $hist) (i32.shl (i32.and (i32.shr_u (local.get $d) (i32.const 12)) (i32.const 4095)) (i32.const 2))))
   (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (br $next)))
  (local.set $diff (i32.xor (local.get $kmin) (local.get $kmax)))
  (if (i32.eqz (local.get $diff)) (then
   ;; Every key equal: positions in input order, the insertion pass orders the values.
   (local.set $i (i32.const 0))
   (block $done (loop $next
    (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
    (i32.store (i32.add (local.get $ord) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
    (f64.store (i32.add (local.get $sv) (i32.shl (local.get $i) (i32.const 3)))
     (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))
  (else
   ;; The window: the 24 bits below the highest bit where the smallest and largest key differ.
   (local.set $want (i32.sub (i32.const 32) (i32.clz (local.get $diff))))
   (local.set $want (select (i32.sub (local.get $want) (i32.const 24)) (i32.const 0) (i32.gt_s (local.get $want) (i32.const 24))))
   (if (i32.ne (local.get $want) (local.get $shift)) (then
    (local.set $shift (local.get $want))
    (call $histograms (local.get $ka) (local.get $hist) (local.get $n) (local.get $shift))))
   (local.set $sh2 (i32.add (local.get $shift) (i32.const 12)))
   ;; Exclusive prefix sums of both histograms; t0 / t1: a digit holds all n keys.
   (block $done (loop $next
    (br_if $done (i32.ge_s (local.get $b) (i32.const 16384)))
    (local.set $a (i32.add (local.get $hist) (local.get $b)))
    (local.set $c0 (i32.load (local.get $a)))
    (local.set $c1 (i32.load offset=16384 (local.get $a)))
    (if (i32.eq (local.get $c0) (local.get $n)) (then (local.set $t0 (i32.const 1))))
    (if (i32.eq (local.get $c1) (local.get $n)) (then (local.set $t1 (i32.const 1))))
    (i32.store (local.get $a) (local.get $s0))
    (i32.store offset=16384 (local.get $a) (local.get $s1))
    (local.set $s0 (i32.add (local.get $s0) (local.get $c0)))
    (local.set $s1 (i32.add (local.get $s1) (local.get $c1)))
    (local.set $b (i32.add (local.get $b) (i32.const 4)))
    (br $next)))
   (if (i32.eqz (i32.or (local.get $t0) (local.get $t1)))
    (then
     ;; Pass 1 by the low digit: keys and positions to kb / ib.
     (local.set $i (i32.const 0))
     (block $done (loop $next
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $k (i32.load (i32.add (local.get $ka) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $a (i32.add (local.get $hist) (i32.shl (i32.and (i32.shr_u
       (i32.xor (local.get $k) (i32.const 0x80000000)) (local.get $shift)) (i32.const 4095)) (i32.const 2))))
      (local.set $p (i32.load (local.get $a)))
      (i32.store (local.get $a) (i32.add (local.get $p) (i32.const 1)))
      (i32.store (i32.add (local.get $kb) (i32.shl (local.get $p) (i32.const 2))) (local.get $k))
      (i32.store (i32.add (local.get $ib) (i32.shl (local.get $p) (i32.const 2))) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
     ;; Pass 2 by the high digit: positions to ord.
     (local.set $i (i32.const 0))
     (block $done (loop $next
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $a (i32.add (local.get $hist) (i32.shl (i32.and (i32.shr_u
       (i32.xor (i32.load (i32.add (local.get $kb) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 0x80000000))
       (local.get $sh2)) (i32.const 4095)) (i32.const 2))))
      (local.set $p (i32.load offset=16384 (local.get $a)))
      (i32.store offset=16384 (local.get $a) (i32.add (local.get $p) (i32.const 1)))
      (i32.store (i32.add (local.get $ord) (i32.shl (local.get $p) (i32.const 2)))
       (i32.load (i32.add (local.get $ib) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
    (else
     ;; One digit is constant: a single pass by the other one.
     (if (local.get $t0)
      (then (call $scatterPositions (local.get $ka) (i32.add (local.get $hist) (i32.const 16384)) (local.get $ord) (local.get $n) (local.get $sh2)))
      (else (call $scatterPositions (local.get $ka) (local.get $hist) (local.get $ord) (local.get $n) (local.get $shift))))))
   ;; Gather the values in that order.
   (local.set $i (i32.const 0))
   (block $done (loop $next
    (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
    (f64.store (i32.add (local.get $sv) (i32.shl (local.get $i) (i32.const 3)))
     (f64.load (i32.add (local.get $x) (i32.shl (i32.load (i32.add (local.get $ord) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next)))))
  (i32.or (local.get $shift) (i32.shl (i32.lt_s (call $insertionFix (local.get $sv) (local.get $ord) (local.get $n)
   (i32.add (i32.shl (local.get $n) (i32.const 5)) (i32.const 1024))) (i32.const 0)) (i32.const 8))))
 ;; The factor's sorted cells as assets: posOrd[q] = xp[ord[q]] for q < nf (xp[c] = asset of
 ;; input cell c). Returns 1 when two sorted values tie (the factor has ties on the date), else 0.
 (func (export "assetsInOrder") (param $xp i32) (param $ord i32) (param $sorted i32) (param $posOrd i32) (param $nf i32) (result i32)
  (local $q i32)
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $q) (local.get $nf)))
   (i32.store (i32.add (local.get $posOrd) (i32.shl (local.get $q) (i32.const 2)))
    (i32.load (i32.add (local.get $xp) (i32.shl
     (i32.load (i32.add (local.get $ord) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 2)))))
   (local.set $q (i32.add (local.get $q) (i32.const 1)))
   (br $next)))
  (local.set $q (i32.const 1))
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $q) (local.get $nf)))
   (if (f64.eq (f64.load (i32.add (local.get $sorted) (i32.shl (local.get $q) (i32.const 3))))
     (f64.load (i32.add (local.get $sorted) (i32.shl (i32.sub (local.get $q) (i32.const 1)) (i32.const 3)))))
    (then (return (i32.const 1))))
   (local.set $q (i32.add (local.get $q) (i32.const 1)))
   (br $next)))
  (i32.const 0))

 ;; The jointly valid (factor, forward return) pairs of a date, in factor order: for q < nf with
 ;; r = fwd[posOrd[q]] not NaN, pair n gets rr[n] = r and, by the bits of `flags`,
 ;; 1: sf[n] = fsorted[q] (factor value), 2: bj[n] = bucketQ[q] (group), 4: pa[n] = posOrd[q] (asset).
 ;; Writes the smallest and largest r to stats[0], stats[1] (+Infinity, −Infinity without pairs;
 ;; by < and >, so −0 and +0 keep the first seen). Returns the number of pairs n.
 (func (export "gatherPairs") (param $posOrd i32) (param $nf i32) (param $fwd i32) (param $fsorted i32) (param $bucketQ i32)
  (param $rr i32) (param $sf i32) (param $bj i32) (param $pa i32) (param $flags i32) (param $stats i32) (result i32)
  (local $q i32) (local $n i32) (local $i i32) (local $r f64) (local $rMin f64) (local $rMax f64)
  (local.set $rMin (f64.const inf))
  (local.set $rMax (f64.const -inf))
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $q) (local.get $nf)))
   (local.set $i (i32.load (i32.add (local.get $posOrd) (i32.shl (local.get $q) (i32.const 2)))))
   (local.set $r (f64.load (i32.add (local.get $fwd) (i32.shl (local.get $i) (i32.const 3)))))
   (if (f64.eq (local.get $r) (local.get $r)) (then
    (f64.store (i32.add (local.get $rr) (i32.shl (local.get $n) (i32.const 3))) (local.get $r))
    (if (f64.lt (local.get $r) (local.get $rMin)) (then (local.set $rMin (local.get $r))))
    (if (f64.gt (local.get $r) (local.get $rMax)) (then (local.set $rMax (local.get $r))))
    (if (i32.and (local.get $flags) (i32.const 1)) (then
     (f64.store (i32.add (local.get $sf) (i32.shl (local.get $n) (i32.const 3)))
      (f64.load (i32.add (local.get $fsorted) (i32.shl (local.get $q) (i32.const 3)))))))
    (if (i32.and (local.get $flags) (i32.const 2)) (then
     (i32.store (i32.add (local.get $bj) (i32.shl (local.get $n) (i32.const 2)))
      (i32.load (i32.add (local.get $bucketQ) (i32.shl (local.get $q) (i32.const 2)))))))
    (if (i32.and (local.get $flags) (i32.const 4)) (then
     (i32.store (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))) (local.get $i))))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))))
   (local.set $q (i32.add (local.get $q) (i32.const 1)))
   (br $next)))
  (f64.store (local.get $stats) (local.get $rMin))
  (f64.store offset=8 (local.get $stats) (local.get $rMax))
  (local.get $n))

 ;; Spearman correlation of n pairs given in factor order, from the return order of the pairs
 ;; (rSorted ascending, rOrd[w] = pair of the w-th smallest return): with mid = (n + 1)/2,
 ;;   a_j = (ties ? fRank[j] : j + 1) − mid,   b_j = midrank of pair j's return − mid,
 ;;   ρ = Σ a b / √(Σ a² · Σ b²), clipped to [−1, 1].
 ;; Every a and b is a multiple of 1/2 with |a|, |b| < n/2, so every product is a multiple of 1/4
 ;; and, for n ≤ 2^17, every partial sum is below 2^51/4 in magnitude: the three sums are exact,
 ;; whatever the order of summation. So without ties on either side (the common case) they are
 ;; taken in closed form, Σ a² = Σ b² = n(n² − 1)/12, and Σ a b = Σ_w (w + 1 − mid)(rOrd[w] + 1 − mid)
 ;; with two accumulators; otherwise in return order, run of tied returns by run. Both give the
 ;; same bits as a single accumulator in return order.
 (func (export "rankCorrelation") (param $rSorted i32) (param $rOrd i32) (param $fRank i32) (param $ties i32) (param $n i32) (result f64)
  (local $u i32) (local $e i32) (local $w i32) (local $j i32) (local $v f64) (local $mid f64)
  (local $a f64) (local $b f64) (local $sab f64) (local $saa f64) (local $sbb f64) (local $acc f64) (local $nf f64)
  (local.set $mid (f64.div (f64.convert_i32_s (i32.add (local.get $n) (i32.const 1))) (f64.const 2)))
  (if (i32.and (i32.eqz (local.get $ties)) (i32.le_s (local.get $n) (i32.const 131072))) (then
   (block $tied
    (local.set $w (i32.const 1))
    (block $done (loop $next
     (br_if $done (i32.ge_s (local.get $w) (local.get $n)))
     (br_if $tied (f64.eq (f64.load (i32.add (local.get $rSorted) (i32.shl (local.get $w) (i32.const 3))))
      (f64.load (i32.add (local.get $rSorted) (i32.shl (i32.sub (local.get $w) (i32.const 1)) (i32.const 3))))))
     (local.set $w (i32.add (local.get $w) (i32.const 1)))
     (br $next)))
    ;; No ties: closed-form squares, two accumulators for the cross products.
    (local.set $w (i32.const 0))
    (block $done (loop $next
     (br_if $done (i32.ge_s (i32.add (local.get $w) (i32.const 1)) (local.get $n)))
     (local.set $sab (f64.add (local.get $sab) (f64.mul
      (f64.sub (f64.convert_i32_s (i32.add (local.get $w) (i32.const 1))) (local.get $mid))
      (f64.sub (f64.convert_i32_s (i32.add (i32.load (i32.add (local.get $rOrd) (i32.shl (local.get $w) (i32.const 2)))) (i32.const 1)))
       (local.get $mid)))))
     (local.set $acc (f64.add (local.get $acc) (f64.mul
      (f64.sub (f64.convert_i32_s (i32.add (local.get $w) (i32.const 2))) (local.get $mid))
      (f64.sub (f64.convert_i32_s (i32.add (i32.load offset=4 (i32.add (local.get $rOrd) (i32.shl (local.get $w) (i32.const 2)))) (i32.const 1)))
       (local.get $mid)))))
     (local.set $w (i32.add (local.get $w) (i32.const 2)))
     (br $next)))
    (if (i32.lt_s (local.get $w) (local.get $n)) (then
     (local.set $sab (f64.add (local.get $sab) (f64.mul
      (f64.sub (f64.convert_i32_s (i32.add (local.get $w) (i32.const 1))) (local.get $mid))
      (f64.sub (f64.convert_i32_s (i32.add (i32.load (i32.add (local.get $rOrd) (i32.shl (local.get $w) (i32.const 2)))) (i32.const 1)))
       (local.get $mid)))))))
    (local.set $sab (f64.add (local.get $sab) (local.get $acc)))
    (local.set $nf (f64.convert_i32_s (local.get $n)))
    (local.set $saa (f64.div (f64.mul (local.get $nf) (f64.sub (f64.mul (local.get $nf) (local.get $nf)) (f64.const 1))) (f64.const 12)))
    (local.set $v (f64.div (local.get $sab) (f64.sqrt (f64.mul (local.get $saa) (local.get $saa)))))
    (return (call $clipCorrelation (local.get $v))))))
  ;; With ties: in return order, run of tied returns by run.
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $u) (local.get $n)))
   (local.set $e (local.get $u))
   (local.set $v (f64.load (i32.add (local.get $rSorted) (i32.shl (local.get $u) (i32.const 3)))))
   (block $runEnd (loop $extend
    (br_if $runEnd (i32.ge_s (i32.add (local.get $e) (i32.const 1)) (local.get $n)))
    (br_if $runEnd (f64.ne (f64.load (i32.add (local.get $rSorted) (i32.shl (i32.add (local.get $e) (i32.const 1)) (i32.const 3))))
     (local.get $v)))
    (local.set $e (i32.add (local.get $e) (i32.const 1)))
    (br $extend)))
   (local.set $b (f64.sub (f64.add (f64.div (f64.convert_i32_s (i32.add (local.get $u) (local.get $e))) (f64.const 2)) (f64.const 1))
    (local.get $mid)))
   (local.set $w (local.get $u))
   (block $runDone (loop $member
    (br_if $runDone (i32.gt_s (local.get $w) (local.get $e)))
    (local.set $j (i32.load (i32.add (local.get $rOrd) (i32.shl (local.get $w) (i32.const 2)))))
    (local.set $a (f64.sub
     (if (result f64) (local.get $ties)
      (then (f64.load (i32.add (local.get $fRank) (i32.shl (local.get $j) (i32.const 3)))))
      (else (f64.convert_i32_s (i32.add (local.get $j) (i32.const 1)))))
     (local.get $mid)))
    (local.set $sab (f64.add (local.get $sab) (f64.mul (local.get $a) (local.get $b))))
    (local.set $saa (f64.add (local.get $saa) (f64.mul (local.get $a) (local.get $a))))
    (local.set $sbb (f64.add (local.get $sbb) (f64.mul (local.get $b) (local.get $b))))
    (local.set $w (i32.add (local.get $w) (i32.const 1)))
    (br $member)))
   (local.set $u (i32.add (local.get $e) (i32.const 1)))
   (br $next)))
  (call $clipCorrelation (f64.div (local.get $sab) (f64.sqrt (f64.mul (local.get $saa) (local.get $sbb))))))

 ;; v clipped to [−1, 1] (NaN stays NaN).
 (func $clipCorrelation (param $v f64) (result f64)
  (if (result f64) (f64.gt (local.get $v) (f64.const 1)) (then (f64.const 1))
   (else (if (result f64) (f64.lt (local.get $v) (f64.const -1)) (then (f64.const -1)) (else (local.get $v))))))

 ;; Equal-weight group sums of n pairs in factor order (each group a run of bj): for g < G,
 ;;   s1[g] = Σ (rr_j − K),  s2[g] = Σ (rr_j − K)²,  cnt[g] = #pairs,  over j with bj[j] = g,
 ;; each run summed on its own and then added to its group (bj[j] < 0: no group).
 (func (export "groupRunSums") (param $rr i32) (param $bj i32) (param $n i32) (param $K f64)
  (param $s1 i32) (param $s2 i32) (param $cnt i32) (param $G i32)
  (local $j i32) (local $g i32) (local $c i32) (local $d f64) (local $a1 f64) (local $a2 f64) (local $at i32)
  (memory.fill (local.get $s1) (i32.const 0) (i32.shl (local.get $G) (i32.const 3)))
  (memory.fill (local.get $s2) (i32.const 0) (i32.shl (local.get $G) (i32.const 3)))
  (memory.fill (local.get $cnt) (i32.const 0) (i32.shl (local.get $G) (i32.const 2)))
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $j) (local.get $n)))
   (local.set $g (i32.load (i32.add (local.get $bj) (i32.shl (local.get $j) (i32.const 2)))))
   (local.set $a1 (f64.const 0))
   (local.set $a2 (f64.const 0))
   (local.set $c (i32.const 0))
   (block $runEnd (loop $run
    (br_if $runEnd (i32.ge_s (local.get $j) (local.get $n)))
    (br_if $runEnd (i32.ne (i32.load (i32.add (local.get $bj) (i32.shl (local.get $j) (i32.const 2)))) (local.get $g)))
    (local.set $d (f64.sub (f64.load (i32.add (local.get $rr) (i32.shl (local.get $j) (i32.const 3)))) (local.get $K)))
    (local.set $a1 (f64.add (local.get $a1) (local.get $d)))
    (local.set $a2 (f64.add (local.get $a2) (f64.mul (local.get $d) (local.get $d))))
    (local.set $c (i32.add (local.get $c) (i32.const 1)))
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (br $run)))
   (if (i32.ge_s (local.get $g) (i32.const 0)) (then
    (local.set $at (i32.add (local.get $s1) (i32.shl (local.get $g) (i32.const 3))))
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $a1)))
    (local.set $at (i32.add (local.get $s2) (i32.shl (local.get $g) (i32.const 3))))
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $a2)))
    (local.set $at (i32.add (local.get $cnt) (i32.shl (local.get $g) (i32.const 2))))
    (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (local.get $c)))))
   (br $next))))

 ;; Group membership of a date, from the groups of the factor's sorted cells (bucketQ[q], −1 for
 ;; none) and their assets (posOrd[q]): curGroup[i] = group of asset i (−1 for none, i < N),
 ;; sizes[g] = members of g, newNames[g] = members of g whose group at the previous date
 ;; (prevGroup) was another one (alphalens quantile_turnover's new names), for g < G.
 (func (export "groupMembership") (param $bucketQ i32) (param $posOrd i32) (param $nf i32) (param $prevGroup i32)
  (param $curGroup i32) (param $N i32) (param $sizes i32) (param $newNames i32) (param $G i32)
  (local $q i32) (local $g i32) (local $i i32) (local $at i32)
  (memory.fill (local.get $curGroup) (i32.const 0xff) (i32.shl (local.get $N) (i32.const 2)))
  (memory.fill (local.get $sizes) (i32.const 0) (i32.shl (local.get $G) (i32.const 2)))
  (memory.fill (local.get $newNames) (i32.const 0) (i32.shl (local.get $G) (i32.const 2)))
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $q) (local.get $nf)))
   (local.set $g (i32.load (i32.add (local.get $bucketQ) (i32.shl (local.get $q) (i32.const 2)))))
   (if (i32.ge_s (local.get $g) (i32.const 0)) (then
    (local.set $at (i32.add (local.get $sizes) (i32.shl (local.get $g) (i32.const 2))))
    (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
    (local.set $i (i32.shl (i32.load (i32.add (local.get $posOrd) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 2)))
    (i32.store (i32.add (local.get $curGroup) (local.get $i)) (local.get $g))
    (if (i32.ne (i32.load (i32.add (local.get $prevGroup) (local.get $i))) (local.get $g)) (then
     (local.set $at (i32.add (local.get $newNames) (i32.shl (local.get $g) (i32.const 2))))
     (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))))))
   (local.set $q (i32.add (local.get $q) (i32.const 1)))
   (br $next))))

 ;; The factor's valid cells of a date: for i < N in order, row[i] not NaN goes to xv[nf] with
 ;; its asset xp[nf] = i. Returns nf.
 (func (export "validCells") (param $row i32) (param $N i32) (param $xv i32) (param $xp i32) (result i32)
  (local $i i32) (local $nf i32) (local $v f64)
  (block $done (loop $next
   (br_if $done (i32.ge_s (local.get $i) (local.get $N)))
   (local.set $v (f64.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))))
   (if (f64.eq (local.get $v) (local.get $v)) (then
    (f64.store (i32.add (local.get $xv) (i32.shl (local.get $nf) (i32.const 3))) (local.get $v))
    (i32.store (i32.add (local.get $xp) (i32.shl (local.get $nf) (i32.const 2))) (local.get $i))
    (local.set $nf (i32.add (local.get $nf) (i32.const 1)))))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (br $next)))
  (local.get $nf))
)
