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

