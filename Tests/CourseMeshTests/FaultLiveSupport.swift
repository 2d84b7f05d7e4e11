import CourseMesh
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MeshCore
import Overlay
import Search
import Testing

/// A live federation for fault tests: N `coursemesh serve` processes in one ring, a few hundred
/// fixture courses pushed through the API, and single-term queries with their exact answers
/// (the set of matching course ids, from one `LocalIndex` over the same courses).
struct FaultFederation {
    /// One query's answer as a node gave it.
    struct Answer {
        var status: Int
        var ids: Set<String>
        var partial: Bool
        var missingTerms: [String]
        var body: String
    }

    let federation: LocalFederation
    let nodes: [LocalNode]
    let token: String
    /// Query -> the ids of every course it matches (at most one page of 50, so the whole set).
    let expected: [String: Set<String>]
    /// Query -> its analyzed terms (the ring keys its postings live under).
    let terms: [String: [String]]
    var queries: [String] { expected.keys.sorted() }

    /// Starts `count` nodes, pushes `perSite` courses to each, and waits (bounded) until node 0
    /// answers every query completely. Queries: single title words matching 1...50 courses.
    static func start(count: Int, perSite: Int, maxQueries: Int = 60,
                      tweak: (inout LocalFederationConfiguration) -> Void = { _ in }) async throws -> FaultFederation {
        let sites = (0..<count).map {
            LocalFederationConfiguration.Site(url: "https://campus\($0).example.edu", name: "Campus \($0)",
                                              country: $0 % 2 == 0 ? "US" : "IT", language: $0 % 2 == 0 ? "en" : "it")
        }
        var configuration = LocalFederationConfiguration(sites: sites)
        configuration.executable = LocalFederationTests.binary
        configuration.logLevel = "warn"
        configuration.overlay = .on
        configuration.startTimeout = .seconds(90)
        configuration.stopGrace = .seconds(3)
        configuration.extraArguments = ["--stats-period", "1", "--grace", "1"]
        tweak(&configuration)
        // The fixture is dealt round robin over 16 sites; take the first `perSite` of each used site.
        let all = try FederatedSearchLiveTests.corpus(sites: (0..<FederatedSearchLiveTests.siteCount).map { sites[$0 % count] })
        var taken = [Int: Int]()
        let corpus = all.filter { _, k in
            guard k < count, taken[k, default: 0] < perSite else { return false }
            taken[k, default: 0] += 1
            return true
        }
        let federation = LocalFederation(configuration)
        try await federation.start()
        let nodes = await federation.nodes
        for k in 0..<count {
            let body = try JSONCoding.encode(["courses": corpus.filter { $0.1 == k }.map(\.0)])
            let (status, reply) = try await FederatedSearchLiveTests.http(nodes[k].url + "/api/v1/courses", method: "POST",
                                                                          body: Data(body), token: configuration.apiToken)
            guard status == 200 else {
                await federation.stop(removeFiles: false)
                throw PlainServiceError(status: 500, code: "push_failed",
                                        message: "push to node \(k) answered \(status): \(String(decoding: reply, as: UTF8.self)) (log \(nodes[k].logPath))")
            }
        }

        // Exact answers from one index over the same courses.
        let reference = LocalIndex()
        for (doc, k) in corpus {
            await reference.add(doc, site: SiteInfo(url: sites[k].url, name: sites[k].name, country: sites[k].country, language: sites[k].language))
        }
        let engine = SearchEngine(source: reference)
        var expected: [String: Set<String>] = [:], terms: [String: [String]] = [:]
        var seen = Set<String>()
        for (doc, _) in corpus where expected.count < maxQueries {
            for word in doc.fullName.split(whereSeparator: { !$0.isLetter }).map({ $0.lowercased() }) where word.count > 4 {
                guard expected.count < maxQueries, seen.insert(word).inserted,
                      let parsed = try? QueryParser.parse(word), parsed.allTerms.count == 1,
                      let page = try? await engine.search(Search.SearchRequest(query: word, pageSize: 50)),
                      (1...50).contains(page.total) else { continue }
                expected[word] = Set(page.hits.map(\.id))
                terms[word] = parsed.allTerms
            }
        }
        let ready = FaultFederation(federation: federation, nodes: nodes, token: configuration.apiToken, expected: expected, terms: terms)
        if let wrong = await ready.waitUntilComplete(from: [0], within: .seconds(60)) {
            await federation.stop(removeFiles: false)
            throw PlainServiceError(status: 500, code: "not_ready", message: "before any fault: \(wrong)")
        }
        return ready
    }

    /// `GET /api/v1/search?q=query&page_size=50` on node `i`.
    func ask(_ i: Int, _ query: String, timeout: TimeInterval = 20) async -> Answer {
        var components = URLComponents(string: nodes[i].url + "/api/v1/search")!
        components.queryItems = [URLQueryItem(name: "q", value: query), URLQueryItem(name: "page_size", value: "50")]
        guard let (status, data) = try? await FederatedSearchLiveTests.http(components.url!.absoluteString, timeout: timeout) else {
            return Answer(status: 0, ids: [], partial: false, missingTerms: [], body: "no answer within \(Int(timeout)) s")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let ids = (object?["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        return Answer(status: status, ids: Set(ids), partial: object?["partial"] as? Bool ?? false,
                      missingTerms: object?["missing_terms"] as? [String] ?? [], body: String(decoding: data.prefix(300), as: UTF8.self))
    }

    /// Nil when `answer` is either complete or marked partial; else why it is wrong (names node and log).
    func silentlyWrong(_ answer: Answer, query: String, node i: Int) -> String? {
        let place = "node \(i) (log \(nodes[i].logPath))"
        guard answer.status == 200 else { return "'\(query)' on \(place): status \(answer.status): \(answer.body)" }
        if answer.partial { return nil }
        let want = expected[query]!
        guard answer.ids == want else {
            return "'\(query)' on \(place): not partial, yet \(want.subtracting(answer.ids).count) of \(want.count) results missing and \(answer.ids.subtracting(want).count) extra"
        }
        return nil
    }

    /// Waits until every query is complete (not partial, exact) on each of `askers`; nil when
    /// it is, else the last thing wrong.
    func waitUntilComplete(from askers: [Int], within bound: Duration) async -> String? {
        let deadline = ContinuousClock.now + bound
        var last = "no query asked"
        while ContinuousClock.now < deadline {
            last = ""
            for i in askers {
                for q in queries {
                    let a = await ask(i, q)
                    if a.partial { last = "'\(q)' on node \(i) (log \(nodes[i].logPath)) still partial, missing \(a.missingTerms)"; break }
                    if let wrong = silentlyWrong(a, query: q, node: i) { last = wrong; break }
                }
                if !last.isEmpty { break }
            }
            if last.isEmpty { return nil }
            try? await Task.sleep(for: .seconds(1))
        }
        return "after \(bound): \(last)"
    }

    /// The R holders of `term` by the full membership of `urls` (owner first).
    static func holders(of term: String, among urls: [String]) -> [NodeURL] {
        let view = MembershipView(states: urls.compactMap { try? NodeURL($0) }.map { MemberState(url: $0, version: 1, alive: true) })
        return view.replicaSet(of: .term(term), replicas: OverlayConfiguration().replicas)
    }

    /// Index of the node at `url`.
    func index(of url: NodeURL) -> Int? { nodes.firstIndex { (try? NodeURL($0.url)) == url } }

    /// Members node `i` reports, nil when it does not answer.
    func members(_ i: Int) async -> Int? {
        guard let (_, data) = try? await FederatedSearchLiveTests.http(nodes[i].url + "/api/v1/node", timeout: 5) else { return nil }
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["members"] as? Int
    }

    /// Waits until each of `indices` reports `count` members; nil when so, else who does not.
    func waitForMembers(_ count: Int, on indices: [Int], within bound: Duration) async -> String? {
        let deadline = ContinuousClock.now + bound
        var wrong: [String] = []
        while ContinuousClock.now < deadline {
            wrong = []
            for i in indices {
                let m = await members(i)
                if m != count { wrong.append("node \(i) reports \(m.map(String.init) ?? "nothing") (log \(nodes[i].logPath))") }
            }
            if wrong.isEmpty { return nil }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return "after \(bound), not \(count) members: " + wrong.joined(separator: "; ")
    }
}
