import MeshCore

/// One maintenance period (`tick`): tree messages, failure detection, table repair, replica
/// maintenance by anti-entropy. Sequential within a node, so a run driven tick by tick over
/// `MemoryNetwork` is deterministic.
extension OverlayNode {
    /// Runs one maintenance period; call it every `configuration.period`. Never throws: failed
    /// requests feed the failure detector. Does nothing unless this node is a member.
    public func tick() async {
        guard phase == .member else { return }
        periods += 1
        await flushOutbox()
        for action in detector.tick(view: view, me: url.id) { await perform(action) }
        await pingOneDeadMember()
        await maintainReplicas()
    }

    func perform(_ action: FailureDetector.Action) async {
        switch action {
        case .ping(let peer):
            let answered = await ping(peer)
            for next in detector.pingResult(peer, answered: answered, view: view, me: url.id) { await perform(next) }
        case .askToConfirm(let suspect, let helper):
            var helpers = [helper]
            for m in view.successors(of: url.id.adding(powerOfTwo: 0), count: configuration.confirmationHelpers + 1)
                + view.predecessors(of: url.id, count: configuration.confirmationHelpers + 1)
                where m != url && m != suspect && !helpers.contains(m) { helpers.append(m) }
            var verdict: Bool?
            for h in helpers.prefix(configuration.confirmationHelpers) {
                let message = PingRequest(from: me, events: [], table: nil, target: suspect)
                if case .pong(let reply)? = try? await request(.ping(message), to: h), let reachable = reply.reachable {
                    verdict = reachable
                    break
                }
            }
            // No helper answered either: this node is cut off or they all failed; either way
            // the suspect cannot be confirmed alive. A wrong verdict is refuted by the suspect.
            for next in detector.confirmation(suspect, reachable: verdict ?? false, view: view) { await perform(next) }
        case .declareFailed(let state):
            if view.apply(state) { announce(state) }
        }
    }

    /// A liveness ping carrying piggybacked events and this table's summary; applies the reply's
    /// events and pulls the peer's member list when the tables kept differing. True if answered.
    func ping(_ peer: NodeURL) async -> Bool {
        let message = PingRequest(from: me, events: piggyback(), table: tableSummary)
        guard case .pong(let reply)? = try? await request(.ping(message), to: peer), reply.member.url == peer else { return false }
        learn([reply.member] + reply.events)
        if let theirs = reply.table, theirs != tableSummary {
            let n = tableMismatch[peer.id, default: 0] + 1
            tableMismatch[peer.id] = n
            if n >= configuration.tableRepairAfter {
                tableMismatch[peer.id] = 0
                if let listed = try? await pullMembers(from: peer) {
                    await checkUnlisted(by: listed, peer: peer)
                    await recheckDead(listedBy: listed)
                }
            }
        } else {
            tableMismatch[peer.id] = nil
        }
        return reply.member.alive
    }

    /// Pages carry only alive members, so a death this node missed survives a pull. Members
    /// this table holds alive but `peer` did not list (at most 8 per repair) are pinged: the
    /// peer's table is one opinion, a failed ping the second, and the member is declared failed.
    func checkUnlisted(by listed: Set<RingKey>, peer: NodeURL) async {
        var unlisted: [MemberState] = []
        view.walkClockwise(from: url.id, inclusive: false) { m in
            if m.id != url.id && m.id != peer.id && !listed.contains(m.id), let s = view.state(of: m.id) { unlisted.append(s) }
            return unlisted.count < 8
        }
        for s in unlisted where await probe(s.url) == nil {
            let dead = MemberState(url: s.url, version: s.version, alive: false)
            if view.apply(dead) { announce(dead) }
        }
    }

    /// Every 8 periods, pings one remembered dead member that this node now replaces on the
    /// ring (it is the dead one's successor here), so after a partition heals the two sides find
    /// each other: the dead one hears it was declared dead and refutes with a new incarnation.
    /// Each dead member is tried `deadProbeAttempts` times by about one node, then forgotten.
    func pingOneDeadMember() async {
        guard periods % 8 == 0 else { return }
        guard let i = recentlyDead.firstIndex(where: { view.successor(of: $0.state.id) == url }) else { return }
        var entry = recentlyDead.remove(at: i)
        deadIDs.remove(entry.state.id)
        guard view.state(of: entry.state.id)?.alive != true else { return }
        entry.attempts += 1
        if await tellDead(entry.state) { return }
        if entry.attempts < Self.deadProbeAttempts && deadIDs.insert(entry.state.id).inserted { recentlyDead.append(entry) }
    }

    /// Members a peer's list shows alive that this table holds dead (at most 8 per repair):
    /// the peer may reach them where this node's side of a healed partition never probes them
    /// (their successor here is one of the peer's side, which never held them dead), so they
    /// are told now and refute with a new incarnation.
    func recheckDead(listedBy listed: Set<RingKey>) async {
        let disputed = listed.sorted().compactMap { id in view.state(of: id).flatMap { $0.alive ? nil : $0 } }.prefix(8)
        for dead in disputed { _ = await tellDead(dead) }
    }

    /// Pings a member held dead with that verdict; when it answers alive (refuting with a new
    /// incarnation), learns and announces it. True when it is back in the table.
    func tellDead(_ remembered: MemberState) async -> Bool {
        let dead = view.state(of: remembered.id) ?? remembered
        let message = PingRequest(from: me, events: [dead], table: tableSummary)
        if case .pong(let reply)? = try? await request(.ping(message), to: dead.url), reply.member.url == dead.url {
            learn([reply.member] + reply.events)
            if reply.member.alive && view.contains(dead.id) { announce(reply.member); return true }
        }
        return false
    }

    /// Probes of one dead member before it is forgotten (16 × 8 periods ≈ 2 minutes at 1 s).
    static let deadProbeAttempts = 16

    /// Anti-entropy for the range this node owns: when its range or its holders changed, when
    /// its store changed and then stayed quiet for a period (or kept changing for
    /// `antiEntropyQuietWait` periods), or every `antiEntropyEvery` periods, compares count and
    /// digest with each replica and pushes or pulls only the items that differ. Then drops
    /// items outside the held range once that range has been stable for a period.
    func maintainReplicas() async {
        let owned = view.ownedRange(of: url.id)
        let holders = view.successors(of: url.id.adding(powerOfTwo: 0), count: configuration.replicas - 1).filter { $0 != url }
        let changes = store.changeCount
        let changing = changes != storeChanges.count
        if changing && storeChanges.changingSince == nil { storeChanges.changingSince = periods }
        if !changing { storeChanges.changingSince = nil }
        storeChanges.count = changes
        let waitedLongEnough = storeChanges.changingSince.map { periods - $0 >= UInt64(configuration.antiEntropyQuietWait) } ?? true
        let due = lastSync.map { $0.range != owned || $0.holders != holders
            || ($0.changes != changes && (!changing || waitedLongEnough))
            || periods - $0.period >= UInt64(configuration.antiEntropyEvery) } ?? true
        if due {
            var complete = true
            for replica in holders where !(await synchronize(owned, with: replica)) { complete = false }
            lastSync = complete ? (owned, holders, store.changeCount, periods) : nil
            if changing { storeChanges.changingSince = periods }
        }
        let held = view.heldRange(of: url.id, replicas: configuration.replicas)
        // A table still catching up may show a range smaller than the owners' (a dead
        // predecessor not yet removed), so items go only once the range has been stable for
        // `dropAfterStablePeriods`; dropping scans the store, so only after a change.
        if held != lastHeld { heldSince = periods }
        if periods - heldSince >= UInt64(configuration.dropAfterStablePeriods) && held.after != held.upTo
            && lastDrop.map({ $0.range != held || $0.changes != store.changeCount }) ?? true {
            try? await store.remove(in: KeyRange(after: held.upTo, upTo: held.after))
            lastDrop = (held, store.changeCount)
        }
        lastHeld = held
    }

    /// One digest exchange over `range` with `replica`; false when it did not complete.
    func synchronize(_ range: KeyRange, with replica: NodeURL) async -> Bool {
        let mine = store.digest(of: range)
        guard case .digest(let reply)? = try? await request(.digest(DigestRequest(range: range, count: mine.count, digest: mine.digest)), to: replica)
        else { return false }
        if reply.match { return true }
        var theirs: [ItemID: UInt64] = [:]
        for k in reply.keys { theirs[ItemID(key: k.key, name: k.name)] = k.version }
        // Push what the replica lacks or holds older, page by page in ItemID order.
        var after: ItemID?
        let limit = min(configuration.itemsPageSize, WireLimits.maxItemsPerMessage)
        var seen: Set<ItemID> = []
        repeat {
            let page = store.items(in: range, after: after, limit: limit)
            after = page.count == limit ? page.last?.id : nil
            let push = page.filter { item in theirs[item.id].map { $0 < item.version } ?? true }
            for item in page { seen.insert(item.id) }
            if !push.isEmpty, (try? await request(.store(StoreRequest(items: push, replicate: false)), to: replica)) == nil { return false }
        } while after != nil
        // Pull what only the replica has, or has newer.
        var pull: [RingKey] = []
        for k in reply.keys {
            let id = ItemID(key: k.key, name: k.name)
            let local = seen.contains(id) ? store.items(at: k.key).first { $0.name == k.name }?.version : nil
            if (local.map { $0 < k.version } ?? true) && pull.last != k.key { pull.append(k.key) }
        }
        for chunk in stride(from: 0, to: pull.count, by: WireLimits.maxItemsPerMessage) {
            let keys = Array(pull[chunk..<min(pull.count, chunk + WireLimits.maxItemsPerMessage)])
            guard case .items(let got)? = try? await request(.fetch(FetchRequest(keys: keys)), to: replica) else { return false }
            _ = try? await store.put(got.items)
        }
        return true
    }
}
