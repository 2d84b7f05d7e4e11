import Foundation
import MeshCore
import Testing
@testable import Search

@Suite struct RankingAndQueryTests {
    @Test func bm25fMatchesAHandComputedExample() {
        // N = 4, average lengths title 4, tags 2, category 2, summary 40, activities 0.
        // Document: title length 2 with tf 1, summary length 20 with tf 2, df = 1.
        // title:   3 · 1 / (1 − 0.5 + 0.5 · 2/4)    = 3 / 0.75  = 4.0
        // summary: 1 · 2 / (1 − 0.75 + 0.75 · 20/40) = 2 / 0.625 = 3.2   → tf~ = 7.2
        // idf = ln(1 + (4 − 1 + 0.5) / (1 + 0.5)) = ln(10/3) = 1.2039728043259361
        // score = 1.2039728043259361 · 7.2 / (1.2 + 7.2) = 1.0319766894222309
        let statistics = CollectionStatistics(documentCount: 4, averageFieldLengths: [4, 2, 2, 40, 0])
        let pseudo = BM25F.pseudoFrequency(tf: [1, 0, 0, 2, 0], lengths: [2, 0, 0, 20, 0], statistics: statistics)
        #expect(abs(pseudo - 7.2) < 1e-12)
        #expect(abs(BM25F.idf(documentFrequency: 1, documentCount: 4) - 1.2039728043259361) < 1e-12)
        let score = BM25F.termScore(tf: [1, 0, 0, 2, 0], lengths: [2, 0, 0, 20, 0], documentFrequency: 1, statistics: statistics)
        #expect(abs(score - 1.0319766894222309) < 1e-12)
    }

    @Test func parsesWordsPhrasesExclusionsOrAndFilters() throws {
        let query = try QueryParser.parse(#"organic "machine learning" -biology physics OR chemistry lang:it country:US site:unitn category:Chemistry open:yes"#)
        #expect(query.clauses.count == 3)
        #expect(query.clauses[1][0].isPhrase)
        #expect(query.clauses[2].count == 2)
        #expect(query.excluded.count == 1)
        #expect(query.filters.languages == ["it"])
        #expect(query.filters.countries == ["us"])
        #expect(query.filters.sites == ["unitn"])
        #expect(query.filters.categories == ["chemistry"])
        #expect(query.filters.openOnly)
    }

    @Test func phraseOffsetsCountDroppedStopWords() throws {
        let query = try QueryParser.parse(#""history of art""#)
        #expect(query.clauses[0][0].offsets == [0, 2])
    }

    @Test func rejectsQueriesBeyondTheLimitsWithClearErrors() {
        #expect(throws: SearchError.tooManyTerms(9)) { try QueryParser.parse("a1 b2 c3 d4 e5 f6 g7 h8 i9") }
        #expect(throws: SearchError.tooLong(257)) { try QueryParser.parse(String(repeating: "x", count: 257)) }
        #expect(throws: SearchError.empty) { try QueryParser.parse("the of and") }
        #expect(throws: SearchError.empty) { try QueryParser.parse("-chemistry lang:en") }
        #expect(throws: SearchError.self) { try QueryParser.parse("open:maybe chemistry") }
        let error = SearchError.tooManyTerms(9)
        #expect(error.status == 400 && error.code == "too_many_terms")
    }

    @Test func sqlLookingInputIsJustText() throws {
        let query = try QueryParser.parse("'; DROP TABLE courses; --")
        #expect(query.clauses.flatMap { $0 }.flatMap(\.words).map(\.text) == ["drop", "table", "courses"])
    }

    @Test func bloomFilterHasNoFalseNegativesAndAboutItsFalsePositiveRate() {
        var filter = BloomFilter(capacity: 10_000, falsePositiveRate: 0.01)
        for i in 0..<10_000 { filter.insert("doc-\(i)") }
        #expect((0..<10_000).allSatisfy { filter.contains("doc-\($0)") })
        let falsePositives = (0..<100_000).filter { filter.contains("other-\($0)") }.count
        #expect(falsePositives < 1_500, "rate \(Double(falsePositives) / 100_000)")
        #expect(filter.byteCount < 10_000 * 2)
    }

    @Test func planOrdersClausesRarestFirstAndGroupsTermsByOwner() throws {
        let query = try QueryParser.parse("course chemistry")
        let plan = QueryPlan.make(query: query, documentFrequencies: ["cours": 900, "corso": 0, "course": 0, "curs": 0, "chemistri": 12, "chemistry": 3])
        #expect(plan.clauseOrder == [1, 0])
        let groups = QueryPlan.requestsByOwner(terms: ["a", "b", "c", "d"]) { $0 == "a" || $0 == "c" ? "n1" : "n2" }
        #expect(groups == ["n1": ["a", "c"], "n2": ["b", "d"]])
        #expect(QueryPlan.candidateFilter(for: ["x"]) == .ids(["x"]))
        if case .bloom = QueryPlan.candidateFilter(for: Set((0..<1000).map(String.init))) {} else { Issue.record("expected a Bloom filter") }
    }

    @Test func postingBatchRoundTripsThroughJSONWithEachDocumentOnce() throws {
        let site = SiteInfo(url: "https://moodle.example.edu", name: "Example", country: "ES", language: "es")
        let doc = CourseDocument(courseID: 7, url: "https://moodle.example.edu/course/view.php?id=7",
                                 fullName: "Programación en C++", shortName: "PROG", summary: "Aprende <b>C++</b> & más.",
                                 categoryPath: ["Informática"], tags: ["c++"], language: "", format: "topics",
                                 startDate: nil, endDate: nil, timeModified: 1, openEnrolment: true, enrolledCount: 3,
                                 modules: [.init(type: "forum", name: "Foro de dudas")])
        let postings = DocumentIndexer.postings(for: doc, site: site)
        #expect(postings.contains { $0.term == "c++" && $0.occurrence.tf[Field.title.rawValue] == 1 && $0.occurrence.tf[Field.tags.rawValue] == 1 })
        #expect(postings.contains { $0.term == "programacion" })
        #expect(postings[0].document.language == "es")
        let batch = PostingBatch(postings: postings)
        #expect(batch.documents.count == 1)
        let decoded = try JSONCoding.decode(PostingBatch.self, from: try JSONCoding.encode(batch))
        #expect(Set(decoded.postings) == Set(postings))
    }

    @Test func highlightsEscapeHTMLAndMarkMatchedWords() {
        let (ranges, html) = ResultAssembler.highlight("Learn <C++> & learning", language: .en, terms: ["learn", "c++"])
        #expect(html == "<mark>Learn</mark> &lt;<mark>C++</mark>&gt; &amp; <mark>learning</mark>")
        #expect(ranges == [HighlightRange(start: 0, length: 5), HighlightRange(start: 7, length: 3), HighlightRange(start: 14, length: 8)])
    }
}

@Suite struct LocalIndexTests {
    let site = SiteInfo(url: "https://moodle.example.edu/", name: "Example", country: "IT", language: "it")

    func course(_ id: Int64, _ title: String) -> CourseDocument {
        CourseDocument(courseID: id, url: "https://moodle.example.edu/course/view.php?id=\(id)", fullName: title,
                       shortName: "", summary: "", categoryPath: [], tags: [], language: "it", format: "topics",
                       startDate: nil, endDate: nil, timeModified: 1, openEnrolment: false, enrolledCount: 0, modules: [])
    }

    @Test func updatingACourseRetractsItsOldTermsAndRemovingRetractsAll() async throws {
        let index = LocalIndex()
        await index.add(course(2, "Chimica organica"), site: site)
        await index.add(course(3, "Chimica fisica"), site: site)
        #expect(await index.documentFrequency(term: "organic") == 1)
        await index.add(course(2, "Storia dell'arte"), site: site)
        #expect(await index.documentFrequency(term: "organic") == 0)
        #expect(await index.documentFrequency(term: "chimic") == 1)
        #expect(await index.documentCount == 2)
        await index.remove(documentID: DocumentInfo.makeID(siteURL: site.url, courseID: 2))
        #expect(await index.documentFrequency(term: "stor") == 0)
        #expect(await index.statistics().documentCount == 1)
    }

    @Test func documentIDsIgnoreTrailingSlashAndCase() {
        #expect(DocumentInfo.makeID(siteURL: "https://Moodle.example.edu/", courseID: 5)
                == DocumentInfo.makeID(siteURL: "https://moodle.example.edu", courseID: 5))
    }
}
