import Testing
@testable import Overlay
import MeshCore

@Suite struct NodeURLTests {
    @Test func normalizesSchemeHostCaseDefaultPortAndTrailingSlash() throws {
        #expect(try NodeURL("HTTPS://Moodle.Example.EDU:443/coursemesh/").string == "https://moodle.example.edu/coursemesh")
        #expect(try NodeURL("http://a.edu:80").string == "http://a.edu")
        #expect(try NodeURL("http://a.edu:8080/x").string == "http://a.edu:8080/x")
        #expect(try NodeURL("http://127.0.0.1:8001/").string == "http://127.0.0.1:8001")
    }

    @Test func idIsHashOfHostAndPathIndependentOfScheme() throws {
        let a = try NodeURL("https://a.edu/mesh")
        let b = try NodeURL("http://A.edu/mesh/")
        #expect(a.id == b.id)
        #expect(a.id == RingKey(digest: SHA256.digest("a.edu/mesh")))
        #expect(try NodeURL("http://127.0.0.1:8001").id != NodeURL("http://127.0.0.1:8002").id)
    }

    @Test(arguments: ["ftp://a.edu", "https://user@a.edu", "https://a.edu/#x", "https://a.edu/?q=1",
                      "a.edu", "https://", "https://a.edu:0", "https://a.edu:99999", "https://a edu",
                      "https://a.edu/../x", "javascript://a.edu"])
    func rejectsUserinfoFragmentsQueriesAndOtherSchemes(_ text: String) {
        #expect(throws: OverlayError.self) { try NodeURL(text) }
    }

    @Test func decodingNormalizesAgain() throws {
        let url = try JSONCoding.decode(NodeURL.self, from: Array("\"HTTPS://X.EDU/\"".utf8))
        #expect(url.string == "https://x.edu")
        #expect(throws: JSONDecodingError.self) { try JSONCoding.decode(NodeURL.self, from: Array("\"ftp://x\"".utf8)) }
    }
}
