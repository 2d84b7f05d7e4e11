import MeshCore
import Synchronization

/// One member of the overlay: its membership table, failure detector, join admission, stored
/// items and registered applications, driven by requests (`handle`) and periods (`tick`).
///
/// Transport- and clock-agnostic: the same code runs over HTTP between real nodes and over
/// `MemoryNetwork` in tests and the simulator. An actor: every method is safe to call from any
/// task; a method that talks to other nodes suspends (never blocks a thread), and each remote
/// wait is bounded by `OverlayConfiguration.requestTimeout` in the transport.
public actor OverlayNode {
    /// The node's normalized base URL; `url.id` is its ring id.
    public nonisolated let url: NodeURL
    /// Where this node keeps the items it owns or replicates.
    public nonisolated let store: any KeyValueStore
    /// The settings this node was made with.
    public nonisolated let configuration: OverlayConfiguration
    let site: String?
    nonisolated let transport: any Transport
    let clock: any Clock

    enum Phase { case idle, joining, member, leaving, left }

    var me: MemberState
    var view: MembershipView
    var phase: Phase = .idle {
        didSet { let open = phase == .member || phase == .leaving; answering.withLock { $0.open = open } }
    }
    var apps: [String: any OverlayApplication] = [:] {
        didSet { let apps = apps; answering.withLock { $0.apps = apps } }
    }
    /// What `handleImmediately` reads without entering the actor: whether this node answers
    /// requests (member or leaving) and its applications, kept equal to `phase` and `apps`.
    nonisolated let answering = Mutex<(open: Bool, apps: [String: any OverlayApplication])>((false, [:]))
    var detector: FailureDetector
    var admission = JoinAdmission()
    /// Events still to piggyback, oldest first, with the transmissions left.
    var gossip: [(state: MemberState, left: Int)] = []
    /// Ids queued in `gossip`.
    var gossipIDs: Set<RingKey> = []
    /// Events waiting to go down the dissemination tree at the next tick, per child.
    var outbox: [(child: NodeURL, limit: RingKey, events: [MemberState])] = []
    /// Pings in a row that showed each neighbour's table digest differing from ours.
    var tableMismatch: [RingKey: Int] = [:]
    /// Members recently declared dead, pinged now and then so a healed partition reunites.
    var recentlyDead: [(state: MemberState, attempts: Int)] = []
    /// Ids listed in `recentlyDead`.
    var deadIDs: Set<RingKey> = []
    var periods: UInt64 = 0
    /// What anti-entropy last synchronized: the owned range, its holders, the store's change count.
    var lastSync: (range: KeyRange, holders: [NodeURL], changes: UInt64, period: UInt64)?
    /// The store's change count at the previous maintenance period, and since when it has been
    /// changing without a quiet period (anti-entropy waits for quiet; see `maintainReplicas`).
    var storeChanges: (count: UInt64, changingSince: UInt64?) = (0, nil)
    /// The held range seen at the previous tick; items outside it are dropped once it is stable.
    var lastHeld: KeyRange?
    /// The period since which the held range has not changed.
    var heldSince: UInt64 = 0
    /// The held range and store change count of the last drop.
    var lastDrop: (range: KeyRange, changes: UInt64)?

    /// A node that is not yet a member; call `startAlone()` or `join(via:)` next.
    /// - Parameters:
    ///   - incarnation: grows on every restart (e.g. the start time in ms), so a rejoin supersedes
    ///     the old departure everywhere.
    ///   - site: the Moodle site base URL this node serves, sent in ping replies.
    public init(url: NodeURL, site: String?, incarnation: UInt64, transport: any Transport,
                clock: any Clock, store: any KeyValueStore, configuration: OverlayConfiguration = .init()) {
        self.url = url
        self.site = site
        self.store = store
        self.transport = transport
        self.clock = clock
        self.configuration = configuration
        me = MemberState(url: url, version: incarnation, alive: true)
        view = MembershipView(states: [])
        detector = FailureDetector(suspectAfterMisses: configuration.suspectAfterMisses)
    }

    /// Registers `app` under `name` (replacing an earlier one): messages routed or sent to
    /// `name` on this node arrive in its `receive`.
    public func register(app name: String, _ app: any OverlayApplication) { apps[name] = app }

    /// Makes this node the first member of a new ring. Idempotent for a member.
    public func startAlone() {
        guard phase == .idle || phase == .left else { return }
        if phase == .left { me.version += 1; me.alive = true }
        view = MembershipView(states: [me])
        phase = .member
    }

    // MARK: - Reading the table

    /// Alive members in this node's table, itself included.
    public var memberCount: Int { view.count }

    /// Alive members of this node's table, in id order.
    public var members: [MemberState] { view.page(after: nil, limit: Int.max) }

    /// The holders of `key` by this node's table: owner first, `replicas` entries when N >= R.
    public func replicaSet(of key: RingKey) -> [NodeURL] { view.replicaSet(of: key, replicas: configuration.replicas) }

    /// `replicaSet(of:)` of each of `keys`, in order, from the same table.
    public func replicaSets(of keys: [RingKey]) -> [[NodeURL]] { keys.map(replicaSet) }

    /// The next hop from this node toward `key`'s owner (its parent in the tree rooted there);
    /// nil when this node owns `key` or knows no other member.
    public func parent(toward key: RingKey) -> NodeURL? { view.nextHop(from: url.id, toward: key) }

    /// Members whose next hop toward `key` is this node, by this node's table (best effort: the
    /// children's own tables decide). Only members that have this node as a finger can qualify,
    /// so the search looks at the members just before `id - 2^i` for each i.
    public func children(toward key: RingKey) -> [NodeURL] {
        guard view.count > 1, view.contains(url.id) else { return [] }
        // Fingers are by member rank: only the members 2^i places before this node have it as
        // a finger, so only they can have it as their next hop.
        let others = view.count - 1
        var offsets: [Int] = []
        var power = 1
        while power <= others {
            offsets.append(others + 1 - power)
            power <<= 1
        }
        let candidates = view.members(after: url.id, atOffsets: offsets.sorted())
        return candidates.filter { view.nextHop(from: $0.id, toward: key)?.id == url.id }.sorted { $0.id < $1.id }
    }

    /// A snapshot of this node's state.
    public func status() -> OverlayStatus {
        let state: OverlayStatus.State = switch phase {
        case .idle: .idle
        case .joining: .joining
        case .member: view.count <= 1 ? .alone : .member
        case .leaving: .leaving
        case .left: .left
        }
        let succ = view.successor(of: url.id.adding(powerOfTwo: 0))
        let pred = view.predecessor(of: url.id)
        return OverlayStatus(id: url.id, url: url, state: state, incarnation: me.version,
                             predecessor: pred?.id == url.id ? nil : pred, successor: succ?.id == url.id ? nil : succ,
                             memberCount: view.count, fingers: view.fingers(of: url.id), itemsHeld: store.count,
                             tableDigest: String(view.digest, radix: 16), periods: periods)
    }

    // MARK: - Items

    /// Stores `items` in this node's store only (no replication); returns those actually
    /// stored (newer than what was held). Throws the store's `ServiceError`.
    public func storeLocal(_ items: [StoredItem]) async throws -> [StoredItem] {
        try await store.put(items)
    }

    /// One ping to `url`; its reply, or nil when it failed or timed out. Applies nothing from
    /// the reply (the join callback uses it to check a claimed identity).
    public func probe(_ url: NodeURL) async -> PingReply? {
        let request = PingRequest(from: phase == .member ? me : nil, table: tableSummary)
        guard case .pong(let reply)? = try? await transport.send(.ping(request), to: url, timeout: configuration.requestTimeout)
        else { return nil }
        return reply
    }

    /// Replaces the table and makes this node a member (tests and the simulator's stale tables).
    func forceView(_ states: [MemberState]) {
        view = MembershipView(states: states + [me])
        phase = .member
    }

    /// Replaces the table with `view` and makes this node a member (the simulator shares directories).
    func forceView(_ view: MembershipView) {
        self.view = view
        self.view.apply(me)
        phase = .member
    }

    func heldRangeForTesting() -> KeyRange { view.heldRange(of: url.id, replicas: configuration.replicas) }

    var tableSummary: TableSummary { TableSummary(count: view.count, digest: view.digest) }

    func request(_ request: OverlayRequest, to node: NodeURL) async throws(TransportError) -> OverlayReply {
        try await transport.send(request, to: node, timeout: configuration.requestTimeout)
    }
}
