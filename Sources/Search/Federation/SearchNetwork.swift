import MeshCore
import Overlay

/// What the distributed index needs from the overlay, and nothing more: who holds a key, a
/// direct message to one node, this node's own item store, and a ping that tells which site a
/// node serves. `OverlayNode` conforms in the node layer; tests use an in-memory double.
/// Implementations are thread-safe; every remote call gives up after the implementation's own
/// request timeout (`OverlayConfiguration.requestTimeout` for `OverlayNode`), so the search layer
/// never reads a clock or sleeps.
public protocol SearchNetwork: Sendable {
    /// This node's URL.
    var url: NodeURL { get }
    /// This node's item store (what `storeLocal` writes; read directly by term holders).
    var store: any KeyValueStore { get }
    /// The nodes holding `key`, owner first (R entries when the ring has R members or more).
    func replicaSet(of key: RingKey) async -> [NodeURL]
    /// `replicaSet(of:)` of each of `keys`, in order, read from one view of the table (a query
    /// asks for all its terms at once rather than entering the overlay once per term).
    func replicaSets(of keys: [RingKey]) async -> [[NodeURL]]
    /// Sends `payload` to application `app` on node `to`; throws on timeout, unreachable node
    /// or a refusal (`TransportError.rejected` carries the remote `ServiceError`).
    func send(to: NodeURL, app: String, payload: [UInt8]) async throws(TransportError) -> [UInt8]
    /// `send` of several messages in parallel: each outcome, in order, once all have finished.
    /// The default sends them concurrently one by one; `OverlayNode` hands the remote ones to
    /// its transport together (a query's round costs one handoff to the network).
    func sendAll(app: String, messages: [(node: NodeURL, payload: [UInt8])]) async -> [Result<[UInt8], TransportError>]
    /// Stores items in this node's store only (durable on return); returns those stored.
    func storeLocal(_ items: [StoredItem]) async throws -> [StoredItem]
    /// One ping to `url`: its reply (with the site it serves), nil when it did not answer.
    func probe(_ url: NodeURL) async -> PingReply?
}

extension SearchNetwork {
    public func sendAll(app: String, messages: [(node: NodeURL, payload: [UInt8])]) async -> [Result<[UInt8], TransportError>] {
        await messages.concurrentMap { message in
            do throws(TransportError) { return .success(try await send(to: message.node, app: app, payload: message.payload)) }
            catch { return .failure(error) }
        }
    }

    public func replicaSets(of keys: [RingKey]) async -> [[NodeURL]] {
        var sets: [[NodeURL]] = []
        for key in keys { sets.append(await replicaSet(of: key)) }
        return sets
    }
}

/// Named settings of the distributed index, with their defaults.
public struct FederationSettings: Sendable, Hashable {
    /// The overlay application name search messages use (default "search").
    public static let applicationName = "search"
    /// Largest publish request a publisher builds, in bytes; a holder's items are split over
    /// more requests only past this (default 1,000,000, under the overlay's 1 MiB payload limit).
    public var maxPublishBytes = 1_000_000
    /// Most postings one site may have held on one node, over all terms (default 2,000,000).
    public var perSiteQuota = 2_000_000
    /// Candidate sets larger than this travel as a Bloom filter (default 256 ids).
    public var bloomThreshold = 256

    public init() {}
}

extension SearchError {
    static func originMismatch(_ detail: String) -> SearchError {
        SearchError(status: 403, code: "origin_mismatch",
                    message: "Postings refused: \(detail). A node may only publish courses of the site it serves.")
    }
    static func siteBlocked(_ site: String) -> SearchError {
        SearchError(status: 403, code: "site_blocked", message: "This node does not accept postings from \(site).")
    }
    static func quotaExceeded(_ site: String, _ quota: Int) -> SearchError {
        SearchError(status: 429, code: "site_quota_exceeded",
                    message: "Postings refused: \(site) would hold more than \(quota) postings on this node. Publish fewer terms.")
    }
}

/// The item name under which one site's postings for a term are kept: `"site:" + site URL`.
public func postingItemName(site: String) -> String { "site:" + site }

/// What sending one holder its publish payloads gave.
struct HolderDelivery: Sendable {
    var holder: NodeURL
    /// Requests sent (the payloads up to and including the first that failed).
    var requests = 0
    /// Payload bytes sent.
    var bytes = 0
    /// Why the holder did not acknowledge; nil when every payload was acknowledged.
    var failure: TransportError?

    /// Sends each holder its payloads, holders in parallel and a holder's payloads in order,
    /// stopping at a holder's first failure. One outcome per holder, in the order given.
    static func send(_ payloads: [(holder: NodeURL, payloads: [[UInt8]])], over network: any SearchNetwork) async -> [HolderDelivery] {
        await payloads.concurrentMap { await send($0.payloads, to: $0.holder, over: network) }
    }

    // The failure is kept as a value rather than tested in a `catch` that ignores it: Swift
    // 6.3.1's optimizer miscompiled that shape (a typed-throws call through `any SearchNetwork`
    // in a task, flagging a struct field in the `catch` and breaking out of the loop) into
    // reporting every send as failed in release builds.
    private static func send(_ payloads: [[UInt8]], to holder: NodeURL, over network: any SearchNetwork) async -> HolderDelivery {
        var delivery = HolderDelivery(holder: holder)
        for payload in payloads {
            delivery.requests += 1
            delivery.bytes += payload.count
            let result: Result<[UInt8], TransportError>
            do { result = .success(try await network.send(to: holder, app: FederationSettings.applicationName, payload: payload)) } catch {
                result = .failure(error)
            }
            if case .failure(let error) = result {
                delivery.failure = error
                break
            }
        }
        return delivery
    }
}

extension PublishReport {
    /// Adds the deliveries' requests, bytes and failed holders (with their reasons).
    mutating func record(_ deliveries: [HolderDelivery]) {
        for delivery in deliveries {
            requests += delivery.requests
            bytesSent += delivery.bytes
            if let failure = delivery.failure { failures[delivery.holder] = String(describing: failure) }
        }
    }
}
