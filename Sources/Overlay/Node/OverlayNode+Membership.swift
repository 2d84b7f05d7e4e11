import MeshCore

/// Joining, leaving and membership events: each event is a versioned `MemberState`, applied at
/// most once (`MembershipView.apply`), spread by piggyback on pings and down the dissemination
/// tree (El-Ansary et al. 2003) one level per period.
extension OverlayNode {
    /// Joins the ring that `bootstrap` belongs to: asks it to admit this URL (it calls back with
    /// a ping and checks the id), pulls the member list in pages, then takes over this node's
    /// key range from its successor. Throws `OverlayError.joinRefused` when the bootstrap refused,
    /// `.notMember` when it could not be reached or the transfer failed; the node then stays idle.
    public func join(via bootstrap: NodeURL) async throws(OverlayError) {
        guard phase == .idle || phase == .left else { return }
        if phase == .left { me.version += 1; me.alive = true }
        phase = .joining
        view = MembershipView(states: [me])
        do {
            _ = try await request(.join(JoinRequest(member: me)), to: bootstrap)
            try await pullMembers(from: bootstrap)
        } catch {
            phase = .idle
            if case .rejected(403, _, let message) = error { throw .joinRefused(message) }
            throw .notMember("joining via \(bootstrap) failed (\(error))")
        }
        await takeOverRange()
        phase = .member
    }

    /// Pulls every page of `peer`'s member list and applies it; returns the ids it listed.
    @discardableResult
    func pullMembers(from peer: NodeURL) async throws(TransportError) -> Set<RingKey> {
        var listed: Set<RingKey> = []
        var cursor: RingKey?
        var pages = 0
        repeat {
            let page = MembersRequest(after: cursor, limit: min(configuration.membersPageSize, WireLimits.maxMembersPerPage))
            guard case .members(let reply) = try await request(.members(page), to: peer) else {
                throw .malformedReply("members: unexpected reply")
            }
            for m in reply.members {
                listed.insert(m.id)
                if m.id != url.id { view.apply(m) }
            }
            cursor = reply.next
            pages += 1
        } while cursor != nil && pages < 10_000
        return listed
    }

    /// Copies the items of this node's held range from its successor, paged by `ItemID`
    /// (falls over to the next successors when one does not answer).
    func takeOverRange() async {
        let held = view.heldRange(of: url.id, replicas: configuration.replicas)
        for holder in view.successors(of: url.id.adding(powerOfTwo: 0), count: configuration.replicas) where holder != url {
            if await pullItems(in: held, from: holder) { return }
        }
    }

    /// Pulls every item of `range` from `peer` into the store; false when a page failed.
    func pullItems(in range: KeyRange, from peer: NodeURL) async -> Bool {
        var after: ItemID?
        repeat {
            let page = HandoverRequest(range: range, after: after, limit: min(configuration.itemsPageSize, WireLimits.maxItemsPerMessage))
            guard case .items(let reply)? = try? await request(.handover(page), to: peer) else { return false }
            guard (try? await store.put(reply.items)) != nil else { return false }
            after = reply.next
        } while after != nil
        return true
    }

    /// Leaves gracefully: hands every item to the successor in pages (the last page announces
    /// this node dead at its incarnation), then stops answering. Falls over to the next successor.
    public func leave() async {
        guard phase == .member else { return }
        phase = .leaving
        let gone = MemberState(url: url, version: me.version, alive: false)
        let everything = KeyRange(after: url.id, upTo: url.id)
        let limit = min(configuration.itemsPageSize, WireLimits.maxItemsPerMessage)
        for heir in view.successors(of: url.id.adding(powerOfTwo: 0), count: configuration.replicas) where heir != url {
            var after: ItemID?
            var ok = true
            repeat {
                let items = store.items(in: everything, after: after, limit: limit)
                after = items.count == limit ? items.last?.id : nil
                let message = LeaveRequest(member: gone, items: items, more: after != nil)
                if (try? await request(.leave(message), to: heir)) == nil { ok = false; break }
            } while after != nil
            if ok { break }
        }
        me = gone
        phase = .left
        gossip = []
        gossipIDs = []
        outbox = []
    }

    // MARK: - Events

    /// Applies states heard from others; returns those that changed the table. An event saying
    /// this node is dead while it is a member is refuted with a higher incarnation (SWIM §4.2).
    @discardableResult
    func learn(_ states: [MemberState]) -> [MemberState] {
        var changed: [MemberState] = []
        for s in states {
            if s.id == url.id {
                if phase == .member && s.url == url && !s.alive && s.version >= me.version {
                    me.version = s.version + 1
                    view.apply(me)
                    announce(me)
                }
                continue
            }
            if view.apply(s) {
                changed.append(s)
                if !s.alive { remember(dead: s) } else if deadIDs.remove(s.id) != nil { recentlyDead.removeAll { $0.state.id == s.id } }
            }
        }
        for s in changed { enqueueGossip(s) }
        return changed
    }

    /// Announces a change this node originated: piggyback, and down the tree over the whole ring.
    func announce(_ state: MemberState) {
        if !state.alive && state.id != url.id { remember(dead: state) }
        enqueueGossip(state)
        forward([state], limit: url.id)
    }

    /// Queues `events` for this node's children in the dissemination tree over `(self, limit)`.
    func forward(_ events: [MemberState], limit: RingKey) {
        for (child, childLimit) in view.disseminationChildren(of: url.id, limit: limit) {
            if let i = outbox.firstIndex(where: { $0.child == child && $0.limit == childLimit }) {
                outbox[i].events.append(contentsOf: events)
            } else {
                outbox.append((child, childLimit, events))
            }
        }
    }

    // The sets spare a scan of the queues for every event when many members fail at once.
    func enqueueGossip(_ state: MemberState) {
        if !gossipIDs.insert(state.id).inserted { gossip.removeAll { $0.state.id == state.id } }
        gossip.append((state, configuration.piggybackTransmissions))
    }

    func remember(dead: MemberState) {
        if !deadIDs.insert(dead.id).inserted { recentlyDead.removeAll { $0.state.id == dead.id } }
        recentlyDead.append((dead, 0))
        if recentlyDead.count > 256 { deadIDs.remove(recentlyDead.removeFirst().state.id) }
    }

    /// Up to `piggybackPerMessage` events for one outgoing ping or pong, each sent a bounded number of times.
    func piggyback() -> [MemberState] {
        let n = min(configuration.piggybackPerMessage, WireLimits.maxEventsPerMessage, gossip.count)
        guard n > 0 else { return [] }
        let out = gossip.prefix(n).map(\.state)
        for i in 0..<n { gossip[i].left -= 1 }
        // Sent ones go to the back so every queued event gets its turn.
        let sent = gossip.prefix(n).filter { $0.left > 0 }
        for e in gossip.prefix(n) where e.left <= 0 { gossipIDs.remove(e.state.id) }
        gossip.removeFirst(n)
        gossip.append(contentsOf: sent)
        return out
    }

    /// Sends the queued tree messages; a child that does not answer is replaced by the next
    /// member of its sub-interval, so one dead node does not cut off its subtree.
    func flushOutbox() async {
        let pending = outbox
        outbox = []
        for (child, limit, events) in pending {
            var target: NodeURL? = child
            var tries = 0
            while let t = target, tries < 3 {
                var ok = true
                for chunk in stride(from: 0, to: events.count, by: WireLimits.maxEventsPerMessage) {
                    let part = Array(events[chunk..<min(events.count, chunk + WireLimits.maxEventsPerMessage)])
                    if (try? await request(.events(EventsRequest(events: part, limit: limit)), to: t)) == nil { ok = false; break }
                }
                if ok { break }
                tries += 1
                let next = view.successor(of: t.id.adding(powerOfTwo: 0))
                target = next.flatMap { $0.id.isStrictlyBetween(t.id, limit) && $0.id != url.id ? $0 : nil }
            }
        }
    }
}
