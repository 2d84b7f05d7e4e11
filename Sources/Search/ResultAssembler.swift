/// A marked span of a snippet, in UTF-16 code units (what JavaScript and JSON clients index by).
public struct HighlightRange: Codable, Hashable, Sendable {
    public var start: Int
    public var length: Int
}

/// One result as the API returns it.
public struct SearchHit: Codable, Hashable, Sendable {
    public var id: String
    public var score: Double
    public var title: String
    public var url: String
    public var siteName: String
    public var siteURL: String
    public var country: String
    public var language: String
    public var category: [String]
    public var tags: [String]
    public var openEnrolment: Bool
    public var startDate: Int64?
    /// Unix seconds of the course's latest change (feeds order by it).
    public var timeModified: Int64
    /// Plain snippet text.
    public var snippet: String
    /// The query's words in `snippet`.
    public var highlights: [HighlightRange]
    /// `snippet` HTML-escaped, the highlights wrapped in `<mark>`.
    public var snippetHTML: String

    enum CodingKeys: String, CodingKey {
        case id, score, title, url, country, language, category, tags, snippet, highlights
        case siteName = "site_name", siteURL = "site_url", openEnrolment = "open_enrolment",
             startDate = "start_date", timeModified = "time_modified", snippetHTML = "snippet_html"
    }
}

/// A facet value and how many matching documents have it.
public struct FacetCount: Codable, Hashable, Sendable {
    public var value: String
    public var count: Int
}

/// A page of results with facets over all matches.
public struct SearchResponse: Codable, Hashable, Sendable {
    public var query: String
    /// Number of matching documents.
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public var hits: [SearchHit]
    /// `language`, `country`, `site`, `category` (top of the category path) → counts,
    /// most frequent first, ties by value.
    public var facets: [String: [FacetCount]]
    /// True when some terms could not be fetched; `missingTerms` names them. Always false for
    /// a local index.
    public var partial: Bool
    public var missingTerms: [String]

    enum CodingKeys: String, CodingKey {
        case query, total, page, hits, facets, partial
        case pageSize = "page_size", missingTerms = "missing_terms"
    }
}

/// Pure result assembly: pagination, facets, snippets and highlights. Thread-safe.
public enum ResultAssembler {
    public static func response(for request: SearchRequest, query: ParsedQuery, ranked: [RankedDocument]) -> SearchResponse {
        let start = (request.page - 1) * request.pageSize
        let page = start < ranked.count ? Array(ranked[start..<min(ranked.count, start + request.pageSize)]) : []
        var answers: [Language: [String: Bool]] = [:]
        let hits = page.map { hit($0, query: query, answers: &answers[$0.document.analysisLanguage, default: [:]]) }
        return SearchResponse(query: request.query, total: ranked.count, page: request.page, pageSize: request.pageSize,
                              hits: hits, facets: facets(ranked.map(\.document)), partial: false, missingTerms: [])
    }

    /// Counts per facet over `documents`.
    public static func facets(_ documents: [DocumentInfo]) -> [String: [FacetCount]] {
        func count(_ values: [String]) -> [FacetCount] {
            var counts: [String: Int] = [:]
            for value in values where !value.isEmpty { counts[value, default: 0] += 1 }
            return counts.map { FacetCount(value: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        }
        return [
            "language": count(documents.map(\.language)),
            "country": count(documents.map(\.country)),
            "site": count(documents.map(\.siteName)),
            "category": count(documents.map { $0.category.first ?? "" }),
        ]
    }

    /// One hit; `answers` is `Analyzer.ranges`'s memory for the document's language.
    static func hit(_ ranked: RankedDocument, query: ParsedQuery, answers: inout [String: Bool]) -> SearchHit {
        let doc = ranked.document
        let language = doc.analysisLanguage
        let wanted = Set(query.clauses.flatMap { $0 }.flatMap(\.words).compactMap { $0.terms[language] })
        let (ranges, html) = highlight(doc.snippetSource, language: language, terms: wanted, answers: &answers)
        return SearchHit(id: doc.id, score: ranked.score, title: doc.title, url: doc.url, siteName: doc.siteName,
                         siteURL: doc.siteURL, country: doc.country, language: doc.language, category: doc.category,
                         tags: doc.tags, openEnrolment: doc.openEnrolment, startDate: doc.startDate,
                         timeModified: doc.timeModified, snippet: doc.snippetSource, highlights: ranges, snippetHTML: html)
    }

    /// The words of `text` whose term (in `language`) is in `terms`: their UTF-16 ranges, and
    /// the HTML-escaped text with each wrapped in `<mark>`.
    public static func highlight(_ text: String, language: Language, terms: Set<String>) -> ([HighlightRange], String) {
        var answers: [String: Bool] = [:]
        return highlight(text, language: language, terms: terms, answers: &answers)
    }

    /// `highlight` with `Analyzer.ranges`'s memory for `language` and `terms`.
    static func highlight(_ text: String, language: Language, terms: Set<String>,
                          answers: inout [String: Bool]) -> ([HighlightRange], String) {
        let marked = Analyzer.ranges(in: text, language: language, matching: terms, answers: &answers)
        var html = ""
        var cursor = text.startIndex
        var ranges: [HighlightRange] = []
        for range in marked where range.lowerBound >= cursor {
            html += escape(text[cursor..<range.lowerBound]) + "<mark>" + escape(text[range]) + "</mark>"
            ranges.append(HighlightRange(start: text.utf16.distance(from: text.startIndex, to: range.lowerBound),
                                         length: text.utf16.distance(from: range.lowerBound, to: range.upperBound)))
            cursor = range.upperBound
        }
        html += escape(text[cursor...])
        return (ranges, html)
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes. Works on UTF-8 bytes
    /// (the five are ASCII, and a multi-byte character never contains an ASCII byte).
    public static func escape(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return String(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
