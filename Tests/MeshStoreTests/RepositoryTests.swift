import MeshCore
import MeshStore
import Migrations
import Testing

private func course(_ id: Int64, name: String = "Àlgebra lineal", tags: [String] = ["math"]) -> CourseDocument {
    CourseDocument(courseID: id, url: "https://moodle.example.edu/course/view.php?id=\(id)", fullName: name,
                   shortName: "ALG\(id)", summary: "Vectors & matrices", categoryPath: ["Ciències", "Matemàtiques"],
                   tags: tags, language: "ca", format: "topics", startDate: 1_700_000_000, endDate: nil,
                   timeModified: 1_700_000_100, openEnrolment: true, enrolledCount: 12,
                   modules: [.init(type: "forum", name: "Fòrum"), .init(type: "quiz", name: "Test 1")])
}

private let t0 = Timestamp(milliseconds: 1_700_000_000_000)

@Suite struct CourseStoreTests {
    @Test func upsertCountsAddedUpdatedAndUnchangedInOneCall() async throws {
        let store = try await NodeStore.inMemory()
        let first = try await store.courses.upsert([course(2), course(3), course(4)], at: t0)
        #expect(first == CourseUpsertCounts(added: 3, updated: 0, unchanged: 0))

        let second = try await store.courses.upsert([course(2), course(3, name: "Renamed"), course(5)], at: t0 + .seconds(60))
        #expect(second == CourseUpsertCounts(added: 1, updated: 1, unchanged: 1))
        #expect(try await store.courses.count() == 4)
        #expect(try await store.courses.get(3)?.fullName == "Renamed")
    }

    @Test func storedDocumentReadsBackFieldForField() async throws {
        let store = try await NodeStore.inMemory()
        try await store.courses.upsert([course(7)], at: t0)
        #expect(try await store.courses.get(7) == course(7))
        #expect(try await store.courses.get(8) == nil)
    }

    @Test func failingDocumentRollsBackTheWholeBatch() async throws {
        let store = try await NodeStore.inMemory()
        // Course id 1 is Moodle's front page and is refused by the schema.
        let error = await #expect(throws: StoreError.self) {
            try await store.courses.upsert([course(2), course(1)], at: t0)
        }
        #expect(error?.isConstraintViolation == true)
        #expect(try await store.courses.count() == 0)
    }

    @Test func deleteRemovesOnlyTheGivenCourses() async throws {
        let store = try await NodeStore.inMemory()
        try await store.courses.upsert((2...6).map { course($0) }, at: t0)
        #expect(try await store.courses.delete(courseIDs: [3, 5, 99]) == 2)
        #expect(try await store.courses.courseIDs() == [2, 4, 6])
    }

    @Test func listPagesInCourseIDOrder() async throws {
        let store = try await NodeStore.inMemory()
        try await store.courses.upsert([course(9), course(2), course(5)], at: t0)
        let page1 = try await store.courses.list(limit: 2)
        let page2 = try await store.courses.list(after: page1.last!.courseID, limit: 2)
        #expect(page1.map(\.courseID) == [2, 5])
        #expect(page2.map(\.courseID) == [9])
    }

    @Test func contentHashChangesWithAnyField() {
        let base = CourseStore.contentHash(of: course(2))
        #expect(base == CourseStore.contentHash(of: course(2)))
        #expect(base.count == 64)
        var variants: [CourseDocument] = []
        var d = course(2); d.tags.append("algebra"); variants.append(d)
        d = course(2); d.tags = ["ma", "th"]; variants.append(d) // same characters, other split
        d = course(2); d.endDate = 0; variants.append(d)
        d = course(2); d.openEnrolment = false; variants.append(d)
        d = course(2); d.modules[0].name = "Forum"; variants.append(d)
        d = course(2); d.summary += " "; variants.append(d)
        d = course(2); d.enrolledCount += 1; variants.append(d)
        let hashes = Set(variants.map(CourseStore.contentHash(of:)))
        #expect(hashes.count == variants.count)
        #expect(!hashes.contains(base))
    }
}

@Suite struct SyncStateStoreTests {
    @Test func stateRoundTripsAndReplacesPerSource() async throws {
        let store = try await NodeStore.inMemory()
        let source = SyncStateStore.redactedSource("postgres://moodle:secret@db:5432/moodle?prefix=mdl_")
        #expect(try await store.syncState.get(source: source) == nil)
        let summary = SyncRunSummary(full: true, added: 3, updated: 0, unchanged: 0, removed: 0, durationMilliseconds: 42)
        let state = SyncState(source: source, watermark: 1_700_000_100, lastFullSyncAt: t0, lastRunAt: t0, lastRunSummary: summary)
        try await store.syncState.save(state)
        var later = state
        later.watermark += 50
        later.lastRunSummary = nil
        try await store.syncState.save(later)
        #expect(try await store.syncState.get(source: source) == later)
        #expect(try await store.syncState.all().count == 1)
    }

    @Test func courseChangesAndWatermarkCommitTogether() async throws {
        let store = try await NodeStore.inMemory()
        struct Crash: Error {}
        await #expect(throws: Crash.self) {
            try await store.database.write { db in
                _ = try CourseStore.upsert([course(2)], at: t0, in: db)
                try SyncStateStore.save(SyncState(source: "sqlite:///m.db", watermark: 10), in: db)
                throw Crash()
            }
        }
        #expect(try await store.courses.count() == 0)
        #expect(try await store.syncState.get(source: "sqlite:///m.db") == nil)
    }

    @Test func redactedSourceDropsEveryPassword() {
        #expect(SyncStateStore.redactedSource("postgres://moodle:s3cr%40t@db.example:5432/moodle?prefix=mdl_&sslmode=require")
                == "postgres://moodle@db.example:5432/moodle?prefix=mdl_&sslmode=require")
        #expect(SyncStateStore.redactedSource("postgres://moodle@/moodle?host=/run/postgresql&password=x&prefix=mdl_")
                == "postgres://moodle@/moodle?host=/run/postgresql&prefix=mdl_")
        #expect(SyncStateStore.redactedSource("host=db user=moodle password=x dbname=moodle")
                == "host=db user=moodle dbname=moodle")
        #expect(SyncStateStore.redactedSource("sqlite:///srv/moodle.db?prefix=mdl_") == "sqlite:///srv/moodle.db?prefix=mdl_")
    }
}

@Suite struct PeerStoreTests {
    private let idA = String(repeating: "a", count: 64)
    private let idB = String(repeating: "0", count: 63) + "1"

    @Test func peersUpsertListFilterAndRemove() async throws {
        let store = try await NodeStore.inMemory()
        try await store.peers.upsert([
            PeerRecord(url: "https://a.example/coursemesh", nodeID: idA, state: .alive, version: "0.1", lastSeen: t0),
            PeerRecord(url: "https://b.example/coursemesh", nodeID: idB, state: .suspect, lastSeen: t0),
        ])
        try await store.peers.upsert([
            PeerRecord(url: "https://a.example/coursemesh", nodeID: idA, state: .failed, version: "0.2", lastSeen: t0 + .seconds(5)),
        ])
        #expect(try await store.peers.count() == 2)
        #expect(try await store.peers.list().map(\.nodeID) == [idB, idA])
        #expect(try await store.peers.list(state: .failed).map(\.version) == ["0.2"])
        #expect(try await store.peers.get(url: "https://a.example/coursemesh")?.lastSeen == t0 + .seconds(5))
        #expect(try await store.peers.remove(url: "https://b.example/coursemesh"))
        #expect(try await !store.peers.remove(url: "https://b.example/coursemesh"))
    }

    @Test func malformedNodeIDIsRejected() async throws {
        let store = try await NodeStore.inMemory()
        let error = await #expect(throws: StoreError.self) {
            try await store.peers.upsert([PeerRecord(url: "https://x", nodeID: "ABC", state: .alive, lastSeen: t0)])
        }
        #expect(error?.kind == .invalidArgument)
    }
}

@Suite struct StatsSnapshotStoreTests {
    @Test func snapshotsPutReplaceAndReadByRange() async throws {
        let store = try await NodeStore.inMemory()
        let days = ["2026-11-19", "2026-11-20", "2026-11-21"].compactMap(CalendarDay.init(rawValue:))
        for (i, day) in days.enumerated() {
            try await store.stats.put(["courses": i], scope: .global, day: day, at: t0)
        }
        try await store.stats.put(["courses": 99], scope: .global, day: days[1], at: t0 + .seconds(1))
        try await store.stats.put(["courses": 1], scope: .site, day: days[1], at: t0)
        let range = try await store.stats.range(scope: .global, from: days[1], through: days[2])
        #expect(range.map(\.day) == [days[1], days[2]])
        #expect(try range[0].decode([String: Int].self) == ["courses": 99])
        #expect(try await store.stats.get(scope: .site, day: days[0]) == nil)
    }

    @Test func invalidJSONIsRefusedByTheSchema() async throws {
        let store = try await NodeStore.inMemory()
        let error = await #expect(throws: StoreError.self) {
            try await store.stats.put("{not json", scope: .site, day: CalendarDay(t0), at: t0)
        }
        #expect(error?.code == "store_constraint")
    }

    @Test func dayOfTimestampIsTheUTCDate() {
        #expect(CalendarDay(Timestamp(milliseconds: 0)).rawValue == "1970-01-01")
        #expect(CalendarDay(Timestamp(seconds: 951_782_400)).rawValue == "2000-02-29")
        #expect(CalendarDay(Timestamp(seconds: 1_795_305_599)).rawValue == "2026-11-21")
        #expect(CalendarDay(Timestamp(milliseconds: -1)).rawValue == "1969-12-31")
        #expect(CalendarDay(rawValue: "2026-13-01") == nil)
        #expect(CalendarDay(rawValue: "2026-1-01") == nil)
    }
}

@Suite struct NodeStoreTests {
    @Test func everythingWrittenIsThereAfterReopen() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try await NodeStore.open(directory: dir.file("data"))
        try await store.courses.upsert([course(2)], at: t0)
        try await store.meta.set("node_url", to: "https://moodle.example.edu/coursemesh")
        await store.close()

        let reopened = try await NodeStore.open(directory: dir.file("data"))
        #expect(try await reopened.courses.get(2) == course(2))
        #expect(try await reopened.meta.get("node_url") == "https://moodle.example.edu/coursemesh")
        #expect(try await reopened.database.appliedMigrations().count == Migrations.all.count)
        #expect(try await reopened.database.integrityCheck() == ["ok"])
        await reopened.close()
    }
}

