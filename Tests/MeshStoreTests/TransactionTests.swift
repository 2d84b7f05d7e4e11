import MeshStore
import Testing

private struct Abort: Error {}

@Suite struct TransactionTests {
    @Test func writeRollsBackEverythingWhenTheClosureThrows() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        try await pool.write { db in try db.execute("CREATE TABLE t (v INTEGER)") }
        await #expect(throws: Abort.self) {
            try await pool.write { db in
                try db.execute("INSERT INTO t VALUES (1)")
                throw Abort()
            }
        }
        let count = try await pool.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) }
        #expect(count == 0)
        let open = try await pool.write { db in db.isInTransaction }
        #expect(open) // inside write a transaction is open ...
        let after = try await pool.writeWithoutTransaction { db in db.isInTransaction }
        #expect(!after) // ... and none is left behind afterwards
    }

    @Test func writeCommitsWhenTheClosureReturns() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        try await pool.write { db in
            try db.execute("CREATE TABLE t (v INTEGER)")
            try db.execute("INSERT INTO t VALUES (7)")
        }
        #expect(try await pool.read { db in try db.scalar("SELECT v FROM t", as: Int.self) } == 7)
    }

    @Test func nestedTransactionFailureUndoesOnlyTheInnerWork() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let values = try await pool.write { db in
            try db.execute("CREATE TABLE t (v INTEGER)")
            try db.execute("INSERT INTO t VALUES (1)")
            do {
                try db.inTransaction {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Abort()
                }
            } catch is Abort {}
            try db.execute("INSERT INTO t VALUES (3)")
            return try db.fetchAll("SELECT v FROM t ORDER BY v").map { try $0.get(0, as: Int.self) }
        }
        #expect(values == [1, 3])
    }

    @Test func readConnectionsRefuseToWrite() async throws {
        try await withTemporaryDatabase { pool, _ async throws in
            try await pool.write { db in try db.execute("CREATE TABLE t (v INTEGER)") }
            let error = await #expect(throws: StoreError.self) {
                try await pool.read { db in try db.execute("INSERT INTO t VALUES (1)") }
            }
            #expect(error?.kind == .sqlite)
            #expect(error?.sql == "INSERT INTO t VALUES (1)")
        }
    }
}
