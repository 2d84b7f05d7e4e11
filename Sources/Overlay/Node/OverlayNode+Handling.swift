import MeshCore

/// The server side: one reply per `OverlayRequest` case (Docs/protocol.md).
extension OverlayNode {
    /// Answers one request from another node. Throws `OverlayError` (rendered as the JSON error
    /// by the HTTP layer): `.notMember` when this node has left or is not started (pings are
    /// answered while joining), `.unknownApplication` for an unregistered app, `.joinRefused`
    /// when a join's callback fails verification. A thrown request changes nothing.
    public func handle(_ request: OverlayRequest) async throws(OverlayError) -> OverlayReply {
        switch phase {
        case .left: throw .notMember("it left the ring")
        case .idle: throw .notMember("it has not started")
        case .joining:
            if case .ping = request { break }
            throw .notMember("it is still joining")
        case .member, .leaving: break
        }
        switch request {
        case .ping(let m): return .pong(await answerPing(m))
        case .join(let m): return try await admit(m)
        case .members(let m):
            let limit = min(m.limit, WireLimits.maxMembersPerPage)
            let page = view.page(after: m.after, limit: limit)
            return .members(MembersReply(members: page, next: page.count == limit ? page.last?.id : nil, total: view.count))
        case .lookup(let m): return .lookup(try await answer(m))
        case .store(let m):
            // Items pushed from outside the range this table says it holds: the sender's table is
            // ahead of ours (a death we have not heard of yet), so hold off dropping anything.
            let held = view.heldRange(of: url.id, replicas: configuration.replicas)
            if m.items.contains(where: { !held.contains($0.key) }) { heldSince = periods }
            let stored = try await put(m.items, into: store)
            if m.replicate && !stored.isEmpty {
                for holder in view.successors(of: url.id.adding(powerOfTwo: 0), count: configuration.replicas - 1) where holder != url {
                    _ = try? await self.request(.store(StoreRequest(items: stored, replicate: false)), to: holder)
                }
            }
            return .ack(AckReply())
        case .fetch(let m):
            var items: [StoredItem] = []
            for key in m.keys { items.append(contentsOf: store.items(at: key)) }
            return .items(ItemsReply(items: items))
        case .handover(let m):
            let limit = min(m.limit, WireLimits.maxItemsPerMessage)
            let items = store.items(in: m.range, after: m.after, limit: limit)
            return .items(ItemsReply(items: items, next: items.count == limit ? items.last?.id : nil))
        case .leave(let m):
            _ = try await put(m.items, into: store)
            if !m.more && m.member.id != url.id && view.apply(m.member) {
                announce(m.member)
            }
            return .ack(AckReply())
        case .digest(let m): return .digest(answerDigest(m))
        case .events(let m):
            // Only what changed this table goes on down: a second announcement of the same
            // change (both neighbours of a failed node declare it) dies out at the first level.
            let changed = learn(m.events)
            if !changed.isEmpty { forward(changed, limit: m.limit) }
            return .ack(AckReply())
        case .deliver(let m):
            return .payload(try await deliverLocally(app: m.app, payload: m.payload, key: nil))
        }
    }

    /// Answers a direct `deliver` at once, on the caller's thread and without entering the actor,
    /// when this node is a member and the application can (`OverlayApplication.receiveImmediately`);
    /// nil for every other request and case, which `handle` then answers (refusals included).
    public nonisolated func handleImmediately(_ request: OverlayRequest) throws(OverlayError) -> OverlayReply? {
        guard case .deliver(let m) = request else { return nil }
        let (open, app) = answering.withLock { ($0.open, $0.apps[m.app]) }
        guard open, let app else { return nil }
        do { return try app.receiveImmediately(m.payload, key: nil).map(OverlayReply.payload) } catch {
            throw Self.applicationError(error, app: m.app)
        }
    }

    func answerPing(_ m: PingRequest) async -> PingReply {
        // `from` is only a claim: it updates a member already known, never adds a stranger.
        var extra: [MemberState] = []
        if let from = m.from, from.id != url.id, let known = view.state(of: from.id) {
            learn([from])
            // A sender this node holds dead at its own incarnation hears so, and refutes.
            if !known.alive && known.version >= from.version { extra.append(known) }
        }
        learn(m.events)
        var reachable: Bool?
        if let target = m.target, phase == .member {
            reachable = await probe(target).map { $0.member.url == target && $0.member.alive } ?? false
        }
        return PingReply(member: me, site: site, events: extra + (phase == .member ? piggyback() : []), table: tableSummary, reachable: reachable)
    }

    func admit(_ m: JoinRequest) async throws(OverlayError) -> OverlayReply {
        guard case .verify(let joiner) = admission.joinRequested(m) else { throw .malformed("join could not be verified") }
        let reply = await probe(joiner)
        switch admission.callbackReplied(joiner, reply: reply) {
        case .admit(let state)?:
            if let known = view.state(of: state.id), !known.alive, !state.supersedes(known) {
                throw .joinRefused("\(joiner) left or failed at incarnation \(known.version); rejoin with a higher one")
            }
            if view.apply(state) { announce(state) }
            return .ack(AckReply())
        case .refuse(_, let reason)?: throw .joinRefused(reason)
        default: throw .joinRefused("a concurrent join for \(joiner) was already answered")
        }
    }

    func answer(_ m: LookupRequest) async throws(OverlayError) -> LookupReply {
        var reply = answerLookup(view: view, me: me, key: m.key, replicas: configuration.replicas)
        if reply.owner != nil, let app = m.app {
            reply.reply = Blob(try await deliverLocally(app: app, payload: m.payload?.bytes ?? [], key: m.key))
            reply.delivered = true
        }
        return reply
    }

    func answerDigest(_ m: DigestRequest) -> DigestReply {
        let mine = store.digest(of: m.range)
        if mine.count == m.count && String(mine.digest, radix: 16) == m.digest { return DigestReply(match: true, keys: []) }
        let items = store.items(in: m.range, after: nil, limit: WireLimits.maxItemsPerMessage * 8)
        return DigestReply(match: false, keys: items.map { .init(key: $0.key, name: $0.name, version: $0.version) })
    }

    /// Hands `payload` to the registered application `app`; its `ServiceError` passes through
    /// as `OverlayError`-shaped rejection by the transport.
    func deliverLocally(app name: String, payload: [UInt8], key: RingKey?) async throws(OverlayError) -> [UInt8] {
        guard let app = apps[name] else { throw .unknownApplication(name) }
        do { return try await app.receive(payload, key: key) } catch { throw Self.applicationError(error, app: name) }
    }

    /// An application's error as the sender will see it: its own status and code when it is a
    /// `ServiceError`, else a 500 naming the application.
    static func applicationError(_ error: any Error, app name: String) -> OverlayError {
        switch error {
        case let e as OverlayError: e
        case let e as any ServiceError: .application(status: e.status, code: e.code, message: e.message)
        default: .application(status: 500, code: "application_failed", message: "\(name) failed: \(error)")
        }
    }

    func put(_ items: [StoredItem], into store: any KeyValueStore) async throws(OverlayError) -> [StoredItem] {
        do { return try await store.put(items) } catch let e as any ServiceError {
            throw .application(status: e.status, code: e.code, message: e.message)
        } catch {
            throw .application(status: 500, code: "store_failed", message: "the item store failed: \(error)")
        }
    }
}
