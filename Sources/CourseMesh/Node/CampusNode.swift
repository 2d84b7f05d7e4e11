import MeshCore
import MeshStore
import Overlay
import Rollup
import Search
import Web

/// One campus's node: its store, the search index over the courses it holds, and its own
/// statistics, answering every web surface through `NodeServices`.
///
/// This node serves its own campus's courses (read by `coursemesh index` or pushed by the
/// Moodle plugin); the overlay that spreads postings to term owners across campuses plugs in
/// beside it. An actor: all state changes are serialized; pushes are durable before they
/// return.
public actor CampusNode: NodeServices {
    public nonisolated let apiToken: String?
    public nonisolated let publicURL: String
    public nonisolated let nodeURL: NodeURL
    public nonisolated let metrics: MetricsRegistry
    let store: NodeStore
    let index = LocalIndex()
    var suggestions = SuggestionTable()
    /// The distributed index, once in an overlay (see CampusNode+Search.swift).
    var federation: FederatedSearch?
    /// Document frequencies learned by recent queries, to plan the next ones without a round.
    nonisolated let frequencies = FrequencyCache()
    var site: SiteInfo
    var siteStats: SiteStats?
    var lastSync: Int64?
    /// This site's contribution to the statistics, recomputed when its courses change.
    var aggregate: Aggregate = .identity
    /// When `aggregate` was last computed: the `as_of` of the statistics this node serves.
    var aggregateAsOf = Timestamp(milliseconds: 0)
    let clock: any Clock
    let started: Timestamp
    /// The overlay this node is a member of, once attached (see CampusNode+Overlay.swift).
    var overlay: (any OverlayMember)?
    /// The statistics rollup, once the node is in an overlay (CampusNode+Rollup.swift).
    var rollup: RollupService?
    var rollupTask: Task<Void, Never>?

    /// Opens the store in `configuration.dataDirectory` (running migrations) and indexes the
    /// courses it holds. Throws `StoreError` (the node must not start) or `OverlayError` for a bad URL.
    public static func open(_ configuration: NodeConfiguration, metrics: MetricsRegistry = MetricsRegistry(),
                            clock: any Clock = SystemClock()) async throws -> CampusNode {
        let nodeURL = try NodeURL(configuration.publicURL)
        let store = try await NodeStore.open(directory: configuration.dataDirectory)
        let stats = try await store.stats.range(scope: .site, from: CalendarDay(Timestamp(milliseconds: 0)),
                                                through: CalendarDay(clock.now())).last.map { try $0.decode(SiteStats.self) }
        let siteURL = configuration.siteURL ?? stats?.siteURL ?? configuration.publicURL
        let site = SiteInfo(url: siteURL, name: configuration.siteName ?? stats?.siteName ?? (CourseDocumentValidation.host(of: siteURL) ?? siteURL),
                            country: configuration.country ?? stats?.country ?? "", language: configuration.language ?? stats?.language ?? "en")
        let node = CampusNode(configuration: configuration, nodeURL: nodeURL, store: store, site: site, stats: stats,
                              metrics: metrics, clock: clock)
        try await node.loadIndex()
        return node
    }

    init(configuration: NodeConfiguration, nodeURL: NodeURL, store: NodeStore, site: SiteInfo, stats: SiteStats?,
         metrics: MetricsRegistry, clock: any Clock) {
        self.apiToken = configuration.apiToken
        self.publicURL = nodeURL.string
        self.nodeURL = nodeURL
        self.store = store
        self.site = site
        self.siteStats = stats
        self.metrics = metrics
        self.clock = clock
        self.started = clock.now()
        metrics.describe("coursemesh_postings_held", type: "gauge", help: "Postings this node holds")
        metrics.describe("coursemesh_lookups_total", type: "counter", help: "Term lookups made for queries")
        metrics.describe("coursemesh_peers", type: "gauge", help: "Overlay members this node knows")
    }

    private func loadIndex() async throws {
        var after: Int64 = 0
        while true {
            let batch = try await store.courses.list(after: after, limit: 1000)
            guard let last = batch.last else { break }
            for doc in batch { await add(doc) }
            after = last.courseID
        }
        lastSync = try await store.syncState.all().compactMap { $0.lastRunAt?.seconds }.max()
        await coursesChanged()
    }

    private func add(_ doc: CourseDocument) async {
        let id = DocumentInfo.makeID(siteURL: site.url, courseID: doc.courseID)
        await index.add(doc, site: site)
        suggestions.add(doc, id: id)
    }

    /// Refreshes what depends on the set of courses: the local aggregate and the gauges.
    private func coursesChanged() async {
        aggregate = await localAggregate()
        aggregateAsOf = clock.now()
        await updateGauges()
        // In an overlay the rollup owns the global figures and their daily snapshots.
        if let rollup {
            await rollup.setLocal(aggregate)
            return
        }
        // Today's snapshot for the history charts (a later change the same day replaces it).
        // The courses are already durable; a failed snapshot is counted, not reported as a failed push.
        let day = CalendarDay(aggregateAsOf)
        do {
            try await store.stats.put(Rollup.StatsSnapshot(day: day, asOf: aggregateAsOf, aggregate: aggregate),
                                      scope: .global, day: day, at: aggregateAsOf)
        } catch {
            metrics.increment("coursemesh_snapshot_errors_total")
        }
    }

    private func updateGauges() async {
        metrics.set("coursemesh_postings_held", Double(await index.postingCount))
        metrics.set("coursemesh_peers", 1)
    }

    /// Closes the store; call once, after the HTTP server has stopped.
    public func close() async {
        stopRollup()
        await store.close()
    }

    // MARK: NodeServices

    public func search(_ request: Web.SearchRequest) async throws -> Web.SearchResponse {
        let start = ContinuousClock.now
        var parsed = try QueryParser.parse(request.query)
        let f = request.filters
        for (value, keyPath) in [(f.language, \QueryFilters.languages), (f.country, \QueryFilters.countries),
                                 (f.site, \QueryFilters.sites), (f.category, \QueryFilters.categories)] where !value.isEmpty {
            parsed.filters[keyPath: keyPath].append(TextFolding.fold(value))
        }
        let source = searchSource()
        let ranked = try await SearchEngine(source: source).evaluate(parsed)
        metrics.increment("coursemesh_lookups_total", by: Double(parsed.allTerms.count))
        var page = ResultAssembler.response(for: Search.SearchRequest(query: request.query, page: request.page, pageSize: request.pageSize),
                                            query: parsed, ranked: ranked)
        page.missingTerms = source.unansweredTerms()
        page.partial = !page.missingTerms.isEmpty
        return Web.SearchResponse(page, tookMs: Int((ContinuousClock.now - start).milliseconds), nodesAsked: nodesAsked(by: source))
    }

    public func suggest(prefix: String, limit: Int) async throws -> [String] {
        if federation != nil { return await federatedSuggestions(prefix: prefix, limit: limit) }
        return suggestions.suggestions(prefix: prefix, limit: limit)
    }

    public func globalStats() async throws -> GlobalStatsReply {
        if let rollup { return await rollupGlobalStats(rollup) }
        return GlobalStatsReply(asOf: aggregateAsOf.milliseconds, sitesContributing: aggregate.totals.sites, aggregate: aggregate)
    }

    public func statsHistory(days: Int) async throws -> [Rollup.StatsSnapshot] {
        let today = clock.now()
        let from = CalendarDay(today - .seconds(Int64(days) * 86400))
        return try await store.stats.range(scope: .global, from: from, through: CalendarDay(today))
            .map { try $0.decode(Rollup.StatsSnapshot.self) }
    }

    public func localStats() async throws -> SiteStats? { siteStats }

    public func status() async -> NodeStatus {
        var status = await withOverlay(NodeStatus(url: publicURL, id: nodeURL.id.hex, version: CourseMeshVersion.current, siteName: site.name, predecessor: nil,
                   successors: [], members: 1, fingers: 0, termsHeld: await index.termCount, postingsHeld: await index.postingCount,
                   ownCourses: await index.documentCount, treeParent: nil, treeChildren: [], lastSync: lastSync,
                   uptimeSeconds: (clock.now() - started).milliseconds / 1000))
        await addRollupTree(to: &status)
        return status
    }

    public func pushCourses(_ courses: [CourseDocument]) async throws -> CoursePushReply {
        let siteHost = CourseDocumentValidation.host(of: site.url)
        let foreign = courses.enumerated().filter { CourseDocumentValidation.host(of: $1.url) != siteHost }
        guard foreign.isEmpty else {
            throw APIError.invalidCourses(foreign.map {
                .init(field: "courses[\($0.offset)].url", message: "must be on this node's Moodle host \(siteHost ?? site.url)")
            })
        }
        let counts = try await store.courses.upsert(courses, at: clock.now())
        for doc in courses { await add(doc) }
        lastSync = clock.now().seconds
        await coursesChanged()
        await publishOwnCourses()
        return CoursePushReply(accepted: courses.count, added: counts.added, updated: counts.updated, unchanged: counts.unchanged)
    }

    public func deleteCourse(courseID: Int64) async throws -> Bool {
        guard try await store.courses.delete(courseIDs: [courseID]) > 0 else { return false }
        let id = DocumentInfo.makeID(siteURL: site.url, courseID: courseID)
        await index.remove(documentID: id)
        suggestions.remove(id: id)
        await coursesChanged()
        await publishOwnCourses()
        return true
    }

    /// This site's contribution: its stats record (or one derived from its courses) and the field
    /// lengths the index already computed, so a push never re-reads or re-analyzes other courses.
    private func localAggregate() async -> Aggregate {
        let infos = await index.documentInfos()
        let stats = siteStats ?? SiteStats(siteURL: site.url, siteName: site.name, language: site.language, country: site.country,
                                           release: "", version: "", courses: infos.count, users: 0, enrolments: 0,
                                           activeUsers30d: 0, forumPosts: 0, quizQuestions: 0, resources: 0,
                                           activitiesByType: [:], readAt: clock.now().seconds)
        let documents = infos.map { info -> SiteContribution.Document in
            func at(_ f: Field) -> Int { f.rawValue < info.fieldLengths.count ? info.fieldLengths[f.rawValue] : 0 }
            return .init(categoryPath: info.category, lengths: FieldLengths(title: at(.title), tags: at(.tags), category: at(.category),
                                                                             summary: at(.summary), modules: at(.activities)))
        }
        return Aggregate(site: SiteContribution(stats: stats, documents: documents))
    }
}
