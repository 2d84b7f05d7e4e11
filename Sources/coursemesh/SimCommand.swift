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
            .value("fail", "K", default: "0", help: "fraction of nodes failing at once before the lookups (0-0.9)"),
            .value("keys", "K", default: "10000", help: "keys placed on R replicas to count holders"),
            .value("replicas", "R", default: "3", help: "replicas per key"),
            .value("loss", "P", default: "0", help: "probability that a message is lost"),
            .value("churn", "RATE", help: "joins+leaves per node per day (not simulated yet; refused)"),
            .flag("json", help: "print the report as JSON"),
            .flag("no-timing", help: "omit wall time and peak memory, so equal seeds print identical bytes"),
        ],
        notes: ["The report except wall_seconds and peak_memory_mb is a pure function of the options."])

    static func run(_ options: ParsedOptions, environment: [String: String]) async throws -> Int32 {
        if options.string("churn") != nil {
            throw CommandLineError("--churn is not simulated yet: membership protocol simulation is pending")
        }
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
        let wall = clock.now - start
        struct Output: Encodable {
            var report: SimReport
            var wallSeconds: Double?
            var peakMemoryMB: Double?
            func encode(to encoder: any Encoder) throws {
                try report.encode(to: encoder)
                var c = encoder.container(keyedBy: K.self)
                try c.encodeIfPresent(wallSeconds, forKey: .wall)
                try c.encodeIfPresent(peakMemoryMB, forKey: .peak)
            }
            enum K: String, CodingKey { case wall = "wall_seconds", peak = "peak_memory_mb" }
        }
        let timing = !options.flag("no-timing")
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let out = Output(report: report, wallSeconds: timing ? (seconds * 1000).rounded() / 1000 : nil,
                         peakMemoryMB: timing ? peakMemoryMB() : nil)
        if options.flag("json") {
            print(try JSONCoding.encodeString(out, pretty: true))
        } else {
            let r = report
            print("nodes \(sim.nodes)  lookups \(sim.lookups)  stale \(sim.stale)  fail \(sim.fail)")
            print("requests/lookup mean \(r.requestsPerLookup.mean) p99 \(r.requestsPerLookup.p99) max \(r.requestsPerLookup.max)")
            print("success \(r.successRate)  keys/node max \(r.keysPerNodeMax) mean \(r.keysPerNodeMean)  orphaned keys \(r.keysWithoutLiveHolder)")
            if timing { print("wall \(out.wallSeconds ?? 0) s  peak \(out.peakMemoryMB ?? 0) MB") }
        }
        return 0
    }

    /// VmHWM from /proc/self/status, in MB; nil where unavailable.
    static func peakMemoryMB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return kb.map { ($0 / 1024 * 10).rounded() / 10 }
        }
        return nil
    }
}
