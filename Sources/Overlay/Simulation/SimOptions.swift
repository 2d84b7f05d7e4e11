/// Settings of one simulator run (`coursemesh sim`). Defaults are documented per field.
public struct SimOptions: Sendable, Codable, Equatable {
    /// Members of the ring.
    public var nodes: Int
    /// Lookups issued, each from a random live node for a random key.
    public var lookups: Int
    /// Seed of every random choice; the same options give the same report.
    public var seed: UInt64
    /// Fraction of the other members missing from each node's table (0 = full tables).
    /// A node always knows its `replicas` nearest neighbours on each side.
    public var stale: Double = 0
    /// Fraction of nodes that fail at once before the lookups (0...0.9).
    public var fail: Double = 0
    /// Keys checked for a live holder after failures (default 10,000).
    public var keys: Int = 10_000
    /// Replicas per key, R (default 3).
    public var replicas: Int = 3
    /// One-way latency drawn uniformly from this range, milliseconds (default 5...80).
    public var latencyMinMs: Int = 5
    public var latencyMaxMs: Int = 80
    /// Probability that a message is lost (default 0).
    public var loss: Double = 0
    /// How long an asker waits for a reply, milliseconds (default 2,000).
    public var timeoutMs: Int = 2000

    public init(nodes: Int, lookups: Int, seed: UInt64) {
        self.nodes = nodes
        self.lookups = lookups
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case nodes, lookups, seed, stale, fail, keys, replicas, loss
        case latencyMinMs = "latency_min_ms", latencyMaxMs = "latency_max_ms", timeoutMs = "timeout_ms"
    }
}

/// What a run measured. Every field is a deterministic function of `SimOptions`.
public struct SimReport: Sendable, Codable, Equatable {
    public struct Distribution: Sendable, Codable, Equatable {
        public var mean: Double
        public var p99: Int
        public var max: Int
    }
    public var options: SimOptions
    /// Requests sent per lookup until the owner answered (0 when the asker owned the key).
    public var requestsPerLookup: Distribution
    /// Lookups that ended at the key's true owner (its first live successor), 0...1.
    public var successRate: Double
    /// Mean lookup latency in simulated milliseconds.
    public var meanLookupMs: Double
    /// Items per live node when every key is stored on its R replicas (max and mean).
    public var keysPerNodeMax: Int
    public var keysPerNodeMean: Double
    /// Keys (of `options.keys`) whose R replicas all failed.
    public var keysWithoutLiveHolder: Int
    /// Members the askers learned from closer-node replies, in total.
    public var membersLearned: Int
    /// Mean table size before and after the lookups (shows stale tables filling).
    public var meanTableBefore: Double
    public var meanTableAfter: Double
    /// Simulated messages (requests and replies) delivered or lost.
    public var messages: Int

    enum CodingKeys: String, CodingKey {
        case options
        case requestsPerLookup = "requests_per_lookup"
        case successRate = "success_rate"
        case meanLookupMs = "mean_lookup_ms"
        case keysPerNodeMax = "keys_per_node_max"
        case keysPerNodeMean = "keys_per_node_mean"
        case keysWithoutLiveHolder = "keys_without_live_holder"
        case membersLearned = "members_learned"
        case meanTableBefore = "mean_table_before"
        case meanTableAfter = "mean_table_after"
        case messages
    }
}
