/// Rank arithmetic on a membership view: "the member k places clockwise after this one",
/// computed without visiting the k members in between.
///
/// A full view (no absences, no extra members) answers by index arithmetic on the shared
/// directory in O(log N). Otherwise alive directory members are counted with popcounts over the
/// absence bitset, 64 at a time, and the few members outside the directory are merged in, so
/// the cost is O(N / 64 + E log N) for E extra members however many offsets are asked for.
extension MembershipView {
    /// The alive members `offsets[m]` places clockwise after `node` (1 = its successor; `node`
    /// itself is never counted), for strictly ascending offsets in `1...others`, where `others`
    /// is the number of alive members other than `node`. Offsets outside that range are dropped.
    public func members(after node: RingKey, atOffsets offsets: [Int]) -> [NodeURL] {
        let others = count - (contains(node) ? 1 : 0)
        let wanted = offsets.filter { $0 >= 1 && $0 <= others }
        guard !wanted.isEmpty else { return [] }
        let base = directory.members
        let n = base.count
        var i = directory.lowerBound(node)
        if i < n && base[i].id == node { i += 1 }
        if absent == nil && extras.isEmpty {
            // Every directory member is alive: ranks are indices.
            return wanted.map { base[(i + $0 - 1) % n] }
        }
        var j = Self.firstIndex(in: extras, notBelow: node)
        if j < extras.count && extras[j].id == node { j += 1 }
        var out: [NodeURL] = []
        out.reserveCapacity(wanted.count)
        var previous = 1
        for offset in wanted {
            out.append(step(&i, &j, by: offset - previous))
            previous = offset
        }
        return out
    }

    /// Moves the cursor (directory index `i`, extras index `j`) onto the member `k` places after
    /// the first alive member at or after the cursor, wrapping, and returns it. Requires a
    /// non-empty view; `k` below the alive count, so the loop wraps at most once.
    private func step(_ i: inout Int, _ j: inout Int, by k: Int) -> NodeURL {
        let base = directory.members
        var k = k
        var wraps = 0
        while true {
            let boundary = j < extras.count ? directory.lowerBound(extras[j].id) : base.count
            let alive = aliveDirectoryMembers(in: i..<max(i, boundary))
            if k < alive {
                i = nthAliveDirectoryMember(from: i, k)
                return base[i]
            }
            k -= alive
            i = max(i, boundary)
            if j < extras.count {
                if k == 0 { return extras[j] }
                k -= 1
                j += 1
            } else {
                wraps += 1
                precondition(wraps <= 2, "rank step past the whole ring")
                i = 0
                j = 0
            }
        }
    }

    /// Alive directory members with index in `range`.
    private func aliveDirectoryMembers(in range: Range<Int>) -> Int {
        guard let absent else { return range.count }
        return range.count - absent.setCount(in: range)
    }

    /// The index of the alive directory member `k` places after the first one at or after `i`.
    private func nthAliveDirectoryMember(from i: Int, _ k: Int) -> Int {
        guard let absent else { return i + k }
        return absent.nthClear(from: i, k)
    }

    private static func firstIndex(in list: [NodeURL], notBelow key: RingKey) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if list[mid].id < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension Bitset {
    /// Set bits with index in `range` (within `0..<count`), counted a word at a time.
    func setCount(in range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        let lo = range.lowerBound, hi = range.upperBound
        let firstWord = lo >> 6, lastWord = (hi - 1) >> 6
        var total = 0
        for w in firstWord...lastWord {
            var word = words[w]
            if w == firstWord { word &= ~0 << UInt64(lo & 63) }
            if w == lastWord && hi & 63 != 0 { word &= ~(~0 << UInt64(hi & 63)) }
            total += word.nonzeroBitCount
        }
        return total
    }

    /// The index of the `k`-th clear bit (0 = the first) at or after `i`; requires that many
    /// clear bits before `count`.
    func nthClear(from i: Int, _ k: Int) -> Int {
        var k = k
        var w = i >> 6
        var clear = ~words[w] & (~0 << UInt64(i & 63))
        while clear.nonzeroBitCount <= k {
            k -= clear.nonzeroBitCount
            w += 1
            clear = ~words[w]
        }
        for _ in 0..<k { clear &= clear - 1 }
        return w << 6 + clear.trailingZeroBitCount
    }
}
