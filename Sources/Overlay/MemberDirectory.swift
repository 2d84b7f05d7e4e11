/// What one node believes about one member: its URL, its incarnation (`version`) and whether it
/// is alive. A newer belief wins: `(version, dead)` ordered lexicographically, so a removal of an
/// incarnation beats that incarnation's join and a rejoin (higher version) beats both.
public struct MemberState: Hashable, Sendable, Codable {
    public var url: NodeURL
    /// Incarnation number chosen by the member when it joins (its join time in ms); only grows.
    public var version: UInt64
    public var alive: Bool

    public init(url: NodeURL, version: UInt64, alive: Bool) {
        self.url = url
        self.version = version
        self.alive = alive
    }

    /// The member's ring id.
    public var id: RingKey { url.id }

    /// True when this belief should replace `other` about the same member.
    public func supersedes(_ other: MemberState) -> Bool {
        if version != other.version { return version > other.version }
        return !alive && other.alive
    }

    /// This belief's contribution to a table digest.
    var digestMix: UInt64 { alive ? Self.mix(id.mix64 ^ version) : 0 }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    enum CodingKeys: String, CodingKey { case url, version, alive }
}

/// An immutable, sorted list of members that many `MembershipView`s share.
///
/// A node's table is this directory plus a compact per-node difference, so 100,000 simulated
/// nodes share one array instead of holding 100,000 copies. Immutable after init; thread-safe.
public final class MemberDirectory: Sendable {
    /// Members sorted by id (no duplicates).
    public let members: [NodeURL]
    /// Each member's incarnation, parallel to `members`.
    public let versions: [UInt64]
    /// XOR of every member's digest contribution (all alive).
    let baseDigest: UInt64

    /// Builds a directory of the alive members of `states`; for duplicates of one id, the newest wins.
    public init(_ states: [MemberState]) {
        var byID: [RingKey: MemberState] = [:]
        for s in states where s.alive {
            if let old = byID[s.id], !s.supersedes(old) { continue }
            byID[s.id] = s
        }
        let sorted = byID.values.sorted { $0.id < $1.id }
        members = sorted.map(\.url)
        versions = sorted.map(\.version)
        baseDigest = sorted.reduce(0) { $0 ^ $1.digestMix }
    }

    /// An empty directory.
    public static let empty = MemberDirectory([])

    public var count: Int { members.count }

    /// The first index whose id is >= `key` (`count` when none).
    public func lowerBound(_ key: RingKey) -> Int {
        var lo = 0, hi = members.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if members[mid].id < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The index of the member with `id`, if listed.
    public func index(of id: RingKey) -> Int? {
        let i = lowerBound(id)
        return i < members.count && members[i].id == id ? i : nil
    }

    func state(at i: Int) -> MemberState { MemberState(url: members[i], version: versions[i], alive: true) }
}

/// A fixed-size set of small integers, used for "members of the directory this view lacks".
struct Bitset: Sendable, Equatable {
    private(set) var words: [UInt64]
    let count: Int

    init(count: Int) {
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    /// The first index >= `i` whose bit is clear, or `count`.
    func nextClear(from i: Int) -> Int {
        var w = i >> 6
        guard w < words.count else { return count }
        var bits = ~words[w] & (~0 << UInt64(i & 63))
        while bits == 0 {
            w += 1
            if w >= words.count { return count }
            bits = ~words[w]
        }
        return min(count, w << 6 + bits.trailingZeroBitCount)
    }

    /// The last index <= `i` whose bit is clear, or -1.
    func previousClear(from i: Int) -> Int {
        guard i >= 0 else { return -1 }
        var w = i >> 6
        let shift = UInt64(63 - (i & 63))
        var bits = ~words[w] & (~0 >> shift)
        while bits == 0 {
            w -= 1
            if w < 0 { return -1 }
            bits = ~words[w]
        }
        return w << 6 + 63 - bits.leadingZeroBitCount
    }

    /// Number of set bits.
    var setCount: Int {
        var n = 0
        for (wi, w) in words.enumerated() {
            // The last word may hold bits past `count`; they are never set by this type.
            _ = wi
            n += w.nonzeroBitCount
        }
        return n
    }
}
