import MeshCore

/// What one sync run did: what `coursemesh index` prints and what the node shows on `/node`.
public struct SyncRunSummary: Codable, Sendable, Equatable {
    /// True for a full re-read, false for an incremental run.
    public var full: Bool
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public var removed: Int
    /// Wall time of the run in milliseconds.
    public var durationMilliseconds: Int64

    public init(full: Bool, added: Int, updated: Int, unchanged: Int, removed: Int, durationMilliseconds: Int64) {
        self.full = full
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.removed = removed
        self.durationMilliseconds = durationMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case full, added, updated, unchanged, removed
        case durationMilliseconds = "duration_ms"
    }
}

/// Where incremental sync stands for one Moodle source.
public struct SyncState: Sendable, Equatable {
    /// The source DSN without its password (`SyncStateStore.redactedSource`).
    public var source: String
    /// Moodle Unix seconds: everything modified up to here has been read. 0 before the first run.
    public var watermark: Int64
    /// When the last full re-read finished, if ever.
    public var lastFullSyncAt: Timestamp?
    /// When the last run (full or incremental) finished, if ever.
    public var lastRunAt: Timestamp?
    /// What the last run did.
    public var lastRunSummary: SyncRunSummary?
    /// The reader's own resume point (opaque JSON, e.g. per-course signatures); nil before the first run.
    public var readerState: String?

    public init(source: String, watermark: Int64 = 0, lastFullSyncAt: Timestamp? = nil, lastRunAt: Timestamp? = nil,
                lastRunSummary: SyncRunSummary? = nil, readerState: String? = nil) {
        self.source = source
        self.watermark = watermark
        self.lastFullSyncAt = lastFullSyncAt
        self.lastRunAt = lastRunAt
        self.lastRunSummary = lastRunSummary
        self.readerState = readerState
    }
}

/// Sync state per Moodle source, in table `sync_state`. Thread-safe; throws `StoreError`.
/// Save the state in the same `write` as the course changes (`save(_:in:)` with
/// `CourseStore.upsert(_:at:in:)`), so a crash never leaves a watermark ahead of the courses.
public struct SyncStateStore: Sendable {
    /// The database holding the `sync_state` table (migration 0002).
    public let database: DatabasePool

    public init(_ database: DatabasePool) { self.database = database }

    /// The state for `source` (a redacted DSN), or nil before its first run.
    public func get(source: String) async throws -> SyncState? {
        try await database.read { db in try Self.get(source: source, in: db) }
    }

    /// Stores `state`, replacing the previous state of its source. Durable when it returns.
    public func save(_ state: SyncState) async throws {
        try await database.write { db in try Self.save(state, in: db) }
    }

    /// Every source's state, ordered by source.
    public func all() async throws -> [SyncState] {
        try await database.read { db in
            try db.fetchAll("SELECT \(Self.columns) FROM sync_state ORDER BY source").map(Self.state(from:))
        }
    }

    /// `get(source:)` inside the caller's transaction.
    public static func get(source: String, in db: Database) throws -> SyncState? {
        try db.fetchOne("SELECT \(columns) FROM sync_state WHERE source = ?", [.text(source)]).map(state(from:))
    }

    /// `save(_:)` inside the caller's transaction.
    public static func save(_ state: SyncState, in db: Database) throws {
        let summary = try state.lastRunSummary.map { SQLValue.text(try JSONCoding.encodeString($0)) } ?? .null
        try db.execute("""
            INSERT INTO sync_state (source, watermark, last_full_sync_at, last_run_at, last_run_summary, reader_state)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (source) DO UPDATE SET watermark = ?2, last_full_sync_at = ?3, last_run_at = ?4,
                last_run_summary = ?5, reader_state = ?6
            """, [.text(state.source), .integer(state.watermark), SQLValue(state.lastFullSyncAt?.milliseconds),
                  SQLValue(state.lastRunAt?.milliseconds), summary, SQLValue(state.readerState)])
    }

    /// `dsn` with any password removed, from the user-info part (`user:secret@host`) and from
    /// `password=` query or keyword parameters: the key under which a source's state is stored,
    /// safe to log.
    public static func redactedSource(_ dsn: String) -> String {
        var text = dsn
        if let scheme = text.range(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            let authority = text[scheme.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                text.removeSubrange(colon..<at)
            }
        }
        let isPassword: (Substring) -> Bool = { $0.lowercased().hasPrefix("password=") }
        if let question = text.firstIndex(of: "?") {
            // URI form: drop `password=…` from the query.
            let query = text[text.index(after: question)...].split(separator: "&").filter { !isPassword($0) }
            text = String(text[..<question]) + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        } else if !text.contains("://") {
            // libpq keyword form: `host=… password=…`.
            text = text.split(separator: " ").filter { !isPassword($0) }.joined(separator: " ")
        }
        return text
    }

    static let columns = "source, watermark, last_full_sync_at, last_run_at, last_run_summary, reader_state"

    static func state(from row: Row) throws -> SyncState {
        let summary: SyncRunSummary? = row[4].isNull ? nil : try decodeJSON(SyncRunSummary.self, row, 4)
        return SyncState(source: try row.get(0), watermark: try row.get(1),
                         lastFullSyncAt: (try row.get(2, as: Int64?.self)).map(Timestamp.init(milliseconds:)),
                         lastRunAt: (try row.get(3, as: Int64?.self)).map(Timestamp.init(milliseconds:)),
                         lastRunSummary: summary, readerState: try row.get(5, as: String?.self))
    }
}
