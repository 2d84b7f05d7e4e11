import MeshCore
import Testing
@testable import MeshStore

/// Migration 0004: the table of postings this node holds for other campuses.
struct PostingsTableTests {
    @Test func postingsAreKeyedByTermAndDocumentAndRejectBadJSON() async throws {
        let store = try await NodeStore.inMemory()
        try await store.database.write { db in
            _ = try db.execute("""
                INSERT INTO postings (term, document_id, origin_host, document, occurrence, received_at)
                VALUES ('chemistri', 'abc-2', 'moodle.example.edu', '{"t":"Organic Chemistry"}', '{"tf":[1,0,0,2,0]}', 1)
                """)
            // The same (term, document) replaces, never duplicates.
            _ = try db.execute("""
                INSERT INTO postings (term, document_id, origin_host, document, occurrence, received_at)
                VALUES ('chemistri', 'abc-2', 'moodle.example.edu', '{"t":"Organic Chemistry II"}', '{"tf":[1,0,0,1,0]}', 2)
                ON CONFLICT (term, document_id) DO UPDATE SET document = excluded.document, occurrence = excluded.occurrence
                """)
        }
        let count = try await store.database.read { db in try db.scalar("SELECT count(*) FROM postings", [], as: Int64.self) }
        #expect(count == 1)
        await #expect(throws: StoreError.self) {
            try await store.database.write { db in
                _ = try db.execute("""
                    INSERT INTO postings (term, document_id, origin_host, document, occurrence, received_at)
                    VALUES ('x', 'y', 'h', 'not json', '{}', 1)
                    """)
            }
        }
    }
}
