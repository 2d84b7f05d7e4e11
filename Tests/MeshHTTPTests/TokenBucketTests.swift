import Testing
@testable import MeshHTTP

/// The per-client request buckets, with the time passed in (no sockets, no clock).
struct TokenBucketTests {
    @Test func burstIsAllowedThenRefusedWithRetryAfterUntilTokensRefill() {
        var table = TokenBucketTable(ratePerSecond: 2, burst: 4)
        for _ in 0..<4 { #expect(table.take(client: "a", nowMilliseconds: 0) == nil) }
        #expect(table.take(client: "a", nowMilliseconds: 0) == 1)
        #expect(table.take(client: "a", nowMilliseconds: 400) == 1)
        #expect(table.take(client: "a", nowMilliseconds: 500) == nil)  // 0.5 s at 2/s = one token
        #expect(table.take(client: "a", nowMilliseconds: 500) != nil)
    }

    @Test func oneClientsFloodLeavesOtherClientsUntouched() {
        var table = TokenBucketTable(ratePerSecond: 1, burst: 2)
        for _ in 0..<50 { _ = table.take(client: "10.0.0.1", nowMilliseconds: 10) }
        #expect(table.take(client: "10.0.0.1", nowMilliseconds: 10) != nil)
        #expect(table.take(client: "10.0.0.2", nowMilliseconds: 10) == nil)
        #expect(table.take(client: "10.0.0.3", nowMilliseconds: 10) == nil)
    }

    @Test func slowRateGivesALongerRetryAfter() {
        var table = TokenBucketTable(ratePerSecond: 0.1, burst: 1)
        #expect(table.take(client: "a", nowMilliseconds: 0) == nil)
        #expect(table.take(client: "a", nowMilliseconds: 0) == 10)
    }

    @Test func zeroRateDisablesLimiting() {
        var table = TokenBucketTable(ratePerSecond: 0, burst: 1)
        for _ in 0..<1000 { #expect(table.take(client: "a", nowMilliseconds: 0) == nil) }
        #expect(table.trackedClients == 0)
    }

    @Test func trackedClientsStayBoundedUnderAnAddressFlood() {
        var table = TokenBucketTable(ratePerSecond: 10, burst: 10, maxClients: 100)
        for i in 0..<10_000 { _ = table.take(client: "client-\(i)", nowMilliseconds: Int64(i) * 10) }
        #expect(table.trackedClients <= 100)
        // A client seen while the table is full of busy clients is still served (not tracked).
        var busy = TokenBucketTable(ratePerSecond: 1, burst: 1, maxClients: 2)
        _ = busy.take(client: "a", nowMilliseconds: 0); _ = busy.take(client: "b", nowMilliseconds: 0)
        #expect(busy.take(client: "c", nowMilliseconds: 0) == nil)
        #expect(busy.trackedClients == 2)
    }
}
