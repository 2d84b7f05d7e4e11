import MeshCore
import MeshStore
import Overlay
import Synchronization

/// The overlay's `KeyValueStore` on the node's SQLite store (table `overlay_items`), with every
/// item mirrored in memory.
///
/// - Reads (`items(at:)`, `items(in:after:limit:)`, `digest(of:)`, `count`) come from the mirror
///   under a mutex: they never touch SQLite and never block for long.
/// - Writes (`put`, `remove`) run one transaction each on the store's own writer thread; the
///   caller suspends until the transaction has committed (durable: the node store opens with
///   `synchronous=FULL`), and only then does the mirror change. On a failed write neither the
///   table nor the mirror changes, and the `StoreError` is rethrown.
/// - Writes are applied one at a time in call order, so the mirror and the table never disagree.
/// - Thread-safe; share one per node.
public final class SQLiteKeyValueStore: KeyValueStore {
    /// The table behind the mirror.
    public let table: OverlayItemStore
    private let mirror: Mutex<ItemMirror>
    private let changes = Atomic<UInt64>(0)
    /// The last write queued; each write waits for the one before it.
    private let tail = Mutex<Task<Void, Never>?>(nil)

    private init(table: OverlayItemStore, mirror: ItemMirror) {
        self.table = table
        self.mirror = Mutex(mirror)
    }

    /// Loads every item of `overlay_items` in `database` (migrated with migration 0005) into
    /// memory. Throws `StoreError` when the table cannot be read or holds a key that is not 32 bytes.
    public static func open(_ database: DatabasePool) async throws -> SQLiteKeyValueStore {
        let table = OverlayItemStore(database)
        var mirror = ItemMirror()
        let records = try await table.all()
        var items: [StoredItem] = []
        items.reserveCapacity(records.count)
        for record in records {
            guard record.key.count == 32 else {
                throw StoreError(kind: .invalidArgument, reason: "overlay_items holds a key of \(record.key.count) bytes; expected 32")
            }
            items.append(StoredItem(key: RingKey(digest: record.key), name: record.name, version: record.version, value: record.value))
        }
        _ = mirror.put(items)
        return SQLiteKeyValueStore(table: table, mirror: mirror)
    }

    public func items(at key: RingKey) -> [StoredItem] {
        mirror.withLock { $0.items(at: key) }
    }

    @discardableResult
    public func put(_ items: [StoredItem]) async throws -> [StoredItem] {
        try await serialized { [self] in
            let newer = mirror.withLock { m in items.filter { m.isNewer($0) } }
            guard !newer.isEmpty else { return [] }
            try await table.upsert(newer.map {
                OverlayItemRecord(key: $0.key.bytes, name: $0.name, version: $0.version, value: $0.value.bytes)
            })
            let stored = mirror.withLock { $0.put(newer) }
            changes.add(1, ordering: .relaxed)
            return stored
        }
    }

    public func remove(in range: KeyRange) async throws {
        try await serialized { [self] in
            let ids = mirror.withLock { m in m.items(in: range, after: nil, limit: .max).map(\.id) }
            guard !ids.isEmpty else { return }
            try await table.delete(ids.map { (key: $0.key.bytes, name: $0.name) })
            mirror.withLock { $0.remove(ids) }
            changes.add(1, ordering: .relaxed)
        }
    }

    public func items(in range: KeyRange, after: ItemID?, limit: Int) -> [StoredItem] {
        mirror.withLock { $0.items(in: range, after: after, limit: limit) }
    }

    public func digest(of range: KeyRange) -> (count: Int, digest: UInt64) {
        mirror.withLock { $0.digest(of: range) }
    }

    public var count: Int { mirror.withLock { $0.count } }
    public var changeCount: UInt64 { changes.load(ordering: .relaxed) }

    /// Runs `body` after every write queued before it has finished (success or not).
    private func serialized<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task: Task<T, any Error> = tail.withLock { last in
            let previous = last
            let task = Task<T, any Error> {
                await previous?.value
                return try await body()
            }
            last = Task { _ = try? await task.value }
            return task
        }
        return try await task.value
    }
}
