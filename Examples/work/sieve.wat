;; Useful-work example: count the primes below N with the sieve of Eratosthenes.
;; Input: N (u32 LE, at most 2^24). Output: the count (u32 LE). Same ABI as every useful-work module.
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))

  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (block $ok
      (loop $grow
        (br_if $ok (i32.le_u (i32.add (local.get $p) (local.get $len))
                             (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (global.set $heap (i32.add (local.get $p) (local.get $len)))
    (local.get $p))

  (func (export "run") (param $ptr i32) (param $len i32) (result i64)
    (local $n i32) (local $composite i32) (local $i i32) (local $j i32) (local $count i32) (local $out i32)
    (if (i32.lt_u (local.get $len) (i32.const 4)) (then unreachable))
    (local.set $n (i32.load (local.get $ptr)))
    (if (i32.gt_u (local.get $n) (i32.const 16777216)) (then unreachable))
    ;; One byte per number; fresh memory from alloc is zero.
    (local.set $composite (call $alloc (i32.add (local.get $n) (i32.const 1))))
    (local.set $i (i32.const 2))
    (block $done (loop $outer
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.eqz (i32.load8_u (i32.add (local.get $composite) (local.get $i))))
        (then
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $j (i32.mul (local.get $i) (local.get $i)))
          (block $end (loop $mark
            ;; i·i may exceed n (or overflow for large i): stop at n either way.
            (br_if $end (i32.or (i32.ge_u (local.get $j) (local.get $n)) (i32.gt_u (local.get $i) (i32.const 65535))))
            (i32.store8 (i32.add (local.get $composite) (local.get $j)) (i32.const 1))
            (local.set $j (i32.add (local.get $j) (local.get $i)))
            (br $mark)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $outer)))
    (local.set $out (call $alloc (i32.const 4)))
    (i32.store (local.get $out) (local.get $count))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32)) (i64.const 4))))
