import MeshCore

/// Words people can be offered while typing: the folded surface words of course titles and
/// tags (not stems: suggestions must read as words), with how many documents use each.
///
/// A value type; add and remove are exact inverses, so a table kept in step with an index
/// always equals one rebuilt from it. Thread safety is the owner's (keep it in an actor).
public struct SuggestionTable: Sendable {
    /// Words shorter than this are never suggested.
    public static let minimumWordLength = 3

    private var counts: [String: Int] = [:]
    private var wordsByDocument: [String: [String]] = [:]

    public init() {}

    /// Records the words of `document` under `id`, replacing what `id` had before.
    public mutating func add(_ document: CourseDocument, id: String) {
        remove(id: id)
        let language = Language(code: document.language)
        var words = Set<String>()
        for text in [document.fullName] + document.tags {
            for token in Tokenizer.tokenize(text) where token.text.count >= Self.minimumWordLength {
                if StopWords.contains(token.text, language: language) { continue }
                words.insert(token.text)
            }
        }
        let list = words.sorted()
        for w in list { counts[w, default: 0] += 1 }
        wordsByDocument[id] = list
    }

    /// Forgets the words of the document `id`.
    public mutating func remove(id: String) {
        guard let words = wordsByDocument.removeValue(forKey: id) else { return }
        for w in words {
            let n = (counts[w] ?? 1) - 1
            counts[w] = n > 0 ? n : nil
        }
    }

    /// Every word with the number of documents using it (what a site publishes for federated
    /// suggestions).
    public var wordCounts: [String: Int] { counts }

    /// Up to `limit` words starting with `prefix` (folded like the index), most used first,
    /// ties alphabetical.
    public func suggestions(prefix: String, limit: Int) -> [String] {
        let folded = TextFolding.fold(prefix)
        guard !folded.isEmpty, limit > 0 else { return [] }
        return counts.filter { $0.key.hasPrefix(folded) }
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .prefix(limit).map(\.key)
    }
}
