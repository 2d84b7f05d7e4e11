// libFuzzer harness: the search query language (`QueryParser.parse`), on any UTF-8 text
// (invalid bytes become U+FFFD as they do from a percent-decoded query string).
//
// Invariants besides "no crash, no leak": a parsed query has at least one clause, at most
// `Limits.maxQueryTerms` words, and every term it would fetch is non-empty.
import Search

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let parsed = try? QueryParser.parse(text) else { return 0 }
    precondition(!parsed.clauses.isEmpty, "a parsed query without a clause")
    let words = (parsed.clauses.flatMap { $0 } + parsed.excluded).reduce(0) { $0 + $1.words.count }
    precondition(words <= Limits.maxQueryTerms, "more words than the limit")
    precondition(parsed.allTerms.allSatisfy { !$0.isEmpty }, "an empty term")
    return 0
}
