import Foundation
import MeshCore
import MeshStore

/// What a publisher last sent for one term: the item's version, a digest of its postings, and
/// whether every holder acknowledged it (an unacknowledged one is sent again next sync).
public struct PublishedEntry: Codable, Hashable, Sendable {
    public var version: UInt64
    /// `PostingDigest` of the site's postings for the term; 0 for a tombstone.
    public var digest: UInt64
    public var complete: Bool
    enum CodingKeys: String, CodingKey { case version = "v", digest = "d", complete = "c" }
    public init(version: UInt64, digest: UInt64, complete: Bool) {
        self.version = version
        self.digest = digest
        self.complete = complete
    }
}

/// Where a publisher remembers what it published, so that a restart does not resend the whole
/// site and versions keep growing. Implementations are thread-safe; `save` is durable on return.
public protocol PublicationLedger: Sendable {
    /// Every term's entry (empty when nothing was published yet).
    func load() async throws -> [String: PublishedEntry]
    /// Replaces the stored entries with `entries`.
    func save(_ entries: [String: PublishedEntry]) async throws
}

/// A ledger in memory, for tests and nodes without a store. Thread-safe (an actor).
public actor MemoryPublicationLedger: PublicationLedger {
    private var entries: [String: PublishedEntry] = [:]
    public init() {}
    public func load() -> [String: PublishedEntry] { entries }
    public func save(_ entries: [String: PublishedEntry]) { self.entries = entries }
}

/// A ledger in the node store's `node_meta` table under `key` (JSON, name → entry), durable
/// before `save` returns. Throws `StoreError`.
public struct NodeMetaPublicationLedger: PublicationLedger {
    /// The `node_meta` key of the postings publisher's ledger (term → entry), the default.
    public static let metaKey = "search.published"
    /// The `node_meta` key of the suggestion publisher's ledger (prefix → entry).
    public static let suggestionsMetaKey = "search.suggestions.published"
    public let meta: NodeMetaStore
    public let key: String
    public init(meta: NodeMetaStore, key: String = metaKey) {
        self.meta = meta
        self.key = key
    }

    public func load() async throws -> [String: PublishedEntry] {
        guard let text = try await meta.get(key) else { return [:] }
        return (try? JSONDecoder().decode([String: PublishedEntry].self, from: Data(text.utf8))) ?? [:]
    }

    public func save(_ entries: [String: PublishedEntry]) async throws {
        let data = try JSONEncoder().encode(entries)
        try await meta.set(key, to: String(decoding: data, as: UTF8.self))
    }
}

/// An order-independent 64-bit digest of a site's postings for one term: equal postings give
/// equal digests on every run, so an unchanged term is recognized without storing its postings.
enum PostingDigest {
    static func fnv(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Digest of a document's info (everything a result shows and ranking reads).
    static func document(_ info: DocumentInfo) -> UInt64 {
        fnv(SearchCoding.encode(info))
    }

    /// One posting's contribution: its document's digest mixed with its frequencies and positions.
    static func posting(documentDigest: UInt64, occurrence: TermOccurrence) -> UInt64 {
        var h = documentDigest
        for (f, tf) in occurrence.tf.enumerated() {
            h = mix(h ^ UInt64(f) << 56 ^ UInt64(truncatingIfNeeded: tf))
            for p in f < occurrence.positions.count ? occurrence.positions[f] : [] { h = mix(h ^ UInt64(truncatingIfNeeded: p)) }
        }
        return h
    }

    /// The digest of a non-empty list (sum of posting contributions, never 0).
    static func list(_ contributions: [UInt64]) -> UInt64 {
        let sum = contributions.reduce(UInt64(0)) { $0 &+ $1 }
        return sum == 0 ? 1 : sum
    }
}
