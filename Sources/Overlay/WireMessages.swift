import Foundation
import MeshCore

/// Bytes that travel as a base64 string in JSON.
public struct Blob: Hashable, Sendable, Codable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let data = Data(base64Encoded: try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be base64")
        }
        bytes = Array(data)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Data(bytes).base64EncodedString())
    }
}

/// One stored value: placed on the ring at `key`, identified by `(key, name)`, so many writers
/// can keep separate items under one key (e.g. one posting batch per site under a term's key).
/// A higher `version` replaces a lower one of the same identity; an empty `value` is a
/// tombstone, kept so that an older copy arriving later cannot resurrect what was removed.
public struct StoredItem: Hashable, Sendable, Codable {
    public var key: RingKey
    /// Identity of the item among those under `key` (at most `WireLimits.maxItemNameBytes`).
    public var name: String
    public var version: UInt64
    public var value: Blob
    public init(key: RingKey, name: String = "", version: UInt64, value: [UInt8]) {
        self.key = key
        self.name = name
        self.version = version
        self.value = Blob(value)
    }

    /// The item's identity, its order in stores and pages.
    public var id: ItemID { ItemID(key: key, name: name) }
    /// True when this item records a removal.
    public var isTombstone: Bool { value.bytes.isEmpty }
}

/// An item's identity: ring key, then name. Ordered by key, then name (UTF-8 bytes), which is
/// the order of stores, handover pages and anti-entropy listings.
public struct ItemID: Hashable, Comparable, Sendable, Codable {
    public var key: RingKey
    public var name: String
    public init(key: RingKey, name: String) { self.key = key; self.name = name }
    public static func < (a: ItemID, b: ItemID) -> Bool {
        a.key != b.key ? a.key < b.key : Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
    }
}

/// A table's size and digest, piggybacked so neighbours notice when their tables differ.
public struct TableSummary: Hashable, Sendable, Codable {
    public var count: Int
    /// `MembershipView.digest` as 16 hex digits (JSON numbers lose 64-bit precision).
    public var digest: String
    public init(count: Int, digest: UInt64) {
        self.count = count
        self.digest = String(digest, radix: 16)
    }
}

/// `GET|POST /overlay/v1/ping`: liveness probe and join callback; carries piggybacked events.
public struct PingRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var from: MemberState?
    public var events: [MemberState]
    public var table: TableSummary?
    /// When set, a request for a second opinion: the receiver pings `target` itself and reports
    /// in `PingReply.reachable` (failure confirmation, DESIGN.md "Routing").
    public var target: NodeURL?
    public init(from: MemberState?, events: [MemberState] = [], table: TableSummary? = nil, target: NodeURL? = nil) {
        self.from = from; self.events = events; self.table = table; self.target = target
    }
}

/// Reply to a ping: the answering node's identity, so a join callback can check the id, and
/// the Moodle site it serves (`site`, a base URL), which term owners use for origin binding.
public struct PingReply: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var id: RingKey
    public var member: MemberState
    public var site: String?
    public var events: [MemberState]
    public var table: TableSummary?
    /// The answer to a second-opinion ping (`PingRequest.target`): whether the target answered.
    public var reachable: Bool?
    public init(member: MemberState, site: String? = nil, events: [MemberState] = [], table: TableSummary? = nil,
                reachable: Bool? = nil) {
        id = member.id; self.member = member; self.site = site; self.events = events; self.table = table
        self.reachable = reachable
    }
}

/// `POST /overlay/v1/join`: the sender asks to be admitted under `member.url`.
public struct JoinRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var member: MemberState
    public init(member: MemberState) { self.member = member }
}

/// `POST /overlay/v1/members`: one page of the member list after `after` (from the start when nil).
public struct MembersRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var after: RingKey?
    public var limit: Int
    public init(after: RingKey?, limit: Int) { self.after = after; self.limit = limit }
}

/// A member-list page; `next` is the cursor of the following page, nil on the last.
public struct MembersReply: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var members: [MemberState]
    public var next: RingKey?
    public var total: Int
    public init(members: [MemberState], next: RingKey?, total: Int) { self.members = members; self.next = next; self.total = total }
}

/// `POST /overlay/v1/lookup`: who owns `key`? With `app` and `payload` it is a routed message,
/// delivered to `app` on the owner (KBR `route`).
public struct LookupRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var key: RingKey
    public var app: String?
    public var payload: Blob?
    public init(key: RingKey, app: String? = nil, payload: [UInt8]? = nil) {
        self.key = key; self.app = app; self.payload = payload.map(Blob.init)
    }
}

/// The owner and its replicas when the answering node owns the key; otherwise `closer`:
/// the members it knows nearest the key, which the asker learns and asks next.
public struct LookupReply: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var owner: MemberState?
    public var replicas: [MemberState]
    public var closer: [MemberState]
    public var delivered: Bool
    /// The owner application's reply bytes to a routed message (`delivered` true).
    public var reply: Blob?
    public init(owner: MemberState?, replicas: [MemberState] = [], closer: [MemberState] = [], delivered: Bool = false,
                reply: [UInt8]? = nil) {
        self.owner = owner; self.replicas = replicas; self.closer = closer; self.delivered = delivered
        self.reply = reply.map(Blob.init)
    }
}

/// `POST /overlay/v1/app/{app}`: a message for application `app` on the receiving node (the
/// KBR `deliver`). The HTTP body is `payload` itself, not JSON-wrapped: the application owns its
/// format; the reply body is the application's reply bytes (`OverlayReply.payload`).
public struct DeliverRequest: Hashable, Sendable {
    /// Registered application name: 1-64 of `a-z 0-9 - _ .`.
    public var app: String
    public var payload: [UInt8]
    public init(app: String, payload: [UInt8]) { self.app = app; self.payload = payload }

    /// True when `name` is a valid application name.
    public static func isValidAppName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return !bytes.isEmpty && bytes.count <= WireLimits.maxAppNameBytes && bytes.allSatisfy {
            (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 || $0 == 46
        }
    }
}

/// `POST /overlay/v1/store`: keep these items; with `replicate` the owner forwards them to its replicas.
public struct StoreRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var items: [StoredItem]
    public var replicate: Bool
    public init(items: [StoredItem], replicate: Bool) { self.items = items; self.replicate = replicate }
}

/// `POST /overlay/v1/fetch`: the items stored under these keys.
public struct FetchRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var keys: [RingKey]
    public init(keys: [RingKey]) { self.keys = keys }
}

/// Items found (absent keys are left out); also the reply of `handover`, where `next` is the
/// cursor of the following page (nil on the last).
public struct ItemsReply: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var items: [StoredItem]
    public var next: ItemID?
    public init(items: [StoredItem], next: ItemID? = nil) { self.items = items; self.next = next }
}

/// `POST /overlay/v1/handover`: a newcomer pulls the items of `range` from its successor, paged.
public struct HandoverRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var range: KeyRange
    public var after: ItemID?
    public var limit: Int
    public init(range: KeyRange, after: ItemID?, limit: Int) { self.range = range; self.after = after; self.limit = limit }
}

/// `POST /overlay/v1/leave`: a leaving node hands its items to its successor and announces `member` (dead).
public struct LeaveRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var member: MemberState
    public var items: [StoredItem]
    public var more: Bool
    public init(member: MemberState, items: [StoredItem], more: Bool) { self.member = member; self.items = items; self.more = more }
}

/// `POST /overlay/v1/digest`: anti-entropy; the sender's count and XOR digest of its items in `range`.
public struct DigestRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var range: KeyRange
    public var count: Int
    public var digest: String
    public init(range: KeyRange, count: Int, digest: UInt64) { self.range = range; self.count = count; self.digest = String(digest, radix: 16) }
}

/// `match` when digests agree; otherwise the receiver's keys and versions in the range.
public struct DigestReply: Hashable, Sendable, Codable {
    public struct KeyVersion: Hashable, Sendable, Codable {
        public var key: RingKey
        public var name: String
        public var version: UInt64
        public init(key: RingKey, name: String = "", version: UInt64) { self.key = key; self.name = name; self.version = version }
    }
    public var v = WireLimits.protocolVersion
    public var match: Bool
    public var keys: [KeyVersion]
    public init(match: Bool, keys: [KeyVersion]) { self.match = match; self.keys = keys }
}

/// `POST /overlay/v1/events`: membership events going down the dissemination tree; the receiver
/// applies them and forwards to its fingers inside `(itself, limit)`.
public struct EventsRequest: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var events: [MemberState]
    public var limit: RingKey
    public init(events: [MemberState], limit: RingKey) { self.events = events; self.limit = limit }
}

/// Reply to requests that return nothing but acceptance.
public struct AckReply: Hashable, Sendable, Codable {
    public var v = WireLimits.protocolVersion
    public var ok: Bool
    public init(ok: Bool = true) { self.ok = ok }
}
