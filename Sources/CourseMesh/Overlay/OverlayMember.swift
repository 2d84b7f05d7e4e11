import MeshHTTP
import Overlay

/// What the serving process needs from its overlay node: the lifecycle the scheduler drives,
/// the server side of the wire protocol, and a summary for `/api/v1/node`. `OverlayNode`
/// conforms; tests use small doubles. Implementations are thread-safe (actors).
public protocol OverlayMember: Sendable {
    /// This node's normalized base URL (its id is `url.id`).
    var memberURL: NodeURL { get }
    /// Becomes the first member of a new ring.
    func startAlone() async
    /// Joins the ring `bootstrap` belongs to; throws when the bootstrap refuses or is unreachable.
    func join(via bootstrap: NodeURL) async throws(OverlayError)
    /// One maintenance period (pings, failure detection, anti-entropy).
    func tick() async
    /// Leaves gracefully, handing items over.
    func leave() async
    /// Answers one decoded request from another node.
    func handle(_ request: OverlayRequest) async throws(OverlayError) -> OverlayReply
    /// Answers a request at once on the server's I/O thread when it can, else nil (`handle`
    /// answers it). Never suspends or blocks.
    func handleImmediately(_ request: OverlayRequest) throws(OverlayError) -> OverlayReply?
    /// The node's place in the ring, for status pages.
    func summary() async -> OverlaySummary
}

/// A node's place in the ring as `/api/v1/node` and `/node` show it. A value type.
public struct OverlaySummary: Sendable, Equatable {
    /// `alone`, `joining`, `member` or `leaving`.
    public var state: String
    public var predecessor: NodeURL?
    /// Successors in ring order, nearest first.
    public var successors: [NodeURL]
    /// Alive members this node knows, itself included.
    public var memberCount: Int
    /// Distinct finger entries derived from the member table.
    public var fingers: Int
    /// Overlay items this node holds as an owner or replica.
    public var itemsHeld: Int

    public init(state: String, predecessor: NodeURL?, successors: [NodeURL], memberCount: Int, fingers: Int, itemsHeld: Int) {
        self.state = state
        self.predecessor = predecessor
        self.successors = successors
        self.memberCount = memberCount
        self.fingers = fingers
        self.itemsHeld = itemsHeld
    }
}

extension OverlayMember {
    /// Answers nothing at once: every request goes to `handle`.
    public func handleImmediately(_ request: OverlayRequest) throws(OverlayError) -> OverlayReply? { nil }
}

extension OverlayRoutes {
    /// Adds every overlay route to `router`, answered by `member.handleImmediately` where it
    /// can and by `member.handle` otherwise.
    public static func install(on router: inout Router, member: any OverlayMember) {
        install(on: &router, immediate: { request throws(OverlayError) in try member.handleImmediately(request) },
                handler: { request throws(OverlayError) in try await member.handle(request) })
    }
}
