import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrStorage
import Foundation

extension ChainBench {
    /// Chain id of the benchmark chains.
    static let chainID: UInt64 = 7331
    /// Where the ERC-20 contract lives in the pre-state.
    static let tokenAddress = (try? Address(hex: "0x00000000000000000000000000000000000e2c20")) ?? .zero

    /// Runtime bytecode of `Tests/e2e/contracts/Token.vy` (a plain ERC-20), compiled with
    /// `vyper --evm-version cancun -f bytecode_runtime` (Vyper 0.4.3). Its storage layout puts
    /// `balanceOf` at slot 6, and Vyper keys a map entry by keccak256(slot ‖ key).
    static let tokenRuntimeHex =
        "5f3560e01c60026007820660011b61053801601e395f51565b63a9059cbb811861014357604436103417610534576004358060a01c610534576040526024356006336020525f5260405f205410156100c25760208060c05260146060527f696e73756666696369656e742062616c616e636500000000000000000000000060805260608160c001603482825e8051806020830101601f825f03163682375050601f19601f8251602001011690509050810190506308c379a060a0528060040160bcfd5b6006336020525f5260405f208054602435808203828111610534579050905081555060066040516020525f5260405f2080546024358082018281106105345790509050815550604051337fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef60243560605260206060a3600160605260206060f35b6306fdde038118610530573461053457602080604052806040015f54815260015460208201528051806020830101601f825f03163682375050601f19601f825160200101169050810190506040f35b63095ea7b3811861053057604436103417610534576004358060a01c610534576040526024356007336020525f5260405f20806040516020525f5260405f20905055604051337f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92560243560605260206060a3600160605260206060f35b6323b872dd811861053057606436103417610534576004358060a01c610534576040526024358060a01c6105345760605260443560076040516020525f5260405f2080336020525f5260405f2090505410156102d65760208060e05260126080527f616c6c6f77616e6365206578636565646564000000000000000000000000000060a05260808160e001603282825e8051806020830101601f825f03163682375050601f19601f8251602001011690509050810190506308c379a060c0528060040160dcfd5b60443560066040516020525f5260405f2054101561035f5760208060e05260146080527f696e73756666696369656e742062616c616e636500000000000000000000000060a05260808160e001603482825e8051806020830101601f825f03163682375050601f19601f8251602001011690509050810190506308c379a060c0528060040160dcfd5b60076040516020525f5260405f2080336020525f5260405f2090508054604435808203828111610534579050905081555060066040516020525f5260405f208054604435808203828111610534579050905081555060066060516020525f5260405f20805460443580820182811061053457905090508155506060516040517fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef60443560805260206080a3600160805260206080f35b6395d89b41811861046557346105345760208060405280604001600254815260035460208201528051806020830101601f825f03163682375050601f19601f825160200101169050810190506040f35b63dd62ed3e811861053057604436103417610534576004358060a01c610534576040526024358060a01c6105345760605260076040516020525f5260405f20806060516020525f5260405f2090505460805260206080f35b63313ce56781186104d957346105345760045460405260206040f35b6318160ddd811861053057346105345760055460405260206040f35b6370a08231811861053057602436103417610534576004358060a01c6105345760405260066040516020525f5260405f205460605260206060f35b5f5ffd5b5f80fd04f50192020f0018053004bd0415"

    /// The storage slot of `owner`'s token balance.
    static func tokenBalanceSlot(_ owner: Address) -> H256 {
        let slot = [UInt8](repeating: 0, count: 31) + [6]
        let key = [UInt8](repeating: 0, count: 12) + owner.bytes
        return Keccak256.h256(slot + key)
    }

    /// ABI call data of `transfer(to, amount)`.
    static func transferCall(to: Address, amount: UInt64) -> [UInt8] {
        [0xa9, 0x05, 0x9c, 0xbb] + [UInt8](repeating: 0, count: 12) + to.bytes + UInt256(amount).bigEndianBytes
    }

    /// Funded accounts (ether and tokens) and the genesis that holds them and the token.
    static func accounts(_ count: Int) throws -> (keys: [PrivateKey], genesis: Genesis) {
        let keys = (0..<count).map { i in
            // Deterministic, valid keys: keccak of the index.
            (try? PrivateKey(Keccak256.hash(Array("ankr-bench-\(i)".utf8)))) ?? PrivateKey.random()
        }
        var alloc = [Address: Genesis.Allocation]()
        var tokenBalances = [H256: UInt256]()
        for key in keys {
            alloc[key.address] = .init(balance: UInt256(1_000_000_000_000_000_000))
            tokenBalances[tokenBalanceSlot(key.address)] = UInt256(1_000_000_000)
        }
        alloc[tokenAddress] = .init(balance: .zero, code: try Hex.decode(tokenRuntimeHex), storage: tokenBalances)
        return (keys, Genesis(chainID: chainID, gasLimit: 30_000_000, baseFeePerGas: UInt256(1_000_000_000), alloc: alloc))
    }

    /// `count` signed transactions, round-robin over the senders, each to a random other account:
    /// ether transfers, or (with `token`) ERC-20 `transfer` calls.
    static func transactions(_ count: Int, keys: [PrivateKey], token: Bool) throws -> [Transaction] {
        let addresses = keys.map(\.address)
        var nonces = [UInt64](repeating: 0, count: keys.count)
        var rng = SystemRandomNumberGenerator()
        return try (0..<count).map { i in
            let from = i % keys.count
            var to = Int.random(in: 0..<keys.count, using: &rng)
            if to == from { to = (to + 1) % keys.count }
            defer { nonces[from] += 1 }
            let amount = UInt64(1000 + i)
            let tx = token
                ? Transaction.dynamicFee(chainID: chainID, nonce: nonces[from], maxPriorityFeePerGas: UInt256(1_000_000_000),
                                         maxFeePerGas: UInt256(100_000_000_000), gasLimit: 100_000, to: tokenAddress, value: .zero,
                                         data: transferCall(to: addresses[to], amount: amount))
                : Transaction.dynamicFee(chainID: chainID, nonce: nonces[from], maxPriorityFeePerGas: UInt256(1_000_000_000),
                                         maxFeePerGas: UInt256(100_000_000_000), gasLimit: 21_000, to: addresses[to], value: UInt256(amount))
            return try tx.signed(with: keys[from])
        }
    }

    /// Builds the blocks once on an in-memory producer chain (not timed); every transaction must be
    /// included and succeed. Returns the blocks and the gas they used.
    static func blocks(_ txs: [Transaction], genesis: Genesis) throws -> (blocks: [Block], gas: UInt64) {
        let producer = try Blockchain(database: ChainDatabase(), genesis: genesis)
        var blocks = [Block]()
        var gas: UInt64 = 0
        var queue = txs.map { ($0, $0.recoverSenderUnchecked) }[...]
        while !queue.isEmpty {
            let built = try producer.produceBlock(candidates: Array(queue), coinbase: .zero, timestamp: producer.head.timestamp + 1)
            let block = built.block
            guard !block.transactions.isEmpty else { throw BenchError.producerStalled }
            try producer.importBlock(built, sealed: block)
            guard let receipts = try producer.receipts(blockHash: block.hash), receipts.allSatisfy(\.succeeded) else {
                throw BenchError.workloadFailed(status: "a transaction in block \(block.number) reverted")
            }
            blocks.append(block)
            gas += block.header.gasUsed
            queue = queue.dropFirst(block.transactions.count)
        }
        return (blocks, gas)
    }

    /// Seconds to import `blocks` into a fresh on-disk database (opening it and writing genesis are
    /// not timed): as one batch, as sync imports, or (`batch` false) one block per call.
    static func importTime(_ blocks: [Block], genesis: Genesis, batch: Bool = true) throws -> Double {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ankr-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chain = try Blockchain(database: ChainDatabase(path: dir.appendingPathComponent("chain.sqlite").path), genesis: genesis)
        let seconds = try ContinuousClock().measure {
            if batch { try chain.importBlocks(blocks) } else { for b in blocks { try chain.importBlock(b) } }
        }.seconds
        guard chain.head.hash == blocks.last?.hash else { throw BenchError.workloadFailed(status: "the imported chain's head is not the last block") }
        return seconds
    }

    /// The ceiling's input: each transaction's signing hash and signature, as libsecp256k1 takes them.
    static func ceilingInputs(_ txs: [Transaction]) -> [RecoveryCeiling.Input] {
        txs.map { tx in
            RecoveryCeiling.Input(hash: tx.signingHash, compact: tx.r.bigEndianBytes + tx.s.bigEndianBytes, recoveryID: Int32(tx.recoveryID ?? 0))
        }
    }
}
