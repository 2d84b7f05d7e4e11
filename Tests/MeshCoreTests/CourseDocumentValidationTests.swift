import Testing
@testable import MeshCore

/// Course-document checks on hostile input (the course-document fuzz harness's findings are
/// kept here as regressions).
struct CourseDocumentValidationTests {
    static func document(url: String) -> CourseDocument {
        CourseDocument(courseID: 2, url: url, fullName: "Organic Chemistry", shortName: "C2", summary: "", categoryPath: [],
                       tags: [], language: "en", format: "topics", startDate: nil, endDate: nil, timeModified: 0,
                       openEnrolment: true, enrolledCount: 0, modules: [])
    }

    @Test("A URL whose authority has userinfo or a port but no host is refused, not accepted host-less",
          arguments: ["https://moohttp:@/mple.edu/course/view.php?id=2", "https://:443/course", "http://user@/x",
                      "https://[]/x", "https://", "http:///x", "https://?q", "https://#f"])
    func urlWithoutHostIsRefused(_ url: String) {
        #expect(!CourseDocumentValidation.isHTTPURL(url))
        #expect(CourseDocumentValidation.host(of: url) == nil)
        #expect(CourseDocumentValidation.problems(of: Self.document(url: url)).contains { $0.field == "url" })
    }

    @Test("Ordinary http(s) URLs keep their lower-cased host without userinfo or port",
          arguments: [("https://Moodle.Example.edu/course/view.php?id=2", "moodle.example.edu"),
                      ("http://guest:pw@moodle.example.edu:8080/x", "moodle.example.edu"),
                      ("https://[::1]:8443/m", "[::1]"), ("https://a.example?x=1", "a.example")])
    func hostOfOrdinaryURLs(_ url: String, _ host: String) {
        #expect(CourseDocumentValidation.host(of: url) == host)
        #expect(CourseDocumentValidation.problems(of: Self.document(url: url)).isEmpty)
    }

    @Test("Scripts, spaces and control characters in a URL are refused",
          arguments: ["javascript:alert(1)", "https://a.example/x y", "https://a.example/\u{7F}", "https://a.example/\n", "ftp://a.example"])
    func hostileURLsAreRefused(_ url: String) {
        #expect(!CourseDocumentValidation.isHTTPURL(url))
    }

    @Test("The byte path for ASCII URLs gives what the general path gives")
    func asciiPathAgreesWithGeneralPath() {
        let urls = ["https://Moodle.Example.edu/course/view.php?id=2", "http://guest:pw@moodle.example.edu:8080/x",
                    "https://[::1]:8443/m", "https://[]/x", "https://[::1", "HTTPS://A.EXAMPLE", "http://a@b@c.example/x",
                    "https://a.example#f", "https://a.example:/", "https://a.example/x y", "https://a.example/\t",
                    "https://a.example/\u{7F}", "ftp://a.example", "https:/a.example", "http://", "", "https://:443/course",
                    "https://user:@/path", "https://a.example/@b", "https://a.example?x=@y", "https://x.example\r\n"]
        for url in urls {
            let general = CourseDocumentValidation.isGeneralHTTPURL(url) ? CourseDocumentValidation.authorityHost(url) : nil
            #expect(CourseDocumentValidation.asciiHost(url) == .scanned(general), "\(url)")
            #expect(CourseDocumentValidation.host(of: url) == general, "\(url)")
        }
        #expect(CourseDocumentValidation.asciiHost("https://univé.example/x") == .notASCII)
    }
}
