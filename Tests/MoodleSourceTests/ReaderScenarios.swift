import MeshCore
import MoodleSource
import Testing

/// The checks run against both backends, so SQLite and PostgreSQL are held to the same facts.
enum ReaderScenarios {
    static let wwwroot = "https://moodle.example.edu"

    static func settings(now: Int64) -> MoodleReaderSettings {
        var s = MoodleReaderSettings(wwwroot: wwwroot + "/")
        s.clock = ManualClock(start: Timestamp(seconds: now))
        s.batchSize = 7  // several batches even on the small fixture
        return s
    }

    static func fullReadMatchesIndependentSQL(_ db: any TestDatabase) async throws {
        let now = SystemClock().now().seconds
        let reader = try await DatabaseMoodleReader.open(dsn: db.dsn, settings: settings(now: now))
        let snapshot = try await reader.readAll()
        try ExpectedMoodle(db, now: now).check(snapshot.documents, wwwroot: wwwroot)
        try checkFixtureFacts(snapshot.documents)
        #expect(snapshot.watermark.visibleCourseIDs == snapshot.documents.map(\.courseID))
    }

    static func statsMatchIndependentSQL(_ db: any TestDatabase) async throws {
        let now = SystemClock().now().seconds
        let reader = try await DatabaseMoodleReader.open(dsn: db.dsn, settings: settings(now: now))
        let stats = try await reader.siteStats()
        #expect(stats.siteURL == wwwroot)
        #expect(stats.courses == Int(try db.int("SELECT COUNT(*) FROM mdl_course")) - 1)
        #expect(stats.users == Int(try db.int("SELECT COUNT(*) FROM mdl_user WHERE deleted = 0 AND username <> 'guest'")))
        #expect(stats.enrolments == Int(try db.int("SELECT COUNT(*) FROM mdl_user_enrolments")))
        #expect(stats.activeUsers30d == Int(try db.int(
            "SELECT COUNT(*) FROM mdl_user WHERE deleted = 0 AND username <> 'guest' AND lastaccess > \(now - 2_592_000)")))
        #expect(stats.activitiesByType["forum"] == Int(try db.int("SELECT COUNT(*) FROM mdl_forum f, mdl_course_modules cm, mdl_modules m WHERE cm.instance = f.id AND cm.module = m.id AND m.name = 'forum'")))
        #expect(stats.activitiesByType["page"] == 216)
        #expect(stats.resources == 216 + 35 + 8 + 5 + 4)
        #expect(stats.forumPosts == 0 && stats.quizQuestions == 0)
        #expect(stats.release == "5.0.6+ (Build: 20260403)")
        #expect(stats.version == "2025041406.11")
        #expect(stats.language == "en")
        #expect(stats.siteName == "Moodle Fixture Site")
        #expect(stats.readAt == now)
    }

    /// Update, hide, delete and add courses (and hide a category, drop a tag) between reads:
    /// every incremental result, applied in turn, equals a fresh full read.
    static func incrementalReadsEqualFullReads(_ db: any TestDatabase) async throws {
        let now = SystemClock().now().seconds
        let reader = try await DatabaseMoodleReader.open(dsn: db.dsn, settings: settings(now: now))
        let first = try await reader.readAll()

        let quiet = try await reader.changes(since: first.watermark)
        #expect(quiet.documents.isEmpty && quiet.removedCourseIDs.isEmpty)

        let t = now + 10
        try db.exec("UPDATE mdl_course SET fullname = 'Quantum Mechanics I', timemodified = \(t) WHERE id = 14")
        try db.exec("UPDATE mdl_course SET visible = 0, timemodified = \(t) WHERE id = 15")
        try db.exec("DELETE FROM mdl_course WHERE id = 16")
        try db.exec("""
            INSERT INTO mdl_course (id, category, sortorder, fullname, shortname, idnumber, summary, summaryformat, format,
                                    startdate, enddate, visible, lang, timecreated, timemodified, cacherev)
            SELECT 9028, category, 0, 'Curs nou de física', 'NEW-9028', '', summary, summaryformat, format,
                   startdate, enddate, 1, 'ca', \(t), \(t), \(t) FROM mdl_course WHERE id = 14
            """)
        try db.exec("DELETE FROM mdl_tag_instance WHERE id = (SELECT MIN(id) FROM mdl_tag_instance WHERE itemtype = 'course' AND itemid = 24)")
        try db.exec("UPDATE mdl_course_categories SET visible = 0 WHERE id = 9")

        let second = try await reader.changes(since: first.watermark)
        let full2 = try await reader.readAll()
        #expect(second.applied(to: first.documents) == full2.documents)
        #expect(Set(second.documents.map(\.courseID)) == [14, 24, 9028])
        #expect(Set(second.removedCourseIDs) == [15, 16, 20, 21, 22, 27])
        #expect(second.documents.first { $0.courseID == 14 }?.fullName == "Quantum Mechanics I")
        try ExpectedMoodle(db, now: now).check(full2.documents, wwwroot: wwwroot)

        try db.exec("UPDATE mdl_course_categories SET visible = 1 WHERE id = 9")
        let third = try await reader.changes(since: second.watermark)
        #expect(Set(third.documents.map(\.courseID)) == [20, 21, 22, 27])
        let full3 = try await reader.readAll()
        #expect(third.applied(to: second.applied(to: first.documents)) == full3.documents)
    }
}
