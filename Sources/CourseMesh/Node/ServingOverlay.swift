import MeshCore
import MeshHTTP
import Overlay

/// What an overlay node of a serving process is built from: its identity and the real
/// implementations of the overlay's seams (HTTP transport, system clock, SQLite item store).
public struct OverlayParts: Sendable {
    /// This node's normalized public URL (its ring id is `url.id`).
    public var url: NodeURL
    /// The Moodle site this node serves (origin binding in ping replies).
    public var site: String
    /// Start time in Unix milliseconds: a restarted node's beliefs supersede its old ones.
    public var incarnation: UInt64
    public var transport: HTTPTransport
    public var clock: any Clock
    public var store: SQLiteKeyValueStore
}

/// The overlay side of `coursemesh serve`: builds the parts, mounts `/overlay/v1/*` on the
/// router before the server starts, then (once the server listens, so the join callback can
/// reach this node's ping) starts or joins the ring, and on shutdown leaves before the server
/// stops. Owns the HTTP client it sends with.
public final class ServingOverlay: Sendable {
    /// The node, as the scheduler and the routes see it.
    public let member: any OverlayMember
    /// Drives join, ticks and leave.
    public let scheduler: OverlayScheduler
    /// Where to join; nil starts a new ring.
    public let bootstrap: NodeURL?
    private let client: HTTPClient

    /// Builds the parts for `node` and the member from them with `makeMember`, attaches it to
    /// `node` (for `/api/v1/node`) and mounts its routes on `router`. Throws `OverlayError` for a
    /// bootstrap URL that does not normalize, `StoreError` when the item store cannot load.
    public init(node: CampusNode, bootstrap: String?, period: Duration, router: inout Router, logger: Logger,
                clock: any Clock = SystemClock(),
                makeMember: (OverlayParts) -> any OverlayMember) async throws {
        self.bootstrap = try bootstrap.flatMap { $0.isEmpty ? nil : $0 }.map { text throws(OverlayError) in try NodeURL(text) }
        var settings = HTTPClientSettings()
        settings.maxResponseBytes = WireLimits.maxReplyBytes
        client = HTTPClient(settings: settings)
        let store: SQLiteKeyValueStore
        do { store = try await node.openItemStore() } catch { client.shutdown(); throw error }
        let parts = OverlayParts(url: node.nodeURL, site: await node.siteURL,
                                 incarnation: UInt64(max(0, clock.now().milliseconds)), transport: HTTPTransport(client: client),
                                 clock: clock, store: store)
        member = makeMember(parts)
        scheduler = OverlayScheduler(member: member, period: period, logger: logger)
        await node.attach(overlay: member)
        OverlayRoutes.install(on: &router, member: member)
    }

    /// Starts or joins the ring in the background (see `OverlayScheduler.start`).
    public func start() async { await scheduler.start(bootstrap: bootstrap) }

    /// Leaves the ring (if a member) and closes the HTTP client. Call before the server stops.
    public func stop() async {
        await scheduler.stop()
        client.shutdown()
    }
}
