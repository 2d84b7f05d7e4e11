import Foundation
import MeshCore

/// The demo federation's data, bundled with the binary: campuses derived from real course
/// catalogues (MIT OpenCourseWare, University of Trento; see Resources/README.md for the split
/// and the licences) and a small real Moodle database (SQLite) for the node that reads Moodle.
public struct DemoCampuses: Sendable {
    /// One demo campus: a fictional site with real course texts.
    public struct Campus: Codable, Sendable {
        public var name: String
        /// Its Moodle wwwroot (a reserved `.example` host).
        public var url: String
        public var country: String
        public var language: String
        /// Where its course texts come from, with their licence.
        public var attribution: String
        public var courses: [Course]
    }

    /// One course as bundled; `documents(of:)` turns it into what the Moodle plugin would push.
    public struct Course: Codable, Sendable {
        public var shortName: String
        public var title: String
        public var summary: String
        public var subjects: [String]
        public var language: String

        enum CodingKeys: String, CodingKey {
            case shortName = "short_name", title, summary, subjects, language
        }
    }

    private struct File: Codable {
        var sources: [String]
        var campuses: [Campus]
    }

    /// The bundled campuses, in the order the demo gives them to nodes.
    public let campuses: [Campus]
    /// The licences and sources of the course texts.
    public let sources: [String]

    /// Reads and decompresses the bundled campuses. Throws `PlainServiceError` if the resource
    /// bundle is missing (a binary moved away from its `.resources` folder) or damaged.
    public static func load() throws -> DemoCampuses {
        let bytes = try DemoResources.bytes(of: "campuses.json.gz")
        guard let json = Gunzip.decompress(bytes) else {
            throw PlainServiceError(status: 500, code: "demo_data", message: "the bundled demo campuses are not valid gzip; rebuild")
        }
        let file = try JSONCoding.decode(File.self, from: json)
        return DemoCampuses(campuses: file.campuses, sources: file.sources)
    }

    /// Writes the bundled Moodle database (SQLite, 27 courses) to `path` for `coursemesh index`.
    /// Throws `PlainServiceError` if the bundle is missing or the file cannot be written.
    public static func writeMoodle(to path: String) throws { try DemoResources.writeMoodle(to: path) }

    /// The course documents of `campus` as its Moodle would publish them: course ids 2…n+1 (1 is Moodle's front page), URLs on
    /// the campus's host, the first subject as category, the others as tags. Deterministic.
    public static func documents(of campus: Campus) -> [CourseDocument] {
        campus.courses.enumerated().map { offset, course in
            let id = Int64(offset + 2)   // Moodle's course 1 is the front page
            let category = course.subjects.first.map { [$0] } ?? []
            let tags = course.subjects.dropFirst().map { String($0.prefix(CourseDocumentValidation.Limits.maxTag)) }
            // Plausible, stable numbers so the statistics and facets have something to show.
            let seed = Int(id) &* 2_654_435_761 & 0x7fff_ffff
            return CourseDocument(courseID: id, url: "\(campus.url)/course/view.php?id=\(id)", fullName: course.title,
                                  shortName: course.shortName, summary: course.summary, categoryPath: category,
                                  tags: Array(tags.prefix(CourseDocumentValidation.Limits.maxTags)), language: course.language,
                                  format: "topics", startDate: nil, endDate: nil, timeModified: 1_700_000_000 + Int64(seed % 30_000_000),
                                  openEnrolment: seed % 3 != 0, enrolledCount: seed % 240,
                                  modules: [.init(type: "forum", name: "Announcements"), .init(type: "resource", name: "Syllabus")])
        }
    }
}

/// The demo's bundled files (a SwiftPM resource folder next to the binary).
enum DemoResources {
    static func bytes(of name: String) throws -> [UInt8] {
        guard let folder = Bundle.module.url(forResource: "Demo", withExtension: nil),
              let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
            throw PlainServiceError(status: 500, code: "demo_data",
                                    message: "the demo's bundled data (\(name)) was not found next to the binary; run it with swift run, "
                                        + "or keep the coursemesh_CourseMesh.resources folder beside the executable")
        }
        return [UInt8](data)
    }

    /// Writes the bundled Moodle database (SQLite) to `path`, decompressed.
    static func writeMoodle(to path: String) throws {
        guard let bytes = Gunzip.decompress(try bytes(of: "moodle.sqlite.gz")) else {
            throw PlainServiceError(status: 500, code: "demo_data", message: "the bundled Moodle database is not valid gzip; rebuild")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw PlainServiceError(status: 500, code: "demo_data", message: "could not write \(path)")
        }
    }
}
