import MeshCore
import MeshHTTP
import Synchronization

/// Every HTTP surface of a node on one router: HTML pages, feeds, assets, the JSON API,
/// `/metrics` and `/health`. Handlers only translate HTTP to `NodeServices` calls and back.
public struct WebRoutes: Sendable {
    public var services: any NodeServices
    public var metrics: MetricsRegistry
    public var nodeName: String
    /// The clock stamped on feeds.
    public var clock: any Clock

    public init(services: any NodeServices, metrics: MetricsRegistry, nodeName: String, clock: any Clock = SystemClock()) {
        self.services = services
        self.metrics = metrics
        self.nodeName = nodeName
        self.clock = clock
        metrics.describe("coursemesh_http_requests_total", type: "counter", help: "HTTP requests answered, by route and status")
        metrics.describe("coursemesh_http_request_seconds", type: "histogram", help: "Time to answer an HTTP request, by route")
    }

    /// The most a course push body may be (500 documents of generous size).
    public static let coursePushBodyLimit = 8 << 20

    /// Adds every route to `router`.
    public func install(on router: inout Router) {
        let layout = PageLayout(nodeName: nodeName)
        let pages = SearchPages(layout: layout)
        let services = self.services

        router.getImmediate("/health") { _, _ in .text("{\"status\":\"ok\"}", contentType: "application/json") }
        router.getImmediate("/assets/style.css") { _, _ in
            Self.cached(.text(Assets.styleCSS, contentType: "text/css; charset=utf-8"))
        }
        router.getImmediate("/assets/suggest.js") { _, _ in
            Self.cached(.text(Assets.suggestJS, contentType: "text/javascript; charset=utf-8"))
        }
        router.getImmediate("/api/v1/openapi.json") { _, _ in Self.cors(.json(OpenAPIDocument.bytes)) }
        router.getImmediate("/opensearch.xml") { _, _ in
            .text(Feeds.openSearch(baseURL: services.publicURL, nodeName: nodeName),
                  contentType: "application/opensearchdescription+xml; charset=utf-8")
        }
        let metrics = self.metrics
        router.getImmediate("/metrics") { _, _ in
            .text(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }

        timed(&router, .get, "/") { _, _ in
            let stats = try? await services.globalStats()
            let status = await services.status()
            let courses = stats.map(\.aggregate.totals.courses) ?? status.ownCourses
            return .html(pages.home(examples: ["organic chemistry", "machine learning", "programación", "storia medievale", "\"linear algebra\""],
                                    courseCount: courses, siteCount: stats.map(\.sitesContributing)))
        }
        timed(&router, .get, "/search", onLoop: true) { request, _ in
            let q = request.query
            let query = q["q"] ?? ""
            if query.trimmingSpaces.isEmpty { return .redirect(to: "/") }
            do {
                let parsed = try Self.searchRequest(request.query)
                return .html(pages.results(try await services.search(parsed), filters: parsed.filters))
            } catch let error as any ServiceError {
                return .html(pages.error(query: query, message: error.message), status: error.status)
            }
        }
        timed(&router, .get, "/node") { _, _ in .html(NodePage(layout: layout).render(await services.status())) }
        timed(&router, .get, "/stats") { _, _ in
            .html(StatsPage(layout: layout).render(global: try await services.globalStats(), local: try await services.localStats(),
                                                  history: try await services.statsHistory(days: 90)))
        }
        timed(&router, .get, "/feeds/search.atom") { request, _ in
            var parsed = try Self.searchRequest(request.query)
            parsed.pageSize = 50
            let results = try await services.search(parsed)
            return .text(Feeds.atom(query: parsed.query, results: results.results, baseURL: services.publicURL, updated: self.clock.now()),
                         contentType: "application/atom+xml; charset=utf-8")
        }

        timed(&router, .get, "/api/v1/search", onLoop: true) { request, _ in
            Self.cors(.json(try await services.search(try Self.searchRequest(request.query)).jsonBytes()))
        }
        timed(&router, .get, "/api/v1/suggest", onLoop: true) { request, _ in
            let prefix = request.query["prefix"] ?? ""
            guard (1...64).contains(prefix.count) else {
                throw APIError.badParameter(name: "prefix", reason: "must be 1 to 64 characters, e.g. ?prefix=chem")
            }
            return Self.cors(try .json(encoding: SuggestResponse(prefix: prefix, suggestions: try await services.suggest(prefix: prefix, limit: 10))))
        }
        let statsJSON = EncodedStatsCache()
        timed(&router, .get, "/api/v1/stats") { _, _ in
            Self.cors(.json(try statsJSON.bytes(for: try await services.globalStats())))
        }
        timed(&router, .get, "/api/v1/stats/local") { _, _ in
            Self.cors(try .json(encoding: LocalStatsReply(site: try await services.localStats())))
        }
        timed(&router, .get, "/api/v1/node") { _, _ in Self.cors(try .json(encoding: await services.status())) }
        timed(&router, .post, "/api/v1/courses", bodyLimit: Self.coursePushBodyLimit) { request, _ in
            try Self.authorize(request, token: services.apiToken)
            let push = try JSONCoding.decode(CoursePushRequest.self, from: request.body)
            guard (1...CoursePushRequest.maxCourses).contains(push.courses.count) else { throw APIError.tooManyCourses(push.courses.count) }
            let problems = push.courses.enumerated().flatMap { CourseDocumentValidation.problems(of: $1, path: "courses[\($0)]") }
            guard problems.isEmpty else { throw APIError.invalidCourses(problems) }
            return try .json(encoding: try await services.pushCourses(push.courses))
        }
        timed(&router, .delete, "/api/v1/courses/:course_id") { request, params in
            try Self.authorize(request, token: services.apiToken)
            guard let raw = params["course_id"], let id = Int64(raw), id >= 2 else {
                throw APIError.badParameter(name: "course_id", reason: "must be a Moodle course id of 2 or more")
            }
            guard try await services.deleteCourse(courseID: id) else { throw APIError.unknownCourse(id) }
            return try .json(encoding: CourseDeleteReply(deleted: true))
        }
    }

    /// Adds an async route that counts its requests and times them in the metrics registry;
    /// `onLoop` runs it as `.asyncOnLoop` (handlers that mostly wait on other nodes).
    private func timed(_ router: inout Router, _ method: HTTPMethod, _ pattern: String, bodyLimit: Int? = nil,
                       onLoop: Bool = false, _ handler: @escaping HTTPHandler) {
        let metrics = self.metrics
        let timedHandler: HTTPHandler = { request, params in
            let start = ContinuousClock.now
            var status = 500
            defer {
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                metrics.increment("coursemesh_http_requests_total", labels: [("route", pattern), ("status", String(status))])
                metrics.observe("coursemesh_http_request_seconds", seconds: seconds, labels: [("route", pattern)])
            }
            do {
                let response = try await handler(request, params)
                status = response.status
                return response
            } catch let error as any ServiceError {
                status = error.status
                return pattern.hasPrefix("/api/") && method == .get ? Self.cors(.error(error)) : .error(error)
            }
        }
        router.on(method, pattern, bodyLimit: bodyLimit, handler: onLoop ? .asyncOnLoop(timedHandler) : .async(timedHandler))
    }

    /// Parses the query string of `/search`, `/api/v1/search` and the feed.
    static func searchRequest(_ q: QueryParameters) throws(APIError) -> SearchRequest {
        guard let query = q["q"], !query.trimmingSpaces.isEmpty else {
            throw .badParameter(name: "q", reason: "is required: the words to search for, e.g. ?q=organic+chemistry")
        }
        func int(_ name: String, _ range: ClosedRange<Int>, _ fallback: Int) throws(APIError) -> Int {
            // Absent means the default; present but empty is an error like any other non-number
            // (the API document types it as an integer: schemathesis sent `page_size=`).
            guard let raw = q[name] else { return fallback }
            guard let v = Int(raw), range.contains(v) else {
                throw .badParameter(name: name, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return v
        }
        let filters = SearchPages.Filters(language: q["lang"] ?? "", country: q["country"] ?? "", site: q["site"] ?? "",
                                          category: q["category"] ?? "")
        for (name, value, limit) in [("lang", filters.language, 30), ("country", filters.country, 2), ("site", filters.site, 255),
                                     ("category", filters.category, 255)] where value.count > limit {
            throw .badParameter(name: name, reason: "must be at most \(limit) characters")
        }
        return SearchRequest(query: query, page: try int("page", 1...100, 1), pageSize: try int("page_size", 1...50, 10), filters: filters)
    }

    static func authorize(_ request: HTTPRequest, token: String?) throws(APIError) {
        guard let token else { throw .pushDisabled }
        guard let header = request.headers["authorization"] else { throw .missingToken }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .missingToken }
        guard constantTimeEqual(Array(parts[1].utf8), Array(token.utf8)) else { throw .wrongToken }
    }

    /// Compares secrets without an early exit, so response time does not leak how much matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) { diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return diff == 0
    }

    static func cors(_ response: HTTPResponse) -> HTTPResponse {
        var r = response
        r.headers.set("Access-Control-Allow-Origin", "*")
        return r
    }

    static func cached(_ response: HTTPResponse) -> HTTPResponse {
        var r = response
        r.headers.set("Cache-Control", "public, max-age=3600")
        return r
    }
}

/// The encoded JSON of the newest global statistics. An aggregate never changes without its
/// `as_of` changing, so the bytes are reused until a newer one arrives. Thread-safe.
final class EncodedStatsCache: Sendable {
    private let cached = Mutex<(asOf: Int64?, bytes: [UInt8])?>(nil)

    func bytes(for reply: GlobalStatsReply) throws -> [UInt8] {
        if let hit = cached.withLock({ $0 }), hit.asOf == reply.asOf, reply.asOf != nil { return hit.bytes }
        let bytes = try JSONCoding.encode(reply)
        cached.withLock { $0 = (reply.asOf, bytes) }
        return bytes
    }
}

/// `GET /api/v1/stats/local`.
/// `site` is `null` (not absent) before the node has read its Moodle, as the API documents.
public struct LocalStatsReply: Codable, Sendable {
    public var site: SiteStats?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(site, forKey: .site)
    }
}

extension HTTPResponse {
    static func html(_ page: String, status: Int = 200) -> HTTPResponse {
        var r = HTTPResponse.text(page, status: status, contentType: "text/html; charset=utf-8")
        r.headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        r.headers.set("X-Content-Type-Options", "nosniff")
        r.headers.set("Referrer-Policy", "no-referrer")
        return r
    }

    static func redirect(to location: String) -> HTTPResponse {
        HTTPResponse(status: 303, headers: ["Location": location], body: [])
    }
}

extension String {
    var trimmingSpaces: Substring {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return self[start...end]
    }
}
