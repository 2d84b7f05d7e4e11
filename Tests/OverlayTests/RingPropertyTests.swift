import Testing
@testable import Overlay

/// Property checks of the view's ring queries against brute force over many seeded random rings.
@Suite struct RingPropertyTests {
    static func ring(_ n: Int, seed: UInt64) -> [NodeURL] {
        (0..<n).map { try! NodeURL("https://site\($0)-\(seed).example.edu/mesh") }
    }

    static func bruteSuccessor(_ ids: [RingKey], _ key: RingKey) -> RingKey {
        ids.min { key.distance(to: $0) < key.distance(to: $1) }!
    }

    @Test(arguments: 1...20)
    func successorPredecessorAndOwnershipMatchBruteForce(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let n = 1 + rng.below(60)
        let urls = Self.ring(n, seed: UInt64(seed))
        let missing = (0..<n).filter { _ in rng.below(3) == 0 }
        let dir = MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) })
        var view = MembershipView(directory: dir, missing: missing)
        // Add a few members outside the directory and remove a few inside it.
        for e in 0..<3 { view.apply(MemberState(url: try! NodeURL("https://extra\(e)-\(seed).edu"), version: 1, alive: true)) }
        for i in 0..<n where rng.below(5) == 0 { view.apply(MemberState(url: dir.members[i], version: 1, alive: false)) }
        var alive: [RingKey] = []
        view.walkClockwise(from: .zero) { alive.append($0.id); return true }
        #expect(alive.count == view.count)
        #expect(alive == alive.sorted())
        guard !alive.isEmpty else { return }
        for _ in 0..<50 {
            let key = rng.key()
            let s = Self.bruteSuccessor(alive, key)
            #expect(view.successor(of: key)?.id == s)
            let before = alive.filter { $0 != key }.max { $0.distance(to: key) > $1.distance(to: key) }
            #expect(view.predecessor(of: key)?.id == before ?? alive.first)
            // Exactly one member owns each key.
            #expect(alive.filter { view.isOwner($0, of: key) }.count == 1)
            #expect(view.isOwner(s, of: key))
            let reps = view.replicaSet(of: key, replicas: 3).map(\.id)
            #expect(reps.count == min(3, alive.count))
            #expect(Set(reps).count == reps.count)
        }
    }

    /// A random view over a random directory: some directory members missing, some dead, a few
    /// members outside the directory; returns it with its alive ids in ring order.
    static func randomView(_ rng: inout SplitMix64, seed: Int, maxMembers: Int) -> (MembershipView, [RingKey]) {
        let n = 2 + rng.below(maxMembers)
        let urls = Self.ring(n, seed: UInt64(seed) &+ 1000)
        let dir = MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) })
        var view = rng.below(3) == 0 ? MembershipView(directory: dir)
                                     : MembershipView(directory: dir, missing: (0..<n).filter { _ in rng.below(3) == 0 })
        for e in 0..<rng.below(6) { view.apply(MemberState(url: try! NodeURL("https://extra\(e)-\(seed).edu"), version: 1, alive: true)) }
        for i in 0..<n where rng.below(7) == 0 { view.apply(MemberState(url: dir.members[i], version: 1, alive: false)) }
        var alive: [RingKey] = []
        view.walkClockwise(from: .zero) { alive.append($0.id); return true }
        return (view, alive)
    }

    @Test(arguments: 1...40)
    func rankStepsMatchAWalkOnViewsWithAbsencesAndExtras(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919)
        let (view, alive) = Self.randomView(&rng, seed: seed, maxMembers: 400)
        guard !alive.isEmpty else { return }
        for _ in 0..<10 {
            // From a member and from an arbitrary key.
            let from = rng.below(2) == 0 ? alive[rng.below(alive.count)] : rng.key()
            let others = alive.filter { $0 != from }
            let start = others.firstIndex { $0 > from } ?? 0
            let offsets = Array(Set((0..<5).map { _ in 1 + rng.below(max(1, others.count + 2)) })).sorted()
            let expected = offsets.filter { $0 <= others.count }.map { others[(start + $0 - 1) % others.count] }
            #expect(view.members(after: from, atOffsets: offsets).map(\.id) == expected)
        }
    }

    @Test(arguments: 1...10)
    func fingersAreMembersPowersOfTwoPlacesAheadAndNextHopsReachTheOwner(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 31)
        let n = 2 + rng.below(300)
        let urls = Self.ring(n, seed: UInt64(seed))
        let view = MembershipView(directory: MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) }))
        let ids = urls.map(\.id).sorted()
        let at0 = rng.below(n)
        let node = ids[at0]
        let fingers = view.fingers(of: node).map(\.id)
        let expected = (0..<20).map { 1 << $0 }.filter { $0 < n }.map { ids[(at0 + $0) % n] }
        #expect(fingers == expected)
        #expect(fingers.count <= 2 * (Int.bitWidth - n.leadingZeroBitCount) + 2)
        for _ in 0..<20 {
            let key = rng.key()
            var at = ids[rng.below(n)]
            var hops = 0
            while let next = view.nextHop(from: at, toward: key) {
                #expect(at.distance(to: key) > next.id.distance(to: key) || next.id == Self.bruteSuccessor(ids, key))
                at = next.id
                hops += 1
                if hops > 64 { break }
            }
            #expect(at == Self.bruteSuccessor(ids, key))
            #expect(hops <= 2 * (Int.bitWidth - n.leadingZeroBitCount))
        }
    }

    @Test(arguments: [1, 2, 3])
    func routingTreeTowardAKeyHasLogarithmicDepthAndFanIn(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 101)
        let n = 500 + rng.below(1500)
        let urls = Self.ring(n, seed: UInt64(seed) &+ 77)
        let view = MembershipView(directory: MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) }))
        let key = RingKey.stats
        var fanIn: [RingKey: Int] = [:]
        var depth = 0
        for url in urls {
            var at = url.id
            var hops = 0
            while let next = view.nextHop(from: at, toward: key), hops <= 64 {
                if hops == 0 { fanIn[next.id, default: 0] += 1 }
                at = next.id
                hops += 1
            }
            depth = max(depth, hops)
        }
        let log2n = Int.bitWidth - (n - 1).leadingZeroBitCount  // ⌈log2 n⌉
        #expect(depth <= log2n)
        #expect(fanIn.values.max()! <= log2n)
    }

    @Test(arguments: 1...10)
    func disseminationOnStaleViewsReachesEveryMemberOfTheRootsViewOnce(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 313)
        let (view, alive) = Self.randomView(&rng, seed: seed, maxMembers: 300)
        guard let root = alive.first else { return }
        var reached: [RingKey: Int] = [root: 1]
        var queue: [(RingKey, RingKey)] = [(root, root)]
        while let (node, limit) = queue.popLast() {
            for (child, childLimit) in view.disseminationChildren(of: node, limit: limit) {
                reached[child.id, default: 0] += 1
                queue.append((child.id, childLimit))
            }
        }
        #expect(reached.count == alive.count)
        #expect(reached.values.allSatisfy { $0 == 1 })
    }

    @Test func disseminationTreeReachesEveryMemberExactlyOnce() {
        let urls = Self.ring(200, seed: 99)
        let view = MembershipView(directory: MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) }))
        let root = urls[17].id
        var reached: [RingKey: Int] = [root: 1]
        var queue: [(RingKey, RingKey)] = [(root, root)]
        while let (node, limit) = queue.popLast() {
            for (child, childLimit) in view.disseminationChildren(of: node, limit: limit) {
                reached[child.id, default: 0] += 1
                queue.append((child.id, childLimit))
            }
        }
        #expect(reached.count == 200)
        #expect(reached.values.allSatisfy { $0 == 1 })
    }

    @Test func eachMemberStateAppliesOnceAndNewerWins() throws {
        let a = try NodeURL("https://a.edu")
        var view = MembershipView(states: [])
        do { let changed = view.apply(MemberState(url: a, version: 5, alive: true)); #expect(changed) }
        do { let changed = view.apply(MemberState(url: a, version: 5, alive: true)); #expect(!changed) }
        do { let changed = view.apply(MemberState(url: a, version: 4, alive: false)); #expect(!changed) }
        do { let changed = view.apply(MemberState(url: a, version: 5, alive: false)); #expect(changed) }
        #expect(!view.contains(a.id))
        do { let changed = view.apply(MemberState(url: a, version: 5, alive: true)); #expect(!changed) }
        do { let changed = view.apply(MemberState(url: a, version: 6, alive: true)); #expect(changed) }
        #expect(view.count == 1)
    }

    @Test func digestsAgreeForEqualTablesBuiltDifferently() throws {
        let urls = Self.ring(50, seed: 3)
        let full = MembershipView(directory: MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) }))
        var partial = MembershipView(directory: full.directory, missing: 0..<25)
        #expect(partial.digest != full.digest)
        for i in 0..<25 { partial.apply(MemberState(url: full.directory.members[i], version: 1, alive: true)) }
        #expect(partial.digest == full.digest)
        #expect(partial.count == 50)
        #expect(partial.page(after: nil, limit: 1000).count == 50)
        let first = partial.page(after: nil, limit: 20)
        #expect(partial.page(after: first.last!.id, limit: 1000).count == 30)
    }
}
