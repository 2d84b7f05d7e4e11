/// One node's membership table (the URL cache): a shared `MemberDirectory` plus this node's
/// differences — base members it lacks (a bitset), state changes of base members, and members
/// the directory does not list.
///
/// Each `MemberState` is applied at most once: `apply` ignores a state that does not supersede
/// what the view already holds, so duplicate or reordered events change nothing. Ring queries
/// (successor, predecessor, replica set, walks) cost O(log N) plus the members skipped.
/// A value type (copy-on-write arrays); not shared between threads while mutated.
public struct MembershipView: Sendable {
    /// The shared base list.
    public let directory: MemberDirectory
    /// Directory indices absent from this view (unknown or no longer alive). nil: none absent.
    private(set) var absent: Bitset?
    /// Latest known state of directory members whose state differs from the directory's.
    private var overrides: [Int32: MemberState] = [:]
    /// Alive members not in the directory, sorted by id.
    private(set) var extras: [NodeURL] = []
    /// States (alive or dead) of members not in the directory.
    private var extraStates: [RingKey: MemberState] = [:]
    /// Number of alive members in the view.
    public private(set) var count: Int
    /// XOR digest of the alive members and their versions; equal tables have equal digests.
    public private(set) var digest: UInt64
    /// Grows by one on every change; callers use it to invalidate caches.
    public private(set) var changeCount: UInt64 = 0

    /// A view holding every member of `directory`.
    public init(directory: MemberDirectory) {
        self.directory = directory
        count = directory.count
        digest = directory.baseDigest
    }

    /// A view of `directory` lacking the members at `missing` indices (stale-table experiments).
    public init(directory: MemberDirectory, missing: some Sequence<Int>) {
        self.init(directory: directory)
        var bits = Bitset(count: directory.count)
        for i in missing where !bits[i] {
            bits[i] = true
            count -= 1
            digest ^= directory.state(at: i).digestMix
        }
        absent = bits
    }

    /// A view of `directory` lacking the members whose bits are set in `absentWords`
    /// (64 members per word, bit i of word w is member 64·w + i).
    public init(directory: MemberDirectory, absentWords: [UInt64]) {
        self.init(directory: directory)
        var bits = Bitset(count: directory.count)
        for (w, word) in absentWords.enumerated() where w < (directory.count + 63) / 64 {
            var rest = word
            while rest != 0 {
                let i = w << 6 + rest.trailingZeroBitCount
                rest &= rest - 1
                guard i < directory.count else { break }
                bits[i] = true
                count -= 1
                digest ^= directory.state(at: i).digestMix
            }
        }
        absent = bits
    }

    /// A view built from a list of states (a joiner's first table).
    public init(states: [MemberState]) {
        self.init(directory: MemberDirectory(states))
    }

    // MARK: - Reading

    /// What this view believes about member `id`, alive or dead; nil when it never heard of it.
    public func state(of id: RingKey) -> MemberState? {
        if let i = directory.index(of: id) {
            if let o = overrides[Int32(i)] { return o }
            if let bits = absent, bits[i] { return nil }
            return directory.state(at: i)
        }
        return extraStates[id]
    }

    /// True when `id` is an alive member of this view.
    public func contains(_ id: RingKey) -> Bool { state(of: id)?.alive == true }

    /// Visits alive members clockwise starting at `key` (included when `inclusive`), each once,
    /// until `body` returns false.
    public func walkClockwise(from key: RingKey, inclusive: Bool = true, _ body: (NodeURL) -> Bool) {
        let base = directory.members
        let n = base.count
        var i = directory.lowerBound(key)
        var j = Self.lowerBound(extras, key)
        if !inclusive {
            if i < n && base[i].id == key { i += 1 }
            if j < extras.count && extras[j].id == key { j += 1 }
        }
        var visited = 0
        var wrapped = false
        while visited < count {
            if let bits = absent { i = bits.nextClear(from: i) }
            let a: NodeURL? = i < n ? base[i] : nil
            let b: NodeURL? = j < extras.count ? extras[j] : nil
            let next: NodeURL
            switch (a, b) {
            case (nil, nil):
                if wrapped { return }
                wrapped = true; i = 0; j = 0
                continue
            case (let x?, nil): next = x; i += 1
            case (nil, let y?): next = y; j += 1
            case (let x?, let y?):
                if x.id < y.id { next = x; i += 1 } else { next = y; j += 1 }
            }
            visited += 1
            if !body(next) { return }
        }
    }

    /// Visits alive members counter-clockwise starting just before `key` (excluded), each once,
    /// until `body` returns false.
    public func walkCounterClockwise(from key: RingKey, _ body: (NodeURL) -> Bool) {
        let base = directory.members
        var i = directory.lowerBound(key) - 1
        var j = Self.lowerBound(extras, key) - 1
        var visited = 0
        var wrapped = false
        while visited < count {
            if let bits = absent { i = bits.previousClear(from: i) }
            let a: NodeURL? = i >= 0 ? base[i] : nil
            let b: NodeURL? = j >= 0 ? extras[j] : nil
            let next: NodeURL
            switch (a, b) {
            case (nil, nil):
                if wrapped { return }
                wrapped = true; i = base.count - 1; j = extras.count - 1
                continue
            case (let x?, nil): next = x; i -= 1
            case (nil, let y?): next = y; j -= 1
            case (let x?, let y?):
                if x.id > y.id { next = x; i -= 1 } else { next = y; j -= 1 }
            }
            visited += 1
            if !body(next) { return }
        }
    }

    /// The first alive member with id >= `key`, wrapping; nil for an empty view.
    public func successor(of key: RingKey) -> NodeURL? {
        var found: NodeURL?
        walkClockwise(from: key) { found = $0; return false }
        return found
    }

    /// The last alive member with id < `key`, wrapping; nil for an empty view.
    public func predecessor(of key: RingKey) -> NodeURL? {
        var found: NodeURL?
        walkCounterClockwise(from: key) { found = $0; return false }
        return found
    }

    /// The owner of `key` followed by its next `count - 1` distinct successors (fewer on a small ring).
    public func successors(of key: RingKey, count wanted: Int) -> [NodeURL] {
        var out: [NodeURL] = []
        walkClockwise(from: key) { out.append($0); return out.count < wanted }
        return out
    }

    /// Up to `count` alive members just before `key`, nearest first.
    public func predecessors(of key: RingKey, count wanted: Int) -> [NodeURL] {
        var out: [NodeURL] = []
        walkCounterClockwise(from: key) { out.append($0); return out.count < wanted }
        return out
    }

    /// Alive members with id > `cursor` (all when nil) in id order, at most `limit`, without wrapping.
    public func page(after cursor: RingKey?, limit: Int) -> [MemberState] {
        var out: [MemberState] = []
        let start = cursor ?? .zero
        walkClockwise(from: start, inclusive: cursor == nil) { url in
            if let c = cursor, url.id <= c { return false }
            if out.last.map({ url.id <= $0.id }) == true { return false }
            out.append(self.state(of: url.id)!)
            return out.count < limit
        }
        return out
    }

    /// Number of directory members this view lacks (unknown or removed).
    public var absentFromDirectory: Int { absent?.setCount ?? 0 }

    // MARK: - Changing

    /// Applies `state` if it supersedes what the view holds (or the member is unknown).
    /// Returns true when the view changed.
    @discardableResult
    public mutating func apply(_ state: MemberState) -> Bool {
        let id = state.id
        if let i = directory.index(of: id) {
            let key = Int32(i)
            let wasAbsent = absent?[i] ?? false
            let current: MemberState? = overrides[key] ?? (wasAbsent ? nil : directory.state(at: i))
            if let c = current, !state.supersedes(c) { return false }
            let wasAlive = !wasAbsent
            if wasAlive { count -= 1; digest ^= (current?.digestMix ?? 0) }
            if state.alive { count += 1; digest ^= state.digestMix }
            if state == directory.state(at: i) { overrides[key] = nil } else { overrides[key] = state }
            if state.alive == wasAbsent {
                if absent == nil { absent = Bitset(count: directory.count) }
                absent![i] = !state.alive
            }
        } else {
            let current = extraStates[id]
            if let c = current, !state.supersedes(c) { return false }
            let wasAlive = current?.alive ?? false
            let j = Self.lowerBound(extras, id)
            if wasAlive {
                count -= 1; digest ^= current!.digestMix
                extras.remove(at: j)
            }
            if state.alive {
                count += 1; digest ^= state.digestMix
                extras.insert(state.url, at: j)
            }
            extraStates[id] = state
        }
        changeCount &+= 1
        return true
    }

    /// Applies each state; returns how many changed the view.
    @discardableResult
    public mutating func apply(_ states: some Sequence<MemberState>) -> Int {
        var n = 0
        for s in states where apply(s) { n += 1 }
        return n
    }

    /// Per-segment digests (2^bits segments by the top bits of the id) for table synchronization.
    public func segmentDigests(bits: Int) -> [UInt64] {
        var out = Array(repeating: UInt64(0), count: 1 << bits)
        walkClockwise(from: .zero) { url in
            out[url.id.segment(bits: bits)] ^= self.state(of: url.id)!.digestMix
            return true
        }
        return out
    }

    private static func lowerBound(_ list: [NodeURL], _ key: RingKey) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if list[mid].id < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
