import MeshCore

/// The key-based routing API for applications (in the spirit of the common KBR API,
/// Dabek et al. 2003): `send` to a node, `route` to a key's owner, `put`/`get` replicated items.
extension OverlayNode {
    /// Delivers `payload` to application `app` on `node` (locally without a request when `node`
    /// is this node) and returns its reply bytes. Throws `TransportError` (`.rejected` carries the
    /// remote `OverlayError` or application error). Nonisolated: a remote send goes straight to
    /// the transport, so a query's messages never wait behind the node's maintenance.
    public nonisolated func send(to node: NodeURL, app: String, payload: [UInt8]) async throws(TransportError) -> [UInt8] {
        if node == url { return try await local(app: app, payload: payload, key: nil) }
        let request = OverlayRequest.deliver(DeliverRequest(app: app, payload: payload))
        guard case .payload(let bytes) = try await transport.send(request, to: node, timeout: configuration.requestTimeout) else {
            throw .malformedReply("deliver: expected the application's bytes")
        }
        return bytes
    }

    /// `send(to:app:payload:)` for several messages at once, in parallel: each outcome, in
    /// order, once all have finished. The remote ones go to the transport together (one handoff
    /// to the network for the whole round); one addressed to this node is delivered locally
    /// meanwhile.
    public nonisolated func sendAll(app: String, messages: [(node: NodeURL, payload: [UInt8])]) async -> [Result<[UInt8], TransportError>] {
        let remote = messages.indices.filter { messages[$0].node != url }
        let requests = remote.map { (request: OverlayRequest.deliver(DeliverRequest(app: app, payload: messages[$0].payload)), node: messages[$0].node) }
        let transport = transport, timeout = configuration.requestTimeout
        var results = [Result<[UInt8], TransportError>](repeating: .failure(.unreachable("not sent")), count: messages.count)
        let replies: [Result<OverlayReply, TransportError>]
        if remote.count == messages.count {
            replies = await transport.sendAll(requests, timeout: timeout)
        } else {
            async let sent = requests.isEmpty ? [] : transport.sendAll(requests, timeout: timeout)
            for index in messages.indices where messages[index].node == url {
                do throws(TransportError) { results[index] = .success(try await local(app: app, payload: messages[index].payload, key: nil)) }
                catch { results[index] = .failure(error) }
            }
            replies = await sent
        }
        for (index, reply) in zip(remote, replies) {
            results[index] = reply.flatMap { reply in
                guard case .payload(let bytes) = reply else { return .failure(.malformedReply("deliver: expected the application's bytes")) }
                return .success(bytes)
            }
        }
        return results
    }

    /// Delivers `payload` to application `app` on the owner of `key` and returns its reply bytes.
    /// One request when this node's table is right; otherwise iterative routing: a node that does
    /// not own the key answers with closer members, which this node learns and asks next. Throws
    /// `.unreachable` when no live owner could be found within the request budget.
    public func route(key: RingKey, app: String, payload: [UInt8]) async throws(TransportError) -> [UInt8] {
        guard phase == .member || phase == .leaving else { throw .unreachable("this node is not a member of a ring") }
        var lookup = IterativeLookup(key: key)
        var step = lookup.start(view: view, me: url.id)
        var lastError: TransportError = .unreachable("no member owns \(key.hex.prefix(12))…")
        while true {
            switch step {
            case .found(let owner, _):
                if owner == url { return try await local(app: app, payload: payload, key: key) }
                // The owner did not answer as owner (it was the first live holder): deliver directly.
                return try await send(to: owner, app: app, payload: payload)
            case .failed: throw lastError
            case .ask(let target):
                if target == url {
                    step = lookup.receive(answerLookup(view: view, me: me, key: key, replicas: configuration.replicas), view: &view)
                    continue
                }
                do throws(TransportError) {
                    let reply = try await request(.lookup(LookupRequest(key: key, app: app, payload: payload)), to: target)
                    guard case .lookup(let answer) = reply else { throw .malformedReply("lookup: unexpected reply") }
                    if answer.delivered, let bytes = answer.reply {
                        learn([answer.owner].compactMap { $0 } + answer.replicas)
                        return bytes.bytes
                    }
                    learn(answer.closer)
                    step = lookup.receive(answer, view: &view)
                } catch {
                    if case .rejected = error { throw error }
                    lastError = error
                    step = lookup.receive(nil, view: &view)
                }
            }
        }
    }

    /// Local delivery with the error a remote one would give.
    private func local(app: String, payload: [UInt8], key: RingKey?) async throws(TransportError) -> [UInt8] {
        do { return try await deliverLocally(app: app, payload: payload, key: key) } catch {
            throw .rejected(status: error.status, code: error.code, message: error.message)
        }
    }

    /// Stores each item on its R holders by this node's table (owner and replicas), batched:
    /// one request per holder node (per `WireLimits.maxItemsPerMessage` items), never one per
    /// item. Succeeds when every item reached at least one live holder (anti-entropy completes
    /// the others); otherwise throws the last `TransportError`.
    public func put(_ items: [StoredItem]) async throws(TransportError) {
        var order: [NodeURL] = []
        var batches: [NodeURL: [Int]] = [:]
        for (i, item) in items.enumerated() {
            for holder in replicaSet(of: item.key) {
                if batches[holder] == nil { order.append(holder) }
                batches[holder, default: []].append(i)
            }
        }
        var reached = Array(repeating: false, count: items.count)
        var lastError: TransportError = .unreachable("no member holds these keys")
        for holder in order {
            let indices = batches[holder]!
            for chunk in stride(from: 0, to: indices.count, by: WireLimits.maxItemsPerMessage) {
                let part = Array(indices[chunk..<min(indices.count, chunk + WireLimits.maxItemsPerMessage)])
                do throws(TransportError) {
                    if holder == url {
                        do { _ = try await store.put(part.map { items[$0] }) } catch {
                            throw .rejected(status: 500, code: "store_failed", message: "local store: \(error)")
                        }
                    } else {
                        _ = try await request(.store(StoreRequest(items: part.map { items[$0] }, replicate: false)), to: holder)
                    }
                    for i in part { reached[i] = true }
                } catch { lastError = error }
            }
        }
        if reached.contains(false) { throw lastError }
    }

    /// Every item stored under `key`: asks the owner, falling over to the replicas when it does
    /// not answer (this node's own copy when it is a holder). Throws when no holder answered.
    public func get(key: RingKey) async throws(TransportError) -> [StoredItem] {
        var lastError: TransportError = .unreachable("no member holds \(key.hex.prefix(12))…")
        for holder in replicaSet(of: key) {
            if holder == url { return store.items(at: key) }
            do throws(TransportError) {
                guard case .items(let reply) = try await request(.fetch(FetchRequest(keys: [key])), to: holder) else {
                    throw .malformedReply("fetch: unexpected reply")
                }
                return reply.items
            } catch { lastError = error }
        }
        throw lastError
    }
}
