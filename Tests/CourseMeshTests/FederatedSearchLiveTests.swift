import CourseMesh
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MeshCore
import Search
import Testing

/// The corpus split over 16 live `coursemesh serve` processes (one site each, pushed through
/// the API) ranks exactly like one index holding all of it, once the statistics rollup converged.
@Suite(.serialized)
struct FederatedSearchLiveTests {
    static let siteCount = 16

    /// RFC 4180 records (quoted fields may hold commas, doubled quotes and line breaks).
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, previousQuote = false
        for c in text {
            if quoted {
                if c == "\"" { quoted = false; previousQuote = true } else { field.append(c) }
                continue
            }
            if c == "\"" { if previousQuote { field.append("\"") }; quoted = true; previousQuote = false; continue }
            previousQuote = false
            switch c {
            case ",": record.append(field); field = ""
            case "\n", "\r\n": record.append(field); field = ""; records.append(record); record = []
            case "\r": break
            default: field.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// The fixture corpus moved onto 16 sites round robin (course URLs on the site's host).
    /// `siteCount` sites (even ones US/en, odd ones IT/it) started as live ring members from
    /// `executable` with a 1 s rollup period, and the corpus split over them (site index per course).
    static func startSites(executable: String) async throws
        -> (LocalFederation, LocalFederationConfiguration, [(CourseDocument, Int)]) {
        let sites = (0..<siteCount).map {
            LocalFederationConfiguration.Site(url: "https://campus\($0).example.edu", name: "Campus \($0)",
                                              country: $0 % 2 == 0 ? "US" : "IT", language: $0 % 2 == 0 ? "en" : "it")
        }
        let corpus = try corpus(sites: sites)
        var configuration = LocalFederationConfiguration(sites: sites)
        configuration.executable = executable
        configuration.logLevel = "warn"
        configuration.overlay = .on
        configuration.startTimeout = .seconds(120)
        configuration.extraArguments = ["--stats-period", "1"]
        let federation = LocalFederation(configuration)
        try await federation.start()
        return (federation, configuration, corpus)
    }

    static func corpus(sites: [LocalFederationConfiguration.Site]) throws -> [(CourseDocument, Int)] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/courses/courses.csv.gz").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let rows = records(String(decoding: data, as: UTF8.self))
        let header = rows[0]
        return rows.dropFirst().filter { $0.count == header.count }.enumerated().map { i, record in
            let row = Dictionary(uniqueKeysWithValues: zip(header, record))
            let subjects = (row["subject"] ?? "").split(separator: "|").map(String.init)
            let k = i % siteCount
            let id = Int64(i + 2)
            return (CourseDocument(courseID: id, url: sites[k].url + "/course/view.php?id=\(id)", fullName: row["title"] ?? "",
                                   shortName: "", summary: row["description"] ?? "", categoryPath: Array(subjects.prefix(1)),
                                   tags: subjects, language: row["language"] ?? "", format: "topics", startDate: nil, endDate: nil,
                                   timeModified: 0, openEnrolment: k % 2 == 0, enrolledCount: 0, modules: []), k)
        }
    }

    /// At least 200 queries from the titles: words, pairs, phrases, filters, exclusions, ORs.
    static func queries(_ docs: [CourseDocument]) -> [String] {
        var out: [String] = [], seen = Set<String>()
        func add(_ q: String) { if seen.insert(q).inserted { out.append(q) } }
        for (i, doc) in docs.enumerated() where i % 61 == 0 {
            let words = doc.fullName.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count > 3 }
            guard words.count >= 2 else { continue }
            add(words[0].lowercased())
            add(words[0] + " " + words[1])
            add("\"" + words[0] + " " + words[1] + "\"")
            add(words[words.count - 1] + [" lang:it", " lang:en", " country:us", " open:yes"][i % 4])
            add(words[0] + " -" + words[words.count - 1])
            add(words[0] + " OR " + words[words.count - 1])
        }
        return out
    }

    static func http(_ url: String, method: String = "GET", body: Data? = nil, token: String? = nil,
                     timeout: TimeInterval = 30) async throws -> (Int, Data) {
        var r = URLRequest(url: URL(string: url)!)
        r.httpMethod = method
        r.timeoutInterval = timeout
        if let body { r.httpBody = body; r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    @Test func sixteenLiveSitesRankLikeOneIndex() async throws {
        let (federation, configuration, corpus) = try await Self.startSites(executable: LocalFederationTests.binary)
        let sites = configuration.sites
        defer { Task { await federation.stop() } }
        let nodes = await federation.nodes

        // Push each site's courses to its own node (at most 500 per request).
        for k in 0..<Self.siteCount {
            let docs = corpus.filter { $0.1 == k }.map(\.0)
            for start in stride(from: 0, to: docs.count, by: 400) {
                let body = try JSONCoding.encode(["courses": Array(docs[start..<min(docs.count, start + 400)])])
                let (status, reply) = try await Self.http(nodes[k].url + "/api/v1/courses", method: "POST", body: Data(body),
                                                          token: configuration.apiToken)
                #expect(status == 200, "\(String(decoding: reply, as: UTF8.self))")
            }
        }
        // Wait (bounded) until every node serves the global aggregate over the whole corpus.
        let deadline = ContinuousClock.now + .seconds(120)
        var converged = false
        while !converged, ContinuousClock.now < deadline {
            converged = true
            for node in nodes {
                let (_, data) = try await Self.http(node.url + "/api/v1/stats")
                let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                let documents = (object?["aggregate"] as? [String: Any])?["documents"] as? Int
                if documents != corpus.count { converged = false; break }
            }
            if !converged { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(converged, "the rollup did not reach \(corpus.count) documents on every node")

        let reference = LocalIndex()
        for (doc, k) in corpus {
            await reference.add(doc, site: SiteInfo(url: sites[k].url, name: sites[k].name, country: sites[k].country, language: sites[k].language))
        }
        let engine = SearchEngine(source: reference)
        var compared = 0
        for (i, query) in Self.queries(corpus.map(\.0)).enumerated() {
            guard let single = try? await engine.search(Search.SearchRequest(query: query)) else { continue }
            var components = URLComponents(string: nodes[i % Self.siteCount].url + "/api/v1/search")!
            components.queryItems = [URLQueryItem(name: "q", value: query)]
            let (status, data) = try await Self.http(components.url!.absoluteString)
            #expect(status == 200, "\(query)")
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let ids = (object?["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == single.hits.map(\.id), "\(query)")
            #expect(object?["partial"] as? Bool == false, "\(query)")
            compared += 1
        }
        #expect(compared >= 200)
        await federation.stop()
    }
}
