import Overlay
import Web

extension CampusNode {
    /// Makes `overlay` the ring this node reports in `status()` (neighbours, member count,
    /// routing state, items held). Call once, before serving.
    public func attach(overlay: any OverlayMember) {
        self.overlay = overlay
    }

    /// The Moodle site base URL this node serves (bound to its ring identity in ping replies).
    public var siteURL: String { site.url }

    /// The overlay's item store on this node's database (table `overlay_items`, loaded into
    /// memory now). Throws `StoreError`.
    public func openItemStore() async throws -> SQLiteKeyValueStore {
        try await SQLiteKeyValueStore.open(store.database)
    }

    /// `status` with the ring fields filled from the attached overlay (unchanged without one).
    func withOverlay(_ status: NodeStatus) async -> NodeStatus {
        guard let overlay else { return status }
        let summary = await overlay.summary()
        func peer(_ url: NodeURL) -> NodeStatus.Peer { NodeStatus.Peer(url: url.string, id: url.id.hex) }
        var status = status
        status.predecessor = summary.predecessor.map(peer)
        status.successors = summary.successors.map(peer)
        status.members = summary.memberCount
        status.fingers = summary.fingers
        status.routingState = summary.state
        status.itemsHeld = summary.itemsHeld
        metrics.set("coursemesh_peers", Double(summary.memberCount))
        return status
    }
}
