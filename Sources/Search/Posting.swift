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

/// Everything about one course that ranking and a result need, carried once per document in a
/// posting batch. Compact wire keys.
public struct DocumentInfo: Codable, Hashable, Sendable {
    /// Stable id: `DocumentInfo.makeID(siteURL:courseID:)`.
    public var id: String
    /// Indexed length (non-stop-word count) per `Field`, in `Field` order.
    public var fieldLengths: [Int]
    public var title: String
    public var url: String
    public var siteName: String
    public var siteURL: String
    public var country: String
    /// Language code of the course (course language, else site default).
    public var language: String
    public var category: [String]
    public var tags: [String]
    public var openEnrolment: Bool
    public var startDate: Int64?
    public var timeModified: Int64
    /// The first `Limits.snippetSourceCharacters` characters of the summary, cut at a word end.
    public var snippetSource: String

    enum CodingKeys: String, CodingKey {
        case id, fieldLengths = "fl", title = "t", url = "u", siteName = "sn", siteURL = "su",
             country = "c", language = "l", category = "cat", tags = "tg", openEnrolment = "o",
             startDate = "sd", timeModified = "tm", snippetSource = "s"
    }

    /// Memberwise initializer.
    public init(id: String, fieldLengths: [Int], title: String, url: String, siteName: String, siteURL: String,
                country: String, language: String, category: [String], tags: [String], openEnrolment: Bool,
                startDate: Int64?, timeModified: Int64, snippetSource: String) {
        self.id = id
        self.fieldLengths = fieldLengths
        self.title = title
        self.url = url
        self.siteName = siteName
        self.siteURL = siteURL
        self.country = country
        self.language = language
        self.category = category
        self.tags = tags
        self.openEnrolment = openEnrolment
        self.startDate = startDate
        self.timeModified = timeModified
        self.snippetSource = snippetSource
    }

    /// The analysis language of this document.
    public var analysisLanguage: Language { Language(code: language) }

    /// `<first 16 hex digits of SHA-256 of the site URL without trailing slash>-<course id>`:
    /// the same course on the same site always gets the same id, on every node.
    public static func makeID(siteURL: String, courseID: Int64) -> String {
        sitePrefix(siteURL) + "-" + String(courseID)
    }

    /// The first 16 hex digits of SHA-256 of the normalized site URL, remembered for the last
    /// few sites (a node ids thousands of courses of one site; hashing each time showed up in
    /// profiles of a publish).
    private static func sitePrefix(_ siteURL: String) -> String {
        if let known = sitePrefixes.withLock({ $0[siteURL] }) { return known }
        var site = siteURL.lowercased()
        while site.hasSuffix("/") { site.removeLast() }
        let prefix = String(SHA256.digest(site).hexString.prefix(16))
        sitePrefixes.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[siteURL] = prefix
        }
        return prefix
    }
    private static let sitePrefixes = Mutex<[String: String]>([:])
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
