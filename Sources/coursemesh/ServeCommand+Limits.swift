import CourseMesh
import Foundation
import MeshHTTP

/// `coursemesh serve`'s abuse limits: per-address request rate and connection cap, and the
/// reverse proxies whose `X-Forwarded-For` is believed (Docs/http.md, "Abuse limits").
enum ServeLimitOptions {
    static let defaults = HTTPServer.Configuration()

    static let options: [OptionSpec] = [
        .value("rate-limit", "PER_SECOND", env: "COURSEMESH_RATE_LIMIT", default: format(defaults.rateLimitPerSecond),
               help: "sustained requests per second per client address; beyond it 429 (0: off)"),
        .value("rate-burst", "COUNT", env: "COURSEMESH_RATE_BURST", default: String(defaults.rateLimitBurst),
               help: "requests a client address may send at once before the rate applies"),
        .value("max-connections-per-address", "COUNT", env: "COURSEMESH_MAX_CONNECTIONS_PER_ADDRESS",
               default: String(defaults.maxConnectionsPerAddress), help: "open connections per client address (0: no cap)"),
        .value("trusted-proxies", "ADDRS", env: "COURSEMESH_TRUSTED_PROXIES", default: defaults.trustedProxies.joined(separator: ","),
               help: "comma-separated proxy addresses whose X-Forwarded-For names the client"),
    ]

    /// Applies the parsed options to `configuration`; throws on a negative or non-numeric value.
    static func apply(_ options: ParsedOptions, to configuration: inout HTTPServer.Configuration) throws {
        if let rate = try options.double("rate-limit") {
            guard rate >= 0 else { throw CommandLineError("--rate-limit must be 0 or more requests per second") }
            configuration.rateLimitPerSecond = rate
        }
        if let burst = try options.int("rate-burst") {
            guard burst >= 1 else { throw CommandLineError("--rate-burst must be 1 or more") }
            configuration.rateLimitBurst = burst
        }
        if let cap = try options.int("max-connections-per-address") {
            guard cap >= 0 else { throw CommandLineError("--max-connections-per-address must be 0 or more") }
            configuration.maxConnectionsPerAddress = cap
        }
        if let proxies = options.string("trusted-proxies") {
            configuration.trustedProxies = proxies.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
