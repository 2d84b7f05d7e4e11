/// Byte-level helpers for the analyzer's fast paths over ASCII text.
///
/// `Character.isLetter` and `Character.isNumber` look at a Character's first scalar only, so
/// for any Character that starts with an ASCII byte these tests give the same answer as the
/// Character properties the general paths use.
enum ASCIIText {
    static let apostrophe = UInt8(ascii: "'")
    static let backtick = UInt8(ascii: "`")
    static let hyphen = UInt8(ascii: "-")

    /// `A`–`Z`, `a`–`z`: the ASCII bytes whose Character `isLetter`.
    static func isLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20 // A–Z → a–z; no other byte lands in a–z
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    /// `0`–`9`: the ASCII bytes whose Character `isNumber`.
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A letter or digit: what `Tokenizer.isWordCharacter` says of its one-byte Character.
    static func isWordByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }

    /// True when every byte of `text` is ASCII.
    static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The lower-case ASCII letter for `byte`, other bytes unchanged (what `lowercased()` does).
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

/// A word as the stemmers work on it: one byte per Character, the byte itself for a
/// Character that is one ASCII byte and `WordBytes.other` (0x80) for any other Character.
///
/// The stemmers' rules compare letters only with ASCII letters and the apostrophe, which no
/// other Character equals, and they only cut and add ASCII at the end of a word or change an
/// ASCII letter in place; so stemming these bytes and putting the other Characters back at
/// their places (`string(_:)`) gives what stemming the Characters gives.
struct WordBytes {
    /// Stands for a Character that is not one ASCII byte.
    static let other: UInt8 = 0x80

    private(set) var bytes: [UInt8]
    /// The word's Characters when some are not one ASCII byte; nil when `bytes` is the UTF-8.
    private var characters: [Character]?

    init(_ word: String) {
        if word.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            bytes = Array(word.utf8)
        } else {
            // CR is left out of the fast case above because CR LF is a single Character.
            let characters = Array(word)
            bytes = characters.map { $0.utf8.count == 1 ? $0.utf8.first! : WordBytes.other }
            self.characters = characters
        }
    }

    /// Drops the first Character.
    mutating func removeFirst() {
        bytes.removeFirst()
        characters?.removeFirst()
    }

    /// The word spelled by `stemmed`, bytes of this word after stemming.
    func string(_ stemmed: [UInt8]) -> String {
        guard let characters else { return String(decoding: stemmed, as: UTF8.self) }
        var out = ""
        for (i, byte) in stemmed.enumerated() {
            if byte == WordBytes.other { out.append(characters[i]) } else { out.unicodeScalars.append(Unicode.Scalar(byte)) }
        }
        return out
    }
}
