import MeshCore
import MoodleSource
import Testing

@Suite("DSN parsing and the in-memory reader")
struct DSNAndDoubleTests {
    @Test func postgresDSNWithAllParts() throws {
        guard case .postgres(let t) = try MoodleDSN.parse("postgres://moodle:p%40ss@db.example.edu:5433/moodle?prefix=m_&sslmode=require") else {
            Issue.record("expected postgres"); return
        }
        #expect(t.user == "moodle" && t.password == "p@ss" && t.host == "db.example.edu" && t.port == 5433)
        #expect(t.database == "moodle" && t.prefix == "m_" && t.sslMode == "require")
        #expect(!t.description.contains("p@ss"))
    }

    @Test func unixSocketHostInBothSpellings() throws {
        guard case .postgres(let a) = try MoodleDSN.parse("postgres://u@%2Fvar%2Frun%2Fpostgresql/moodle"),
              case .postgres(let b) = try MoodleDSN.parse("postgresql://u@/moodle?host=/var/run/postgresql") else {
            Issue.record("expected postgres"); return
        }
        #expect(a.host == "/var/run/postgresql" && b.host == "/var/run/postgresql" && a.prefix == "mdl_")
    }

    @Test func sqliteDSN() throws {
        #expect(try MoodleDSN.parse("sqlite:///srv/moodle.sqlite?prefix=mdl_") == .sqlite(path: "/srv/moodle.sqlite", prefix: "mdl_"))
    }

    @Test(arguments: ["mysql://u@h/db", "postgres://u@h:99999/db", "postgres://u@h/", "postgres://u@h/db?prefix=x;drop",
                      "postgres://u@h/db?sslmode=maybe", "postgres://u@h/db?foo=1", "sqlite://relative.sqlite"])
    func badDSNsAreRejectedWithAReason(_ dsn: String) {
        #expect { try MoodleDSN.parse(dsn) } throws: { ($0 as? MoodleSourceError)?.kind == .invalidDSN }
    }

    static func doc(_ id: Int64, _ name: String) -> CourseDocument {
        CourseDocument(courseID: id, url: "https://m/course/view.php?id=\(id)", fullName: name, shortName: "S\(id)", summary: "",
                       categoryPath: [], tags: [], language: "en", format: "topics", startDate: nil, endDate: nil,
                       timeModified: 1, openEnrolment: false, enrolledCount: 0, modules: [])
    }

    @Test func inMemoryReaderReportsChangesLikeTheDatabaseReader() async throws {
        let stats = SiteStats(siteURL: "https://m", siteName: "M", language: "en", country: "", release: "", version: "",
                              courses: 2, users: 0, enrolments: 0, activeUsers30d: 0, forumPosts: 0, quizQuestions: 0,
                              resources: 0, activitiesByType: [:], readAt: 0)
        let reader = InMemoryMoodleReader(documents: [Self.doc(2, "A"), Self.doc(3, "B")], stats: stats)
        let first = try await reader.readAll()
        #expect(first.documents.map(\.courseID) == [2, 3])
        reader.upsert(Self.doc(3, "B2"))
        reader.upsert(Self.doc(4, "C"))
        reader.remove(courseID: 2)
        let changes = try await reader.changes(since: first.watermark)
        #expect(changes.documents.map(\.courseID) == [3, 4] && changes.removedCourseIDs == [2])
        #expect(changes.applied(to: first.documents) == (try await reader.readAll()).documents)
        let json = try JSONCoding.encode(changes.watermark)
        #expect(try JSONCoding.decode(MoodleWatermark.self, from: json) == changes.watermark)
        reader.fail(with: MoodleSourceError(.unreachable, "down"))
        await #expect(throws: MoodleSourceError.self) { try await reader.siteStats() }
    }
}
