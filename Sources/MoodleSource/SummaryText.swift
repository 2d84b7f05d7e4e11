import CLibXML2
import Glibc

/// Turns a Moodle text field into the plain text a guest reads. Pure and thread-safe.
///
/// Formats (Moodle's codes): 0 MOODLE (HTML allowed, newlines are line breaks), 1 HTML,
/// 2 PLAIN (shown as typed), 4 MARKDOWN. HTML goes through libxml2's HTML parser: text nodes
/// are kept, entities resolved, `script`/`style` dropped, block elements end a line.
/// `@@PLUGINFILE@@` references never appear in the output. Lines are trimmed, inner whitespace
/// collapsed, empty lines dropped, lines joined with `\n`.
public enum SummaryText {
    /// Plain text of `text` stored in Moodle text format `format`.
    public static func plainText(_ text: String, format: Int) -> String {
        switch format {
        case 2: return tidy(dropPluginfile(text))
        case 4: return html(MarkdownText.toHTML(text), newlinesBreak: false)
        case 0: return html(text, newlinesBreak: true)
        default: return html(text, newlinesBreak: false)
        }
    }

    /// Text of an HTML fragment.
    static func html(_ html: String, newlinesBreak: Bool) -> String {
        if !html.utf8HasMarkup { return tidy(dropPluginfile(html)) }
        initializeOnce
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        let bytes = Array(html.utf8)
        guard !bytes.isEmpty, let doc = bytes.withUnsafeBufferPointer({ buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlReadMemory($0, Int32(buf.count), nil, "UTF-8", options)
            }
        }) else { return "" }
        defer { xmlFreeDoc(doc) }
        var out = ""
        walk(xmlDocGetRootElement(doc), into: &out, newlinesBreak: newlinesBreak)
        return tidy(dropPluginfile(out))
    }

    private static let initializeOnce: Void = { xmlInitParser() }()

    static let dropped: Set<String> = ["script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg", "img"]
    static let blocks: Set<String> = ["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
                                      "blockquote", "pre", "section", "article", "header", "footer", "hr", "dd", "dt", "dl",
                                      "figure", "figcaption", "address", "nav", "aside", "main", "body", "tbody", "thead"]

    private static func walk(_ first: xmlNodePtr?, into out: inout String, newlinesBreak: Bool) {
        var node = first
        while let n = node {
            switch n.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let c = n.pointee.content {
                    let s = String(cString: c)
                    out += newlinesBreak ? s : s.replacingNewlines()
                }
            case XML_ELEMENT_NODE:
                let name = String(cString: n.pointee.name).lowercased()
                if dropped.contains(name) { break }
                let block = blocks.contains(name)
                if block { out += "\n" } else if name == "td" || name == "th" { out += " " }
                walk(n.pointee.children, into: &out, newlinesBreak: newlinesBreak || name == "pre")
                if block { out += "\n" }
            default:
                break
            }
            node = n.pointee.next
        }
    }

    /// Removes `@@PLUGINFILE@@/…` references (links to files inside Moodle mean nothing outside it).
    static func dropPluginfile(_ s: String) -> String {
        guard s.utf8ContainsPluginfile else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "@@PLUGINFILE@@") {
            out += rest[..<r.lowerBound]
            rest = rest[r.upperBound...].drop { !$0.isWhitespace && $0 != "\"" && $0 != ")" && $0 != "<" }
        }
        return out + rest
    }

    /// Collapses whitespace (non-breaking spaces included) within lines, trims, drops empty lines.
    /// Works on UTF-8 bytes: summaries of thousands of courses pass through here.
    static func tidy(_ s: String) -> String {
        var source = s
        // In place over the string's own UTF-8 storage: no copy of the input per call.
        return source.withUTF8 { bytes in tidy(bytes) } ?? s
    }

    /// Bytes that are whitespace or may start a multi-byte Unicode space in `tidy`.
    @inline(__always) private static func mayStartSpace(_ b: UInt8) -> Bool {
        switch b {
        case 0x09...0x0D, 0x20, 0xC2, 0xE2, 0xE3: true
        default: false
        }
    }

    /// True when `tidy` would return the text unchanged: plain ASCII words with single inner
    /// spaces, no line breaks, no other whitespace. Most module names and course names are like
    /// that, and then no copy is made. Any byte that might start a Unicode space sends the text
    /// the long way.
    private static func isTidy(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return bytes.isEmpty }
        var previous: UInt8 = 0
        for b in bytes {
            switch b {
            case 0x20 where previous == 0x20: return false
            case 0x20: previous = b
            case _ where mayStartSpace(b): return false
            default: previous = b
            }
        }
        return true
    }

    private static func tidy(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isTidy(bytes) { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false, pendingLine = false
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            var width = 0
            var isLine = false
            switch b {
            case 0x0A, 0x0D: width = 1; isLine = true
            case 0x20, 0x09, 0x0B, 0x0C: width = 1
            case 0xC2 where i + 1 < n && bytes[i + 1] == 0xA0: width = 2  // U+00A0 no-break space
            case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] >= 0x80 && bytes[i + 2] <= 0x8A || bytes[i + 2] == 0xAF):
                width = 3  // U+2000…U+200A, U+202F
            case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                width = 3; isLine = true  // U+2028, U+2029
            case 0xE3 where i + 2 < n && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80: width = 3  // U+3000
            default: break
            }
            if width > 0 {
                if isLine { pendingLine = true } else { pendingSpace = true }
                i += width
                continue
            }
            if !out.isEmpty {
                if pendingLine { out.append(0x0A) } else if pendingSpace { out.append(0x20) }
            }
            pendingLine = false
            pendingSpace = false
            // Copy the run of bytes that cannot start whitespace in one go (long summaries).
            var end = i + 1
            while end < n && !mayStartSpace(bytes[end]) { end += 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// True when the text holds `<` or `&`, i.e. needs the HTML parser. One pass over the UTF-8
    /// bytes in place: the generic `utf8.contains` walked long summaries byte by byte, twice, and
    /// showed up at 9 % of a full read.
    var utf8HasMarkup: Bool {
        var copy = self
        return copy.withUTF8 { buf in buf.contains { $0 == 0x3C || $0 == 0x26 } }
    }

    /// Byte search for `@@PLUGINFILE@@` (Foundation's `contains` is far slower on long summaries).
    var utf8ContainsPluginfile: Bool {
        var copy = self
        return copy.withUTF8 { bytes in
            let needle: StaticString = "@@PLUGINFILE@@"
            let length = needle.utf8CodeUnitCount
            guard bytes.count >= length else { return false }
            let start = needle.utf8Start
            var i = 0
            while i <= bytes.count - length {
                if bytes[i] == 0x40 && bytes[i + 1] == 0x40 && memcmp(bytes.baseAddress! + i, start, length) == 0 { return true }
                i += 1
            }
            return false
        }
    }

    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }

    func range(of needle: String) -> Range<String.Index>? { self[...].range(of: needle) }
}

extension Substring {
    func range(of needle: String) -> Range<String.Index>? {
        guard !needle.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
