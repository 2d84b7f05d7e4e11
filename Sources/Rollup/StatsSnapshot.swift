import MeshCore
import Synchronization

/// A calendar day in UTC, `YYYY-MM-DD` on the wire; ordered by date.
public struct StatsDay: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Year, e.g. 2026.
    public var year: Int
    /// Month 1…12.
    public var month: Int
    /// Day of the month 1…31.
    public var day: Int

    /// The given date (not validated).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC day containing `timestamp`.
    public init(_ timestamp: Timestamp) {
        let seconds = Int(timestamp.milliseconds >= 0 ? timestamp.milliseconds / 1000 : (timestamp.milliseconds - 999) / 1000)
        let c = RFC3339.civil(seconds)
        self.init(year: c.year, month: c.month, day: c.day)
    }

    /// Parses `YYYY-MM-DD`; nil when malformed or out of range.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: StatsDay, b: StatsDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = StatsDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a date YYYY-MM-DD, got \(text)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The global aggregate as it stood on one day: one row of the history charts.
/// JSON: `{"day":"2026-11-21","as_of":…,"contributing_sites":…,"aggregate":{…}}`.
public struct StatsSnapshot: Codable, Hashable, Sendable {
    /// The UTC day this snapshot stands for.
    public var day: StatsDay
    /// When the root computed the aggregate kept for this day.
    public var asOf: Timestamp
    /// Sites in `aggregate`.
    public var contributingSites: Int
    /// The global figures.
    public var aggregate: Aggregate

    /// A snapshot of `aggregate` for `day`, computed at `asOf`.
    public init(day: StatsDay, asOf: Timestamp, aggregate: Aggregate) {
        self.day = day
        self.asOf = asOf
        self.contributingSites = aggregate.totals.sites
        self.aggregate = aggregate
    }

    /// The snapshot of `global` for the UTC day of its `asOf`.
    public init(_ global: GlobalAggregate) {
        self.init(day: StatsDay(global.asOf), asOf: global.asOf, aggregate: global.aggregate)
    }

    enum CodingKeys: String, CodingKey {
        case day
        case asOf = "as_of"
        case contributingSites = "contributing_sites"
        case aggregate
    }
}

/// Where daily snapshots are kept (SQLite in a real node, through MeshStore). One snapshot per
/// day: saving a day again replaces it only with a newer `asOf`. Implementations are thread-safe;
/// methods may block on I/O, so callers run them off the shared pool (the store's executor).
public protocol SnapshotStore: Sendable {
    /// Keeps `snapshot` unless the stored one for its day is as new or newer; returns whether kept.
    func save(_ snapshot: StatsSnapshot) throws -> Bool
    /// Snapshots with `from <= day <= to`, ascending by day.
    func snapshots(from: StatsDay, to: StatsDay) throws -> [StatsSnapshot]
    /// The most recent day's snapshot, if any.
    func latest() throws -> StatsSnapshot?
}

/// A `SnapshotStore` in memory, for tests and the simulator. Thread-safe (a mutex).
public final class InMemorySnapshotStore: SnapshotStore {
    private let byDay = Mutex<[StatsDay: StatsSnapshot]>([:])

    /// An empty store.
    public init() {}

    public func save(_ snapshot: StatsSnapshot) throws -> Bool {
        byDay.withLock { table in
            if let held = table[snapshot.day], held.asOf >= snapshot.asOf { return false }
            table[snapshot.day] = snapshot
            return true
        }
    }

    public func snapshots(from: StatsDay, to: StatsDay) throws -> [StatsSnapshot] {
        byDay.withLock { table in table.values.filter { $0.day >= from && $0.day <= to }.sorted { $0.day < $1.day } }
    }

    public func latest() throws -> StatsSnapshot? {
        byDay.withLock { table in table.values.max { $0.day < $1.day } }
    }
}
