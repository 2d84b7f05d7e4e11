import Testing
@testable import Search

@Suite struct EnglishStemmerTests {
    @Test func stemsEveryWordOfThePublishedVocabularySampleAsSnowballDoes() throws {
        let text = try FixtureFiles.gunzip("stemmer/english-voc-output.tsv.gz")
        let pairs = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(pairs.count >= 1800)
        var wrong: [String] = []
        for pair in pairs where pair.count == 2 {
            let got = EnglishStemmer.stem(pair[0])
            if got != pair[1] { wrong.append("\(pair[0]) → \(got), expected \(pair[1])") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) mismatches: \(wrong.prefix(20).joined(separator: "; "))")
    }

    @Test(arguments: [
        ("consign", "consign"), ("consigned", "consign"), ("consigning", "consign"),
        ("consignment", "consign"), ("generously", "generous"), ("communism", "communism"),
        ("knightly", "knight"), ("skies", "sky"), ("dying", "die"), ("hopping", "hop"),
        ("hoped", "hope"), ("cries", "cri"), ("ties", "tie"), ("gas", "gas"), ("gaps", "gap"),
        ("kiwis", "kiwi"), ("chemistry", "chemistri"), ("chemical", "chemic"),
        ("learning", "learn"), ("programming", "program"), ("succeeding", "succeed"),
        ("students'", "student"), ("student's", "student"),
    ])
    func stemsKnownWords(word: String, stem: String) {
        #expect(EnglishStemmer.stem(word) == stem)
    }
}
