import MeshCore
import Testing
@testable import Rollup

@Suite struct DailySnapshots {
    let day = StatsDay(year: 2026, month: 11, day: 21)

    @Test func dayOfATimestampIsItsUTCDate() {
        #expect(StatsDay(Timestamp(seconds: 1_763_683_200)).description == "2025-11-21")
        #expect(StatsDay(Timestamp(seconds: 1_763_683_199)).description == "2025-11-20")
        #expect(StatsDay("2026-02-30") != nil)
        #expect(StatsDay("2026-13-01") == nil)
        #expect(StatsDay("26-11-01") == nil)
    }

    @Test func snapshotJSONRoundTripsWithADateString() throws {
        var sites = RandomSites(seed: 8)
        let global = GlobalAggregate(aggregate: sites.aggregate().merging(Aggregate(site: sites.contribution(index: 1))),
                                     asOf: Timestamp(seconds: 1_763_683_300), root: "r")
        let snapshot = StatsSnapshot(global)
        let text = try JSONCoding.encodeString(snapshot)
        #expect(text.contains("\"day\":\"2025-11-21\""))
        #expect(text.contains("\"contributing_sites\":\(global.contributingSites)"))
        #expect(try JSONCoding.decode(StatsSnapshot.self, from: Array(text.utf8)) == snapshot)
        #expect(throws: JSONDecodingError.self) {
            try JSONCoding.decode(StatsSnapshot.self, from: Array(text.replacingOccurrences(of: "2025-11-21", with: "yesterday").utf8))
        }
    }

    @Test func storeKeepsTheNewestSnapshotPerDayAndListsDaysInOrder() throws {
        let store = InMemorySnapshotStore()
        let early = StatsSnapshot(day: day, asOf: Timestamp(seconds: 100), aggregate: site(1))
        let late = StatsSnapshot(day: day, asOf: Timestamp(seconds: 200), aggregate: site(2))
        let before = StatsSnapshot(day: StatsDay(year: 2026, month: 11, day: 20), asOf: Timestamp(seconds: 50), aggregate: site(3))
        #expect(try store.save(late))
        #expect(try !store.save(early))
        #expect(try store.save(before))
        #expect(try store.snapshots(from: StatsDay(year: 2026, month: 1, day: 1), to: day).map(\.day) == [before.day, day])
        #expect(try store.snapshots(from: day, to: day) == [late])
        #expect(try store.latest() == late)
    }
}
