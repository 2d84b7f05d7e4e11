import CSQLite

/// A read-only SQLite session (`SQLITE_OPEN_READONLY`, `PRAGMA query_only`). Owns the `sqlite3*`
/// and closes it in `deinit`. Not thread-safe: used only on its worker's queue.
final class SQLiteConnection: SQLConnection {
    let dialect = SQLDialect.sqlite
    private let db: OpaquePointer

    init(path: String, busyTimeoutMilliseconds: Int32) throws(MoodleSourceError) {
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw MoodleSourceError(.databaseMissing,
                "Cannot open the SQLite file \(path) (\(String(cString: sqlite3_errstr(rc)))). Check the path in the DSN and that the node may read the file.")
        }
        db = handle
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        do {
            _ = try query("PRAGMA query_only = 1", [])
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
    }

    deinit { sqlite3_close_v2(db) }

    func ensureOpen() throws(MoodleSourceError) {}

    func query(_ sql: String, _ params: [SQLParam]) throws(MoodleSourceError) -> SQLRows {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, Self.sqliteSQL(sql), -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw failure(rc) }
        defer { sqlite3_finalize(stmt) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, p) in params.enumerated() {
            switch p {
            case .int(let v): sqlite3_bind_int64(stmt, Int32(i + 1), v)
            case .text(let s): sqlite3_bind_text(stmt, Int32(i + 1), s, -1, transient)
            }
        }
        var cells: [SQLCell] = []
        var rowCount = 0
        let n = sqlite3_column_count(stmt)
        while true {
            let step = sqlite3_step(stmt)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw failure(step) }
            for c in 0..<n {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_NULL: cells.append(.null)
                case SQLITE_INTEGER: cells.append(.int(sqlite3_column_int64(stmt, c)))
                default: cells.append(.text(sqlite3_column_text(stmt, c).map { String(cString: $0) } ?? ""))
                }
            }
            rowCount += 1
        }
        return SQLRows(columnCount: Int(n), rowCount: rowCount, cells: cells)
    }

    private func failure(_ rc: Int32) -> MoodleSourceError {
        let msg = String(cString: sqlite3_errmsg(db))
        if rc == SQLITE_NOTADB {
            return MoodleSourceError(.notMoodle, "The file is not an SQLite database (\(msg)). Point the DSN at a Moodle database.")
        }
        return MoodleSourceError(.queryFailed, "SQLite query failed: \(msg) (code \(rc)).")
    }

    /// Rewrites `$n` placeholders as SQLite's `?n`.
    static func sqliteSQL(_ sql: String) -> String {
        // The reader's SQL holds no other `$` (no literals with one), so a plain swap is exact.
        String(sql.map { $0 == "$" ? "?" : $0 })
    }
}
