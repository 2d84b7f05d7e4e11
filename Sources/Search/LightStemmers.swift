/// Light stemmers for Spanish, Catalan, Italian, French, German and Portuguese, in the style
/// of J. Savoy's light stemmers ("Light stemming approaches for the French, Portuguese,
/// German and Hungarian languages", SAC 2006) and the Snowball "light" variants: they strip
/// inflection (number, gender), not derivation, so `programación`/`programaciones` meet and
/// `programa` stays apart from `programación`.
///
/// Input is a folded word (lower case, no accents, as `TextFolding.fold` returns); output is
/// its stem. Words shorter than five letters are returned unchanged. Pure and thread-safe.
/// Works on the word's bytes (`WordBytes`), as the suffixes are all ASCII.
public enum LightStemmers {
    /// Stems `word` for `language`; English goes to `EnglishStemmer`, `.other` is unchanged.
    public static func stem(_ word: String, language: Language) -> String {
        switch language {
        case .en: return EnglishStemmer.stem(word)
        case .other: return word
        default: break
        }
        let letters = WordBytes(word)
        guard letters.bytes.count >= 5 else { return word }
        var w = letters.bytes
        switch language {
        case .es: spanish(&w)
        case .ca: catalan(&w)
        case .it: italian(&w)
        case .fr: french(&w)
        case .de: german(&w)
        case .pt: portuguese(&w)
        case .en, .other: break
        }
        return letters.string(w)
    }

    private static func ends(_ w: [UInt8], _ suffix: StaticString) -> Bool {
        let suffix = bytes(suffix)
        guard w.count >= suffix.count else { return false }
        let offset = w.count - suffix.count
        for i in suffix.indices where w[offset + i] != suffix[i] { return false }
        return true
    }

    private static func bytes(_ text: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    }

    /// Replaces `suffix` by `replacement` when the word ends with it and at least `keep`
    /// letters remain before the suffix. Returns whether it did.
    @discardableResult
    private static func replace(_ w: inout [UInt8], _ suffix: StaticString, _ replacement: StaticString = "", keep: Int = 3) -> Bool {
        guard ends(w, suffix), w.count - suffix.utf8CodeUnitCount >= keep else { return false }
        w.removeLast(suffix.utf8CodeUnitCount)
        w.append(contentsOf: bytes(replacement))
        return true
    }

    private static func dropFinalVowel(_ w: inout [UInt8], vowels: StaticString = "aeo") {
        if let last = w.last, bytes(vowels).contains(last), w.count > 4 { w.removeLast() }
    }

    /// Plural (-es, -s), then the gender vowel: cursos/curso → curs, lenguajes/lenguaje → lenguaj.
    static func spanish(_ w: inout [UInt8]) {
        if !replace(&w, "es") { replace(&w, "s") }
        dropFinalVowel(&w)
    }

    /// Plural, gender vowel, then -qu/-gu back to -c/-g (matemàtiques/matemàtica → matematic).
    static func catalan(_ w: inout [UInt8]) {
        if !replace(&w, "es") { replace(&w, "s") }
        dropFinalVowel(&w)
        if !replace(&w, "qu", "c") { replace(&w, "gu", "g") }
    }

    /// The final vowel carries number and gender: -chi/-che → -c, -ghi/-ghe → -g, -io/-ii/-ia/-ie
    /// lose both letters (laboratorio/laboratori → laborator), otherwise the last vowel goes.
    static func italian(_ w: inout [UInt8]) {
        for (suffix, replacement): (StaticString, StaticString) in [("che", "c"), ("chi", "c"), ("ghe", "g"), ("ghi", "g")]
        where replace(&w, suffix, replacement) { return }
        for suffix: StaticString in ["io", "ii", "ia", "ie"] where replace(&w, suffix) { return }
        dropFinalVowel(&w, vowels: "aeio")
    }

    /// Plural (-aux → -al, -eaux → -eau, -s, -x), then a final -e (apprentissages → apprentissag).
    static func french(_ w: inout [UInt8]) {
        if replace(&w, "eaux", "eau") || replace(&w, "aux", "al") {
            return
        }
        if !replace(&w, "s") { replace(&w, "x") }
        replace(&w, "e", keep: 4)
    }

    /// Savoy's German minimal stemmer: the longest of -ern, -em, -en, -er, -es, -e, -n, -s.
    static func german(_ w: inout [UInt8]) {
        for suffix: StaticString in ["ern", "em", "en", "er", "es"] where replace(&w, suffix, keep: 4) { return }
        for suffix: StaticString in ["e", "n", "s"] where replace(&w, suffix, keep: 4) { return }
    }

    /// Plural forms (-oes/-aes → -ao, -ais → -al, -eis → -el, -ois → -ol, -ns → -m, -res/-zes,
    /// -s), then the gender vowel (educações/educação → educaca).
    static func portuguese(_ w: inout [UInt8]) {
        let plurals: [(StaticString, StaticString)] = [("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("eis", "el"), ("ois", "ol"),
                       ("ns", "m"), ("res", "r"), ("zes", "z"), ("ses", "s"), ("s", "")]
        for (suffix, replacement) in plurals where replace(&w, suffix, replacement) { break }
        dropFinalVowel(&w)
    }
}
