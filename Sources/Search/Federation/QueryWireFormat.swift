/// One term's answer to a `lookup`: its document frequency at the holder and, when the list is
/// short (at most the asker's inline limit), the list itself.
public struct TermLookup: Hashable, Sendable {
    public var frequency: Int
    /// The whole posting list when `frequency <= inlineLimit`, else nil.
    public var postings: [Posting]?

    public init(frequency: Int, postings: [Posting]?) {
        self.frequency = frequency
        self.postings = postings
    }
}

/// The binary shapes of the query messages, beside the publish request of `PostingWireFormat`:
///
/// - `frequencies`: `0xB6, 1, 2, terms`;
/// - `postings`: `0xB6, 1, 3, terms, candidates` where candidates = `0` none, `1` + ids,
///   `2` + m, k, count + words (8 bytes little-endian each) for a Bloom filter;
/// - `lookup`: `0xB6, 1, 4, terms, inline limit`;
/// - `occurrences`: `0xB6, 1, 5, terms, candidates` (`1` ids or `2` Bloom filter, as above);
/// - occurrences reply: `0xB9, 1, count + (term, frequency, count + (document id, occurrence))`,
///   terms and each term's ids in sorted order;
/// - lookup reply: `0xB7, 1, count + (term, frequency), batches` where batches (`0xB8, 1, count +
///   (length + batch)`) are the binary `PostingBatch`es of the terms whose list came inline
///   (their names are in them; an empty list is told apart by the term's frequency 0).
///
/// Strings are varint length + UTF-8, counts varints (BinaryCoding.swift). Pure; thread-safe.
extension PostingWireFormat {
    static let frequenciesKind: UInt8 = 2
    static let postingsKind: UInt8 = 3
    static let lookupKind: UInt8 = 4
    static let occurrencesKind: UInt8 = 5
    static let occurrencesReplyMagic: UInt8 = 0xB9
    static let lookupReplyMagic: UInt8 = 0xB7
    static let batchesMagic: UInt8 = 0xB8
    /// Most hash functions a received Bloom filter may ask for (ours use about 7).
    static let maxBloomHashes = 32

    /// The binary form of a query message; nil for the kinds that travel as JSON.
    static func query(_ message: SearchMessage) -> [UInt8]? {
        var w = BinaryWriter(capacity: 64)
        w.byte(messageMagic)
        w.byte(version)
        switch message {
        case let .frequencies(terms):
            w.byte(frequenciesKind)
            w.strings(terms)
        case let .postings(terms, candidates):
            w.byte(postingsKind)
            w.strings(terms)
            if let candidates { w.candidates(candidates) } else { w.byte(0) }
        case let .occurrences(terms, candidates):
            w.byte(occurrencesKind)
            w.strings(terms)
            w.candidates(candidates)
        case let .lookup(terms, inlineLimit):
            w.byte(lookupKind)
            w.strings(terms)
            w.count(inlineLimit)
        case .publish, .publishSuggestions, .suggest:
            return nil
        }
        return w.bytes
    }

    /// Reads the rest of a binary query message of `kind` (after magic, version and kind).
    static func query(kind: UInt8, _ r: inout BinaryReader) throws(SearchError) -> SearchMessage {
        switch kind {
        case frequenciesKind:
            return .frequencies(terms: try r.strings())
        case postingsKind:
            let terms = try r.strings()
            return .postings(terms: terms, candidates: try r.candidates(allowingNone: true))
        case occurrencesKind:
            let terms = try r.strings()
            guard let candidates = try r.candidates(allowingNone: false) else { throw r.failure("no candidates") }
            return .occurrences(terms: terms, candidates: candidates)
        case lookupKind:
            return .lookup(terms: try r.strings(), inlineLimit: try r.index())
        default:
            throw r.failure("unknown kind \(kind)")
        }
    }

    /// The binary lookup reply.
    static func lookupReply(_ answers: [String: TermLookup]) -> [UInt8] {
        let terms = answers.keys.sorted()
        return lookupReply(frequencies: answers.mapValues(\.frequency),
                           inline: terms.compactMap { term in answers[term]!.postings.map { encode($0) } })
    }

    /// The binary lookup reply from each term's frequency and the encoded lists (posting batches
    /// as `encode` gives them) of the terms whose list comes inline.
    static func lookupReply(frequencies: [String: Int], inline: [[UInt8]]) -> [UInt8] {
        var w = BinaryWriter(capacity: 64 + inline.reduce(0) { $0 + $1.count })
        w.byte(lookupReplyMagic)
        w.byte(version)
        let terms = frequencies.keys.sorted()
        w.count(terms.count)
        for term in terms {
            w.string(term)
            w.count(frequencies[term]!)
        }
        w.append(batches(inline))
        return w.bytes
    }

    /// Several posting batches in one payload (`0xB8, 1, count + (length + batch)`): a holder
    /// sends the lists it keeps encoded as they are, without decoding and re-encoding them.
    static func batches(_ encoded: [[UInt8]]) -> [UInt8] {
        var w = BinaryWriter(capacity: 16 + encoded.reduce(0) { $0 + $1.count + 4 })
        w.byte(batchesMagic)
        w.byte(version)
        w.count(encoded.count)
        for batch in encoded {
            w.count(batch.count)
            w.append(batch)
        }
        return w.bytes
    }

    /// Reads a lookup reply: every term's frequency, with its list when the list came inline.
    static func lookupReply(_ bytes: [UInt8]) throws -> [String: TermLookup] {
        guard bytes.first == lookupReplyMagic else { throw SearchError.malformedMessage("lookup reply: unknown shape") }
        var r = BinaryReader(bytes, offset: 1, what: "lookup reply")
        guard try r.byte() == version else { throw r.failure("unknown version") }
        var answers: [String: TermLookup] = [:]
        for _ in 0..<(try r.count()) {
            let term = try r.string()
            answers[term] = TermLookup(frequency: try r.index(), postings: nil)
        }
        let inline = try lists(Array(bytes[r.offset...]))
        for (term, answer) in answers where answer.frequency == 0 || inline[term] != nil {
            answers[term]?.postings = inline[term] ?? []
        }
        return answers
    }

    /// The binary occurrences reply: each term's document frequency and occurrences.
    static func occurrencesReply(_ answers: [String: TermOccurrences]) -> [UInt8] {
        var w = BinaryWriter(capacity: 64 + 48 * answers.values.reduce(0) { $0 + $1.entries.count })
        w.byte(occurrencesReplyMagic)
        w.byte(version)
        w.count(answers.count)
        for term in answers.keys.sorted() {
            let answer = answers[term]!
            w.string(term)
            w.count(answer.frequency)
            let entries = answer.entries.sorted { $0.id < $1.id }
            w.count(entries.count)
            for entry in entries {
                w.string(entry.id)
                w.occurrence(entry.occurrence)
            }
        }
        return w.bytes
    }

    /// Reads an occurrences reply: term → its frequency and (document id, occurrence) in the
    /// order sent.
    static func occurrencesReply(_ bytes: [UInt8]) throws(SearchError) -> [String: TermOccurrences] {
        guard bytes.first == occurrencesReplyMagic else { throw SearchError.malformedMessage("occurrences reply: unknown shape") }
        var r = BinaryReader(bytes, offset: 1, what: "occurrences reply")
        guard try r.byte() == version else { throw r.failure("unknown version") }
        var out: [String: TermOccurrences] = [:]
        for _ in 0..<(try r.count()) {
            let term = try r.string()
            let frequency = try r.index()
            let n = try r.count()
            var entries: [(id: String, occurrence: TermOccurrence)] = []
            entries.reserveCapacity(n)
            for _ in 0..<n { entries.append((try r.string(), try r.occurrence())) }
            out[term] = TermOccurrences(frequency: frequency, entries: entries)
        }
        guard r.isAtEnd else { throw r.failure("trailing bytes") }
        return out
    }
}

/// One term's answer to `occurrences`: the length of its whole list at the holder (its document
/// frequency) and its occurrences in the candidate documents.
struct TermOccurrences: Sendable {
    var frequency: Int
    var entries: [(id: String, occurrence: TermOccurrence)]
}

extension BinaryWriter {
    /// A candidate filter: `1` + ids (in no particular order: the holder reads them into a
    /// set, and sorting a few hundred ids cost the entry more than the rest of the encoding),
    /// or `2` + bits m, hashes k, word count and the words (8 bytes little-endian each).
    mutating func candidates(_ filter: CandidateFilter) {
        switch filter {
        case .ids(let ids):
            byte(1)
            strings(Array(ids))
        case .bloom(let filter):
            byte(2)
            count(filter.bitCount)
            count(filter.hashCount)
            count(filter.words.count)
            for word in filter.words {
                for shift in stride(from: 0, to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            }
        }
    }
}

extension BinaryReader {
    /// What `BinaryWriter.candidates` wrote, or nil for `0` (no filter) when `allowingNone`. A
    /// Bloom filter whose sizes do not add up is refused.
    mutating func candidates(allowingNone: Bool) throws(SearchError) -> CandidateFilter? {
        switch try byte() {
        case 0 where allowingNone: return nil
        case 1: return .ids(Set(try strings()))
        case 2:
            let m = try index(), k = try index(), n = try count()
            guard m >= 1, (1...PostingWireFormat.maxBloomHashes).contains(k), n == (m + 63) / 64, n * 8 <= remaining else {
                throw failure("a Bloom filter of \(m) bits, \(k) hashes and \(n) words does not add up")
            }
            var words: [UInt64] = []
            words.reserveCapacity(n)
            for _ in 0..<n {
                var word: UInt64 = 0
                for shift in stride(from: 0, to: 64, by: 8) { word |= UInt64(try byte()) << UInt64(shift) }
                words.append(word)
            }
            return .bloom(BloomFilter(bitCount: m, hashCount: k, words: words))
        case let other:
            throw failure("unknown candidate filter \(other)")
        }
    }
}
