import MeshCore
import Overlay
import Rollup
import Web

/// The statistics rollup inside a campus node: once the node is in an overlay, its global
/// statistics and history come from the `RollupService` (application `"stats"`) instead of
/// from its own site alone, and `/node` shows its parent and children in the tree.
extension CampusNode {
    /// Starts the rollup on `overlay`: registers the service as application `"stats"`, feeds it
    /// this site's aggregate (and every later change), and ticks it every `settings.period`
    /// until `close()`. Call once, after the overlay node joined or started alone.
    @discardableResult
    public func startRollup(on overlay: OverlayNode, settings: RollupSettings = RollupSettings()) async -> RollupService {
        let service = RollupService(overlay: overlay, clock: clock, epoch: UInt64(max(0, started.milliseconds)),
                                    local: aggregate, settings: settings, history: store.stats)
        await overlay.register(app: RollupService.application, service)
        attachRollup(service)
        return service
    }

    /// Uses `service` for the global statistics from now on and runs its period loop.
    /// For callers (and tests) that build the service over their own `RollupOverlay`.
    public func attachRollup(_ service: RollupService) {
        rollupTask?.cancel()
        rollup = service
        rollupTask = Task { await service.run() }
    }

    /// The rollup service, once started.
    public var rollupService: RollupService? { rollup }

    /// The index-wide document count and field-length sums for ranking (N and avgdl): from
    /// the newest global aggregate when in an overlay and one has arrived that counts at least
    /// this site's own documents, else this site's own figures.
    public func indexTotals() async -> IndexTotals {
        let own = IndexTotals(GlobalAggregate(aggregate: aggregate, asOf: aggregateAsOf, root: nodeURL.id.hex))
        // A global that counts fewer documents than this site holds predates this site's own
        // changes (the rollup catches up within depth + 1 periods): ranking on it would skew
        // every score, so the site's own figures stand in until it has caught up.
        if let rollup, let totals = await rollup.indexTotals, totals.documents >= own.documents { return totals }
        return own
    }

    /// The global statistics as the rollup holds them; `as_of` null before the first global arrived.
    func rollupGlobalStats(_ rollup: RollupService) async -> GlobalStatsReply {
        guard let global = await rollup.global else {
            return GlobalStatsReply(asOf: nil, sitesContributing: 0, aggregate: .identity)
        }
        return GlobalStatsReply(asOf: global.asOf.milliseconds, sitesContributing: global.contributingSites,
                                aggregate: global.aggregate)
    }

    /// Fills the tree fields of `status` from the rollup, when running.
    func addRollupTree(to status: inout NodeStatus) async {
        guard let rollup else { return }
        let tree = await rollup.treeStatus
        status.treeParent = tree.parent.map { NodeStatus.Peer(url: $0.string, id: $0.id.hex) }
        status.treeChildren = tree.children.map { NodeStatus.Peer(url: $0.string, id: $0.id.hex) }
    }

    /// Stops the rollup's period loop (from `close()`).
    func stopRollup() {
        rollupTask?.cancel()
        rollupTask = nil
    }
}
