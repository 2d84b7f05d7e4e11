import Synchronization

/// Where a node keeps the items it owns or replicates. The in-memory implementation below
/// serves the simulator and tests; a real node backs it with SQLite (durable before `put`
/// returns, reads from an in-memory mirror). Implementations are thread-safe: the overlay node
/// and its applications (the search index on a term owner) call them concurrently. Reads never
/// block; writes suspend (never block a thread) until durable. Nothing touches the network.
public protocol KeyValueStore: AnyObject, Sendable {
    /// Every item under `key` (tombstones included), ordered by name.
    func items(at key: RingKey) -> [StoredItem]
    /// Stores each item unless a newer or equal version of the same `(key, name)` is held;
    /// returns the items actually stored, in input order. Durable before it returns; throws a
    /// `ServiceError` when the write failed (then nothing of this call is stored).
    @discardableResult func put(_ items: [StoredItem]) async throws -> [StoredItem]
    /// Drops every item whose key lies in `range` (ranges this node no longer holds).
    func remove(in range: KeyRange) async throws
    /// Items in `range` with identity > `after` (from the range's start when nil), in `ItemID`
    /// order starting at the range's first key, at most `limit`.
    func items(in range: KeyRange, after: ItemID?, limit: Int) -> [StoredItem]
    /// Count and XOR digest of (key, name, version) over `range`, for anti-entropy.
    func digest(of range: KeyRange) -> (count: Int, digest: UInt64)
    /// Number of items held.
    var count: Int { get }
    /// Grows on every change; readers use it to invalidate caches built from the items.
    var changeCount: UInt64 { get }
}

extension StoredItem {
    /// This item's contribution to a range digest.
    public var digestMix: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return MemberState.mix(key.mix64 ^ MemberState.mix(h ^ version))
    }
}

/// A `KeyValueStore` in a sorted dictionary behind a mutex.
public final class MemoryKeyValueStore: KeyValueStore {
    private struct State {
        var table: [ItemID: StoredItem] = [:]
        var changes: UInt64 = 0
    }
    private let state = Mutex(State())

    public init() {}

    public func items(at key: RingKey) -> [StoredItem] {
        state.withLock { s in s.table.values.filter { $0.key == key }.sorted { $0.id < $1.id } }
    }

    @discardableResult
    public func put(_ items: [StoredItem]) async -> [StoredItem] { putNow(items) }

    /// `put` without suspending, for synchronous callers (the simulator).
    @discardableResult
    public func putNow(_ items: [StoredItem]) -> [StoredItem] {
        state.withLock { s in
            var stored: [StoredItem] = []
            for item in items {
                if let old = s.table[item.id], old.version >= item.version { continue }
                s.table[item.id] = item
                stored.append(item)
            }
            if !stored.isEmpty { s.changes &+= 1 }
            return stored
        }
    }

    public func remove(in range: KeyRange) async { removeNow(in: range) }

    /// `remove(in:)` without suspending, for synchronous callers (the simulator).
    public func removeNow(in range: KeyRange) {
        state.withLock { s in
            let before = s.table.count
            s.table = s.table.filter { !range.contains($0.key.key) }
            if s.table.count != before { s.changes &+= 1 }
        }
    }

    public func items(in range: KeyRange, after: ItemID?, limit: Int) -> [StoredItem] {
        let start = range.after.adding(powerOfTwo: 0)
        // Ring order from the range's first key: keys at or past `start` first, then wrapped ones.
        func ringOrder(_ a: ItemID, _ b: ItemID) -> Bool {
            let aw = a.key < start, bw = b.key < start
            return aw != bw ? !aw : a < b
        }
        return state.withLock { s in
            let inRange = s.table.values.filter { item in
                range.contains(item.key) && (after == nil || ringOrder(after!, item.id))
            }
            return Array(inRange.sorted { ringOrder($0.id, $1.id) }.prefix(limit))
        }
    }

    public func digest(of range: KeyRange) -> (count: Int, digest: UInt64) {
        state.withLock { s in
            var n = 0, d: UInt64 = 0
            for item in s.table.values where range.contains(item.key) {
                n += 1
                d ^= item.digestMix
            }
            return (n, d)
        }
    }

    public var count: Int { state.withLock { $0.table.count } }
    public var changeCount: UInt64 { state.withLock { $0.changes } }
}
