// libFuzzer harness: the HTTP/1.1 request parser (MeshHTTP's HTTPRequestParser and
// HTTPHeadParser) and the query-string decoder, compiled into one module with their sources.
//
// Invariants checked on every input, besides "no crash, no leak, no overflow trap":
// - `index` only moves forward and never past the bytes given;
// - parsing the input in one piece and in two pieces (split where the first byte says) yields
//   the same events, as a connection receiving the bytes in any segmentation must;
// - a body never exceeds the limit in force; an error ends the stream for good.

/// Small limits so the fuzzer reaches every limit branch with short inputs.
let fuzzLimits: HTTPRequestParser.Limits = {
    var l = HTTPRequestParser.Limits()
    l.maxHeaderBytes = 512
    l.maxBodyBytes = 256
    l.maxHeaderCount = 8
    l.maxChunkLineBytes = 32
    return l
}()

/// Every non-`needMore` event for `bytes`, delivered as the prefixes `cuts` then the whole.
func events(_ bytes: [UInt8], cuts: [Int]) -> [HTTPParserEvent] {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var index = 0
    var out: [HTTPParserEvent] = []
    for end in cuts + [bytes.count] {
        let visible = Array(bytes[0..<end])
        while true {
            let before = index
            let event = parser.next(visible, index: &index)
            precondition(index >= before && index <= visible.count, "index moved backwards or past the input")
            if case .needMore = event { break }
            out.append(event)
            switch event {
            case .error:
                return out
            case .head(let head):
                _ = QueryParameters(head.rawQuery).pairs.count
                _ = PercentDecoding.decode(head.path)
                if head.path.hasPrefix("/small") { parser.bodyLimit = 16 }
            case .body(let body):
                precondition(body.count <= fuzzLimits.maxBodyBytes, "body over the limit")
            case .needMore:
                break
            }
        }
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = events(bytes, cuts: [])
    if let first = bytes.first, bytes.count > 1 {
        let cut = Int(first) % bytes.count
        let split = events(bytes, cuts: [cut])
        precondition(whole == split, "segmentation changed the parse: \(whole) vs \(split)")
    }
    return 0
}
