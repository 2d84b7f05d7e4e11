/// One `Database` connection confined to its own thread: an actor whose executor is a
/// `ThreadExecutor`, so every closure it runs executes on that thread and never on the shared pool.
actor ConnectionActor {
    private let executor: ThreadExecutor
    private var database: Database?
    private var closedReason = "it was never opened"

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(name: String) {
        executor = ThreadExecutor(name: name)
    }

    deinit {
        // The connection (if still open) is closed by Database.deinit as `database` is released.
        executor.shutdown()
    }

    /// Opens the connection on this actor's thread.
    func open(location: DatabaseLocation, configuration: DatabaseConfiguration, readOnly: Bool) throws {
        database = try Database(location: location, configuration: configuration, readOnly: readOnly)
    }

    /// Runs `body` with the connection, on the connection's thread.
    func run<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        guard let database else { throw StoreError(kind: .closed, reason: closedReason) }
        return try body(database)
    }

    /// Closes the connection on its thread (checkpointing the WAL if it is the last one).
    /// Idempotent; later calls to `run` throw `StoreError(.closed)`. The thread exits when the
    /// actor is released.
    func close() {
        database = nil
        closedReason = "close() was called"
    }
}
