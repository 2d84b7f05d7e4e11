/// What both publishers (postings and suggestion words) share: their runs go one at a time in
/// call order, and their ledger is read from storage once and then served from memory.
/// An actor; a run that throws does not stop the ones queued after it.
actor PublicationSequence {
    private let ledger: any PublicationLedger
    private var entries: [String: PublishedEntry]?
    private var tail: Task<Void, Never>?

    init(ledger: any PublicationLedger) { self.ledger = ledger }

    /// Runs `body` after every run queued before it has finished; returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task { () async throws -> T in
            await previous?.value
            return try await body()
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }

    /// The ledger as last saved (loaded from storage on first use).
    func load() async throws -> [String: PublishedEntry] {
        if let entries { return entries }
        let loaded = try await ledger.load()
        entries = loaded
        return loaded
    }

    /// Saves `updated` durably, then serves it from memory.
    func save(_ updated: [String: PublishedEntry]) async throws {
        try await ledger.save(updated)
        entries = updated
    }
}
