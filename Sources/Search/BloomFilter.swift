import Foundation

/// A Bloom filter over strings, sized for a capacity and false-positive rate, for shipping a
/// candidate id set to term owners in fewer bytes than the ids. No false negatives; false
/// positives at about the configured rate when no more than `capacity` items are inserted.
/// Hashing is FNV-1a (64-bit, two bases) with double hashing, identical on every node and
/// process. A value type: not shared mutable state.
public struct BloomFilter: Codable, Hashable, Sendable {
    /// Number of bits m.
    public private(set) var bitCount: Int
    /// Number of hash functions k.
    public private(set) var hashCount: Int
    public private(set) var words: [UInt64]

    enum CodingKeys: String, CodingKey { case bitCount = "m", hashCount = "k", words = "w" }

    /// m = −n·ln p / (ln 2)², k = round(m/n · ln 2), both at least 1.
    public init(capacity: Int, falsePositiveRate: Double) {
        let n = Double(max(capacity, 1))
        let p = min(max(falsePositiveRate, 1e-9), 0.5)
        let m = max(64, Int((-n * log(p) / (log(2) * log(2))).rounded(.up)))
        bitCount = m
        hashCount = max(1, Int((Double(m) / n * log(2)).rounded()))
        words = Array(repeating: 0, count: (m + 63) / 64)
    }

    /// A filter from its parts as received. `contains` is false for every item when `words`
    /// holds fewer than `bitCount` bits.
    public init(bitCount: Int, hashCount: Int, words: [UInt64]) {
        self.bitCount = bitCount
        self.hashCount = hashCount
        self.words = words
    }

    /// Size on the wire of the bit array.
    public var byteCount: Int { words.count * 8 }

    public mutating func insert(_ item: String) {
        for bit in bits(item) { words[bit >> 6] |= 1 << UInt64(bit & 63) }
    }

    /// False only when `item` was never inserted.
    public func contains(_ item: String) -> Bool {
        guard bitCount > 0, words.count * 64 >= bitCount else { return false }
        return bits(item).allSatisfy { words[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
    }

    private func bits(_ item: String) -> [Int] {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in item.utf8 {
            h1 = (h1 ^ UInt64(byte)) &* 0x100_0000_01b3
            h2 = (h2 ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        h2 |= 1
        let m = UInt64(bitCount)
        return (0..<hashCount).map { Int((h1 &+ UInt64($0) &* h2) % m) }
    }
}
