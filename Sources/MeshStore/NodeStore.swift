import Foundation
import MeshCore
import Migrations

/// Small settings the node keeps about itself (table `node_meta`, from migration 0001).
/// Thread-safe; writes are durable on return; throws `StoreError`.
public struct NodeMetaStore: Sendable {
    /// The database holding `node_meta`.
    public let database: DatabasePool

    public init(_ database: DatabasePool) { self.database = database }

    /// The value stored under `key`, or nil.
    public func get(_ key: String) async throws -> String? {
        try await database.read { db in
            try db.scalar("SELECT value FROM node_meta WHERE key = ?", [.text(key)], as: String.self)
        }
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func set(_ key: String, to value: String) async throws {
        try await database.write { db in
            try db.execute("INSERT INTO node_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                           [.text(key), .text(value)])
        }
    }

    /// Removes `key`; returns whether it existed.
    @discardableResult
    public func remove(_ key: String) async throws -> Bool {
        try await database.write { db in try db.execute("DELETE FROM node_meta WHERE key = ?", [.text(key)]) > 0 }
    }
}

/// The node's own SQLite store: one file `node.sqlite` in the data directory, migrated with
/// `Migrations.all` at open, with typed repositories over it.
///
/// Durability: opened with `synchronous=FULL`, because it holds data that cannot be rebuilt
/// (stats history, sync state, node settings) and writes that are acknowledged to others; see
/// Docs/storage.md. Thread-safe; share one instance per node. Other layers (search postings)
/// add their tables through their own migrations and use `database` directly.
public final class NodeStore: Sendable {
    /// The file name inside the data directory.
    public static let fileName = "node.sqlite"

    /// The underlying database, for layers with tables of their own.
    public let database: DatabasePool
    /// The node's own course documents as last read.
    public let courses: CourseStore
    /// Incremental sync state per Moodle source.
    public let syncState: SyncStateStore
    /// Overlay members this node knows.
    public let peers: PeerStore
    /// Daily statistics snapshots.
    public let stats: StatsSnapshotStore
    /// Key-value node settings.
    public let meta: NodeMetaStore

    /// Wraps an already open database that has the node store's migrations applied.
    public init(database: DatabasePool) {
        self.database = database
        courses = CourseStore(database)
        syncState = SyncStateStore(database)
        peers = PeerStore(database)
        stats = StatsSnapshotStore(database)
        meta = NodeMetaStore(database)
    }

    /// Opens (creating the directory and file if needed) `directory/node.sqlite` and applies
    /// `migrations` (default `Migrations.all`; the search layer passes its longer list).
    /// Throws `StoreError`; on `.migrationFailed` or `.unknownMigration` the node must refuse
    /// to start and print the error's `description`.
    public static func open(directory: String, configuration: DatabaseConfiguration = DatabaseConfiguration(),
                            migrations: [Migrations.Migration] = Migrations.all,
                            clock: any MeshCore.Clock = SystemClock()) async throws -> NodeStore {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(kind: .invalidArgument,
                             reason: "cannot create the data directory \(directory): \(error.localizedDescription)")
        }
        let path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
        let pool = try await DatabasePool.open(.file(path: path), configuration: configuration,
                                               migrations: migrations, clock: clock)
        return NodeStore(database: pool)
    }

    /// A migrated store in memory, for tests and `--json` dry runs; gone when closed.
    public static func inMemory(migrations: [Migrations.Migration] = Migrations.all,
                                clock: any MeshCore.Clock = SystemClock()) async throws -> NodeStore {
        NodeStore(database: try await DatabasePool.open(.memory, migrations: migrations, clock: clock))
    }

    /// Closes the database (see `DatabasePool.close`).
    public func close() async { await database.close() }
}
