import MeshCore
import Overlay
import Testing
@testable import Search

/// Publishing, holding and querying postings over several nodes of an in-memory ring.
@Suite struct FederationTests {
    static let alpha = SiteInfo(url: "https://alpha.example", name: "Alpha", country: "ES", language: "en")
    static let beta = SiteInfo(url: "https://beta.example", name: "Beta", country: "IT", language: "en")

    /// Five nodes; the first two serve the sites alpha and beta.
    func ring(settings: FederationSettings = .init(), blocked: [String] = []) -> FederationHub {
        let hub = FederationHub()
        hub.add("http://127.0.0.1:7001", site: Self.alpha.url, settings: settings, blocked: blocked)
        hub.add("http://127.0.0.1:7002", site: Self.beta.url, settings: settings, blocked: blocked)
        for port in 7003...7005 { hub.add("http://127.0.0.1:\(port)", site: "https://other\(port).example", settings: settings, blocked: blocked) }
        return hub
    }

    func publisher(_ hub: FederationHub, node: Int, site: SiteInfo, ledger: any PublicationLedger = MemoryPublicationLedger()) -> SearchPublisher {
        SearchPublisher(site: site, network: hub.nodes[node], ledger: ledger)
    }

    func postings(_ docs: [CourseDocument], site: SiteInfo) -> [Posting] {
        docs.flatMap { DocumentIndexer.postings(for: $0, site: site) }
    }

    func search(_ hub: FederationHub, _ query: String, via node: Int = 4, inlineLimit: Int = 32,
                statistics: CollectionStatistics? = nil) async throws -> SearchResponse {
        let stats = statistics ?? CollectionStatistics(documentCount: 10, averageFieldLengths: [3, 1, 1, 5, 0])
        let source = OverlayPostingSource(network: hub.nodes[node], inlineLimit: inlineLimit) { stats }
        return try await SearchEngine(source: source).search(SearchRequest(query: query))
    }

    /// `ring()` with alpha's and beta's courses published from their nodes.
    func ringWithBothSites() async throws -> FederationHub {
        let hub = ring()
        _ = try await publisher(hub, node: 0, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        _ = try await publisher(hub, node: 1, site: Self.beta).publish(postings(betaDocs, site: Self.beta))
        return hub
    }

    /// N and average field lengths of alpha's and beta's three courses.
    static let threeCourses = CollectionStatistics(documentCount: 3, averageFieldLengths: [3, 0, 0, 3, 0])

    let alphaDocs = [course(1, site: alpha, title: "Astronomy for beginners", summary: "Stars and planets"),
                     course(2, site: alpha, title: "Organic chemistry", summary: "Carbon compounds and stars")]
    let betaDocs = [course(7, site: beta, title: "Astronomy and astrophysics", summary: "Galaxies")]

    @Test func publishedPostingsAnswerLikeOneIndex() async throws {
        let hub = try await ringWithBothSites()
        let reference = LocalIndex()
        for doc in alphaDocs { await reference.add(doc, site: Self.alpha) }
        for doc in betaDocs { await reference.add(doc, site: Self.beta) }
        let stats = await reference.statistics()
        // Inline limit 0: every list is fetched on its own, later clauses as occurrences.
        for query in ["astronomy", "stars", "astronomy stars", "\"organic chemistry\"", "astronomy -galaxies", "carbon OR galaxies"] {
            for limit in [32, 0] {
                let federated = try await search(hub, query, inlineLimit: limit, statistics: stats)
                let local = try await SearchEngine(source: reference).search(SearchRequest(query: query))
                #expect(federated == local, "\(query), inline limit \(limit)")
            }
        }
    }

    @Test func recentFrequenciesSkipTheLookupRoundAndRankTheSame() async throws {
        let hub = try await ringWithBothSites()
        let stats = Self.threeCourses
        let cache = FrequencyCache()
        func run(_ query: String) async throws -> (SearchResponse, Int) {
            let source = OverlayPostingSource(network: hub.nodes[4], inlineLimit: 0, cache: cache) { stats }
            return (try await SearchEngine(source: source).search(SearchRequest(query: query)), source.traffic.requests)
        }
        let (first, coldRequests) = try await run("astronomy stars")
        let (second, warmRequests) = try await run("astronomy stars")
        #expect(first.total == 1 && second == first)
        #expect(warmRequests < coldRequests)
        // Frequencies that lie change only which list is fetched first, never the answer.
        let terms = try QueryParser.parse("astronomy stars").allTerms.sorted()
        cache.record(Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($0.element, ($0.offset * 37) % 11) }))
        #expect(try await run("astronomy stars").0 == first)
        #expect(try await run("stars -galaxies").0 == (try await search(hub, "stars -galaxies", statistics: stats)))
    }

    @Test func aQueryOfOneClauseAsksNoFrequencies() async throws {
        let hub = try await ringWithBothSites()
        for query in ["astronomy", "\"organic chemistry\"", "carbon OR galaxies", "stars -galaxies"] {
            let before = hub.kindLog.count
            let response = try await search(hub, query, inlineLimit: 0)
            #expect(response.total > 0, "\(query)")
            #expect(!hub.kindLog.dropFirst(before).contains("lookup"), "\(query): \(hub.kindLog.dropFirst(before))")
        }
        let before = hub.kindLog.count
        _ = try await search(hub, "astronomy stars", inlineLimit: 0)
        #expect(hub.kindLog.dropFirst(before).contains("lookup"), "two clauses are ordered by their frequencies")
    }

    @Test func decisiveLocalEstimatesSkipTheLookupRoundAndWrongOnesChangeNothing() async throws {
        let hub = try await ringWithBothSites()
        let stats = Self.threeCourses
        let own = LocalIndex()
        for doc in alphaDocs { await own.add(doc, site: Self.alpha) }
        func run(_ query: String, estimates: @escaping OverlayPostingSource.Estimates) async throws -> (SearchResponse, [String]) {
            let before = hub.kindLog.count
            let source = OverlayPostingSource(network: hub.nodes[4], inlineLimit: 0, estimates: estimates) { stats }
            let response = try await SearchEngine(source: source).search(SearchRequest(query: query))
            return (response, Array(hub.kindLog.dropFirst(before)))
        }
        let exact = try await search(hub, "organic stars", inlineLimit: 0, statistics: stats)
        #expect(exact.total == 1)
        // Alpha's own courses: `organic` in one, `stars` in two, so decisive (2 ≥ 2 × 1).
        let ownEstimates: OverlayPostingSource.Estimates = { terms in (try? await own.documentFrequencies(terms: terms)) ?? [:] }
        let (fromOwn, ownKinds) = try await run("organic stars", estimates: ownEstimates)
        #expect(fromOwn == exact)
        #expect(!ownKinds.contains("lookup"), "\(ownKinds)")
        // Estimates that order the clauses the wrong way round: the other list is fetched first.
        let (reversed, reversedKinds) = try await run("organic stars") { terms in
            Dictionary(uniqueKeysWithValues: terms.map { ($0, $0.hasPrefix("organ") ? 50 : 1) })
        }
        #expect(reversed == exact)
        #expect(!reversedKinds.contains("lookup"))
        // Estimates too close to call (1 and 1), or absent from the sample: the holders are asked.
        for ceiling in [1, 0] {
            let (asked, askedKinds) = try await run("organic stars") { terms in await ownEstimates(terms).mapValues { min($0, ceiling) } }
            #expect(asked == exact)
            #expect(askedKinds.first == "lookup", "estimates at most \(ceiling): \(askedKinds)")
        }
    }

    @Test func restrictedListsTravelAsTheCandidatesOccurrencesOnly() async throws {
        let hub = ring()
        let published = postings(alphaDocs, site: Self.alpha)
        _ = try await publisher(hub, node: 0, site: Self.alpha).publish(published)
        let stars = published.filter { $0.term == "star" }.sorted { $0.document.id < $1.document.id }
        #expect(stars.count == 2)
        let owner = hub.replicaSet(of: .term("star"))[0]
        let message = SearchMessage.occurrences(terms: ["star", "nowhere"], candidates: .ids([stars[1].document.id]))
        let reply = try await hub.nodes[4].send(to: owner, app: FederationSettings.applicationName, payload: message.bytes)
        let answer = try PostingWireFormat.occurrencesReply(reply)
        #expect(answer["star"]?.frequency == 2)
        #expect(answer["star"]?.entries.map(\.id) == [stars[1].document.id])
        #expect(answer["star"]?.entries.map(\.occurrence) == [stars[1].occurrence])
        #expect(answer["nowhere"]?.frequency == 0 && answer["nowhere"]?.entries.isEmpty == true)
        // No document info travels: not even the title.
        #expect(!String(decoding: reply, as: UTF8.self).contains("chemistry"))
    }

    @Test func oneRequestPerHolderPerPublish() async throws {
        let hub = ring()
        let report = try await publisher(hub, node: 0, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        #expect(report.termsChanged > 5)
        #expect(report.requests == report.holdersTouched)
        let sent = hub.requestLog.filter { $0.from == hub.nodes[0].url }
        #expect(sent.count == report.requests)
        #expect(Set(sent.map(\.to)).count == sent.count, "no holder gets two requests")
        #expect(report.failedHolders.isEmpty)
    }

    @Test func unchangedRepublishSendsNothingEvenAfterRestart() async throws {
        let hub = ring()
        let ledger = MemoryPublicationLedger()
        let all = postings(alphaDocs, site: Self.alpha)
        _ = try await publisher(hub, node: 0, site: Self.alpha, ledger: ledger).publish(all)
        let before = hub.requestLog.count
        let again = try await publisher(hub, node: 0, site: Self.alpha, ledger: ledger).publish(all.reversed())
        #expect(again.requests == 0 && again.termsChanged == 0 && again.termsRetracted == 0)
        #expect(hub.requestLog.count == before)
    }

    @Test func updatedCourseRetractsItsOldPostings() async throws {
        let hub = ring()
        let publisher = publisher(hub, node: 0, site: Self.alpha)
        _ = try await publisher.publish(postings(alphaDocs, site: Self.alpha))
        #expect(try await search(hub, "astronomy").total == 1)
        let updated = [course(1, site: Self.alpha, title: "Geology for beginners", summary: "Rocks"), alphaDocs[1]]
        let report = try await publisher.publish(postings(updated, site: Self.alpha))
        #expect(report.termsRetracted >= 2) // astronomy, planet
        #expect(try await search(hub, "astronomy").total == 0)
        #expect(try await search(hub, "geology").hits.map(\.title) == ["Geology for beginners"])
        // "beginners" is kept but changed (new document info): one new version, same term.
        #expect(try await search(hub, "beginners").hits.map(\.title) == ["Geology for beginners"])
    }

    @Test func removedCourseLeavesTombstonesAtItsHolders() async throws {
        let hub = ring()
        let publisher = publisher(hub, node: 0, site: Self.alpha)
        _ = try await publisher.publish(postings(alphaDocs, site: Self.alpha))
        _ = try await publisher.publish(postings([alphaDocs[1]], site: Self.alpha))
        #expect(try await search(hub, "planets").total == 0)
        let holders = hub.replicaSet(of: .term("planet"))
        #expect(holders.count == 3)
        for holder in holders {
            let node = hub.nodes.first { $0.url == holder }!
            let items = node.store.items(at: .term("planet"))
            #expect(items.count == 1 && items[0].isTombstone && items[0].name == "site:" + Self.alpha.url)
        }
    }

    @Test func holdersRefusePostingsForAnotherSitesHost() async throws {
        let hub = ring()
        // Node 1 serves beta but publishes alpha's courses.
        let report = try await publisher(hub, node: 1, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        #expect(report.failedHolders.count == report.holdersTouched && report.holdersTouched > 0)
        #expect(report.failures.values.allSatisfy { $0.contains("origin_mismatch") })
        for node in hub.nodes { #expect(node.store.count == 0) }
        let second = try await publisher(hub, node: 1, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        #expect(second.requests > 0, "refused items are not remembered as published")
    }

    @Test func holdersRefuseCoursesOffTheSitesHost() async throws {
        let hub = ring()
        let stray = CourseDocument(courseID: 9, url: "https://elsewhere.example/course/view.php?id=9", fullName: "Stray astronomy",
                                   shortName: "", summary: "", categoryPath: [], tags: [], language: "", format: "topics",
                                   startDate: nil, endDate: nil, timeModified: 0, openEnrolment: true, enrolledCount: 0, modules: [])
        let report = try await publisher(hub, node: 0, site: Self.alpha).publish(postings([stray], site: Self.alpha))
        #expect(report.failedHolders.count == report.holdersTouched)
        for node in hub.nodes { #expect(node.store.count == 0) }
    }

    @Test func siteOverItsQuotaIsRefused() async throws {
        var settings = FederationSettings()
        settings.perSiteQuota = 3
        let hub = ring(settings: settings)
        let report = try await publisher(hub, node: 0, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        #expect(!report.failedHolders.isEmpty)
        do {
            _ = try await hub.owner(hub.nodes[2].url).receive(
                SearchMessage.publish(from: hub.nodes[0].url.string, site: Self.alpha.url, documents: [], terms: []).bytes, key: nil)
        } catch { Issue.record("an empty publish stays within the quota: \(error)") }
        let many = (0..<4).map { PublishedTerm(term: "t\($0)", version: 1, entries: [PostingBatch.Entry(doc: 0, occurrence: TermOccurrence(tf: [1, 0, 0, 0, 0], positions: [[0], [], [], [], []]))]) }
        let info = DocumentIndexer.postings(for: alphaDocs[0], site: Self.alpha)[0].document
        await #expect(throws: SearchError.self) {
            _ = try await hub.owner(hub.nodes[2].url).receive(
                SearchMessage.publish(from: hub.nodes[0].url.string, site: Self.alpha.url, documents: [info], terms: many).bytes, key: nil)
        }
    }

    @Test func blockedSiteIsRefusedAndHiddenFromAnswers() async throws {
        let hub = ring(blocked: [Self.beta.url])
        let report = try await publisher(hub, node: 1, site: Self.beta).publish(postings(betaDocs, site: Self.beta))
        #expect(report.failedHolders.count == report.holdersTouched)
        let open = ring()
        _ = try await publisher(open, node: 1, site: Self.beta).publish(postings(betaDocs, site: Self.beta))
        #expect(try await search(open, "galaxies").total == 1)
        for node in open.nodes { await open.owner(node.url).block(site: "beta.example") }
        #expect(try await search(open, "galaxies").total == 0)
    }

    @Test func ownerDownFallsOverToReplicas() async throws {
        let hub = ring()
        _ = try await publisher(hub, node: 0, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        hub.setDown(hub.replicaSet(of: .term("astronomi"))[0])
        let response = try await search(hub, "astronomy", via: 0)
        #expect(response.total == 1 && !response.partial)
    }

    @Test func allHoldersOfATermDownMakesThePartialAnswerSaySo() async throws {
        let hub = ring()
        _ = try await publisher(hub, node: 0, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        let holders = hub.replicaSet(of: .term("carbon"))
        for holder in holders { hub.setDown(holder) }
        let asker = hub.nodes.firstIndex { !holders.contains($0.url) }!
        let response = try await search(hub, "carbon stars", via: asker)
        #expect(response.partial)
        #expect(response.missingTerms.contains("carbon"))
        for term in response.missingTerms {
            #expect(hub.replicaSet(of: .term(term)).allSatisfy(holders.contains), "\(term) had a live holder")
        }
    }

    @Test func unacknowledgedItemsAreSentAgain() async throws {
        let hub = ring()
        let publisher = publisher(hub, node: 0, site: Self.alpha)
        let down = hub.replicaSet(of: .term("carbon"))[1]
        hub.setDown(down)
        let first = try await publisher.publish(postings(alphaDocs, site: Self.alpha))
        #expect(first.failedHolders == [down])
        #expect(first.failures[down]?.contains("unreachable") == true, "the report says why the holder failed")
        hub.setDown(down, false)
        let second = try await publisher.publish(postings(alphaDocs, site: Self.alpha))
        #expect(second.requests > 0 && second.termsChanged == 0)
        let node = hub.nodes.first { $0.url == down }!
        #expect(!node.store.items(at: .term("carbon")).isEmpty)
        #expect(try await publisher.publish(postings(alphaDocs, site: Self.alpha)).requests == 0)
    }

    @Test func aShortListComesWithItsFrequencySoItIsNotAskedAgain() async throws {
        let hub = ring()
        _ = try await publisher(hub, node: 0, site: Self.alpha).publish(postings(alphaDocs, site: Self.alpha))
        let stats = CollectionStatistics(documentCount: 2, averageFieldLengths: [3, 0, 0, 4, 0])
        var kinds: [[String]] = []
        for limit in [32, 0] {
            let before = hub.kindLog.count
            let source = OverlayPostingSource(network: hub.nodes[4], inlineLimit: limit) { stats }
            let response = try await SearchEngine(source: source).search(SearchRequest(query: "astronomy stars"))
            #expect(response.total == 1 && !response.partial)
            kinds.append(Array(hub.kindLog.dropFirst(before)))
        }
        // Inlined: the lookup brought both short lists, so neither is asked again. Not inlined:
        // the rarest list is asked on its own after the lookup.
        #expect(kinds[0] == Array(repeating: "lookup", count: kinds[0].count), "\(kinds[0])")
        #expect(kinds[1].contains("postings"), "\(kinds[1])")
    }
}
