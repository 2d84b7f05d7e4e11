import Foundation
import MeshStore
import Migrations
import Testing

private let first = Migrations.Migration(name: "0001_a", sql: "CREATE TABLE a (id INTEGER PRIMARY KEY);")
private let second = Migrations.Migration(name: "0002_b", sql: """
    -- two statements in one migration
    CREATE TABLE b (id INTEGER PRIMARY KEY);
    INSERT INTO b (id) VALUES (1);
    """)
private let broken = Migrations.Migration(name: "0003_broken", sql: """
    CREATE TABLE c (id INTEGER PRIMARY KEY);
    INSERT INTO missing_table VALUES (1);
    """)

@Suite struct MigrationRunnerTests {
    @Test func migrationsApplyInOrderAndAreRecorded() async throws {
        try await withTemporaryDatabase(migrations: [first, second]) { pool, _ async throws in
            let applied = try await pool.appliedMigrations()
            #expect(applied.map(\.name) == ["0001_a", "0002_b"])
            #expect(try await pool.read { db in try db.scalar("SELECT count(*) FROM b", as: Int.self) } == 1)
        }
    }

    @Test func reopeningAppliesNothingTwice() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let location = DatabaseLocation.file(path: dir.file("m.sqlite"))
        let pool = try await DatabasePool.open(location, migrations: [first, second])
        let before = try await pool.appliedMigrations()
        await pool.close()
        let again = try await DatabasePool.open(location, migrations: [first, second])
        let ran = try await again.write { db in
            try MigrationRunner.apply([first, second], to: db, at: .init(milliseconds: 0))
        }
        #expect(ran.isEmpty)
        #expect(try await again.appliedMigrations() == before)
        // The INSERT in 0002 ran once.
        #expect(try await again.read { db in try db.scalar("SELECT count(*) FROM b", as: Int.self) } == 1)
        await again.close()
    }

    @Test func failedMigrationRollsBackAndRefusesToOpen() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let location = DatabaseLocation.file(path: dir.file("m.sqlite"))
        let error = await #expect(throws: StoreError.self) {
            _ = try await DatabasePool.open(location, migrations: [first, second, broken])
        }
        #expect(error?.kind == .migrationFailed)
        #expect(error?.code == "store_migration_failed")
        #expect(error?.migration == "0003_broken")
        #expect(error?.reason.contains("missing_table") == true)
        #expect(error?.sql == "INSERT INTO missing_table VALUES (1);")
        #expect(error?.message.contains("0003_broken") == true)

        // The earlier migrations stay; nothing of the broken one (not even table c) remains.
        let pool = try await DatabasePool.open(location, migrations: [first, second])
        #expect(try await pool.appliedMigrations().map(\.name) == ["0001_a", "0002_b"])
        let tables = try await pool.read { db in
            try db.fetchAll("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .map { try $0.get(0, as: String.self) }
        }
        #expect(tables == ["a", "b", "schema_migrations"])
        await pool.close()
    }

    @Test func databaseFromANewerBuildIsRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let location = DatabaseLocation.file(path: dir.file("m.sqlite"))
        await (try DatabasePool.open(location, migrations: [first, second])).close()
        let error = await #expect(throws: StoreError.self) {
            _ = try await DatabasePool.open(location, migrations: [first])
        }
        #expect(error?.kind == .unknownMigration)
        #expect(error?.migration == "0002_b")
    }

    @Test func outOfOrderListIsRejected() async throws {
        let error = await #expect(throws: StoreError.self) {
            _ = try await DatabasePool.open(.memory, migrations: [second, first])
        }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func embeddedMigrationsListExactlyTheSQLFilesInOrder() throws {
        let sqlDirectory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Migrations/sql")
        let files = try FileManager.default.contentsOfDirectory(atPath: sqlDirectory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(Migrations.all.map { $0.name + ".sql" } == files)
        for (migration, file) in zip(Migrations.all, files) {
            let text = try String(contentsOf: sqlDirectory.appendingPathComponent(file), encoding: .utf8)
            #expect(migration.sql == text, "embedded \(migration.name) differs from \(file)")
        }
    }

    @Test func embeddedMigrationsApplyToAnEmptyDatabase() async throws {
        try await withTemporaryDatabase(migrations: Migrations.all) { pool, _ async throws in
            #expect(try await pool.appliedMigrations().map(\.name) == Migrations.all.map(\.name))
            #expect(try await pool.integrityCheck() == ["ok"])
        }
    }
}
