/// Failure detection between ring neighbours, as a pure state machine (DESIGN.md, "Routing"):
/// each period a node pings its successor and predecessor; a peer that misses
/// `suspectAfterMisses` pings in a row is suspected; a suspicion is confirmed only when a second
/// node also fails to reach the peer; then the peer is removed and announced. Not thread-safe.
public struct FailureDetector: Sendable {
    /// What the node must do.
    public enum Action: Equatable, Sendable {
        /// Send a liveness ping to this member.
        case ping(NodeURL)
        /// Ask `helper` to ping `suspect` and report (the second opinion).
        case askToConfirm(suspect: NodeURL, helper: NodeURL)
        /// Confirmed: remove this member (dead at its version) and announce it.
        case declareFailed(MemberState)
    }

    /// Missed pings in a row before suspecting (default 3).
    public let suspectAfterMisses: Int
    private var misses: [RingKey: Int] = [:]
    private var suspected: Set<RingKey> = []

    public init(suspectAfterMisses: Int = 3) { self.suspectAfterMisses = suspectAfterMisses }

    /// True while `id` is suspected and not yet confirmed or cleared.
    public func isSuspected(_ id: RingKey) -> Bool { suspected.contains(id) }

    /// A new period: ping the successor and predecessor of `me` in `view`.
    public mutating func tick(view: MembershipView, me: RingKey) -> [Action] {
        var out: [Action] = []
        for peer in [view.successor(of: me.adding(powerOfTwo: 0)), view.predecessor(of: me)].compactMap({ $0 })
            where peer.id != me && !out.contains(.ping(peer)) {
            out.append(.ping(peer))
        }
        // Forget peers that are no longer neighbours.
        let neighbours = Set(out.compactMap { if case .ping(let u) = $0 { u.id } else { nil } })
        misses = misses.filter { neighbours.contains($0.key) || suspected.contains($0.key) }
        return out
    }

    /// The ping to `peer` was answered (`true`) or not.
    public mutating func pingResult(_ peer: NodeURL, answered: Bool, view: MembershipView, me: RingKey) -> [Action] {
        if answered {
            misses[peer.id] = 0
            suspected.remove(peer.id)
            return []
        }
        let n = (misses[peer.id] ?? 0) + 1
        misses[peer.id] = n
        guard n >= suspectAfterMisses, !suspected.contains(peer.id) else { return [] }
        suspected.insert(peer.id)
        // The second opinion comes from the suspect's other neighbour when there is one.
        let candidates = view.successors(of: peer.id.adding(powerOfTwo: 0), count: 3) + view.predecessors(of: peer.id, count: 3)
        guard let helper = candidates.first(where: { $0.id != me && $0.id != peer.id }) else {
            suspected.remove(peer.id)
            misses[peer.id] = 0
            return view.state(of: peer.id).map { [.declareFailed(MemberState(url: $0.url, version: $0.version, alive: false))] } ?? []
        }
        return [.askToConfirm(suspect: peer, helper: helper)]
    }

    /// The helper reported on `suspect`: `reachable` false confirms the failure.
    public mutating func confirmation(_ suspect: NodeURL, reachable: Bool, view: MembershipView) -> [Action] {
        guard suspected.remove(suspect.id) != nil else { return [] }
        misses[suspect.id] = 0
        guard !reachable, let state = view.state(of: suspect.id), state.alive else { return [] }
        return [.declareFailed(MemberState(url: state.url, version: state.version, alive: false))]
    }
}
