/// One SQLite value: what a statement binds and what a row holds. SQLite's five storage classes.
///
/// Literals work: `[1, "en", nil, 2.5]` is a valid argument list.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// Converts any supported Swift value (`Int`, `Int64`, `Double`, `String`, `Bool`, `[UInt8]`,
    /// optionals of them) to its SQL value; `nil` becomes `.null`.
    public init(_ value: some SQLValueConvertible) { self = value.sqlValue }

    /// True for `.null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// A short rendering for messages (blobs as their length).
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return "'\(v)'"
        case .blob(let v): return "<\(v.count) bytes>"
        }
    }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
    public init(nilLiteral: ()) { self = .null }
}

/// A Swift type that maps to and from one SQL value. Decoding is strict: an integer column does
/// not silently become a string, NULL only decodes into an `Optional`.
public protocol SQLValueConvertible {
    /// The value to bind.
    var sqlValue: SQLValue { get }
    /// The Swift value for a column value, or nil when the column's type does not fit.
    init?(sqlValue: SQLValue)
}

extension SQLValue: SQLValueConvertible {
    public var sqlValue: SQLValue { self }
    public init?(sqlValue: SQLValue) { self = sqlValue }
}

extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let v) = sqlValue else { return nil }
        self = v
    }
}

extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let v) = sqlValue, let i = Int(exactly: v) else { return nil }
        self = i
    }
}

extension Int32: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let v) = sqlValue, let i = Int32(exactly: v) else { return nil }
        self = i
    }
}

extension Bool: SQLValueConvertible {
    /// Stored as 0 or 1, as SQLite itself does.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init?(sqlValue: SQLValue) {
        guard case .integer(let v) = sqlValue, v == 0 || v == 1 else { return nil }
        self = v == 1
    }
}

extension Double: SQLValueConvertible {
    public var sqlValue: SQLValue { .real(self) }
    /// Accepts integer columns too: SQLite stores whole REAL values of a REAL column as integers.
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let v): self = v
        case .integer(let v): self = Double(v)
        default: return nil
        }
    }
}

extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let v) = sqlValue else { return nil }
        self = v
    }
}

extension Array: SQLValueConvertible where Element == UInt8 {
    public var sqlValue: SQLValue { .blob(self) }
    public init?(sqlValue: SQLValue) {
        guard case .blob(let v) = sqlValue else { return nil }
        self = v
    }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    public init?(sqlValue: SQLValue) {
        if case .null = sqlValue {
            self = .none
        } else if let v = Wrapped(sqlValue: sqlValue) {
            self = .some(v)
        } else {
            return nil
        }
    }
}
