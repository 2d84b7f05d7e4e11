import Testing
@testable import Overlay

@Suite struct RingKeyTests {
    @Test func additionWrapsAndCarriesAcrossWords() {
        let max = RingKey(.max, .max, .max, .max)
        #expect(max &+ RingKey(0, 0, 0, 1) == .zero)
        #expect(RingKey(0, 0, 0, .max) &+ RingKey(0, 0, 0, 1) == RingKey(0, 0, 1, 0))
        #expect(RingKey(0, .max, .max, .max).adding(powerOfTwo: 0) == RingKey(1, 0, 0, 0))
        #expect(RingKey.zero.adding(powerOfTwo: 255) == RingKey(1 << 63, 0, 0, 0))
    }

    @Test func distanceIsClockwiseAndInvertsAddition() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let a = RingKey(rng.next(), rng.next(), rng.next(), rng.next())
            let b = RingKey(rng.next(), rng.next(), rng.next(), rng.next())
            #expect(a &+ a.distance(to: b) == b)
            #expect(a.distance(to: b) &+ b.distance(to: a) == .zero || a == b)
        }
    }

    @Test func hexRoundTripsAndKeysUseDocumentedPrefixes() {
        let k = RingKey.term("biology")
        #expect(RingKey(hex: k.hex) == k)
        #expect(k == RingKey.hash("term:biology"))
        #expect(RingKey.prefix("biology") == RingKey.hash("prefix:bio"))
        #expect(RingKey.stats == RingKey.hash("stats"))
        #expect(RingKey(hex: "xyz") == nil)
    }

    @Test func intervalsWrapAroundZero() {
        let a = RingKey(10, 0, 0, 0), b = RingKey(20, 0, 0, 0), c = RingKey(.max, 0, 0, 0)
        #expect(RingKey(15, 0, 0, 0).isIn(after: a, upTo: b))
        #expect(b.isIn(after: a, upTo: b))
        #expect(!a.isIn(after: a, upTo: b))
        #expect(RingKey(5, 0, 0, 0).isIn(after: c, upTo: a))
        #expect(!RingKey(15, 0, 0, 0).isIn(after: c, upTo: a))
        #expect(a.isIn(after: b, upTo: b))
    }
}
