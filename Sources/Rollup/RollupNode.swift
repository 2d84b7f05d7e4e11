import MeshCore

/// The one thing the rollup needs from the overlay: who a node's parent is in the tree for
/// `H("stats")`. In the overlay this is the node's next hop toward that key through its fingers
/// (nil when the node owns the key: it is the root). Implementations answer from local routing
/// state without waiting; the rollup asks once per period, so the tree follows routing changes.
public protocol RollupTopology {
    /// The next hop from `node` toward the stats key, or nil when `node` is the root.
    func parent(of node: RollupNodeID) -> RollupNodeID?
}

/// The worldwide aggregate as computed by the root, flowing down the tree to every node.
public struct GlobalAggregate: Codable, Hashable, Sendable {
    /// Every contributing site's figures, merged.
    public var aggregate: Aggregate
    /// When the root computed it.
    public var asOf: Timestamp
    /// Sites whose records are in `aggregate` (= `aggregate.totals.sites`).
    public var contributingSites: Int
    /// The root that computed it.
    public var root: RollupNodeID

    /// The global `aggregate` computed by `root` at `asOf`; `contributingSites` is taken from it.
    public init(aggregate: Aggregate, asOf: Timestamp, root: RollupNodeID) {
        self.aggregate = aggregate
        self.asOf = asOf
        self.contributingSites = aggregate.totals.sites
        self.root = root
    }

    enum CodingKeys: String, CodingKey {
        case aggregate
        case asOf = "as_of"
        case contributingSites = "contributing_sites"
        case root
    }
}

/// Named settings of the rollup, with their defaults.
public struct RollupSettings: Sendable, Hashable {
    /// How often a node reports to its parent. Default 60 s.
    public var period: Duration = .seconds(60)
    /// A child not heard for this many periods is dropped from the sum. Default 3.
    public var expiryPeriods: Int = 3

    /// Settings; defaults as documented on each field.
    public init(period: Duration = .seconds(60), expiryPeriods: Int = 3) {
        self.period = period
        self.expiryPeriods = expiryPeriods
    }

    /// `period × expiryPeriods`.
    public var expiry: Duration { period * expiryPeriods }
}

/// What a node must do after a tick; the caller (a transport-owning actor, or the simulator)
/// carries it out. Sends may fail: the next period's report replaces anything lost.
public enum RollupAction: Equatable, Sendable {
    /// Send this report (a snapshot or a withdrawal) to `parent`.
    case report(to: RollupNodeID, RollupReport)
    /// Send the newest global aggregate down to these children.
    case publish(to: [RollupNodeID], GlobalAggregate)
}

/// One node's rollup state machine, pure: no clock, no sockets. Feed it received reports and
/// globals, call `tick(now:parent:)` once per period, and perform the returned actions.
///
/// Guarantees: the subtree aggregate is always `local` merged with the latest live snapshot of
/// each child, each counted once; a node sends at most one snapshot upward per tick (plus one
/// withdrawal to its previous parent when the parent changed); it serves the newest global it
/// has heard (by `asOf`). A value type; the owning actor serializes access.
public struct RollupNode: Sendable {
    /// This node.
    public let id: RollupNodeID
    /// Period and expiry.
    public let settings: RollupSettings
    /// This node's own sites (usually one), merged.
    public private(set) var local: Aggregate
    /// The latest snapshot of each child.
    public private(set) var children = ChildTable()
    /// The newest global aggregate heard (or computed, at the root).
    public private(set) var global: GlobalAggregate?
    /// The parent the last snapshot went to.
    public private(set) var currentParent: RollupNodeID?

    private let epoch: UInt64
    private var sequence: UInt64 = 0
    private var cached: (revision: UInt64, localRevision: UInt64, value: Aggregate)?
    private var localRevision: UInt64 = 0

    /// `epoch` must grow across restarts of the same node (its start time in ms will do).
    public init(id: RollupNodeID, epoch: UInt64, local: Aggregate = .identity, settings: RollupSettings = RollupSettings()) {
        self.id = id
        self.epoch = epoch
        self.local = local
        self.settings = settings
    }

    /// Replaces this node's own contribution (e.g. after re-reading Moodle).
    public mutating func setLocal(_ aggregate: Aggregate) {
        local = aggregate
        localRevision &+= 1
    }

    /// Applies a child's report received at `now` (see `ChildTable.accept`).
    @discardableResult
    public mutating func receive(_ report: RollupReport, now: Timestamp) -> ChildTable.Outcome {
        children.accept(report, now: now)
    }

    /// Keeps `incoming` if it is newer than the global held; returns whether it was kept.
    @discardableResult
    public mutating func receive(_ incoming: GlobalAggregate) -> Bool {
        if let held = global, held.asOf >= incoming.asOf { return false }
        global = incoming
        return true
    }

    /// `local` plus the latest snapshot of every live child (computed afresh).
    public var subtreeAggregate: Aggregate { local.merging(children.childrenAggregate) }

    /// `subtreeAggregate`, recomputed only when a child snapshot or `local` changed.
    private mutating func cachedSubtreeAggregate() -> Aggregate {
        if let c = cached, c.revision == children.revision, c.localRevision == localRevision { return c.value }
        var value = local
        value.merge(children.childrenAggregate)
        cached = (children.revision, localRevision, value)
        return value
    }

    /// One period: expires silent children, then reports the subtree to `parent` (withdrawing
    /// from the previous parent if it changed), or, at the root (`parent == nil`), computes the
    /// global aggregate as of `now`. Either way, forwards the newest global to live children.
    public mutating func tick(now: Timestamp, parent: RollupNodeID?) -> [RollupAction] {
        _ = children.expire(now: now, timeout: settings.expiry)
        var actions: [RollupAction] = []
        let subtree = cachedSubtreeAggregate()
        if let old = currentParent, old != parent {
            sequence += 1
            actions.append(.report(to: old, RollupReport(sender: id, version: version, aggregate: nil)))
        }
        currentParent = parent
        if let parent {
            sequence += 1
            actions.append(.report(to: parent, RollupReport(sender: id, version: version, aggregate: subtree)))
        } else {
            receive(GlobalAggregate(aggregate: subtree, asOf: now, root: id))
        }
        let live = children.liveChildren
        if let global, !live.isEmpty { actions.append(.publish(to: live, global)) }
        return actions
    }

    private var version: ReportVersion { ReportVersion(epoch: epoch, sequence: sequence) }
}
