/// The tokenizer's fast path: reads a text's UTF-8 bytes and takes every word made of ASCII
/// in one pass, with no Character, grapheme breaking or Unicode property lookup; hands each
/// word or gap that involves another byte to the general path (`Tokenizer.word(in:from:)`).
///
/// What makes the two agree:
/// - A byte below 0x80 followed by another byte below 0x80 (or by the end) is a Character on
///   its own, except CR LF, which is one Character neither path treats as a word character.
/// - `isLetter` and `isNumber` of a Character depend on its first scalar only, so the rules
///   that look at a neighbour's letter-ness need just its first byte.
/// - No non-ASCII Character equals `'`, `` ` ``, `-`, `.`, `,`, `+` or `#`, and no Character
///   starting with another ASCII byte equals one of the apostrophe look-alikes or hyphens.
/// - The fast path only ever stops at such a Character boundary, so the general path, when
///   it takes over, starts where reading by Characters would have been.
/// Ranges are built from the UTF-8 view, which for these boundaries gives the very indices
/// reading by Characters gives (equal, same UTF-16 offsets).
enum ASCIIWords {
    /// The tokens of `text`, whose UTF-8 is `bytes`. A word for which `keep` (given its bytes,
    /// unfolded) is false is left out before its folded text is made; positions then count the
    /// tokens kept.
    static func tokenize(_ text: String, bytes: UnsafeBufferPointer<UInt8>,
                         keep: ((UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool)? = nil) -> [Token] {
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var tokens: [Token] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if isSingle(bytes, i) {
                if !ASCIIText.isWordByte(byte) {
                    let isCRLF = byte == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A
                    i += isCRLF ? 2 : 1
                    continue
                }
                if let end = wordEnd(bytes, from: i) {
                    if keep?(bytes, i..<end) ?? true {
                        tokens.append(Token(text: folded(bytes, i, end), position: tokens.count, range: index(i)..<index(end)))
                    }
                    i = end
                    continue
                }
            }
            // A Character that is not one ASCII byte, or an ASCII word that runs into one.
            let start = index(i)
            guard Tokenizer.isWordCharacter(text[start]) else {
                i = utf8.distance(from: utf8.startIndex, to: text.index(after: start))
                continue
            }
            let end = Tokenizer.wordEnd(in: text, from: start)
            let endOffset = utf8.distance(from: utf8.startIndex, to: end)
            if keep?(bytes, i..<endOffset) ?? true {
                tokens.append(Tokenizer.token(in: text, start..<end, position: tokens.count))
            }
            i = endOffset
        }
        return tokens
    }

    /// True when the Character at `offset` (a Character boundary) is the one ASCII byte there.
    private static func isSingle(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
        bytes[offset] < 0x80 && (offset + 1 == bytes.count || bytes[offset + 1] < 0x80)
    }

    /// The end of the word that starts with the ASCII letter or digit at `start`, by the
    /// tokenizer's rules; nil when deciding needs a Character that is not one ASCII byte.
    private static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var end = start + 1
        while end < bytes.count {
            let c = bytes[end]
            guard c < 0x80 else { return nil }
            if ASCIIText.isWordByte(c) {
                guard isSingle(bytes, end) else { return nil }
                end += 1
                continue
            }
            let isApostrophe = c == ASCIIText.apostrophe || c == ASCIIText.backtick
            let isDigitSeparator = c == UInt8(ascii: ".") || c == UInt8(ascii: ",")
            guard isApostrophe || isDigitSeparator || c == ASCIIText.hyphen, end + 1 < bytes.count else { break }
            let (previous, following) = (bytes[end - 1], bytes[end + 1])
            guard following < 0x80 else { return nil }
            if isApostrophe, ASCIIText.isLetter(previous), ASCIIText.isLetter(following) {
                end += 1
            } else if c == ASCIIText.hyphen, ASCIIText.isWordByte(previous), ASCIIText.isWordByte(following) {
                end += 1
            } else if isDigitSeparator, ASCIIText.isDigit(previous), ASCIIText.isDigit(following) {
                end += 1
            } else {
                break
            }
        }
        return languageSuffixEnd(bytes, start: start, end: end)
    }

    /// `C++`, `C#`: as `Tokenizer.extendLanguageSuffix`, for a word of one-byte Characters
    /// that ends at a Character boundary; nil when the suffix involves a non-ASCII Character.
    private static func languageSuffixEnd(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Int? {
        guard end - start <= 3, end < bytes.count, (start..<end).allSatisfy({ ASCIIText.isLetter(bytes[$0]) }) else { return end }
        var cursor = end
        if bytes[cursor] == UInt8(ascii: "#") {
            guard isSingle(bytes, cursor) else { return nil }
            cursor += 1
        } else {
            var pluses = 0
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: "+"), pluses < 2 {
                guard isSingle(bytes, cursor) else { return nil }
                cursor += 1
                pluses += 1
            }
            if pluses == 0 { return end }
        }
        guard cursor < bytes.count else { return cursor }
        guard bytes[cursor] < 0x80 else { return nil }
        return ASCIIText.isWordByte(bytes[cursor]) ? end : cursor
    }

    /// `TextFolding.fold` of an ASCII word: lower case, a backtick read as an apostrophe.
    private static func folded(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(unsafeUninitializedCapacity: end - start) { buffer in
            for i in start..<end {
                let byte = bytes[i]
                buffer[i - start] = byte == ASCIIText.backtick ? ASCIIText.apostrophe : ASCIIText.lowercased(byte)
            }
            return end - start
        }
    }
}
