import MeshCore

/// Errors of the search layer; every one is a client error (400) with a message that says
/// what to change.
public struct SearchError: ServiceError, Equatable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String

    public var description: String { "\(code): \(message)" }

    static func tooLong(_ count: Int) -> SearchError {
        SearchError(status: 400, code: "query_too_long",
                    message: "The query has \(count) characters; at most \(Limits.maxQueryCharacters) are allowed. Shorten it.")
    }
    static func tooManyTerms(_ count: Int) -> SearchError {
        SearchError(status: 400, code: "too_many_terms",
                    message: "The query has \(count) words; at most \(Limits.maxQueryTerms) are allowed. Remove some words.")
    }
    static let empty = SearchError(status: 400, code: "empty_query",
                                   message: "The query has no word to search for (only stop words, filters or exclusions). Add a word.")
    static func badFilter(_ name: String, _ value: String) -> SearchError {
        SearchError(status: 400, code: "bad_filter",
                    message: "The filter \(name):\(value) is not understood; use lang:, site:, country:, category: or open:yes with a value.")
    }
    static func badPage(_ detail: String) -> SearchError {
        SearchError(status: 400, code: "bad_page", message: detail)
    }
}

/// One query word, analyzed once per language: documents in language L are matched on
/// `terms[L]`, so every document is matched as if the query had been written in its own
/// language (a query needs no language). A word that is a stop word in any supported
/// language is dropped from the query (its position still counts for phrases).
public struct QueryWord: Hashable, Sendable {
    /// The word as folded from the query (`programación` → `programacion`).
    public var text: String
    public var terms: [Language: String]

    public init(_ folded: String) {
        text = folded
        var terms: [Language: String] = [:]
        let parts = folded.split(separator: "-").map(String.init)
        for language in Language.all {
            guard let term = Analyzer.normalize(parts.count > 1 ? parts.joined() : folded, language: language) else {
                terms = [:]
                break
            }
            terms[language] = term
        }
        self.terms = terms
    }

    /// The distinct terms to fetch for this word.
    public var distinctTerms: [String] { Array(Set(terms.values)).sorted() }
}

/// A word or a quoted phrase; a phrase's words must appear in order in one field.
public struct QueryUnit: Hashable, Sendable {
    /// The words with their offsets from the first (stop words count, as in the text).
    public var words: [QueryWord]
    public var offsets: [Int]
    public var isPhrase: Bool { words.count > 1 }
}

/// Filters on document facts. Values are folded; several values of one filter are ORed.
public struct QueryFilters: Hashable, Sendable {
    public var languages: [String] = []
    public var sites: [String] = []
    public var countries: [String] = []
    public var categories: [String] = []
    public var openOnly = false

    /// True when `document` passes every filter.
    public func accepts(_ document: DocumentInfo) -> Bool {
        if !languages.isEmpty {
            let code = TextFolding.fold(document.language)
            if !languages.contains(where: { code == $0 || code.hasPrefix($0 + "_") || code.hasPrefix($0 + "-") }) { return false }
        }
        if !countries.isEmpty, !countries.contains(TextFolding.fold(document.country)) { return false }
        if !sites.isEmpty {
            let url = TextFolding.fold(document.siteURL), name = TextFolding.fold(document.siteName)
            if !sites.contains(where: { url.contains($0) || name.contains($0) }) { return false }
        }
        if !categories.isEmpty {
            let path = document.category.map(TextFolding.fold)
            if !categories.contains(where: { value in path.contains { $0.contains(value) } }) { return false }
        }
        if openOnly, !document.openEnrolment { return false }
        return true
    }
}

/// A parsed query: every clause must match (AND); a clause matches when any of its units
/// does (`a OR b`); a document matching any excluded unit is dropped.
public struct ParsedQuery: Hashable, Sendable {
    public var clauses: [[QueryUnit]]
    public var excluded: [QueryUnit]
    public var filters: QueryFilters

    /// Every distinct term any clause or exclusion may fetch.
    public var allTerms: [String] {
        Array(Set((clauses.flatMap { $0 } + excluded).flatMap { $0.words.flatMap(\.distinctTerms) })).sorted()
    }
}

/// The query language: words, "quoted phrases", `-exclusion` (word or phrase), `OR` between
/// two units, and filters `lang:`, `site:`, `country:`, `category:`, `open:yes`. Anything else
/// (SQL, markup) is just text. Pure and thread-safe.
public enum QueryParser {
    /// Parses `query`, or throws `SearchError` (over `Limits.maxQueryCharacters` characters,
    /// over `Limits.maxQueryTerms` words, no positive word, a malformed filter).
    public static func parse(_ query: String) throws(SearchError) -> ParsedQuery {
        guard query.count <= Limits.maxQueryCharacters else { throw .tooLong(query.count) }
        var clauses: [[QueryUnit]] = []
        var excluded: [QueryUnit] = []
        var filters = QueryFilters()
        var pendingOr = false
        var wordCount = 0
        for chunk in chunks(query) {
            var text = chunk.text
            var negative = false
            if !chunk.quoted {
                if text == "OR" { pendingOr = !clauses.isEmpty; continue }
                if let colon = text.firstIndex(of: ":"), text.first != "-" {
                    let name = text[..<colon].lowercased()
                    let value = TextFolding.fold(String(text[text.index(after: colon)...]))
                    if ["lang", "site", "country", "category", "open"].contains(name) {
                        guard !value.isEmpty else { throw .badFilter(name, value) }
                        switch name {
                        case "lang": filters.languages.append(value)
                        case "site": filters.sites.append(value)
                        case "country": filters.countries.append(value)
                        case "category": filters.categories.append(value)
                        default:
                            guard ["yes", "true", "1"].contains(value) else { throw .badFilter(name, value) }
                            filters.openOnly = true
                        }
                        continue
                    }
                }
                if text.hasPrefix("-"), text.count > 1 { negative = true; text.removeFirst() }
            } else if chunk.negative {
                negative = true
            }
            let tokens = Tokenizer.tokenize(text)
            let words = tokens.map { QueryWord($0.text) }
            let kept = zip(words, tokens).filter { !$0.0.terms.values.isEmpty }
            guard let first = kept.first else { pendingOr = false; continue }
            wordCount += kept.count
            let unit = QueryUnit(words: kept.map(\.0), offsets: kept.map { $0.1.position - first.1.position })
            if negative {
                excluded.append(unit)
            } else if pendingOr, !clauses.isEmpty {
                clauses[clauses.count - 1].append(unit)
            } else {
                clauses.append([unit])
            }
            pendingOr = false
        }
        guard wordCount <= Limits.maxQueryTerms else { throw .tooManyTerms(wordCount) }
        guard !clauses.isEmpty else { throw .empty }
        return ParsedQuery(clauses: clauses, excluded: excluded, filters: filters)
    }

    private struct Chunk { var text: String; var quoted: Bool; var negative: Bool }

    /// Splits on white space, keeping "quoted phrases" (optionally `-"…"`) together.
    private static func chunks(_ query: String) -> [Chunk] {
        var out: [Chunk] = []
        var current = ""
        var inQuote = false
        var negativeQuote = false
        for c in query {
            if c == "\"" {
                if inQuote {
                    out.append(Chunk(text: current, quoted: true, negative: negativeQuote))
                    current = ""
                    inQuote = false
                } else {
                    negativeQuote = current == "-"
                    if !current.isEmpty, !negativeQuote { out.append(Chunk(text: current, quoted: false, negative: false)) }
                    current = ""
                    inQuote = true
                }
            } else if c.isWhitespace, !inQuote {
                if !current.isEmpty { out.append(Chunk(text: current, quoted: false, negative: false)) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(Chunk(text: current, quoted: inQuote, negative: inQuote && negativeQuote)) }
        return out
    }
}
