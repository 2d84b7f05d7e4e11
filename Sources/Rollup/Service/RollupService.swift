import MeshCore
import MeshStore
import Overlay

/// The statistics rollup between live nodes, registered on the overlay node as application
/// `"stats"`.
///
/// Each period (`tick`) the node sends its parent, the next hop toward `RingKey.stats`, one
/// message with its subtree aggregate (its own site plus the latest snapshot of each child,
/// replace-not-add, children expired after `expiryPeriods` silent periods); the parent's reply
/// carries the newest global aggregate it holds, so the worldwide result flows down the tree.
/// At the root the global is its own subtree aggregate. A node whose parent changed also sends
/// its previous parent one withdrawal. The newest global is kept as today's snapshot in the
/// store (scope `.global`) for the history charts.
///
/// An actor: reports, ticks and reads are serialized. Sends go through the overlay's timeouts;
/// a failed send is counted and repaired by the next period's report. Never blocks the pool
/// (the store runs on its own threads).
public actor RollupService: OverlayApplication {
    /// The overlay application name the rollup registers under.
    public static let application = "stats"

    private let overlay: any RollupOverlay
    private let clock: any MeshCore.Clock
    private let history: StatsSnapshotStore?
    private var state: RollupNode
    private var parentURL: NodeURL?
    private var childURLs: [RollupNodeID: NodeURL] = [:]
    private var periods = 0
    private var failedSends = 0
    private var failedSnapshotWrites = 0
    private var saved: (day: CalendarDay, aggregate: Aggregate)?

    /// A service for the node behind `overlay`, contributing `local` (its own site).
    /// - Parameters:
    ///   - epoch: grows across restarts of this node (its start time in ms will do), so a
    ///     parent never mistakes a restarted child's reports for old ones.
    ///   - history: where daily global snapshots go; nil keeps none.
    public init(overlay: any RollupOverlay, clock: any MeshCore.Clock, epoch: UInt64, local: Aggregate = .identity,
                settings: RollupSettings = RollupSettings(), history: StatsSnapshotStore? = nil) {
        self.overlay = overlay
        self.clock = clock
        self.history = history
        state = RollupNode(id: Self.nodeID(of: overlay.url), epoch: epoch, local: local, settings: settings)
    }

    /// The rollup id of a node: its ring id in lower-case hex.
    public static func nodeID(of url: NodeURL) -> RollupNodeID { url.id.hex }

    /// The period and expiry in use.
    public var settings: RollupSettings { state.settings }

    /// Replaces this node's own contribution; it reaches the root within depth + 1 periods.
    public func setLocal(_ aggregate: Aggregate) { state.setLocal(aggregate) }

    /// This node's own contribution.
    public var local: Aggregate { state.local }

    /// The newest global aggregate this node holds (computed here at the root, else heard
    /// from the parent); nil before the first one arrived.
    public var global: GlobalAggregate? { state.global }

    /// The index-wide document count and field-length sums for ranking, from `global`.
    public var indexTotals: IndexTotals? { state.global.map(IndexTotals.init) }

    /// This node's own site plus its live children's latest snapshots.
    public var subtreeAggregate: Aggregate { state.subtreeAggregate }

    /// Parent, children and counters, for `/node`.
    public var treeStatus: RollupTreeStatus {
        RollupTreeStatus(parent: parentURL, children: state.children.liveChildren.compactMap { childURLs[$0] },
                         subtreeSites: state.subtreeAggregate.totals.sites, global: state.global,
                         periods: periods, failedSends: failedSends)
    }

    /// One period: expire silent children, report the subtree upward (the reply's global is
    /// kept) or, at the root, compute the global; then keep today's snapshot. Returns after the
    /// sends finished or failed (each bounded by the overlay's request timeout).
    public func tick() async {
        let parent = await overlay.parent(toward: .stats)
        let previous = parentURL
        let actions = state.tick(now: clock.now(), parent: parent.map(Self.nodeID(of:)))
        parentURL = parent
        periods += 1
        for case .report(let to, let report) in actions {
            // The state machine names the new parent or the previous one (for a withdrawal).
            guard let url = [parent, previous].compactMap({ $0 }).first(where: { Self.nodeID(of: $0) == to }) else { continue }
            await deliver(report, to: url)
        }
        await keepSnapshot()
    }

    /// Ticks every `settings.period` until the task is cancelled.
    public func run() async {
        let period = state.settings.period
        while !Task.isCancelled {
            await tick()
            do { try await clock.sleep(for: period) } catch { return }
        }
    }

    /// The parent's side: applies a child's report and answers with the newest global held.
    /// Throws `JSONDecodingError` (HTTP 400) for a malformed payload.
    public func receive(_ payload: [UInt8], key: RingKey?) async throws -> [UInt8] {
        let message = try JSONCoding.decode(RollupUpMessage.self, from: payload)
        if state.receive(message.report, now: clock.now()) == .accepted {
            if message.report.aggregate == nil {
                childURLs[message.report.sender] = nil
            } else if let url = try? NodeURL(message.from), Self.nodeID(of: url) == message.report.sender {
                childURLs[message.report.sender] = url
            }
        }
        return try JSONCoding.encode(RollupDownMessage(global: state.global))
    }

    /// Daily global snapshots from `from` through `to`, oldest first (empty without a store).
    public func history(from: CalendarDay, through to: CalendarDay) async throws -> [StatsSnapshot] {
        guard let history else { return [] }
        return try await history.range(scope: .global, from: from, through: to).map { try $0.decode(StatsSnapshot.self) }
    }

    private func deliver(_ report: RollupReport, to url: NodeURL) async {
        do {
            let payload = try JSONCoding.encode(RollupUpMessage(from: overlay.url.string, report: report))
            let reply = try await overlay.send(to: url, app: Self.application, payload: payload)
            // Only the current parent's view of the world flows down; a withdrawal's reply is ignored.
            guard report.aggregate != nil else { return }
            if let global = try JSONCoding.decode(RollupDownMessage.self, from: reply).global { state.receive(global) }
        } catch {
            failedSends += 1
        }
    }

    /// Keeps the newest global as its day's snapshot, writing only when the day or the figures
    /// changed (not every period), so a quiet federation costs no writes.
    private func keepSnapshot() async {
        guard let history, let global = state.global else { return }
        let snapshot = StatsSnapshot(global)
        if let saved, saved.day == snapshot.day, saved.aggregate == global.aggregate { return }
        do {
            try await history.put(snapshot, scope: .global, day: snapshot.day, at: clock.now())
            saved = (snapshot.day, global.aggregate)
        } catch {
            failedSnapshotWrites += 1  // the next period tries again
        }
    }
}
