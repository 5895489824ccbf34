import AnkrChain
import AnkrConsensus
import Foundation

/// Several real PoUW miners racing for blocks as on a network whose gossip is instant: each miner
/// mines on its own thread without pause, the first seal returned at a height wins it, and the
/// others learn of it exactly as a node's producer does (their `stop` turns true, asked between
/// subtasks) and go on to the next height. Each miner's metered fuel is read from its
/// ``PoUWSealer/stats``. Every height reuses one template: the lottery draws are independent of it.
final class MinerRace: @unchecked Sendable {
    let miners: [PoUWSealer]
    let chain: Blockchain
    let template: Block
    private let lock = NSLock()
    private var height = 0
    private var wins: [Int]
    private var failures: [Error] = []

    init(miners: [PoUWSealer], chain: Blockchain, template: Block) {
        self.miners = miners; self.chain = chain; self.template = template
        wins = [Int](repeating: 0, count: miners.count)
    }

    /// Races until `blocks` heights are won; returns each miner's wins and any error a miner threw other than being stopped.
    func run(blocks: Int) -> (wins: [Int], failures: [Error]) {
        let done = DispatchGroup()
        // One thread per miner, as each node mines on its own (a pool sized to the cores would start
        // some miners only after others returned).
        for i in miners.indices {
            done.enter()
            Thread { [self] in
                defer { done.leave() }
                while let mining = lock.withLock({ height < blocks ? height : nil }) {
                    do {
                        _ = try miners[i].seal(template, chain: chain) { [self] in lock.withLock { height != mining } }
                        lock.withLock {
                            guard height == mining else { return }  // a stale win: another block came first
                            wins[i] += 1
                            height += 1
                        }
                    } catch SealError.abandoned {
                        // Another miner's block came first: mine on it.
                    } catch {
                        lock.withLock { failures.append(error); height = blocks }
                    }
                }
            }.start()
        }
        done.wait()
        return lock.withLock { (wins, failures) }
    }

    /// Pearson's chi-square of `wins` against the counts the miners' shares of metered fuel predict.
    func chiSquare(wins: [Int]) -> Double {
        let fuel = miners.map { Double($0.stats.fuel) }
        let total = fuel.reduce(0, +), blocks = Double(wins.reduce(0, +))
        guard total > 0, fuel.allSatisfy({ $0 > 0 }) else { return .infinity }
        return zip(wins, fuel).reduce(0) { sum, pair in
            let expected = blocks * pair.1 / total
            return sum + (Double(pair.0) - expected) * (Double(pair.0) - expected) / expected
        }
    }
}
