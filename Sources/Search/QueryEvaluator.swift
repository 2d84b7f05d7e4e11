/// Postings fetched for a query, by term then document id.
public struct FetchedPostings: Sendable {
    public private(set) var byTerm: [String: [String: TermOccurrence]] = [:]
    public private(set) var documents: [String: DocumentInfo] = [:]

    public init() {}

    /// Adds postings; those of documents `accept` refuses are ignored.
    public mutating func add(_ postings: [Posting], accept: (String) -> Bool = { _ in true }) {
        for posting in postings where accept(posting.document.id) {
            byTerm[posting.term, default: [:]][posting.document.id] = posting.occurrence
            documents[posting.document.id] = posting.document
        }
    }
}

/// A scored document.
public struct RankedDocument: Hashable, Sendable {
    public var document: DocumentInfo
    public var score: Double
}

/// The pure part of a query: which documents match a unit or clause, and their BM25F scores.
/// Thread-safe (values only).
public enum QueryEvaluator {
    /// The occurrences of `unit`'s words in document `id` (language `language`), or nil when a
    /// word is missing or, for a phrase, the words are not in order in one field.
    static func occurrences(of unit: QueryUnit, in id: String, language: Language,
                            fetched: FetchedPostings) -> [(term: String, occurrence: TermOccurrence)]? {
        var found: [(term: String, occurrence: TermOccurrence)] = []
        for word in unit.words {
            guard let term = word.terms[language], let occurrence = fetched.byTerm[term]?[id] else { return nil }
            found.append((term, occurrence))
        }
        guard unit.isPhrase else { return found }
        for field in Field.allCases.map(\.rawValue) {
            let sets = found.map { Set($0.occurrence.positions[field]) }
            for start in found[0].occurrence.positions[field] {
                if unit.offsets.indices.allSatisfy({ sets[$0].contains(start + unit.offsets[$0]) }) { return found }
            }
        }
        return nil
    }

    /// Documents among `ids` that match `clause` (any of its units).
    static func matching(_ clause: [QueryUnit], ids: some Sequence<String>, fetched: FetchedPostings) -> Set<String> {
        var out = Set<String>()
        for id in ids {
            guard let doc = fetched.documents[id] else { continue }
            if clause.contains(where: { occurrences(of: $0, in: id, language: doc.analysisLanguage, fetched: fetched) != nil }) {
                out.insert(id)
            }
        }
        return out
    }

    /// Scores `ids` for `query`: Σ over clauses, over matching units, over words, of the word's
    /// BM25F term score with its global document frequency. Ordered by score descending, then
    /// document id ascending, so every evaluator over the same postings gives the same order.
    public static func rank(_ ids: Set<String>, query: ParsedQuery, fetched: FetchedPostings,
                            documentFrequencies: [String: Int], statistics: CollectionStatistics,
                            parameters: BM25FParameters = .standard) -> [RankedDocument] {
        var ranked: [RankedDocument] = []
        ranked.reserveCapacity(ids.count)
        // In set order: the sort below is total (ids are unique), so the order read here never shows.
        for id in ids {
            guard let doc = fetched.documents[id] else { continue }
            var score = 0.0
            for clause in query.clauses {
                for unit in clause {
                    guard let found = occurrences(of: unit, in: id, language: doc.analysisLanguage, fetched: fetched) else { continue }
                    for (term, occurrence) in found {
                        score += BM25F.termScore(tf: occurrence.tf, lengths: doc.fieldLengths,
                                                 documentFrequency: documentFrequencies[term] ?? 0,
                                                 statistics: statistics, parameters: parameters)
                    }
                }
            }
            ranked.append(RankedDocument(document: doc, score: score))
        }
        return ranked.sorted { $0.score != $1.score ? $0.score > $1.score : $0.document.id < $1.document.id }
    }
}
