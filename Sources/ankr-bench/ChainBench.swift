import AnkrChain
import AnkrCommandLine
import AnkrCrypto
import AnkrNode
import AnkrPrimitives
import AnkrStorage
import ArgumentParser
import Foundation

/// Block import against its physical limit: blocks of signed EIP-1559 transfers imported into a
/// fresh on-disk database, as a share of what libsecp256k1 alone recovers on all cores in the same
/// run; then blocks of ERC-20 transfers (a real Vyper token) in Mgas/s.
struct ChainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Block import (recover + execute + MPT + receipts + commit) against the signature-recovery ceiling, and ERC-20 blocks in Mgas/s.")

    @Option(help: "Number of funded accounts.")
    var accounts = 10_000

    @Option(help: "Number of ether transfers to import.")
    var transactions = 10_000

    @Option(help: "Number of ERC-20 transfers to import (0: skip).")
    var erc20Transactions = 5_000

    @Option(help: "Rounds; each figure is the best of them, with the ceiling and the imports interleaved.")
    var runs = 3

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            guard accounts >= 2 else { throw BenchError.options("--accounts", mustBe: "at least 2") }
            guard transactions >= 1 else { throw BenchError.options("--transactions", mustBe: "at least 1") }
            guard erc20Transactions >= 0 else { throw BenchError.options("--erc20-transactions", mustBe: "at least 0") }
            guard runs >= 1 else { throw BenchError.options("--runs", mustBe: "at least 1") }
            var err = StandardError()
            #if DEBUG
            print("ankr-bench: warning: this is a debug build; run `swift build -c release` for real numbers", to: &err)
            #endif
            print("preparing \(accounts) accounts, \(transactions) signed transfers and \(erc20Transactions) ERC-20 transfers…", to: &err)
            let (keys, genesis) = try Self.accounts(accounts)
            let transfers = try Self.transactions(transactions, keys: keys, token: false)
            let (blocks, _) = try Self.blocks(transfers, genesis: genesis)
            let tokenTransfers = try Self.transactions(erc20Transactions, keys: keys, token: true)
            let (tokenBlocks, tokenGas) = erc20Transactions > 0 ? try Self.blocks(tokenTransfers, genesis: genesis) : ([], 0)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let ceiling = try RecoveryCeiling(inputs: Self.ceilingInputs(transfers), threads: cores)

            print("importing \(blocks.count) + \(tokenBlocks.count) blocks into fresh on-disk databases, \(runs) rounds…", to: &err)
            var best = (ceiling: Double.infinity, transfers: Double.infinity, oneByOne: Double.infinity, tokens: Double.infinity)
            for _ in 0..<runs {
                best.ceiling = min(best.ceiling, try ceiling.measure())
                best.transfers = min(best.transfers, try Self.importTime(blocks, genesis: genesis))
                best.oneByOne = min(best.oneByOne, try Self.importTime(blocks, genesis: genesis, batch: false))
                if !tokenBlocks.isEmpty { best.tokens = min(best.tokens, try Self.importTime(tokenBlocks, genesis: genesis)) }
            }

            let ceilingRate = Double(transactions) / best.ceiling
            let tps = Double(transactions) / best.transfers
            let share = tps / ceilingRate
            let oneByOneTPS = Double(transactions) / best.oneByOne
            let tokenTPS = tokenBlocks.isEmpty ? 0 : Double(erc20Transactions) / best.tokens
            let tokenMgas = tokenBlocks.isEmpty ? 0 : Double(tokenGas) / best.tokens / 1e6
            if json {
                print(JSON.object([
                    "transactions": .int(clamping: transactions), "blocks": .int(clamping: blocks.count), "import_seconds": .double(best.transfers),
                    "tx_per_second": .double(tps), "ceiling_seconds": .double(best.ceiling), "ceiling_recoveries_per_second": .double(ceilingRate),
                    "share_of_ceiling": .double(share), "one_block_per_call_tx_per_second": .double(oneByOneTPS),
                    "one_block_per_call_share_of_ceiling": .double(oneByOneTPS / ceilingRate), "erc20_transactions": .int(clamping: erc20Transactions),
                    "erc20_blocks": .int(clamping: tokenBlocks.count), "erc20_seconds": .double(tokenBlocks.isEmpty ? 0 : best.tokens),
                    "erc20_tx_per_second": .double(tokenTPS), "erc20_mgas_per_second": .double(tokenMgas),
                    "cores": .int(clamping: cores), "runs": .int(clamping: runs),
                ]).text)
                return
            }
            print(String(format: "recovery ceiling: %.0f recoveries/s (libsecp256k1 directly, on all %d cores)", ceilingRate, cores))
            print(String(format: "imported %d transfers in %d blocks in %.2f s: %.0f tx/s, %.0f%% of the ceiling (one batch, as sync imports)",
                         transactions, blocks.count, best.transfers, tps, share * 100))
            print(String(format: "one block per call: %.2f s: %.0f tx/s, %.0f%% of the ceiling",
                         best.oneByOne, oneByOneTPS, oneByOneTPS / ceilingRate * 100))
            if !tokenBlocks.isEmpty {
                print(String(format: "imported %d ERC-20 transfers in %d blocks in %.2f s: %.0f tx/s, %.0f Mgas/s",
                             erc20Transactions, tokenBlocks.count, best.tokens, tokenTPS, tokenMgas))
            }
            print("(best of \(runs) rounds, ceiling and imports interleaved)")
        }
    }
}
