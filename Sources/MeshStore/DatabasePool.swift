import MeshCore
import Migrations
import Synchronization

/// An open SQLite database: one writer connection and `readerCount` read-only connections, each
/// on its own dedicated thread, behind `async` methods.
///
/// Thread-safe (`Sendable`); share one per database file. No SQLite call ever runs on Swift's
/// shared thread pool: closures passed to `read` and `write` run on a connection's own thread,
/// and the calling task suspends meanwhile. Writes are serialized on the writer; reads run
/// concurrently with them and with each other (WAL). Closures must not block on other tasks.
public final class DatabasePool: Sendable {
    /// Where the database lives.
    public let location: DatabaseLocation
    /// How the connections were opened.
    public let configuration: DatabaseConfiguration
    private let writer: ConnectionActor
    private let readers: [ConnectionActor]
    private let nextReader = Atomic<Int>(0)

    private init(location: DatabaseLocation, configuration: DatabaseConfiguration,
                 writer: ConnectionActor, readers: [ConnectionActor]) {
        self.location = location
        self.configuration = configuration
        self.writer = writer
        self.readers = readers
    }

    /// Opens (creating if missing) the database, configures it (WAL, `synchronous`, busy
    /// timeout, foreign keys), applies the pending `migrations` in order, each in its own
    /// transaction (see `MigrationRunner`), then opens the readers.
    ///
    /// Throws `StoreError`: `.migrationFailed` naming the migration (which was rolled back, so
    /// the file is as before it) or `.unknownMigration`; a node must refuse to start on either.
    public static func open(_ location: DatabaseLocation, configuration: DatabaseConfiguration = DatabaseConfiguration(),
                            migrations: [Migrations.Migration] = Migrations.all,
                            clock: any MeshCore.Clock = SystemClock()) async throws -> DatabasePool {
        let writer = ConnectionActor(name: "store-writer")
        try await writer.open(location: location, configuration: configuration, readOnly: false)
        let now = clock.now()
        do {
            _ = try await writer.run { db in try MigrationRunner.apply(migrations, to: db, at: now) }
        } catch {
            await writer.close()
            throw error
        }
        var readers: [ConnectionActor] = []
        if case .file = location {
            for i in 0..<max(0, configuration.readerCount) {
                let reader = ConnectionActor(name: "store-reader-\(i)")
                do {
                    try await reader.open(location: location, configuration: configuration, readOnly: true)
                } catch {
                    for r in readers { await r.close() }
                    await writer.close()
                    throw error
                }
                readers.append(reader)
            }
        }
        return DatabasePool(location: location, configuration: configuration, writer: writer, readers: readers)
    }

    /// Runs `body` in a read transaction (a consistent snapshot) on one of the readers (taken in
    /// turn, so a long read delays the reads queued behind it on the same reader), or on the
    /// writer when there are none. Rethrows what `body` throws. `body` must not write: reader
    /// connections are read-only and fail with `SQLITE_READONLY`.
    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let connection: ConnectionActor
        if readers.isEmpty {
            connection = writer
        } else {
            let n = nextReader.add(1, ordering: .relaxed).newValue
            connection = readers[n % readers.count]
        }
        return try await connection.run { db in try db.inTransaction(.deferred) { try body(db) } }
    }

    /// Runs `body` in an immediate transaction on the writer: COMMIT when it returns (durable on
    /// disk before this returns when `synchronous` is `.full`), ROLLBACK when it throws, then
    /// rethrows. Writes are serialized in call order.
    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.run { db in try db.inTransaction(.immediate) { try body(db) } }
    }

    /// Runs `body` on the writer outside any transaction, for statements that refuse to run in
    /// one (`VACUUM`, some `PRAGMA`s). Each statement then commits on its own.
    @discardableResult
    public func writeWithoutTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.run(body)
    }

    /// The migrations recorded in `schema_migrations`, in the order they were applied.
    public func appliedMigrations() async throws -> [AppliedMigration] {
        try await read { db in try MigrationRunner.appliedMigrations(in: db) }
    }

    /// `PRAGMA integrity_check` on the writer: `["ok"]` for a sound database.
    public func integrityCheck() async throws -> [String] {
        try await writer.run { db in try db.integrityCheck() }
    }

    /// Closes every connection (readers first, so the writer's close checkpoints the WAL into
    /// the main file). Later calls throw `StoreError(.closed)`. Idempotent.
    public func close() async {
        for reader in readers { await reader.close() }
        await writer.close()
    }
}
