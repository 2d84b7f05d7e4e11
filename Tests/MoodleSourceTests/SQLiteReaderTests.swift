import MeshCore
import MoodleSource
import Testing

@Suite("Moodle reader on the SQLite fixture")
struct SQLiteReaderTests {
    @Test func fullReadShowsWhatAGuestSees() async throws {
        try await ReaderScenarios.fullReadMatchesIndependentSQL(TestSQLite(path: Fixtures.sqliteCopy()))
    }

    @Test func siteStatsCountWhatRegistrationReports() async throws {
        try await ReaderScenarios.statsMatchIndependentSQL(TestSQLite(path: Fixtures.sqliteCopy()))
    }

    @Test func incrementalReadsAddUpToAFullRead() async throws {
        try await ReaderScenarios.incrementalReadsEqualFullReads(TestSQLite(path: Fixtures.sqliteCopy()))
    }

    @Test func missingFileSaysWhichPath() async throws {
        await #expect { try await DatabaseMoodleReader.open(dsn: "sqlite:///nonexistent/moodle.sqlite", settings: .init(wwwroot: "x")) }
            throws: { ($0 as? MoodleSourceError)?.kind == .databaseMissing && "\($0)".contains("/nonexistent/moodle.sqlite") }
    }

    @Test func wrongPrefixNamesMissingTablesAndTheRightPrefix() async throws {
        let path = try Fixtures.sqliteCopy()
        await #expect { try await DatabaseMoodleReader.open(dsn: "sqlite://\(path)?prefix=m_", settings: .init(wwwroot: "x")) }
            throws: { e in
                guard let e = e as? MoodleSourceError else { return false }
                return e.kind == .wrongPrefix && e.missingTables.contains("m_course") && e.message.contains("prefix=mdl_")
            }
    }

    @Test func databaseWithoutMoodleTablesIsNotMoodle() async throws {
        let path = try Fixtures.sqliteCopy()
        let db = try TestSQLite(path: path)
        for t in try db.rows("SELECT name FROM sqlite_master WHERE type = 'table'") { try db.exec("DROP TABLE \(t[0]!)") }
        await #expect { try await DatabaseMoodleReader.open(dsn: db.dsn, settings: .init(wwwroot: "x")) }
            throws: { ($0 as? MoodleSourceError)?.kind == .notMoodle }
    }

    @Test func moodleOlderThan41IsRefusedWithUpgradeAdvice() async throws {
        let db = try TestSQLite(path: Fixtures.sqliteCopy())
        try db.exec("UPDATE mdl_config SET value = '2021051700' WHERE name = 'version'")
        await #expect { try await DatabaseMoodleReader.open(dsn: db.dsn, settings: .init(wwwroot: "x")) }
            throws: { e in
                guard let e = e as? MoodleSourceError else { return false }
                return e.kind == .unsupportedVersion && e.message.contains("Upgrade Moodle")
            }
    }

    @Test func readerNeverWritesToSQLite() async throws {
        let db = try TestSQLite(path: Fixtures.sqliteCopy())
        let before = try db.rows("SELECT COUNT(*), MAX(timemodified) FROM mdl_course")
        let reader = try await DatabaseMoodleReader.open(dsn: db.dsn, settings: .init(wwwroot: "x"))
        _ = try await reader.readAll()
        _ = try await reader.siteStats()
        #expect(try db.rows("SELECT COUNT(*), MAX(timemodified) FROM mdl_course") == before)
    }
}
