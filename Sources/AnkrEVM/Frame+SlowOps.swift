import AnkrPrimitives
import Foundation

extension Frame {
    /// The opcodes the loop in ``interpret(_:)`` does not run inline: rarer ones, and those that charge or check in
    /// their own order. They check the stack themselves; a non-nil result ends the frame.
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func slowStep(_ op: UInt8) throws -> FrameResult? {
        switch op {
        case 0x0a:
            let a = try pop(), e = try pop()
            try use(10 + evm.schedule.expByte * UInt64((e.bitWidth + 7) / 8))
            try push(a.power(e))
        case 0x31:
            let a = Address(word: try pop())
            try use(evm.accessAccount(a))
            try push(evm.balance(a))
        case 0x37, 0x39, 0x3e:
            let dest = try pop(), o = try pop(), s = try pop()
            try use(3 + 3 * Self.words(s.uint64 ?? .max / 64))
            if op == 0x3e {
                let (end, overflow) = o.addingReportingOverflow(s)
                guard !overflow, end <= UInt256(UInt64(returnData.count)) else { throw Halt.failure("return data out of bounds") }
            }
            try expand(dest, s)
            let source = op == 0x37 ? m.input : op == 0x39 ? analysis.code : returnData
            write(dest, Self.slice(source, o, Int(s.uint64 ?? 0)))
        case 0x3a: try use(2); try push(evm.tx.gasPrice)
        case 0x3b:
            let a = Address(word: try pop())
            try use(evm.accessAccount(a))
            try push(UInt256(UInt64(evm.state.account(a)?.code.count ?? 0)))
        case 0x3c:
            let a = Address(word: try pop()), dest = try pop(), o = try pop(), s = try pop()
            try use(evm.accessAccount(a) + 3 * Self.words(s.uint64 ?? .max / 64))
            try expand(dest, s)
            write(dest, Self.slice(evm.state.account(a)?.code ?? [], o, Int(s.uint64 ?? 0)))
        case 0x3f:
            let a = Address(word: try pop())
            try use(evm.accessAccount(a))
            // The state's own hash of the code (the chain's account carries it): hashing up to 24 KiB per
            // 100-gas EXTCODEHASH would let a loop of them stall every node.
            if let acct = evm.state.account(a), !acct.isEmpty { try push(evm.state.codeHash(a)) } else { try push(.zero) }
        case 0x40:
            try use(20)
            let n = try pop()
            if let k = n.uint64, k < evm.block.number, evm.block.number - k <= 256 {
                try push(UInt256(bigEndian: (evm.block.blockHashes[k] ?? .zero).bytes) ?? .zero)
            } else { try push(.zero) }
        case 0x41: try use(2); try push(evm.block.coinbase.word)
        case 0x42: try use(2); try push(UInt256(evm.block.timestamp))
        case 0x43: try use(2); try push(UInt256(evm.block.number))
        case 0x44: try use(2); try push(UInt256(bigEndian: evm.block.prevRandao.bytes) ?? .zero)
        case 0x45: try use(2); try push(UInt256(evm.block.gasLimit))
        case 0x46: try use(2); try push(UInt256(evm.block.chainID))
        case 0x47: try use(5); try push(evm.balance(m.target))
        case 0x48: try use(2); try push(evm.block.baseFee)
        case 0x49:
            try use(3)
            let i = try pop()
            if let k = i.uint64, k < UInt64(evm.tx.blobHashes.count) { try push(UInt256(bigEndian: evm.tx.blobHashes[Int(k)].bytes) ?? .zero) } else { try push(.zero) }
        case 0x4a: try use(2); try push(evm.block.blobBaseFee)
        case 0x55: try sstore()
        case 0x5d:
            guard !m.isStatic else { throw Halt.failure("TSTORE in a static call") }
            try use(100)
            let k = try pop(), v = try pop()
            evm.setTransient(EVM.SlotKey(m.target, k), v)
        case 0xa0...0xa4:
            guard !m.isStatic else { throw Halt.failure("LOG in a static call") }
            let n = Int(op - 0xa0)
            // revm's order: offset and size, the charge and the memory, and only then the topics, so a
            // step that runs out of topics shows the gas it was charged in a trace (the outcome is the same).
            let o = try pop(), s = try pop()
            // A size past 2^32 could never be paid for (and 8 × size would overflow).
            guard let size = s.uint64, size <= 0xffff_ffff else { throw Halt.failure("out of gas") }
            try use(375 + 375 * UInt64(n) + 8 * size)
            try expand(o, s)
            var topics = [H256]()
            for _ in 0..<n {
                let t = try pop()
                topics.append(H256(word: t))
            }
            evm.emit(EVMLog(address: m.target, topics: topics, data: read(o, s)))
        case 0xf0, 0xf5: return try create(salted: op == 0xf5)
        case 0xf1, 0xf2, 0xf4, 0xfa: return try call(op)
        case 0xff: return try selfDestruct()
        default:
            throw Halt.failure(op == 0xfe ? "INVALID" : String(format: "undefined opcode 0x%02x", op))
        }
        return nil
    }
}
