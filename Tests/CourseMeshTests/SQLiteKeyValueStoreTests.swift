import Foundation
import MeshStore
import Overlay
import Testing
@testable import CourseMesh

/// The SQLite-backed item store: same answers as the in-memory reference, durable across a
/// reopen, and ring-ordered range reads.
struct SQLiteKeyValueStoreTests {
    static func withStore(_ body: (String, NodeStore, SQLiteKeyValueStore) async throws -> Void) async throws {
        let dir = NSTemporaryDirectory() + "kv-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let nodeStore = try await NodeStore.open(directory: dir)
        let store = try await SQLiteKeyValueStore.open(nodeStore.database)
        do { try await body(dir, nodeStore, store) } catch { await nodeStore.close(); throw error }
        await nodeStore.close()
    }

    static func item(_ i: Int, name: String = "", version: UInt64 = 1) -> StoredItem {
        StoredItem(key: .term("k\(i)"), name: name, version: version, value: Array("v\(i)-\(version)".utf8))
    }

    @Test func writesSurviveAReopenWithTheirVersionsAndTombstones() async throws {
        try await Self.withStore { dir, nodeStore, store in
            let items = (0..<300).map { Self.item($0) } + [Self.item(1, name: "b"), StoredItem(key: .term("k2"), name: "dead", version: .max, value: [])]
            #expect(try await store.put(items).count == items.count)
            #expect(try await store.put([Self.item(3, version: 5)]).count == 1)
            #expect(try await store.put([Self.item(3, version: 4)]).isEmpty)  // older: refused
            await nodeStore.close()

            let reopened = try await NodeStore.open(directory: dir)
            let again = try await SQLiteKeyValueStore.open(reopened.database)
            #expect(again.count == 302)
            #expect(again.items(at: .term("k1")).map(\.name) == ["", "b"])
            #expect(again.items(at: .term("k3")) == [Self.item(3, version: 5)])
            #expect(again.items(at: .term("k2")).last == StoredItem(key: .term("k2"), name: "dead", version: .max, value: []))
            #expect(again.digest(of: KeyRange(after: .zero, upTo: .zero)) == store.digest(of: KeyRange(after: .zero, upTo: .zero)))
            await reopened.close()
        }
    }

    @Test func answersLikeTheInMemoryStoreOverRandomRanges() async throws {
        try await Self.withStore { _, _, store in
            let reference = MemoryKeyValueStore()
            let items = (0..<500).flatMap { i in (0..<(i % 3 + 1)).map { Self.item(i, name: "n\($0)", version: UInt64(i % 7 + 1)) } }
            try await store.put(items)
            reference.putNow(items)
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<40 {
                let range = KeyRange(after: RingKey(rng.next(), rng.next(), 0, 0), upTo: RingKey(rng.next(), rng.next(), 0, 0))
                #expect(store.digest(of: range) == reference.digest(of: range))
                // Paging with a cursor gives the same sequence as the reference, page by page.
                var cursor: ItemID? = nil
                var pages = 0
                repeat {
                    let page = store.items(in: range, after: cursor, limit: 37)
                    #expect(page == reference.items(in: range, after: cursor, limit: 37))
                    cursor = page.last?.id
                    pages += 1
                } while cursor != nil && pages < 100
            }
            let half = KeyRange(after: .zero, upTo: RingKey(1 << 63, 0, 0, 0))
            try await store.remove(in: half)
            await reference.remove(in: half)
            #expect(store.count == reference.count)
            #expect(store.items(in: half, after: nil, limit: 10).isEmpty)
            #expect(try await store.table.count() == reference.count)
        }
    }

    @Test func concurrentPutsOfOneItemKeepTheHighestVersionInTableAndMirror() async throws {
        try await Self.withStore { _, _, store in
            await withTaskGroup(of: Void.self) { group in
                for version in (1...40).shuffled() {
                    group.addTask { _ = try? await store.put([Self.item(9, version: UInt64(version))]) }
                }
            }
            #expect(store.items(at: .term("k9")) == [Self.item(9, version: 40)])
            let versions = try await store.table.all().map(\.version)
            #expect(versions == [40])
        }
    }
}
