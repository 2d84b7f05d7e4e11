import MeshCore

/// Why reading a Moodle failed, with a message that says what to fix.
///
/// Messages name hosts, databases, prefixes and tables, never a password or any row content,
/// so they are safe to log and to show. Conforms to `ServiceError` (status 400 for a bad DSN,
/// 503 when the database cannot be reached, 502 for everything the database answered wrongly).
public struct MoodleSourceError: ServiceError, CustomStringConvertible, Equatable {
    /// The kind of failure; stable, one per `code`.
    public enum Kind: String, Sendable, CaseIterable {
        case invalidDSN = "moodle_dsn_invalid"
        case unreachable = "moodle_unreachable"
        case authenticationFailed = "moodle_authentication_failed"
        case databaseMissing = "moodle_database_missing"
        case wrongPrefix = "moodle_wrong_prefix"
        case notMoodle = "moodle_not_a_moodle_database"
        case unsupportedVersion = "moodle_version_unsupported"
        case queryFailed = "moodle_query_failed"
    }

    public var kind: Kind
    public var message: String
    /// Tables that were looked for and not found (only for `wrongPrefix` and `notMoodle`).
    public var missingTables: [String]

    public init(_ kind: Kind, _ message: String, missingTables: [String] = []) {
        self.kind = kind
        self.message = message
        self.missingTables = missingTables
    }

    public var code: String { kind.rawValue }

    public var status: Int {
        switch kind {
        case .invalidDSN: 400
        case .unreachable: 503
        default: 502
        }
    }

    public var description: String { "\(code): \(message)" }
}
