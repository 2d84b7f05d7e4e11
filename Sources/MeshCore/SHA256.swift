/// SHA-256 (FIPS 180-4), written out so the ring needs no crypto library.
///
/// Node ids and ring keys are SHA-256 digests; the function is pure and thread-safe.
/// Checked against the NIST example vectors in `MeshCoreTests`.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The 32-byte digest of the UTF-8 bytes of `string`.
    public static func digest(_ string: String) -> [UInt8] {
        digest(Array(string.utf8))
    }

    /// Incremental SHA-256: feed any number of chunks, then `finalize()` once.
    public struct Hasher: Sendable {
        private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
        private var block = [UInt8](repeating: 0, count: 64)
        private var blockCount = 0
        private var totalBytes: UInt64 = 0

        public init() {}

        /// Appends `bytes` to the message.
        public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            let done: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: UnsafeRawBufferPointer($0)) }
            if done == nil { Array(bytes).withUnsafeBytes { update(buffer: $0) } }
        }

        private mutating func update(buffer: UnsafeRawBufferPointer) {
            var offset = 0
            // Top up a partly filled block first, then hash whole blocks straight from the input.
            if blockCount > 0 {
                let take = min(64 - blockCount, buffer.count)
                for i in 0..<take { block[blockCount + i] = buffer[i] }
                blockCount += take
                offset = take
                if blockCount == 64 {
                    block.withUnsafeBytes { compress($0) }
                    blockCount = 0
                }
            }
            while buffer.count - offset >= 64 {
                compress(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 64]))
                offset += 64
            }
            for i in offset..<buffer.count { block[blockCount] = buffer[i]; blockCount += 1 }
        }

        /// Pads the message (FIPS 180-4 §5.1.1) and returns the digest.
        public mutating func finalize() -> [UInt8] {
            let messageBits = (totalBytes &+ UInt64(blockCount)) &* 8
            block[blockCount] = 0x80
            blockCount += 1
            if blockCount > 56 {
                for i in blockCount..<64 { block[i] = 0 }
                block.withUnsafeBytes { compress($0) }
                blockCount = 0
            }
            for i in blockCount..<56 { block[i] = 0 }
            for i in 0..<8 { block[56 + i] = UInt8(truncatingIfNeeded: messageBits >> (56 - 8 * UInt64(i))) }
            block.withUnsafeBytes { compress($0) }
            var out = [UInt8]()
            out.reserveCapacity(32)
            for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
                out.append(UInt8(truncatingIfNeeded: word >> 24))
                out.append(UInt8(truncatingIfNeeded: word >> 16))
                out.append(UInt8(truncatingIfNeeded: word >> 8))
                out.append(UInt8(truncatingIfNeeded: word))
            }
            return out
        }

        /// One 64-byte block of the compression function (FIPS 180-4 §6.2.2); the message
        /// schedule lives on the stack, so hashing allocates nothing per block.
        private mutating func compress(_ chunk: UnsafeRawBufferPointer) {
            totalBytes &+= 64
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for t in 0..<16 {
                    w[t] = UInt32(chunk[4 * t]) << 24 | UInt32(chunk[4 * t + 1]) << 16
                        | UInt32(chunk[4 * t + 2]) << 8 | UInt32(chunk[4 * t + 3])
                }
                for t in 16..<64 {
                    let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                    let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                    w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                }
                var (a, b, c, d, e, f, g, h) = state
                for t in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ SHA256.k[t] &+ w[t]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
                state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                         state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
            }
        }

        @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    }

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    fileprivate static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
