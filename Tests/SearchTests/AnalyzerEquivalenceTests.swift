import Foundation
import Testing
@testable import Search

/// The analyzer's byte-level fast paths give exactly what the Character-based reference
/// (ReferenceAnalyzer.swift, the analyzer as it was) gives: same terms, positions, ranges and
/// compound flags, for every language, on the course corpus and on hand-picked and generated
/// text that moves between the fast and the general path.
@Suite struct AnalyzerEquivalenceTests {
    /// Words and texts at the edges of the tokenizer's rules and of the ASCII fast path.
    static let tricky: [String] = [
        "C++ and C# in 3D", "c++x C+ C+++ g++. F#, abcd# abc#1 C#\u{FE0F}\u{20E3} C+\u{301} C#\u{301}",
        "e-learning e--learning -x- x- covid-19 3-d a-b-c re-e-learning", "18.01 3,5 1.a a.1 18.01. 3..5 1,a",
        "l'apprendimento dell'arte d'informatique l’informatique L‘x don't don`t `ab ab` a'b' ' '",
        "don\u{2019}t don\u{02BC}t don\u{00B4}t don\u{1FEF}t qu'il lorsqu'on s'",
        "ﬁsica ﬂ Straße STRASSE ẞ Ｆｕｌｌｗｉｄｔｈ ＦＵＬＬ－ｗｉｄｔｈ Æsir œuvre Øresund ŉ İstanbul ı \u{212A}elvin",
        "café-crème naïve résumé école e\u{301}cole cafe\u{301} Università matemàtiques llengües educações",
        "👩‍💻 coding 🇮🇹 italia 🇮🇹🇪🇸x 1\u{FE0F}\u{20E3}2 #\u{FE0F}\u{20E3} ok",
        " \u{345}x \u{345}ab x\u{345}y \u{600}abc a\u{600}b \r\nabc\r\n\u{301}x x\r\ny \n\r",
        "skis skies dying news 'tis students' student's generously communism kiwis", "",
        "ΑΒΓ αλφα Москва́ 東京大学 一二三 Ⅻ ½ ² x²y ٣٤ 3٤ ab٣", "\u{2010}x\u{2011}y a\u{2010}b 3\u{2011}4",
        "Yay YELLOW yes y Y'all sky", "a ab abc abcd abcde abcdef", "history of the art",
        "la storia della chimica", "die Geschichte der Kunst", "programaciones cursos matemàtica",
    ]

    /// Every title, summary and tag of the course corpus, with its course's language, and the
    /// reference's tokens of it.
    static let corpus: [(text: String, language: Language, tokens: [Token])] = {
        guard let documents = try? CourseCorpus.documents() else { return [] }
        return documents.flatMap { doc, _ in
            ([doc.fullName, doc.summary] + doc.tags).map { ($0, Language(code: doc.language), ReferenceTokenizer.tokenize($0)) }
        }
    }()

    /// Text made of pieces that switch between the fast and the general path mid-word, from a
    /// fixed seed so a failure repeats.
    static func generated(count: Int, seed: UInt64) -> [String] {
        let pieces = ["a", "b", "Y", "y", "s", "e", "1", "9", "-", ".", ",", "'", "`", "#", "+", "++", " ",
                      "\r", "\n", "\r\n", "é", "e\u{301}", "\u{301}", "\u{345}", "’", "\u{2010}", "ß", "ﬁ",
                      "Ｆ", "👩‍💻", "🇮🇹", "\u{FE0F}\u{20E3}", "٣", "\u{600}", "ed", "ing", "ly", "tion", "es"]
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in (0..<next(24)).map { _ in pieces[next(pieces.count)] }.joined() }
    }

    func differences(_ text: String, _ language: Language, expand: Bool) -> String? {
        let got = Analyzer.analyze(text, language: language, expandCompounds: expand)
        let want = ReferenceAnalyzer.analyze(text, language: language, expandCompounds: expand)
        guard got != want else { return nil }
        return "\(language) \(text.debugDescription): \(got.map(\.term)) ≠ \(want.map(\.term))"
    }

    /// What highlighting's skipping rests on: a folded word without apostrophe or hyphen starts
    /// with the required prefix of its term, for every word of the corpus and the vocabulary
    /// (stemmed ones included) in every language.
    @Test func everyTermKeepsItsWordsStart() throws {
        var words = try Self.allWords()
        words.formUnion(Self.corpus.flatMap(\.tokens).map(\.text))
        var checked = 0, wrong: [String] = []
        for word in words {
            let folded = TextFolding.fold(word)
            guard !folded.utf8.contains(where: { $0 == ASCIIText.apostrophe || $0 == ASCIIText.hyphen }) else { continue }
            for language in Language.allCases {
                guard let term = Analyzer.normalize(folded, language: language) else { continue }
                checked += 1
                if !folded.utf8.starts(with: Analyzer.requiredPrefix(of: term)) { wrong.append("\(language) \(word) → \(term)") }
            }
        }
        #expect(checked > 100_000)
        #expect(wrong.isEmpty, "\(wrong.count) words: \(wrong.prefix(10).joined(separator: "; "))")
    }

    /// Highlighting skips words that cannot match; it must mark exactly the words whose term
    /// `analyze` says is wanted. Terms are taken from other texts of the corpus and from the
    /// text itself, so both hits and near misses are tried.
    @Test func highlightRangesAreTheAnalyzersMatches() {
        let texts = Self.tricky + Self.corpus.prefix(600).map(\.text) + Self.generated(count: 400, seed: 7)
        var generator = SystemRandomNumberGenerator()
        for (i, text) in texts.enumerated() {
            for language in [Language.en, .it, .es, .fr, .de] {
                let own = Analyzer.analyze(text, language: language).map(\.term)
                let other = Analyzer.analyze(texts[(i * 7 + 3) % texts.count], language: language).map(\.term)
                var wanted = Set((own.shuffled(using: &generator).prefix(2)) + other.prefix(3))
                wanted.insert("zzz")
                var expected: [Range<String.Index>] = []
                for term in Analyzer.analyze(text, language: language) where wanted.contains(term.term) {
                    if expected.last != term.range { expected.append(term.range) }
                }
                #expect(Analyzer.ranges(in: text, language: language, matching: wanted) == expected, "\(text) \(language)")
            }
        }
    }

    @Test func tokensMatchTheReference() {
        var wrong = Self.corpus.filter { Tokenizer.tokenize($0.text) != $0.tokens }.map(\.text.debugDescription)
        for text in Self.tricky + Self.generated(count: 20_000, seed: 1)
        where Tokenizer.tokenize(text) != ReferenceTokenizer.tokenize(text) {
            wrong.append(text.debugDescription)
        }
        #expect(Self.corpus.count > 10_000)
        #expect(wrong.isEmpty, "\(wrong.count) texts: \(wrong.prefix(5).joined(separator: "; "))")
    }

    /// Whole texts in `language`: the hand-picked and generated ones, and the corpus texts
    /// written in it. With `tokensMatchTheReference` and `wordsMatchTheReference` (every corpus
    /// word in every language), this covers the whole corpus in every language.
    @Test(arguments: Language.allCases)
    func analysisMatchesTheReference(language: Language) {
        var wrong: [String] = []
        for text in Self.tricky + Self.generated(count: 2_000, seed: 2) {
            for expand in [true, false] { if let d = differences(text, language, expand: expand) { wrong.append(d) } }
        }
        for (text, _, tokens) in Self.corpus.filter({ $0.language == language }) {
            let got = Analyzer.analyze(text, language: language)
            if got != ReferenceAnalyzer.analyze(tokens: tokens, language: language) { wrong.append(text.debugDescription) }
        }
        #expect(wrong.isEmpty, "\(wrong.count) texts: \(wrong.prefix(5).joined(separator: "; "))")
    }

    /// Every folded word of the corpus, its hyphen parts and joined compound, the words of the
    /// stemmer vocabulary and raw words (capitals, accents, marks): the same term in every
    /// language, the same stems.
    static func allWords() throws -> Set<String> {
        let vocabulary = try FixtureFiles.gunzip("stemmer/english-voc-output.tsv.gz")
            .split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        let tokens = Self.corpus.flatMap(\.tokens) + Self.tricky.flatMap(ReferenceTokenizer.tokenize)
        var words = Set(vocabulary + Self.tricky.flatMap { $0.split(separator: " ").map(String.init) }
            + ["", "'", "''", "'s", "y", "yy", "Y", "\r\nab", "ab\r\n", "Straße's", "cafe\u{301}s"])
        for token in tokens {
            let parts = token.hyphenParts
            words.formUnion(parts + [token.text, parts.joined()])
        }
        return words
    }

    @Test func wordsMatchTheReference() throws {
        let words = try Self.allWords()
        #expect(words.count > 20_000)
        var wrong: [String] = []
        for word in words {
            if EnglishStemmer.stem(word) != ReferenceEnglishStemmer.stem(word) { wrong.append("en stem \(word.debugDescription)") }
            for language in Language.allCases {
                if LightStemmers.stem(word, language: language) != ReferenceLightStemmers.stem(word, language: language)
                    || Analyzer.normalize(word, language: language) != ReferenceAnalyzer.normalize(word, language: language) {
                    wrong.append("\(language) \(word.debugDescription)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) words: \(wrong.prefix(10).joined(separator: "; "))")
    }

    /// Times the reference and the analyzer over every corpus title and summary, in each
    /// text's own language. Runs only with COURSEMESH_BENCH=1; prints, asserts nothing.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["COURSEMESH_BENCH"] == "1"))
    func benchmark() throws {
        let texts = try CourseCorpus.documents().flatMap { doc, _ in
            [doc.fullName, doc.summary].map { ($0, Language(code: doc.language)) }
        }
        func time(_ analyze: (String, Language) -> [AnalyzedTerm]) -> (Double, Int) {
            let start = DispatchTime.now().uptimeNanoseconds
            var terms = 0
            for (text, language) in texts { terms += analyze(text, language).count }
            return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, terms)
        }
        let (old, oldTerms) = time { ReferenceAnalyzer.analyze($0, language: $1) }
        let (new, newTerms) = time { Analyzer.analyze($0, language: $1) }
        let bytes = texts.reduce(0) { $0 + $1.0.utf8.count }
        print("analyzer benchmark: \(texts.count) texts, \(bytes) bytes, \(newTerms) terms (reference \(oldTerms)): "
              + "reference \(String(format: "%.3f", old)) s, now \(String(format: "%.3f", new)) s, "
              + "\(String(format: "%.1f", old / new))x")
    }
}
