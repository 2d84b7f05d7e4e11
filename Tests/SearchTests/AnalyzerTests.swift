import Testing
@testable import Search

@Suite struct AnalyzerTests {
    func terms(_ text: String, _ language: Language, expand: Bool = true) -> [String] {
        Analyzer.analyze(text, language: language, expandCompounds: expand).map(\.term)
    }

    @Test func foldingRemovesCaseDiacriticsAndCompatibilityForms() {
        #expect(TextFolding.fold("Programación") == "programacion")
        #expect(TextFolding.fold("ＰＲＯＧＲＡＭＡＣＩÓＮ") == "programacion")
        #expect(TextFolding.fold("Straße") == "strasse")
        #expect(TextFolding.fold("ﬁsica") == "fisica")
    }

    @Test func accentedAndPlainSpellingsGiveTheSameTerm() {
        #expect(terms("programación", .es) == terms("programacion", .es))
        #expect(terms("Università", .it) == terms("universita", .it))
        #expect(terms("matemàtiques", .ca) == terms("matematiques", .ca))
    }

    @Test func keepsProgrammingLanguageNamesAndMixedTokens() {
        #expect(terms("C++ and C# in 3D", .en) == ["c++", "c#", "3d"])
        #expect(terms("course 18.01 on calculus", .en) == ["cours", "18.01", "calculus"])
    }

    @Test func hyphenatedCompoundsIndexJoinedFormAndParts() {
        #expect(terms("e-learning", .en) == ["elearn", "learn"])
        #expect(terms("e-learning", .en, expand: false) == ["elearn"])
        #expect(terms("elearning", .en) == ["elearn"])
    }

    @Test func elisionDropsArticlesInItalianFrenchAndCatalan() {
        #expect(terms("l'apprendimento", .it) == terms("apprendimento", .it))
        #expect(terms("l’informatique", .fr) == terms("informatique", .fr))
        #expect(terms("l'educació", .ca) == terms("educacio", .ca))
        #expect(terms("the student's books", .en) == ["student", "book"])
    }

    @Test func stopWordsAreDroppedButKeepTheirPosition() {
        let analyzed = Analyzer.analyze("history of the art", language: .en)
        #expect(analyzed.map(\.term) == ["histori", "art"])
        #expect(analyzed.map(\.position) == [0, 3])
        #expect(terms("la storia della chimica", .it) == ["stor", "chimic"])
        #expect(terms("die Geschichte der Kunst", .de) == ["geschicht", "kunst"])
    }

    @Test(arguments: [
        (Language.es, "cursos", "curso"), (.es, "lenguajes", "lenguaje"), (.es, "programaciones", "programación"),
        (.ca, "matemàtiques", "matemàtica"), (.ca, "llengües", "llengua"), (.ca, "professors", "professor"),
        (.it, "laboratori", "laboratorio"), (.it, "chimiche", "chimica"), (.it, "programmazioni", "programmazione"),
        (.fr, "apprentissages", "apprentissage"), (.fr, "journaux", "journal"), (.fr, "années", "année"),
        (.de, "Sprachen", "Sprache"), (.de, "Kindern", "Kinder"), (.de, "Universitäten", "Universität"),
        (.pt, "educações", "educação"), (.pt, "professores", "professor"), (.pt, "materiais", "material"),
        (.en, "chemistry", "chemistries"), (.en, "learning", "learned"),
    ])
    func inflectedFormsMeetOnOneStem(language: Language, a: String, b: String) {
        #expect(terms(a, language) == terms(b, language))
        #expect(!terms(a, language).isEmpty)
    }

    @Test func lightStemmersKeepDerivationsApart() {
        #expect(terms("programa", .es) != terms("programación", .es))
    }

    @Test func languageCodesMapToAnalyzers() {
        #expect(Language(code: "pt_br") == .pt)
        #expect(Language(code: "en-GB") == .en)
        #expect(Language(code: "ja") == .other)
        #expect(terms("Tokyo universities", .other) == ["tokyo", "universities"])
    }
}
