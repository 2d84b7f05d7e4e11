/// The binary shapes of the search layer's bulky payloads, beside the JSON they replace:
///
/// - posting lists (a term holder's stored item values and its `postings` replies):
///   `0xB5, 1, documents, terms` where documents = count + each `DocumentInfo` once, and terms =
///   count + (term, count + (document index, occurrence)) — the binary `PostingBatch`;
/// - publish requests: `0xB6, 1, 1, from, site, documents, count + (term, version, entries)`;
/// - query messages and the lookup reply: QueryWireFormat.swift.
///
/// Readers accept the JSON shapes too (items written before, other message kinds), told apart by
/// the first byte (JSON starts with `{`). Pure functions; thread-safe.
public enum PostingWireFormat {
    static let batchMagic: UInt8 = 0xB5
    static let messageMagic: UInt8 = 0xB6
    static let version: UInt8 = 1
    static let publishKind: UInt8 = 1

    /// The binary form of `postings` (each document once).
    public static func encode(_ postings: [Posting]) -> [UInt8] {
        encode(PostingBatch(postings: postings))
    }

    /// The binary form of `batch`, terms in sorted order.
    static func encode(_ batch: PostingBatch) -> [UInt8] {
        var w = BinaryWriter(capacity: 256 * batch.documents.count)
        w.byte(batchMagic)
        w.byte(version)
        w.count(batch.documents.count)
        for doc in batch.documents { w.document(doc) }
        w.count(batch.terms.count)
        for term in batch.terms.keys.sorted() {
            w.string(term)
            let entries = batch.terms[term]!
            w.count(entries.count)
            for entry in entries {
                w.count(entry.doc)
                w.occurrence(entry.occurrence)
            }
        }
        return w.bytes
    }

    /// One term's stored item value from documents already encoded once per request
    /// (`encodedDocuments[i]` = the binary `DocumentInfo` of document i): the encoding cost of a
    /// document is paid once per publish request, not once per term it has.
    static func item(term: String, entries: [PostingBatch.Entry], encodedDocuments: [[UInt8]]) -> [UInt8] {
        var size = 16 + term.utf8.count
        for entry in entries { size += encodedDocuments[entry.doc].count + 24 }
        var w = BinaryWriter(capacity: size)
        w.byte(batchMagic)
        w.byte(version)
        w.count(entries.count)
        for entry in entries { w.append(encodedDocuments[entry.doc]) }
        w.count(1)
        w.string(term)
        w.count(entries.count)
        for (i, entry) in entries.enumerated() {
            w.count(i)
            w.occurrence(entry.occurrence)
        }
        return w.bytes
    }

    /// The binary form of one document (what `item(term:entries:encodedDocuments:)` takes).
    static func encodeDocument(_ document: DocumentInfo) -> [UInt8] {
        var w = BinaryWriter(capacity: 512)
        w.document(document)
        return w.bytes
    }

    /// The postings of a binary or JSON posting list, terms in sorted order. Entries pointing
    /// outside the documents are skipped. Throws `SearchError` (400) when malformed.
    public static func postings(_ bytes: [UInt8]) throws -> [Posting] {
        let lists = try lists(bytes)
        return lists.keys.sorted().flatMap { lists[$0]! }
    }

    /// The postings of a binary or JSON posting list (or of several, `0xB8`) by term, each term's
    /// in the order sent. Read in place: batches are not copied out of `bytes`.
    static func lists(_ bytes: [UInt8]) throws -> [String: [Posting]] {
        guard bytes.first == batchesMagic || bytes.first == batchMagic else {
            return Dictionary(grouping: try SearchCoding.decode(PostingBatch.self, bytes).postings, by: \.term)
        }
        var out: [String: [Posting]] = [:]
        var r = BinaryReader(bytes, offset: 0, what: "posting list")
        if bytes.first == batchMagic {
            try readBatch(&r, into: &out)
        } else {
            r = BinaryReader(bytes, offset: 1, what: "posting batches")
            guard try r.byte() == version else { throw r.failure("unknown version") }
            for _ in 0..<(try r.count()) {
                let length = try r.count()
                let end = r.offset + length
                try readBatch(&r, into: &out)
                guard r.offset == end else { throw r.failure("a batch does not end where its length says") }
            }
        }
        guard r.isAtEnd else { throw r.failure("trailing bytes") }
        return out
    }

    /// Reads one binary posting batch (from its magic byte on) into `out`.
    private static func readBatch(_ r: inout BinaryReader, into out: inout [String: [Posting]]) throws(SearchError) {
        guard try r.byte() == batchMagic else { throw r.failure("not a posting list") }
        guard try r.byte() == version else { throw r.failure("unknown version") }
        let documentCount = try r.count()
        var documents: [DocumentInfo] = []
        documents.reserveCapacity(documentCount)
        for _ in 0..<documentCount { documents.append(try r.document()) }
        for _ in 0..<(try r.count()) {
            let term = try r.string()
            let n = try r.count()
            var list = out.removeValue(forKey: term) ?? []
            list.reserveCapacity(list.count + n)
            for _ in 0..<n {
                let doc = try r.index()
                let occurrence = try r.occurrence()
                if doc < documents.count { list.append(Posting(term: term, document: documents[doc], occurrence: occurrence)) }
            }
            out[term] = list
        }
    }

    /// The number of postings in a binary or JSON posting list, without building them.
    static func postingCount(_ bytes: [UInt8]) -> Int {
        (try? postings(bytes).count) ?? 0
    }

    /// The binary publish request.
    static func publish(from: String, site: String, documents: [DocumentInfo], terms: [PublishedTerm]) -> [UInt8] {
        var w = BinaryWriter(capacity: 512 * documents.count + 64 * terms.count)
        w.byte(messageMagic)
        w.byte(version)
        w.byte(publishKind)
        w.string(from)
        w.string(site)
        w.count(documents.count)
        for doc in documents { w.document(doc) }
        w.count(terms.count)
        for term in terms {
            w.string(term.term)
            w.varint(term.version)
            w.count(term.entries.count)
            for entry in term.entries {
                w.count(entry.doc)
                w.occurrence(entry.occurrence)
            }
        }
        return w.bytes
    }

    /// Whether `bytes` starts like a binary query message (any kind but publish); says nothing
    /// about the rest, which `message(_:)` checks.
    static func isBinaryQuery(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == messageMagic && bytes[1] == version && bytes[2] != publishKind
    }

    /// Reads a binary search message (those starting with `messageMagic`).
    static func message(_ bytes: [UInt8]) throws(SearchError) -> SearchMessage {
        var r = BinaryReader(bytes, offset: 1, what: "search message")
        guard try r.byte() == version else { throw r.failure("unknown version") }
        let kind = try r.byte()
        guard kind == publishKind else {
            let message = try query(kind: kind, &r)
            guard r.isAtEnd else { throw r.failure("trailing bytes") }
            return message
        }
        let from = try r.string(), site = try r.string()
        let documentCount = try r.count()
        var documents: [DocumentInfo] = []
        documents.reserveCapacity(documentCount)
        // Decoded whole: a holder encodes each of them again for its items.
        for _ in 0..<documentCount { documents.append(try r.document(deferringDisplay: false)) }
        let termCount = try r.count()
        var terms: [PublishedTerm] = []
        terms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            let term = try r.string()
            let version = try r.varint()
            let n = try r.count()
            var entries: [PostingBatch.Entry] = []
            entries.reserveCapacity(n)
            for _ in 0..<n {
                let doc = try r.index()
                guard doc < documentCount else { throw r.failure("entry of \(term) points outside the documents") }
                entries.append(PostingBatch.Entry(doc: doc, occurrence: try r.occurrence()))
            }
            terms.append(PublishedTerm(term: term, version: version, entries: entries))
        }
        guard r.isAtEnd else { throw r.failure("trailing bytes") }
        return .publish(from: from, site: site, documents: documents, terms: terms)
    }
}
