import MeshCore
import Synchronization

/// An in-memory `Transport` for tests and the simulator: nodes register under their URL and a
/// request calls the target node's `handle` directly, so the real node code runs without sockets.
///
/// Nodes can be killed (every request to them fails `.unreachable`), revived, and split into
/// partitions (requests across groups fail). Seeded loss makes some requests fail `.timeout`;
/// optional latency sleeps on the given clock (so a `ManualClock` driver must advance it).
/// Counts every request by endpoint, split into liveness pings and everything else.
/// Thread-safe: all state sits behind one mutex held only between awaits.
public final class MemoryNetwork: Sendable {
    /// Requests sent, by kind. A liveness ping is a `ping` without `target`.
    public struct Counts: Sendable, Equatable {
        /// Plain pings (neighbour liveness and join callbacks).
        public var livenessPings = 0
        /// Every other request (second-opinion pings, events, members, digest, store, ...).
        public var maintenance = 0
        /// Requests that failed in the network (dead target, partition, loss).
        public var failed = 0
        /// Requests per endpoint path.
        public var byEndpoint: [String: Int] = [:]
    }

    private struct State {
        var nodes: [NodeURL: OverlayNode] = [:]
        var down: Set<NodeURL> = []
        var group: [NodeURL: Int] = [:]
        var rng: SplitMix64
        var counts = Counts()
    }

    private let state: Mutex<State>
    /// Probability that a request is lost (answered `.timeout` at once).
    public let loss: Double
    /// One-way latency range, slept twice per request on `clock`; nil: no latency.
    public let latency: ClosedRange<Duration>?
    private let clock: (any Clock)?

    /// A network; `seed` fixes which requests are lost and every latency drawn.
    public init(seed: UInt64 = 1, loss: Double = 0, latency: ClosedRange<Duration>? = nil, clock: (any Clock)? = nil) {
        state = Mutex(State(rng: SplitMix64(seed: seed)))
        self.loss = loss
        self.latency = clock == nil ? nil : latency
        self.clock = clock
    }

    /// Makes `node` reachable at its URL (replacing any earlier node there) and alive.
    public func register(_ node: OverlayNode) {
        state.withLock { s in
            s.nodes[node.url] = node
            s.down.remove(node.url)
        }
    }

    /// Makes requests to `url` reach `node` (whatever its own URL): a spoofing test's tool.
    public func register(_ node: OverlayNode, at url: NodeURL) {
        state.withLock { s in
            s.nodes[url] = node
            s.down.remove(url)
        }
    }

    /// Every request to `url` fails `.unreachable` until `revive` (a crash or kill -9).
    public func kill(_ url: NodeURL) { state.withLock { _ = $0.down.insert(url) } }

    /// Undoes `kill`.
    public func revive(_ url: NodeURL) { state.withLock { _ = $0.down.remove(url) } }

    /// True unless `url` was killed or never registered.
    public func isUp(_ url: NodeURL) -> Bool { state.withLock { $0.nodes[url] != nil && !$0.down.contains(url) } }

    /// Splits the network: nodes in different groups cannot reach each other; unlisted nodes
    /// form group 0 with each other. Only requests through `transport(for:)` know their sender.
    public func partition(_ groups: [[NodeURL]]) {
        state.withLock { s in
            s.group = [:]
            for (g, urls) in groups.enumerated() { for u in urls { s.group[u] = g + 1 } }
        }
    }

    /// Joins all partitions again.
    public func heal() { state.withLock { $0.group = [:] } }

    /// Requests counted so far.
    public var counts: Counts { state.withLock { $0.counts } }

    /// Clears the counters.
    public func resetCounts() { state.withLock { $0.counts = Counts() } }

    /// A transport that sends as `sender`, so partitions apply to it.
    public func transport(for sender: NodeURL) -> MemoryTransport { MemoryTransport(network: self, sender: sender) }

    func deliver(_ request: OverlayRequest, from sender: NodeURL?, to target: NodeURL) async throws(TransportError) -> OverlayReply {
        enum Route { case ok(OverlayNode, Duration?), down, lost }
        let route: Route = state.withLock { s in
            if case .ping(let p) = request, p.target == nil { s.counts.livenessPings += 1 } else { s.counts.maintenance += 1 }
            s.counts.byEndpoint[request.endpoint.path.hasPrefix("/overlay/v1/app/") ? "/overlay/v1/app" : request.endpoint.path, default: 0] += 1
            guard let node = s.nodes[target], !s.down.contains(target),
                  sender.map({ s.group[$0, default: 0] }) ?? s.group[target, default: 0] == s.group[target, default: 0]
            else { s.counts.failed += 1; return .down }
            if loss > 0 && s.rng.unit() < loss { s.counts.failed += 1; return .lost }
            var delay: Duration?
            if let range = latency {
                let span = (range.upperBound - range.lowerBound).milliseconds
                delay = range.lowerBound + .milliseconds(span > 0 ? Int64(s.rng.below(Int(span) + 1)) : 0)
            }
            return .ok(node, delay)
        }
        switch route {
        case .down: throw .unreachable("\(target) is down or partitioned away")
        case .lost: throw .timeout
        case .ok(let node, let delay):
            if let delay, let clock { try? await clock.sleep(for: delay) }
            let reply: OverlayReply
            do {
                if let immediate = try node.handleImmediately(request) { reply = immediate } else { reply = try await node.handle(request) }
            } catch {
                throw .rejected(status: error.status, code: error.code, message: error.message)
            }
            if let delay, let clock { try? await clock.sleep(for: delay) }
            return reply
        }
    }
}

extension MemoryNetwork: Transport {
    /// Sends with no known sender (partitions see it as coming from group 0).
    public func send(_ request: OverlayRequest, to node: NodeURL, timeout: Duration) async throws(TransportError) -> OverlayReply {
        try await deliver(request, from: nil, to: node)
    }
}

/// One node's view of a `MemoryNetwork`: requests carry the sender, so partitions apply.
public struct MemoryTransport: Transport {
    /// The network requests go through.
    public let network: MemoryNetwork
    /// The node these requests come from.
    public let sender: NodeURL
    /// Delivers `request` to `node` unless it is down, partitioned away from `sender`, or the
    /// message is lost. `timeout` is not waited for: a lost message fails at once.
    public func send(_ request: OverlayRequest, to node: NodeURL, timeout: Duration) async throws(TransportError) -> OverlayReply {
        try await network.deliver(request, from: sender, to: node)
    }
}
