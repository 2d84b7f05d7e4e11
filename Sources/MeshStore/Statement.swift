import CSQLite

/// SQLite copies bound text and blobs before the bind call returns (`SQLITE_TRANSIENT`), so the
/// Swift buffers may go away immediately.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One prepared SQL statement: bind typed arguments, step through rows, reset, run again.
///
/// Owned by the `Database` it was prepared on (it keeps that connection alive) and finalized in
/// `deinit`. Not `Sendable`: use it only inside the `read`/`write` closure that prepared it, on
/// the connection's own thread. Every call may block on disk I/O.
public final class Statement {
    /// The SQL text as prepared (one statement).
    public let sql: String
    /// The connection this statement belongs to; kept alive until the statement is finalized.
    let database: Database
    private let handle: OpaquePointer
    /// Column names, read once at prepare time.
    public let columnNames: [String]

    init(database: Database, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
        let count = Int(sqlite3_column_count(handle))
        columnNames = (0..<count).map { String(cString: sqlite3_column_name(handle, Int32($0))) }
    }

    deinit { sqlite3_finalize(handle) }

    /// The number of `?` parameters the statement takes.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// True when the statement does not write (SELECT, most PRAGMAs).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Resets the statement and binds `arguments` to its parameters, in order. Throws
    /// `StoreError(.invalidArgument)` when the count differs from `parameterCount`.
    public func bind(_ arguments: [SQLValue]) throws {
        reset()
        guard arguments.count == parameterCount else {
            throw StoreError(kind: .invalidArgument,
                             reason: "the statement takes \(parameterCount) arguments, \(arguments.count) were given",
                             sql: sql)
        }
        for (i, value) in arguments.enumerated() { try bind(value, at: i + 1) }
    }

    /// Binds one value to the parameter at `index` (1-based, as in SQLite).
    public func bind(_ value: SQLValue, at index: Int) throws {
        let i = Int32(index)
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, i)
        case .integer(let v): code = sqlite3_bind_int64(handle, i, v)
        case .real(let v): code = sqlite3_bind_double(handle, i, v)
        case .text(let v): code = sqlite3_bind_text(handle, i, v, -1, transient)
        case .blob(let v):
            // An empty array's base address may be nil, which SQLite would read as NULL.
            code = v.isEmpty ? sqlite3_bind_zeroblob(handle, i, 0)
                : v.withUnsafeBytes { sqlite3_bind_blob(handle, i, $0.baseAddress, Int32($0.count), transient) }
        }
        guard code == SQLITE_OK else { throw StoreError.sqlite(database.handle, code: code, sql: sql) }
    }

    /// Binds one value to the named parameter (`:name`, `@name` or `$name`, prefix included).
    public func bind(_ value: SQLValue, named name: String) throws {
        let index = sqlite3_bind_parameter_index(handle, name)
        guard index > 0 else {
            throw StoreError(kind: .invalidArgument, reason: "the statement has no parameter \(name)", sql: sql)
        }
        try bind(value, at: Int(index))
    }

    /// Resets the statement to run again from the start; bindings stay until rebound.
    public func reset() {
        // The result repeats the last step's error, which that step already threw.
        sqlite3_reset(handle)
    }

    /// Advances to the next row: true when a row is ready (read it with `row()`), false when done.
    /// Throws a `StoreError` with SQLite's code and this SQL on failure (and resets the statement).
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = StoreError.sqlite(database.handle, code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// The current row, copied; valid only right after `step()` returned true.
    public func row() -> Row {
        Row(columnNames: columnNames, values: (0..<columnNames.count).map { value(at: Int32($0)) }, sql: sql)
    }

    private func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// Binds `arguments`, runs the statement to completion discarding rows, and returns the
    /// number of rows it changed.
    @discardableResult
    public func execute(_ arguments: [SQLValue] = []) throws -> Int {
        try bind(arguments)
        while try step() {}
        return database.changes
    }

    /// Binds `arguments` and returns every row.
    public func fetchAll(_ arguments: [SQLValue] = []) throws -> [Row] {
        try bind(arguments)
        var rows: [Row] = []
        while try step() { rows.append(row()) }
        return rows
    }

    /// Binds `arguments` and returns the first row, or nil when there is none.
    public func fetchOne(_ arguments: [SQLValue] = []) throws -> Row? {
        try bind(arguments)
        defer { reset() }
        return try step() ? row() : nil
    }

    /// Binds `arguments` and calls `body` for each row without collecting them.
    public func forEach(_ arguments: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        try bind(arguments)
        defer { reset() }
        while try step() { try body(row()) }
    }
}

/// Statements belong to one connection on one thread; sharing one across tasks would race.
@available(*, unavailable)
extension Statement: Sendable {}
