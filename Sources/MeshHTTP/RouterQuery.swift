/// Decoded `application/x-www-form-urlencoded` query parameters: percent-decoding, `+` as a
/// space, repeated keys kept in order. A value type, safe to share.
public struct QueryParameters: Sendable, Equatable, Sequence {
    /// Every `(key, value)` pair in the order sent; a key without `=` has an empty value.
    public private(set) var pairs: [(key: String, value: String)]

    /// Decodes a raw query string such as `q=linear+algebra&tag=a&tag=b`. Invalid percent
    /// escapes are kept literally rather than rejected.
    public init(_ raw: String) {
        pairs = []
        guard !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: "=") {
                pairs.append((key: PercentDecoding.decode(part[..<eq], plusAsSpace: true),
                              value: PercentDecoding.decode(part[part.index(after: eq)...], plusAsSpace: true)))
            } else {
                pairs.append((key: PercentDecoding.decode(part, plusAsSpace: true), value: ""))
            }
        }
    }

    /// The first value for `key`, or nil.
    public subscript(key: String) -> String? { pairs.first { $0.key == key }?.value }

    /// All values for `key`, in order (for repeated keys such as `tag=a&tag=b`).
    public func values(for key: String) -> [String] { pairs.filter { $0.key == key }.map(\.value) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: String)]> { pairs.makeIterator() }

    public static func == (a: QueryParameters, b: QueryParameters) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// Percent-decoding (RFC 3986 §2.1) of UTF-8 text.
public enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when `plusAsSpace`); a malformed escape is kept
    /// as written, and invalid UTF-8 becomes U+FFFD.
    public static func decode(_ text: Substring, plusAsSpace: Bool) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x25 || (plusAsSpace && $0 == 0x2B) }) else { return String(text) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            if b == 0x25, let h1 = utf8.index(i, offsetBy: 1, limitedBy: utf8.endIndex), h1 != utf8.endIndex,
               let h2 = utf8.index(h1, offsetBy: 1, limitedBy: utf8.endIndex), h2 != utf8.endIndex,
               let x = HTTPRequestParser.hexValue(utf8[h1]), let y = HTTPRequestParser.hexValue(utf8[h2]) {
                out.append(UInt8(x << 4 | y))
                i = utf8.index(after: h2)
                continue
            }
            out.append(plusAsSpace && b == 0x2B ? 0x20 : b)
            i = utf8.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a string (see `decode(_:plusAsSpace:)`).
    public static func decode(_ text: String, plusAsSpace: Bool = false) -> String {
        decode(Substring(text), plusAsSpace: plusAsSpace)
    }
}
