@testable import Search

// The Porter2 stemmer as it was before it worked on bytes, kept word for word under another
// name as the reference of AnalyzerEquivalenceTests.

/// The Porter2 ("Snowball English") stemmer, written from the published description of the
/// algorithm (snowballstem.org, "The English (Porter2) stemming algorithm").
///
/// Input is one lower-case word (apostrophes allowed, as `ReferenceFolding.fold` leaves them);
/// output is its stem. Follows the revised algorithm of Snowball 2.x/3.x where the published
/// vocabulary shows it (`ogist` → `og` in step 2; `added` → `add`: no undoubling after a lone
/// initial `a`, `e` or `o`). Checked against the Snowball project's published vocabulary and
/// output pair (Tests/Fixtures/stemmer). Pure and thread-safe.
enum ReferenceEnglishStemmer {
    /// Words whose stem is not what the rules would give (the algorithm's "exceptional forms").
    private static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
        "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
        "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]
    /// Left alone once step 1a has run.
    private static let afterStep1a: Set<String> = [
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    ]
    /// Prefixes after which R1 starts, instead of the usual vowel/non-vowel rule.
    private static let r1Prefixes: [[Character]] = ["gener", "commun", "arsen"].map { Array($0) }

    /// Returns the Porter2 stem of `word`.
    static func stem(_ word: String) -> String {
        if let exception = exceptions[word] { return exception }
        guard word.count > 2 else { return word }
        var w = Array(word)
        if w.first == "'" { w.removeFirst() }
        // Prelude: y at the start or after a vowel is a consonant, marked Y.
        for i in w.indices where w[i] == "y" && (i == 0 || isVowel(w[i - 1])) { w[i] = "Y" }
        var s = Stem(w)
        s.step0()
        s.step1a()
        if afterStep1a.contains(String(s.w)) { return String(s.w) }
        s.step1b()
        s.step1c()
        s.step2()
        s.step3()
        s.step4()
        s.step5()
        return String(s.w.map { $0 == "Y" ? "y" : $0 })
    }

    static func isVowel(_ c: Character) -> Bool {
        c == "a" || c == "e" || c == "i" || c == "o" || c == "u" || c == "y"
    }

    /// The word being stemmed and its regions R1 and R2 (start indices; `w.count` when empty).
    private struct Stem {
        var w: [Character]
        let r1: Int
        let r2: Int

        init(_ word: [Character]) {
            w = word
            var p1: Int?
            for prefix in ReferenceEnglishStemmer.r1Prefixes where word.starts(with: prefix) { p1 = prefix.count }
            r1 = p1 ?? Stem.regionStart(word, from: 0)
            r2 = Stem.regionStart(word, from: r1)
        }

        /// The index after the first non-vowel that follows a vowel, at or after `from`.
        static func regionStart(_ w: [Character], from: Int) -> Int {
            var i = from
            while i + 1 < w.count {
                if ReferenceEnglishStemmer.isVowel(w[i]) && !ReferenceEnglishStemmer.isVowel(w[i + 1]) { return i + 2 }
                i += 1
            }
            return w.count
        }

        func ends(_ suffix: String) -> Bool { ends(Array(suffix)) }

        func ends(_ suffix: [Character]) -> Bool {
            guard w.count >= suffix.count else { return false }
            let offset = w.count - suffix.count
            for i in suffix.indices where w[offset + i] != suffix[i] { return false }
            return true
        }

        /// A suffix list prepared once: each suffix with its characters.
        typealias Table = [(suffix: String, characters: [Character])]
        static func table(_ suffixes: [String]) -> Table { suffixes.map { ($0, Array($0)) } }

        /// The longest suffix of `table` the word ends with.
        func longest(_ table: Table) -> String? {
            var best: (suffix: String, characters: [Character])?
            for entry in table where entry.characters.count > (best?.characters.count ?? -1) && ends(entry.characters) {
                best = entry
            }
            return best?.suffix
        }

        static let step0Table = table(["'", "'s", "'s'"])
        static let step1aTable = table(["sses", "ied", "ies", "s", "us", "ss"])
        static let step1bTable = table(["eed", "eedly", "ed", "edly", "ing", "ingly"])

        func inR1(_ suffix: String) -> Bool { w.count - suffix.count >= r1 }
        func inR2(_ suffix: String) -> Bool { w.count - suffix.count >= r2 }

        mutating func replace(_ suffix: String, with replacement: String) {
            w.removeLast(suffix.count)
            w.append(contentsOf: replacement)
        }

        /// True when `w[..<end]` ends in a short syllable: non-vowel, vowel, non-vowel other
        /// than w, x or Y; or, at the very start, vowel then non-vowel.
        func endsInShortSyllable(_ end: Int) -> Bool {
            if end == 2 { return ReferenceEnglishStemmer.isVowel(w[0]) && !ReferenceEnglishStemmer.isVowel(w[1]) }
            guard end >= 3 else { return false }
            let (a, b, c) = (w[end - 3], w[end - 2], w[end - 1])
            return !ReferenceEnglishStemmer.isVowel(a) && ReferenceEnglishStemmer.isVowel(b) && !ReferenceEnglishStemmer.isVowel(c)
                && c != "w" && c != "x" && c != "Y"
        }

        var isShort: Bool { r1 >= w.count && endsInShortSyllable(w.count) }

        mutating func step0() {
            if let s = longest(Stem.step0Table) { w.removeLast(s.count) }
        }

        mutating func step1a() {
            guard let s = longest(Stem.step1aTable) else { return }
            switch s {
            case "sses": replace(s, with: "ss")
            case "ied", "ies": replace(s, with: w.count - s.count > 1 ? "i" : "ie")
            case "s":
                // Delete if a vowel occurs before the letter preceding the s (gaps → gap, gas stays).
                if w.count >= 3, w[..<(w.count - 2)].contains(where: ReferenceEnglishStemmer.isVowel) { w.removeLast() }
            default: break
            }
        }

        mutating func step1b() {
            guard let s = longest(Stem.step1bTable) else { return }
            if s == "eed" || s == "eedly" {
                if inR1(s) { replace(s, with: "ee") }
                return
            }
            guard w[..<(w.count - s.count)].contains(where: ReferenceEnglishStemmer.isVowel) else { return }
            w.removeLast(s.count)
            if ends("at") || ends("bl") || ends("iz") {
                w.append("e")
            } else if let last = w.last, w.count >= 2, w[w.count - 2] == last, "bdfgmnprt".contains(last) {
                // Revised rule: a vowel plus a double is a whole word (add, egg, odd): keep it.
                if !(w.count == 3 && "aeo".contains(w[0])) { w.removeLast() }
            } else if isShort {
                w.append("e")
            }
        }

        mutating func step1c() {
            guard let last = w.last, last == "y" || last == "Y", w.count > 2,
                  !ReferenceEnglishStemmer.isVowel(w[w.count - 2]) else { return }
            w[w.count - 1] = "i"
        }

        private static let step2Rules: [String: String] = [
            "tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent",
            "izer": "ize", "ization": "ize", "ational": "ate", "ation": "ate", "ator": "ate",
            "alism": "al", "aliti": "al", "alli": "al", "fulness": "ful", "ousli": "ous",
            "ousness": "ous", "iveness": "ive", "iviti": "ive", "biliti": "ble", "bli": "ble",
            "ogi": "og", "ogist": "og", "fulli": "ful", "lessli": "less", "li": "",
        ]
        private static let step2Suffixes = table(Array(step2Rules.keys))

        mutating func step2() {
            guard let s = longest(Stem.step2Suffixes), inR1(s) else { return }
            let before = w.count - s.count
            if s == "ogi" { guard before > 0, w[before - 1] == "l" else { return } }
            if s == "li" { guard before > 0, "cdeghkmnrt".contains(w[before - 1]) else { return } }
            replace(s, with: Stem.step2Rules[s]!)
        }

        private static let step3Rules: [String: String] = [
            "tional": "tion", "ational": "ate", "alize": "al", "icate": "ic", "iciti": "ic",
            "ical": "ic", "ful": "", "ness": "", "ative": "",
        ]
        private static let step3Suffixes = table(Array(step3Rules.keys))

        mutating func step3() {
            guard let s = longest(Stem.step3Suffixes), inR1(s) else { return }
            if s == "ative" { guard inR2(s) else { return } }
            replace(s, with: Stem.step3Rules[s]!)
        }

        private static let step4Suffixes = table([
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
            "ism", "ate", "iti", "ous", "ive", "ize", "ion",
        ])

        mutating func step4() {
            guard let s = longest(Stem.step4Suffixes), inR2(s) else { return }
            if s == "ion" {
                let before = w.count - 3
                guard before > 0, w[before - 1] == "s" || w[before - 1] == "t" else { return }
            }
            w.removeLast(s.count)
        }

        mutating func step5() {
            if ends("e") {
                if inR2("e") || (inR1("e") && !endsInShortSyllable(w.count - 1)) { w.removeLast() }
            } else if ends("l"), inR2("l"), w.count >= 2, w[w.count - 2] == "l" {
                w.removeLast()
            }
        }
    }
}
