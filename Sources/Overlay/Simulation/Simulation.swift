/// The deterministic simulator: N nodes sharing one `MemberDirectory`, each with its own
/// compact `MembershipView`, exchanging `LookupRequest`/`LookupReply` over an in-memory network
/// with a virtual clock, seeded latency and loss. Lookups run the same `IterativeLookup` and
/// `answerLookup` code as real nodes. Single-threaded; uses no wall clock and no system randomness.
public enum Simulation {
    private enum Event {
        case start(lookup: Int)
        case request(lookup: Int, to: Int)
        case reply(lookup: Int, from: Int, LookupReply?)
    }

    private struct Running {
        var origin: Int
        var key: RingKey
        var machine: IterativeLookup
        var started: Int64
        var waitingOn: Int = -1
    }

    /// Runs one simulation; the report is a pure function of `options`.
    public static func run(_ options: SimOptions) -> SimReport {
        precondition(options.nodes >= 1, "need at least one node")
        var rng = SplitMix64(seed: options.seed)
        let n = options.nodes
        let urls = (0..<n).map { try! NodeURL("https://node\($0).sim.coursemesh.test/mesh") }
        let directory = MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) })
        var views = makeViews(directory, options: options, rng: &rng)
        let meanBefore = Double(views.reduce(0) { $0 + $1.count }) / Double(n)

        var alive = Array(repeating: true, count: n)
        let failures = min(n - 1, Int((Double(n) * options.fail).rounded()))
        var killed = 0
        while killed < failures {
            let i = rng.below(n)
            if alive[i] { alive[i] = false; killed += 1 }
        }
        func liveSuccessor(_ key: RingKey) -> Int {
            var i = directory.lowerBound(key) % n
            while !alive[i] { i = (i + 1) % n }
            return i
        }

        // Keys on their R replicas (by the true ring), counted per live node.
        var perNode = Array(repeating: 0, count: n)
        var orphaned = 0
        for _ in 0..<options.keys {
            let key = rng.key()
            var i = directory.lowerBound(key) % n
            var holders = 0
            for _ in 0..<min(options.replicas, n) {
                if alive[i] { perNode[i] += 1; holders += 1 }
                i = (i + 1) % n
            }
            if holders == 0 { orphaned += 1 }
        }
        let liveCounts = (0..<n).filter { alive[$0] }.map { perNode[$0] }

        // Lookups, spread over one second of simulated time.
        var queue = EventQueue<Event>()
        var running: [Running] = []
        running.reserveCapacity(options.lookups)
        for l in 0..<options.lookups {
            var origin = rng.below(n)
            while !alive[origin] { origin = rng.below(n) }
            let key = rng.key()
            running.append(Running(origin: origin, key: key, machine: IterativeLookup(key: key), started: 0))
            queue.push(at: Int64(rng.below(1000)), .start(lookup: l))
        }
        var requests: [Int] = []
        requests.reserveCapacity(options.lookups)
        var succeeded = 0
        var latencySum: Int64 = 0
        var messages = 0
        let learnedStart = views.reduce(0) { $0 + $1.count }
        func latency() -> Int64 {
            Int64(options.latencyMinMs + rng.below(max(1, options.latencyMaxMs - options.latencyMinMs + 1)))
        }
        func lost() -> Bool { options.loss > 0 && rng.unit() < options.loss }

        func advance(_ l: Int, _ step: IterativeLookup.Step, at now: Int64) {
            switch step {
            case .ask(let target):
                let to = directory.index(of: target.id)!
                running[l].waitingOn = to
                messages += 1
                if !alive[to] || lost() {
                    queue.push(at: now + Int64(options.timeoutMs), .reply(lookup: l, from: to, nil))
                } else {
                    queue.push(at: now + latency(), .request(lookup: l, to: to))
                }
            case .found(let owner, let count):
                requests.append(count)
                latencySum += now - running[l].started
                if directory.index(of: owner.id) == liveSuccessor(running[l].key) { succeeded += 1 }
            case .failed(let count):
                requests.append(count)
                latencySum += now - running[l].started
            }
        }

        while let (now, event) = queue.pop() {
            switch event {
            case .start(let l):
                running[l].started = now
                let o = running[l].origin
                let step = running[l].machine.start(view: views[o], me: directory.members[o].id)
                advance(l, step, at: now)
            case .request(let l, let to):
                let me = MemberState(url: directory.members[to], version: 1, alive: true)
                let reply = answerLookup(view: views[to], me: me, key: running[l].key, replicas: options.replicas)
                messages += 1
                if lost() {
                    queue.push(at: now + Int64(options.timeoutMs), .reply(lookup: l, from: to, nil))
                } else {
                    queue.push(at: now + latency(), .reply(lookup: l, from: to, reply))
                }
            case .reply(let l, _, let reply):
                let o = running[l].origin
                let step = running[l].machine.receive(reply, view: &views[o])
                advance(l, step, at: now)
            }
        }

        let total = views.reduce(0) { $0 + $1.count }
        let sorted = requests.sorted()
        let count = max(1, sorted.count)
        return SimReport(
            options: options,
            requestsPerLookup: .init(mean: round3(Double(sorted.reduce(0, +)) / Double(count)),
                                     p99: sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)],
                                     max: sorted.last ?? 0),
            successRate: round3(Double(succeeded) / Double(count)),
            meanLookupMs: round3(Double(latencySum) / Double(count)),
            keysPerNodeMax: liveCounts.max() ?? 0,
            keysPerNodeMean: round3(Double(liveCounts.reduce(0, +)) / Double(max(1, liveCounts.count))),
            keysWithoutLiveHolder: orphaned,
            membersLearned: total - learnedStart,
            meanTableBefore: round3(meanBefore),
            meanTableAfter: round3(Double(total) / Double(n)),
            messages: messages)
    }

    /// Full tables share the directory; stale ones add a bitset of absent members per node,
    /// each member absent with probability `stale` (to 1/256), never a node's R neighbours.
    private static func makeViews(_ directory: MemberDirectory, options: SimOptions, rng: inout SplitMix64) -> [MembershipView] {
        let n = directory.count
        guard options.stale > 0 else { return Array(repeating: MembershipView(directory: directory), count: n) }
        let p = UInt64(min(255, max(1, Int((options.stale * 256).rounded()))))
        let words = (n + 63) / 64
        var views: [MembershipView] = []
        views.reserveCapacity(n)
        for me in 0..<n {
            var bits = [UInt64](repeating: 0, count: words)
            for w in 0..<words {
                // Bits set with probability p/256: combine random words by p's binary digits.
                var x: UInt64 = 0
                for d in 0..<8 { x = (p >> UInt64(d)) & 1 == 1 ? (x | rng.next()) : (x & rng.next()) }
                bits[w] = x
            }
            for d in -options.replicas...options.replicas {
                let i = ((me + d) % n + n) % n
                bits[i >> 6] &= ~(1 << UInt64(i & 63))
            }
            if n % 64 != 0 { bits[words - 1] &= (1 << UInt64(n % 64)) - 1 }
            views.append(MembershipView(directory: directory, absentWords: bits))
        }
        return views
    }

    private static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
