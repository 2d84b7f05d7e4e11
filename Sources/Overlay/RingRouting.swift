/// Ownership, replica sets, member-rank fingers and next hops, all derived from a node's
/// membership table. Pure functions of the view; O(log N) each plus the members walked.
extension MembershipView {
    /// The member that owns `key`: its successor (first id >= key, wrapping).
    public func owner(of key: RingKey) -> NodeURL? { successor(of: key) }

    /// The `replicas` members that hold `key`: the owner and its next `replicas - 1` successors.
    public func replicaSet(of key: RingKey, replicas: Int) -> [NodeURL] { successors(of: key, count: replicas) }

    /// True when `node` owns `key` by this view: `key` lies in `(predecessor(node), node]`.
    public func isOwner(_ node: RingKey, of key: RingKey) -> Bool {
        guard let pred = predecessor(of: node) else { return true }
        if pred.id == node { return true }
        return key.isIn(after: pred.id, upTo: node)
    }

    /// The key range `node` owns: `(predecessor, node]`; the whole ring `(node, node]` when alone.
    public func ownedRange(of node: RingKey) -> KeyRange {
        KeyRange(after: predecessor(of: node)?.id ?? node, upTo: node)
    }

    /// The range of keys `node` holds as owner or replica: `(R-th predecessor, node]`.
    public func heldRange(of node: RingKey, replicas: Int) -> KeyRange {
        let preds = predecessors(of: node, count: replicas).filter { $0.id != node }
        guard preds.count >= replicas else { return KeyRange(after: node, upTo: node) }
        return KeyRange(after: preds[replicas - 1].id, upTo: node)
    }

    /// Member-rank fingers of `node`: finger i is the alive member 2^i places clockwise after
    /// `node` (finger 0 its successor), for every 2^i up to the number of other members; in
    /// clockwise order, distinct, never `node` itself, ⌊log2(N-1)⌋ + 1 of them.
    ///
    /// Unlike classic Chord fingers (`successor(node + 2^i)` in identifier space, whose in-degree
    /// grows with the gap before a node, O(log² N) at the worst node) these make every node the
    /// finger of exactly one member per level, so the routing tree toward any key (the rollup
    /// tree) has fan-in ≤ ⌈log2 N⌉ and depth ≤ ⌈log2 N⌉ on a correct table. Cost: O(log N)
    /// on a full view, O(N / 64) when the view lacks directory members (see `members(after:atOffsets:)`).
    public func fingers(of node: RingKey) -> [NodeURL] {
        let others = count - (contains(node) ? 1 : 0)
        guard others > 0 else { return [] }
        var offsets: [Int] = []
        var offset = 1
        while offset <= others {
            offsets.append(offset)
            offset <<= 1
        }
        return members(after: node, atOffsets: offsets)
    }

    /// The next hop from `node` toward the owner of `key` through its fingers (Chord's
    /// closest preceding finger, Stoica et al. 2001, Fig. 4); nil when `node` owns `key`.
    /// Each hop at least halves the number of members left before the owner, so following next
    /// hops from any node reaches the owner in at most ⌈log2 N⌉ steps on a correct table;
    /// the rollup tree for `RingKey.stats` is exactly the graph of these hops.
    public func nextHop(from node: RingKey, toward key: RingKey) -> NodeURL? {
        if isOwner(node, of: key) { return nil }
        guard let succ = successor(of: node.adding(powerOfTwo: 0)), succ.id != node else { return nil }
        if key.isIn(after: node, upTo: succ.id) { return succ }
        for f in fingers(of: node).reversed() where f.id.isStrictlyBetween(node, key) {
            return f
        }
        return succ
    }

    /// Children of `node` in the broadcast tree over `(node, limit)` (El-Ansary et al. 2003):
    /// each finger inside the interval, paired with the exclusive end of the sub-interval it covers.
    /// With correct tables every member of the interval is reached exactly once, depth O(log N).
    public func disseminationChildren(of node: RingKey, limit: RingKey) -> [(child: NodeURL, limit: RingKey)] {
        let inside = fingers(of: node).filter { $0.id.isStrictlyBetween(node, limit) }
        var out: [(child: NodeURL, limit: RingKey)] = []
        for (i, f) in inside.enumerated() {
            out.append((f, i + 1 < inside.count ? inside[i + 1].id : limit))
        }
        return out
    }
}

/// A half-open ring interval `(after, upTo]`; `after == upTo` means the whole ring.
public struct KeyRange: Hashable, Sendable, Codable {
    public var after: RingKey
    public var upTo: RingKey

    public init(after: RingKey, upTo: RingKey) {
        self.after = after
        self.upTo = upTo
    }

    /// True when `key` lies in the range.
    public func contains(_ key: RingKey) -> Bool { key.isIn(after: after, upTo: upTo) }

    enum CodingKeys: String, CodingKey { case after, upTo = "up_to" }
}
