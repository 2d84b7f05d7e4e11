import CourseMesh
import Foundation
import MeshCore
import MeshStore
import MoodleSource

/// `coursemesh index`: read the campus Moodle into the node's store (full, then incremental).
enum IndexCommand: Command {
    static let spec = CommandSpec(name: "index", summary: "read this campus's Moodle into the node store", options: [
        .value("moodle", "DSN", env: "COURSEMESH_MOODLE",
               help: "Moodle database: postgres://user:pass@host:port/db?prefix=mdl_ or sqlite:///path/file?prefix=mdl_"),
        .value("wwwroot", "URL", env: "COURSEMESH_WWWROOT", help: "Moodle's public base URL (its $CFG->wwwroot)"),
        .value("data", "DIR", env: "COURSEMESH_DATA", default: Defaults.dataDirectory, help: "folder of the node store"),
        .value("language", "CODE", env: "COURSEMESH_LANGUAGE", default: "en", help: "site language when Moodle's config has none"),
        .value("country", "CC", env: "COURSEMESH_COUNTRY", default: "", help: "site country (ISO 3166 alpha-2) when Moodle's config has none"),
        .flag("full", help: "re-read everything instead of only what changed since the last run"),
        .flag("json", help: "print the course documents and the site stats record as JSON; the store is not touched"),
    ], notes: ["Moodle is only read, never written; PostgreSQL sessions are opened read-only.",
               "example: coursemesh index --moodle 'postgres://moodle:pw@127.0.0.1/moodle?prefix=mdl_' --wwwroot https://moodle.example.edu"])

    static func run(_ options: ParsedOptions, environment: [String: String]) async throws -> Int32 {
        guard let dsn = options.string("moodle") else { throw CommandLineError("--moodle DSN is required (or COURSEMESH_MOODLE)") }
        guard let wwwroot = options.string("wwwroot"), CourseDocumentValidation.isHTTPURL(wwwroot) else {
            throw CommandLineError("--wwwroot must be Moodle's public http(s) base URL, e.g. https://moodle.example.edu")
        }
        var settings = MoodleReaderSettings(wwwroot: wwwroot)
        settings.defaultLanguage = options.string("language") ?? "en"
        settings.defaultCountry = options.string("country") ?? ""
        let terminal = isatty(2) == 1
        func progress(_ text: String) { if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8)) } }

        progress("connecting to Moodle…")
        let reader = try await DatabaseMoodleReader.open(dsn: dsn, settings: settings)
        if options.flag("json") {
            progress("reading courses…")
            let snapshot = try await reader.readAll()
            let stats = try await reader.siteStats()
            progress("")
            struct Dump: Encodable {
                var courses: [CourseDocument]
                var site: SiteStats
            }
            print(try JSONCoding.encodeString(Dump(courses: snapshot.documents, site: stats), pretty: true))
            return 0
        }
        let directory = Defaults.expand(options.string("data") ?? Defaults.dataDirectory, environment: environment)
        progress("opening the node store in \(directory)…")
        let store = try await NodeStore.open(directory: directory)
        progress(options.flag("full") ? "reading every course…" : "reading what changed…")
        let outcome = try await MoodleSync(store: store, reader: reader, dsn: dsn).run(full: options.flag("full"))
        await store.close()
        progress("")
        let s = outcome.summary
        print("\(s.full ? "full" : "incremental") sync of \(SyncStateStore.redactedSource(dsn)): "
            + "\(s.added) added, \(s.updated) updated, \(s.removed) removed, \(s.unchanged) unchanged; "
            + "\(outcome.courseCount) courses stored in \(s.durationMilliseconds) ms")
        return 0
    }
}
