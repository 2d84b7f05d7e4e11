/// Where a Moodle database is, parsed from a DSN string. Pure value, no I/O.
///
/// Accepted forms:
/// - `postgres://user:pass@host:port/db?prefix=mdl_&sslmode=require` (`postgresql://` too);
///   a Unix socket directory as the host, either percent-encoded (`postgres://u@%2Fvar%2Frun%2Fpostgresql/db`)
///   or as a parameter (`postgres://u@/db?host=/var/run/postgresql`);
/// - `sqlite:///absolute/path/to/file.sqlite?prefix=mdl_` (opened read-only).
///
/// `prefix` defaults to `mdl_`. `description` never shows the password.
public enum MoodleDSN: Sendable, Equatable, CustomStringConvertible {
    /// A PostgreSQL server reached through libpq.
    case postgres(PostgresTarget)
    /// An SQLite file holding Moodle's tables.
    case sqlite(path: String, prefix: String)

    /// The table-name prefix (`mdl_` unless the DSN says otherwise).
    public var prefix: String {
        switch self {
        case .postgres(let t): t.prefix
        case .sqlite(_, let prefix): prefix
        }
    }

    /// The DSN with the password replaced by `***`, safe for logs and errors.
    public var description: String {
        switch self {
        case .postgres(let t): t.description
        case .sqlite(let path, let prefix): "sqlite://\(path)?prefix=\(prefix)"
        }
    }

    /// Parses `text`; throws `MoodleSourceError` (`moodle_dsn_invalid`) naming what is wrong.
    public static func parse(_ text: String) throws(MoodleSourceError) -> MoodleDSN {
        let trimmed = text.trimmingSpaces
        if let rest = trimmed.dropPrefix("sqlite://") ?? trimmed.dropPrefix("sqlite:") {
            let (pathPart, query) = rest.splitOnce("?")
            let params = try parseQuery(query, allowed: ["prefix"])
            let path = try percentDecode(pathPart)
            guard path.hasPrefix("/"), path.count > 1 else {
                throw invalid("an SQLite DSN needs an absolute file path: sqlite:///path/to/moodle.sqlite")
            }
            return .sqlite(path: path, prefix: try validPrefix(params["prefix"] ?? "mdl_"))
        }
        guard let rest = trimmed.dropPrefix("postgres://") ?? trimmed.dropPrefix("postgresql://") else {
            throw invalid("the DSN must start with postgres://, postgresql:// or sqlite:// (got '\(trimmed.prefix(12))…')")
        }
        let (main, query) = rest.splitOnce("?")
        let params = try parseQuery(query, allowed: ["prefix", "sslmode", "host", "port", "connect_timeout", "user", "password", "dbname"])
        let (authority, pathPart) = main.splitOnce("/")
        var target = PostgresTarget()
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = String(authority[..<at])
            hostPort = String(authority[authority.index(after: at)...])
            let (user, password) = userInfo.splitOnce(":")
            target.user = try percentDecode(user)
            if !password.isEmpty || userInfo.contains(":") { target.password = try percentDecode(password) }
        }
        let (host, port) = hostPort.hasPrefix("[") ? splitBracketed(hostPort) : hostPort.splitOnce(":")
        target.host = try percentDecode(host)
        if !port.isEmpty {
            guard let p = Int(port), (1...65535).contains(p) else { throw invalid("the port '\(port)' is not a number from 1 to 65535") }
            target.port = p
        }
        target.database = try percentDecode(pathPart)
        if let h = params["host"] { target.host = h }
        if let u = params["user"] { target.user = u }
        if let pw = params["password"] { target.password = pw }
        if let d = params["dbname"] { target.database = d }
        if let p = params["port"] {
            guard let n = Int(p), (1...65535).contains(n) else { throw invalid("the port '\(p)' is not a number from 1 to 65535") }
            target.port = n
        }
        if let mode = params["sslmode"] {
            let modes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
            guard modes.contains(mode) else { throw invalid("sslmode must be one of \(modes.joined(separator: ", ")) (got '\(mode)')") }
            target.sslMode = mode
        }
        if let t = params["connect_timeout"] {
            guard let n = Int(t), n > 0 else { throw invalid("connect_timeout must be a positive number of seconds (got '\(t)')") }
            target.connectTimeoutSeconds = n
        }
        guard !target.database.isEmpty else {
            throw invalid("the DSN names no database: postgres://user:pass@host:5432/moodle")
        }
        target.prefix = try validPrefix(params["prefix"] ?? "mdl_")
        return .postgres(target)
    }

    static func invalid(_ what: String) -> MoodleSourceError {
        MoodleSourceError(.invalidDSN, "Invalid Moodle DSN: \(what).")
    }

    /// Moodle's own rule for `$CFG->prefix`: letters, digits and underscores, at most 30 characters
    /// (they end up inside SQL identifiers, so nothing else may pass).
    static func validPrefix(_ prefix: String) throws(MoodleSourceError) -> String {
        let ok = prefix.count <= 30 && prefix.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
        }
        guard ok else { throw invalid("the prefix '\(prefix)' may only hold letters, digits and '_' (30 at most)") }
        return prefix
    }

    static func parseQuery(_ query: String, allowed: Set<String>) throws(MoodleSourceError) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let (key, value) = String(pair).splitOnce("=")
            guard allowed.contains(key) else {
                throw invalid("unknown parameter '\(key)' (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            out[key] = try percentDecode(value)
        }
        return out
    }

    static func percentDecode(_ s: String) throws(MoodleSourceError) -> String {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else {
                    throw invalid("bad percent-encoding in '\(s.prefix(40))'")
                }
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func splitBracketed(_ s: String) -> (String, String) {
        guard let close = s.firstIndex(of: "]") else { return (s, "") }
        let host = String(s[s.index(after: s.startIndex)..<close])
        let after = s[s.index(after: close)...]
        return (host, after.hasPrefix(":") ? String(after.dropFirst()) : "")
    }
}

/// The parts of a PostgreSQL DSN, as libpq connection keywords.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    /// Host name, IP address, or a Unix socket directory (starts with `/`); empty = libpq's default.
    public var host = ""
    public var port: Int?
    public var database = ""
    public var user = ""
    /// Never printed by `description`.
    public var password: String?
    /// libpq `sslmode`; nil leaves libpq's default (`prefer`).
    public var sslMode: String?
    /// libpq `connect_timeout`; nil uses `MoodleReaderSettings.connectTimeout`.
    public var connectTimeoutSeconds: Int?
    public var prefix = "mdl_"

    public init() {}

    /// `postgres://user:***@host:port/db?prefix=…`, for logs and errors.
    public var description: String {
        var s = "postgres://"
        if !user.isEmpty { s += user + (password == nil ? "" : ":***") + "@" }
        s += host.hasPrefix("/") ? "" : host
        if let port { s += ":\(port)" }
        s += "/\(database)?prefix=\(prefix)"
        if host.hasPrefix("/") { s += "&host=\(host)" }
        if let sslMode { s += "&sslmode=\(sslMode)" }
        return s
    }

    /// Where the server is, for error messages: `host:port` or the socket directory.
    var place: String {
        let h = host.isEmpty ? "localhost" : host
        return h.hasPrefix("/") ? "socket directory \(h)" : "\(h):\(port ?? 5432)"
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    func dropPrefix(_ p: String) -> String? { hasPrefix(p) ? String(dropFirst(p.count)) : nil }

    /// Splits at the first `separator`: ("a", "b=c") for "a?b=c"; ("a", "") when absent.
    func splitOnce(_ separator: Character) -> (String, String) {
        guard let i = firstIndex(of: separator) else { return (self, "") }
        return (String(self[..<i]), String(self[index(after: i)...]))
    }
}
