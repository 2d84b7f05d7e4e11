import MeshCore

/// A deterministic in-memory rollup network: every node runs the real `RollupNode`, messages
/// are delivered in-process, time is the period counter. Used by tests and `coursemesh sim`.
///
/// Within a period every live node ticks once, in the order of `Schedule`; a report is delivered
/// at once (latency is far below a period), so a parent that ticks later in the period already
/// sums it. Messages to failed nodes are lost. Not thread-safe (a value; run it on one task).
public struct RollupSimulator {
    /// The order in which nodes tick within a period.
    public enum Schedule: Sendable {
        /// Deepest nodes first: models "report on change" cascading to the root within a period.
        case bottomUp
        /// Each node ticks at a fixed pseudo-random phase: models independent timers, where a
        /// change climbs at most one level per period.
        case randomPhase(seed: UInt64)
    }

    /// Traffic and shape of one period.
    public struct PeriodReport: Sendable {
        /// The period number, from 1.
        public var period: Int
        /// Snapshot reports sent upward, and the most any one node sent.
        public var upwardSnapshots = 0
        public var maxSnapshotsPerNode = 0
        /// Withdrawals sent to previous parents after a parent change.
        public var withdrawals = 0
        /// Reports the root received this period, and how many children it has.
        public var rootReceived = 0
        public var rootFanIn = 0
        /// Global-aggregate messages sent down the tree.
        public var downwardMessages = 0
    }

    /// Depth (edges from the deepest node to the root) and the largest number of children of any node.
    public struct TreeShape: Sendable, Equatable {
        /// Live nodes in the tree.
        public var nodes: Int
        /// Longest path to the root, in edges.
        public var depth: Int
        /// Most children of any node.
        public var maxFanIn: Int
        /// Children of the root.
        public var rootFanIn: Int
    }

    /// Period and expiry of every node.
    public let settings: RollupSettings
    /// Tick order within a period.
    public let schedule: Schedule
    private let makeTopology: ([RollupNodeID]) -> any RollupTopology
    private var states: [RollupNodeID: RollupNode] = [:]
    private var members: [RollupNodeID]
    private var alive: Set<RollupNodeID>
    private var topology: any RollupTopology
    private var phase: [RollupNodeID: UInt64] = [:]
    /// Periods run so far.
    public private(set) var period = 0

    /// A network of `locals` (node id → its own aggregate); `topology` builds the tree from the
    /// live members and is called again after every failure.
    public init(locals: [(RollupNodeID, Aggregate)], settings: RollupSettings = RollupSettings(),
                schedule: Schedule = .bottomUp, topology: @escaping ([RollupNodeID]) -> any RollupTopology) {
        self.settings = settings
        self.schedule = schedule
        self.makeTopology = topology
        members = locals.map(\.0)
        alive = Set(members)
        for (id, local) in locals { states[id] = RollupNode(id: id, epoch: 1, local: local, settings: settings) }
        self.topology = topology(members)
        if case .randomPhase(let seed) = schedule {
            var random = SplitMix64(seed: seed)
            for id in members { phase[id] = random.next() }
        }
    }

    /// Live node ids, in creation order.
    public var liveMembers: [RollupNodeID] { members.filter { alive.contains($0) } }

    /// The node state of `id` (live or failed).
    public func node(_ id: RollupNodeID) -> RollupNode? { states[id] }

    /// The exact answer: the merge of every live node's own aggregate.
    public var expectedTotal: Aggregate { Aggregate.merged(liveMembers.map { states[$0]!.local }) }

    /// The global aggregate the current root serves, if any.
    public var rootGlobal: GlobalAggregate? {
        liveMembers.first { topology.parent(of: $0) == nil }.flatMap { states[$0]?.global }
    }

    /// Stops `ids` for good (crash: no goodbye) and rebuilds the topology from the survivors.
    public mutating func fail(_ ids: some Sequence<RollupNodeID>) {
        for id in ids { alive.remove(id) }
        topology = makeTopology(liveMembers)
    }

    /// Replaces one node's own aggregate.
    public mutating func setLocal(_ id: RollupNodeID, _ aggregate: Aggregate) { states[id]?.setLocal(aggregate) }

    /// The current tree's parent of each live node (nil for the root).
    public func parents() -> [RollupNodeID: RollupNodeID?] {
        var out: [RollupNodeID: RollupNodeID?] = [:]
        for id in liveMembers { out[id] = topology.parent(of: id) }
        return out
    }

    /// Depth of every live node (root 0); a node whose parent chain loops or leaves the live
    /// set gets -1.
    public func depths() -> [RollupNodeID: Int] {
        let parent = parents()
        var depth: [RollupNodeID: Int] = [:]
        for start in liveMembers where depth[start] == nil {
            var path: [RollupNodeID] = []
            var current = start
            var base: Int
            while true {
                if let known = depth[current] { base = known; break }
                guard let entry = parent[current] else { base = -1; break }  // left the live set
                guard let up = entry else { depth[current] = 0; base = 0; break }  // the root
                path.append(current)
                if path.count > parent.count { base = -1; break }  // a loop
                current = up
            }
            for (offset, id) in path.reversed().enumerated() { depth[id] = base < 0 ? -1 : base + offset + 1 }
        }
        return depth
    }

    /// The current tree's depth and fan-in.
    public func shape() -> TreeShape {
        let parent = parents()
        var fanIn: [RollupNodeID: Int] = [:]
        var root: RollupNodeID?
        for (id, p) in parent { if let p { fanIn[p, default: 0] += 1 } else { root = id } }
        return TreeShape(nodes: parent.count, depth: depths().values.max() ?? 0,
                         maxFanIn: fanIn.values.max() ?? 0, rootFanIn: root.flatMap { fanIn[$0] } ?? 0)
    }

    /// Runs one period: every live node ticks once and its messages are delivered.
    public mutating func runPeriod() -> PeriodReport {
        period += 1
        let now = Timestamp(milliseconds: 0) + settings.period * period
        let parent = parents()
        let order: [RollupNodeID]
        switch schedule {
        case .bottomUp:
            let depth = depths()
            order = liveMembers.map { (depth[$0] ?? 0, $0) }.sorted { $0.0 > $1.0 }.map(\.1)
        case .randomPhase:
            order = liveMembers.map { (phase[$0]!, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var report = PeriodReport(period: period)
        let root = parent.first { $0.value == nil }?.key
        report.rootFanIn = root.map { r in parent.values.filter { $0 == r }.count } ?? 0
        for id in order {
            let actions = states[id]!.tick(now: now, parent: parent[id] ?? nil)
            var snapshots = 0
            for action in actions {
                switch action {
                case .report(let to, let message):
                    if message.aggregate == nil { report.withdrawals += 1 } else { snapshots += 1 }
                    guard alive.contains(to) else { continue }
                    if to == root { report.rootReceived += 1 }
                    states[to]!.receive(message, now: now)
                case .publish(let to, let global):
                    for child in to where alive.contains(child) {
                        report.downwardMessages += 1
                        states[child]!.receive(global)
                    }
                }
            }
            report.upwardSnapshots += snapshots
            report.maxSnapshotsPerNode = max(report.maxSnapshotsPerNode, snapshots)
        }
        return report
    }
}

/// A tiny seeded pseudo-random generator (SplitMix64, Steele et al. 2014): same seed, same
/// sequence on every platform. For simulations and tests, never for secrets.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
