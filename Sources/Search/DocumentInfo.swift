import MeshCore
import Synchronization

/// Everything about one course that ranking and a result need, carried once per document in a
/// posting batch. Compact wire keys.
///
/// A value type with copy-on-write storage: a query copies each document into several
/// postings, dictionaries and results, and a copy is one reference count instead of one per
/// string and array field. Mutation copies the storage first when it is shared, so values never
/// affect each other.
public struct DocumentInfo: Codable, Hashable, Sendable {
    /// Stable id: `DocumentInfo.makeID(siteURL:courseID:)`.
    public var id: String {
        get { storage.fields.id }
        set { unique().fields.id = newValue }
    }
    /// Indexed length (non-stop-word count) per `Field`, in `Field` order.
    public var fieldLengths: [Int] {
        get { storage.fields.fieldLengths }
        set { unique().fields.fieldLengths = newValue }
    }
    public var title: String {
        get { storage.fields.title }
        set { unique().fields.title = newValue }
    }
    public var url: String {
        get { storage.fields.url }
        set { unique().fields.url = newValue }
    }
    public var siteName: String {
        get { storage.fields.siteName }
        set { unique().fields.siteName = newValue }
    }
    public var siteURL: String {
        get { storage.fields.siteURL }
        set { unique().fields.siteURL = newValue }
    }
    public var country: String {
        get { storage.fields.country }
        set { unique().fields.country = newValue }
    }
    /// Language code of the course (course language, else site default).
    public var language: String {
        get { storage.fields.language }
        set {
            let s = unique()
            s.fields.language = newValue
            s.analysisLanguage = Language(code: newValue)
        }
    }
    public var category: [String] {
        get { storage.fields.category }
        set { unique().fields.category = newValue }
    }
    public var tags: [String] {
        get { storage.fields.tags }
        set { unique().fields.tags = newValue }
    }
    public var openEnrolment: Bool {
        get { storage.fields.openEnrolment }
        set { unique().fields.openEnrolment = newValue }
    }
    public var startDate: Int64? {
        get { storage.fields.startDate }
        set { unique().fields.startDate = newValue }
    }
    public var timeModified: Int64 {
        get { storage.fields.timeModified }
        set { unique().fields.timeModified = newValue }
    }
    /// The first `Limits.snippetSourceCharacters` characters of the summary, cut at a word end.
    public var snippetSource: String {
        get { storage.fields.snippetSource }
        set { unique().fields.snippetSource = newValue }
    }

    /// The analysis language of this document (worked out once, when the language is set).
    public var analysisLanguage: Language { storage.analysisLanguage }

    /// Memberwise initializer.
    public init(id: String, fieldLengths: [Int], title: String, url: String, siteName: String, siteURL: String,
                country: String, language: String, category: [String], tags: [String], openEnrolment: Bool,
                startDate: Int64?, timeModified: Int64, snippetSource: String) {
        storage = Storage(Fields(id: id, fieldLengths: fieldLengths, title: title, url: url, siteName: siteName,
                                 siteURL: siteURL, country: country, language: language, category: category, tags: tags,
                                 openEnrolment: openEnrolment, startDate: startDate, timeModified: timeModified,
                                 snippetSource: snippetSource))
    }

    public init(from decoder: any Decoder) throws {
        storage = Storage(try Fields(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try storage.fields.encode(to: encoder)
    }

    public static func == (a: DocumentInfo, b: DocumentInfo) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.fields)
    }

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

    private var storage: Storage

    /// The storage, copied first when another value shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The fields. Only ever mutated through `unique()`, that is while one value alone holds it,
    /// so sharing it between threads is safe.
    private final class Storage: @unchecked Sendable {
        var fields: Fields
        var analysisLanguage: Language

        init(_ fields: Fields) {
            self.fields = fields
            analysisLanguage = Language(code: fields.language)
        }

        func copy() -> Storage { Storage(fields) }
    }

    /// Every stored field (the derived analysis language aside): equality, hashing and the
    /// Codable form with its compact keys.
    private struct Fields: Codable, Hashable {
        var id: String
        var fieldLengths: [Int]
        var title: String
        var url: String
        var siteName: String
        var siteURL: String
        var country: String
        var language: String
        var category: [String]
        var tags: [String]
        var openEnrolment: Bool
        var startDate: Int64?
        var timeModified: Int64
        var snippetSource: String

        enum CodingKeys: String, CodingKey {
            case id, fieldLengths = "fl", title = "t", url = "u", siteName = "sn", siteURL = "su",
                 country = "c", language = "l", category = "cat", tags = "tg", openEnrolment = "o",
                 startDate = "sd", timeModified = "tm", snippetSource = "s"
        }
    }
}
