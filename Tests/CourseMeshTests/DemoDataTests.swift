import CourseMesh
import Foundation
import MeshCore
import Testing

/// The demo's bundled campuses and how the demo lays them out on nodes.
struct DemoDataTests {
    @Test func bundledCampusesHoldEveryFixtureCourseAndEachPushesAsValidDocuments() throws {
        let demo = try DemoCampuses.load()
        #expect(demo.campuses.count == 7)
        #expect(demo.campuses.reduce(0) { $0 + $1.courses.count } == 5098, "the derivative keeps all courses of courses.csv.gz")
        #expect(Set(demo.campuses.map(\.country)).count >= 5 && Set(demo.campuses.map(\.language)) == ["en", "it"])
        #expect(demo.sources.contains { $0.contains("CC BY-NC-SA 4.0") } && demo.sources.contains { $0.contains("CC BY-SA 4.0") })
        for campus in demo.campuses {
            #expect(!campus.attribution.isEmpty, "\(campus.name) carries its attribution")
            let documents = DemoCampuses.documents(of: campus)
            let host = CourseDocumentValidation.host(of: campus.url)
            for (i, doc) in documents.enumerated() {
                let problems = CourseDocumentValidation.problems(of: doc, path: "courses[\(i)]")
                #expect(problems.isEmpty, "\(campus.name): \(problems)")
                #expect(CourseDocumentValidation.host(of: doc.url) == host)
            }
            #expect(Set(documents.map(\.courseID)).count == documents.count, "course ids are unique per campus")
        }
    }

    @Test func documentsAreTheSameOnEveryRun() throws {
        let campus = try DemoCampuses.load().campuses[0]
        #expect(DemoCampuses.documents(of: campus) == DemoCampuses.documents(of: campus))
    }

    @Test func theMoodleNodeComesLastAndExtraNodesJoinEmpty() throws {
        let demo = try DemoCampuses.load()
        let eight = DemoPlan.sites(count: 8, campuses: demo, moodle: "/tmp/m.sqlite")
        #expect(eight.map(\.url).prefix(7) == ArraySlice(demo.campuses.map(\.url)))
        #expect(eight[7].url == DemoPlan.moodleURL && eight[7].setup.first?.first == "index")
        #expect(eight[7].setup.first?.contains("sqlite:///tmp/m.sqlite") == true)
        let ten = DemoPlan.sites(count: 10, campuses: demo, moodle: "/tmp/m.sqlite")
        #expect(ten.count == 10 && ten[7].url.hasPrefix("https://peer7.") && ten[9].url == DemoPlan.moodleURL)
        #expect(Set(ten.map(\.url)).count == 10, "every node has its own site")
        let one = DemoPlan.sites(count: 1, campuses: demo, moodle: "/tmp/m.sqlite")
        #expect(one.count == 1 && one[0].setup.isEmpty)
    }

    @Test func theBundledMoodleDecompressesToASQLiteDatabase() throws {
        let path = NSTemporaryDirectory() + "coursemesh-demo-moodle-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DemoCampuses.writeMoodle(to: path)
        let header = try #require(FileManager.default.contents(atPath: path)).prefix(16)
        #expect(String(decoding: header, as: UTF8.self) == "SQLite format 3\0")
    }
}
