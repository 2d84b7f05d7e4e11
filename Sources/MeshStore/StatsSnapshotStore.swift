import MeshCore


/// Whose statistics a snapshot holds.
public struct StatsScope: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// This node's own Moodle site.
    public static let site = StatsScope(rawValue: "site")
    /// The worldwide aggregate from the rollup.
    public static let global = StatsScope(rawValue: "global")

    public var description: String { rawValue }
}

/// One day's statistics as JSON.
public struct StoredStatsSnapshot: Sendable, Equatable {
    public var scope: StatsScope
    public var day: CalendarDay
    /// The snapshot document (JSON text, validated by SQLite on write).
    public var json: String
    /// When it was last written.
    public var recordedAt: Timestamp

    /// Decodes `json` as a `T`; throws `StoreError(.decoding)` naming the bad field.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try JSONCoding.decode(T.self, from: Array(json.utf8)) } catch {
            throw StoreError.decoding("stats snapshot \(scope) \(day) is not a valid \(T.self): \(error.reason)")
        }
    }
}

/// Daily statistics snapshots for history charts, in table `stats_snapshots`, one per scope and
/// day (a later put for the same day replaces it). Thread-safe; durable on return; throws `StoreError`.
public struct StatsSnapshotStore: Sendable {
    /// The database holding the `stats_snapshots` table (migration 0002).
    public let database: DatabasePool

    public init(_ database: DatabasePool) { self.database = database }

    /// Stores `json` as the snapshot of `scope` for `day`. Invalid JSON fails with `store_constraint`.
    public func put(_ json: String, scope: StatsScope, day: CalendarDay, at time: Timestamp) async throws {
        try await database.write { db in
            try db.execute("""
                INSERT INTO stats_snapshots (scope, day, json, recorded_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (scope, day) DO UPDATE SET json = ?3, recorded_at = ?4
                """, [.text(scope.rawValue), .text(day.rawValue), .text(json), .integer(time.milliseconds)])
        }
    }

    /// Encodes `value` as JSON and stores it like `put(_:scope:day:at:)`.
    public func put<T: Encodable>(_ value: T, scope: StatsScope, day: CalendarDay, at time: Timestamp) async throws {
        try await put(try JSONCoding.encodeString(value), scope: scope, day: day, at: time)
    }

    /// The snapshot of `scope` for `day`, or nil.
    public func get(scope: StatsScope, day: CalendarDay) async throws -> StoredStatsSnapshot? {
        try await database.read { db in
            try db.fetchOne("SELECT scope, day, json, recorded_at FROM stats_snapshots WHERE scope = ? AND day = ?",
                            [.text(scope.rawValue), .text(day.rawValue)]).map(Self.snapshot(from:))
        }
    }

    /// Snapshots of `scope` from `first` through `last` inclusive, oldest first.
    public func range(scope: StatsScope, from first: CalendarDay, through last: CalendarDay) async throws -> [StoredStatsSnapshot] {
        try await database.read { db in
            try db.fetchAll("""
                SELECT scope, day, json, recorded_at FROM stats_snapshots
                WHERE scope = ? AND day >= ? AND day <= ? ORDER BY day
                """, [.text(scope.rawValue), .text(first.rawValue), .text(last.rawValue)]).map(Self.snapshot(from:))
        }
    }

    static func snapshot(from row: Row) throws -> StoredStatsSnapshot {
        let dayText = try row.get(1, as: String.self)
        guard let day = CalendarDay(rawValue: dayText) else {
            throw StoreError.decoding("stats_snapshots holds a malformed day \(dayText)", sql: row.sql)
        }
        return StoredStatsSnapshot(scope: StatsScope(rawValue: try row.get(0)), day: day, json: try row.get(2),
                             recordedAt: Timestamp(milliseconds: try row.get(3)))
    }
}
