import Synchronization

/// Counters, gauges and histograms for `/metrics` (Prometheus text exposition format 0.0.4).
///
/// One registry per node; every layer records into it by metric name and labels. Thread-safe
/// (one mutex, held only to add a number). Label values must never carry personal data.
public final class MetricsRegistry: Sendable {
    /// Upper bounds (seconds) of the latency histogram buckets.
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct Key: Hashable, Comparable {
        var name: String
        var labels: [String]  // "k=v" pairs, sorted
        static func < (a: Key, b: Key) -> Bool { (a.name, a.labels.joined(separator: ",")) < (b.name, b.labels.joined(separator: ",")) }
    }

    private struct Histogram {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private struct State {
        var help: [String: (type: String, text: String)] = [:]
        var counters: [Key: Double] = [:]
        var gauges: [Key: Double] = [:]
        var histograms: [Key: Histogram] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Declares a metric's type and help line (once; later calls are ignored).
    public func describe(_ name: String, type: String, help: String) {
        state.withLock { s in if s.help[name] == nil { s.help[name] = (type, help) } }
    }

    /// Adds `value` to a counter.
    public func increment(_ name: String, by value: Double = 1, labels: [(String, String)] = []) {
        let key = Key(name: name, labels: Self.render(labels))
        state.withLock { $0.counters[key, default: 0] += value }
    }

    /// Sets a gauge.
    public func set(_ name: String, _ value: Double, labels: [(String, String)] = []) {
        let key = Key(name: name, labels: Self.render(labels))
        state.withLock { $0.gauges[key] = value }
    }

    /// Records one observation (seconds) in a latency histogram.
    public func observe(_ name: String, seconds: Double, labels: [(String, String)] = []) {
        let key = Key(name: name, labels: Self.render(labels))
        state.withLock { s in
            var h = s.histograms[key] ?? Histogram(counts: Array(repeating: 0, count: Self.latencyBuckets.count))
            for (i, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { h.counts[i] += 1 }
            h.sum += seconds
            h.count += 1
            s.histograms[key] = h
        }
    }

    /// The current value of a counter (tests and status pages).
    public func counter(_ name: String, labels: [(String, String)] = []) -> Double {
        let key = Key(name: name, labels: Self.render(labels))
        return state.withLock { $0.counters[key] ?? 0 }
    }

    /// Every metric in the Prometheus text format, sorted by name for stable output.
    public func exposition() -> String {
        let s = state.withLock { $0 }
        var out = ""
        var described = Set<String>()
        func header(_ name: String, _ fallback: String) {
            guard described.insert(name).inserted else { return }
            let h = s.help[name]
            out += "# HELP \(name) \(h?.text ?? name)\n# TYPE \(name) \(h?.type ?? fallback)\n"
        }
        func labels(_ l: [String], extra: String? = nil) -> String {
            let all = l + (extra.map { [$0] } ?? [])
            return all.isEmpty ? "" : "{" + all.joined(separator: ",") + "}"
        }
        for (k, v) in s.counters.sorted(by: { $0.key < $1.key }) {
            header(k.name, "counter")
            out += "\(k.name)\(labels(k.labels)) \(Self.number(v))\n"
        }
        for (k, v) in s.gauges.sorted(by: { $0.key < $1.key }) {
            header(k.name, "gauge")
            out += "\(k.name)\(labels(k.labels)) \(Self.number(v))\n"
        }
        for (k, h) in s.histograms.sorted(by: { $0.key < $1.key }) {
            header(k.name, "histogram")
            for (i, bound) in Self.latencyBuckets.enumerated() {
                out += "\(k.name)_bucket\(labels(k.labels, extra: "le=\"\(bound)\"")) \(h.counts[i])\n"
            }
            out += "\(k.name)_bucket\(labels(k.labels, extra: "le=\"+Inf\"")) \(h.count)\n"
            out += "\(k.name)_sum\(labels(k.labels)) \(h.sum)\n\(k.name)_count\(labels(k.labels)) \(h.count)\n"
        }
        return out
    }

    private static func render(_ labels: [(String, String)]) -> [String] {
        labels.map { k, v in
            var escaped = ""
            for ch in v {
                switch ch {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(ch)
                }
            }
            return "\(k)=\"\(escaped)\""
        }.sorted()
    }

    private static func number(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
