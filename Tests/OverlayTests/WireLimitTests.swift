import Testing
@testable import Overlay
import MeshCore

/// Every named limit of `WireLimits`, one past it, is refused by the decoder with 413
/// `message_too_large` before anything acts on the message (Docs/security.md).
@Suite struct WireLimitTests {
    static let a = try! NodeURL("https://a.example.edu/mesh")
    static let member = MemberState(url: a, version: 1, alive: true)

    static func refusal(_ request: OverlayRequest) -> OverlayError? {
        let (method, path) = request.endpoint
        do {
            _ = try OverlayRequest.decode(method: method, path: path, body: try request.encodeBody())
            return nil
        } catch let error as OverlayError {
            return error
        } catch {
            Issue.record("encoding failed: \(error)")
            return nil
        }
    }

    static func item(_ i: Int, name: String = "n") -> StoredItem {
        StoredItem(key: .term("t\(i)"), name: name, version: 1, value: [1])
    }

    static let overLimit: [(String, OverlayRequest)] = [
        ("ping events", .ping(PingRequest(from: member, events: Array(repeating: member, count: WireLimits.maxEventsPerMessage + 1)))),
        ("events", .events(EventsRequest(events: Array(repeating: member, count: WireLimits.maxEventsPerMessage + 1), limit: a.id))),
        ("members page", .members(MembersRequest(after: nil, limit: WireLimits.maxMembersPerPage + 1))),
        ("store items", .store(StoreRequest(items: (0...WireLimits.maxItemsPerMessage).map { item($0) }, replicate: false))),
        ("fetch keys", .fetch(FetchRequest(keys: Array(repeating: .stats, count: WireLimits.maxItemsPerMessage + 1)))),
        ("handover page", .handover(HandoverRequest(range: KeyRange(after: .stats, upTo: a.id), after: nil, limit: WireLimits.maxItemsPerMessage + 1))),
        ("leave items", .leave(LeaveRequest(member: MemberState(url: a, version: 1, alive: false),
                                            items: (0...WireLimits.maxItemsPerMessage).map { item($0) }, more: false))),
        ("item name", .store(StoreRequest(items: [item(0, name: String(repeating: "x", count: WireLimits.maxItemNameBytes + 1))], replicate: false))),
        ("lookup payload", .lookup(LookupRequest(key: .stats, app: "search", payload: [UInt8](repeating: 7, count: WireLimits.maxPayloadBytes + 1)))),
        ("deliver payload", .deliver(DeliverRequest(app: "search", payload: [UInt8](repeating: 7, count: WireLimits.maxPayloadBytes + 1)))),
    ]

    @Test(arguments: overLimit.map(\.0))
    func oneOverEachListOrSizeLimitIsRefusedWith413(_ name: String) throws {
        let request = try #require(Self.overLimit.first { $0.0 == name }?.1)
        let error = try #require(Self.refusal(request), "\(name) one over its limit was accepted")
        #expect(error.status == 413, "\(name): \(error)")
        #expect(error.code == "message_too_large")
    }

    @Test func atTheLimitIsAccepted() {
        #expect(Self.refusal(.members(MembersRequest(after: nil, limit: WireLimits.maxMembersPerPage))) == nil)
        #expect(Self.refusal(.store(StoreRequest(items: (0..<WireLimits.maxItemsPerMessage).map { Self.item($0) }, replicate: true))) == nil)
        #expect(Self.refusal(.deliver(DeliverRequest(app: "search", payload: [UInt8](repeating: 7, count: WireLimits.maxPayloadBytes)))) == nil)
    }

    @Test func bodiesOverTheRequestLimitAreRefusedBeforeDecoding() {
        // Not JSON at all: the size check comes first, so a 4 MiB + 1 body costs no parse.
        let huge = [UInt8](repeating: 0xFF, count: WireLimits.maxRequestBytes + 1)
        for path in ["/overlay/v1/store", "/overlay/v1/app/search", "/overlay/v1/nope"] {
            #expect(throws: OverlayError.tooLarge("request body of \(huge.count) bytes exceeds \(WireLimits.maxRequestBytes)")) {
                try OverlayRequest.decode(method: "POST", path: path, body: huge)
            }
        }
    }

    @Test func repliesOverTheirLimitsAreRefused() throws {
        let ping = OverlayRequest.ping(PingRequest(from: nil))
        let huge = [UInt8](repeating: 0x20, count: WireLimits.maxReplyBytes + 1)
        #expect(throws: OverlayError.self) { try OverlayReply.decode(replyTo: ping, body: huge) }
        let members = OverlayRequest.members(MembersRequest(after: nil, limit: 10))
        let page = OverlayReply.members(MembersReply(members: Array(repeating: Self.member, count: WireLimits.maxMembersPerPage + 1), next: nil, total: 1))
        #expect(throws: OverlayError.self) { try OverlayReply.decode(replyTo: members, body: page.encodeBody()) }
        let lookup = OverlayRequest.lookup(LookupRequest(key: .stats))
        let closer = OverlayReply.lookup(LookupReply(owner: nil, closer: Array(repeating: Self.member, count: WireLimits.maxCloserNodes + 1)))
        #expect(throws: OverlayError.self) { try OverlayReply.decode(replyTo: lookup, body: closer.encodeBody()) }
    }

    @Test func applicationNamesOutsideTheirAlphabetOrLengthAreRefused() {
        for app in [String(repeating: "a", count: WireLimits.maxAppNameBytes + 1), "", "Search", "a/b", "<script>", "..%2f"] {
            #expect(throws: OverlayError.self) { try OverlayRequest.decode(method: "POST", path: "/overlay/v1/app/" + app, body: [1]) }
        }
    }
}
