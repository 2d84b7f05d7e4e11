import MeshCore

/// A peer's membership state as the overlay last judged it. An open set: the overlay may store
/// states of its own; these are the ones it is expected to use.
public struct PeerState: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Answering pings.
    public static let alive = PeerState(rawValue: "alive")
    /// Missed pings, not yet confirmed failed.
    public static let suspect = PeerState(rawValue: "suspect")
    /// Failure confirmed by a second node; removed from routing.
    public static let failed = PeerState(rawValue: "failed")
    /// Left gracefully.
    public static let left = PeerState(rawValue: "left")

    public var description: String { rawValue }
}

/// One overlay member this node knows.
public struct PeerRecord: Sendable, Equatable {
    /// The peer's normalized base URL (its identity).
    public var url: String
    /// The peer's node id as 64 lower-case hex digits.
    public var nodeID: String
    public var state: PeerState
    /// The CourseMesh version the peer reported ("" if unknown).
    public var version: String
    /// When the peer was last heard from.
    public var lastSeen: Timestamp

    public init(url: String, nodeID: String, state: PeerState, version: String = "", lastSeen: Timestamp) {
        self.url = url
        self.nodeID = nodeID
        self.state = state
        self.version = version
        self.lastSeen = lastSeen
    }
}

/// The peers this node knows, in table `peers`, so a restarted node can rejoin without a seed.
/// Thread-safe; writes are durable when they return; throws `StoreError`.
public struct PeerStore: Sendable {
    /// The database holding the `peers` table (migration 0002).
    public let database: DatabasePool

    public init(_ database: DatabasePool) { self.database = database }

    /// Inserts or replaces each peer (by URL), all in one transaction. Throws
    /// `StoreError(.invalidArgument)` for a node id that is not 64 lower-case hex digits.
    public func upsert(_ peers: [PeerRecord]) async throws {
        try await database.write { db in try Self.upsert(peers, in: db) }
    }

    /// Forgets the peer at `url`; returns whether it was known.
    @discardableResult
    public func remove(url: String) async throws -> Bool {
        try await database.write { db in try db.execute("DELETE FROM peers WHERE url = ?", [.text(url)]) > 0 }
    }

    /// The peer at `url`, or nil.
    public func get(url: String) async throws -> PeerRecord? {
        try await database.read { db in
            try db.fetchOne("SELECT \(Self.columns) FROM peers WHERE url = ?", [.text(url)]).map(Self.peer(from:))
        }
    }

    /// Known peers ordered by node id, all or only those in `state`.
    public func list(state: PeerState? = nil) async throws -> [PeerRecord] {
        try await database.read { db in
            if let state {
                return try db.fetchAll("SELECT \(Self.columns) FROM peers WHERE state = ? ORDER BY node_id, url",
                                       [.text(state.rawValue)]).map(Self.peer(from:))
            }
            return try db.fetchAll("SELECT \(Self.columns) FROM peers ORDER BY node_id, url").map(Self.peer(from:))
        }
    }

    /// The number of known peers.
    public func count() async throws -> Int {
        try await database.read { db in try db.scalar("SELECT count(*) FROM peers", as: Int.self) ?? 0 }
    }

    /// `upsert(_:)` inside the caller's transaction.
    public static func upsert(_ peers: [PeerRecord], in db: Database) throws {
        let statement = try db.prepare("""
            INSERT INTO peers (url, node_id, state, version, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (url) DO UPDATE SET node_id = ?2, state = ?3, version = ?4, last_seen_at = ?5
            """)
        for peer in peers {
            let isHex = peer.nodeID.utf8.count == 64
                && peer.nodeID.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            guard isHex else {
                throw StoreError(kind: .invalidArgument,
                                 reason: "node id of \(peer.url) must be 64 lower-case hex digits, not \(peer.nodeID)")
            }
            try statement.execute([.text(peer.url), .text(peer.nodeID), .text(peer.state.rawValue),
                                   .text(peer.version), .integer(peer.lastSeen.milliseconds)])
        }
    }

    static let columns = "url, node_id, state, version, last_seen_at"

    static func peer(from row: Row) throws -> PeerRecord {
        PeerRecord(url: try row.get(0), nodeID: try row.get(1), state: PeerState(rawValue: try row.get(2)),
                   version: try row.get(3), lastSeen: Timestamp(milliseconds: try row.get(4)))
    }
}
