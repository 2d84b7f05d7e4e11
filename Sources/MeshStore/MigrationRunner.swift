import MeshCore
import Migrations

/// A migration recorded in `schema_migrations`.
public struct AppliedMigration: Sendable, Equatable {
    /// The migration's name (its file name without `.sql`).
    public var name: String
    /// When it was applied.
    public var appliedAt: Timestamp

    public init(name: String, appliedAt: Timestamp) {
        self.name = name
        self.appliedAt = appliedAt
    }
}

/// Applies schema migrations to a database, once each, in order.
///
/// Rules (Docs/storage.md, "Migrations"): migrations are append-only and named so that name
/// order is application order; each runs in its own immediate transaction together with the
/// insert of its row in `schema_migrations(name, applied_at)`, so it is either fully applied and
/// recorded or not at all. A migration must not contain BEGIN/COMMIT. A database that records a
/// migration the list lacks was migrated by a newer build and is refused.
public enum MigrationRunner {
    /// The table recording applied migrations.
    public static let tableName = "schema_migrations"

    /// Applies the migrations of `migrations` that `db` has not recorded yet, in list order, and
    /// returns their names (empty when the database was up to date: re-running is a no-op).
    ///
    /// Throws `StoreError(.invalidArgument)` when the list is not strictly ascending by name,
    /// `.unknownMigration` when the database records a name the list lacks, and
    /// `.migrationFailed` (naming the migration, with SQLite's code, reason and failing
    /// statement) when one fails; that migration is rolled back and later ones are not run.
    /// Blocking: call it on the connection's thread (`DatabasePool.open` does).
    @discardableResult
    public static func apply(_ migrations: [Migrations.Migration], to db: Database, at time: Timestamp) throws -> [String] {
        for (previous, next) in zip(migrations, migrations.dropFirst()) where !(previous.name < next.name) {
            throw StoreError(kind: .invalidArgument,
                             reason: "migrations must be listed in strictly ascending name order; \(next.name) follows \(previous.name)")
        }
        try db.inTransaction(.immediate) {
            try db.execute("""
                CREATE TABLE IF NOT EXISTS \(tableName) (
                    name TEXT PRIMARY KEY NOT NULL,
                    applied_at INTEGER NOT NULL
                ) STRICT
                """)
        }
        let applied = Set(try appliedMigrations(in: db).map(\.name))
        let known = Set(migrations.map(\.name))
        if let unknown = applied.subtracting(known).sorted().last {
            throw StoreError(kind: .unknownMigration, reason: "the database records migration \(unknown)",
                             migration: unknown)
        }
        var done: [String] = []
        for migration in migrations where !applied.contains(migration.name) {
            do {
                try db.inTransaction(.immediate) {
                    try db.executeScript(migration.sql)
                    guard db.isInTransaction else {
                        throw StoreError(kind: .invalidArgument,
                                         reason: "the migration ended the transaction itself; remove BEGIN/COMMIT from it")
                    }
                    try db.execute("INSERT INTO \(tableName) (name, applied_at) VALUES (?, ?)",
                                   [.text(migration.name), .integer(time.milliseconds)])
                }
            } catch let error as StoreError {
                throw StoreError(kind: .migrationFailed, sqliteCode: error.sqliteCode, reason: error.reason,
                                 sql: error.sql, migration: migration.name)
            } catch {
                throw StoreError(kind: .migrationFailed, reason: "\(error)", migration: migration.name)
            }
            done.append(migration.name)
        }
        return done
    }

    /// The migrations recorded in `db`, in application order; empty when the table is missing.
    public static func appliedMigrations(in db: Database) throws -> [AppliedMigration] {
        let exists = try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                   [.text(tableName)], as: Int.self) ?? 0
        guard exists > 0 else { return [] }
        return try db.fetchAll("SELECT name, applied_at FROM \(tableName) ORDER BY applied_at, name").map {
            AppliedMigration(name: try $0.get(0), appliedAt: Timestamp(milliseconds: try $0.get(1)))
        }
    }
}
