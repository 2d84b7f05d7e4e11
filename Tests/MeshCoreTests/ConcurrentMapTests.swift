import MeshCore
import Synchronization
import Testing

@Suite struct ConcurrentMapTests {
    @Test func resultsKeepTheElementsOrderAndTheTransformsOverlap() async {
        let running = Mutex((now: 0, most: 0))
        let squares = await Array(0..<8).concurrentMap { value in
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            // The later elements finish first, so the order cannot come from completion order.
            try? await Task.sleep(for: .milliseconds(20 * (8 - value)))
            running.withLock { $0.now -= 1 }
            return value * value
        }
        #expect(squares == [0, 1, 4, 9, 16, 25, 36, 49])
        #expect(running.withLock { $0.most } > 1, "the transforms ran concurrently")
        #expect(await [Int]().concurrentMap { $0 }.isEmpty)
    }
}
