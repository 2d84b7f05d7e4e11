import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import MeshHTTP

/// Throughput of 1 KB POSTs to one peer over 8 reused connections, for Docs/benchmarks.md.
/// Runs only with COURSEMESH_BENCH=1 and COURSEMESH_BENCH_URL (e.g. the Hummingbird peer's
/// `http://127.0.0.1:18080/echo`); bounded to `requestsPerRun` requests per implementation.
/// Compares the client (libcurl multi) with URLSession configured as the alternative would be.
@Suite struct HTTPClientBenchmarkTests {
    static let enabled = ProcessInfo.processInfo.environment["COURSEMESH_BENCH"] == "1"
    static let url = ProcessInfo.processInfo.environment["COURSEMESH_BENCH_URL"] ?? ""
    static let requestsPerRun = 20_000
    static let workers = 8

    @Test(.enabled(if: enabled && !url.isEmpty))
    func postThroughputOverEightConnections() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 1024)
        let client = HTTPClient()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = Self.workers
        configuration.timeoutIntervalForRequest = 10
        let session = URLSession(configuration: configuration)
        let target = URL(string: Self.url)!

        let curl = try await Self.measure {
            _ = try await client.send(method: "POST", url: Self.url, body: body)
        }
        let foundation = try await Self.measure {
            var request = URLRequest(url: target)
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            let (_, response) = try await session.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
        }
        print("BENCH libcurl-multi: \(curl.rate) req/s p50 \(curl.p50Micros) us")
        print("BENCH URLSession:    \(foundation.rate) req/s p50 \(foundation.p50Micros) us")
        #expect(curl.rate > 0 && foundation.rate > 0)
    }

    /// Runs `requestsPerRun` calls of `call` from 8 concurrent workers; returns req/s and p50.
    static func measure(_ call: @escaping @Sendable () async throws -> Void) async throws -> (rate: Int, p50Micros: Int) {
        for _ in 0..<200 { try await call() }  // warm-up: open connections, fill caches
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var mine: [Duration] = []
                    for _ in 0..<(requestsPerRun / workers) {
                        let began = clock.now
                        try await call()
                        mine.append(clock.now - began)
                    }
                    return mine
                }
            }
            var all: [Duration] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let p50 = latencies[latencies.count / 2].components
        return (Int(Double(latencies.count) / seconds), Int(p50.seconds * 1_000_000 + p50.attoseconds / 1_000_000_000_000))
    }
}
