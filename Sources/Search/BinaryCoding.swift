/// A compact binary writer for the search layer's bulky payloads (posting items, posting
/// replies, publish requests): unsigned LEB128 varints, zigzag for signed values, strings as
/// varint length + UTF-8. A value type; not shared.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A non-negative count or index (negative values are written as 0).
    mutating func count(_ value: Int) { varint(UInt64(max(0, value))) }

    /// Any signed integer, zigzag encoded.
    mutating func int(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func string(_ value: String) {
        var s = value
        s.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func strings(_ values: [String]) {
        count(values.count)
        for value in values { string(value) }
    }

    mutating func ints(_ values: [Int]) {
        count(values.count)
        for value in values { int(Int64(value)) }
    }

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    mutating func document(_ d: DocumentInfo) {
        string(d.id)
        ints(d.fieldLengths)
        string(d.title)
        string(d.url)
        string(d.siteName)
        string(d.siteURL)
        string(d.country)
        string(d.language)
        strings(d.category)
        strings(d.tags)
        byte(d.openEnrolment ? 1 : 0)
        if let start = d.startDate {
            byte(1)
            int(start)
        } else {
            byte(0)
        }
        int(d.timeModified)
        string(d.snippetSource)
    }

    mutating func occurrence(_ o: TermOccurrence) {
        ints(o.tf)
        count(o.positions.count)
        for field in o.positions { ints(field) }
    }
}

/// Reads what `BinaryWriter` wrote. Every read checks bounds and every count is checked against
/// the bytes left, so a malformed or hostile payload throws `SearchError` (400) instead of
/// trapping or allocating without bound.
///
/// Documents of one site follow each other in a list, so their site, country, language and
/// often category repeat: `document()` reuses the strings of the document read before when the
/// bytes are the same, and a list of hundreds of documents allocates them once.
struct BinaryReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let what: String
    /// Per repeating field of `document()`: the bytes of its last value, and that value.
    private var lastStrings = [(range: Range<Int>, value: String)](repeating: (0..<0, ""), count: 4)
    private var lastLists = [(range: Range<Int>, value: [String])](repeating: (0..<0, []), count: 2)

    init(_ bytes: [UInt8], offset: Int = 0, what: String) {
        self.bytes = bytes
        self.offset = offset
        self.what = what
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// The next `length` bytes (a length already read with `count()`, so never past the end).
    mutating func bytes(_ length: Int) throws(SearchError) -> [UInt8] {
        guard length <= remaining else { throw failure("\(length) bytes past the end") }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    /// Bytes not read yet.
    var remaining: Int { max(0, bytes.count - offset) }

    func failure(_ detail: String) -> SearchError {
        .malformedMessage("\(what): \(detail) at byte \(offset)")
    }

    mutating func byte() throws(SearchError) -> UInt8 {
        guard offset < bytes.count else { throw failure("truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(SearchError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw failure("varint too long") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    /// A count of elements, each taking at least one byte: never more than the bytes left.
    mutating func count() throws(SearchError) -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - offset) else { throw failure("count \(value) past the end") }
        return Int(value)
    }

    /// An index into something already read (bounded by the caller, not by the bytes left).
    mutating func index() throws(SearchError) -> Int {
        let value = try varint()
        guard value <= UInt64(Int32.max) else { throw failure("index \(value) out of range") }
        return Int(value)
    }

    mutating func int() throws(SearchError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func string() throws(SearchError) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    mutating func strings() throws(SearchError) -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    mutating func ints() throws(SearchError) -> [Int] {
        let n = try count()
        var out: [Int] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(Int(truncatingIfNeeded: try int())) }
        return out
    }

    /// A string, the same value as `slot`'s last one when its bytes are the same.
    private mutating func string(repeating slot: Int) throws(SearchError) -> String {
        let length = try count()
        let range = offset..<offset + length
        offset += length
        if sameBytes(lastStrings[slot].range, range) { return lastStrings[slot].value }
        let value = String(decoding: bytes[range], as: UTF8.self)
        lastStrings[slot] = (range, value)
        return value
    }

    /// A list of strings, the same value as `slot`'s last one when its bytes are the same.
    private mutating func strings(repeating slot: Int) throws(SearchError) -> [String] {
        let start = offset
        for _ in 0..<(try count()) { offset += try count() }
        let range = start..<offset
        if sameBytes(lastLists[slot].range, range) { return lastLists[slot].value }
        offset = start
        let value = try strings()
        lastLists[slot] = (range, value)
        return value
    }

    private func sameBytes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.lowerBound, j = b.lowerBound
        while i < a.upperBound {
            if bytes[i] != bytes[j] { return false }
            i += 1
            j += 1
        }
        return true
    }

    /// Steps over a string.
    private mutating func skipString() throws(SearchError) {
        offset += try count()
    }

    /// A document. With `deferringDisplay` (the default) its title, URL, tags and snippet are
    /// checked and stepped over, and decoded from these bytes when first read.
    mutating func document(deferringDisplay: Bool = true) throws(SearchError) -> DocumentInfo {
        let start = offset
        let id = try string(), lengths = try ints()
        let title: String, url: String
        if deferringDisplay {
            try skipString()
            try skipString()
            title = ""
            url = ""
        } else {
            title = try string()
            url = try string()
        }
        let siteName = try string(repeating: 0), siteURL = try string(repeating: 1)
        let country = try string(repeating: 2), language = try string(repeating: 3)
        let category = try strings(repeating: 0)
        var tags: [String] = []
        if deferringDisplay {
            for _ in 0..<(try count()) { try skipString() }
        } else {
            tags = try strings(repeating: 1)
        }
        let open = try byte() != 0
        let startDate: Int64? = try byte() != 0 ? try int() : nil
        let modified = try int()
        if deferringDisplay {
            try skipString()
            return DocumentInfo(id: id, fieldLengths: lengths, siteName: siteName, siteURL: siteURL, country: country,
                                language: language, category: category, openEnrolment: open, startDate: startDate,
                                timeModified: modified, displayIn: bytes, at: start)
        }
        return DocumentInfo(id: id, fieldLengths: lengths, title: title, url: url, siteName: siteName, siteURL: siteURL,
                            country: country, language: language, category: category, tags: tags, openEnrolment: open,
                            startDate: startDate, timeModified: modified, snippetSource: try string())
    }

    mutating func occurrence() throws(SearchError) -> TermOccurrence {
        let tf = try ints()
        let n = try count()
        var positions: [[Int]] = []
        positions.reserveCapacity(n)
        for _ in 0..<n { positions.append(try ints()) }
        return TermOccurrence(tf: tf, positions: positions)
    }
}

extension SearchError {
    /// A search message or binary payload that could not be read.
    static func malformedMessage(_ detail: String) -> SearchError {
        SearchError(status: 400, code: "bad_search_message",
                    message: "The search message could not be read (\(detail)); send a message of the documented shape.")
    }
}
