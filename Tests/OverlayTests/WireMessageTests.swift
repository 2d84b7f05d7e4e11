import Testing
@testable import Overlay
import MeshCore

@Suite struct WireMessageTests {
    static let a = try! NodeURL("https://a.example.edu/mesh")
    static let member = MemberState(url: a, version: 1_700_000_000_000, alive: true)
    static let item = StoredItem(key: .term("biology"), name: "site:https://campus.example.edu", version: 3, value: Array("postings".utf8))
    static let range = KeyRange(after: .stats, upTo: a.id)

    static let requests: [OverlayRequest] = [
        .ping(PingRequest(from: member, events: [member], table: TableSummary(count: 3, digest: 0xABC))),
        .join(JoinRequest(member: member)),
        .members(MembersRequest(after: a.id, limit: 1000)),
        .lookup(LookupRequest(key: .term("x"), app: "search", payload: [1, 2, 3])),
        .store(StoreRequest(items: [item], replicate: true)),
        .fetch(FetchRequest(keys: [item.key])),
        .handover(HandoverRequest(range: range, after: nil, limit: 500)),
        .leave(LeaveRequest(member: MemberState(url: a, version: 1, alive: false), items: [item], more: false)),
        .digest(DigestRequest(range: range, count: 2, digest: 77)),
        .events(EventsRequest(events: [member], limit: a.id)),
        .deliver(DeliverRequest(app: "search", payload: Array(#"{"terms":["x"]}"#.utf8))),
    ]

    @Test(arguments: requests)
    func everyRequestRoundTripsThroughItsEndpoint(_ request: OverlayRequest) throws {
        let (method, path) = request.endpoint
        #expect(path.hasPrefix("/overlay/v1/"))
        let decoded = try OverlayRequest.decode(method: method, path: path, body: request.encodeBody())
        #expect(decoded == request)
    }

    @Test func repliesRoundTrip() throws {
        let pairs: [(OverlayRequest, OverlayReply)] = [
            (Self.requests[0], .pong(PingReply(member: Self.member))),
            (Self.requests[2], .members(MembersReply(members: [Self.member], next: nil, total: 1))),
            (Self.requests[3], .lookup(LookupReply(owner: nil, closer: [Self.member]))),
            (Self.requests[5], .items(ItemsReply(items: [Self.item]))),
            (Self.requests[8], .digest(DigestReply(match: false, keys: [.init(key: Self.item.key, version: 3)]))),
            (Self.requests[1], .ack(AckReply())),
            (Self.requests[10], .payload([1, 2, 3])),
        ]
        for (req, rep) in pairs {
            #expect(try OverlayReply.decode(replyTo: req, body: rep.encodeBody()) == rep)
        }
    }

    @Test func malformedOversizeAndWrongVersionAreRefusedWithServiceErrors() throws {
        func refuse(_ path: String, _ body: String) -> OverlayError? {
            do { _ = try OverlayRequest.decode(method: "POST", path: path, body: Array(body.utf8)); return nil } catch { return error }
        }
        #expect(refuse("/overlay/v1/join", "{")?.code == "malformed_message")
        #expect(refuse("/overlay/v1/join", #"{"v":1,"member":{"url":"ftp://x","version":1,"alive":true}}"#)?.code == "malformed_message")
        #expect(refuse("/overlay/v1/members", #"{"v":2,"limit":5}"#)?.code == "unsupported_version")
        #expect(refuse("/overlay/v1/members", #"{"v":1,"limit":5000}"#)?.status == 413)
        #expect(refuse("/overlay/v1/nope", "{}")?.code == "unknown_endpoint")
        let huge = [UInt8](repeating: 32, count: WireLimits.maxRequestBytes + 1)
        #expect(throws: OverlayError.self) { try OverlayRequest.decode(method: "POST", path: "/overlay/v1/ping", body: huge) }
        // The join callback is a bare GET.
        #expect(try OverlayRequest.decode(method: "GET", path: "/overlay/v1/ping", body: []) == .ping(PingRequest(from: nil)))
    }

    @Test func lookupAnswerNamesOwnerOrCloserNodes() throws {
        let urls = (0..<50).map { try! NodeURL("https://n\($0).edu") }
        let view = MembershipView(directory: MemberDirectory(urls.map { MemberState(url: $0, version: 1, alive: true) }))
        let key = RingKey.term("history")
        let owner = view.owner(of: key)!
        let asOwner = answerLookup(view: view, me: MemberState(url: owner, version: 1, alive: true), key: key, replicas: 3)
        #expect(asOwner.owner?.url == owner)
        #expect(asOwner.replicas.count == 2)
        let other = urls.first { $0 != owner }!
        let asOther = answerLookup(view: view, me: MemberState(url: other, version: 1, alive: true), key: key, replicas: 3)
        #expect(asOther.owner == nil)
        #expect(asOther.closer.first?.url == owner)
    }

    @Test func memoryStoreKeepsNewestVersionAndDigestsRanges() {
        let store = MemoryKeyValueStore()
        let k = RingKey.term("a")
        #expect(store.putNow([StoredItem(key: k, name: "site-a", version: 2, value: [1])]).count == 1)
        #expect(store.putNow([StoredItem(key: k, name: "site-a", version: 1, value: [9])]).isEmpty)
        #expect(store.putNow([StoredItem(key: k, name: "site-b", version: 1, value: [7])]).count == 1)
        #expect(store.items(at: k).map(\.value.bytes) == [[1], [7]])
        let whole = KeyRange(after: k, upTo: k)
        #expect(store.digest(of: whole).count == 2)
        let first = store.items(in: whole, after: nil, limit: 1)
        #expect(first.map(\.name) == ["site-a"])
        #expect(store.items(in: whole, after: first[0].id, limit: 10).map(\.name) == ["site-b"])
        store.removeNow(in: whole)
        #expect(store.count == 0)
    }
}
