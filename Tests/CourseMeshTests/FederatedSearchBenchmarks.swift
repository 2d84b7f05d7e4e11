import CourseMesh
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MeshCore
import MeshHTTP
import MeshStore
import Search
import Testing

/// Figures for Docs/benchmarks.md ("Distributed search"): publishing the corpus on 16 live
/// nodes, 2-term query latency at 50 queries/s, bytes per rare+common query, and SQLite FTS5's
/// bm25 over the same corpus beside the single index. Runs only with COURSEMESH_BENCH=1; the
/// nodes run COURSEMESH_BENCH_BINARY (a release `coursemesh`) when set. Bounded: 500 queries.
@Suite(.serialized)
struct FederatedSearchBenchmarks {
    static let enabled = ProcessInfo.processInfo.environment["COURSEMESH_BENCH"] == "1"
    static let binary = ProcessInfo.processInfo.environment["COURSEMESH_BENCH_BINARY"] ?? LocalFederationTests.binary
    static let queryCount = 500
    static let interval: Duration = .milliseconds(20)   // 50 queries/s

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000
    }

    static func metric(_ node: String, _ name: String) async throws -> Double {
        let (_, data) = try await FederatedSearchLiveTests.http(node + "/metrics")
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    /// `count` queries from `pairs` at 50/s, round-robin over `nodes`, each on its own task:
    /// client latency (request sent to reply read), the node's took_ms, start offset, index, query.
    static func queries(_ pairs: [String], count: Int, offset: Int, nodes: [String], client: HTTPClient) async throws
        -> [(client: Double, took: Double, at: Double, index: Int, query: String)] {
        let begin = ContinuousClock.now
        return try await withThrowingTaskGroup(of: (Double, Double, Double, Int, String).self) { group in
            for i in 0..<count {
                let query = pairs[(i + offset) % pairs.count]
                let node = nodes[i % nodes.count]
                group.addTask {
                    try await Task.sleep(until: begin + Self.interval * i, clock: .continuous)
                    var components = URLComponents(string: node + "/api/v1/search")!
                    components.queryItems = [URLQueryItem(name: "q", value: query)]
                    let t0 = ContinuousClock.now
                    let reply = try await client.send(url: components.url!.absoluteString, timeout: .seconds(30))
                    let elapsed = ContinuousClock.now - t0
                    #expect(reply.status == 200)
                    let took = (try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])?["took_ms"] as? Int ?? -1
                    return (Self.milliseconds(elapsed), Double(took), Self.milliseconds(t0 - begin), i, query)
                }
            }
            var out: [(Double, Double, Double, Int, String)] = []
            for try await l in group { out.append(l) }
            return out
        }
    }

    @Test(.enabled(if: enabled))
    func publishingQueryingAndFTS5() async throws {
        let (federation, configuration, corpus) = try await FederatedSearchLiveTests.startSites(executable: Self.binary)
        let sites = configuration.sites
        defer { Task { await federation.stop() } }
        let nodes = await federation.nodes

        // Publishing: every site pushes its courses at once; a push returns after its publish.
        // The bodies are encoded before the clock starts: the figure is the nodes' work.
        let bodies = try (0..<16).map { k in try JSONCoding.encode(["courses": corpus.filter { $0.1 == k }.map(\.0)]) }
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for k in 0..<16 {
                let url = nodes[k].url + "/api/v1/courses", token = configuration.apiToken, body = bodies[k]
                group.addTask {
                    let (status, _) = try await FederatedSearchLiveTests.http(url, method: "POST", body: Data(body), token: token, timeout: 600)
                    #expect(status == 200)
                }
            }
            try await group.waitForAll()
        }
        let publishWall = ContinuousClock.now - started
        var requestsPerSite: [Double] = []
        for node in nodes { requestsPerSite.append(try await Self.metric(node.url, "coursemesh_publish_requests_total")) }
        print("BENCH publish: \(corpus.count) courses on 16 nodes in \(publishWall); publish requests per site \(requestsPerSite.map { Int($0) }) (ring of 16: at most 16 holders)")

        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let (_, data) = try await FederatedSearchLiveTests.http(nodes[0].url + "/api/v1/stats")
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            if (object?["aggregate"] as? [String: Any])?["documents"] as? Int == corpus.count { break }
            try await Task.sleep(for: .milliseconds(500))
        }

        // 2-term queries at 50/s, each on its own task so a slow one does not delay the schedule,
        // sent with the nodes' own HTTP client (libcurl): first a warm-up of 2 s (every node's
        // first queries open its connections to the term holders), then the measured run.
        let pairs = FederatedSearchLiveTests.queries(corpus.map(\.0)).filter { !$0.contains("\"") && !$0.contains(":")
            && !$0.contains("-") && !$0.contains(" OR ") && $0.split(separator: " ").count == 2 }
        #expect(!pairs.isEmpty)
        let client = HTTPClient()
        let warmup = try await Self.queries(pairs, count: 100, offset: Self.queryCount, nodes: nodes.map(\.url), client: client)
        print(String(format: "BENCH query warm-up: %d queries: client p50 %.2f ms p99 %.2f ms",
                     warmup.count, Self.percentile(warmup.map(\.client), 0.5), Self.percentile(warmup.map(\.client), 0.99)))
        let timed = try await Self.queries(pairs, count: Self.queryCount, offset: 0, nodes: nodes.map(\.url), client: client)
        // The slowest queries with when they started and where: tells a cold first ask, a
        // periodic stall or a global pause apart.
        for slow in timed.sorted(by: { $0.client > $1.client }).prefix(8) {
            print(String(format: "BENCH slow query: %.1f ms (took_ms %.0f) at +%.0f ms on node %d: ", slow.client, slow.took, slow.at, slow.index % nodes.count) + slow.query)
        }
        let latencies = timed.map { (client: $0.client, took: $0.took) }
        let clientTimes = latencies.map(\.client), took = latencies.map(\.took)
        print(String(format: "BENCH query: %d two-term queries at 50/s over 16 nodes: client p50 %.2f ms p99 %.2f ms; node took_ms p50 %.0f p99 %.0f",
                     latencies.count, Self.percentile(clientTimes, 0.5), Self.percentile(clientTimes, 0.99), Self.percentile(took, 0.5), Self.percentile(took, 0.99)))

        // The same client and schedule on /health: what the client and HTTP alone add to a query.
        let floorBegin = ContinuousClock.now
        let floor = try await withThrowingTaskGroup(of: Double.self) { group in
            for i in 0..<200 {
                let url = nodes[i % nodes.count].url + "/health"
                group.addTask {
                    try await Task.sleep(until: floorBegin + Self.interval * i, clock: .continuous)
                    let t0 = ContinuousClock.now
                    let reply = try await client.send(url: url, timeout: .seconds(30))
                    #expect(reply.status == 200)
                    return Self.milliseconds(ContinuousClock.now - t0)
                }
            }
            var out: [Double] = []
            for try await t in group { out.append(t) }
            return out
        }
        print(String(format: "BENCH client floor: 200 GET /health at 50/s with the same client: p50 %.2f ms p99 %.2f ms",
                     Self.percentile(floor, 0.5), Self.percentile(floor, 0.99)))

        // Bytes: a rare word alone, then the rare word with a common one.
        let reference = LocalIndex()
        for (doc, k) in corpus {
            await reference.add(doc, site: SiteInfo(url: sites[k].url, name: sites[k].name, country: sites[k].country, language: sites[k].language))
        }
        for (rare, common) in [("glaciology", "introduction"), ("thermodynamics", "physics"), ("rinascimento", "storia")] {
            func bytes(_ q: String) async throws -> Double {
                let before = try await Self.metric(nodes[3].url, "coursemesh_query_bytes_total")
                var components = URLComponents(string: nodes[3].url + "/api/v1/search")!
                components.queryItems = [URLQueryItem(name: "q", value: q)]
                _ = try await FederatedSearchLiveTests.http(components.url!.absoluteString)
                return try await Self.metric(nodes[3].url, "coursemesh_query_bytes_total") - before
            }
            let rareBytes = try await bytes(rare), pairBytes = try await bytes(rare + " " + common)
            let dfs = try await reference.documentFrequencies(terms: Array(Set(Analyzer.analyze(rare + " " + common, language: Language(code: rare == "rinascimento" ? "it" : "en")).map(\.term))))
            let ratio = rareBytes > 0 ? pairBytes / rareBytes : 0
            print("BENCH bytes: '\(rare) \(common)' moved \(Int(pairBytes)) B; '\(rare)' alone \(Int(rareBytes)) B; ratio \(String(format: "%.2f", ratio)); dfs \(dfs.sorted { $0.key < $1.key })")
        }
        await federation.stop()

        // SQLite FTS5 bm25 beside the single index, same corpus, same queries.
        let pool = try await DatabasePool.open(.memory)
        try await pool.write { db in
            try db.execute("CREATE VIRTUAL TABLE fts_courses USING fts5(id UNINDEXED, title, tags, category, summary, tokenize = 'unicode61 remove_diacritics 2')")
            for (doc, k) in corpus {
                try db.execute("INSERT INTO fts_courses VALUES (?, ?, ?, ?, ?)", [
                    .text(DocumentInfo.makeID(siteURL: sites[k].url, courseID: doc.courseID)), .text(doc.fullName),
                    .text(doc.tags.joined(separator: " ")), .text(doc.categoryPath.joined(separator: " ")), .text(doc.summary)])
            }
        }
        let engine = SearchEngine(source: reference)
        var ftsTimes: [Double] = [], indexTimes: [Double] = [], overlaps: [Double] = []
        for query in pairs + FederatedSearchLiveTests.queries(corpus.map(\.0)).filter({ !$0.contains(" ") }) {
            let match = query.split(separator: " ").map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"" }.joined(separator: " ")
            let t0 = ContinuousClock.now
            let fts: [String] = try await pool.read { db in
                try db.fetchAll("SELECT id FROM fts_courses WHERE fts_courses MATCH ? ORDER BY bm25(fts_courses, 0, 3.0, 2.0, 1.5, 1.0) LIMIT 10",
                                [.text(match)]).map { try $0.get(0, as: String.self) }
            }
            let t1 = ContinuousClock.now
            let ours = try await engine.search(Search.SearchRequest(query: query)).hits.map(\.id)
            let t2 = ContinuousClock.now
            ftsTimes.append(Double((t1 - t0).components.attoseconds) / 1e15)
            indexTimes.append(Double((t2 - t1).components.attoseconds) / 1e15)
            if !ours.isEmpty || !fts.isEmpty {
                overlaps.append(Double(Set(ours).intersection(fts).count) / Double(max(1, min(10, max(ours.count, fts.count)))))
            }
        }
        print(String(format: "BENCH fts5: %d queries; FTS5 bm25 p50 %.2f ms p99 %.2f ms; single LocalIndex p50 %.2f ms p99 %.2f ms; mean top-10 overlap %.2f",
                     ftsTimes.count, Self.percentile(ftsTimes, 0.5), Self.percentile(ftsTimes, 0.99),
                     Self.percentile(indexTimes, 0.5), Self.percentile(indexTimes, 0.99), overlaps.reduce(0, +) / Double(max(1, overlaps.count))))
        await pool.close()
    }
}
