;; Useful-work example: dense integer matrix multiply C = A × B (i32, wrapping), A and B n×n
;; generated from a seed with xorshift32 (so inputs stay small). Input: n (u32 LE), seed (u32 LE).
;; Output: C as n·n little-endian i32 values. Same ABI as every useful-work module.
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

  ;; Fills `count` i32s at `dst` from xorshift32, returns the next state.
  (func $fill (param $dst i32) (param $count i32) (param $s i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $s (i32.xor (local.get $s) (i32.shl (local.get $s) (i32.const 13))))
        (local.set $s (i32.xor (local.get $s) (i32.shr_u (local.get $s) (i32.const 17))))
        (local.set $s (i32.xor (local.get $s) (i32.shl (local.get $s) (i32.const 5))))
        (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
                   (i32.and (local.get $s) (i32.const 0xff)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s))

  (func (export "run") (param $ptr i32) (param $len i32) (result i64)
    (local $n i32) (local $seed i32) (local $a i32) (local $b i32) (local $c i32) (local $bytes i32)
    (local $i i32) (local $j i32) (local $k i32) (local $sum i32)
    (if (i32.lt_u (local.get $len) (i32.const 8)) (then unreachable))
    (local.set $n (i32.load (local.get $ptr)))
    (local.set $seed (i32.or (i32.load offset=4 (local.get $ptr)) (i32.const 1)))
    (if (i32.gt_u (local.get $n) (i32.const 512)) (then unreachable))
    (local.set $bytes (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 2)))
    (local.set $a (call $alloc (local.get $bytes)))
    (local.set $b (call $alloc (local.get $bytes)))
    (local.set $c (call $alloc (local.get $bytes)))
    (local.set $seed (call $fill (local.get $a) (i32.mul (local.get $n) (local.get $n)) (local.get $seed)))
    (drop (call $fill (local.get $b) (i32.mul (local.get $n) (local.get $n)) (local.get $seed)))
    (block $di (loop $li
      (br_if $di (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $dj (loop $lj
        (br_if $dj (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $sum (i32.const 0))
        (local.set $k (i32.const 0))
        (block $dk (loop $lk
          (br_if $dk (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $sum (i32.add (local.get $sum)
            (i32.mul
              (i32.load (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 2))))
              (i32.load (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 2)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $lk)))
        (i32.store (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2)))
                   (local.get $sum))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $lj)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $li)))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $c)) (i64.const 32)) (i64.extend_i32_u (local.get $bytes)))))
