import MeshCore

/// A Chord-like ring for simulations: node positions are the first 8 bytes of SHA-256 of the
/// node id (a 2⁶⁴ ring), each node's fingers are `successor(n + 2ⁱ)`, and a node's rollup
/// parent is its next hop toward the stats key: the key's owner when the key falls between
/// the node and its successor, else the closest finger preceding the key (Chord, Stoica et
/// al. 2001, §4.3, `closest_preceding_finger`). Depth and fan-in are therefore O(log N).
///
/// With `.identifierSpace` fingers a node's fan-in grows with the ring gap before it, so the
/// largest fan-in is O(log² N). With `.memberRank` fingers (finger i = the member 2ⁱ places
/// further round the ring, which a node with the full member list can compute) the tree is
/// binomial: depth ≤ ⌈log₂ N⌉ and fan-in ≤ ⌈log₂ N⌉.
/// Immutable after construction; safe to share across threads.
public struct ChordRingTopology: RollupTopology, Sendable {
    /// How finger i of a node is placed.
    public enum FingerSpacing: Sendable {
        /// Classic Chord: `successor(n + 2ⁱ)` in identifier space.
        case identifierSpace
        /// The member 2ⁱ positions after the node in ring order.
        case memberRank
    }

    /// How fingers are placed.
    public let spacing: FingerSpacing
    /// Ring positions, ascending.
    public let positions: [UInt64]
    /// The node at each position.
    public let nodes: [RollupNodeID]
    private let index: [RollupNodeID: Int]
    /// The ring position of the key the tree is built for.
    public let key: UInt64

    /// The ring position of a string (first 8 bytes of its SHA-256, big-endian).
    public static func position(_ string: String) -> UInt64 {
        SHA256.digest(string).prefix(8).reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// A ring of `members` (distinct ids) for the key `H(key)`, `"stats"` by default.
    public init(members: [RollupNodeID], key: String = "stats", spacing: FingerSpacing = .identifierSpace) {
        self.spacing = spacing
        let placed = members.map { (ChordRingTopology.position($0), $0) }.sorted { $0.0 < $1.0 }
        positions = placed.map(\.0)
        nodes = placed.map(\.1)
        var index: [RollupNodeID: Int] = [:]
        index.reserveCapacity(nodes.count)
        for (i, id) in nodes.enumerated() { index[id] = i }
        self.index = index
        self.key = ChordRingTopology.position(key)
    }

    /// Index of the first node at or after `point`, wrapping.
    private func successorIndex(_ point: UInt64) -> Int {
        var lo = 0, hi = positions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if positions[mid] < point { lo = mid + 1 } else { hi = mid }
        }
        return lo == positions.count ? 0 : lo
    }

    /// The node that owns the key: the root of the tree.
    public var root: RollupNodeID? { nodes.isEmpty ? nil : nodes[successorIndex(key)] }

    /// The next hop from `node` toward the key (nil for the owner, or a node not on the ring).
    public func parent(of node: RollupNodeID) -> RollupNodeID? {
        guard let i = index[node], nodes.count > 1 else { return nil }
        let n = positions[i]
        let rootIndex = successorIndex(key)
        if i == rootIndex { return nil }
        if spacing == .memberRank {
            // Members between this node and the root, counted round the ring; hop by the
            // largest power of two not past the root.
            let remaining = (rootIndex - i + nodes.count) % nodes.count
            let hop = 1 << (Int.bitWidth - 1 - remaining.leadingZeroBitCount)
            return nodes[(i + hop) % nodes.count]
        }
        let distanceToKey = key &- n  // clockwise distance, > 0 since n is not the owner
        let next = (i + 1) % nodes.count
        if positions[next] &- n >= distanceToKey || next == rootIndex { return nodes[rootIndex] }
        // Closest preceding finger: the largest i with successor(n + 2^i) strictly before the key.
        var bit = 63 - distanceToKey.leadingZeroBitCount
        while bit >= 0 {
            let f = successorIndex(n &+ (UInt64(1) << UInt64(bit)))
            let d = positions[f] &- n
            if f != i && d > 0 && d < distanceToKey { return nodes[f] }
            bit -= 1
        }
        return nodes[next]
    }
}
