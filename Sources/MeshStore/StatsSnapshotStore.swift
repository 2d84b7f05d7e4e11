import MeshCore

/// A UTC calendar day, `YYYY-MM-DD`; orders chronologically.
public struct StatsDay: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only `YYYY-MM-DD` with a valid month (01-12) and day (01-31).
    public init?(rawValue: String) {
        let parts = rawValue.split(separator: "-", omittingEmptySubsequences: false)
        guard rawValue.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[1]), (1...12).contains(month), let day = Int(parts[2]), (1...31).contains(day)
        else { return nil }
        self.rawValue = rawValue
    }

    /// The UTC day containing `timestamp`.
    public init(_ timestamp: Timestamp) {
        // Days since 1970-01-01 to a civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
        var days = timestamp.milliseconds / 86_400_000
        if timestamp.milliseconds < 0 && timestamp.milliseconds % 86_400_000 != 0 { days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        rawValue = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: StatsDay, b: StatsDay) -> Bool { a.rawValue < b.rawValue }
    public var description: String { rawValue }
}

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
public struct StatsSnapshot: Sendable, Equatable {
    public var scope: StatsScope
    public var day: StatsDay
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
    public func put(_ json: String, scope: StatsScope, day: StatsDay, at time: Timestamp) async throws {
        try await database.write { db in
            try db.execute("""
                INSERT INTO stats_snapshots (scope, day, json, recorded_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (scope, day) DO UPDATE SET json = ?3, recorded_at = ?4
                """, [.text(scope.rawValue), .text(day.rawValue), .text(json), .integer(time.milliseconds)])
        }
    }

    /// Encodes `value` as JSON and stores it like `put(_:scope:day:at:)`.
    public func put<T: Encodable>(_ value: T, scope: StatsScope, day: StatsDay, at time: Timestamp) async throws {
        try await put(try JSONCoding.encodeString(value), scope: scope, day: day, at: time)
    }

    /// The snapshot of `scope` for `day`, or nil.
    public func get(scope: StatsScope, day: StatsDay) async throws -> StatsSnapshot? {
        try await database.read { db in
            try db.fetchOne("SELECT scope, day, json, recorded_at FROM stats_snapshots WHERE scope = ? AND day = ?",
                            [.text(scope.rawValue), .text(day.rawValue)]).map(Self.snapshot(from:))
        }
    }

    /// Snapshots of `scope` from `first` through `last` inclusive, oldest first.
    public func range(scope: StatsScope, from first: StatsDay, through last: StatsDay) async throws -> [StatsSnapshot] {
        try await database.read { db in
            try db.fetchAll("""
                SELECT scope, day, json, recorded_at FROM stats_snapshots
                WHERE scope = ? AND day >= ? AND day <= ? ORDER BY day
                """, [.text(scope.rawValue), .text(first.rawValue), .text(last.rawValue)]).map(Self.snapshot(from:))
        }
    }

    static func snapshot(from row: Row) throws -> StatsSnapshot {
        let dayText = try row.get(1, as: String.self)
        guard let day = StatsDay(rawValue: dayText) else {
            throw StoreError.decoding("stats_snapshots holds a malformed day \(dayText)", sql: row.sql)
        }
        return StatsSnapshot(scope: StatsScope(rawValue: try row.get(0)), day: day, json: try row.get(2),
                             recordedAt: Timestamp(milliseconds: try row.get(3)))
    }
}
