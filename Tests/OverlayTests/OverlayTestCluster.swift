import MeshCore
@testable import Overlay

/// A ring of real `OverlayNode`s over one `MemoryNetwork`, driven tick by tick in id order on a
/// `ManualClock`, so every scenario is deterministic.
struct OverlayTestCluster {
    let network: MemoryNetwork
    let clock = ManualClock()
    var nodes: [OverlayNode] = []
    let configuration: OverlayConfiguration

    init(seed: UInt64 = 1, configuration: OverlayConfiguration = .init()) {
        network = MemoryNetwork(seed: seed)
        self.configuration = configuration
    }

    static func url(_ i: Int) -> NodeURL { try! NodeURL("https://campus\(i).example.edu/mesh") }

    /// A node for campus `i`, registered on the network but not started.
    mutating func makeNode(_ i: Int, incarnation: UInt64 = 1) -> OverlayNode {
        let u = Self.url(i)
        let node = OverlayNode(url: u, site: "https://moodle\(i).example.edu", incarnation: incarnation,
                               transport: network.transport(for: u), clock: clock,
                               store: MemoryKeyValueStore(), configuration: configuration)
        network.register(node)
        nodes.append(node)
        return node
    }

    /// `count` nodes: the first starts alone, the others join through it one after another;
    /// then `settle` periods pass so the join events reach everyone.
    static func ring(_ count: Int, seed: UInt64 = 1, configuration: OverlayConfiguration = .init(),
                     settle: Int = 6) async throws -> OverlayTestCluster {
        var c = OverlayTestCluster(seed: seed, configuration: configuration)
        let first = c.makeNode(0)
        await first.startAlone()
        for i in 1..<count {
            let n = c.makeNode(i)
            try await n.join(via: Self.url(0))
        }
        await c.tick(settle)
        return c
    }

    /// Nodes the network still reaches, in id order.
    var liveNodes: [OverlayNode] {
        nodes.filter { network.isUp($0.url) }.sorted { $0.url.id < $1.url.id }
    }

    /// One period everywhere: each live node ticks in id order, then the clock moves one period.
    func tick(_ periods: Int = 1) async {
        for _ in 0..<periods {
            for n in liveNodes { await n.tick() }
            clock.advance(by: configuration.period)
        }
    }

    /// Member counts of the live nodes, in id order.
    func memberCounts() async -> [Int] {
        var out: [Int] = []
        for n in liveNodes { out.append(await n.memberCount) }
        return out
    }

    /// How many live nodes hold an item under `key`.
    func holders(of key: RingKey) -> Int {
        liveNodes.filter { !$0.store.items(at: key).isEmpty }.count
    }
}

/// An application that answers with its node's name and the key it received.
struct EchoApplication: OverlayApplication {
    let name: String
    func receive(_ payload: [UInt8], key: RingKey?) async throws -> [UInt8] {
        Array("\(name):\(key?.hex.prefix(8) ?? "-"):".utf8) + payload
    }
}
