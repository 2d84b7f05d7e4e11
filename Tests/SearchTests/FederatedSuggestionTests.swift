import MeshCore
import Overlay
import Testing
@testable import Search

/// Suggestions over real `OverlayNode`s on the in-memory network: sites publish their word
/// counts per 3-character prefix; any node asks the prefix's holders.
@Suite struct FederatedSuggestionTests {
    typealias Ring = OverlayNodeSearchTests.Ring

    static func table(_ site: SiteInfo, _ titles: [String]) -> SuggestionTable {
        var table = SuggestionTable()
        for (i, title) in titles.enumerated() {
            table.add(course(Int64(i + 1), site: site, title: title), id: "\(site.url)#\(i + 1)")
        }
        return table
    }

    static func publisher(_ ring: Ring, _ i: Int) -> SuggestionPublisher {
        SuggestionPublisher(site: OverlayNodeSearchTests.site(i), network: ring.nodes[i], ledger: MemoryPublicationLedger())
    }

    static func ask(_ ring: Ring, from i: Int, _ prefix: String, limit: Int = 10) async -> [SuggestedTerm]? {
        await SuggestionQuery.suggestions(prefix: prefix, limit: limit, over: ring.nodes[i])
    }

    @Test func suggestionsMergeEverySitesCountsMostUsedFirstTiesAlphabetical() async throws {
        let ring = try await OverlayNodeSearchTests.ring(5)
        let a = Self.table(OverlayNodeSearchTests.site(0), ["Chemistry basics", "Organic chemistry", "Chemical safety"])
        let b = Self.table(OverlayNodeSearchTests.site(1), ["Physical chemistry", "Chemical engineering", "Cheese making"])
        let reportA = try await Self.publisher(ring, 0).publish(a.wordCounts)
        let reportB = try await Self.publisher(ring, 1).publish(b.wordCounts)
        #expect(reportA.failedHolders.isEmpty && reportB.failedHolders.isEmpty)
        #expect(reportA.requests == reportA.holdersTouched)

        let answer = await Self.ask(ring, from: 4, "Che")
        #expect(answer == [SuggestedTerm(term: "chemistry", count: 3), SuggestedTerm(term: "chemical", count: 2),
                           SuggestedTerm(term: "cheese", count: 1)])
        #expect(await Self.ask(ring, from: 3, "chemi", limit: 1) == [SuggestedTerm(term: "chemistry", count: 3)])
        #expect(await Self.ask(ring, from: 2, "orga") == [SuggestedTerm(term: "organic", count: 1)])
        #expect(await Self.ask(ring, from: 2, "zzz") == [])
        #expect(await Self.ask(ring, from: 2, "ch") == nil)
    }

    @Test func changedAndRemovedCoursesChangeTheSuggestionsAndUnchangedOnesSendNothing() async throws {
        let ring = try await OverlayNodeSearchTests.ring(4)
        let site = OverlayNodeSearchTests.site(0)
        let publisher = Self.publisher(ring, 0)
        var table = Self.table(site, ["Chemistry basics", "Organic chemistry", "Geology"])
        _ = try await publisher.publish(table.wordCounts)
        #expect(await Self.ask(ring, from: 3, "chem") == [SuggestedTerm(term: "chemistry", count: 2)])

        let again = try await publisher.publish(table.wordCounts)
        #expect(again.requests == 0 && again.termsChanged == 0)

        table.add(course(2, site: site, title: "Organic farming"), id: "\(site.url)#2")
        let changed = try await publisher.publish(table.wordCounts)
        #expect(changed.termsChanged == 2 && changed.termsRetracted == 0)   // "che" and "far"; "org" unchanged
        #expect(await Self.ask(ring, from: 2, "chem") == [SuggestedTerm(term: "chemistry", count: 1)])
        #expect(await Self.ask(ring, from: 2, "farm") == [SuggestedTerm(term: "farming", count: 1)])

        table.remove(id: "\(site.url)#1")
        table.remove(id: "\(site.url)#2")
        let retracted = try await publisher.publish(table.wordCounts)
        #expect(retracted.termsRetracted >= 2)
        #expect(await Self.ask(ring, from: 1, "chem") == [])
        #expect(await Self.ask(ring, from: 1, "org") == [])
        #expect(await Self.ask(ring, from: 1, "geo") == [SuggestedTerm(term: "geology", count: 1)])
    }

    @Test func aReplicaAnswersWhenThePrefixOwnerIsDown() async throws {
        let ring = try await OverlayNodeSearchTests.ring(5)
        _ = try await Self.publisher(ring, 0).publish(Self.table(OverlayNodeSearchTests.site(0), ["Astronomy", "Astrophysics"]).wordCounts)
        let holders = await ring.nodes[0].replicaSet(of: .prefix("ast"))
        #expect(holders.count == 3)
        ring.network.kill(holders[0])
        let asker = try #require(ring.nodes.first { $0.url != holders[0] })
        let answer = await SuggestionQuery.suggestions(prefix: "astr", limit: 10, over: asker)
        #expect(answer == [SuggestedTerm(term: "astronomy", count: 1), SuggestedTerm(term: "astrophysics", count: 1)])
    }

    @Test func aNodePublishingAnotherSitesWordsIsRefused() async throws {
        let ring = try await OverlayNodeSearchTests.ring(4)
        let forged = SuggestionPublisher(site: OverlayNodeSearchTests.site(2), network: ring.nodes[1], ledger: MemoryPublicationLedger())
        let report = try await forged.publish(["forged": 5])
        #expect(report.holdersTouched > 0 && report.failedHolders.count == report.holdersTouched)
        #expect(await Self.ask(ring, from: 0, "forg") == [])
    }

    @Test func holdersRefuseWordsOutsideTheirPrefix() throws {
        #expect(throws: SearchError.self) {
            try SuggestionHolder.items(site: "https://a.example.edu", prefixes: [PublishedPrefix(prefix: "che", version: 1, counts: ["geology": 1])])
        }
        #expect(throws: SearchError.self) {
            try SuggestionHolder.items(site: "https://a.example.edu", prefixes: [PublishedPrefix(prefix: "ch", version: 1, counts: ["chem": 1])])
        }
    }

    @Test func aPrefixPastTheWordCapKeepsItsMostUsedWords() async throws {
        let ring = try await OverlayNodeSearchTests.ring(3)
        var counts = ["abc" + String(repeating: "x", count: 80): 9]   // too long: left out
        for i in 0..<(SuggestionSettings.maxWordsPerPrefix + 10) { counts["abc\(i)"] = i < 2 ? 1_000 + i : 1 }
        let report = try await Self.publisher(ring, 0).publish(counts)
        #expect(report.failedHolders.isEmpty)
        #expect(await Self.ask(ring, from: 1, "abc", limit: 2) == [SuggestedTerm(term: "abc1", count: 1_001), SuggestedTerm(term: "abc0", count: 1_000)])
        let stored = ring.nodes[1].store.items(at: .prefix("abc")).first.map { SuggestionCoding.decode($0.value.bytes) }
        #expect(stored?.count == SuggestionSettings.maxWordsPerPrefix)
    }

    @Test func suggestionMessagesRoundTripAndStoredCountsDecode() throws {
        for message in [SearchMessage.suggest(prefix: "chem", limit: 10),
                        .publishSuggestions(from: "https://n.example.edu", site: "https://m.example.edu",
                                            prefixes: [PublishedPrefix(prefix: "che", version: 7, counts: ["chemistry": 3])])] {
            #expect(try SearchMessage.decode(message.bytes) == message)
        }
        let counts = ["chemistry": 3, "chemical": 12]
        #expect(SuggestionCoding.decode(SuggestionCoding.encode(counts)) == counts)
        #expect(SuggestionCoding.digest(counts) == SuggestionCoding.digest(["chemical": 12, "chemistry": 3]))
    }
}
