import MeshCore
import Overlay
import Synchronization
@testable import Search

/// An in-memory ring of search nodes for tests: replica sets by successor order of node ids,
/// app messages delivered straight to each node's `SearchOwner`, nodes that can be taken down,
/// and a log of every request (from, to, and the message's kind).
final class FederationHub: Sendable {
    struct Member: Sendable {
        var node: TestSearchNode
        var owner: SearchOwner
    }
    private struct State {
        var members: [NodeURL: Member] = [:]
        var down = Set<NodeURL>()
        var pingSite: [NodeURL: String] = [:]
        var requests: [(from: NodeURL, to: NodeURL)] = []
        var kinds: [String] = []
    }
    private let state = Mutex(State())
    let replicas: Int

    init(replicas: Int = 3) { self.replicas = replicas }

    /// Adds a node serving `site` (its ping names `site`).
    @discardableResult
    func add(_ url: String, site: String, settings: FederationSettings = .init(), blocked: [String] = []) -> TestSearchNode {
        let node = TestSearchNode(url: try! NodeURL(url), hub: self)
        let owner = SearchOwner(network: node, settings: settings, blockedSites: blocked)
        state.withLock {
            $0.members[node.url] = Member(node: node, owner: owner)
            $0.pingSite[node.url] = site
        }
        return node
    }

    func owner(_ url: NodeURL) -> SearchOwner { state.withLock { $0.members[url]!.owner } }
    func setDown(_ url: NodeURL, _ down: Bool = true) {
        state.withLock { s in if down { s.down.insert(url) } else { s.down.remove(url) } }
    }
    var requestLog: [(from: NodeURL, to: NodeURL)] { state.withLock { $0.requests } }
    /// The kind of every message delivered, in order (`lookup`, `postings`, `occurrences`, …).
    var kindLog: [String] { state.withLock { $0.kinds } }
    var nodes: [TestSearchNode] { state.withLock { $0.members.values.map(\.node).sorted { $0.url < $1.url } } }

    func replicaSet(of key: RingKey) -> [NodeURL] {
        let ring = state.withLock { $0.members.keys.sorted { $0.id < $1.id } }
        guard !ring.isEmpty else { return [] }
        let start = ring.firstIndex { $0.id >= key } ?? 0
        return (0..<min(replicas, ring.count)).map { ring[(start + $0) % ring.count] }
    }

    func deliver(from: NodeURL, to: NodeURL, payload: [UInt8]) async throws(TransportError) -> [UInt8] {
        let kind = (try? SearchMessage.decode(payload)).map { String(describing: $0).prefix { $0 != "(" } } ?? "?"
        let member: Member? = state.withLock { s in
            s.requests.append((from, to))
            s.kinds.append(String(kind))
            return s.down.contains(to) ? nil : s.members[to]
        }
        guard let member else { throw .unreachable(to.string) }
        do { return try await member.owner.receive(payload, key: nil) } catch let error as SearchError {
            throw .rejected(status: error.status, code: error.code, message: error.message)
        } catch {
            throw .malformedReply(String(describing: error))
        }
    }

    func ping(_ url: NodeURL) -> PingReply? {
        state.withLock { s in
            s.down.contains(url) || s.members[url] == nil ? nil
                : PingReply(member: MemberState(url: url, version: 1, alive: true), site: s.pingSite[url])
        }
    }
}

/// One node of a `FederationHub`, seen through the narrow `SearchNetwork` seam.
final class TestSearchNode: SearchNetwork {
    let url: NodeURL
    let memoryStore = MemoryKeyValueStore()
    var store: any KeyValueStore { memoryStore }
    private let hubReference: Mutex<FederationHub?>

    init(url: NodeURL, hub: FederationHub) {
        self.url = url
        self.hubReference = Mutex(hub)
    }

    private var hub: FederationHub { hubReference.withLock { $0! } }

    func replicaSet(of key: RingKey) async -> [NodeURL] { hub.replicaSet(of: key) }
    func send(to: NodeURL, app: String, payload: [UInt8]) async throws(TransportError) -> [UInt8] {
        try await hub.deliver(from: url, to: to, payload: payload)
    }
    func storeLocal(_ items: [StoredItem]) async throws -> [StoredItem] { memoryStore.putNow(items) }
    func probe(_ url: NodeURL) async -> PingReply? { hub.ping(url) }
}

/// A small course document on `site` (course URL on the site's host).
func course(_ id: Int64, site: SiteInfo, title: String, summary: String = "", tags: [String] = [], language: String = "") -> CourseDocument {
    CourseDocument(courseID: id, url: site.url + "/course/view.php?id=\(id)", fullName: title, shortName: "", summary: summary,
                   categoryPath: ["Science"], tags: tags, language: language, format: "topics", startDate: nil, endDate: nil,
                   timeModified: 0, openEnrolment: true, enrolledCount: 0, modules: [])
}

/// Collection statistics summed over sites, as the rollup's global aggregate gives them.
func summedStatistics(_ indexes: [LocalIndex]) async -> CollectionStatistics {
    var n = 0
    var sums = Array(repeating: 0.0, count: Field.allCases.count)
    for index in indexes {
        for info in await index.documentInfos() {
            n += 1
            for i in sums.indices { sums[i] += Double(info.fieldLengths[i]) }
        }
    }
    return CollectionStatistics(documentCount: n, averageFieldLengths: sums.map { n > 0 ? $0 / Double(n) : 0 })
}
