import CSQLite
import MeshCore

/// Everything the node store can fail with: an SQLite result code with SQLite's own message and
/// the SQL that failed, a migration that could not be applied, or a value that did not decode.
///
/// Conforms to `ServiceError`, so it renders as `{"error":{"code":"…","message":"…"}}`. The SQL
/// is always parameterized, so `sql` never contains data from Moodle or from a client.
public struct StoreError: ServiceError, CustomStringConvertible {
    /// What went wrong, coarsely.
    public enum Kind: String, Sendable, Equatable {
        /// SQLite returned an error code (see `sqliteCode`).
        case sqlite
        /// A schema migration failed; `migration` names it. The node must not start.
        case migrationFailed
        /// The database was migrated by a newer build (it lists migrations this build lacks).
        case unknownMigration
        /// A column held NULL or another type than the caller asked for, or stored JSON was invalid.
        case decoding
        /// The database was used after `close()`.
        case closed
        /// An argument was out of range (e.g. a malformed day string); the call did nothing.
        case invalidArgument
    }

    /// What went wrong, coarsely.
    public var kind: Kind
    /// SQLite's extended result code (e.g. 2067 for `SQLITE_CONSTRAINT_UNIQUE`), nil when the
    /// error did not come from SQLite. `primaryCode` is its low byte.
    public var sqliteCode: Int32?
    /// SQLite's message (`sqlite3_errmsg`) or our own explanation.
    public var reason: String
    /// The statement that failed, when there was one.
    public var sql: String?
    /// The migration being applied, for `.migrationFailed` and `.unknownMigration`.
    public var migration: String?

    /// Creates an error; `reason` should say what was wrong.
    public init(kind: Kind, sqliteCode: Int32? = nil, reason: String, sql: String? = nil, migration: String? = nil) {
        self.kind = kind
        self.sqliteCode = sqliteCode
        self.reason = reason
        self.sql = sql
        self.migration = migration
    }

    /// The primary SQLite result code (`SQLITE_BUSY` = 5, `SQLITE_CONSTRAINT` = 19, …), if any.
    public var primaryCode: Int32? { sqliteCode.map { $0 & 0xff } }

    /// True when the database was locked by another connection for longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// True for a constraint violation (unique, check, foreign key, not null).
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// 503 while busy or when the disk is full (retry later), 409 for constraint violations,
    /// 400 for invalid arguments, 500 otherwise.
    public var status: Int {
        if isBusy || primaryCode == SQLITE_FULL { return 503 }
        if isConstraintViolation { return 409 }
        if kind == .invalidArgument { return 400 }
        return 500
    }

    /// `store_busy`, `store_full`, `store_constraint`, `store_migration_failed`,
    /// `store_unknown_migration`, `store_decoding`, `store_closed`, `store_invalid_argument` or
    /// `store_error`.
    public var code: String {
        switch kind {
        case .migrationFailed: return "store_migration_failed"
        case .unknownMigration: return "store_unknown_migration"
        case .decoding: return "store_decoding"
        case .closed: return "store_closed"
        case .invalidArgument: return "store_invalid_argument"
        case .sqlite:
            if isBusy { return "store_busy" }
            if primaryCode == SQLITE_FULL { return "store_full" }
            if isConstraintViolation { return "store_constraint" }
            return "store_error"
        }
    }

    /// What failed and what to do about it (without the SQL; `description` adds it).
    public var message: String {
        let codeText = sqliteCode.map { " (SQLite code \($0))" } ?? ""
        switch kind {
        case .migrationFailed:
            return "Schema migration \(migration ?? "?") failed and was rolled back\(codeText): \(reason). "
                + "The node store is unchanged; fix the migration or the database file and start again."
        case .unknownMigration:
            return "The node store was migrated by a newer CourseMesh (it has migration \(migration ?? "?"), "
                + "which this build does not know). Run the newer build or restore a backup."
        case .closed:
            return "The node store is closed: \(reason)."
        case .decoding, .invalidArgument:
            return reason
        case .sqlite:
            if isBusy { return "The node store is busy\(codeText): \(reason). Retry later." }
            if primaryCode == SQLITE_FULL {
                return "The disk holding the node store is full\(codeText): \(reason). Free space and retry."
            }
            return "Node store error\(codeText): \(reason)."
        }
    }

    /// `code: message` followed by the SQL that failed, for logs and the CLI.
    public var description: String {
        guard let sql else { return "\(code): \(message)" }
        return "\(code): \(message) SQL: \(sql)"
    }
}

extension StoreError {
    /// The error for a failed call on `handle` that returned `code`, with SQLite's extended code
    /// and message for that failure.
    static func sqlite(_ handle: OpaquePointer?, code: Int32, sql: String?) -> StoreError {
        var reason = String(cString: sqlite3_errstr(code))
        var extended = code
        if let handle {
            let last = sqlite3_extended_errcode(handle)
            // errmsg describes the connection's most recent failure; use it only if it is this one.
            if last & 0xff == code & 0xff {
                extended = last
                reason = String(cString: sqlite3_errmsg(handle))
            }
        }
        return StoreError(kind: .sqlite, sqliteCode: extended, reason: reason, sql: sql)
    }

    /// A column or stored value that did not have the expected type.
    static func decoding(_ reason: String, sql: String? = nil) -> StoreError {
        StoreError(kind: .decoding, reason: reason, sql: sql)
    }
}
