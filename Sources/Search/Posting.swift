import MeshCore
import Synchronization

/// The fields of a course document that are indexed, in wire order (arrays indexed by field
/// use this order).
public enum Field: Int, CaseIterable, Codable, Sendable {
    /// `full_name` and `short_name`.
    case title = 0
    case tags = 1
    /// Every element of the category path.
    case category = 2
    case summary = 3
    /// Names of the visible activities and resources.
    case activities = 4
}

/// Where a course lives: the site facts a result shows and filters match.
public struct SiteInfo: Codable, Hashable, Sendable {
    public var url: String
    public var name: String
    /// ISO 3166-1 alpha-2, upper case; "" when unknown.
    public var country: String
    /// The site's default language code, used when a course has none.
    public var language: String

    public init(url: String, name: String, country: String, language: String) {
        self.url = url
        self.name = name
        self.country = country
        self.language = language
    }
}

/// One term's occurrence in one document: frequency and positions per field.
public struct TermOccurrence: Codable, Hashable, Sendable {
    /// Term frequency per `Field`, in `Field` order.
    public var tf: [Int]
    /// Word positions per `Field` (for phrase checks), in `Field` order.
    public var positions: [[Int]]

    enum CodingKeys: String, CodingKey { case tf = "f", positions = "p" }

    public init(tf: [Int], positions: [[Int]]) {
        self.tf = tf
        self.positions = positions
    }
}

/// A term's posting for one document: what the term's owner stores and returns.
public struct Posting: Codable, Hashable, Sendable {
    public var term: String
    public var document: DocumentInfo
    public var occurrence: TermOccurrence

    public init(term: String, document: DocumentInfo, occurrence: TermOccurrence) {
        self.term = term
        self.document = document
        self.occurrence = occurrence
    }
}

/// Postings grouped per term, with each document's info sent once: the compact wire shape of
/// a publish request or a query answer. `version` is 1; fields are only ever appended.
public struct PostingBatch: Codable, Hashable, Sendable {
    public struct Entry: Codable, Hashable, Sendable {
        /// Index into `documents`.
        public var doc: Int
        public var occurrence: TermOccurrence
        enum CodingKeys: String, CodingKey { case doc = "d", occurrence = "o" }
    }

    public var version: Int
    public var documents: [DocumentInfo]
    /// Term → its entries, documents in `documents` order.
    public var terms: [String: [Entry]]

    enum CodingKeys: String, CodingKey { case version = "v", documents = "docs", terms }

    /// Groups `postings` per term; each distinct document id appears once in `documents`.
    public init(postings: [Posting]) {
        version = 1
        var index: [String: Int] = [:]
        documents = []
        terms = [:]
        for posting in postings {
            let i: Int
            if let known = index[posting.document.id] {
                i = known
            } else {
                i = documents.count
                index[posting.document.id] = i
                documents.append(posting.document)
            }
            terms[posting.term, default: []].append(Entry(doc: i, occurrence: posting.occurrence))
        }
    }

    /// The postings back, terms in sorted order. Entries pointing outside `documents` are skipped.
    public var postings: [Posting] {
        terms.keys.sorted().flatMap { term in
            terms[term]!.compactMap { entry in
                documents.indices.contains(entry.doc)
                    ? Posting(term: term, document: documents[entry.doc], occurrence: entry.occurrence) : nil
            }
        }
    }
}
