import CLibPQ
import CSQLite
import Foundation
import Testing

/// Test-side database access, written independently of the reader: the expected values in the
/// tests come from SQL run through these helpers, and the mutations between incremental runs too.
protocol TestDatabase: AnyObject {
    /// Runs `sql` (no parameters: test data only) and returns rows of text cells.
    func rows(_ sql: String) throws -> [[String?]]
    var dsn: String { get }
}

extension TestDatabase {
    func exec(_ sql: String) throws { _ = try rows(sql) }
    func int(_ sql: String) throws -> Int64 { Int64(try rows(sql).first?.first??.description ?? "0") ?? 0 }
}

struct TestDBError: Error, CustomStringConvertible { var description: String }

enum Fixtures {
    /// `Tests/Fixtures/moodle`, found from this source file.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/moodle")

    /// A fresh, writable copy of fixture.sqlite in a new temporary directory.
    static func sqliteCopy() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moodle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("moodle.sqlite").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gunzip -c \"$0\" > \"$1\"", directory.appendingPathComponent("fixture.sqlite.gz").path, out]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestDBError(description: "gunzip failed") }
        return out
    }
}

final class TestSQLite: TestDatabase {
    let path: String
    private var db: OpaquePointer?

    init(path: String) throws {
        self.path = path
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw TestDBError(description: "cannot open \(path)") }
    }

    deinit { sqlite3_close(db) }

    var dsn: String { "sqlite://\(path)?prefix=mdl_" }

    func rows(_ sql: String) throws -> [[String?]] {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else {
            throw TestDBError(description: String(cString: sqlite3_errmsg(db)) + " in " + sql)
        }
        defer { sqlite3_finalize(stmt) }
        var out: [[String?]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { throw TestDBError(description: String(cString: sqlite3_errmsg(db))) }
            out.append((0..<sqlite3_column_count(stmt)).map { c in
                sqlite3_column_type(stmt, c) == SQLITE_NULL ? nil : String(cString: sqlite3_column_text(stmt, c))
            })
        }
    }
}

final class TestPostgres: TestDatabase {
    let dsn: String
    private let conn: OpaquePointer

    /// Connects with libpq's own URI parser (the DSN minus our `prefix` parameter).
    init(dsn: String) throws {
        self.dsn = dsn
        let uri = dsn.replacingOccurrences(of: "prefix=mdl_&", with: "").replacingOccurrences(of: "?prefix=mdl_", with: "")
        guard let c = PQconnectdb(uri), PQstatus(c) == CONNECTION_OK else { throw TestDBError(description: "cannot connect to \(uri)") }
        conn = c
    }

    deinit { PQfinish(conn) }

    func rows(_ sql: String) throws -> [[String?]] {
        guard let res = PQexec(conn, sql) else { throw TestDBError(description: "no result") }
        defer { PQclear(res) }
        let st = PQresultStatus(res)
        guard st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK else {
            throw TestDBError(description: String(cString: PQresultErrorMessage(res)) + " in " + sql)
        }
        return (0..<PQntuples(res)).map { r in
            (0..<PQnfields(res)).map { c in PQgetisnull(res, r, c) == 1 ? nil : String(cString: PQgetvalue(res, r, c)) }
        }
    }

    /// The DSN of the test cluster, or nil (tests disabled) — except on CI, where a missing
    /// database is a failure, not a skip.
    static var environmentDSN: String? { ProcessInfo.processInfo.environment["COURSEMESH_TEST_PG_DSN"] }
    static var enabled: Bool {
        environmentDSN != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// A new database on the test cluster, created as a copy of `moodle` (CREATE DATABASE … TEMPLATE).
    static func scratchCopy() throws -> TestPostgres {
        guard let base = environmentDSN else {
            throw TestDBError(description: "COURSEMESH_TEST_PG_DSN is not set; run the tests through Tests/Support/with-postgres.sh")
        }
        let admin = try TestPostgres(dsn: base.replacingOccurrences(of: "/moodle?", with: "/postgres?"))
        let name = "moodle_t\(UInt32.random(in: 0...UInt32.max))"
        try admin.exec("CREATE DATABASE \(name) TEMPLATE moodle")
        return try TestPostgres(dsn: base.replacingOccurrences(of: "/moodle?", with: "/\(name)?"))
    }
}
