/// Where a node keeps the items it owns or replicates. The in-memory implementation below
/// serves the simulator and tests; a real node backs it with SQLite. Not thread-safe: one
/// owner (the node's actor or the simulator) calls it; calls do not block on the network.
public protocol KeyValueStore: AnyObject {
    /// The item under `key`, if any.
    func get(_ key: RingKey) -> StoredItem?
    /// Stores `item` unless a newer version is held; returns true when stored.
    @discardableResult func put(_ item: StoredItem) -> Bool
    /// Drops `key`.
    func remove(_ key: RingKey)
    /// Items in `range` with key > `after` (all when nil), in key order, at most `limit`.
    func items(in range: KeyRange, after: RingKey?, limit: Int) -> [StoredItem]
    /// Count and XOR digest of (key, version) over `range`, for anti-entropy.
    func digest(of range: KeyRange) -> (count: Int, digest: UInt64)
    /// Number of items held.
    var count: Int { get }
}

/// A `KeyValueStore` in a dictionary.
public final class MemoryKeyValueStore: KeyValueStore {
    private var table: [RingKey: StoredItem] = [:]

    public init() {}

    public func get(_ key: RingKey) -> StoredItem? { table[key] }

    @discardableResult
    public func put(_ item: StoredItem) -> Bool {
        if let old = table[item.key], old.version >= item.version { return false }
        table[item.key] = item
        return true
    }

    public func remove(_ key: RingKey) { table[key] = nil }

    public func items(in range: KeyRange, after: RingKey?, limit: Int) -> [StoredItem] {
        let inRange = table.values.filter { item in range.contains(item.key) && (after == nil || item.key > after!) }
        return Array(inRange.sorted { $0.key < $1.key }.prefix(limit))
    }

    public func digest(of range: KeyRange) -> (count: Int, digest: UInt64) {
        var n = 0, d: UInt64 = 0
        for item in table.values where range.contains(item.key) {
            n += 1
            d ^= MemberState.mix(item.key.mix64 ^ item.version)
        }
        return (n, d)
    }

    public var count: Int { table.count }
}
