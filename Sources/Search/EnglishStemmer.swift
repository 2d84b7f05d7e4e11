/// The Porter2 ("Snowball English") stemmer, written from the published description of the
/// algorithm (snowballstem.org, "The English (Porter2) stemming algorithm").
///
/// Input is one lower-case word (apostrophes allowed, as `TextFolding.fold` leaves them);
/// output is its stem. Follows the revised algorithm of Snowball 2.x/3.x where the published
/// vocabulary shows it (`ogist` → `og` in step 2; `added` → `add`: no undoubling after a lone
/// initial `a`, `e` or `o`). Checked against the Snowball project's published vocabulary and
/// output pair (Tests/Fixtures/stemmer). Pure and thread-safe.
///
/// Works on the word's bytes (`WordBytes`): the rules only ever look at ASCII letters, so a
/// word of other Characters is stemmed the same as it would be Character by Character.
public enum EnglishStemmer {
    /// Words whose stem is not what the rules would give (the algorithm's "exceptional forms").
    private static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
        "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
        "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]
    /// Left alone once step 1a has run.
    private static let afterStep1a: Set<[UInt8]> = bytes([
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    ])
    /// Prefixes after which R1 starts, instead of the usual vowel/non-vowel rule.
    private static let r1Prefixes: [[UInt8]] = ["gener", "commun", "arsen"].map { Array($0.utf8) }

    private static func bytes(_ words: [String]) -> Set<[UInt8]> { Set(words.map { Array($0.utf8) }) }

    /// Returns the Porter2 stem of `word`.
    public static func stem(_ word: String) -> String {
        if let exception = exceptions[word] { return exception }
        var letters = WordBytes(word)
        guard letters.bytes.count > 2 else { return word }
        if letters.bytes.first == ASCIIText.apostrophe { letters.removeFirst() }
        var w = letters.bytes
        // Prelude: y at the start or after a vowel is a consonant, marked Y.
        for i in w.indices where w[i] == y && (i == 0 || isVowel(w[i - 1])) { w[i] = Y }
        var s = Stem(w)
        s.step0()
        s.step1a()
        if afterStep1a.contains(s.w) { return letters.string(s.w) }
        s.step1b()
        s.step1c()
        s.step2()
        s.step3()
        s.step4()
        s.step5()
        return letters.string(s.w.map { $0 == Y ? y : $0 })
    }

    private static let y = UInt8(ascii: "y"), Y = UInt8(ascii: "Y")

    static func isVowel(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), y: true
        default: false
        }
    }

    /// True when `letters` (ASCII) holds `c`.
    private static func isOne(of letters: StaticString, _ c: UInt8) -> Bool {
        UnsafeBufferPointer(start: letters.utf8Start, count: letters.utf8CodeUnitCount).contains(c)
    }

    /// The word being stemmed and its regions R1 and R2 (start indices; `w.count` when empty).
    private struct Stem {
        var w: [UInt8]
        let r1: Int
        let r2: Int

        init(_ word: [UInt8]) {
            w = word
            var p1: Int?
            for prefix in EnglishStemmer.r1Prefixes where word.starts(with: prefix) { p1 = prefix.count }
            r1 = p1 ?? Stem.regionStart(word, from: 0)
            r2 = Stem.regionStart(word, from: r1)
        }

        /// The index after the first non-vowel that follows a vowel, at or after `from`.
        static func regionStart(_ w: [UInt8], from: Int) -> Int {
            var i = from
            while i + 1 < w.count {
                if EnglishStemmer.isVowel(w[i]) && !EnglishStemmer.isVowel(w[i + 1]) { return i + 2 }
                i += 1
            }
            return w.count
        }

        func ends(_ suffix: [UInt8]) -> Bool {
            guard w.count >= suffix.count else { return false }
            let offset = w.count - suffix.count
            for i in suffix.indices where w[offset + i] != suffix[i] { return false }
            return true
        }

        /// A suffix and what replaces it.
        struct Rule {
            let suffix: [UInt8]
            let replacement: [UInt8]
        }

        /// A suffix list prepared once.
        typealias Table = [Rule]
        static func table(_ rules: KeyValuePairs<String, String>) -> Table {
            rules.map { Rule(suffix: Array($0.key.utf8), replacement: Array($0.value.utf8)) }
        }
        static func table(_ suffixes: [String]) -> Table { suffixes.map { Rule(suffix: Array($0.utf8), replacement: []) } }

        /// The rule of `table` for the longest suffix the word ends with.
        func longest(_ table: Table) -> Rule? {
            var best: Rule?
            for rule in table where rule.suffix.count > (best?.suffix.count ?? -1) && ends(rule.suffix) {
                best = rule
            }
            return best
        }

        static let step0Table = table(["'", "'s", "'s'"])
        static let step1aTable = table(["sses": "ss", "ied": "i", "ies": "i", "s": "", "us": "", "ss": ""])
        static let step1bTable = table(["eed", "eedly", "ed", "edly", "ing", "ingly"])

        func inR1(_ suffix: [UInt8]) -> Bool { w.count - suffix.count >= r1 }
        func inR2(_ suffix: [UInt8]) -> Bool { w.count - suffix.count >= r2 }

        mutating func replace(_ suffix: [UInt8], with replacement: [UInt8]) {
            w.removeLast(suffix.count)
            w.append(contentsOf: replacement)
        }

        /// True when `w[..<end]` ends in a short syllable: non-vowel, vowel, non-vowel other
        /// than w, x or Y; or, at the very start, vowel then non-vowel.
        func endsInShortSyllable(_ end: Int) -> Bool {
            if end == 2 { return EnglishStemmer.isVowel(w[0]) && !EnglishStemmer.isVowel(w[1]) }
            guard end >= 3 else { return false }
            let (a, b, c) = (w[end - 3], w[end - 2], w[end - 1])
            return !EnglishStemmer.isVowel(a) && EnglishStemmer.isVowel(b) && !EnglishStemmer.isVowel(c)
                && !EnglishStemmer.isOne(of: "wxY", c)
        }

        var isShort: Bool { r1 >= w.count && endsInShortSyllable(w.count) }

        mutating func step0() {
            if let rule = longest(Stem.step0Table) { w.removeLast(rule.suffix.count) }
        }

        mutating func step1a() {
            guard let rule = longest(Stem.step1aTable) else { return }
            let (s, replacement) = (rule.suffix, rule.replacement)
            switch s.count {
            case 4: replace(s, with: replacement) // sses
            case 3: replace(s, with: w.count - s.count > 1 ? replacement : Array("ie".utf8)) // ied, ies
            case 1:
                // Delete if a vowel occurs before the letter preceding the s (gaps → gap, gas stays).
                if w.count >= 3, w[..<(w.count - 2)].contains(where: EnglishStemmer.isVowel) { w.removeLast() }
            default: break // us, ss
            }
        }

        mutating func step1b() {
            guard let s = longest(Stem.step1bTable)?.suffix else { return }
            if s.starts(with: "eed".utf8) {
                if inR1(s) { replace(s, with: Array("ee".utf8)) }
                return
            }
            guard w[..<(w.count - s.count)].contains(where: EnglishStemmer.isVowel) else { return }
            w.removeLast(s.count)
            if ends(Array("at".utf8)) || ends(Array("bl".utf8)) || ends(Array("iz".utf8)) {
                w.append(UInt8(ascii: "e"))
            } else if let last = w.last, w.count >= 2, w[w.count - 2] == last, EnglishStemmer.isOne(of: "bdfgmnprt", last) {
                // Revised rule: a vowel plus a double is a whole word (add, egg, odd): keep it.
                if !(w.count == 3 && EnglishStemmer.isOne(of: "aeo", w[0])) { w.removeLast() }
            } else if isShort {
                w.append(UInt8(ascii: "e"))
            }
        }

        mutating func step1c() {
            guard let last = w.last, last == EnglishStemmer.y || last == EnglishStemmer.Y, w.count > 2,
                  !EnglishStemmer.isVowel(w[w.count - 2]) else { return }
            w[w.count - 1] = UInt8(ascii: "i")
        }

        private static let step2Rules = table([
            "tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent",
            "izer": "ize", "ization": "ize", "ational": "ate", "ation": "ate", "ator": "ate",
            "alism": "al", "aliti": "al", "alli": "al", "fulness": "ful", "ousli": "ous",
            "ousness": "ous", "iveness": "ive", "iviti": "ive", "biliti": "ble", "bli": "ble",
            "ogi": "og", "ogist": "og", "fulli": "ful", "lessli": "less", "li": "",
        ])

        mutating func step2() {
            guard let rule = longest(Stem.step2Rules), inR1(rule.suffix) else { return }
            let s = rule.suffix
            let before = w.count - s.count
            if s.elementsEqual("ogi".utf8) { guard before > 0, w[before - 1] == UInt8(ascii: "l") else { return } }
            if s.elementsEqual("li".utf8) { guard before > 0, EnglishStemmer.isOne(of: "cdeghkmnrt", w[before - 1]) else { return } }
            replace(s, with: rule.replacement)
        }

        private static let step3Rules = table([
            "tional": "tion", "ational": "ate", "alize": "al", "icate": "ic", "iciti": "ic",
            "ical": "ic", "ful": "", "ness": "", "ative": "",
        ])

        mutating func step3() {
            guard let rule = longest(Stem.step3Rules), inR1(rule.suffix) else { return }
            let s = rule.suffix
            if s.elementsEqual("ative".utf8) { guard inR2(s) else { return } }
            replace(s, with: rule.replacement)
        }

        private static let step4Suffixes = table([
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
            "ism", "ate", "iti", "ous", "ive", "ize", "ion",
        ])

        mutating func step4() {
            guard let s = longest(Stem.step4Suffixes)?.suffix, inR2(s) else { return }
            if s.elementsEqual("ion".utf8) {
                let before = w.count - 3
                guard before > 0, w[before - 1] == UInt8(ascii: "s") || w[before - 1] == UInt8(ascii: "t") else { return }
            }
            w.removeLast(s.count)
        }

        mutating func step5() {
            let (e, l) = ([UInt8(ascii: "e")], [UInt8(ascii: "l")])
            if ends(e) {
                if inR2(e) || (inR1(e) && !endsInShortSyllable(w.count - 1)) { w.removeLast() }
            } else if ends(l), inR2(l), w.count >= 2, w[w.count - 2] == UInt8(ascii: "l") {
                w.removeLast()
            }
        }
    }
}
