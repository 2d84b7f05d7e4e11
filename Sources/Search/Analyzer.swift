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
    /// Words that cannot give one of `terms` are skipped without stemming: analysis only ever
    /// changes the end of a word, except for apostrophes (elision) and hyphens (compounds), so a
    /// word without either whose first byte starts none of `terms` cannot match.
    public static func ranges(in text: String, language: Language, matching terms: Set<String>) -> [Range<String.Index>] {
        let initials = Set(terms.compactMap(\.utf8.first))
        var out: [Range<String.Index>] = []
        var analyzed: [AnalyzedTerm] = []
        // The same test on an ASCII word's bytes before it is folded (folding lowers its case
        // and reads a backtick as an apostrophe), so most words never become a String.
        let candidates = Tokenizer.tokenize(text) { bytes, word in
            initials.contains(ASCIIText.lowercased(bytes[word.lowerBound])) || bytes[word].contains {
                $0 == ASCIIText.apostrophe || $0 == ASCIIText.backtick || $0 == ASCIIText.hyphen
            }
        }
        for token in candidates {
            guard let first = token.text.utf8.first else { continue }
            guard initials.contains(first) || token.text.utf8.contains(where: { $0 == ASCIIText.apostrophe || $0 == ASCIIText.hyphen })
            else { continue }
            analyzed.removeAll(keepingCapacity: true)
            analyze(token, language: language, expandCompounds: true, into: &analyzed)
            if analyzed.contains(where: { terms.contains($0.term) }), out.last != token.range { out.append(token.range) }
        }
        return out
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
