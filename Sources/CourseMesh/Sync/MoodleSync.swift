import MeshCore
import MeshStore
import MoodleSource

/// Brings the node's own course documents in line with its Moodle: a full re-read the first
/// time (or on demand), then incremental reads from the stored resume point.
///
/// Course changes and the new resume point are written in one transaction, so a crash mid-run
/// never leaves the resume point ahead of the stored courses. The site's stats record is kept
/// as today's `site` snapshot.
public struct MoodleSync: Sendable {
    public let store: NodeStore
    public let reader: any MoodleReader
    /// The source DSN without its password: the key of the sync state.
    public let source: String
    public var clock: any Clock

    public init(store: NodeStore, reader: any MoodleReader, dsn: String, clock: any Clock = SystemClock()) {
        self.store = store
        self.reader = reader
        self.source = SyncStateStore.redactedSource(dsn)
        self.clock = clock
    }

    /// What one run read and changed.
    public struct Outcome: Sendable {
        public var summary: SyncRunSummary
        public var stats: SiteStats
        /// Courses stored after the run.
        public var courseCount: Int
    }

    /// Runs one sync: full when `full` is true or no resume point is stored, else incremental.
    public func run(full forceFull: Bool = false) async throws -> Outcome {
        let started = clock.now()
        let previous = try await store.syncState.get(source: source)
        let resume = previous?.readerState.flatMap { try? JSONCoding.decode(MoodleWatermark.self, from: Array($0.utf8)) }
        let full = forceFull || resume == nil

        let documents: [CourseDocument]
        let removed: [Int64]
        let watermark: MoodleWatermark
        if let resume, !full {
            let changes = try await reader.changes(since: resume)
            documents = changes.documents
            removed = changes.removedCourseIDs
            watermark = changes.watermark
        } else {
            let snapshot = try await reader.readAll()
            let visible = Set(snapshot.documents.map(\.courseID))
            documents = snapshot.documents
            removed = try await store.courses.courseIDs().filter { !visible.contains($0) }
            watermark = snapshot.watermark
        }
        let stats = try await reader.siteStats()
        let readerState = try JSONCoding.encodeString(watermark)
        let finished = clock.now()
        let readAt = watermark.readAt
        let (counts, deleted) = try await store.database.write { [documents, removed, source] db in
            let counts = try CourseStore.upsert(documents, at: finished, in: db)
            let deleted = try CourseStore.delete(courseIDs: removed, in: db)
            let summary = SyncRunSummary(full: full, added: counts.added, updated: counts.updated, unchanged: counts.unchanged,
                                         removed: deleted, durationMilliseconds: (finished - started).milliseconds)
            try SyncStateStore.save(SyncState(source: source, watermark: readAt,
                                              lastFullSyncAt: full ? finished : previous?.lastFullSyncAt,
                                              lastRunAt: finished, lastRunSummary: summary, readerState: readerState), in: db)
            return (counts, deleted)
        }
        try await store.stats.put(stats, scope: .site, day: StatsDay(finished), at: finished)
        let summary = SyncRunSummary(full: full, added: counts.added, updated: counts.updated, unchanged: counts.unchanged,
                                     removed: deleted, durationMilliseconds: (clock.now() - started).milliseconds)
        return Outcome(summary: summary, stats: stats, courseCount: try await store.courses.count())
    }
}
