import MeshCore

/// A node's id as the rollup names it: the overlay's node id in lower-case hex.
public typealias RollupNodeID = String

/// The order of a sender's reports: `epoch` grows when the sender restarts (e.g. its start time
/// in ms), `sequence` grows with every report within an epoch. Compared lexicographically.
public struct ReportVersion: Codable, Hashable, Comparable, Sendable {
    /// The sender's incarnation; grows across restarts.
    public var epoch: UInt64
    /// The report's number within the epoch.
    public var sequence: UInt64

    /// A version with the given parts.
    public init(epoch: UInt64, sequence: UInt64) {
        self.epoch = epoch
        self.sequence = sequence
    }

    /// Lexicographic: epoch first, then sequence.
    public static func < (a: ReportVersion, b: ReportVersion) -> Bool {
        (a.epoch, a.sequence) < (b.epoch, b.sequence)
    }
}

/// What a child sends its parent each period: its whole subtree's aggregate, replacing whatever
/// the parent held for it. `aggregate == nil` is a withdrawal: the sender now reports to another
/// parent, so this one must stop counting it.
public struct RollupReport: Codable, Hashable, Sendable {
    /// The child that sent it.
    public var sender: RollupNodeID
    /// Orders the sender's reports; only a newer one replaces what the parent holds.
    public var version: ReportVersion
    /// The sender's subtree aggregate, or nil for a withdrawal.
    public var aggregate: Aggregate?

    /// A snapshot report (`aggregate` set) or a withdrawal (`aggregate` nil).
    public init(sender: RollupNodeID, version: ReportVersion, aggregate: Aggregate?) {
        self.sender = sender
        self.version = version
        self.aggregate = aggregate
    }
}

/// The latest report per child, with replace-never-add semantics: a report is accepted only if
/// its version is newer than the one held for that child, so retries, duplicates and reordered
/// deliveries never change the sum, and a child that moved away is dropped by its withdrawal or
/// by expiry. A value type with no clock: the caller passes `now`. Not thread-safe by itself
/// (it is a value; the owning actor serializes access).
public struct ChildTable: Sendable {
    /// What `accept` did with a report.
    public enum Outcome: Equatable, Sendable {
        /// Newer than what was held: it replaced the child's snapshot (or removed it, for a withdrawal).
        case accepted
        /// Same version as held: a duplicate or retry, ignored.
        case duplicate
        /// Older than what was held: a reordered delivery, ignored.
        case stale
    }

    struct Entry: Sendable {
        var version: ReportVersion
        /// nil once withdrawn: kept as a tombstone so an older report cannot bring it back.
        var aggregate: Aggregate?
        var lastHeard: Timestamp
    }

    private(set) var entries: [RollupNodeID: Entry] = [:]
    /// Grows on every change to the set of live snapshots; lets callers cache their sum.
    public private(set) var revision: UInt64 = 0

    /// An empty table.
    public init() {}

    /// Applies `report`, received at `now`. See `Outcome`.
    public mutating func accept(_ report: RollupReport, now: Timestamp) -> Outcome {
        if let held = entries[report.sender] {
            if report.version == held.version { return .duplicate }
            if report.version < held.version { return .stale }
        }
        entries[report.sender] = Entry(version: report.version, aggregate: report.aggregate, lastHeard: now)
        revision &+= 1
        return .accepted
    }

    /// Drops every child (and tombstone) not heard from for `timeout` or longer; returns the
    /// ids of live children dropped, sorted.
    public mutating func expire(now: Timestamp, timeout: Duration) -> [RollupNodeID] {
        var dropped: [RollupNodeID] = []
        for (id, entry) in entries where now - entry.lastHeard >= timeout {
            entries[id] = nil
            if entry.aggregate != nil { dropped.append(id) }
        }
        if !dropped.isEmpty { revision &+= 1 }
        return dropped.sorted()
    }

    /// Ids of children whose latest report is a snapshot (not a withdrawal), sorted.
    public var liveChildren: [RollupNodeID] {
        entries.compactMap { $0.value.aggregate == nil ? nil : $0.key }.sorted()
    }

    /// The latest snapshot held for `child`, if it is live.
    public func snapshot(of child: RollupNodeID) -> Aggregate? { entries[child]?.aggregate }

    /// The merge of every live child's latest snapshot.
    public var childrenAggregate: Aggregate {
        Aggregate.merged(entries.values.lazy.compactMap(\.aggregate))
    }
}
