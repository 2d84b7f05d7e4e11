import CSQLite

/// One SQLite connection: the only owner of its `sqlite3` handle, which it closes in `deinit`.
///
/// You get one as the `db` argument of `DatabasePool.read` / `write` closures; it cannot be
/// created outside this module, so every connection lives on its own thread (see
/// `DatabasePool`). Not `Sendable`: never let it or its statements escape the closure. Every
/// method blocks on disk I/O, which is why it only runs on that dedicated thread. All methods
/// throw `StoreError` carrying SQLite's code, message and the SQL.
public final class Database {
    /// The raw handle; never exposed outside the module.
    let handle: OpaquePointer
    /// Where the database lives.
    public let location: DatabaseLocation
    /// True for the pool's read-only reader connections.
    public let isReadOnly: Bool
    private var savepointDepth = 0

    /// Opens (creating if needed, unless `readOnly`) and configures a connection: busy timeout,
    /// extended result codes, and for the writer WAL mode, `synchronous` and foreign keys.
    init(location: DatabaseLocation, configuration: DatabaseConfiguration, readOnly: Bool) throws {
        var raw: OpaquePointer?
        let access = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        // NOMUTEX: the connection is confined to one thread, SQLite need not lock it.
        let code = sqlite3_open_v2(location.description, &raw, access | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened = raw else {
            let error = StoreError.sqlite(raw, code: code, sql: nil)
            sqlite3_close_v2(raw)
            throw StoreError(kind: .sqlite, sqliteCode: error.sqliteCode,
                             reason: "cannot open \(location): \(error.reason)")
        }
        handle = opened
        self.location = location
        isReadOnly = readOnly
        sqlite3_extended_result_codes(handle, 1)
        let millis = configuration.busyTimeout.components.seconds * 1000
            + configuration.busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: millis))

        try execute("PRAGMA cache_size = -\(max(0, configuration.cacheKibibytes))")
        if readOnly {
            try execute("PRAGMA query_only = ON")
            return
        }
        if case .file = location {
            // Persistent in the file; readers opened later inherit it.
            let mode = try fetchOne("PRAGMA journal_mode = WAL")?.get(0, as: String.self)
            guard mode?.lowercased() == "wal" else {
                throw StoreError(kind: .sqlite, reason: "\(location) refused WAL mode (journal mode is \(mode ?? "?")); "
                                 + "put the data directory on a local file system", sql: "PRAGMA journal_mode = WAL")
            }
        }
        try execute("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
        try execute("PRAGMA foreign_keys = \(configuration.foreignKeys ? "ON" : "OFF")")
    }

    deinit {
        // v2 defers the close until any still-unfinalized statement is finalized.
        sqlite3_close_v2(handle)
    }

    // MARK: Statements

    /// Prepares one statement. Throws with the SQLite message and `sql` when it does not compile.
    public func prepare(_ sql: String) throws -> Statement {
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &raw, nil)
        guard code == SQLITE_OK else { throw StoreError.sqlite(handle, code: code, sql: sql) }
        guard let raw else {
            throw StoreError(kind: .invalidArgument, reason: "the SQL holds no statement", sql: sql)
        }
        return Statement(database: self, handle: raw, sql: sql)
    }

    /// Runs one statement with `arguments`, discarding rows; returns the rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int {
        try prepare(sql).execute(arguments)
    }

    /// Runs one query and returns all rows.
    public func fetchAll(_ sql: String, _ arguments: [SQLValue] = []) throws -> [Row] {
        try prepare(sql).fetchAll(arguments)
    }

    /// Runs one query and returns its first row, or nil.
    public func fetchOne(_ sql: String, _ arguments: [SQLValue] = []) throws -> Row? {
        try prepare(sql).fetchOne(arguments)
    }

    /// Runs one query and decodes the first column of its first row; nil when there is no row.
    public func scalar<T: SQLValueConvertible>(_ sql: String, _ arguments: [SQLValue] = [], as type: T.Type = T.self) throws -> T? {
        try fetchOne(sql, arguments)?.get(0, as: T.self)
    }

    /// Runs a script of several `;`-separated statements without arguments (migrations).
    /// Stops at the first failure, whose error carries the failing statement's SQL.
    public func executeScript(_ script: String) throws {
        let bytes = Array(script.utf8) + [0]
        try bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let end = base + (buffer.count - 1)
            var cursor = base
            while cursor < end {
                var raw: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(handle, cursor, Int32(end - cursor), &raw, &tail)
                let stop = (code == SQLITE_OK ? tail : nil) ?? end
                let text = String(decoding: UnsafeRawBufferPointer(start: cursor, count: stop - cursor), as: UTF8.self)
                    .trimmingWhitespace()
                guard code == SQLITE_OK else { throw StoreError.sqlite(handle, code: code, sql: text) }
                cursor = stop
                guard let raw else { continue } // only whitespace or comments were left
                let statement = Statement(database: self, handle: raw, sql: text)
                while try statement.step() {}
            }
        }
    }

    // MARK: State

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Transactions

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it (or the COMMIT)
    /// throws, then rethrows. Nested calls become savepoints, so an inner failure undoes only
    /// the inner work (unless the error propagates, which undoes everything).
    @discardableResult
    public func inTransaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction { return try inSavepoint(body) }
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // A failed COMMIT may already have rolled back; ROLLBACK then would fail again.
            if isInTransaction { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    private func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "meshstore_\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE \(name)")
            return result
        } catch {
            if isInTransaction {
                _ = try? execute("ROLLBACK TO \(name)")
                _ = try? execute("RELEASE \(name)")
            }
            throw error
        }
    }

    // MARK: Maintenance

    /// `PRAGMA integrity_check`: `["ok"]` for a sound file, otherwise SQLite's list of problems.
    public func integrityCheck() throws -> [String] {
        try fetchAll("PRAGMA integrity_check").map { try $0.get(0, as: String.self) }
    }
}

/// A connection belongs to one thread; sharing it across tasks would race.
@available(*, unavailable)
extension Database: Sendable {}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
