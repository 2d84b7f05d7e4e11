// libFuzzer harness: a pushed course document, as the API receives it: JSON decode
// (`JSONCoding.decode(CourseDocument.self)`), then `CourseDocumentValidation.problems(of:)` and
// `host(of:)` on its URL.
//
// Invariants besides "no crash, no leak": a document with no problems has an http(s) URL with
// a host and a non-empty title, and re-encodes to JSON that decodes to an equal document.
import MeshCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCourseDocument(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let document = try? JSONCoding.decode(CourseDocument.self, from: bytes) else { return 0 }
    let problems = CourseDocumentValidation.problems(of: document, path: "courses[0]")
    _ = CourseDocumentValidation.host(of: document.url)
    guard problems.isEmpty else { return 0 }
    precondition(CourseDocumentValidation.host(of: document.url) != nil, "a valid document whose URL has no host")
    do {
        let again = try JSONCoding.decode(CourseDocument.self, from: try JSONCoding.encode(document))
        precondition(again == document, "a valid document changed through encode/decode")
    } catch {
        preconditionFailure("a valid document failed to re-encode: \(error)")
    }
    return 0
}
