import Foundation
import MeshCore
import MoodleSource
import Testing

/// Reads a generated Moodle of about 20,000 courses (the fixture's 26 courses copied 769 times
/// with new ids, with their tags, enrolment instances, user enrolments, sections and modules),
/// then changes 1 % of the courses and reads incrementally. Prints the figures; asserts only
/// that the results are right, never a speed. Run with COURSEMESH_BENCH=1 (see Docs/benchmarks.md).
@Suite("Moodle reader benchmark", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["COURSEMESH_BENCH"] == "1", "set COURSEMESH_BENCH=1 to run the benchmark"))
struct ReaderBenchmark {
    static let copies = 769

    /// Copies every fixture course `copies` times; ids are offset by k * 1000 (k * 10000 for
    /// user enrolments, k * 100000 for tag instances), which the fixture's ids fit under.
    static func grow(_ db: any TestDatabase) throws {
        let n = "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < \(copies))"
        try db.exec("""
            \(n) INSERT INTO mdl_course (id, category, sortorder, fullname, shortname, idnumber, summary, summaryformat, format,
                startdate, enddate, visible, lang, timecreated, timemodified, cacherev)
            SELECT id + k * 1000, category, sortorder, fullname, shortname || '-' || k, '', summary, summaryformat, format,
                startdate, enddate, visible, lang, timecreated, timemodified, cacherev FROM mdl_course, n WHERE id > 1
            """)
        try db.exec("""
            \(n) INSERT INTO mdl_tag_instance (id, tagid, component, itemtype, itemid, contextid, tiuserid, ordering, timecreated, timemodified)
            SELECT id + k * 100000, tagid, component, itemtype, itemid + k * 1000, NULL, tiuserid, ordering, timecreated, timemodified
            FROM mdl_tag_instance, n WHERE itemtype = 'course'
            """)
        try db.exec("""
            \(n) INSERT INTO mdl_enrol (id, enrol, status, courseid, sortorder, roleid, timecreated, timemodified)
            SELECT id + k * 1000, enrol, status, courseid + k * 1000, sortorder, roleid, timecreated, timemodified FROM mdl_enrol, n
            """)
        try db.exec("""
            \(n) INSERT INTO mdl_user_enrolments (id, status, enrolid, userid, timestart, timeend, modifierid, timecreated, timemodified)
            SELECT id + k * 10000, status, enrolid + k * 1000, userid, timestart, timeend, modifierid, timecreated, timemodified
            FROM mdl_user_enrolments, n
            """)
        try db.exec("""
            \(n) INSERT INTO mdl_course_modules (id, course, module, instance, section, added, visible, visibleold, deletioninprogress)
            SELECT id + k * 1000, course + k * 1000, module, instance, section + k * 1000, added, visible, visibleold, deletioninprogress
            FROM mdl_course_modules, n WHERE course > 1
            """)
        try db.exec("""
            \(n) INSERT INTO mdl_course_sections (id, course, section, name, summary, summaryformat, sequence, visible, timemodified)
            SELECT id + k * 1000, course + k * 1000, section, name, summary, summaryformat, sequence, visible, timemodified
            FROM mdl_course_sections, n WHERE course > 1
            """)
        // A live Moodle's statistics are kept current by autovacuum; bring them up to date here.
        try db.exec("ANALYZE")
    }

    static func run(_ db: any TestDatabase, label: String) async throws {
        try grow(db)
        let now = SystemClock().now().seconds
        var settings = MoodleReaderSettings(wwwroot: "https://moodle.example.edu")
        settings.clock = ManualClock(start: Timestamp(seconds: now))
        let reader = try await DatabaseMoodleReader.open(dsn: db.dsn, settings: settings)
        let clock = ContinuousClock()
        var snapshot: MoodleSnapshot?
        let full = try await clock.measure { snapshot = try await reader.readAll() }
        let first = try #require(snapshot)
        let total = first.documents.count
        let expectedVisible = try db.int("""
            SELECT COUNT(*) FROM mdl_course c JOIN mdl_course_categories cc ON cc.id = c.category
            WHERE c.id <> 1 AND c.visible = 1 AND NOT EXISTS (SELECT 1 FROM mdl_course_categories h
              WHERE h.visible = 0 AND (cc.path = h.path OR cc.path LIKE h.path || '/%'))
            """)
        #expect(Int64(total) == expectedVisible)
        let changedCount = total / 100
        let ids = first.documents.map(\.courseID).shuffled().prefix(changedCount)
        try db.exec("UPDATE mdl_course SET fullname = fullname || ' (rev)', timemodified = \(now + 5) WHERE id IN (\(ids.map(String.init).joined(separator: ",")))")
        var changes: MoodleChanges?
        let incremental = try await clock.measure { changes = try await reader.changes(since: first.watermark) }
        #expect(Set(try #require(changes).documents.map(\.courseID)) == Set(ids))
        let seconds = Double(full.components.seconds) + Double(full.components.attoseconds) / 1e18
        let incSeconds = Double(incremental.components.seconds) + Double(incremental.components.attoseconds) / 1e18
        print("BENCH moodle-reader \(label): full read of \(total) visible courses in \(String(format: "%.2f", seconds)) s = \(Int(Double(total) / seconds)) courses/s; incremental with \(changedCount) changed in \(String(format: "%.2f", incSeconds)) s")
    }

    @Test func sqliteTwentyThousandCourses() async throws {
        try await Self.run(TestSQLite(path: Fixtures.sqliteCopy()), label: "sqlite")
    }

    @Test(.enabled(if: TestPostgres.enabled, "COURSEMESH_TEST_PG_DSN is unset"))
    func postgresTwentyThousandCourses() async throws {
        let db = try TestPostgres.scratchCopy()
        try await Self.run(db, label: "postgresql")
    }
}
