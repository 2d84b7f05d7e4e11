import Synchronization

/// Document frequencies a node learned from term holders, kept for a short while so that later
/// queries can plan without asking first: which clause is rarest and is fetched whole.
///
/// Only planning reads it. Ranking uses the frequencies that come back with the lists a query
/// fetches, so a stale entry can make a query fetch a longer list first, never rank differently.
/// Thread-safe.
public final class FrequencyCache: Sendable {
    private struct Entry {
        var frequency: Int
        var learned: ContinuousClock.Instant
    }
    private let entries = Mutex<[String: Entry]>([:])
    /// How long a learned frequency is used for planning.
    public let lifetime: Duration
    /// Most terms kept; past it the cache starts again empty.
    public let capacity: Int

    public init(lifetime: Duration = .seconds(30), capacity: Int = 65_536) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The frequencies of all `terms` when each was learned within `lifetime`, else nil.
    public func frequencies(of terms: [String]) -> [String: Int]? {
        let now = ContinuousClock.now, lifetime = lifetime
        return entries.withLock { entries in
            var out: [String: Int] = [:]
            for term in terms {
                guard let entry = entries[term], now - entry.learned <= lifetime else { return nil }
                out[term] = entry.frequency
            }
            return out
        }
    }

    /// Remembers frequencies just learned from their holders.
    public func record(_ frequencies: [String: Int]) {
        guard !frequencies.isEmpty else { return }
        let now = ContinuousClock.now, capacity = capacity
        entries.withLock { entries in
            if entries.count + frequencies.count > capacity { entries.removeAll(keepingCapacity: true) }
            for (term, frequency) in frequencies { entries[term] = Entry(frequency: frequency, learned: now) }
        }
    }
}
