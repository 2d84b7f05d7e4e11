import MeshCore
import Overlay
import Synchronization
@testable import Rollup

/// An in-memory federation of `RollupService`s for tests: every member holds the full table of
/// live members, a node's parent is the overlay's next hop toward `RingKey.stats`, messages are
/// delivered in-process (optionally twice), and failed nodes are unreachable.
final class RollupMesh: Sendable {
    struct Links {
        var urls: [NodeURL] = []
        var down: Set<NodeURL> = []
        var view = MembershipView(states: [])
        var parentOverride: [NodeURL: NodeURL] = [:]
        var duplicateDeliveries = false
        /// Upward messages per sender since the last reset.
        var sent: [NodeURL: Int] = [:]
        /// Upward messages per receiver since the last reset.
        var received: [NodeURL: Int] = [:]
    }

    let links = Mutex(Links())
    let services = Mutex<[NodeURL: RollupService]>([:])
    let clock = ManualClock(start: Timestamp(seconds: 1_763_683_200))
    let settings = RollupSettings(period: .seconds(10), expiryPeriods: 3)

    /// `n` nodes, node i contributing `locals[i]`.
    init(locals: [Aggregate], seed: UInt64 = 1) {
        let urls = locals.indices.map { try! NodeURL("https://campus\($0)-\(seed).example.edu/mesh") }
        for (url, local) in zip(urls, locals) {
            let service = RollupService(overlay: MeshOverlay(url: url, mesh: self), clock: clock, epoch: 1,
                                        local: local, settings: settings)
            services.withLock { $0[url] = service }
        }
        links.withLock {
            $0.urls = urls
            $0.view = MembershipView(directory: MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) }))
        }
    }

    var live: [NodeURL] { links.withLock { l in l.urls.filter { !l.down.contains($0) } } }
    func service(_ url: NodeURL) -> RollupService { services.withLock { $0[url]! } }

    func parent(of url: NodeURL) -> NodeURL? {
        links.withLock { l in l.parentOverride[url] ?? l.view.nextHop(from: url.id, toward: .stats) }
    }

    var root: NodeURL { live.first { parent(of: $0) == nil }! }

    /// Depth of each live node (root 0).
    func depths() -> [NodeURL: Int] {
        var out: [NodeURL: Int] = [:]
        for url in live {
            var at = url, d = 0
            while let p = parent(of: at), d < 64 { at = p; d += 1 }
            out[url] = d
        }
        return out
    }

    /// Crashes `urls`: unreachable from now on, and gone from every survivor's table.
    func fail(_ urls: some Sequence<NodeURL>) {
        links.withLock { l in
            for u in urls { l.down.insert(u) }
            let alive = l.urls.filter { !l.down.contains($0) }
            l.view = MembershipView(directory: MemberDirectory(alive.map { MemberState(url: $0, version: 1, alive: true) }))
        }
    }

    func setParent(of url: NodeURL, to parent: NodeURL?) { links.withLock { $0.parentOverride[url] = parent } }
    func setDuplicates(_ on: Bool) { links.withLock { $0.duplicateDeliveries = on } }
    func resetCounts() { links.withLock { $0.sent = [:]; $0.received = [:] } }

    /// One period: the clock advances, then every live node ticks once, deepest first (as when
    /// reports cascade) or in the given order.
    func runPeriod(order: [NodeURL]? = nil) async {
        clock.advance(by: settings.period)
        let depth = depths()
        let order = order ?? live.sorted { (depth[$0]!, $1.id) > (depth[$1]!, $0.id) }
        for url in order where !links.withLock({ $0.down.contains(url) }) { await service(url).tick() }
    }

    /// The exact total: every live node's own record merged.
    func expected() async -> Aggregate {
        var out = Aggregate.identity
        for url in live { out.merge(await service(url).local) }
        return out
    }

    /// Periods until the root's global equals the exact total (nil past `limit`).
    func periodsToExactRoot(limit: Int, order: (() -> [NodeURL])? = nil) async -> Int? {
        let want = await expected()
        for p in 1...limit {
            await runPeriod(order: order?())
            if await service(root).global?.aggregate == want { return p }
        }
        return nil
    }

    func deliver(_ payload: [UInt8], from: NodeURL, to: NodeURL) async throws(TransportError) -> [UInt8] {
        let (down, twice) = links.withLock { l in (l.down.contains(to), l.duplicateDeliveries) }
        guard !down else { throw .unreachable("\(to) is down") }
        links.withLock { $0.sent[from, default: 0] += 1; $0.received[to, default: 0] += 1 }
        let target = service(to)
        do {
            if twice { _ = try await target.receive(payload, key: nil) }
            return try await target.receive(payload, key: nil)
        } catch {
            throw .rejected(status: 400, code: "bad_payload", message: "\(error)")
        }
    }
}

/// One node's overlay as the rollup sees it.
struct MeshOverlay: RollupOverlay {
    let url: NodeURL
    let mesh: RollupMesh

    func parent(toward key: RingKey) async -> NodeURL? { mesh.parent(of: url) }

    func send(to node: NodeURL, app: String, payload: [UInt8]) async throws(TransportError) -> [UInt8] {
        guard app == RollupService.application else { throw .rejected(status: 404, code: "no_app", message: app) }
        return try await mesh.deliver(payload, from: url, to: node)
    }
}

/// `n` random single-site aggregates.
func randomLocals(_ n: Int, seed: UInt64) -> [Aggregate] {
    var sites = RandomSites(seed: seed)
    return (0..<n).map { Aggregate(site: sites.contribution(index: $0, maxDocuments: 4)) }
}
