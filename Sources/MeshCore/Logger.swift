#if canImport(Glibc)
import Glibc
#endif

/// A structured logger that writes one logfmt line per event
/// (`time=… level=info label=http msg="listening" addr=127.0.0.1:8080`).
///
/// A value type: copy it and change `level` or add `metadata` freely. Writing is thread-safe
/// (one `write(2)` per line). Never pass personal data from Moodle as a field.
public struct Logger: Sendable {
    /// Severity, lowest first.
    public enum Level: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warn"
            case .error: "error"
            }
        }

        /// Parses `trace`, `debug`, `info`, `notice`, `warn`/`warning`, `error`.
        public init?(name: String) {
            switch name.lowercased() {
            case "trace": self = .trace
            case "debug": self = .debug
            case "info": self = .info
            case "notice": self = .notice
            case "warn", "warning": self = .warning
            case "error": self = .error
            default: return nil
            }
        }
    }

    /// Where lines go.
    public enum Sink: Sendable {
        case standardError
        case standardOutput
        /// Collects lines in memory (tests).
        case memory(LogBuffer)
        /// Drops everything.
        case discard
    }

    public var label: String
    public var level: Level
    public var sink: Sink
    /// Fields appended to every line of this logger.
    public var metadata: [(String, String)] = []
    /// The clock stamped on each line.
    public var clock: any Clock = SystemClock()

    public init(label: String, level: Level = .info, sink: Sink = .standardError) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    public func trace(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) { log(.trace, message(), fields) }
    public func debug(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) { log(.debug, message(), fields) }
    public func info(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) { log(.info, message(), fields) }
    public func notice(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) { log(.notice, message(), fields) }
    public func warning(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) { log(.warning, message(), fields) }
    public func error(_ message: @autoclosure () -> String, _ fields: [(String, String)] = []) { log(.error, message(), fields) }

    /// Writes one line if `level` is at or above this logger's level.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ fields: [(String, String)] = []) {
        guard level >= self.level else { return }
        if case .discard = sink { return }
        var line = "time=\(clock.now()) level=\(level) label=\(Logfmt.value(label)) msg=\(Logfmt.value(message()))"
        for (k, v) in metadata + fields { line += " \(Logfmt.key(k))=\(Logfmt.value(v))" }
        line += "\n"
        switch sink {
        case .standardError: Logger.write(line, to: 2)
        case .standardOutput: Logger.write(line, to: 1)
        case .memory(let buffer): buffer.append(line)
        case .discard: break
        }
    }

    private static func write(_ line: String, to fd: Int32) {
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
        bytes.removeAll()
    }
}

/// Quoting rules of logfmt: bare when safe, else double-quoted with `"` and `\` escaped.
public enum Logfmt {
    /// A key with anything but `[A-Za-z0-9_.-]` replaced by `_`.
    public static func key(_ k: String) -> String {
        String(k.unicodeScalars.map { isBare($0) ? Character($0) : "_" })
    }

    /// A value, quoted when it contains spaces, `=`, quotes or control characters.
    public static func value(_ v: String) -> String {
        if !v.isEmpty && v.unicodeScalars.allSatisfy({ isBare($0) || $0 == ":" || $0 == "/" }) { return v }
        var out = "\""
        for s in v.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if s.value < 0x20 || s.value == 0x7f { out += "\\u{\(String(s.value, radix: 16))}" } else { out.unicodeScalars.append(s) }
            }
        }
        return out + "\""
    }

    private static func isBare(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": true
        default: false
        }
    }
}

/// Lines captured by a `.memory` sink. Thread-safe.
public final class LogBuffer: Sendable {
    private let storage = Mutex<[String]>([])
    public init() {}
    public func append(_ line: String) { storage.withLock { $0.append(line) } }
    /// Every line written so far, oldest first.
    public var lines: [String] { storage.withLock { $0 } }
}

import Synchronization
