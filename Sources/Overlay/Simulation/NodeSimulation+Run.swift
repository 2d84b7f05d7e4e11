import MeshCore

/// The node-level simulator: the same `OverlayNode` code as live nodes, over `MemoryNetwork`,
/// driven period by period (each live node ticks once per period, in id order). No wall clock,
/// no system randomness, no parallel tasks: the report is a pure function of the options.
public enum NodeSimulation {
    final class Ring {
        let network: MemoryNetwork
        let clock = ManualClock()
        var nodes: [OverlayNode] = []      // in id order
        var alive: [Bool] = []
        let configuration: OverlayConfiguration
        /// Orders the nodes' ticks within a period. A fixed id order would let a piggybacked
        /// event run round the whole ring in one period (each node pings a predecessor that
        /// ticked just before it); real nodes tick at unrelated phases.
        var order: SplitMix64

        init(network: MemoryNetwork, configuration: OverlayConfiguration, order: SplitMix64) {
            self.network = network; self.configuration = configuration; self.order = order
        }

        var live: [OverlayNode] { zip(nodes, alive).filter(\.1).map(\.0) }

        func tick() async {
            var turn = Array(nodes.indices)
            for i in stride(from: turn.count - 1, to: 0, by: -1) { turn.swapAt(i, order.below(i + 1)) }
            for i in turn where alive[i] { await nodes[i].tick() }
            clock.advance(by: configuration.period)
        }

        /// Ticks until `done` holds (checked before each period); the periods it took, or nil.
        func ticks(until limit: Int, _ done: () async -> Bool) async -> Int? {
            for p in 0...limit {
                if await done() { return p }
                if p < limit { await tick() }
            }
            return nil
        }

        func everyTable(_ body: (OverlayNode) async -> Bool) async -> Bool {
            for n in live where !(await body(n)) { return false }
            return true
        }
    }

    static func url(_ i: Int) -> NodeURL { try! NodeURL("https://node\(i).sim.coursemesh.test/mesh") }

    /// Runs every experiment in sequence on one ring; see `NodeSimReport`.
    public static func run(_ o: NodeSimOptions) async -> NodeSimReport {
        precondition(o.nodes >= 4, "need at least four nodes")
        var rng = SplitMix64(seed: o.seed)
        var config = OverlayConfiguration()
        config.replicas = o.replicas
        let ring = Ring(network: MemoryNetwork(seed: o.seed), configuration: config, order: SplitMix64(seed: o.seed ^ 0x5EED))
        let urls = (0..<o.nodes).map(url).sorted { $0.id < $1.id }
        let states = urls.map { MemberState(url: $0, version: 1, alive: true) }
        let directory = MemberDirectory(states)
        var stores: [MemoryKeyValueStore] = []
        for (i, u) in urls.enumerated() {
            let store = MemoryKeyValueStore()
            let node = OverlayNode(url: u, site: nil, incarnation: 1, transport: ring.network.transport(for: u),
                                   clock: ring.clock, store: store, configuration: config)
            ring.network.register(node)
            var view = MembershipView(directory: directory)
            if o.stale > 0 {
                let keep = Set((-o.replicas...o.replicas).map { ((i + $0) % o.nodes + o.nodes) % o.nodes })
                view = MembershipView(directory: directory, missing: (0..<o.nodes).filter { !keep.contains($0) && rng.unit() < o.stale })
            }
            await node.forceView(view)
            ring.nodes.append(node)
            ring.alive.append(true)
            stores.append(store)
        }
        // Items on their R true holders.
        var items: [StoredItem] = []
        for k in 0..<o.items {
            let item = StoredItem(key: rng.key(), name: "item\(k)", version: 1, value: [UInt8(k & 0xff)])
            items.append(item)
            var i = directory.lowerBound(item.key) % o.nodes
            for _ in 0..<min(o.replicas, o.nodes) { stores[i].putNow([item]); i = (i + 1) % o.nodes }
        }
        var report = NodeSimReport(options: o, messagesPerJoin: 0, messagesPerFailure: 0, livenessPingsPerNodePerMinute: 0,
                                   steadyMaintenancePerNodePerMinute: 0, maintenancePerNodePerMinuteWithChurn: 0,
                                   failedNodes: 0, itemsWithoutLiveHolder: 0, itemsPerNodeMax: 0, itemsPerNodeMean: 0)

        // Stale tables fill up through table repair and lookups' closer nodes.
        if o.stale > 0 {
            report.staleTablesFullAfterPeriods = await ring.ticks(until: o.maxPeriods) {
                await ring.everyTable { await $0.memberCount == o.nodes }
            }
        }
        // Settle (first anti-entropy round), then steady state.
        for _ in 0..<3 { await ring.tick() }
        ring.network.resetCounts()
        for _ in 0..<o.steadyPeriods { await ring.tick() }
        let steady = ring.network.counts
        let minutes = Double(o.steadyPeriods) * Double(config.period.milliseconds) / 60_000
        report.livenessPingsPerNodePerMinute = round3(Double(steady.livenessPings) / Double(o.nodes) / minutes)
        report.steadyMaintenancePerNodePerMinute = round3(Double(steady.maintenance) / Double(o.nodes) / minutes)

        // One join through a random member.
        ring.network.resetCounts()
        let joinerURL = url(o.nodes)
        let joiner = OverlayNode(url: joinerURL, site: nil, incarnation: 1, transport: ring.network.transport(for: joinerURL),
                                 clock: ring.clock, store: MemoryKeyValueStore(), configuration: config)
        ring.network.register(joiner)
        let bootstrap = urls[rng.below(urls.count)]
        if (try? await joiner.join(via: bootstrap)) != nil {
            let at = ring.nodes.firstIndex { $0.url.id > joinerURL.id } ?? ring.nodes.count
            ring.nodes.insert(joiner, at: at)
            ring.alive.insert(true, at: at)
            let total = ring.live.count
            report.joinConvergencePeriods = await ring.ticks(until: o.maxPeriods) {
                await ring.everyTable { await $0.memberCount == total }
            }
            for _ in 0..<3 { await ring.tick() }
        }
        report.messagesPerJoin = ring.network.counts.maintenance

        // One silent failure.
        ring.network.resetCounts()
        let victim = rng.below(ring.nodes.count)
        ring.alive[victim] = false
        ring.network.kill(ring.nodes[victim].url)
        let remaining = ring.live.count
        report.failureConvergencePeriods = await ring.ticks(until: o.maxPeriods) {
            return await ring.everyTable { await $0.memberCount == remaining }
        }
        for _ in 0..<3 { await ring.tick() }
        report.messagesPerFailure = ring.network.counts.maintenance
        let perEvent = Double(report.messagesPerJoin + report.messagesPerFailure) / 2
        let eventsPerMinute = o.churn * Double(o.nodes) / 1440
        report.maintenancePerNodePerMinuteWithChurn = round3(report.steadyMaintenancePerNodePerMinute + eventsPerMinute * perEvent / Double(o.nodes))

        // Mass failure.
        let failures = min(ring.live.count - o.replicas, Int((Double(o.nodes) * o.fail).rounded()))
        var killed = 0
        while killed < failures {
            let i = rng.below(ring.nodes.count)
            if ring.alive[i] {
                ring.alive[i] = false
                ring.network.kill(ring.nodes[i].url)
                killed += 1
            }
        }
        report.failedNodes = killed
        let liveNodes = ring.live
        let liveIDs = liveNodes.map(\.url.id)
        func trueHolders(_ key: RingKey) -> [OverlayNode] {
            var lo = 0, hi = liveIDs.count
            while lo < hi { let m = (lo + hi) / 2; if liveIDs[m] < key { lo = m + 1 } else { hi = m } }
            return (0..<min(o.replicas, liveIDs.count)).map { liveNodes[(lo + $0) % liveIDs.count] }
        }
        let holders = items.map { trueHolders($0.key) }
        let survivors = items.indices.filter { i in liveNodes.contains { !$0.store.items(at: items[i].key).isEmpty } }
        report.itemsWithoutLiveHolder = items.count - survivors.count
        let liveCount = liveNodes.count
        var tablesDone: Int?
        var period = 0
        report.replicationRestoredAfterPeriods = await ring.ticks(until: o.maxPeriods) {
            defer { period += 1 }
            if tablesDone == nil, await ring.everyTable({ await $0.memberCount == liveCount }) { tablesDone = period }
            return survivors.allSatisfy { i in holders[i].allSatisfy { !$0.store.items(at: items[i].key).isEmpty } }
        }
        if tablesDone == nil {
            tablesDone = await ring.ticks(until: o.maxPeriods) { await ring.everyTable { await $0.memberCount == liveCount } }
                .map { $0 + period - 1 }
        }
        report.tablesConvergedAfterFailurePeriods = tablesDone
        let perNode = liveNodes.map(\.store.count)
        report.itemsPerNodeMax = perNode.max() ?? 0
        report.itemsPerNodeMean = round3(Double(perNode.reduce(0, +)) / Double(max(1, perNode.count)))
        return report
    }

    static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
