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
        get { storage.core.id }
        set { unique().core.id = newValue }
    }
    /// Indexed length (non-stop-word count) per `Field`, in `Field` order.
    public var fieldLengths: [Int] {
        get { storage.core.fieldLengths }
        set { unique().core.fieldLengths = newValue }
    }
    public var title: String {
        get { storage.shown.title }
        set { unique().updateShown { $0.title = newValue } }
    }
    public var url: String {
        get { storage.shown.url }
        set { unique().updateShown { $0.url = newValue } }
    }
    public var siteName: String {
        get { storage.core.siteName }
        set { unique().core.siteName = newValue }
    }
    public var siteURL: String {
        get { storage.core.siteURL }
        set { unique().core.siteURL = newValue }
    }
    public var country: String {
        get { storage.core.country }
        set { unique().core.country = newValue }
    }
    /// Language code of the course (course language, else site default).
    public var language: String {
        get { storage.core.language }
        set {
            unique().core.language = newValue
        }
    }
    public var category: [String] {
        get { storage.core.category }
        set { unique().core.category = newValue }
    }
    public var tags: [String] {
        get { storage.shown.tags }
        set { unique().updateShown { $0.tags = newValue } }
    }
    public var openEnrolment: Bool {
        get { storage.core.openEnrolment }
        set { unique().core.openEnrolment = newValue }
    }
    public var startDate: Int64? {
        get { storage.core.startDate }
        set { unique().core.startDate = newValue }
    }
    public var timeModified: Int64 {
        get { storage.core.timeModified }
        set { unique().core.timeModified = newValue }
    }
    /// The first `Limits.snippetSourceCharacters` characters of the summary, cut at a word end.
    public var snippetSource: String {
        get { storage.shown.snippetSource }
        set { unique().updateShown { $0.snippetSource = newValue } }
    }

    /// The analysis language of this document (worked out once, when the language is set).
    public var analysisLanguage: Language { storage.core.analysisLanguage }

    /// Memberwise initializer.
    public init(id: String, fieldLengths: [Int], title: String, url: String, siteName: String, siteURL: String,
                country: String, language: String, category: [String], tags: [String], openEnrolment: Bool,
                startDate: Int64?, timeModified: Int64, snippetSource: String) {
        storage = Storage(Fields(id: id, fieldLengths: fieldLengths, title: title, url: url, siteName: siteName,
                                 siteURL: siteURL, country: country, language: language, category: category, tags: tags,
                                 openEnrolment: openEnrolment, startDate: startDate, timeModified: timeModified,
                                 snippetSource: snippetSource))
    }

    /// A document whose title, URL, tags and snippet stay in `bytes` (the binary document at
    /// `offset`, BinaryCoding.swift) until one of them is first read: a query decodes the
    /// hundreds of documents of a list to rank them and shows ten.
    init(id: String, fieldLengths: [Int], siteName: String, siteURL: String, country: String, language: String,
         category: [String], openEnrolment: Bool, startDate: Int64?, timeModified: Int64,
         displayIn bytes: [UInt8], at offset: Int) {
        storage = Storage(core: Core(id: id, fieldLengths: fieldLengths, siteName: siteName, siteURL: siteURL,
                                     country: country, language: language, category: category,
                                     openEnrolment: openEnrolment, startDate: startDate, timeModified: timeModified),
                          shown: .encoded(bytes, offset))
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

    /// The fields. `core` is only ever mutated through `unique()`, that is while one value
    /// alone holds it, so sharing it between threads is safe; the shown fields are behind a lock,
    /// as their first read may decode them.
    private final class Storage: @unchecked Sendable {
        var core: Core
        private let shownState: Mutex<ShownState>

        init(core: Core, shown: ShownState) {
            self.core = core
            shownState = Mutex(shown)
        }

        convenience init(_ f: Fields) {
            self.init(core: Core(id: f.id, fieldLengths: f.fieldLengths, siteName: f.siteName, siteURL: f.siteURL,
                                 country: f.country, language: f.language, category: f.category,
                                 openEnrolment: f.openEnrolment, startDate: f.startDate, timeModified: f.timeModified),
                      shown: .decoded(Shown(title: f.title, url: f.url, tags: f.tags, snippetSource: f.snippetSource)))
        }

        /// Title, URL, tags and snippet, decoded on first use.
        var shown: Shown {
            shownState.withLock { state in
                switch state {
                case .decoded(let shown):
                    return shown
                case let .encoded(bytes, offset):
                    var r = BinaryReader(bytes, offset: offset, what: "document")
                    let doc = try? r.document(deferringDisplay: false)
                    let shown = Shown(title: doc?.title ?? "", url: doc?.url ?? "", tags: doc?.tags ?? [],
                                      snippetSource: doc?.snippetSource ?? "")
                    state = .decoded(shown)
                    return shown
                }
            }
        }

        func updateShown(_ change: (inout Shown) -> Void) {
            var value = shown
            change(&value)
            shownState.withLock { $0 = .decoded(value) }
        }

        var fields: Fields {
            let s = shown
            return Fields(id: core.id, fieldLengths: core.fieldLengths, title: s.title, url: s.url, siteName: core.siteName,
                          siteURL: core.siteURL, country: core.country, language: core.language, category: core.category,
                          tags: s.tags, openEnrolment: core.openEnrolment, startDate: core.startDate,
                          timeModified: core.timeModified, snippetSource: s.snippetSource)
        }

        func copy() -> Storage { Storage(core: core, shown: .decoded(shown)) }
    }

    /// What ranking, filters and facets read, decoded with the document.
    private struct Core {
        var id: String
        var fieldLengths: [Int]
        var siteName: String
        var siteURL: String
        var country: String
        var language: String {
            didSet { analysisLanguage = Language(code: language) }
        }
        var category: [String]
        var openEnrolment: Bool
        var startDate: Int64?
        var timeModified: Int64
        var analysisLanguage: Language

        init(id: String, fieldLengths: [Int], siteName: String, siteURL: String, country: String, language: String,
             category: [String], openEnrolment: Bool, startDate: Int64?, timeModified: Int64) {
            self.id = id
            self.fieldLengths = fieldLengths
            self.siteName = siteName
            self.siteURL = siteURL
            self.country = country
            self.language = language
            self.category = category
            self.openEnrolment = openEnrolment
            self.startDate = startDate
            self.timeModified = timeModified
            analysisLanguage = Language(code: language)
        }
    }

    /// What only a result shows.
    private struct Shown {
        var title: String
        var url: String
        var tags: [String]
        var snippetSource: String
    }

    private enum ShownState {
        case decoded(Shown)
        /// The binary document starting at the offset.
        case encoded([UInt8], Int)
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
