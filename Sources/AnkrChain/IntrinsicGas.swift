import AnkrPrimitives

/// The gas a transaction costs before any code runs (Yellow Paper g0, with EIP-2028, EIP-2930 and
/// EIP-3860 amendments).
public enum IntrinsicGas {
    public static let transaction: UInt64 = 21_000
    public static let contractCreation: UInt64 = 32_000
    public static let zeroByte: UInt64 = 4
    public static let nonZeroByte: UInt64 = 16
    public static let accessListAddress: UInt64 = 2_400
    public static let accessListStorageKey: UInt64 = 1_900
    public static let initcodeWord: UInt64 = 2
    /// EIP-3860: twice the EIP-170 code size limit.
    public static let maxInitcodeSize = 49_152

    /// The intrinsic gas; computed in 256 bits so no input can overflow it.
    public static func of(_ tx: Transaction, fork: Fork) -> UInt256 {
        var gas = UInt256(transaction)
        if tx.isContractCreation {
            gas = gas &+ UInt256(contractCreation)
            if fork >= .shanghai {
                gas = gas &+ UInt256(UInt64((tx.data.count + 31) / 32) * initcodeWord)
            }
        }
        let zeros = UInt64(tx.data.lazy.filter { $0 == 0 }.count)
        let nonZeros = UInt64(tx.data.count) - zeros
        gas = gas &+ UInt256(zeros * zeroByte) &+ UInt256(nonZeros * nonZeroByte)
        let keys = tx.accessList.reduce(0) { $0 + $1.storageKeys.count }
        gas = gas &+ UInt256(UInt64(tx.accessList.count) * accessListAddress) &+ UInt256(UInt64(keys) * accessListStorageKey)
        return gas
    }
}
