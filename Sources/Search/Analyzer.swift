/// A language the analyzer has stop words and a stemmer for; `.other` folds but neither drops
/// nor stems words.
public enum Language: String, CaseIterable, Codable, Sendable, Hashable {
    case en, es, ca, it, fr, de, pt, other

    /// The language for a Moodle language code (`en`, `en_us`, `pt-BR`, `IT`); `.other` when
    /// the code names a language without stemmer.
    public init(code: String) {
        if code.utf8.count == 2, let exact = Language(rawValue: code) {
            self = exact
            return
        }
        let base = code.lowercased().split(whereSeparator: { $0 == "_" || $0 == "-" }).first.map(String.init) ?? ""
        self = Language(rawValue: base) ?? .other
    }

    /// The languages whose analysis a query word is run through (every case).
    public static let all: [Language] = Language.allCases
}

/// A term produced by analysis, with where it came from.
public struct AnalyzedTerm: Sendable, Hashable {
    /// The indexed form: folded, stemmed when the word is made of letters only.
    public var term: String
    /// The word's ordinal in its text (see `Token.position`). Compound parts share the
    /// position of their compound.
    public var position: Int
    /// Where the word is in the original text.
    public var range: Range<String.Index>
    /// True for a part of a hyphenated compound (`learning` in `e-learning`), which is indexed
    /// beside the joined compound but not counted in the field length.
    public var isCompoundPart: Bool
}

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
public enum Analyzer {
    /// Articles and prepositions that elide before a vowel in Italian, French and Catalan.
    private static let elisions: Set<String> = [
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "un", "dell", "all", "dall", "nell", "sull",
        "quell", "bell", "sant", "anch", "lorsqu", "puisqu", "jusqu", "quoiqu", "dels", "pel",
    ]

    /// Analyzes `text` as written in `language`. With `expandCompounds` (indexing), compound
    /// parts are added beside the joined compound; without it (queries), only the joined form.
    public static func analyze(_ text: String, language: Language, expandCompounds: Bool = true) -> [AnalyzedTerm] {
        var out: [AnalyzedTerm] = []
        for token in Tokenizer.tokenize(text) { analyze(token, language: language, expandCompounds: expandCompounds, into: &out) }
        return out
    }

    /// The ranges of the words of `text` that give one of `terms` in `language` (compound parts
    /// included), in text order: what highlighting needs, the same words `analyze` would name.
    /// Words that cannot give one of `terms` (`mayGive`) are skipped before they are folded or
    /// stemmed, so a snippet costs little more than one pass over its bytes.
    public static func ranges(in text: String, language: Language, matching terms: Set<String>) -> [Range<String.Index>] {
        var answers: [String: Bool] = [:]
        return ranges(in: text, language: language, matching: terms, answers: &answers)
    }

    /// `ranges(in:language:matching:)` for several texts in the same `language` and `terms`:
    /// `answers` keeps whether each folded word analyzed so far gives one of `terms`, as a
    /// wanted word is often in every text.
    public static func ranges(in text: String, language: Language, matching terms: Set<String>,
                              answers: inout [String: Bool]) -> [Range<String.Index>] {
        let prefixes = terms.map(requiredPrefix)
        var out: [Range<String.Index>] = []
        var analyzed: [AnalyzedTerm] = []
        let candidates = Tokenizer.tokenize(text) { bytes, word in mayGive(bytes, word, prefixes: prefixes) }
        for token in candidates {
            // Folded, the test is exact for the words a non-ASCII byte kept above.
            var folded = token.text
            guard folded.withUTF8({ mayGive($0, 0..<$0.count, prefixes: prefixes) }) else { continue }
            let matches = answers[token.text] ?? {
                analyzed.removeAll(keepingCapacity: true)
                analyze(token, language: language, expandCompounds: true, into: &analyzed)
                let matches = analyzed.contains { terms.contains($0.term) }
                answers[token.text] = matches
                return matches
            }()
            if matches, out.last != token.range { out.append(token.range) }
        }
        return out
    }

    /// The bytes a folded word without apostrophe or hyphen must start with to give `term`:
    /// all of the term's but the last two, and at least the first. Stemming only rewrites the
    /// end of a word (Porter2 and the light stemmers replace a suffix by one no longer than it,
    /// and Porter2's exceptions such as `dying` → `die` keep the first letter), folding keeps
    /// ASCII letters in place, and a word of digits or symbols is its own term.
    /// AnalyzerEquivalenceTests checks this over every corpus and vocabulary word in every language.
    static func requiredPrefix(of term: String) -> [UInt8] {
        Array(term.utf8.prefix(max(1, term.utf8.count - 2)))
    }

    /// Whether the word at `word` in `bytes` (UTF-8, folded or not) may give a term with one of
    /// `prefixes` (`requiredPrefix`). Analysis drops apostrophes and hyphens and may start a term
    /// after one (elision, compound parts), so the prefix is looked for at the word's start and
    /// after each of them, skipping them. True as well when a non-ASCII byte comes before the
    /// first difference, or the word holds an apostrophe or hyphen look-alike: only folding can
    /// tell. Otherwise exact, as an ASCII byte folds to its lower case.
    static func mayGive(_ bytes: UnsafeBufferPointer<UInt8>, _ word: Range<Int>, prefixes: [[UInt8]]) -> Bool {
        if mayStart(bytes, at: word.lowerBound, end: word.upperBound, prefixes: prefixes) { return true }
        for i in word {
            switch bytes[i] {
            case ASCIIText.apostrophe, ASCIIText.backtick, ASCIIText.hyphen:
                if mayStart(bytes, at: i + 1, end: word.upperBound, prefixes: prefixes) { return true }
            case 0xE2, 0xCA: // U+2010, U+2011, U+2018, U+2019; U+02BC
                return true
            case 0xC2 where i + 1 < word.upperBound && bytes[i + 1] == 0xB4: // U+00B4
                return true
            default:
                continue
            }
        }
        return false
    }

    /// `mayGive`'s test from `start`: one of `prefixes` is there (apostrophes and hyphens
    /// skipped, letters compared in lower case), or a non-ASCII byte comes first.
    private static func mayStart(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, end: Int, prefixes: [[UInt8]]) -> Bool {
        next: for prefix in prefixes {
            var i = start
            for wanted in prefix {
                while i < end, bytes[i] == ASCIIText.apostrophe || bytes[i] == ASCIIText.backtick || bytes[i] == ASCIIText.hyphen {
                    i += 1
                }
                guard i < end else { continue next }
                if bytes[i] >= 0x80 { return true }
                if ASCIIText.lowercased(bytes[i]) != wanted { continue next }
                i += 1
            }
            return true
        }
        return false
    }

    /// Appends the terms of one token to `out` (see `analyze(_:language:expandCompounds:)`).
    private static func analyze(_ token: Token, language: Language, expandCompounds: Bool, into out: inout [AnalyzedTerm]) {
        // Only a folded word with a hyphen byte can have more than one hyphen part.
        let parts = token.text.utf8.contains(ASCIIText.hyphen) ? token.hyphenParts : []
        if parts.count > 1 {
            let first = out.count
            if let joined = normalize(parts.joined(), language: language) {
                out.append(AnalyzedTerm(term: joined, position: token.position, range: token.range, isCompoundPart: false))
            }
            guard expandCompounds else { return }
            for part in parts where part.count >= 2 {
                // Terms at this position all come from this token, from `first` on.
                if let term = normalize(part, language: language), !out[first...].contains(where: { $0.term == term }) {
                    out.append(AnalyzedTerm(term: term, position: token.position, range: token.range, isCompoundPart: true))
                }
            }
        } else if let term = normalize(token.text, language: language) {
            out.append(AnalyzedTerm(term: term, position: token.position, range: token.range, isCompoundPart: false))
        }
    }

    /// The term for one folded word in `language`, or nil when it is a stop word (or empty).
    ///
    /// An ASCII word takes `normalizeASCII`, which looks at bytes instead of Characters and
    /// gives the same term.
    public static func normalize(_ folded: String, language: Language) -> String? {
        if ASCIIText.isASCII(folded) { return normalizeASCII(folded, language: language) }
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
        let stemmed = language == .en ? EnglishStemmer.stem(word) : LightStemmers.stem(bare, language: language)
        let term = String(stemmed.filter { $0 != "'" })
        return term.isEmpty ? nil : term
    }

    /// `normalize` of an ASCII word. In ASCII every byte is its own Character except CR LF,
    /// which is not a letter either way, so the byte tests below agree with the Character ones.
    private static func normalizeASCII(_ folded: String, language: Language) -> String? {
        var word = folded
        if let apostrophe = word.utf8.firstIndex(of: ASCIIText.apostrophe),
           language == .it || language == .fr || language == .ca,
           elisions.contains(String(word[..<apostrophe])) {
            word = String(word[word.utf8.index(after: apostrophe)...])
        }
        let bare = withoutApostrophes(word)
        guard !bare.isEmpty, !StopWords.contains(bare, language: language) else { return nil }
        guard bare.utf8.allSatisfy(ASCIIText.isLetter) else { return bare }
        let stemmed = language == .en ? EnglishStemmer.stem(word) : LightStemmers.stem(bare, language: language)
        let term = withoutApostrophes(stemmed)
        return term.isEmpty ? nil : term
    }

    /// `word` without its ASCII apostrophes; `word` itself when it has none.
    private static func withoutApostrophes(_ word: String) -> String {
        guard word.utf8.contains(ASCIIText.apostrophe) else { return word }
        return String(decoding: word.utf8.filter { $0 != ASCIIText.apostrophe }, as: UTF8.self)
    }
}
