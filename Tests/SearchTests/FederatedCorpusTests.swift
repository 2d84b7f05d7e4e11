import Foundation
import MeshCore
import Overlay
import Testing
@testable import Search

/// The real corpus split over 16 sites on 16 in-memory nodes must rank exactly like one index
/// holding all of it (statistics summed per site, as the rollup's global aggregate gives them).
@Suite struct FederatedCorpusTests {
    static let siteCount = 16

    /// The corpus with each course moved to one of 16 campuses (round robin), its URL on that
    /// campus's host, country and language kept from its source.
    static func campusDocuments() throws -> [(CourseDocument, SiteInfo)] {
        try CourseCorpus.documents().enumerated().map { i, pair in
            var (doc, site) = pair
            let k = i % siteCount
            site = SiteInfo(url: "https://campus\(k).example", name: "Campus \(k)", country: site.country, language: site.language)
            doc.url = site.url + "/course/view.php?id=\(doc.courseID)"
            return (doc, site)
        }
    }

    /// At least 200 queries drawn from the corpus titles: single words, pairs, phrases, filtered
    /// words, exclusions and ORs, Italian and English.
    static func queries(_ docs: [(CourseDocument, SiteInfo)]) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        func add(_ q: String) { if !q.isEmpty, seen.insert(q).inserted { out.append(q) } }
        for (i, (doc, _)) in docs.enumerated() where i % 61 == 0 {
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

    @Test func sixteenSitesRankLikeOneIndex() async throws {
        let docs = try Self.campusDocuments()
        let queries = Self.queries(docs)
        #expect(queries.count >= 200)

        let hub = FederationHub()
        let nodes = (0..<Self.siteCount).map { hub.add("http://127.0.0.1:\(7100 + $0)", site: "https://campus\($0).example") }
        var perSite: [[Posting]] = Array(repeating: [], count: Self.siteCount)
        var siteOf: [SiteInfo] = Array(repeating: SiteInfo(url: "", name: "", country: "", language: ""), count: Self.siteCount)
        let reference = LocalIndex()
        var siteIndexes = (0..<Self.siteCount).map { _ in LocalIndex() }
        for (i, (doc, site)) in docs.enumerated() {
            let postings = DocumentIndexer.postings(for: doc, site: site)
            perSite[i % Self.siteCount] += postings
            siteOf[i % Self.siteCount] = site
            await reference.add(postings: postings)
            await siteIndexes[i % Self.siteCount].add(postings: postings)
        }
        siteIndexes = siteIndexes.map { $0 }
        let start = ContinuousClock.now
        var requests = 0, holders = 0
        for k in 0..<Self.siteCount {
            let report = try await SearchPublisher(site: siteOf[k], network: nodes[k], ledger: MemoryPublicationLedger())
                .publish(perSite[k])
            #expect(report.failedHolders.isEmpty)
            #expect(report.requests <= report.holdersTouched)
            requests += report.requests
            holders += report.holdersTouched
        }
        print("published \(docs.count) courses from \(Self.siteCount) sites in \(ContinuousClock.now - start): \(requests) requests, \(holders) holders touched")

        let statistics = await summedStatistics(siteIndexes)
        let exact = await reference.statistics()
        #expect(statistics.documentCount == exact.documentCount)
        let local = SearchEngine(source: reference)
        var compared = 0
        for (i, query) in queries.enumerated() {
            let source = OverlayPostingSource(network: nodes[i % Self.siteCount]) { statistics }
            let federated: SearchResponse, single: SearchResponse
            do {
                single = try await local.search(SearchRequest(query: query))
            } catch { continue } // a query the parser refuses is refused the same way below
            federated = try await SearchEngine(source: source).search(SearchRequest(query: query))
            #expect(federated.hits.map(\.id) == single.hits.map(\.id), "\(query)")
            #expect(federated.total == single.total, "\(query)")
            #expect(!federated.partial)
            compared += 1
        }
        #expect(compared >= 200)
    }
}
