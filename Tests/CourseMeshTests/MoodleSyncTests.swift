import MeshCore
import MeshStore
import MoodleSource
import Testing
@testable import CourseMesh

struct MoodleSyncTests {
    static func doc(_ id: Int64, _ title: String, modified: Int64 = 1_700_000_000) -> CourseDocument {
        CourseDocument(courseID: id, url: "https://m.example.edu/course/view.php?id=\(id)", fullName: title, shortName: "C\(id)",
                       summary: "About \(title)", categoryPath: ["Science"], tags: [], language: "en", format: "topics",
                       startDate: nil, endDate: nil, timeModified: modified, openEnrolment: false, enrolledCount: 0, modules: [])
    }

    static let stats = SiteStats(siteURL: "https://m.example.edu", siteName: "M", language: "en", country: "ES", release: "5.0",
                                 version: "2025041400", courses: 3, users: 10, enrolments: 5, activeUsers30d: 2, forumPosts: 0,
                                 quizQuestions: 0, resources: 0, activitiesByType: [:], readAt: 1_700_000_000)

    @Test func firstRunIsFullThenOnlyChangesAreRead() async throws {
        let clock = ManualClock()
        let reader = InMemoryMoodleReader(documents: [Self.doc(2, "Algebra"), Self.doc(3, "Biology"), Self.doc(4, "Chemistry")],
                                          stats: Self.stats, clock: clock)
        let store = try await NodeStore.inMemory()
        let sync = MoodleSync(store: store, reader: reader, dsn: "sqlite:///m.db?password=secret", clock: clock)

        let first = try await sync.run()
        #expect(first.summary.full && first.summary.added == 3 && first.courseCount == 3)

        clock.advance(by: .seconds(60))
        reader.upsert(Self.doc(3, "Biology II", modified: 1_700_000_100))
        reader.remove(courseID: 4)
        reader.upsert(Self.doc(5, "Drama", modified: 1_700_000_100))
        let second = try await sync.run()
        #expect(!second.summary.full)
        #expect(second.summary.added == 1 && second.summary.updated == 1 && second.summary.removed == 1)
        #expect(try await store.courses.courseIDs() == [2, 3, 5])
        #expect(try await store.courses.get(3)?.fullName == "Biology II")

        // A full re-read gives the same store as the incremental runs did.
        let full = try await sync.run(full: true)
        #expect(full.summary.full && full.summary.added == 0 && full.summary.updated == 0 && full.summary.removed == 0)
        #expect(try await store.syncState.get(source: "sqlite:///m.db")?.lastRunSummary?.full == true)
    }

    @Test func aFailedReadChangesNothing() async throws {
        let reader = InMemoryMoodleReader(documents: [Self.doc(2, "Algebra")], stats: Self.stats)
        let store = try await NodeStore.inMemory()
        let sync = MoodleSync(store: store, reader: reader, dsn: "sqlite:///m.db")
        _ = try await sync.run()
        reader.remove(courseID: 2)
        reader.fail(with: MoodleSourceError(.unreachable, "down"))
        await #expect(throws: (any Error).self) { try await sync.run() }
        #expect(try await store.courses.courseIDs() == [2])
    }
}
