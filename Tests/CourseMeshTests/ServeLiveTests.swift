import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MeshCore
import Testing

/// The real `coursemesh serve` process on a free loopback port, driven over HTTP: every endpoint
/// and every API error, then a graceful stop.
@Suite(.serialized)
struct ServeLiveTests {
    static let token = "test-token-123"

    final class Node {
        let process = Process()
        let base: String
        let data: String

        init() throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let binary = root.appendingPathComponent(".build/debug/coursemesh").path
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                throw PlainServiceError(status: 500, code: "no_binary", message: "build first: swift build (\(binary) is missing)")
            }
            let port = try freePort()
            base = "http://127.0.0.1:\(port)"
            data = NSTemporaryDirectory() + "coursemesh-live-\(UUID().uuidString)"
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--data", data, "--api-token", ServeLiveTests.token,
                                 "--site-url", "https://moodle.example.edu", "--site-name", "Live <Test> Campus", "--country", "es",
                                 "--log-level", "warn"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        func waitUntilUp() async throws {
            for _ in 0..<100 {
                if let (status, _, _) = try? await request("GET", "/health"), status == 200 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw PlainServiceError(status: 500, code: "not_up", message: "coursemesh serve did not answer /health within 10 s")
        }

        func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> (Int, [String: String], String) {
            var r = URLRequest(url: URL(string: base + path)!)
            r.httpMethod = method
            r.timeoutInterval = 10
            if let body { r.httpBody = Data(body.utf8); r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
            if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await URLSession.shared.data(for: r)
            let http = response as! HTTPURLResponse
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
            return (http.statusCode, headers, String(decoding: data, as: UTF8.self))
        }

        func stop() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: data)
            return process.terminationStatus
        }
    }

    static func course(_ id: Int, title: String, url: String? = nil) -> String {
        let doc: [String: Any] = [
            "course_id": id, "url": url ?? "https://moodle.example.edu/course/view.php?id=\(id)", "full_name": title, "short_name": "C\(id)",
            "summary": "A course about organic chemistry and laboratory practice.", "category_path": ["Science", "Chemistry"],
            "tags": ["chemistry"], "language": "en", "format": "topics", "start_date": NSNull(), "end_date": NSNull(),
            "time_modified": 1_700_000_000, "open_enrolment": true, "enrolled_count": 3,
            "modules": [["type": "forum", "name": "Announcements"]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: doc), as: UTF8.self)
    }

    @Test func everyEndpointAndErrorOverRealHTTP() async throws {
        let node = try Node()
        defer { _ = node.stop() }
        try await node.waitUntilUp()

        // Pushing: token checks, validation naming the field, then a durable upsert.
        let push = "{\"courses\":[\(Self.course(2, title: "Organic Chemistry <script>alert(1)</script>"))]}"
        #expect(try await node.request("POST", "/api/v1/courses", body: push).0 == 401)
        let wrong = try await node.request("POST", "/api/v1/courses", body: push, token: "nope")
        #expect(wrong.0 == 401 && wrong.2.contains("wrong_token"))
        let bad = try await node.request("POST", "/api/v1/courses", body: "{\"courses\":[{\"course_id\":2}]}", token: Self.token)
        #expect(bad.0 == 400 && bad.2.contains("courses[0]"))
        let notJSON = try await node.request("POST", "/api/v1/courses", body: "{nope", token: Self.token)
        #expect(notJSON.0 == 400 && notJSON.2.contains("bad_json"))
        let foreign = "{\"courses\":[\(Self.course(3, title: "X", url: "https://elsewhere.example.org/course/view.php?id=3"))]}"
        let refused = try await node.request("POST", "/api/v1/courses", body: foreign, token: Self.token)
        #expect(refused.0 == 400 && refused.2.contains("courses[0].url"))
        let ftp = "{\"courses\":[\(Self.course(3, title: "X", url: "ftp://moodle.example.edu/x"))]}"
        #expect(try await node.request("POST", "/api/v1/courses", body: ftp, token: Self.token).0 == 400)
        let huge = "{\"courses\":[" + String(repeating: " ", count: 9 << 20) + "]}"
        #expect(try await node.request("POST", "/api/v1/courses", body: huge, token: Self.token).0 == 413)
        let ok = try await node.request("POST", "/api/v1/courses", body: push, token: Self.token)
        #expect(ok.0 == 200 && ok.2.contains("\"added\":1"))
        #expect(try await node.request("POST", "/api/v1/courses", body: push, token: Self.token).2.contains("\"unchanged\":1"))

        // Searching: JSON with CORS, HTML escaped, feed, suggestions.
        let search = try await node.request("GET", "/api/v1/search?q=organic+chemistry")
        #expect(search.0 == 200 && search.1["access-control-allow-origin"] == "*")
        let json = try JSONSerialization.jsonObject(with: Data(search.2.utf8)) as! [String: Any]
        #expect(json["total"] as? Int == 1)
        let html = try await node.request("GET", "/search?q=chemistry")
        #expect(html.0 == 200 && html.2.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.2.contains("<script>alert"))
        #expect(html.2.contains("<mark>"))
        let atom = try await node.request("GET", "/feeds/search.atom?q=chemistry")
        #expect(atom.0 == 200 && !atom.2.contains("<script>alert") && atom.1["content-type"]?.hasPrefix("application/atom+xml") == true)
        #expect(try await node.request("GET", "/api/v1/suggest?prefix=chem").2.contains("chemistry"))
        #expect(try await node.request("GET", "/api/v1/search?q=").0 == 400)
        let tooMany = try await node.request("GET", "/api/v1/search?q=chemistry+physics+biology+history+algebra+geometry+music+drama+poetry")
        #expect(tooMany.0 == 400 && tooMany.2.contains("\"error\""))
        #expect(try await node.request("GET", "/api/v1/search?q=x&page=0").0 == 400)
        #expect(try await node.request("GET", "/api/v1/search?q=%27%3B+DROP+TABLE+courses%3B+--").0 == 200)

        // Status, stats, documents, metrics.
        for path in ["/", "/stats", "/node", "/api/v1/node", "/api/v1/stats", "/api/v1/stats/local", "/api/v1/openapi.json",
                     "/opensearch.xml", "/assets/style.css", "/metrics"] {
            let (status, _, body) = try await node.request("GET", path)
            #expect(status == 200, "\(path) answered \(status)")
            #expect(!body.contains("<script>alert"), "\(path) printed markup from a course")
        }
        #expect(try await node.request("GET", "/metrics").2.contains("coursemesh_http_requests_total"))

        // Deleting, and the error shapes of unknown things.
        #expect(try await node.request("DELETE", "/api/v1/courses/2").0 == 401)
        #expect(try await node.request("DELETE", "/api/v1/courses/2", token: Self.token).0 == 200)
        let gone = try await node.request("DELETE", "/api/v1/courses/2", token: Self.token)
        #expect(gone.0 == 404 && gone.2.contains("unknown_course"))
        #expect(try await node.request("DELETE", "/api/v1/courses/abc", token: Self.token).0 == 400)
        #expect(try await node.request("GET", "/api/v1/search?q=chemistry").2.contains("\"total\":0"))
        let missing = try await node.request("GET", "/no/such/page")
        #expect(missing.0 == 404 && missing.2.contains("\"error\""))
        let wrongMethod = try await node.request("PUT", "/api/v1/courses")
        #expect(wrongMethod.0 == 405 && wrongMethod.1["allow"] == "POST")

        #expect(node.stop() == 0, "SIGTERM must stop the node gracefully with exit status 0")
    }
}

/// A loopback port that was free a moment ago (bind to port 0, read it, close).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    guard bound else { throw PlainServiceError(status: 500, code: "no_port", message: "could not find a free loopback port") }
    return Int(UInt16(bigEndian: addr.sin_port))
}
