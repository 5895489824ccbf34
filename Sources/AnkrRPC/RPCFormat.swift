import AnkrPrimitives

/// JSON-RPC quantity and data encodings, as JSON strings.
public enum RPCFormat {
    /// `0x`-prefixed hex without leading zeros (`0x0` for zero).
    public static func q(_ v: UInt64) -> JSON { .string("0x" + String(v, radix: 16)) }
    public static func q(_ v: Int) -> JSON { .string("0x" + String(v, radix: 16)) }
    public static func q(_ v: UInt256) -> JSON { .string(v.hexQuantity) }
    /// `0x`-prefixed hex bytes (`0x` for none).
    public static func data(_ b: [UInt8]) -> JSON { .string(b.hexPrefixed) }
}
