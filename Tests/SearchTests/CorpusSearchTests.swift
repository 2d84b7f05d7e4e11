import Testing
@testable import Search

@Suite struct CorpusSearchTests {
    func search(_ q: String, pageSize: Int = 10) async throws -> SearchResponse {
        try await CourseCorpus.engine().search(SearchRequest(query: q, pageSize: pageSize))
    }

    @Test func loadsTheWholeCorpus() async throws {
        let index = try await CourseCorpus.index.value
        #expect(await index.documentCount > 5_000)
    }

    @Test func organicChemistryFindsChemistryCoursesFirst() async throws {
        let response = try await search("organic chemistry")
        #expect(response.total > 0)
        for hit in response.hits.prefix(5) {
            let text = (hit.title + " " + hit.tags.joined(separator: " ")).lowercased()
            #expect(text.contains("chemi"), "\(hit.title)")
        }
        #expect(response.hits[0].title.lowercased().contains("organic"))
        #expect(response.hits[0].snippetHTML.contains("<mark>") || response.hits[0].snippet.isEmpty)
    }

    @Test func italianQueryFindsItalianCourses() async throws {
        let response = try await search("chimica organica")
        #expect(response.total > 0)
        for hit in response.hits.prefix(5) { #expect(hit.language == "it", "\(hit.title)") }
        let inflected = try await search("programmazioni")
        #expect(inflected.total > 0 && inflected.hits.allSatisfy { $0.language == "it" })
    }

    @Test func accentlessQueryMatchesAccentedText() async throws {
        let a = try await search("università")
        let b = try await search("universita")
        #expect(a.total > 0 && a.total == b.total)
        #expect(a.hits.map(\.id) == b.hits.map(\.id))
    }

    @Test func filtersRestrictLanguageCountryAndSite() async throws {
        let it = try await search("storia lang:it", pageSize: 50)
        #expect(it.total > 0 && it.hits.allSatisfy { $0.language == "it" })
        let us = try await search("history country:us", pageSize: 50)
        #expect(us.total > 0 && us.hits.allSatisfy { $0.country == "US" })
        let open = try await search("history open:yes", pageSize: 50)
        #expect(open.hits.allSatisfy { $0.openEnrolment })
        let site = try await search("history site:unitn", pageSize: 50)
        #expect(site.hits.allSatisfy { $0.siteURL.contains("unitn") })
        #expect(it.facets["language"]?.map(\.value) == ["it"])
    }

    @Test func exclusionOrAndPhrasesCombineAsSets() async throws {
        let chemistry = try await search("chemistry", pageSize: 50)
        let organic = try await search("organic", pageSize: 50)
        let without = try await search("chemistry -organic", pageSize: 50)
        let both = try await search("chemistry organic", pageSize: 50)
        #expect(without.total + both.total == chemistry.total)
        let either = try await search("chemistry OR organic")
        #expect(either.total >= max(chemistry.total, organic.total) && either.total <= chemistry.total + organic.total)
        let words = try await search("machine learning")
        let phrase = try await search("\"machine learning\"")
        #expect(phrase.total > 0 && phrase.total <= words.total)
    }

    @Test func orderIsScoreThenIdAndPagesDoNotOverlap() async throws {
        let first = try await search("introduction", pageSize: 50)
        let scores = first.hits.map(\.score)
        #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 })
        for (a, b) in zip(first.hits, first.hits.dropFirst()) where a.score == b.score { #expect(a.id < b.id) }
        let second = try await CourseCorpus.engine().search(SearchRequest(query: "introduction", page: 2, pageSize: 50))
        #expect(Set(first.hits.map(\.id)).isDisjoint(with: second.hits.map(\.id)))
        #expect(first.total == second.total)
    }

    @Test func restrictedFetchGivesTheSameRankingAsFullScan() async throws {
        // The engine fetches the rarest clause whole and the others through candidate filters
        // (a Bloom filter above 256 ids); the ranking must equal scoring every posting.
        let engine = try await CourseCorpus.engine()
        let ranked = try await engine.evaluate(try QueryParser.parse("introduction history"))
        let intro = Set(try await engine.evaluate(try QueryParser.parse("introduction")).map(\.document.id))
        let history = Set(try await engine.evaluate(try QueryParser.parse("history")).map(\.document.id))
        #expect(Set(ranked.map(\.document.id)) == intro.intersection(history))
    }

    @Test func badRequestsFailWithSearchErrors() async throws {
        await #expect(throws: SearchError.self) { try await search("one two three four five six seven eight nine") }
        await #expect(throws: SearchError.self) { try await CourseCorpus.engine().search(SearchRequest(query: "x", page: 0)) }
        await #expect(throws: SearchError.self) { try await CourseCorpus.engine().search(SearchRequest(query: "x", pageSize: 500)) }
    }
}
