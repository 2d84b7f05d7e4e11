import Foundation

/// A serial executor backed by one dedicated OS thread, so that blocking SQLite calls never run
/// on Swift's shared cooperative pool. Jobs run in FIFO order, one at a time.
///
/// The thread lives until `shutdown()` is called and the queue is drained; then it exits.
final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var thread: Thread?

    /// Starts the thread, named `name` for debuggers and `top -H` (at most 15 bytes on Linux).
    init(name: String) {
        // Named from inside: on Linux, naming a Thread before start() does not reach the OS
        // thread. The OS name is best-effort; the thread dictionary entry is reliable.
        let thread = Thread { [self] in
            Thread.current.name = name
            Thread.current.threadDictionary[ThreadExecutor.nameKey] = name
            run()
        }
        self.thread = thread
        thread.start()
    }

    /// The `threadDictionary` key under which each executor thread records its name.
    static let nameKey = "MeshStore.executor"

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// True when called on this executor's thread.
    var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        return Thread.current === thread
    }

    func checkIsolated() {
        precondition(isCurrent, "not on the database thread")
    }

    /// Lets the thread exit once every queued job has run. Jobs enqueued later still run:
    /// the loop only exits on an empty queue.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        let executor = asUnownedSerialExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                thread = nil
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: executor) }
        }
    }
}

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
