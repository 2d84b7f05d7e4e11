/// The receiver's side of a join with callback verification, as a pure state machine.
///
/// A join request names a URL; before admitting it, the receiver pings that URL
/// (`GET {url}/overlay/v1/ping`) and admits the joiner only if the reply's id and member URL
/// are the joiner's: nobody joins under a URL it does not serve (DESIGN.md, "Identity and ring").
/// Not thread-safe; owned by one node.
public struct JoinAdmission: Sendable {
    /// What the node must do next.
    public enum Action: Equatable, Sendable {
        /// Ping this URL and feed the reply (or failure) to `callbackReplied`.
        case verify(NodeURL)
        /// Admit: apply this state to the table and announce it.
        case admit(MemberState)
        /// Refuse; `reason` is for the log.
        case refuse(NodeURL, reason: String)
    }

    private var waiting: [NodeURL: MemberState] = [:]

    public init() {}

    /// Joins waiting for their callback.
    public var pendingCount: Int { waiting.count }

    /// A join request arrived. A second request for the same URL while one waits is merged.
    public mutating func joinRequested(_ request: JoinRequest) -> Action {
        waiting[request.member.url] = request.member
        return .verify(request.member.url)
    }

    /// The callback ping to `url` answered `reply` (nil: it failed or timed out).
    public mutating func callbackReplied(_ url: NodeURL, reply: PingReply?) -> Action? {
        guard let member = waiting.removeValue(forKey: url) else { return nil }
        guard let reply else { return .refuse(url, reason: "the callback ping to \(url) failed") }
        guard reply.id == url.id, reply.member.url == url else {
            return .refuse(url, reason: "\(url) answered as \(reply.member.url) (id \(reply.id.hex.prefix(12))…)")
        }
        guard reply.member.version == member.version, reply.member.alive else {
            return .refuse(url, reason: "\(url) answered another incarnation")
        }
        return .admit(member)
    }
}
