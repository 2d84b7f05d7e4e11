/// Escaping for HTML and XML (pages, SVG charts, Atom and OpenSearch documents): one rule for
/// every place the project prints text into markup.
public enum MarkupEscaping {
    /// `text` safe inside element content and single- or double-quoted attribute values:
    /// `& < > " '` become entities, and characters XML 1.0 forbids (C0 controls other than tab,
    /// newline and return, U+FFFE, U+FFFF) are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
