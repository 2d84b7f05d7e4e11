import MeshCore

/// Settings of a node-level simulation: real `OverlayNode`s over a `MemoryNetwork`, ticked one
/// by one in id order each period on a `ManualClock`. Defaults documented per field.
public struct NodeSimOptions: Sendable, Codable, Equatable {
    /// Members at the start.
    public var nodes: Int
    /// Seed of every random choice; the same options give the same report.
    public var seed: UInt64
    /// Items stored (each on its R true holders) before the experiments (default 2,000).
    public var items = 2000
    /// Replicas per key, R (default 3).
    public var replicas = 3
    /// Fraction of the other members missing from each table at the start (default 0).
    public var stale: Double = 0
    /// Fraction of nodes failing at once in the mass-failure experiment (default 0.1).
    public var fail: Double = 0.1
    /// Joins plus leaves per node per day, for the maintenance estimate (default 0.001).
    public var churn: Double = 0.001
    /// Periods of steady state measured for the maintenance rate (default 300: one safety-net
    /// anti-entropy round at the default `antiEntropyEvery`).
    public var steadyPeriods = 300
    /// Most periods any experiment waits for convergence (default 64).
    public var maxPeriods = 64

    public init(nodes: Int, seed: UInt64) { self.nodes = nodes; self.seed = seed }

    enum CodingKeys: String, CodingKey {
        case nodes, seed, items, replicas, stale, fail, churn
        case steadyPeriods = "steady_periods", maxPeriods = "max_periods"
    }
}

/// What a node-level run measured; periods are maintenance periods (1 s by default).
/// A nil period count means "not within `max_periods`". Deterministic given the options.
public struct NodeSimReport: Sendable, Codable, Equatable {
    public var options: NodeSimOptions
    /// With `stale` > 0: periods until every table listed every member.
    public var staleTablesFullAfterPeriods: Int?
    /// Periods until every member listed a newly joined node.
    public var joinConvergencePeriods: Int?
    /// Periods until every member removed a node that failed silently (detection included).
    public var failureConvergencePeriods: Int?
    /// Requests (beyond liveness pings) one join and one failure caused, network-wide.
    public var messagesPerJoin: Int
    public var messagesPerFailure: Int
    /// Requests per node per minute in steady state: liveness pings, and everything else.
    public var livenessPingsPerNodePerMinute: Double
    public var steadyMaintenancePerNodePerMinute: Double
    /// Steady maintenance plus `churn` events per node per day at the measured cost per event.
    public var maintenancePerNodePerMinuteWithChurn: Double
    /// Mass failure of `fail`·N nodes at once.
    public var failedNodes: Int
    public var itemsWithoutLiveHolder: Int
    /// Periods until every item that kept a live holder was again on all R of its true live holders.
    public var replicationRestoredAfterPeriods: Int?
    /// Periods until every table listed exactly the live members after the mass failure.
    public var tablesConvergedAfterFailurePeriods: Int?
    /// Items per live node after recovery (max and mean).
    public var itemsPerNodeMax: Int
    public var itemsPerNodeMean: Double

    enum CodingKeys: String, CodingKey {
        case options
        case staleTablesFullAfterPeriods = "stale_tables_full_after_periods"
        case joinConvergencePeriods = "join_convergence_periods"
        case failureConvergencePeriods = "failure_convergence_periods"
        case messagesPerJoin = "messages_per_join"
        case messagesPerFailure = "messages_per_failure"
        case livenessPingsPerNodePerMinute = "liveness_pings_per_node_per_minute"
        case steadyMaintenancePerNodePerMinute = "steady_maintenance_per_node_per_minute"
        case maintenancePerNodePerMinuteWithChurn = "maintenance_per_node_per_minute_with_churn"
        case failedNodes = "failed_nodes"
        case itemsWithoutLiveHolder = "items_without_live_holder"
        case replicationRestoredAfterPeriods = "replication_restored_after_periods"
        case tablesConvergedAfterFailurePeriods = "tables_converged_after_failure_periods"
        case itemsPerNodeMax = "items_per_node_max"
        case itemsPerNodeMean = "items_per_node_mean"
    }
}
