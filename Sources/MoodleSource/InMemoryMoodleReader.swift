import MeshCore
import Synchronization

/// A `MoodleReader` over documents held in memory: the double other layers' tests share.
///
/// Thread-safe (state behind a mutex). `changes(since:)` compares each document with the one
/// seen at the watermark, exactly like the database reader compares signatures.
public final class InMemoryMoodleReader: MoodleReader {
    private struct State {
        var documents: [Int64: CourseDocument]
        var stats: SiteStats
        var failure: MoodleSourceError?
    }

    private let state: Mutex<State>
    private let clock: any Clock

    /// A site with `documents` and `stats`; `clock` stamps watermarks.
    public init(documents: [CourseDocument], stats: SiteStats, clock: any Clock = SystemClock()) {
        state = Mutex(State(documents: Dictionary(documents.map { ($0.courseID, $0) }, uniquingKeysWith: { _, b in b }),
                            stats: stats))
        self.clock = clock
    }

    /// Adds or replaces a course.
    public func upsert(_ document: CourseDocument) { state.withLock { $0.documents[document.courseID] = document } }
    /// Deletes (or hides) a course.
    public func remove(courseID: Int64) { state.withLock { _ = $0.documents.removeValue(forKey: courseID) } }
    /// Replaces the counters.
    public func setStats(_ stats: SiteStats) { state.withLock { $0.stats = stats } }
    /// Makes every following call throw `error` (nil to recover).
    public func fail(with error: MoodleSourceError?) { state.withLock { $0.failure = error } }

    public func readAll() async throws -> MoodleSnapshot {
        let c = try diff(since: .empty)
        return MoodleSnapshot(documents: c.documents, watermark: c.watermark)
    }

    public func changes(since watermark: MoodleWatermark) async throws -> MoodleChanges {
        try diff(since: watermark)
    }

    private func diff(since watermark: MoodleWatermark) throws -> MoodleChanges {
        let now = clock.now().seconds
        return try state.withLock { s in
            if let failure = s.failure { throw failure }
            var signatures: [Int64: UInt64] = [:]
            for (id, doc) in s.documents {
                var h = FNV1a()
                h.add((try? JSONCoding.encodeString(doc)) ?? "")
                signatures[id] = h.value
            }
            let (changed, removed) = ChangeDetector.diff(previous: watermark.signatures, current: signatures)
            return MoodleChanges(documents: changed.compactMap { s.documents[$0] }, removedCourseIDs: removed,
                                 watermark: MoodleWatermark(readAt: now, signatures: signatures))
        }
    }

    public func siteStats() async throws -> SiteStats {
        try state.withLock { s in
            if let failure = s.failure { throw failure }
            return s.stats
        }
    }
}
