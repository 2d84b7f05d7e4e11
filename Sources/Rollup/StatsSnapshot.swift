import MeshCore
import Synchronization


/// The global aggregate as it stood on one day: one row of the history charts.
/// JSON: `{"day":"2026-11-21","as_of":…,"contributing_sites":…,"aggregate":{…}}`.
public struct StatsSnapshot: Codable, Hashable, Sendable {
    /// The UTC day this snapshot stands for.
    public var day: CalendarDay
    /// When the root computed the aggregate kept for this day.
    public var asOf: Timestamp
    /// Sites in `aggregate`.
    public var contributingSites: Int
    /// The global figures.
    public var aggregate: Aggregate

    /// A snapshot of `aggregate` for `day`, computed at `asOf`.
    public init(day: CalendarDay, asOf: Timestamp, aggregate: Aggregate) {
        self.day = day
        self.asOf = asOf
        self.contributingSites = aggregate.totals.sites
        self.aggregate = aggregate
    }

    /// The snapshot of `global` for the UTC day of its `asOf`.
    public init(_ global: GlobalAggregate) {
        self.init(day: CalendarDay(global.asOf), asOf: global.asOf, aggregate: global.aggregate)
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
    func snapshots(from: CalendarDay, to: CalendarDay) throws -> [StatsSnapshot]
    /// The most recent day's snapshot, if any.
    func latest() throws -> StatsSnapshot?
}

/// A `SnapshotStore` in memory, for tests and the simulator. Thread-safe (a mutex).
public final class InMemorySnapshotStore: SnapshotStore {
    private let byDay = Mutex<[CalendarDay: StatsSnapshot]>([:])

    /// An empty store.
    public init() {}

    public func save(_ snapshot: StatsSnapshot) throws -> Bool {
        byDay.withLock { table in
            if let held = table[snapshot.day], held.asOf >= snapshot.asOf { return false }
            table[snapshot.day] = snapshot
            return true
        }
    }

    public func snapshots(from: CalendarDay, to: CalendarDay) throws -> [StatsSnapshot] {
        byDay.withLock { table in table.values.filter { $0.day >= from && $0.day <= to }.sorted { $0.day < $1.day } }
    }

    public func latest() throws -> StatsSnapshot? {
        byDay.withLock { table in table.values.max { $0.day < $1.day } }
    }
}
