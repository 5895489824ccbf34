import AnkrPrimitives

/// A job posted to the WorkMarket: one module, many subtask inputs, escrowed payment.
public struct WorkJob: Hashable, Sendable {
    public var id: UInt256
    public var poster: Address
    public var moduleHash: H256
    public var subtaskCount: UInt64
    public var maxFuelPerSubtask: UInt64
    public var pricePerFuel: UInt256
    /// Escrow not yet paid out; `cancelJob` refunds it.
    public var escrow: UInt256
    /// Subtasks with an accepted result.
    public var completed: UInt64
    /// False once the poster cancelled (no more results are accepted).
    public var open: Bool
    public var postedAt: UInt64

    public init(id: UInt256, poster: Address, moduleHash: H256, subtaskCount: UInt64, maxFuelPerSubtask: UInt64,
                pricePerFuel: UInt256, escrow: UInt256, completed: UInt64 = 0, open: Bool = true, postedAt: UInt64) {
        self.id = id; self.poster = poster; self.moduleHash = moduleHash; self.subtaskCount = subtaskCount
        self.maxFuelPerSubtask = maxFuelPerSubtask; self.pricePerFuel = pricePerFuel; self.escrow = escrow
        self.completed = completed; self.open = open; self.postedAt = postedAt
    }

    /// All subtasks have results.
    public var isComplete: Bool { completed == subtaskCount }

    /// The most one subtask can cost: max fuel × price (nil when it overflows).
    public var maxPaymentPerSubtask: UInt256? {
        let (p, o) = pricePerFuel.multipliedReportingOverflow(by: UInt256(maxFuelPerSubtask))
        return o ? nil : p
    }
}

/// An accepted result of one subtask.
public struct WorkResult: Hashable, Sendable {
    public var worker: Address
    public var outputHash: H256
    public var fuel: UInt64
    public var payment: UInt256
    /// Held until the dispute window closes, then returned by `reclaimBond`; slashed by a dispute.
    public var bond: UInt256
    public var submittedAt: UInt64
    public var bondReturned: Bool

    public init(worker: Address, outputHash: H256, fuel: UInt64, payment: UInt256, bond: UInt256, submittedAt: UInt64, bondReturned: Bool = false) {
        self.worker = worker; self.outputHash = outputHash; self.fuel = fuel; self.payment = payment; self.bond = bond
        self.submittedAt = submittedAt; self.bondReturned = bondReturned
    }
}
