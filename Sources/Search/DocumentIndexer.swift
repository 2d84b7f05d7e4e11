import MeshCore

/// Named limits of the search layer, with their defaults.
public enum Limits {
    /// Characters of summary kept in every posting for snippets (default 300).
    public static let snippetSourceCharacters = 300
    /// Most words (positive, excluded, phrase words) a query may hold (default 8).
    public static let maxQueryTerms = 8
    /// Longest query accepted, in characters (default 256).
    public static let maxQueryCharacters = 256
    /// Largest page size a search may ask for (default 50); the default page size is 10.
    public static let maxPageSize = 50
    /// Positions between two values of one field (two tags, two activity names), so a phrase
    /// never matches across values.
    static let valueGap = 100
}

/// Turns a `CourseDocument` into postings: per-term frequencies and positions per field,
/// field lengths, and the document info results show. Pure and thread-safe.
public enum DocumentIndexer {
    /// The postings of `document` on `site`, one per distinct term, sorted by term.
    public static func postings(for document: CourseDocument, site: SiteInfo) -> [Posting] {
        let languageCode = document.language.isEmpty ? site.language : document.language
        let language = Language(code: languageCode)
        let texts: [Field: [String]] = [
            .title: [document.fullName, document.shortName],
            .tags: document.tags,
            .category: document.categoryPath,
            .summary: [document.summary],
            .activities: document.modules.map(\.name),
        ]
        var lengths = Array(repeating: 0, count: Field.allCases.count)
        var occurrences: [String: TermOccurrence] = [:]
        for field in Field.allCases {
            var offset = 0
            for value in texts[field] ?? [] {
                let terms = Analyzer.analyze(value, language: language)
                var last = -1
                for term in terms {
                    var occurrence = occurrences[term.term]
                        ?? TermOccurrence(tf: Array(repeating: 0, count: Field.allCases.count),
                                          positions: Array(repeating: [], count: Field.allCases.count))
                    occurrence.tf[field.rawValue] += 1
                    occurrence.positions[field.rawValue].append(offset + term.position)
                    occurrences[term.term] = occurrence
                    if !term.isCompoundPart { lengths[field.rawValue] += 1 }
                    last = max(last, term.position)
                }
                offset += last + 1 + Limits.valueGap
            }
        }
        let info = DocumentInfo(
            id: DocumentInfo.makeID(siteURL: site.url, courseID: document.courseID),
            fieldLengths: lengths, title: document.fullName, url: document.url,
            siteName: site.name, siteURL: site.url, country: site.country, language: languageCode,
            category: document.categoryPath, tags: document.tags,
            openEnrolment: document.openEnrolment, startDate: document.startDate,
            timeModified: document.timeModified, snippetSource: snippetSource(document.summary))
        return occurrences.keys.sorted().map { Posting(term: $0, document: info, occurrence: occurrences[$0]!) }
    }

    /// The first `Limits.snippetSourceCharacters` characters of `summary`, cut back to the end
    /// of a word, with "…" when cut.
    public static func snippetSource(_ summary: String) -> String {
        guard summary.count > Limits.snippetSourceCharacters else { return summary }
        var cut = String(summary.prefix(Limits.snippetSourceCharacters))
        if let space = cut.lastIndex(where: \.isWhitespace), cut.distance(from: cut.startIndex, to: space) > Limits.snippetSourceCharacters / 2 {
            cut = String(cut[..<space])
        }
        return cut + "…"
    }
}
