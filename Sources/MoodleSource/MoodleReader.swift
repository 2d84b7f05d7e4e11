import MeshCore

/// Reads one Moodle site as a guest sees it. The seam between Moodle and the rest of the node:
/// `DatabaseMoodleReader` reads a real database, `InMemoryMoodleReader` is the double for tests.
///
/// Implementations are thread-safe; calls may suspend for as long as the database needs
/// (each statement is bounded by `MoodleReaderSettings.statementTimeout`). Errors are
/// `MoodleSourceError`s. Nothing here ever writes to Moodle.
public protocol MoodleReader: Sendable {
    /// Every course a guest may see, sorted by course id, and the watermark to pass to `changes`.
    func readAll() async throws -> MoodleSnapshot
    /// What changed since `watermark` (from `readAll` or a previous `changes`): documents of
    /// courses added, changed or newly visible, and ids of courses deleted or no longer visible.
    /// Applying the result to the previous documents gives exactly what `readAll` would return.
    func changes(since watermark: MoodleWatermark) async throws -> MoodleChanges
    /// The site's counters (see `SiteStats`).
    func siteStats() async throws -> SiteStats
}

/// A full read: all visible courses and the watermark for the next incremental read.
public struct MoodleSnapshot: Sendable, Equatable {
    /// Sorted by `courseID`.
    public var documents: [CourseDocument]
    public var watermark: MoodleWatermark

    public init(documents: [CourseDocument], watermark: MoodleWatermark) {
        self.documents = documents
        self.watermark = watermark
    }
}

/// An incremental read.
public struct MoodleChanges: Sendable, Equatable {
    /// Courses added, changed or newly visible, sorted by `courseID`.
    public var documents: [CourseDocument]
    /// Courses deleted, hidden, or moved under a hidden category since the watermark, sorted.
    public var removedCourseIDs: [Int64]
    /// Pass this to the next `changes(since:)`.
    public var watermark: MoodleWatermark

    public init(documents: [CourseDocument], removedCourseIDs: [Int64], watermark: MoodleWatermark) {
        self.documents = documents
        self.removedCourseIDs = removedCourseIDs
        self.watermark = watermark
    }

    /// `previous` (by course id) with these changes applied: what a full read would return.
    public func applied(to previous: [CourseDocument]) -> [CourseDocument] {
        var byID = Dictionary(previous.map { ($0.courseID, $0) }, uniquingKeysWith: { _, b in b })
        for id in removedCourseIDs { byID[id] = nil }
        for doc in documents { byID[doc.courseID] = doc }
        return byID.values.sorted { $0.courseID < $1.courseID }
    }
}

/// Where an incremental read starts: when the last read happened and, for each course visible
/// then, a 64-bit signature of everything its document depends on (course row times, category
/// path, tags, enrolment instances and active count, visible modules). Opaque to callers;
/// `Codable` so it can be stored between runs (a few bytes per course).
public struct MoodleWatermark: Codable, Sendable, Equatable {
    /// Unix seconds of the read that produced this watermark.
    public var readAt: Int64
    /// Course id → signature, for every course visible at `readAt`.
    var signatures: [Int64: UInt64]

    /// A watermark that makes the next `changes(since:)` return every visible course.
    public static let empty = MoodleWatermark(readAt: 0, signatures: [:])

    init(readAt: Int64, signatures: [Int64: UInt64]) {
        self.readAt = readAt
        self.signatures = signatures
    }

    /// The ids of the courses visible at `readAt`, sorted.
    public var visibleCourseIDs: [Int64] { signatures.keys.sorted() }

    enum CodingKeys: String, CodingKey { case readAt = "read_at", courses }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        readAt = try c.decode(Int64.self, forKey: .readAt)
        let pairs = try c.decode([[Int64]].self, forKey: .courses)
        signatures = Dictionary(pairs.compactMap { $0.count == 2 ? ($0[0], UInt64(bitPattern: $0[1])) : nil },
                                uniquingKeysWith: { _, b in b })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(readAt, forKey: .readAt)
        try c.encode(signatures.sorted { $0.key < $1.key }.map { [$0.key, Int64(bitPattern: $0.value)] }, forKey: .courses)
    }
}

/// Settings of a database reader, with their defaults.
public struct MoodleReaderSettings: Sendable {
    /// The site's public base URL (`$CFG->wwwroot`, not stored in the database), e.g. `https://moodle.example.edu`.
    public var wwwroot: String
    /// Site language when `mdl_config` has no `lang` (default `en`).
    public var defaultLanguage = "en"
    /// ISO country code when `mdl_config` has no `country` (default empty = unknown).
    public var defaultCountry = ""
    /// libpq `connect_timeout` (default 10 s).
    public var connectTimeout: Duration = .seconds(10)
    /// Server-side bound on each PostgreSQL statement, and SQLite's busy timeout (default 60 s).
    public var statementTimeout: Duration = .seconds(60)
    /// Course ids per batch of document queries (default 10,000).
    public var batchSize = 10_000
    /// Where "now" comes from (active enrolments, active users, `readAt`).
    public var clock: any Clock = SystemClock()

    public init(wwwroot: String) { self.wwwroot = wwwroot }
}
