import AnkrPrimitives

extension InMemoryEVMState {
    /// Everything the state holds, as one value: each of the class's methods is a single access to it, so Swift
    /// checks exclusivity once per call instead of at every table it touches.
    struct Store {
        private struct AccountEntry {
            let address: Address
            var account: EVMAccount?
            /// Slots of this account holding a non-zero value (``hasStorage(_:)``, and whether ``destroy(_:)`` must scan).
            var nonZeroSlots = 0
            /// Keccak-256 of `account`'s code, computed on first use and dropped when the code changes.
            var codeHash: UInt256?

            init(address: Address) { self.address = address }
        }

        private struct SlotEntry {
            var current = UInt256.zero
            /// The value when transaction `epoch` started; meaningful only while `epoch` is the running one.
            var original = UInt256.zero
            var epoch: UInt64 = 0
        }

        private enum Change { case account(Int, EVMAccount?), slot(Int, UInt256) }

        private var accountTable = StateTable<AddressWords, AccountEntry>()
        private var slotTable = StateTable<StorageSlotKey, SlotEntry>()
        /// The running transaction's number: a slot whose entry carries another one has not been written in it.
        private var epoch: UInt64 = 1
        private var journal: [Change] = []
        /// The exported views, built on demand and dropped at every write.
        private var accountsView: [Address: EVMAccount]?
        private var storagesView: [Address: [UInt256: UInt256]]?

        mutating func accounts() -> [Address: EVMAccount] {
            if let v = accountsView { return v }
            var v = [Address: EVMAccount]()
            for entry in accountTable.values { if let a = entry.account { v[entry.address] = a } }
            accountsView = v
            return v
        }

        mutating func storages() -> [Address: [UInt256: UInt256]] {
            if let v = storagesView { return v }
            var v = [Address: [UInt256: UInt256]]()
            for (i, slot) in slotTable.values.enumerated() where !slot.current.isZero {
                v[accountTable.values[Int(slotTable.keys[i].owner)].address, default: [:]][slotTable.keys[i].key] = slot.current
            }
            storagesView = v
            return v
        }

        private func entry(_ address: Address) -> Int? { accountTable.find(AddressWords(address)) }

        private mutating func entryOrNew(_ address: Address) -> Int {
            accountTable.findOrInsert(AddressWords(address)) { AccountEntry(address: address) }
        }

        func account(_ address: Address) -> EVMAccount? {
            guard let e = entry(address) else { return nil }
            return accountTable.values[e].account
        }

        mutating func setAccount(_ address: Address, _ account: EVMAccount?) {
            let e = entryOrNew(address)
            journal.append(.account(e, accountTable.values[e].account))
            assign(account, to: e)
        }

        private mutating func assign(_ account: EVMAccount?, to e: Int) {
            accountsView = nil
            // Comparing the same array with itself is a pointer check: balance and nonce updates pay nothing here.
            if accountTable.values[e].account?.code != account?.code { accountTable.values[e].codeHash = nil }
            accountTable.values[e].account = account
        }

        func code(_ address: Address) -> [UInt8] {
            guard let e = entry(address) else { return [] }
            return accountTable.values[e].account?.code ?? []
        }

        mutating func codeHash(_ address: Address) -> UInt256 {
            guard let e = entry(address) else { return Keccak256.word([UInt8]()) }
            if let h = accountTable.values[e].codeHash { return h }
            let h = Keccak256.word(accountTable.values[e].account?.code ?? [])
            accountTable.values[e].codeHash = h
            return h
        }

        private func slot(_ address: Address, _ key: UInt256) -> SlotEntry? {
            guard let e = entry(address), let s = slotTable.find(StorageSlotKey(owner: UInt32(e), key: key)) else { return nil }
            return slotTable.values[s]
        }

        func storage(_ address: Address, _ key: UInt256) -> UInt256 { slot(address, key)?.current ?? .zero }

        func originalStorage(_ address: Address, _ key: UInt256) -> UInt256 {
            guard let slot = slot(address, key) else { return .zero }
            return slot.epoch == epoch ? slot.original : slot.current
        }

        mutating func setStorage(_ address: Address, _ key: UInt256, _ value: UInt256) {
            let e = entryOrNew(address)
            let s = slotTable.findOrInsert(StorageSlotKey(owner: UInt32(e), key: key)) { SlotEntry() }
            if slotTable.values[s].epoch != epoch {
                slotTable.values[s].original = slotTable.values[s].current
                slotTable.values[s].epoch = epoch
            }
            journal.append(.slot(s, slotTable.values[s].current))
            assign(value, toSlot: s)
        }

        /// Writes a slot and keeps its account's count of non-zero slots.
        private mutating func assign(_ value: UInt256, toSlot s: Int) {
            storagesView = nil
            let wasZero = slotTable.values[s].current.isZero
            slotTable.values[s].current = value
            if wasZero != value.isZero {
                accountTable.values[Int(slotTable.keys[s].owner)].nonZeroSlots += wasZero ? 1 : -1
            }
        }

        func hasStorage(_ address: Address) -> Bool {
            guard let e = entry(address) else { return false }
            return accountTable.values[e].nonZeroSlots > 0
        }

        mutating func destroy(_ address: Address) {
            guard let e = entry(address) else { return }
            journal.append(.account(e, accountTable.values[e].account))
            assign(nil, to: e)
            // Scanning every slot is rare: only an account that still holds storage gets here.
            guard accountTable.values[e].nonZeroSlots > 0 else { return }
            let owner = UInt32(e)
            for s in slotTable.keys.indices where slotTable.keys[s].owner == owner && !slotTable.values[s].current.isZero {
                journal.append(.slot(s, slotTable.values[s].current))
                assign(.zero, toSlot: s)
            }
        }

        var journalCount: Int { journal.count }

        mutating func revert(to snapshot: Int) {
            while journal.count > snapshot {
                switch journal.removeLast() {
                case .account(let e, let old): assign(old, to: e)
                case .slot(let s, let old): assign(old, toSlot: s)
                }
            }
        }

        mutating func beginTransaction() {
            epoch += 1
            journal.removeAll(keepingCapacity: true)
        }
    }
}
