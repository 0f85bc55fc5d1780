;; Exact ascending sort of one cross-section by the pair (value, position): the kernel of
;; src/evaluate/fastRank.ts `sortAscending`, in WebAssembly because its two data-dependent
;; scatters run ~2x faster here than as JavaScript typed-array code (no per-access bounds checks).
;;
;; The compiled bytes are embedded in sortKernelBinary.ts (`npm run build:wasm`); a unit test
;; recompiles this file and checks they are the same.
;;
;; One instance per FastRankScratch; its memory holds, for a capacity C (byte offsets passed in):
;;   x    f64[C]   the input
;;   sv   f64[C]   out: sv[k] = x[ord[k]], ascending
;;   ord  i32[C]   out: position of the k-th smallest (value, position) pair
;;   ka, kb, ib    i32[C] keys, keys after the first pass, positions after the first pass
;;   hist i32[2 * 4096]  the histograms of the two 12-bit digits
;;
;; Method (the module comment of fastRank.ts has the argument for exactness):
;;   1. key_i = upper 32 bits of the IEEE-754 pattern of x_i, magnitude bits flipped for x < 0,
;;      so that signed key order is numeric order (−0 takes the key of +0);
;;   2. LSD radix sort, two stable passes of 12-bit digits, on the 24 most significant bits of
;;      key_i that vary across the cross-section (window guessed from the previous call, redone
;;      when the guess was wrong); a digit whose histogram holds all n keys needs no pass;
;;   3. insertion pass on the true (value, position) pairs. It stops once it has made more than
;;      32·n + 1024 moves and `sort` returns 1: the caller then finishes with a comparison sort.
;; Cross-sections of at most 96 cells skip steps 1–2 (insertion sort alone, no move budget).
(module
 (memory (export "memory") 1)
 ;; Radix window shift of the previous call (a guess for the next one).
 (global $lastShift (mut i32) (i32.const 0))

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

 ;; Sort x[0..n) into sv/ord (see the header). Returns 0 when sorted, 1 when the caller must
 ;; finish sv/ord (a permutation of the input, partly ordered) with a comparison sort.
 (func (export "sort") (param $x i32) (param $sv i32) (param $ord i32) (param $ka i32) (param $kb i32) (param $ib i32)
  (param $hist i32) (param $n i32) (result i32)
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
   (return (i32.const 0))))
  ;; Keys, their range and (with the previous call's window) both digit histograms, in one pass.
  (local.set $kmin (i32.const 0x7fffffff))
  (local.set $kmax (i32.const 0x80000000))
  (local.set $shift (global.get $lastShift))
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
    (global.set $lastShift (local.get $want))
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
  (i32.lt_s (call $insertionFix (local.get $sv) (local.get $ord) (local.get $n)
   (i32.add (i32.shl (local.get $n) (i32.const 5)) (i32.const 1024))) (i32.const 0)))
)
