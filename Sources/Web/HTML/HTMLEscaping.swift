import MeshCore

/// HTML escaping. Every string a page prints goes through `HTML.escape` (text and attribute
/// values alike: `&`, `<`, `>`, `"` and `'` are all replaced), so nothing read from Moodle, a
/// peer or a query string can become markup.
public enum HTML {
    /// `text` safe for element content and for single- or double-quoted attribute values
    /// (see `MarkupEscaping`).
    public static func escape(_ text: String) -> String { MarkupEscaping.escape(text) }

    /// Percent-encodes `text` for a query-string value (RFC 3986 unreserved characters kept).
    public static func queryValue(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 15)]))
            }
        }
        return out
    }

    /// A query string from key/value pairs, skipping empty values: `?q=a+b&page=2`.
    public static func queryString(_ pairs: [(String, String)]) -> String {
        let parts = pairs.filter { !$0.1.isEmpty }.map { "\(queryValue($0.0))=\(queryValue($0.1))" }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// Text with the ranges in `marks` (UTF-16 offsets, sorted, non-overlapping) wrapped in
    /// `<mark>`; everything else escaped. Out-of-range marks are ignored.
    public static func highlighted(_ text: String, marks: [Range<Int>]) -> String {
        let units = Array(text.utf16)
        var out = ""
        var cursor = 0
        for mark in marks.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            guard mark.lowerBound >= cursor, mark.upperBound <= units.count, !mark.isEmpty else { continue }
            out += escape(String(decoding: units[cursor..<mark.lowerBound], as: UTF16.self))
            out += "<mark>" + escape(String(decoding: units[mark], as: UTF16.self)) + "</mark>"
            cursor = mark.upperBound
        }
        out += escape(String(decoding: units[cursor...], as: UTF16.self))
        return out
    }
}
