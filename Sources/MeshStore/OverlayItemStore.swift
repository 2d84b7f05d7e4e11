import MeshCore

/// One overlay item as stored: identity `(key, name)`, a version where higher wins, and the
/// value bytes (empty for a tombstone). `key` is the ring key's 32 big-endian bytes.
public struct OverlayItemRecord: Sendable, Hashable {
    /// The ring key, 32 bytes, big-endian (so byte order is ring order).
    public var key: [UInt8]
    /// The item's name under its key ("" for the key's only item).
    public var name: String
    /// The item's version; a higher one replaces a lower one.
    public var version: UInt64
    /// The value; empty marks a tombstone.
    public var value: [UInt8]

    public init(key: [UInt8], name: String, version: UInt64, value: [UInt8]) {
        self.key = key
        self.name = name
        self.version = version
        self.value = value
    }
}

/// The items this node holds on the overlay, in table `overlay_items` (migration 0005).
///
/// Thread-safe; every method runs on the pool's own connection threads and only suspends the
/// caller. Writes are one transaction each and durable when they return (the node store opens
/// with `synchronous=FULL`). Throws `StoreError`.
public struct OverlayItemStore: Sendable {
    /// The database holding `overlay_items`.
    public let database: DatabasePool

    public init(_ database: DatabasePool) { self.database = database }

    /// Every stored item, in `(key, name)` order. Used once at open to fill an in-memory mirror.
    public func all() async throws -> [OverlayItemRecord] {
        try await database.read { db in
            try db.fetchAll("SELECT key, name, version, value FROM overlay_items ORDER BY key, name").map(Self.record(from:))
        }
    }

    /// Stores each record unless the table already holds the same `(key, name)` at an equal or
    /// higher version, all in one transaction (all or nothing). Throws
    /// `StoreError(.invalidArgument)` for a key that is not 32 bytes.
    public func upsert(_ records: [OverlayItemRecord]) async throws {
        guard !records.isEmpty else { return }
        try await database.write { db in
            let statement = try db.prepare("""
                INSERT INTO overlay_items (key, name, version, value) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (key, name) DO UPDATE SET version = excluded.version, value = excluded.value
                WHERE excluded.version > overlay_items.version
                """)
            for record in records {
                try Self.check(record.key)
                _ = try statement.execute([.blob(record.key), .text(record.name),
                                           .integer(Int64(bitPattern: record.version)), .blob(record.value)])
            }
        }
    }

    /// Deletes the items with these `(key, name)` identities, in one transaction; returns how
    /// many rows went.
    @discardableResult
    public func delete(_ ids: [(key: [UInt8], name: String)]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await database.write { db in
            let statement = try db.prepare("DELETE FROM overlay_items WHERE key = ?1 AND name = ?2")
            var removed = 0
            for id in ids { removed += try statement.execute([.blob(id.key), .text(id.name)]) }
            return removed
        }
    }

    /// The number of stored items.
    public func count() async throws -> Int {
        try await database.read { db in try db.scalar("SELECT count(*) FROM overlay_items", as: Int.self) ?? 0 }
    }

    private static func check(_ key: [UInt8]) throws {
        guard key.count == 32 else {
            throw StoreError(kind: .invalidArgument, reason: "an overlay item key must be 32 bytes, not \(key.count)")
        }
    }

    // The version column holds the UInt64's bit pattern: SQLite integers are signed 64-bit.
    static func record(from row: Row) throws -> OverlayItemRecord {
        OverlayItemRecord(key: try row.get(0), name: try row.get(1),
                          version: UInt64(bitPattern: try row.get(2, as: Int64.self)), value: try row.get(3))
    }
}
