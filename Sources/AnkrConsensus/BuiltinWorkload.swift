import AnkrPrimitives
import AnkrSandbox
import AnkrWork
import WAT

/// The miner's own useful work when no job is open, so the chain never stalls: an FNV-1a-64 hash
/// chain (the same module as Examples/work/fnv-chain.wat), assembled once at start-up.
public enum BuiltinWorkload {
    public static let source = """
        (module
          (memory (export "memory") 1)
          (global $heap (mut i32) (i32.const 1024))
          (func $alloc (export "alloc") (param $len i32) (result i32)
            (local $p i32)
            (local.set $p (global.get $heap))
            (block $ok (loop $grow
              (br_if $ok (i32.le_u (i32.add (local.get $p) (local.get $len)) (i32.mul (memory.size) (i32.const 65536))))
              (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
              (br $grow)))
            (global.set $heap (i32.add (local.get $p) (local.get $len)))
            (local.get $p))
          (func (export "run") (param $ptr i32) (param $len i32) (result i64)
            (local $passes i32) (local $i i32) (local $end i32) (local $h i64) (local $out i32)
            (if (i32.lt_u (local.get $len) (i32.const 4)) (then unreachable))
            (local.set $passes (i32.load (local.get $ptr)))
            (local.set $end (i32.add (local.get $ptr) (local.get $len)))
            (local.set $h (i64.const 0xcbf29ce484222325))
            (block $done (loop $pass
              (br_if $done (i32.eqz (local.get $passes)))
              (local.set $i (i32.add (local.get $ptr) (i32.const 4)))
              (block $eod (loop $byte
                (br_if $eod (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load8_u (local.get $i))) (i64.const 0x100000001b3)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $byte)))
              (local.set $passes (i32.sub (local.get $passes) (i32.const 1)))
              (br $pass)))
            (local.set $out (call $alloc (i32.const 8)))
            (i64.store (local.get $out) (local.get $h))
            (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32)) (i64.const 8))))
        """

    /// The assembled module.
    public static func module() throws -> WorkModule { try WorkModule(bytes: wat2wasm(source)) }

    /// A subtask input: `passes` over 32 bytes of fresh randomness.
    public static func input(passes: UInt32, seed: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: passes.littleEndian) { Array($0) } + seed
    }
}
