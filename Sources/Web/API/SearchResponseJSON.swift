/// The JSON of a search response written directly, for the API's hottest reply: the same
/// document `JSONCoding.encode` gives (keys sorted, slashes unescaped, a nil start date left
/// out), without Foundation's encoder, which took about 6% of a node's CPU per query. Numbers
/// are written in Swift's shortest round-trip form, so they parse back to the same values.
/// Pure; thread-safe.
extension SearchResponse {
    /// The response as JSON bytes (UTF-8).
    public func jsonBytes() -> [UInt8] {
        var w = JSONTextWriter()
        w.open("{")
        w.key("facets")
        w.open("{")
        for (name, counts) in [("category", facets.category), ("country", facets.country),
                               ("language", facets.language), ("site", facets.site)] {
            w.key(name)
            w.open("[")
            for count in counts {
                w.open("{")
                w.key("count"); w.int(count.count)
                w.key("value"); w.string(count.value)
                w.close("}")
            }
            w.close("]")
        }
        w.close("}")
        w.key("missing_terms"); w.strings(missingTerms)
        w.key("nodes_asked"); w.int(nodesAsked)
        w.key("page"); w.int(page)
        w.key("page_size"); w.int(pageSize)
        w.key("partial"); w.bool(partial)
        w.key("query"); w.string(query)
        w.key("results")
        w.open("[")
        for result in results { w.result(result) }
        w.close("]")
        w.key("sites"); w.int(sites)
        w.key("took_ms"); w.int(tookMs)
        w.key("total"); w.int(total)
        w.close("}")
        return w.bytes
    }
}

/// A minimal JSON text writer (RFC 8259): values and keys in the order written, commas placed
/// for the caller, strings escaped. A value type; not shared.
struct JSONTextWriter {
    private(set) var bytes: [UInt8] = []
    /// Per open object or array: whether the next value needs a comma before it.
    private var needsComma: [Bool] = [false]
    private var afterKey = false

    init() { bytes.reserveCapacity(8192) }

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    /// Opens an object (`{`) or array (`[`) as the next value.
    mutating func open(_ bracket: Unicode.Scalar) {
        beginValue()
        bytes.append(UInt8(ascii: bracket))
        needsComma.append(false)
    }

    mutating func close(_ bracket: Unicode.Scalar) {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: bracket))
    }

    /// An object member's name; the next value written is its value.
    mutating func key(_ name: String) {
        beginValue()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func int(_ value: some BinaryInteger) {
        beginValue()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        beginValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A finite number in its shortest round-trip form (whole numbers without a fraction); JSON
    /// has no NaN or infinity, so those are written as 0.
    mutating func double(_ value: Double) {
        beginValue()
        if !value.isFinite {
            bytes.append(UInt8(ascii: "0"))
        } else if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    mutating func string(_ value: String) {
        beginValue()
        quoted(value)
    }

    /// An array of strings as the next value.
    mutating func strings(_ values: [String]) {
        open("[")
        for value in values { string(value) }
        close("]")
    }

    /// `value` as a JSON string: runs of bytes that need no escape are copied whole.
    private mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                escape(byte)
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x00..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
        }
    }

    mutating func result(_ r: SearchResult) {
        open("{")
        key("category"); string(r.category)
        key("country"); string(r.country)
        key("id"); string(r.id)
        key("language"); string(r.language)
        key("open_enrolment"); bool(r.openEnrolment)
        key("score"); double(r.score)
        key("site")
        open("{")
        key("name"); string(r.site.name)
        key("url"); string(r.site.url)
        close("}")
        key("snippet"); string(r.snippet)
        key("snippet_html"); string(r.snippetHTML)
        if let start = r.startDate { key("start_date"); int(start) }
        key("tags"); strings(r.tags)
        key("time_modified"); int(r.timeModified)
        key("title"); string(r.title)
        key("url"); string(r.url)
        close("}")
    }
}
