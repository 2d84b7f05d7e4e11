import MeshCore

/// A point on the 256-bit identifier ring shared by node ids and keys.
///
/// Stored as four 64-bit words, most significant first, so comparison is plain lexicographic
/// order of the big-endian digest. Arithmetic wraps modulo 2^256. A value type; thread-safe.
public struct RingKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Words from most (`w0`) to least (`w3`) significant.
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// The key from four words, most significant first.
    public init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// The key whose big-endian bytes are `digest` (exactly 32 bytes; shorter input is zero-padded on the right).
    public init(digest: [UInt8]) {
        var words: [UInt64] = [0, 0, 0, 0]
        for (i, byte) in digest.prefix(32).enumerated() {
            words[i / 8] |= UInt64(byte) << UInt64(56 - 8 * (i % 8))
        }
        self.init(words[0], words[1], words[2], words[3])
    }

    /// The all-zero key.
    public static let zero = RingKey(0, 0, 0, 0)

    /// SHA-256 of the UTF-8 bytes of `text`, as a ring key.
    public static func hash(_ text: String) -> RingKey { RingKey(digest: SHA256.digest(text)) }

    /// The key that owns the posting list of `term`: `H("term:" + term)`.
    public static func term(_ term: String) -> RingKey { hash("term:" + term) }
    /// The root key of the statistics rollup tree: `H("stats")`.
    public static let stats = RingKey.hash("stats")
    /// The key of a 3-character prefix (suggestions): `H("prefix:" + prefix)`; longer input is cut to 3 characters.
    public static func prefix(_ prefix: String) -> RingKey { hash("prefix:" + String(prefix.prefix(3))) }

    /// The 32 big-endian bytes of this key.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for w in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt64(shift))) }
        }
        return out
    }

    /// 64 lower-case hex digits.
    public var hex: String { bytes.hexString }
    public var description: String { hex }

    /// Parses 64 hex digits (either case); nil for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (i, c) in utf8.enumerated() {
            let v: UInt64
            switch c {
            case 48...57: v = UInt64(c - 48)
            case 97...102: v = UInt64(c - 87)
            case 65...70: v = UInt64(c - 55)
            default: return nil
            }
            words[i / 16] = words[i / 16] << 4 | v
        }
        self.init(words[0], words[1], words[2], words[3])
    }

    public static func < (a: RingKey, b: RingKey) -> Bool {
        if a.w0 != b.w0 { return a.w0 < b.w0 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        return a.w3 < b.w3
    }

    /// `a + b` modulo 2^256.
    public static func &+ (a: RingKey, b: RingKey) -> RingKey {
        let (s3, c3) = a.w3.addingReportingOverflow(b.w3)
        var (s2, c2) = a.w2.addingReportingOverflow(b.w2)
        var c2b = false
        if c3 { (s2, c2b) = s2.addingReportingOverflow(1) }
        var (s1, c1) = a.w1.addingReportingOverflow(b.w1)
        var c1b = false
        if c2 || c2b { (s1, c1b) = s1.addingReportingOverflow(1) }
        var s0 = a.w0 &+ b.w0
        if c1 || c1b { s0 = s0 &+ 1 }
        return RingKey(s0, s1, s2, s3)
    }

    /// `a - b` modulo 2^256.
    public static func &- (a: RingKey, b: RingKey) -> RingKey {
        a &+ (~b &+ RingKey(0, 0, 0, 1))
    }

    /// Bitwise complement.
    public static prefix func ~ (a: RingKey) -> RingKey { RingKey(~a.w0, ~a.w1, ~a.w2, ~a.w3) }

    /// 2^i for `i` in 0..<256.
    public static func powerOfTwo(_ i: Int) -> RingKey {
        precondition((0..<256).contains(i), "exponent must be in 0..<256")
        var words: [UInt64] = [0, 0, 0, 0]
        words[3 - i / 64] = 1 << UInt64(i % 64)
        return RingKey(words[0], words[1], words[2], words[3])
    }

    /// This key plus 2^i, wrapping: the start of Chord finger `i`.
    public func adding(powerOfTwo i: Int) -> RingKey { self &+ .powerOfTwo(i) }

    /// Clockwise distance from `self` to `other`: `(other - self) mod 2^256`.
    public func distance(to other: RingKey) -> RingKey { other &- self }

    /// True when `self` lies in the half-open ring interval `(from, to]`; `(x, x]` is the whole ring.
    public func isIn(after from: RingKey, upTo to: RingKey) -> Bool {
        if from == to { return true }
        return from.distance(to: self) <= from.distance(to: to) && self != from
    }

    /// True when `self` lies in the open ring interval `(from, to)`; `(x, x)` is the ring without x.
    public func isStrictlyBetween(_ from: RingKey, _ to: RingKey) -> Bool {
        if self == from { return false }
        if from == to { return true }
        return from.distance(to: self) < from.distance(to: to)
    }

    /// Which of the 2^bits equal ring segments this key falls in (by its top `bits` bits, 1...16).
    public func segment(bits: Int) -> Int { Int(w0 >> UInt64(64 - bits)) }

    /// A 64-bit mix of the key, for digests (not cryptographic).
    public var mix64: UInt64 { w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ (w2 &* 0xC2B2_AE3D_27D4_EB4F) ^ w3 }
}

extension RingKey: Codable {
    /// Keys travel as 64 lower-case hex digits.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let key = RingKey(hex: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a ring key must be 64 hex digits")
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
