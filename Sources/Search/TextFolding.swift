import Foundation

/// Folds text to the form terms are compared in: Unicode NFKC, lower case, no diacritics.
///
/// `programación`, `PROGRAMACION` and `ｐｒｏｇｒａｍａｃｉóｎ` all fold to `programacion`, so a query
/// typed without accents finds text written with them and the reverse. Pure and thread-safe.
public enum TextFolding {
    /// Letters that have no decomposition but are read as a base letter (or two) by people
    /// searching without a national keyboard.
    private static let specialLetters: [Character: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d",
        "ł": "l", "ı": "i", "þ": "th", "ŀ": "l",
    ]

    /// Apostrophe look-alikes folded to the ASCII apostrophe, so `l’apprendimento` and
    /// `l'apprendimento` tokenize the same way.
    static let apostrophes: Set<Character> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "\u{00B4}", "\u{0060}"]

    /// Returns `text` in NFKC, lower-cased, with combining marks removed and the letters in
    /// `specialLetters` spelled with base letters. Idempotent: `fold(fold(s)) == fold(s)`.
    public static func fold(_ text: String) -> String {
        // Fast path: plain ASCII without apostrophe look-alikes only needs lower-casing.
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x60 }) { return text.lowercased() }
        let compat = text.precomposedStringWithCompatibilityMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        for scalar in compat.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            default:
                scalars.append(scalar)
            }
        }
        var out = ""
        out.reserveCapacity(scalars.count)
        for character in String(scalars).precomposedStringWithCanonicalMapping {
            if let replacement = specialLetters[character] {
                out += replacement
            } else if apostrophes.contains(character) {
                out.append("'")
            } else {
                out.append(character)
            }
        }
        return out
    }
}
