import Overlay

extension OverlayNode: OverlayMember {
    public nonisolated var memberURL: NodeURL { url }

    public func summary() async -> OverlaySummary {
        let status = status()
        // The next R-1 members clockwise: the nodes that replicate this node's own keys.
        let successors = replicaSet(of: url.id).filter { $0 != url }
        return OverlaySummary(state: status.state.rawValue, predecessor: status.predecessor,
                              successors: successors.isEmpty ? status.successor.map { [$0] } ?? [] : successors,
                              memberCount: status.memberCount, fingers: Set(status.fingers).count, itemsHeld: status.itemsHeld)
    }
}
