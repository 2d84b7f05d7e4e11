import CourseMesh
import Foundation
import MeshCore
import Overlay

/// `coursemesh sim`: runs the deterministic overlay simulator and prints its report.
struct SimCommand: Command {
    static let spec = CommandSpec(
        name: "sim",
        summary: "simulate the overlay (lookups, stale tables, failures) deterministically",
        options: [
            .value("nodes", "N", default: "1000", help: "members of the simulated ring"),
            .value("lookups", "L", default: "10000", help: "lookups from random nodes for random keys"),
            .value("seed", "S", default: "1", help: "seed of every random choice"),
            .value("stale", "F", default: "0", help: "fraction of members missing from each table (0-0.99)"),
            .value("fail", "K", default: "0", help: "fraction of nodes failing at once before the lookups (0-0.9); the node-level run uses 0.1 when 0"),
            .value("keys", "K", default: "10000", help: "keys placed on R replicas to count holders"),
            .value("replicas", "R", default: "3", help: "replicas per key"),
            .value("loss", "P", default: "0", help: "probability that a message is lost"),
            .value("churn", "RATE", default: "0.001", help: "joins+leaves per node per day, for the maintenance figure"),
            .value("node-level", "MODE", default: "auto", help: "run real OverlayNodes too: auto (N <= 10,000), on, off"),
            .value("items", "I", default: "2000", help: "items stored in the node-level run"),
            .value("steady-periods", "P", default: "300", help: "steady-state periods measured in the node-level run"),
            .flag("json", help: "print the report as JSON"),
            .flag("no-timing", help: "omit wall time and peak memory, so equal seeds print identical bytes"),
        ],
        notes: ["The report except wall_seconds and peak_memory_mb is a pure function of the options."])

    static func run(_ options: ParsedOptions, environment: [String: String]) async throws -> Int32 {
        var sim = SimOptions(nodes: try options.int("nodes") ?? 1000, lookups: try options.int("lookups") ?? 10000,
                             seed: UInt64(try options.int("seed") ?? 1))
        sim.stale = try options.double("stale") ?? 0
        sim.fail = try options.double("fail") ?? 0
        sim.keys = try options.int("keys") ?? 10000
        sim.replicas = try options.int("replicas") ?? 3
        sim.loss = try options.double("loss") ?? 0
        guard sim.nodes >= 1, sim.lookups >= 0, (0..<1).contains(sim.stale), (0...0.9).contains(sim.fail),
              sim.replicas >= 1, (0..<1).contains(sim.loss) else {
            throw CommandLineError("out-of-range option; see coursemesh sim --help")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let report = Simulation.run(sim)
        let nodeLevel = try await runNodeLevel(options, sim: sim)
        let wall = clock.now - start
        struct Output: Encodable {
            var report: SimReport
            var nodeLevel: NodeSimReport?
            var wallSeconds: Double?
            var peakMemoryMB: Double?
            func encode(to encoder: any Encoder) throws {
                try report.encode(to: encoder)
                var c = encoder.container(keyedBy: K.self)
                try c.encodeIfPresent(nodeLevel, forKey: .nodeLevel)
                try c.encodeIfPresent(wallSeconds, forKey: .wall)
                try c.encodeIfPresent(peakMemoryMB, forKey: .peak)
            }
            enum K: String, CodingKey { case nodeLevel = "node_level", wall = "wall_seconds", peak = "peak_memory_mb" }
        }
        let timing = !options.flag("no-timing")
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let out = Output(report: report, nodeLevel: nodeLevel, wallSeconds: timing ? (seconds * 1000).rounded() / 1000 : nil,
                         peakMemoryMB: timing ? peakMemoryMB() : nil)
        if options.flag("json") {
            print(try JSONCoding.encodeString(out, pretty: true))
        } else {
            let r = report
            print("nodes \(sim.nodes)  lookups \(sim.lookups)  stale \(sim.stale)  fail \(sim.fail)")
            print("requests/lookup mean \(r.requestsPerLookup.mean) p99 \(r.requestsPerLookup.p99) max \(r.requestsPerLookup.max)")
            print("success \(r.successRate)  keys/node max \(r.keysPerNodeMax) mean \(r.keysPerNodeMean)  orphaned keys \(r.keysWithoutLiveHolder)")
            if let n = nodeLevel {
                func p(_ x: Int?) -> String { x.map(String.init) ?? "not within \(n.options.maxPeriods)" }
                print("node-level: join converges in \(p(n.joinConvergencePeriods)) periods, failure in \(p(n.failureConvergencePeriods))")
                print("maintenance/node/min: steady \(n.steadyMaintenancePerNodePerMinute), with churn \(n.maintenancePerNodePerMinuteWithChurn) (liveness pings \(n.livenessPingsPerNodePerMinute))")
                print("after \(n.failedNodes) failures: \(n.itemsWithoutLiveHolder) items without holder, replication restored in \(p(n.replicationRestoredAfterPeriods)) periods, tables in \(p(n.tablesConvergedAfterFailurePeriods))")
                if n.options.stale > 0 { print("stale tables full after \(p(n.staleTablesFullAfterPeriods)) periods") }
            }
            if timing { print("wall \(out.wallSeconds ?? 0) s  peak \(out.peakMemoryMB ?? 0) MB") }
        }
        return 0
    }

    /// The node-level run (real `OverlayNode`s over `MemoryNetwork`) when `--node-level` asks for it.
    static func runNodeLevel(_ options: ParsedOptions, sim: SimOptions) async throws -> NodeSimReport? {
        let mode = options.string("node-level") ?? "auto"
        guard ["auto", "on", "off"].contains(mode) else { throw CommandLineError("--node-level must be auto, on or off") }
        guard mode == "on" || (mode == "auto" && sim.nodes <= 10_000), sim.nodes >= 4 else { return nil }
        var o = NodeSimOptions(nodes: sim.nodes, seed: sim.seed)
        o.stale = sim.stale
        o.fail = sim.fail > 0 ? sim.fail : 0.1
        o.replicas = sim.replicas
        o.churn = try options.double("churn") ?? 0.001
        o.items = try options.int("items") ?? 2000
        o.steadyPeriods = try options.int("steady-periods") ?? 300
        guard o.churn >= 0, o.items >= 0, o.steadyPeriods >= 1 else { throw CommandLineError("out-of-range option; see coursemesh sim --help") }
        return await NodeSimulation.run(o)
    }

    /// Peak resident set size of this process (getrusage's ru_maxrss, KB on Linux), in MB.
    static func peakMemoryMB() -> Double? {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10
    }
}
