import MeshCore
import Testing
@testable import Search

/// The binary posting lists and publish requests: lossless round trips, the JSON shapes still
/// read, and malformed bytes refused with a `SearchError` rather than a trap.
@Suite struct PostingWireFormatTests {
    static let site = SiteInfo(url: "https://moodle.example.edu", name: "Example", country: "ES", language: "es")

    static func postings() -> [Posting] {
        let docs = [
            CourseDocument(courseID: 7, url: "https://moodle.example.edu/course/view.php?id=7",
                           fullName: "Programación en C++", shortName: "PROG", summary: "Aprende <b>C++</b> & más. 日本語",
                           categoryPath: ["Informática", "Grado"], tags: ["c++", "código"], language: "", format: "topics",
                           startDate: -86_400, endDate: nil, timeModified: 1, openEnrolment: true, enrolledCount: 3,
                           modules: [.init(type: "forum", name: "Foro de dudas")]),
            CourseDocument(courseID: 8, url: "https://moodle.example.edu/course/view.php?id=8",
                           fullName: "Programación avanzada", shortName: "PROG2", summary: "",
                           categoryPath: [], tags: [], language: "en", format: "topics",
                           startDate: nil, endDate: nil, timeModified: 1_700_000_000_000, openEnrolment: false, enrolledCount: 0,
                           modules: []),
        ]
        return docs.flatMap { DocumentIndexer.postings(for: $0, site: site) }
    }

    @Test func binaryPostingListsRoundTripEveryField() throws {
        let postings = Self.postings()
        let bytes = PostingWireFormat.encode(postings)
        #expect(bytes.first == PostingWireFormat.batchMagic)
        let decoded = try PostingWireFormat.postings(bytes)
        #expect(decoded == PostingBatch(postings: postings).postings)
        #expect(PostingWireFormat.postingCount(bytes) == postings.count)
    }

    @Test func documentsReadFromAListShowTheirTextOnlyWhenAskedAndStayValues() async throws {
        let documents = Set(Self.postings().map(\.document))
        let bytes = PostingWireFormat.encode(Self.postings())
        let decoded = try PostingWireFormat.postings(bytes).map(\.document)
        #expect(Set(decoded) == documents)
        // Many readers at once decode the deferred fields once, to the same text.
        let first = try #require(try PostingWireFormat.postings(bytes).first?.document)
        let titles = await withTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { first.title + first.snippetSource } }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(titles.count == 1 && titles.first?.hasPrefix("Programación") == true)
        // A changed copy leaves the original as it was.
        var copy = first
        copy.title = "Changed"
        copy.language = "it"
        #expect(first.title != "Changed" && copy.title == "Changed")
        #expect(copy.analysisLanguage == .it && first.analysisLanguage == Language(code: first.language))
        #expect(copy.url == first.url && copy != first)
    }

    @Test func jsonPostingListsStillRead() throws {
        let postings = Self.postings()
        let json = try JSONCoding.encode(PostingBatch(postings: postings))
        #expect(Set(try PostingWireFormat.postings(json)) == Set(postings))
    }

    @Test func itemBuiltFromEncodedDocumentsEqualsTheTermsPostings() throws {
        let postings = Self.postings().filter { $0.term == "programacion" }
        #expect(postings.count == 2)
        let documents = postings.map(\.document)
        let entries = postings.enumerated().map { PostingBatch.Entry(doc: $0.offset, occurrence: $0.element.occurrence) }
        let item = PostingWireFormat.item(term: "programacion", entries: entries, encodedDocuments: documents.map(PostingWireFormat.encodeDocument))
        #expect(try PostingWireFormat.postings(item) == postings)
    }

    @Test func publishRequestsTravelBinaryAndDecodeToTheSameMessage() throws {
        let postings = Self.postings()
        let batch = PostingBatch(postings: postings)
        let terms = batch.terms.keys.sorted().map { PublishedTerm(term: $0, version: 1_700_000_000_123, entries: batch.terms[$0]!) }
            + [PublishedTerm(term: "gone", version: 9, entries: [])]
        let message = SearchMessage.publish(from: "http://127.0.0.1:7001", site: Self.site.url, documents: batch.documents, terms: terms)
        #expect(message.bytes.first == PostingWireFormat.messageMagic)
        #expect(try SearchMessage.decode(message.bytes) == message)
        let query = SearchMessage.postings(terms: ["a", "b"], candidates: nil)
        #expect(try SearchMessage.decode(query.bytes) == query)
    }

    @Test func queryMessagesAndTheLookupReplyTravelBinary() throws {
        var bloom = BloomFilter(capacity: 300, falsePositiveRate: 0.01)
        for i in 0..<300 { bloom.insert("doc-\(i)") }
        let messages: [SearchMessage] = [
            .frequencies(terms: ["astronomi", "c++"]), .lookup(terms: ["programacion"], inlineLimit: 32),
            .postings(terms: ["a"], candidates: .ids(["x-1", "y-2"])), .postings(terms: ["a", "b"], candidates: .bloom(bloom)),
            .occurrences(terms: ["a"], candidates: .ids(["x-1"])), .occurrences(terms: ["a", "b"], candidates: .bloom(bloom)),
        ]
        for message in messages {
            #expect(message.bytes.first == PostingWireFormat.messageMagic)
            #expect(try SearchMessage.decode(message.bytes) == message)
        }
        let postings = Self.postings()
        let short = postings.filter { $0.term == "programacion" }
        let answers = ["programacion": TermLookup(frequency: short.count, postings: short),
                       "absent": TermLookup(frequency: 0, postings: []), "common": TermLookup(frequency: 900, postings: nil)]
        #expect(try PostingWireFormat.lookupReply(PostingWireFormat.lookupReply(answers)) == answers)
    }

    @Test func occurrencesRepliesCarryFrequenciesIdsAndOccurrencesOnly() throws {
        let postings = Self.postings()
        let lists = Dictionary(grouping: postings, by: \.term).mapValues {
            TermOccurrences(frequency: $0.count + 40, entries: $0.map { (id: $0.document.id, occurrence: $0.occurrence) })
        }
        let bytes = PostingWireFormat.occurrencesReply(lists)
        #expect(bytes.first == PostingWireFormat.occurrencesReplyMagic)
        // One term's list: without its documents' info, a fraction of the posting list.
        let one = postings.filter { $0.term == "programacion" }
        #expect(PostingWireFormat.occurrencesReply(["programacion": lists["programacion"]!]).count < PostingWireFormat.encode(one).count / 2)
        let decoded = try PostingWireFormat.occurrencesReply(bytes)
        #expect(decoded.keys.sorted() == lists.keys.sorted())
        for (term, answer) in lists {
            let sent = answer.entries.sorted { $0.id < $1.id }
            #expect(decoded[term]?.frequency == answer.frequency)
            #expect(decoded[term]?.entries.map(\.id) == sent.map(\.id))
            #expect(decoded[term]?.entries.map(\.occurrence) == sent.map(\.occurrence))
        }
        #expect(throws: SearchError.self) { try PostingWireFormat.occurrencesReply(Array(bytes.dropLast())) }
        #expect(throws: SearchError.self) { try PostingWireFormat.occurrencesReply(PostingWireFormat.encode(postings)) }
        // An occurrences message must name its candidates.
        let none: [UInt8] = [PostingWireFormat.messageMagic, 1, PostingWireFormat.occurrencesKind, 1, 1, 0x61, 0]
        #expect(throws: SearchError.self) { try SearchMessage.decode(none) }
    }

    @Test func listsSentAsTheyAreKeptDecodeLikeOneBatch() throws {
        let postings = Self.postings()
        let byTerm = Dictionary(grouping: postings, by: \.term)
        let encoded = byTerm.keys.sorted(by: >).map { PostingWireFormat.encode(byTerm[$0]!) }
        #expect(try PostingWireFormat.postings(PostingWireFormat.batches(encoded)) == PostingWireFormat.postings(PostingWireFormat.encode(postings)))
        let cut = PostingWireFormat.batches(encoded).dropLast()
        #expect(throws: SearchError.self) { try PostingWireFormat.postings(Array(cut)) }
    }

    @Test func aBloomFilterThatDoesNotAddUpIsRefused() {
        // 64 bits but 10^6 hash functions: every contains() would loop a million times.
        let hostile: [UInt8] = [PostingWireFormat.messageMagic, 1, PostingWireFormat.postingsKind, 1, 1, 0x61, 2, 64, 0xC0, 0x84, 0x3D, 1]
            + Array(repeating: 0xFF, count: 8)
        #expect(throws: SearchError.self) { try SearchMessage.decode(hostile) }
        let short: [UInt8] = [PostingWireFormat.messageMagic, 1, PostingWireFormat.postingsKind, 1, 1, 0x61, 2, 0x80, 0x01, 7, 2, 0xFF]
        #expect(throws: SearchError.self) { try SearchMessage.decode(short) }
    }

    @Test func malformedBinaryIsRefusedWithABadMessageError() {
        let bytes = PostingWireFormat.encode(Self.postings())
        for cut in [2, bytes.count / 2, bytes.count - 1] {
            #expect(throws: SearchError.self) { try PostingWireFormat.postings(Array(bytes[..<cut])) }
        }
        // A count far past the payload's end must not allocate or trap.
        #expect(throws: SearchError.self) { try PostingWireFormat.postings([PostingWireFormat.batchMagic, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
        #expect(throws: SearchError.self) { try SearchMessage.decode([PostingWireFormat.messageMagic, 1, 1, 0xFF, 0x7F]) }
        #expect(throws: SearchError.self) { try PostingWireFormat.postings(bytes + [0]) }
    }
}

extension PostingWireFormatTests {
    /// Document indices are not counts: an entry near the end may point at a document index
    /// larger than the bytes left.
    @Test func entriesPointingFarIntoManyDocumentsDecode() throws {
        let base = Self.postings()[0]
        let postings = (0..<300).map { i -> Posting in
            var p = base
            p.document.id = "doc-\(i)"
            return p
        }
        #expect(try PostingWireFormat.postings(PostingWireFormat.encode(postings)).count == 300)
        let batch = PostingBatch(postings: postings)
        let message = SearchMessage.publish(from: "http://127.0.0.1:7001", site: Self.site.url, documents: batch.documents,
                                            terms: [PublishedTerm(term: base.term, version: 1, entries: batch.terms[base.term]!)])
        #expect(try SearchMessage.decode(message.bytes) == message)
    }
}
