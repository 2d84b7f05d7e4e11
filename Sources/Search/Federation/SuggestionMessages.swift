import MeshCore
import Overlay

/// One site's words for one 3-character prefix inside a `publish_suggestions` message: the new
/// version of the site's item under `RingKey.prefix(prefix)`, word → number of the site's
/// courses using it. No counts = a tombstone (the site has no word with this prefix any more).
public struct PublishedPrefix: Codable, Hashable, Sendable {
    public var prefix: String
    public var version: UInt64
    public var counts: [String: Int]
    enum CodingKeys: String, CodingKey { case prefix = "p", version = "v", counts = "c" }
    public init(prefix: String, version: UInt64, counts: [String: Int]) {
        self.prefix = prefix
        self.version = version
        self.counts = counts
    }
}

/// One suggested word with the number of courses using it, summed over every site.
public struct SuggestedTerm: Codable, Hashable, Sendable {
    public var term: String
    public var count: Int
    public init(term: String, count: Int) {
        self.term = term
        self.count = count
    }
}

/// Reply to `suggest`: the holder's most used words for the prefix, most used first, ties
/// alphabetical.
public struct SuggestReply: Codable, Hashable, Sendable {
    public var suggestions: [SuggestedTerm]
    public init(suggestions: [SuggestedTerm]) { self.suggestions = suggestions }
}

/// Named limits of federated suggestions.
public enum SuggestionSettings {
    /// Characters of the folded prefix that choose the key (`RingKey.prefix`).
    public static let keyLength = 3
    /// Most suggestions one `suggest` message may ask for.
    public static let maxLimit = 100
    /// Longest prefix a `suggest` message may carry, in characters.
    public static let maxPrefixLength = 64
    /// Most words one site's item for one prefix may hold (a publisher keeps its most used).
    public static let maxWordsPerPrefix = 5_000
    /// Longest word a holder stores, in UTF-8 bytes (a publisher leaves longer ones out).
    public static let maxWordBytes = 64

    /// The key prefix of a folded word or prefix (its first `keyLength` characters), nil when
    /// it is shorter than that.
    public static func keyPrefix(of folded: String) -> String? {
        folded.count >= keyLength ? String(folded.prefix(keyLength)) : nil
    }
}

/// The stored form of a site's prefix item: one `word TAB count` line per word, sorted, which
/// is smaller than JSON and decodes without a parser. Empty = tombstone.
enum SuggestionCoding {
    static func encode(_ counts: [String: Int]) -> [UInt8] {
        var out: [UInt8] = []
        for (word, count) in counts.sorted(by: { $0.key < $1.key }) where count > 0 {
            out += Array(word.utf8)
            out.append(9)
            out += Array(String(count).utf8)
            out.append(10)
        }
        return out
    }

    /// The counts of a stored value; malformed lines are skipped.
    static func decode(_ bytes: [UInt8]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in bytes.split(separator: 10) {
            guard let tab = line.firstIndex(of: 9), let count = Int(String(decoding: line[(tab + 1)...], as: UTF8.self)),
                  count > 0 else { continue }
            counts[String(decoding: line[..<tab], as: UTF8.self), default: 0] += count
        }
        return counts
    }

    /// An order-independent digest of a counts map (never 0), so unchanged prefixes are not resent.
    static func digest(_ counts: [String: Int]) -> UInt64 {
        PostingDigest.list([PostingDigest.fnv(encode(counts))])
    }
}

extension SearchError {
    static func badSuggestion(_ detail: String) -> SearchError {
        SearchError(status: 400, code: "bad_suggestion_message",
                    message: "The suggestion message was refused (\(detail)); send a message of the documented shape.")
    }
}

/// The holder side of suggestions, used by `SearchOwner`: pure functions over the item store.
enum SuggestionHolder {
    /// Stored items for a site's published prefixes, after checking every word belongs to its
    /// prefix and can be stored (throws `SearchError` 400 otherwise).
    static func items(site: String, prefixes: [PublishedPrefix]) throws -> [StoredItem] {
        try prefixes.map { published in
            guard published.prefix.count == SuggestionSettings.keyLength,
                  TextFolding.fold(published.prefix) == published.prefix else {
                throw SearchError.badSuggestion("prefix \"\(published.prefix.prefix(16))\" is not 3 folded characters")
            }
            guard published.counts.count <= SuggestionSettings.maxWordsPerPrefix else {
                throw SearchError.badSuggestion("more than \(SuggestionSettings.maxWordsPerPrefix) words under \(published.prefix)")
            }
            for (word, count) in published.counts {
                guard word.hasPrefix(published.prefix), count > 0, word.utf8.count <= SuggestionSettings.maxWordBytes,
                      !word.utf8.contains(9), !word.utf8.contains(10) else {
                    throw SearchError.badSuggestion("word \"\(word.prefix(64))\" does not belong under \(published.prefix), is too long or has no count")
                }
            }
            return StoredItem(key: .prefix(published.prefix), name: postingItemName(site: site), version: published.version,
                              value: SuggestionCoding.encode(published.counts))
        }
    }

    /// The answer to `suggest`: all sites' items under the prefix's key (blocked hosts left
    /// out), words starting with the folded prefix, counts summed, top `limit` by count then word.
    static func answer(prefix: String, limit: Int, store: any KeyValueStore, blockedHosts: Set<String>) throws -> SuggestReply {
        let folded = TextFolding.fold(prefix)
        guard let key = SuggestionSettings.keyPrefix(of: folded), folded.count <= SuggestionSettings.maxPrefixLength else {
            throw SearchError.badSuggestion("the prefix must fold to 3 to \(SuggestionSettings.maxPrefixLength) characters")
        }
        guard (1...SuggestionSettings.maxLimit).contains(limit) else {
            throw SearchError.badSuggestion("limit must be 1 to \(SuggestionSettings.maxLimit)")
        }
        var totals: [String: Int] = [:]
        for item in store.items(at: .prefix(key)) where item.name.hasPrefix("site:") && !item.isTombstone {
            let site = String(item.name.dropFirst(5))
            guard !blockedHosts.contains(CourseDocumentValidation.host(of: site) ?? site) else { continue }
            for (word, count) in SuggestionCoding.decode(item.value.bytes) where word.hasPrefix(folded) {
                totals[word, default: 0] += count
            }
        }
        return SuggestReply(suggestions: rank(totals, limit: limit))
    }

    /// The `limit` most used words, ties alphabetical.
    static func rank(_ counts: [String: Int], limit: Int) -> [SuggestedTerm] {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit).map { SuggestedTerm(term: $0.key, count: $0.value) }
    }
}

extension SearchMessage {
    private enum SuggestionKeys: String, CodingKey { case kind, from, site, prefixes, prefix, limit }

    /// `{"kind":"publish_suggestions","from","site","prefixes":[{"p","v","c"}]}` or
    /// `{"kind":"suggest","prefix","limit"}`.
    static func decodeSuggestion(from decoder: any Decoder) throws -> SearchMessage {
        let c = try decoder.container(keyedBy: SuggestionKeys.self)
        if try c.decode(String.self, forKey: .kind) == "suggest" {
            return .suggest(prefix: try c.decode(String.self, forKey: .prefix), limit: try c.decode(Int.self, forKey: .limit))
        }
        return .publishSuggestions(from: try c.decode(String.self, forKey: .from), site: try c.decode(String.self, forKey: .site),
                                   prefixes: try c.decode([PublishedPrefix].self, forKey: .prefixes))
    }

    func encodeSuggestion(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SuggestionKeys.self)
        switch self {
        case let .publishSuggestions(from, site, prefixes):
            try c.encode("publish_suggestions", forKey: .kind)
            try c.encode(from, forKey: .from)
            try c.encode(site, forKey: .site)
            try c.encode(prefixes, forKey: .prefixes)
        case let .suggest(prefix, limit):
            try c.encode("suggest", forKey: .kind)
            try c.encode(prefix, forKey: .prefix)
            try c.encode(limit, forKey: .limit)
        default:
            break
        }
    }
}
