/// One word found in a text, before stop words and stemming.
public struct Token: Sendable, Hashable {
    /// The word folded with `TextFolding.fold` (`C++` → `c++`, `Programación` → `programacion`).
    public var text: String
    /// Ordinal of the word in its text, counting every word (stop words included), so phrase
    /// offsets stay right after stop words are dropped.
    public var position: Int
    /// Where the word is in the original text, for highlighting.
    public var range: Range<String.Index>

    public init(text: String, position: Int, range: Range<String.Index>) {
        self.text = text
        self.position = position
        self.range = range
    }

    /// The hyphen-separated parts of a compound (`e-learning` → `["e", "learning"]`);
    /// a single element for a plain word.
    public var hyphenParts: [String] {
        text.split(separator: "-", omittingEmptySubsequences: true).map(String.init)
    }
}

/// Word segmentation. Pure and thread-safe.
///
/// Rules (one place, so index and query always agree):
/// - a word is a run of letters and digits (any script; combining marks stay with their letter);
/// - an apostrophe between two letters stays inside the word (`l'apprendimento`, `don't`);
///   the analyzer decides per language what to do with it;
/// - a hyphen between two letters or digits joins a compound (`e-learning`, `covid-19`);
/// - a `.` or `,` between two digits stays (`18.01`, `3,5`);
/// - a word of at most three letters directly followed by `++`, `+` or `#` and then a
///   non-word character keeps that suffix (`C++`, `C#`, `F#`, `g++`);
/// - everything else separates words; `3D` is one word because digits and letters mix freely.
public enum Tokenizer {
    /// Splits `text` into tokens in reading order.
    ///
    /// Runs of ASCII text take a byte-level fast path (`ASCIIWords`); everything else is read
    /// Character by Character. Both apply the rules above and give the same tokens, ranges
    /// and folded text as reading the whole text by Characters (`tokenizeCharacters`).
    public static func tokenize(_ text: String) -> [Token] {
        text.utf8.withContiguousStorageIfAvailable { ASCIIWords.tokenize(text, bytes: $0) }
            ?? tokenizeCharacters(text)
    }

    /// `tokenize`, leaving out the words for which `keep` (given the text's UTF-8 and the word's
    /// unfolded bytes there, which may include non-ASCII ones) is false, before their folded
    /// text is made. Positions count the tokens kept: for callers that need ranges, not positions.
    static func tokenize(_ text: String, keeping keep: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool) -> [Token] {
        withoutActuallyEscaping(keep) { keep in
            text.utf8.withContiguousStorageIfAvailable { ASCIIWords.tokenize(text, bytes: $0, keep: keep) }
        } ?? tokenizeCharacters(text)
    }

    /// `tokenize` reading every Character: the general path, for text not stored as
    /// contiguous UTF-8.
    static func tokenizeCharacters(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard isWordCharacter(text[index]) else {
                index = text.index(after: index)
                continue
            }
            let token = word(in: text, from: index, position: tokens.count)
            tokens.append(token)
            index = token.range.upperBound
        }
        return tokens
    }

    /// The token that starts at `start`, a Character boundary holding a word character.
    static func word(in text: String, from start: String.Index, position: Int) -> Token {
        token(in: text, start..<wordEnd(in: text, from: start), position: position)
    }

    /// The token for the word at `range` (as `wordEnd` found it): its text folded.
    static func token(in text: String, _ range: Range<String.Index>, position: Int) -> Token {
        var folded = TextFolding.fold(String(text[range]))
        folded = String(folded.map { isHyphen($0) ? "-" : $0 })
        return Token(text: folded, position: position, range: range)
    }

    /// Where the word that starts at `start` (a Character boundary holding a word character)
    /// ends, by the rules above; nothing is folded.
    static func wordEnd(in text: String, from start: String.Index) -> String.Index {
        var end = text.index(after: start)
        while end < text.endIndex {
            let c = text[end]
            if isWordCharacter(c) {
                end = text.index(after: end)
                continue
            }
            let next = text.index(after: end)
            guard next < text.endIndex else { break }
            let previous = text[text.index(before: end)]
            let following = text[next]
            if TextFolding.apostrophes.contains(c), previous.isLetter, following.isLetter {
                end = next
            } else if isHyphen(c), isWordCharacter(previous), isWordCharacter(following) {
                end = next
            } else if c == "." || c == ",", previous.isNumber, following.isNumber {
                end = next
            } else {
                break
            }
        }
        return extendLanguageSuffix(text, start: start, end: end)
    }

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    static func isHyphen(_ c: Character) -> Bool { c == "-" || c == "\u{2010}" || c == "\u{2011}" }

    /// `C++`, `C#`: short letter words followed by `+`/`++`/`#` and a word boundary.
    private static func extendLanguageSuffix(_ text: String, start: String.Index, end: String.Index) -> String.Index {
        let word = text[start..<end]
        guard word.count <= 3, word.allSatisfy(\.isLetter), end < text.endIndex else { return end }
        var cursor = end
        if text[cursor] == "#" {
            cursor = text.index(after: cursor)
        } else {
            var pluses = 0
            while cursor < text.endIndex, text[cursor] == "+", pluses < 2 {
                cursor = text.index(after: cursor)
                pluses += 1
            }
            if pluses == 0 { return end }
        }
        if cursor < text.endIndex, isWordCharacter(text[cursor]) { return end }
        return cursor
    }
}
