#if canImport(Glibc)
import Glibc
#endif

/// A point in wall-clock time, in milliseconds since the Unix epoch (UTC).
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public init(seconds: Int64) { self.milliseconds = seconds * 1000 }

    /// Whole seconds since the epoch (Moodle and the wire protocol count in seconds).
    public var seconds: Int64 { milliseconds / 1000 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }
    public static func + (a: Timestamp, d: Duration) -> Timestamp { Timestamp(milliseconds: a.milliseconds + d.milliseconds) }
    public static func - (a: Timestamp, d: Duration) -> Timestamp { Timestamp(milliseconds: a.milliseconds - d.milliseconds) }
    public static func - (a: Timestamp, b: Timestamp) -> Duration { .milliseconds(a.milliseconds - b.milliseconds) }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-21T01:02:03.004Z`.
    public var description: String { RFC3339.format(self) }

    public init(from decoder: any Decoder) throws { milliseconds = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(milliseconds)
    }
}

extension Duration {
    /// The duration rounded down to whole milliseconds.
    public var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}

/// Where the overlay, search and rollup logic read the time and wait.
///
/// Real nodes use `SystemClock`; tests use `ManualClock`, whose time moves only when told.
/// Implementations are thread-safe.
public protocol Clock: Sendable {
    /// The current wall-clock time.
    func now() -> Timestamp
    /// Suspends the caller for `duration` of this clock's time; throws `CancellationError` if cancelled.
    func sleep(for duration: Duration) async throws
}

/// The operating system's real-time clock.
public struct SystemClock: Clock {
    public init() {}

    public func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

/// Formatting of timestamps as RFC 3339 (UTC), without Foundation.
public enum RFC3339 {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func format(_ t: Timestamp) -> String {
        let ms = Int(((t.milliseconds % 1000) + 1000) % 1000)
        let totalSeconds = Int((t.milliseconds - Int64(ms)) / 1000)
        let (y, m, d, hh, mm, ss) = civil(totalSeconds)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2)).\(pad(ms, 3))Z"
    }

    /// Civil date from Unix seconds (Howard Hinnant's days-from-civil inverse).
    public static func civil(_ unixSeconds: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var days = unixSeconds / 86400
        var rem = unixSeconds % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
    }
}
