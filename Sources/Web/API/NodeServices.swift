import MeshCore
import Rollup

/// What the web surfaces need from a running node. `CourseMesh` implements it over the overlay,
/// the index and the store; tests implement it in memory. Implementations are thread-safe and
/// throw `ServiceError`s whose messages may be shown to the caller.
public protocol NodeServices: Sendable {
    /// Runs a query over the federation (page is 1-based).
    func search(_ query: SearchRequest) async throws -> SearchResponse
    /// The most frequent indexed terms that start with `prefix`.
    func suggest(prefix: String, limit: Int) async throws -> [String]
    /// The newest global aggregate this node has heard, with its time and contributors.
    func globalStats() async throws -> GlobalStatsReply
    /// Daily global snapshots from the last `days` days, oldest first (for history charts).
    func statsHistory(days: Int) async throws -> [Rollup.StatsSnapshot]
    /// This site's own statistics record, if it has read one.
    func localStats() async throws -> SiteStats?
    /// The node's identity, ring and tree position.
    func status() async -> NodeStatus
    /// Stores pushed documents durably, publishes their postings; returns what changed.
    func pushCourses(_ courses: [CourseDocument]) async throws -> CoursePushReply
    /// Removes one own course and retracts its postings; false when it was not stored.
    func deleteCourse(courseID: Int64) async throws -> Bool
    /// The bearer token pushes must carry; nil means pushes are refused.
    var apiToken: String? { get }
    /// This node's public base URL.
    var publicURL: String { get }
}

/// A parsed search request from `/search` or `/api/v1/search`.
public struct SearchRequest: Sendable, Equatable {
    public var query: String
    public var page: Int
    public var pageSize: Int
    public var filters: SearchPages.Filters

    public init(query: String, page: Int = 1, pageSize: Int = 10, filters: SearchPages.Filters = .init()) {
        self.query = query
        self.page = page
        self.pageSize = pageSize
        self.filters = filters
    }
}

/// `GET /api/v1/stats`: the global aggregate and how fresh and complete it is.
public struct GlobalStatsReply: Codable, Sendable {
    /// Unix milliseconds of the aggregate; nil before the first rollup reached this node.
    public var asOf: Int64?
    public var sitesContributing: Int
    /// Totals, groups and index statistics (schema owned by the Rollup layer).
    public var aggregate: Aggregate

    public init(asOf: Int64?, sitesContributing: Int, aggregate: Aggregate) {
        self.asOf = asOf
        self.sitesContributing = sitesContributing
        self.aggregate = aggregate
    }

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
        case sitesContributing = "sites_contributing"
        case aggregate
    }
}
