import Foundation
import MeshCore
import Testing
@testable import Web

/// The hand-written search JSON must be the document Foundation's encoder gives.
struct SearchResponseJSONTests {
    static func response(results: [SearchResult]) -> SearchResponse {
        SearchResponse(query: "química \"orgánica\" -x\\y", total: 1234, page: 2, pageSize: 10, tookMs: 7, nodesAsked: 3, sites: 2,
                       partial: true, missingTerms: ["astronomi", "c++"], results: results,
                       facets: Facets(language: [.init(value: "es", count: 3)], country: [.init(value: "ES", count: 2), .init(value: "IT", count: 1)],
                                      site: [], category: [.init(value: "Ciencias / Química", count: 9)]))
    }

    static let results = [
        SearchResult(id: "0123456789abcdef-7", title: "Química orgánica <b>I</b>", url: "https://moodle.example.edu/course/view.php?id=7",
                     site: .init(name: "Universidad \"Ejemplo\"", url: "https://moodle.example.edu"), country: "ES", language: "es",
                     category: "Ciencias / Química", tags: ["química", "lab\tnotes", "a\u{1}b"], snippet: "Line one\nline two \\ done",
                     snippetHTML: "<mark>Química</mark> &amp; más", score: 12.345678901234567, openEnrolment: true,
                     startDate: 1_700_000_000, timeModified: 1_700_000_123),
        SearchResult(id: "0123456789abcdef-8", title: "Emoji 🧪 course", url: "https://moodle.example.edu/course/view.php?id=8",
                     site: .init(name: "U", url: "https://moodle.example.edu"), country: "", language: "en", category: "",
                     tags: [], snippet: "", snippetHTML: "", score: 3, openEnrolment: false, startDate: nil, timeModified: 0),
        SearchResult(id: "x", title: "t", url: "https://a.example/x", site: .init(name: "", url: ""), country: "IT", language: "it",
                     category: "c", tags: ["t"], snippet: "s", snippetHTML: "s", score: 1e-7, openEnrolment: false,
                     startDate: -86_400, timeModified: 5),
    ]

    @Test func handWrittenJSONIsTheEncodersDocument() throws {
        for response in [Self.response(results: Self.results), Self.response(results: [])] {
            let ours = response.jsonBytes()
            let foundation = try JSONCoding.encode(response)
            let a = try JSONSerialization.jsonObject(with: Data(ours)) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: Data(foundation)) as? NSDictionary
            #expect(a != nil && a == b)
            #expect(try JSONCoding.decode(SearchResponse.self, from: ours) == response)
        }
        // Same keys in the same (sorted) order as the encoder's output.
        #expect(String(decoding: Self.response(results: []).jsonBytes(), as: UTF8.self)
                == String(decoding: try JSONCoding.encode(Self.response(results: [])), as: UTF8.self))
    }
}
