/// Settings of one overlay node. Every field is a named setting with its default documented;
/// all durations are measured on the node's `Clock`. A value type; thread-safe to share.
public struct OverlayConfiguration: Sendable {
    /// Holders per key, R: the owner and its next R-1 successors (default 3).
    public var replicas = 3
    /// Maintenance period: one `tick()` per period pings neighbours and runs anti-entropy (default 1 s).
    public var period: Duration = .seconds(1)
    /// How long any single request to another node may take before it counts as failed (default 2 s).
    public var requestTimeout: Duration = .seconds(2)
    /// Missed pings in a row before a neighbour is suspected (default 3).
    public var suspectAfterMisses = 3
    /// Members per page of a member-list transfer (default 500, at most `WireLimits.maxMembersPerPage`).
    public var membersPageSize = 500
    /// Items per page of a handover, leave or anti-entropy push (default 500, at most `WireLimits.maxItemsPerMessage`).
    public var itemsPageSize = 500
    /// Times each membership event rides on outgoing pings and pongs (default 6).
    public var piggybackTransmissions = 6
    /// Most events piggybacked on one ping or pong (default 8).
    public var piggybackPerMessage = 8
    /// Periods between anti-entropy rounds while neither the store nor the replica set changed
    /// (default 300: a safety net; changes trigger a round in the next period).
    public var antiEntropyEvery = 300
    /// After a store change, anti-entropy waits for a period without changes (a bulk publish
    /// writes every holder directly; comparing ranges mid-write only finds items still in
    /// flight), but never more than this many periods (default 5).
    public var antiEntropyQuietWait = 5
    /// Pings in a row that show a neighbour's table digest differing from ours before we pull its
    /// member list (default 3; events usually converge the tables first).
    public var tableRepairAfter = 3
    /// Most other nodes asked for a second opinion before a suspect counts as failed (default 3).
    public var confirmationHelpers = 3
    /// Periods the held range must stay unchanged before items outside it are dropped (default 8:
    /// longer than tables take to converge, so a table still behind never drops what an owner
    /// with a newer table just pushed).
    public var dropAfterStablePeriods = 8
    public init() {}
}

/// A snapshot of one node's overlay state, for `/api/v1/node`, `/overlay/v1/ping` pages and logs.
public struct OverlayStatus: Sendable, Codable, Equatable {
    /// Where the node is in its lifecycle.
    public enum State: String, Sendable, Codable {
        /// Not started: neither `startAlone()` nor `join(via:)` has run.
        case idle
        /// The only member of its ring.
        case alone
        /// Joining: verified admission, member pages and handover under way.
        case joining
        /// An active member of a ring of two or more.
        case member
        /// Handing its items over before it leaves.
        case leaving
        /// Left the ring; answers no requests.
        case left
    }
    public var id: RingKey
    public var url: NodeURL
    public var state: State
    /// This node's incarnation (its `MemberState.version`).
    public var incarnation: UInt64
    public var predecessor: NodeURL?
    public var successor: NodeURL?
    /// Alive members in this node's table, itself included.
    public var memberCount: Int
    /// Chord fingers derived from the table, clockwise.
    public var fingers: [NodeURL]
    /// Items in this node's store (owned and replicated).
    public var itemsHeld: Int
    /// The table's digest (16 hex digits); equal tables have equal digests.
    public var tableDigest: String
    /// Maintenance periods run so far.
    public var periods: UInt64

    enum CodingKeys: String, CodingKey {
        case id, url, state, incarnation, predecessor, successor, fingers, periods
        case memberCount = "member_count", itemsHeld = "items_held", tableDigest = "table_digest"
    }
}
