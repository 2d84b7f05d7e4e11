import Testing
import MeshHTTP
@testable import Web

/// The query string of /search, /api/v1/search and the feed, as the API document types it.
struct SearchRequestParsingTests {
    @Test("An empty page or page_size is a 400, not the default (schemathesis found `page_size=` accepted)",
          arguments: ["q=chemistry&page_size=", "q=chemistry&page=", "q=chemistry&page=x", "q=chemistry&page_size=51", "q=chemistry&page=0"])
    func emptyOrOutOfRangeNumbersAreRefused(_ raw: String) {
        #expect(throws: APIError.self) { try WebRoutes.searchRequest(QueryParameters(raw)) }
    }

    @Test func absentNumbersTakeTheirDefaults() throws {
        let request = try WebRoutes.searchRequest(QueryParameters("q=organic+chemistry"))
        #expect(request.page == 1 && request.pageSize == 10 && request.query == "organic chemistry")
    }
}
