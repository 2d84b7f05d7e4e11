import Overlay

/// The rollup tree exactly as live nodes build it: every member holds the full membership
/// table and a node's parent is the overlay's own next hop toward `RingKey.stats`
/// (`MembershipView.nextHop`, member-rank fingers), so depth and fan-in are those of the real
/// routing code. Node ids are the overlay ids in lower-case hex (`nodeID(of:)`).
/// Immutable after construction; safe to share across threads.
public struct OverlayTreeTopology: RollupTopology, Sendable {
    /// The shared table every member is assumed to hold.
    public let view: MembershipView
    private let byID: [RollupNodeID: NodeURL]

    /// The rollup id of an overlay member: its ring id in lower-case hex.
    public static func nodeID(of url: NodeURL) -> RollupNodeID { url.id.hex }

    /// A tree over `members` (all alive, full tables).
    public init(members: [NodeURL]) {
        view = MembershipView(directory: MemberDirectory(members.map { MemberState(url: $0, version: 1, alive: true) }))
        var byID: [RollupNodeID: NodeURL] = [:]
        byID.reserveCapacity(members.count)
        for url in members { byID[Self.nodeID(of: url)] = url }
        self.byID = byID
    }

    /// The overlay's next hop from `node` toward the stats key; nil at the key's owner (the
    /// root) or for a node not in the tree.
    public func parent(of node: RollupNodeID) -> RollupNodeID? {
        guard let url = byID[node] else { return nil }
        return view.nextHop(from: url.id, toward: .stats).map { Self.nodeID(of: $0) }
    }
}
