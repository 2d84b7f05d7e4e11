import Foundation
import MeshCore
@testable import Search

/// The real course corpus of Tests/Fixtures/courses, mapped to course documents and loaded
/// into one `LocalIndex` once for all tests.
enum CourseCorpus {
    struct Row { var fields: [String: String] }

    /// RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\n" || c == "\r\n" {
                record.append(field); field = ""
                records.append(record); record = []
            } else if c != "\r" {
                field.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// Documents with their sites: title → full_name, description → summary, subject split on
    /// `|` → category path (first subject) and tags (all), institution → site.
    static func documents() throws -> [(CourseDocument, SiteInfo)] {
        let records = parseCSV(try FixtureFiles.gunzip("courses/courses.csv.gz"))
        let header = records[0]
        var out: [(CourseDocument, SiteInfo)] = []
        for (i, record) in records.dropFirst().enumerated() where record.count == header.count {
            let row = Dictionary(uniqueKeysWithValues: zip(header, record))
            let subjects = (row["subject"] ?? "").split(separator: "|").map(String.init)
            let isMIT = (row["id"] ?? "").hasPrefix("mitocw:")
            let site = isMIT
                ? SiteInfo(url: "https://ocw.mit.edu", name: row["institution"] ?? "", country: "US", language: "en")
                : SiteInfo(url: "https://www.unitn.it", name: row["institution"] ?? "", country: "IT", language: "it")
            let doc = CourseDocument(courseID: Int64(i + 2), url: row["source_url"] ?? "", fullName: row["title"] ?? "",
                                     shortName: "", summary: row["description"] ?? "", categoryPath: Array(subjects.prefix(1)),
                                     tags: subjects, language: row["language"] ?? "", format: "topics", startDate: nil,
                                     endDate: nil, timeModified: 0, openEnrolment: isMIT, enrolledCount: 0, modules: [])
            out.append((doc, site))
        }
        return out
    }

    static let index: Task<LocalIndex, any Error> = Task {
        let index = LocalIndex()
        for (doc, site) in try documents() { await index.add(doc, site: site) }
        return index
    }

    static func engine() async throws -> SearchEngine { SearchEngine(source: try await index.value) }
}
