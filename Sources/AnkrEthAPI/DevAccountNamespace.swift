import AnkrChain
import AnkrCrypto
import AnkrPrimitives
import AnkrRPC

/// Unlocked development accounts, as Hardhat and anvil serve them: `eth_accounts`, `eth_sendTransaction`,
/// `eth_sign`, `eth_signTransaction`, `personal_sign` and `personal_listAccounts` sign with the keys a
/// development chain unlocks; `eth_fillTransaction` (nothing signed) works on any chain.
///
/// The node passes the keys only on a chain whose genesis marks it a development chain
/// (`config.ankr.unlockDevAccounts`, written by `ankr node --dev` and `ankr devnet`); with no keys every signing
/// method refuses with -32000 `unknown account …`, saying why, and `eth_accounts` is empty.
public struct DevAccountNamespace: Sendable {
    public let backend: RPCBackend
    let keyring: DevAccountKeyring
    /// The estimates, tips and nonces of `eth_`, shared rather than copied.
    let eth: EthNamespace

    /// `accounts`: the keys to sign with (none: a node that signs nothing). `limits` bounds the gas estimate
    /// a fill runs (the EVM time limit).
    public init(backend: RPCBackend, accounts: [PrivateKey], limits: RPCLimits = RPCLimits()) {
        self.backend = backend
        keyring = DevAccountKeyring(accounts)
        eth = EthNamespace(backend: backend, limits: limits)
    }

    var chain: Blockchain { backend.chain }

    /// The unlocked accounts, in `eth_accounts` order.
    public var accounts: [Address] { keyring.addresses }

    public func register(in table: RPCMethodTable) {
        table.register("eth_accounts") { p in try p.expect(min: 0, max: 0); return accountList() }
        table.register("personal_listAccounts") { p in try p.expect(min: 0, max: 0); return accountList() }
        table.register("eth_sign") { p in
            try p.expect(min: 2, max: 2)
            let key = try key(for: try p.address(0))
            return RPCFormat.data(try PersonalMessage.sign(try p.bytes(1, "message"), with: key))
        }
        // personal_sign takes the message first, then the account, then a password that unlocked accounts do not need.
        table.register("personal_sign") { p in
            try p.expect(min: 2, max: 3)
            if p.has(2) { _ = try p.string(2, "password") }
            let message = try p.bytes(0, "message")
            return RPCFormat.data(try PersonalMessage.sign(message, with: try key(for: try p.address(1))))
        }
        table.register("eth_signTransaction") { p in
            try p.expect(min: 1, max: 1)
            let args = try TransactionArguments(try p.object(0, "transaction"))
            let key = try key(for: args.from)
            // As geth: only a complete transaction is signed; nothing is estimated or looked up for it.
            guard args.gas != nil else { throw DevAccountError.gasNotSpecified.rpc }
            guard args.gasPrice != nil || (args.maxFeePerGas != nil && args.maxPriorityFeePerGas != nil) else {
                throw DevAccountError.feesNotSpecified.rpc
            }
            guard args.nonce != nil else { throw DevAccountError.nonceNotSpecified.rpc }
            return Self.result(try fill(args).signed(with: key))
        }
        table.register("eth_sendTransaction", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            let args = try TransactionArguments(try p.object(0, "transaction"))
            let key = try key(for: args.from)
            // The lock spans nonce choice to admission only when the node picks the nonce (geth's rule).
            let send = { () throws -> JSON in
                let signed = try fill(args).signed(with: key)
                do { return .string(try backend.submit(signed).description) } catch { throw RPCError.server("\(error)") }
            }
            return try args.nonce == nil ? keyring.withNonceLock(key.address, send) : send()
        }
        table.register("eth_fillTransaction", heavy: true) { p in
            try p.expect(min: 1, max: 1)
            return Self.result(try fill(TransactionArguments(try p.object(0, "transaction"))))
        }
    }

    func accountList() -> JSON { .array(keyring.addresses.map { .string($0.checksummed) }) }

    /// The unlocked key of `address`; otherwise the refusal that says why (no development chain, no `from`, or an
    /// account this node does not hold).
    func key(for address: Address?) throws -> PrivateKey {
        guard !keyring.isEmpty else { throw DevAccountError.notADevelopmentChain(address).rpc }
        guard let address else { throw DevAccountError.missingFrom.rpc }
        guard let key = keyring.key(address) else { throw DevAccountError.unknownAccount(address).rpc }
        return key
    }
}
