import Synchronization
import MeshCore

/// Per-client token buckets (one per client address): each holds up to `burst` tokens, refills
/// at `ratePerSecond`, and a request takes one token. A pure value with the time passed in, so
/// it is tested without sockets or clocks. Not thread-safe (a value; `ClientLimits` guards it).
public struct TokenBucketTable: Sendable {
    /// Sustained requests per second per client; 0 or less disables limiting.
    public var ratePerSecond: Double
    /// Requests a client may send at once after being quiet.
    public var burst: Double
    /// Most clients tracked at once; past it, clients whose buckets are full again are
    /// forgotten (they would start full anyway), so memory stays bounded under address floods.
    public var maxClients: Int

    struct Bucket: Sendable { var tokens: Double; var updated: Int64 }
    var buckets: [String: Bucket] = [:]

    /// An empty table (every client starts with a full bucket).
    public init(ratePerSecond: Double, burst: Int, maxClients: Int = 100_000) {
        self.ratePerSecond = ratePerSecond
        self.burst = Double(max(1, burst))
        self.maxClients = max(1, maxClients)
    }

    /// Takes one token from `client`'s bucket at time `nowMilliseconds` (monotonic). Returns nil
    /// when the request may go ahead, else the whole seconds (at least 1) until a token is back:
    /// the `Retry-After` value (RFC 9110 §10.2.3).
    public mutating func take(client: String, nowMilliseconds now: Int64) -> Int? {
        guard ratePerSecond > 0 else { return nil }
        var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
        let elapsed = Double(max(0, now - bucket.updated)) / 1000
        bucket.tokens = min(burst, bucket.tokens + elapsed * ratePerSecond)
        bucket.updated = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        if buckets[client] == nil && buckets.count >= maxClients { forgetRefilled(now: now) }
        if buckets.count < maxClients || buckets[client] != nil { buckets[client] = bucket }
        if allowed { return nil }
        let wait = (1 - bucket.tokens) / ratePerSecond
        return max(1, Int(wait.rounded(.up)))
    }

    /// Clients currently tracked.
    public var trackedClients: Int { buckets.count }

    /// Drops every bucket that has refilled to `burst` by `now`.
    mutating func forgetRefilled(now: Int64) {
        buckets = buckets.filter { _, b in b.tokens + Double(max(0, now - b.updated)) / 1000 * ratePerSecond < burst }
    }
}

/// What the server enforces per client address: the request-rate buckets and the open
/// connection counts. Thread-safe (one mutex each; held for a dictionary update only).
final class ClientLimits: Sendable {
    let requests: Mutex<TokenBucketTable>
    let connections = Mutex<[String: Int]>([:])
    let maxConnectionsPerAddress: Int
    let trustedProxies: Set<String>

    init(_ configuration: HTTPServer.Configuration) {
        requests = Mutex(TokenBucketTable(ratePerSecond: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst))
        maxConnectionsPerAddress = configuration.maxConnectionsPerAddress
        trustedProxies = Set(configuration.trustedProxies)
    }

    /// Counts a new connection from `address`; false (and nothing counted) when that address
    /// already holds `maxConnectionsPerAddress`. Trusted proxies are not capped.
    func openConnection(from address: String) -> Bool {
        if trustedProxies.contains(address) || maxConnectionsPerAddress <= 0 { return true }
        return connections.withLock { counts in
            let n = counts[address, default: 0]
            guard n < maxConnectionsPerAddress else { return false }
            counts[address] = n + 1
            return true
        }
    }

    /// Forgets a connection counted by `openConnection`.
    func closeConnection(from address: String) {
        if trustedProxies.contains(address) || maxConnectionsPerAddress <= 0 { return }
        connections.withLock { counts in
            let n = counts[address, default: 1] - 1
            if n <= 0 { counts[address] = nil } else { counts[address] = n }
        }
    }

    /// The client a request is counted against: the peer address, or, when the peer is a
    /// trusted proxy, the last `X-Forwarded-For` entry (the address the proxy itself saw; earlier
    /// entries are whatever the client claimed). A trusted proxy's own requests without the
    /// header are not limited (nil).
    func client(peer: String, headers: HTTPHeaders) -> String? {
        guard trustedProxies.contains(peer) else { return peer }
        guard let forwarded = headers.values(for: "X-Forwarded-For").last,
              let last = forwarded.split(separator: ",").last?.trimmingSpaces, !last.isEmpty else { return nil }
        return String(last.prefix(64))
    }

    /// nil when the request may go ahead, else the `Retry-After` seconds.
    func admit(peer: String, headers: HTTPHeaders) -> Int? {
        guard let client = client(peer: peer, headers: headers) else { return nil }
        let now = Syscall.monotonicMilliseconds()
        return requests.withLock { $0.take(client: client, nowMilliseconds: now) }
    }

    /// The 429 answer (RFC 6585 §4) with `Retry-After` and the JSON error body.
    static func tooManyRequests(retryAfter: Int) -> HTTPResponse {
        var response = HTTPResponse.error(PlainServiceError(status: 429, code: "rate_limited",
            message: "Too many requests from your address; wait \(retryAfter) s (Retry-After) and slow down."))
        response.headers.set("Retry-After", String(retryAfter))
        return response
    }
}
