import MeshCore
import Overlay
import Synchronization

/// The term lists a holder answers queries from, and the sites it refuses.
///
/// A list is built from the store's items for the term (every live, unblocked site's item),
/// each item decoded once per version, and cached per version of the list together with its
/// binary batch once a reply needed it whole. Thread-safe: one lock, never held across a
/// suspension; building a list holds it while that term's changed items decode. The `cached`
/// reads never decode, so the server's I/O thread answers from what is built and leaves the
/// rest to `list(of:)` (it may wait for a build in progress, never for a suspension).
final class HeldLists: Sendable {
    /// Which version of which site's item a cached list was built from.
    private struct Signature: Equatable {
        var names: [String] = []
        var versions: [UInt64] = []
    }
    private struct List {
        var signature: Signature
        var postings: [Posting]
        var encoded: [UInt8]?
    }
    private struct State {
        var blockedHosts: Set<String>
        var lists: [String: List] = [:]
        var decodedItems: [ItemID: (version: UInt64, postings: [Posting])] = [:]
    }
    private static let maxLists = 4096
    private static let maxDecodedItems = 262_144
    private let store: any KeyValueStore
    private let state: Mutex<State>

    /// `blockedHosts`: hosts (lowercased) whose items are left out of every list.
    init(store: any KeyValueStore, blockedHosts: Set<String>) {
        self.store = store
        self.state = Mutex(State(blockedHosts: blockedHosts))
    }

    /// The hosts refused now.
    var blockedHosts: Set<String> { state.withLock { $0.blockedHosts } }

    /// Refuses `host` from now on; every cached list is dropped, so none still shows it.
    func block(host: String) {
        state.withLock { state in
            state.blockedHosts.insert(host)
            state.lists = [:]
            state.decodedItems = [:]
        }
    }

    /// The live, unblocked postings of `term` held here, sorted by document id. Decodes only
    /// the items whose version changed since the list was last built.
    func list(of term: String) -> [Posting] { built(term).postings }

    /// The list of `term` for the items held now, built if it is not, with its signature.
    private func built(_ term: String) -> List {
        let (items, signature) = Self.items(of: term, in: store)
        return state.withLock { state in
            if let cached = state.lists[term], cached.signature == signature { return cached }
            var postings: [Posting] = []
            for item in items where !item.isTombstone {
                let site = String(item.name.dropFirst(5))
                guard !state.blockedHosts.contains(CourseDocumentValidation.host(of: site) ?? site) else { continue }
                if let cached = state.decodedItems[item.id], cached.version == item.version {
                    postings += cached.postings
                    continue
                }
                guard let decoded = try? PostingWireFormat.postings(item.value.bytes) else { continue }
                let own = decoded.filter { $0.term == term }
                if state.decodedItems.count > Self.maxDecodedItems { state.decodedItems = [:] }
                state.decodedItems[item.id] = (item.version, own)
                postings += own
            }
            postings.sort { $0.document.id < $1.document.id }
            if state.lists.count > Self.maxLists { state.lists = [:] }
            let list = List(signature: signature, postings: postings, encoded: nil)
            state.lists[term] = list
            return list
        }
    }

    /// `list(of:)` when the list is built for the items held now, else nil (nothing decoded).
    func cachedList(of term: String) -> [Posting]? { current(term)?.postings }

    /// `list(of:)` as a binary posting batch, encoded once per version of the list.
    func encodedList(of term: String) -> [UInt8] {
        let list = built(term)
        if let encoded = list.encoded { return encoded }
        let encoded = PostingWireFormat.encode(list.postings)
        // Kept only on the list it encodes: another thread may have rebuilt it meanwhile.
        state.withLock { state in
            if state.lists[term]?.signature == list.signature { state.lists[term]?.encoded = encoded }
        }
        return encoded
    }

    /// The batch `encodedList(of:)` returned for the items held now, else nil.
    func cachedEncodedList(of term: String) -> [UInt8]? { current(term)?.encoded }

    /// The cached list of `term` when it was built from the items held now.
    private func current(_ term: String) -> List? {
        let (_, signature) = Self.items(of: term, in: store)
        return state.withLock { state in state.lists[term].flatMap { $0.signature == signature ? $0 : nil } }
    }

    /// Records the postings of items just stored (their decoded form, sorted by document id),
    /// so the first query of those terms decodes nothing. Older versions are not overwritten.
    func remember(_ decoded: [(id: ItemID, version: UInt64, postings: [Posting])]) {
        state.withLock { state in
            for (id, version, postings) in decoded where state.decodedItems[id].map({ $0.version < version }) ?? true {
                if state.decodedItems.count > Self.maxDecodedItems { state.decodedItems = [:] }
                state.decodedItems[id] = (version, postings)
            }
        }
    }

    private static func items(of term: String, in store: any KeyValueStore) -> ([StoredItem], Signature) {
        let items = store.items(at: .term(term)).filter { $0.name.hasPrefix("site:") }
        return (items, Signature(names: items.map(\.name), versions: items.map(\.version)))
    }
}
