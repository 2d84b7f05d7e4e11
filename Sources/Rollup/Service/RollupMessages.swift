import MeshCore
import Overlay

/// What the rollup service needs from the overlay node, and nothing more: who this node is, its
/// parent toward a key (the next hop through its fingers), and a direct message to another
/// member's application. `OverlayNode` provides all three; tests use an in-memory double.
///
/// Implementations are thread-safe; `parent(toward:)` answers from local routing state without
/// network waits; `send` has its own timeout and throws `TransportError` when it fails.
public protocol RollupOverlay: Sendable {
    /// This node's URL (its `.id` is its ring id).
    var url: NodeURL { get }
    /// The next hop from this node toward `key`; nil when this node owns `key` (the root).
    func parent(toward key: RingKey) async -> NodeURL?
    /// Sends `payload` to the application `app` on `node` and returns its reply bytes.
    func send(to node: NodeURL, app: String, payload: [UInt8]) async throws(TransportError) -> [UInt8]
}

/// The payload of one upward rollup message (application `"stats"`): the sender's report plus
/// its URL, so the parent can show its children. JSON:
/// `{"v":1,"from":"https://…","report":{"sender":…,"version":{…},"aggregate":{…}|null}}`.
public struct RollupUpMessage: Codable, Hashable, Sendable {
    /// Format version; 1. Fields are only ever added.
    public var v: Int
    /// The sender's node URL.
    public var from: String
    /// The snapshot (or withdrawal) itself.
    public var report: RollupReport

    /// A version-1 message.
    public init(from: String, report: RollupReport) {
        v = 1
        self.from = from
        self.report = report
    }
}

/// The parent's answer to an upward message: the newest global aggregate it holds, so the
/// worldwide result flows down the tree one level per period with no extra messages.
/// JSON: `{"v":1,"global":{…}|null}`.
public struct RollupDownMessage: Codable, Hashable, Sendable {
    /// Format version; 1.
    public var v: Int
    /// The parent's newest global aggregate; nil before one reached it.
    public var global: GlobalAggregate?

    /// A version-1 reply.
    public init(global: GlobalAggregate?) {
        v = 1
        self.global = global
    }
}

/// The index-wide figures search ranking needs from the global aggregate: N and the summed
/// field lengths, from which BM25F's average field lengths follow exactly.
public struct IndexTotals: Hashable, Sendable {
    /// Course documents in the whole federation's index.
    public var documents: Int
    /// Summed field lengths over those documents.
    public var fieldLengths: FieldLengths
    /// When the root computed them.
    public var asOf: Timestamp

    /// The figures of `global`.
    public init(_ global: GlobalAggregate) {
        documents = global.aggregate.documents
        fieldLengths = global.aggregate.fieldLengths
        asOf = global.asOf
    }

    /// Exact average field lengths (zeros for an empty index).
    public var averageFieldLengths: AverageFieldLengths {
        Aggregate(totals: .zero, activitiesByType: [:], byCountry: [:], byLanguage: [:], byRelease: [:],
                  coursesByCategory: [:], documents: documents, fieldLengths: fieldLengths).averageFieldLengths
    }
}

/// Where this node stands in the statistics tree, for `/node`.
public struct RollupTreeStatus: Hashable, Sendable {
    /// The parent the last report went to; nil at the root (or before the first period).
    public var parent: NodeURL?
    /// Children whose latest report is live, by URL, in id order.
    public var children: [NodeURL]
    /// Sites in this node's subtree aggregate.
    public var subtreeSites: Int
    /// The newest global held, if any.
    public var global: GlobalAggregate?
    /// Periods run.
    public var periods: Int
    /// Upward sends that failed (the next period's report replaces what was lost).
    public var failedSends: Int
}
