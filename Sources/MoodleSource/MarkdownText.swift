/// A small Markdown renderer for course summaries stored in Moodle's FORMAT_MARKDOWN (4).
///
/// It renders to minimal HTML that `SummaryText` then reduces to text, so raw HTML inside
/// Markdown (which Markdown allows) and entities are handled once, by libxml2. Covered:
/// headings (ATX and setext underlines), paragraphs, bullet and numbered lists, block quotes,
/// fenced and indented code, rules, links and images (their text kept, targets dropped),
/// emphasis and code spans (markers dropped). Pure and thread-safe.
enum MarkdownText {
    static func toHTML(_ markdown: String) -> String {
        var out = ""
        var inFence = false
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            if line.trimmingPrefixSpaces.hasPrefix("```") || line.trimmingPrefixSpaces.hasPrefix("~~~") {
                inFence.toggle()
                out += inFence ? "<pre>" : "</pre>\n"
                continue
            }
            if inFence { out += escape(String(line)) + "\n"; continue }
            if line.hasPrefix("    ") || line.hasPrefix("\t") { out += "<pre>" + escape(line.trimmingPrefixSpaces) + "</pre>\n"; continue }
            line = line.trimmingPrefixSpaces
            while line.hasPrefix(">") { line = line.dropFirst().trimmingPrefixSpaces }
            if line.isEmpty { out += "<p></p>\n"; continue }
            if isRule(line) { out += "<hr>\n"; continue }
            if line.hasPrefix("#") {
                let text = line.drop { $0 == "#" }.trimmingPrefixSpaces
                out += "<h2>" + inline(String(text.reversed().drop { $0 == "#" || $0 == " " }.reversed())) + "</h2>\n"
                continue
            }
            if let item = listItem(line) { out += "<li>" + inline(String(item)) + "</li>\n"; continue }
            out += "<div>" + inline(String(line)) + "</div>\n"
        }
        if inFence { out += "</pre>" }
        return out
    }

    /// `---`, `***`, `___` (3+ of one character, spaces allowed): a rule, or a setext underline.
    static func isRule(_ line: Substring) -> Bool {
        let chars = line.filter { $0 != " " }
        guard chars.count >= 3, let c = chars.first, "-*_=".contains(c) else { return false }
        return chars.allSatisfy { $0 == c }
    }

    static func listItem(_ line: Substring) -> Substring? {
        if let f = line.first, "*+-".contains(f), line.dropFirst().first == " " { return line.dropFirst(2) }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, digits.count < 10 {
            let rest = line.dropFirst(digits.count)
            if let m = rest.first, m == "." || m == ")", rest.dropFirst().first == " " { return rest.dropFirst(2) }
        }
        return nil
    }

    /// Inline markup: links and images keep their text, emphasis and code markers go.
    static func inline(_ s: String) -> String {
        var out = ""
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, "\\`*_{}[]()#+-.!<>".contains(chars[i + 1]) {
                out.append(chars[i + 1]); i += 2; continue
            }
            if c == "!" || c == "[", let (text, end) = link(chars, from: c == "!" ? i + 1 : i) {
                out += text; i = end; continue
            }
            if c == "`" {
                let run = chars[i...].prefix { $0 == "`" }.count
                if let close = find(chars, String(repeating: "`", count: run), from: i + run) {
                    out += escape(String(chars[(i + run)..<close])); i = close + run; continue
                }
            }
            if c == "*" || c == "_" {
                let run = chars[i...].prefix { $0 == c }.count
                let before: Character = i > 0 ? chars[i - 1] : " "
                let after: Character = i + run < chars.count ? chars[i + run] : " "
                // `_` inside a word (snake_case) is text; `*` or `_` touching a word edge is emphasis.
                let opens = !after.isWhitespace && (c == "*" || !before.isLetterOrDigit)
                let closes = !before.isWhitespace && (c == "*" || !after.isLetterOrDigit)
                if opens || closes { i += run; continue }
            }
            out.append(c); i += 1
        }
        return out
    }

    /// `[text](target)` starting at `start` (the `[`): the text, and the index after `)`.
    private static func link(_ chars: [Character], from start: Int) -> (String, Int)? {
        guard start < chars.count, chars[start] == "[", let close = chars[start...].firstIndex(of: "]"),
              close + 1 < chars.count, chars[close + 1] == "(", let end = chars[(close + 1)...].firstIndex(of: ")") else { return nil }
        return (inline(String(chars[(start + 1)..<close])), end + 1)
    }

    private static func find(_ chars: [Character], _ needle: String, from: Int) -> Int? {
        let n = Array(needle)
        var i = from
        while i + n.count <= chars.count {
            if Array(chars[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }

    static func escape(_ s: some StringProtocol) -> String {
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension Character {
    var isLetterOrDigit: Bool { isLetter || isNumber }
}

extension Substring {
    var trimmingPrefixSpaces: Substring { drop { $0 == " " || $0 == "\t" } }
}
