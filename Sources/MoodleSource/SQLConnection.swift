import Dispatch

/// One value bound to a `$n` placeholder. SQL text never contains values, only placeholders.
enum SQLParam: Sendable {
    case int(Int64)
    case text(String)

    var text: String {
        switch self {
        case .int(let v): String(v)
        case .text(let s): s
        }
    }
}

/// One cell of a result: integers are kept as numbers (no string per cell), the rest as text.
enum SQLCell: Sendable {
    case null
    case int(Int64)
    case text(String)
}

/// A whole result, its cells in one flat array (one allocation per result, not per row).
/// Iterate it like an array of `SQLRow`s.
struct SQLRows: RandomAccessCollection, Sendable {
    let columnCount: Int
    let rowCount: Int
    let cells: [SQLCell]

    init(columnCount: Int, rowCount: Int, cells: [SQLCell]) {
        self.columnCount = columnCount
        self.rowCount = rowCount
        self.cells = cells
    }

    var startIndex: Int { 0 }
    var endIndex: Int { rowCount }
    subscript(row: Int) -> SQLRow { SQLRow(cells: cells, base: row * columnCount) }
}

/// One result row, read with `int`/`text` (NULL reads as 0 or ""). `text` of an integer cell
/// is its decimal form, as both databases print it.
struct SQLRow: Sendable {
    let cells: [SQLCell]
    let base: Int

    func int(_ i: Int) -> Int64 {
        switch cells[base + i] {
        case .null: 0
        case .int(let v): v
        case .text(let s): Int64(s) ?? Int64(Double(s) ?? 0)
        }
    }

    func text(_ i: Int) -> String {
        switch cells[base + i] {
        case .null: ""
        case .int(let v): String(v)
        case .text(let s): s
        }
    }
}

/// Parses a NUL-terminated decimal integer (optional `-`, digits only) without making a String;
/// nil when it is anything else or out of range, so the caller keeps the text.
func parseDecimalInt64(_ p: UnsafePointer<CChar>) -> Int64? {
    var i = 0
    let negative = p[0] == 0x2D
    if negative { i = 1 }
    guard p[i] != 0 else { return nil }
    var value: Int64 = 0
    while p[i] != 0 {
        let d = Int64(p[i]) - 0x30
        guard d >= 0 && d <= 9 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (v, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
        guard !o1 && !o2 else { return nil }
        value = v
        i += 1
    }
    return value
}

/// The SQL differences between the two backends the reader speaks.
enum SQLDialect: Sendable {
    case postgres, sqlite

    /// A predicate fragment testing `column` against an id list bound at `placeholder`.
    func inIDs(_ column: String, _ placeholder: String) -> String {
        switch self {
        case .postgres: "\(column) = ANY(\(placeholder)::bigint[])"
        case .sqlite: "\(column) IN (SELECT value FROM json_each(\(placeholder)))"
        }
    }

    /// The id list as one bound parameter (a PostgreSQL array literal or a JSON array).
    func ids(_ ids: some Sequence<Int64>) -> SQLParam {
        let body = ids.map(String.init).joined(separator: ",")
        return .text(self == .postgres ? "{\(body)}" : "[\(body)]")
    }

    /// Lists `(table, column)` of the given tables that exist in the current schema.
    func columnsQuery() -> String {
        switch self {
        case .postgres:
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ANY(current_schemas(false)) AND table_name = ANY($1::text[])"
        case .sqlite:
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name IN (SELECT value FROM json_each($1))"
        }
    }

    func textList(_ names: [String]) -> SQLParam {
        switch self {
        case .postgres: .text("{" + names.map { "\"\($0)\"" }.joined(separator: ",") + "}")
        case .sqlite: .text("[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        }
    }

    /// All table names visible to the session.
    var tablesQuery: String {
        switch self {
        case .postgres: "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY(current_schemas(false))"
        case .sqlite: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        }
    }

    var beginSnapshot: String {
        self == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"
    }
}

/// A blocking database session. Not thread-safe: used only on its `ConnectionWorker`'s queue.
protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs one statement with `$1…$n` placeholders; blocks until all rows are read.
    func query(_ sql: String, _ params: [SQLParam]) throws(MoodleSourceError) -> SQLRows
    /// Reconnects if the session was lost; throws when the server is still unreachable.
    func ensureOpen() throws(MoodleSourceError)
}

extension SQLConnection {
    /// Runs `body` inside one read-only snapshot transaction, so every query sees the same state.
    func inSnapshot<T>(_ body: () throws -> T) throws -> T {
        try ensureOpen()
        _ = try query(dialect.beginSnapshot, [])
        do {
            let value = try body()
            _ = try query("COMMIT", [])
            return value
        } catch {
            _ = try? query("ROLLBACK", [])
            throw error
        }
    }
}

/// Owns one `SQLConnection` and runs every job on it on a private serial dispatch queue, so the
/// blocking C calls never occupy Swift's cooperative thread pool. The connection is touched
/// only on that queue (hence `@unchecked Sendable`); it is freed when the worker is.
final class ConnectionWorker: @unchecked Sendable {
    private let queue: DispatchQueue
    private let connection: any SQLConnection

    private init(queue: DispatchQueue, connection: any SQLConnection) {
        self.queue = queue
        self.connection = connection
    }

    /// Opens a connection with `open` on a new serial queue.
    static func start(label: String, _ open: @escaping @Sendable () throws -> any SQLConnection) async throws -> ConnectionWorker {
        let queue = DispatchQueue(label: label)
        let box: UncheckedBox<any SQLConnection> = try await withCheckedThrowingContinuation { cont in
            queue.async {
                do { cont.resume(returning: UncheckedBox(try open())) } catch { cont.resume(throwing: error) }
            }
        }
        return ConnectionWorker(queue: queue, connection: box.value)
    }

    /// Runs `body` on the connection's queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { cont in
            queue.async {
                do { cont.resume(returning: try body(self.connection)) } catch { cont.resume(throwing: error) }
            }
        }
    }
}

/// Moves a non-Sendable value across one queue hop whose ordering makes it safe.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
