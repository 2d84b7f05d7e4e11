import MeshCore
import Search

extension CampusNode {
    /// Suggestions in an overlay: the prefix's holders (`RingKey.prefix` of its first 3 folded
    /// characters) merge every site's word counts; the owner is asked first, then each replica.
    /// Prefixes shorter than 3 folded characters have no key and are answered from this node's
    /// own words, as is any prefix when no holder answered (counted in
    /// `coursemesh_suggest_fallbacks_total`), so typing never fails for lack of a holder.
    func federatedSuggestions(prefix: String, limit: Int) async -> [String] {
        guard let federation, limit > 0,
              SuggestionSettings.keyPrefix(of: TextFolding.fold(prefix)) != nil else {
            return suggestions.suggestions(prefix: prefix, limit: limit)
        }
        if let answered = await SuggestionQuery.suggestions(prefix: prefix, limit: limit, over: federation.network) {
            return answered.prefix(limit).map(\.term)
        }
        metrics.increment("coursemesh_suggest_fallbacks_total")
        return suggestions.suggestions(prefix: prefix, limit: limit)
    }

    /// Publishes what changed in this site's suggestion words since the last publish (called
    /// with every publish of its postings; requests counted in
    /// `coursemesh_suggestion_publish_requests_total`). A ledger failure is counted in
    /// `coursemesh_publish_errors_total`; the next publish retries.
    @discardableResult
    func publishSuggestionWords() async -> PublishReport? {
        guard let publisher = federation?.suggestionPublisher else { return nil }
        do {
            let report = try await publisher.publish(suggestions.wordCounts, versionFloor: UInt64(max(0, clock.now().milliseconds)))
            metrics.increment("coursemesh_suggestion_publish_requests_total", by: Double(report.requests))
            return report
        } catch {
            metrics.increment("coursemesh_publish_errors_total")
            return nil
        }
    }
}
