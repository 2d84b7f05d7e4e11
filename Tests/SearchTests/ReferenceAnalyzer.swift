import Foundation
@testable import Search

// The analyzer as it was before the byte-level fast paths (tokenizer, folding, normalization
// and light stemmers), kept word for word under other names; only `analyze` is split in two so
// a test can tokenize once. AnalyzerEquivalenceTests checks that the analyzer in Sources gives
// exactly what this gives.

/// Text analysis: segmentation, folding, elision, stop words and stemming for one language.
/// Index and query go through the same functions, so they always agree. Pure and thread-safe.
///
/// Decisions:
/// - Hyphenated compounds are indexed as the joined word (`e-learning` → `elearning`) and,
///   at the same position, as each part of two or more letters that is not a stop word
///   (`learning`). A query word `e-learning` or `elearning` asks for the joined term only, so it
///   is precise; a query `learning` also finds `e-learning`.
/// - Elision (it, fr, ca): a short article or preposition before an apostrophe is dropped
///   (`l'apprendimento` → `apprendimento`, `d'informatique` → `informatique`). Other
///   apostrophes are removed after stemming (English `student's` → `student`, `don't` → `dont`).
/// - Words with digits or symbols (`3d`, `c++`, `18.01`) are kept as folded, never stemmed.
enum ReferenceAnalyzer {
    /// Articles and prepositions that elide before a vowel in Italian, French and Catalan.
    private static let elisions: Set<String> = [
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "un", "dell", "all", "dall", "nell", "sull",
        "quell", "bell", "sant", "anch", "lorsqu", "puisqu", "jusqu", "quoiqu", "dels", "pel",
    ]

    /// Analyzes `text` as written in `language`. With `expandCompounds` (indexing), compound
    /// parts are added beside the joined compound; without it (queries), only the joined form.
    static func analyze(_ text: String, language: Language, expandCompounds: Bool = true) -> [AnalyzedTerm] {
        analyze(tokens: ReferenceTokenizer.tokenize(text), language: language, expandCompounds: expandCompounds)
    }

    /// `analyze` of a text that `ReferenceTokenizer` split into `tokens` (so tests tokenize once).
    static func analyze(tokens: [Token], language: Language, expandCompounds: Bool = true) -> [AnalyzedTerm] {
        var out: [AnalyzedTerm] = []
        for token in tokens {
            let parts = token.text.split(separator: "-", omittingEmptySubsequences: true).map(String.init)
            if parts.count > 1 {
                if let joined = normalize(parts.joined(), language: language) {
                    out.append(AnalyzedTerm(term: joined, position: token.position, range: token.range, isCompoundPart: false))
                }
                guard expandCompounds else { continue }
                for part in parts where part.count >= 2 {
                    if let term = normalize(part, language: language), !out.contains(where: { $0.position == token.position && $0.term == term }) {
                        out.append(AnalyzedTerm(term: term, position: token.position, range: token.range, isCompoundPart: true))
                    }
                }
            } else if let term = normalize(token.text, language: language) {
                out.append(AnalyzedTerm(term: term, position: token.position, range: token.range, isCompoundPart: false))
            }
        }
        return out
    }

    /// The term for one folded word in `language`, or nil when it is a stop word (or empty).
    static func normalize(_ folded: String, language: Language) -> String? {
        var word = folded
        if word.contains("'") {
            if language == .it || language == .fr || language == .ca,
               let apostrophe = word.firstIndex(of: "'"),
               elisions.contains(String(word[..<apostrophe])) {
                word = String(word[word.index(after: apostrophe)...])
            }
        }
        let bare = String(word.filter { $0 != "'" })
        guard !bare.isEmpty, !StopWords.contains(bare, language: language) else { return nil }
        guard bare.allSatisfy(\.isLetter) else { return bare }
        let stemmed = language == .en ? ReferenceEnglishStemmer.stem(word) : ReferenceLightStemmers.stem(bare, language: language)
        let term = String(stemmed.filter { $0 != "'" })
        return term.isEmpty ? nil : term
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
enum ReferenceTokenizer {
    /// Splits `text` into tokens in reading order.
    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        var position = 0
        while index < text.endIndex {
            guard isWordCharacter(text[index]) else {
                index = text.index(after: index)
                continue
            }
            let start = index
            var end = text.index(after: index)
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
                if ReferenceFolding.apostrophes.contains(c), previous.isLetter, following.isLetter {
                    end = next
                } else if isHyphen(c), isWordCharacter(previous), isWordCharacter(following) {
                    end = next
                } else if c == "." || c == ",", previous.isNumber, following.isNumber {
                    end = next
                } else {
                    break
                }
            }
            end = extendLanguageSuffix(text, start: start, end: end)
            var folded = ReferenceFolding.fold(String(text[start..<end]))
            folded = String(folded.map { isHyphen($0) ? "-" : $0 })
            tokens.append(Token(text: folded, position: position, range: start..<end))
            position += 1
            index = end
        }
        return tokens
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

/// Folds text to the form terms are compared in: Unicode NFKC, lower case, no diacritics.
///
/// `programación`, `PROGRAMACION` and `ｐｒｏｇｒａｍａｃｉóｎ` all fold to `programacion`, so a query
/// typed without accents finds text written with them and the reverse. Pure and thread-safe.
enum ReferenceFolding {
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
    static func fold(_ text: String) -> String {
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

/// Light stemmers for Spanish, Catalan, Italian, French, German and Portuguese, in the style
/// of J. Savoy's light stemmers ("Light stemming approaches for the French, Portuguese,
/// German and Hungarian languages", SAC 2006) and the Snowball "light" variants: they strip
/// inflection (number, gender), not derivation, so `programación`/`programaciones` meet and
/// `programa` stays apart from `programación`.
///
/// Input is a folded word (lower case, no accents, as `ReferenceFolding.fold` returns); output is
/// its stem. Words shorter than five letters are returned unchanged. Pure and thread-safe.
enum ReferenceLightStemmers {
    /// Stems `word` for `language`; English goes to `EnglishStemmer`, `.other` is unchanged.
    static func stem(_ word: String, language: Language) -> String {
        switch language {
        case .en: return ReferenceEnglishStemmer.stem(word)
        case .other: return word
        default: break
        }
        guard word.count >= 5 else { return word }
        var w = Array(word)
        switch language {
        case .es: spanish(&w)
        case .ca: catalan(&w)
        case .it: italian(&w)
        case .fr: french(&w)
        case .de: german(&w)
        case .pt: portuguese(&w)
        case .en, .other: break
        }
        return String(w)
    }

    private static func ends(_ w: [Character], _ suffix: String) -> Bool {
        w.count >= suffix.count && w.suffix(suffix.count).elementsEqual(suffix)
    }

    /// Replaces `suffix` by `replacement` when the word ends with it and at least `keep`
    /// letters remain before the suffix. Returns whether it did.
    @discardableResult
    private static func replace(_ w: inout [Character], _ suffix: String, _ replacement: String = "", keep: Int = 3) -> Bool {
        guard ends(w, suffix), w.count - suffix.count >= keep else { return false }
        w.removeLast(suffix.count)
        w.append(contentsOf: replacement)
        return true
    }

    private static func dropFinalVowel(_ w: inout [Character], vowels: String = "aeo") {
        if let last = w.last, vowels.contains(last), w.count > 4 { w.removeLast() }
    }

    /// Plural (-es, -s), then the gender vowel: cursos/curso → curs, lenguajes/lenguaje → lenguaj.
    static func spanish(_ w: inout [Character]) {
        if !replace(&w, "es") { replace(&w, "s") }
        dropFinalVowel(&w)
    }

    /// Plural, gender vowel, then -qu/-gu back to -c/-g (matemàtiques/matemàtica → matematic).
    static func catalan(_ w: inout [Character]) {
        if !replace(&w, "es") { replace(&w, "s") }
        dropFinalVowel(&w)
        if !replace(&w, "qu", "c") { replace(&w, "gu", "g") }
    }

    /// The final vowel carries number and gender: -chi/-che → -c, -ghi/-ghe → -g, -io/-ii/-ia/-ie
    /// lose both letters (laboratorio/laboratori → laborator), otherwise the last vowel goes.
    static func italian(_ w: inout [Character]) {
        for (suffix, replacement) in [("che", "c"), ("chi", "c"), ("ghe", "g"), ("ghi", "g")]
        where replace(&w, suffix, replacement) { return }
        for suffix in ["io", "ii", "ia", "ie"] where replace(&w, suffix) { return }
        dropFinalVowel(&w, vowels: "aeio")
    }

    /// Plural (-aux → -al, -eaux → -eau, -s, -x), then a final -e (apprentissages → apprentissag).
    static func french(_ w: inout [Character]) {
        if replace(&w, "eaux", "eau") || replace(&w, "aux", "al") {
            return
        }
        if !replace(&w, "s") { replace(&w, "x") }
        replace(&w, "e", keep: 4)
    }

    /// Savoy's German minimal stemmer: the longest of -ern, -em, -en, -er, -es, -e, -n, -s.
    static func german(_ w: inout [Character]) {
        for suffix in ["ern", "em", "en", "er", "es"] where replace(&w, suffix, keep: 4) { return }
        for suffix in ["e", "n", "s"] where replace(&w, suffix, keep: 4) { return }
    }

    /// Plural forms (-oes/-aes → -ao, -ais → -al, -eis → -el, -ois → -ol, -ns → -m, -res/-zes,
    /// -s), then the gender vowel (educações/educação → educaca).
    static func portuguese(_ w: inout [Character]) {
        let plurals = [("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("eis", "el"), ("ois", "ol"),
                       ("ns", "m"), ("res", "r"), ("zes", "z"), ("ses", "s"), ("s", "")]
        for (suffix, replacement) in plurals where replace(&w, suffix, replacement) { break }
        dropFinalVowel(&w)
    }
}
