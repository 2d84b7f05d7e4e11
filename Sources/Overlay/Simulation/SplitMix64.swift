/// A small deterministic pseudo-random generator (SplitMix64, Steele et al. 2014): the same seed
/// always yields the same sequence on every platform. Used by the simulator and tests instead of
/// the system generator. A value type; not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (bound > 0), by Lemire's multiply-shift (tiny bias, deterministic).
    public mutating func below(_ bound: Int) -> Int {
        Int((UInt64(bound).multipliedFullWidth(by: next())).high)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A random ring key.
    public mutating func key() -> RingKey { RingKey(next(), next(), next(), next()) }
}
