import Foundation
import MeshCore
@testable import MoodleSource
import Testing

/// Runs against the throwaway cluster of Tests/Support/with-postgres.sh. Without
/// COURSEMESH_TEST_PG_DSN the suite is disabled, unless CI=true, where it must run (and fails).
@Suite("Moodle reader on PostgreSQL", .serialized,
       .enabled(if: TestPostgres.enabled, "COURSEMESH_TEST_PG_DSN is unset: run `Tests/Support/with-postgres.sh swift test --filter MoodleSourceTests`"))
struct PostgresReaderTests {
    @Test func fullReadShowsWhatAGuestSees() async throws {
        try await ReaderScenarios.fullReadMatchesIndependentSQL(TestPostgres.scratchCopy())
    }

    @Test func siteStatsCountWhatRegistrationReports() async throws {
        try await ReaderScenarios.statsMatchIndependentSQL(TestPostgres.scratchCopy())
    }

    @Test func incrementalReadsAddUpToAFullRead() async throws {
        try await ReaderScenarios.incrementalReadsEqualFullReads(TestPostgres.scratchCopy())
    }

    @Test func sessionRefusesWrites() async throws {
        let db = try TestPostgres.scratchCopy()
        guard case .postgres(let target) = try MoodleDSN.parse(db.dsn) else { Issue.record("not a postgres DSN"); return }
        let conn = try PostgresConnection(target: target, connectTimeoutSeconds: 5, statementTimeoutMilliseconds: 5000)
        #expect(try conn.query("SHOW default_transaction_read_only", []).first?.text(0) == "on")
        #expect(throws: MoodleSourceError.self) { try conn.query("UPDATE mdl_course SET fullname = 'x' WHERE id = $1", [.int(2)]) }
    }

    @Test func passwordAndUnixSocketDSNsConnect() async throws {
        let env = ProcessInfo.processInfo.environment
        let pw = try #require(env["COURSEMESH_TEST_PG_PASSWORD_DSN"])
        let reader = try await DatabaseMoodleReader.open(dsn: pw, settings: .init(wwwroot: "https://m.example"))
        #expect(try await reader.siteStats().courses == 26)
        let dir = try #require(env["COURSEMESH_TEST_PG_SOCKET_DIR"])
        let port = try #require(pw.split(separator: ":").last?.split(separator: "/").first)
        let encoded = dir.replacingOccurrences(of: "/", with: "%2F")
        let viaSocket = try await DatabaseMoodleReader.open(dsn: "postgres://postgres@\(encoded):\(port)/moodle?prefix=mdl_",
                                                            settings: .init(wwwroot: "https://m.example"))
        #expect(try await viaSocket.readAll().documents.count == 24)
    }

    @Test func wrongPasswordSaysFixTheCredentials() async throws {
        let pw = try #require(ProcessInfo.processInfo.environment["COURSEMESH_TEST_PG_PASSWORD_DSN"])
        let dsn = pw.replacingOccurrences(of: ":secret@", with: ":wrong@")
        await #expect { try await DatabaseMoodleReader.open(dsn: dsn, settings: .init(wwwroot: "x")) }
            throws: { e in
                guard let e = e as? MoodleSourceError else { return false }
                return e.kind == .authenticationFailed && !e.message.contains("wrong") && e.message.contains("password")
            }
    }

    @Test func missingDatabaseSaysFixTheName() async throws {
        let dsn = try #require(TestPostgres.environmentDSN).replacingOccurrences(of: "/moodle?", with: "/nosuchdb?")
        await #expect { try await DatabaseMoodleReader.open(dsn: dsn, settings: .init(wwwroot: "x")) }
            throws: { ($0 as? MoodleSourceError)?.kind == .databaseMissing && "\($0)".contains("nosuchdb") }
    }

    @Test func unreachableServerSaysCheckHostAndPort() async throws {
        await #expect { try await DatabaseMoodleReader.open(dsn: "postgres://u:p@127.0.0.1:1/moodle", settings: .init(wwwroot: "x")) }
            throws: { e in
                guard let e = e as? MoodleSourceError else { return false }
                return e.kind == .unreachable && e.message.contains("127.0.0.1:1") && e.status == 503
            }
    }

    @Test func wrongPrefixNamesTheMissingTables() async throws {
        let dsn = try TestPostgres.scratchCopy().dsn.replacingOccurrences(of: "prefix=mdl_", with: "prefix=moodle_")
        await #expect { try await DatabaseMoodleReader.open(dsn: dsn, settings: .init(wwwroot: "x")) }
            throws: { e in
                guard let e = e as? MoodleSourceError else { return false }
                return e.kind == .wrongPrefix && e.missingTables.contains("moodle_course_categories") && e.message.contains("prefix=mdl_")
            }
    }

    @Test func emptyDatabaseIsNotMoodle() async throws {
        let base = try #require(TestPostgres.environmentDSN)
        let admin = try TestPostgres(dsn: base.replacingOccurrences(of: "/moodle?", with: "/postgres?"))
        let name = "empty_\(UInt32.random(in: 0...UInt32.max))"
        try admin.exec("CREATE DATABASE \(name)")
        await #expect { try await DatabaseMoodleReader.open(dsn: base.replacingOccurrences(of: "/moodle?", with: "/\(name)?"), settings: .init(wwwroot: "x")) }
            throws: { ($0 as? MoodleSourceError)?.kind == .notMoodle }
    }

    @Test func oldMoodleIsRefused() async throws {
        let db = try TestPostgres.scratchCopy()
        try db.exec("UPDATE mdl_config SET value = '2020061500' WHERE name = 'version'")
        await #expect { try await DatabaseMoodleReader.open(dsn: db.dsn, settings: .init(wwwroot: "x")) }
            throws: { ($0 as? MoodleSourceError)?.kind == .unsupportedVersion }
    }
}
