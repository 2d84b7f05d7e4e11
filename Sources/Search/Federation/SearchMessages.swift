import Foundation
import MeshCore
import Overlay

/// One term's postings of one site inside a publish request: the new version of the site's item
/// for that term. No entries = a tombstone (the site has no posting for the term any more).
public struct PublishedTerm: Codable, Hashable, Sendable {
    public var term: String
    public var version: UInt64
    public var entries: [PostingBatch.Entry]
    enum CodingKeys: String, CodingKey { case term = "t", version = "v", entries = "e" }
    public init(term: String, version: UInt64, entries: [PostingBatch.Entry]) {
        self.term = term
        self.version = version
        self.entries = entries
    }
}

/// The payloads of overlay application "search" (version 1; cases and fields only appended).
/// JSON: `{"kind": "...", ...}`.
public enum SearchMessage: Codable, Hashable, Sendable {
    /// A site's changed items for terms this holder keeps. `documents` appear once per request;
    /// entries point into it. `from` is the publishing node, probed for its site.
    case publish(from: String, site: String, documents: [DocumentInfo], terms: [PublishedTerm])
    /// Document frequencies of `terms` (postings over all sites' items).
    case frequencies(terms: [String])
    /// Postings of `terms`, restricted to `candidates` when given.
    case postings(terms: [String], candidates: CandidateFilter?)
    /// Document frequencies of `terms`, each with its whole list when that list has at most
    /// `inlineLimit` postings (a query's first round: a rare term needs no second one).
    case lookup(terms: [String], inlineLimit: Int)
    /// Frequencies and positions of `terms` in the documents `candidates` may contain, without
    /// the documents' info: the asker restricts a list to documents it has fetched already.
    case occurrences(terms: [String], candidates: CandidateFilter)
    /// A site's changed word counts for prefixes this holder keeps (SuggestionMessages.swift).
    case publishSuggestions(from: String, site: String, prefixes: [PublishedPrefix])
    /// The most used words starting with `prefix` (at least 3 folded characters) over all sites.
    case suggest(prefix: String, limit: Int)

    enum CodingKeys: String, CodingKey { case kind, from, site, documents, terms, candidates, inlineLimit = "inline_limit" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "publish":
            self = .publish(from: try c.decode(String.self, forKey: .from), site: try c.decode(String.self, forKey: .site),
                            documents: try c.decode([DocumentInfo].self, forKey: .documents),
                            terms: try c.decode([PublishedTerm].self, forKey: .terms))
        case "frequencies": self = .frequencies(terms: try c.decode([String].self, forKey: .terms))
        case "postings":
            self = .postings(terms: try c.decode([String].self, forKey: .terms),
                             candidates: try c.decodeIfPresent(CandidateFilter.self, forKey: .candidates))
        case "lookup":
            self = .lookup(terms: try c.decode([String].self, forKey: .terms), inlineLimit: try c.decode(Int.self, forKey: .inlineLimit))
        case "occurrences":
            self = .occurrences(terms: try c.decode([String].self, forKey: .terms),
                                candidates: try c.decode(CandidateFilter.self, forKey: .candidates))
        case "publish_suggestions", "suggest":
            self = try Self.decodeSuggestion(from: decoder)
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown kind \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .publish(from, site, documents, terms):
            try c.encode("publish", forKey: .kind)
            try c.encode(from, forKey: .from)
            try c.encode(site, forKey: .site)
            try c.encode(documents, forKey: .documents)
            try c.encode(terms, forKey: .terms)
        case let .frequencies(terms):
            try c.encode("frequencies", forKey: .kind)
            try c.encode(terms, forKey: .terms)
        case let .postings(terms, candidates):
            try c.encode("postings", forKey: .kind)
            try c.encode(terms, forKey: .terms)
            try c.encodeIfPresent(candidates, forKey: .candidates)
        case let .lookup(terms, inlineLimit):
            try c.encode("lookup", forKey: .kind)
            try c.encode(terms, forKey: .terms)
            try c.encode(inlineLimit, forKey: .inlineLimit)
        case let .occurrences(terms, candidates):
            try c.encode("occurrences", forKey: .kind)
            try c.encode(terms, forKey: .terms)
            try c.encode(candidates, forKey: .candidates)
        case .publishSuggestions, .suggest:
            try encodeSuggestion(to: encoder)
        }
    }

    /// The bytes of this message: `publish` and the query messages in the binary shapes of
    /// `PostingWireFormat` (QueryWireFormat.swift), the suggestion messages as JSON.
    public var bytes: [UInt8] {
        if case let .publish(from, site, documents, terms) = self {
            return PostingWireFormat.publish(from: from, site: site, documents: documents, terms: terms)
        }
        if let binary = PostingWireFormat.query(self) { return binary }
        return Array((try? JSONEncoder().encode(self)) ?? Data())
    }

    /// Decodes a message (binary or JSON); throws `SearchError` (400) naming what was wrong.
    public static func decode(_ bytes: [UInt8]) throws -> SearchMessage {
        if bytes.first == PostingWireFormat.messageMagic { return try PostingWireFormat.message(bytes) }
        do { return try JSONDecoder().decode(SearchMessage.self, from: Data(bytes)) } catch {
            throw SearchError.malformedMessage(String(describing: error).prefix(200).description)
        }
    }
}

/// Reply to `publish`: how many items were stored (older or equal versions are skipped).
public struct PublishReply: Codable, Hashable, Sendable {
    public var stored: Int
    public init(stored: Int) { self.stored = stored }
}

/// Reply to `frequencies`: term → document frequency on this holder.
public struct FrequenciesReply: Codable, Hashable, Sendable {
    public var frequencies: [String: Int]
    public init(frequencies: [String: Int]) { self.frequencies = frequencies }
}

/// Encoding helpers shared by both sides.
enum SearchCoding {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array((try? encoder.encode(value)) ?? Data())
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw SearchError.malformedMessage("\(T.self): " + String(describing: error).prefix(200))
        }
    }
}
