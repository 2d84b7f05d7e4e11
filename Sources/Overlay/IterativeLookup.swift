/// The responder's side of a lookup: answer as owner, or with the members nearest the key.
///
/// Pure: depends only on the responder's view. `me` owns `key` when `key` lies in
/// `(predecessor(me), me]`; otherwise `closer` lists up to `maxCloser` members from the key's
/// successor on, all of them nearer to the key than `me`.
public func answerLookup(view: MembershipView, me: MemberState, key: RingKey, replicas: Int,
                         maxCloser: Int = 4) -> LookupReply {
    if view.isOwner(me.id, of: key) {
        let reps = view.successors(of: me.id.adding(powerOfTwo: 0), count: replicas - 1)
            .filter { $0.id != me.id }.compactMap { view.state(of: $0.id) }
        return LookupReply(owner: me, replicas: reps)
    }
    var closer: [MemberState] = []
    view.walkClockwise(from: key) { url in
        if url.id == me.id { return false }
        if let s = view.state(of: url.id) { closer.append(s) }
        return closer.count < min(maxCloser, WireLimits.maxCloserNodes)
    }
    return LookupReply(owner: nil, closer: closer)
}

/// The asker's side of an iterative lookup, as a state machine: `start` and `receive` return
/// the next node to ask, or the outcome. Members named in replies are applied to the asker's
/// view, so it learns the ones its table lacked. Not thread-safe; owned by one node.
public struct IterativeLookup: Sendable {
    /// What to do next.
    public enum Step: Equatable, Sendable {
        /// Send a `LookupRequest` for the key to this member.
        case ask(NodeURL)
        /// The owner was found (or the first live holder, when the owner did not answer).
        case found(owner: NodeURL, requests: Int)
        /// No more candidates or the request budget is spent.
        case failed(requests: Int)
    }

    public let key: RingKey
    /// Requests sent so far.
    public private(set) var requests = 0
    private var asked: Set<RingKey> = []
    private var unreachable: Set<RingKey> = []
    private var current: NodeURL?
    private var attempts: [RingKey: Int] = [:]
    /// Requests to one node before it counts as unreachable (default 3).
    public let attemptsPerNode: Int
    /// Most requests before giving up.
    public let maxRequests: Int

    public init(key: RingKey, maxRequests: Int = 32, attemptsPerNode: Int = 3) {
        self.key = key
        self.maxRequests = maxRequests
        self.attemptsPerNode = attemptsPerNode
    }

    /// The first step; `self` is the asking node.
    public mutating func start(view: MembershipView, me: RingKey) -> Step {
        if view.isOwner(me, of: key), let url = view.state(of: me)?.url { return .found(owner: url, requests: 0) }
        return next(view: view)
    }

    /// Feeds the reply of the node last asked (nil when it timed out or failed).
    public mutating func receive(_ reply: LookupReply?, view: inout MembershipView) -> Step {
        guard let target = current else { return .failed(requests: requests) }
        guard let reply else {
            // A silent request may be a lost message; `attemptsPerNode` in a row mark the node unreachable.
            attempts[target.id, default: 1] += 1
            if attempts[target.id]! <= attemptsPerNode && requests < maxRequests {
                requests += 1
                return .ask(target)
            }
            unreachable.insert(target.id)
            return next(view: view)
        }
        if let owner = reply.owner {
            view.apply(owner)
            view.apply(reply.replicas)
            return .found(owner: owner.url, requests: requests)
        }
        view.apply(reply.closer)
        // Every member the target says is closer is already known dead to us: the target is
        // the first live successor of the key, so it holds the key's replica.
        if !reply.closer.isEmpty && reply.closer.allSatisfy({ unreachable.contains($0.id) }) {
            return .found(owner: target, requests: requests)
        }
        return next(view: view)
    }

    private mutating func next(view: MembershipView) -> Step {
        guard requests < maxRequests else { return .failed(requests: requests) }
        var pick: NodeURL?
        view.walkClockwise(from: key) { url in
            if asked.contains(url.id) { return true }
            pick = url
            return false
        }
        guard let target = pick else { return .failed(requests: requests) }
        asked.insert(target.id)
        current = target
        requests += 1
        return .ask(target)
    }
}
