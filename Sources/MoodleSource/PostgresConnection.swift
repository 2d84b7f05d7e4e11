import CLibPQ
import Glibc

/// A read-only PostgreSQL session through libpq: every transaction defaults to read-only
/// (`default_transaction_read_only=on` in the startup options) and each statement is bounded by
/// `statement_timeout`. Owns the `PGconn*` and frees it in `deinit`. Not thread-safe: used only
/// on its worker's queue.
final class PostgresConnection: SQLConnection {
    let dialect = SQLDialect.postgres
    private let conn: OpaquePointer
    private let target: PostgresTarget

    init(target: PostgresTarget, connectTimeoutSeconds: Int, statementTimeoutMilliseconds: Int) throws(MoodleSourceError) {
        self.target = target
        var pairs: [(String, String)] = [
            ("dbname", target.database),
            ("connect_timeout", String(target.connectTimeoutSeconds ?? connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("application_name", "coursemesh-moodle-reader"),
            ("options", "-c default_transaction_read_only=on -c statement_timeout=\(statementTimeoutMilliseconds)"),
            ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"), ("keepalives_count", "3"),
        ]
        if !target.host.isEmpty { pairs.append(("host", target.host)) }
        if let port = target.port { pairs.append(("port", String(port))) }
        if !target.user.isEmpty { pairs.append(("user", target.user)) }
        if let pw = target.password { pairs.append(("password", pw)) }
        if let mode = target.sslMode { pairs.append(("sslmode", mode)) }
        let keys = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        var keyPtrs: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        var valuePtrs: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let c = PQconnectdbParams(&keyPtrs, &valuePtrs, 0) else {
            throw MoodleSourceError(.unreachable, "libpq could not allocate a connection to \(target.place).")
        }
        if PQstatus(c) != CONNECTION_OK {
            let text = String(cString: PQerrorMessage(c))
            PQfinish(c)
            throw Self.classify(text, target: target)
        }
        conn = c
    }

    deinit { PQfinish(conn) }

    /// Maps libpq's connection failure text to the error saying what to fix.
    static func classify(_ text: String, target: PostgresTarget) -> MoodleSourceError {
        let detail = text.split(separator: "\n").first.map(String.init) ?? text
        if text.contains("password authentication failed") || text.contains("no password supplied")
            || text.contains("authentication failed") {
            return MoodleSourceError(.authenticationFailed,
                "PostgreSQL at \(target.place) refused the credentials of user '\(target.user)'. Fix the user name or password in the DSN.")
        }
        if text.contains("does not exist") && text.contains("database") {
            return MoodleSourceError(.databaseMissing,
                "PostgreSQL at \(target.place) has no database '\(target.database)'. Fix the database name in the DSN (the path after the host).")
        }
        return MoodleSourceError(.unreachable,
            "Cannot reach PostgreSQL at \(target.place): \(detail.trimmingSpaces). Check that the server is running and that host and port in the DSN are right.")
    }

    func ensureOpen() throws(MoodleSourceError) {
        guard PQstatus(conn) != CONNECTION_OK else { return }
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw Self.classify(String(cString: PQerrorMessage(conn)), target: target)
        }
    }

    func query(_ sql: String, _ params: [SQLParam]) throws(MoodleSourceError) -> SQLRows {
        let texts = params.map { strdup($0.text) }
        defer { texts.forEach { free($0) } }
        var ptrs: [UnsafePointer<CChar>?] = texts.map { UnsafePointer($0) }
        guard let res = PQexecParams(conn, sql, Int32(params.count), nil, &ptrs, nil, nil, 0) else {
            throw Self.classify(String(cString: PQerrorMessage(conn)), target: target)
        }
        defer { PQclear(res) }
        let status = PQresultStatus(res)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            if PQstatus(conn) != CONNECTION_OK {
                throw Self.classify(String(cString: PQerrorMessage(conn)), target: target)
            }
            let state = PQresultErrorField(res, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "?"
            let msg = PQresultErrorField(res, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
            throw MoodleSourceError(.queryFailed, "PostgreSQL query failed (SQLSTATE \(state)): \(msg).")
        }
        let rowCount = Int(PQntuples(res)), columnCount = Int(PQnfields(res))
        // int2, int4, int8 and numeric (what SUM(bigint) returns) are read as numbers when they
        // are whole: no String per cell. Everything else stays text, exactly as the server sent it.
        let numeric = (0..<columnCount).map { [20, 21, 23, 1700].contains(PQftype(res, Int32($0))) }
        var cells: [SQLCell] = []
        cells.reserveCapacity(rowCount * columnCount)
        for r in 0..<Int32(rowCount) {
            for c in 0..<Int32(columnCount) {
                if PQgetisnull(res, r, c) == 1 { cells.append(.null); continue }
                let value = PQgetvalue(res, r, c)!
                if numeric[Int(c)], let v = parseDecimalInt64(value) {
                    cells.append(.int(v))
                } else {
                    cells.append(.text(String(cString: value)))
                }
            }
        }
        return SQLRows(columnCount: columnCount, rowCount: rowCount, cells: cells)
    }
}
