import Dispatch
import Foundation
import MeshStore
import Testing

@Suite struct DatabasePoolTests {
    @Test func readersSeeTheLastCommitWhileAWriteIsInProgress() async throws {
        try await withTemporaryDatabase { pool, _ async throws in
            try await pool.write { db in
                try db.execute("CREATE TABLE t (v INTEGER)")
                try db.execute("INSERT INTO t VALUES (1)")
            }
            let (inserted, insertedSignal) = AsyncStream.makeStream(of: Void.self)
            let release = DispatchSemaphore(value: 0)
            // The writer inserts, then holds its transaction open on its own thread until released.
            let writer = Task {
                try await pool.write { db in
                    try db.execute("INSERT INTO t VALUES (2)")
                    insertedSignal.yield()
                    _ = release.wait(timeout: .now() + 10)
                }
            }
            var iterator = inserted.makeAsyncIterator()
            _ = await iterator.next()
            // Both readers answer from the last committed snapshot without waiting for the writer.
            async let a = pool.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) }
            async let b = pool.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) }
            let during = try await [a, b]
            release.signal()
            try await writer.value
            #expect(during == [1, 1])
            #expect(try await pool.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) } == 2)
        }
    }

    @Test func closuresRunOnTheConnectionsOwnThreads() async throws {
        try await withTemporaryDatabase { pool, _ async throws in
            // Each executor thread records its name in its thread dictionary when it starts.
            let name: @Sendable (Database) -> String = { _ in Thread.current.threadDictionary["MeshStore.executor"] as? String ?? "" }
            let writerThread = try await pool.write(name)
            let readerThread = try await pool.read(name)
            #expect(writerThread == "store-writer")
            #expect(readerThread.hasPrefix("store-reader-"))
        }
    }

    @Test func committedDataSurvivesCloseAndReopen() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let location = DatabaseLocation.file(path: dir.file("d.sqlite"))
        let pool = try await DatabasePool.open(location, migrations: [])
        try await pool.write { db in
            try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)")
            try db.execute("INSERT INTO t VALUES (?, ?)", ["key", .blob([1, 2, 3])])
        }
        await pool.close()
        await #expect(throws: StoreError.self) { try await pool.read { _ in 0 } }

        let reopened = try await DatabasePool.open(location, migrations: [])
        let value = try await reopened.read { db in try db.scalar("SELECT v FROM t WHERE k = 'key'", as: [UInt8].self) }
        #expect(value == [1, 2, 3])
        #expect(try await reopened.integrityCheck() == ["ok"])
        await reopened.close()
    }

    @Test func fileDatabaseUsesWALAndTheConfiguredPragmas() async throws {
        try await withTemporaryDatabase { pool, _ async throws in
            let (mode, sync, fk) = try await pool.writeWithoutTransaction { db in
                (try db.scalar("PRAGMA journal_mode", as: String.self),
                 try db.scalar("PRAGMA synchronous", as: Int.self),
                 try db.scalar("PRAGMA foreign_keys", as: Int.self))
            }
            #expect(mode == "wal")
            #expect(sync == 2) // FULL
            #expect(fk == 1)
        }
        try await withTemporaryDatabase(configuration: DatabaseConfiguration(synchronous: .normal)) { pool, _ async throws in
            #expect(try await pool.writeWithoutTransaction { db in try db.scalar("PRAGMA synchronous", as: Int.self) } == 1)
        }
    }

    @Test func manyConcurrentWritesAreSerializedWithoutLoss() async throws {
        try await withTemporaryDatabase { pool, _ async throws in
            try await pool.write { db in try db.execute("CREATE TABLE t (v INTEGER)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<50 {
                    group.addTask { _ = try await pool.write { db in try db.execute("INSERT INTO t VALUES (?)", [.integer(Int64(i))]) } }
                    group.addTask { _ = try await pool.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) } }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) } == 50)
        }
    }

    @Test func secondWriterGivesUpAfterTheBusyTimeoutWithStoreBusy() async throws {
        try await withTemporaryDatabase { pool, dir async throws in
            try await pool.write { db in try db.execute("CREATE TABLE t (v INTEGER)") }
            // Another process's connection to the same file, with a short busy timeout.
            let other = try await DatabasePool.open(.file(path: dir.file("test.sqlite")),
                                                    configuration: DatabaseConfiguration(busyTimeout: .milliseconds(100)),
                                                    migrations: [])
            let (locked, lockedSignal) = AsyncStream.makeStream(of: Void.self)
            let release = DispatchSemaphore(value: 0)
            let holder = Task {
                try await pool.write { _ in
                    lockedSignal.yield()
                    _ = release.wait(timeout: .now() + 10)
                }
            }
            var iterator = locked.makeAsyncIterator()
            _ = await iterator.next()
            let error = await #expect(throws: StoreError.self) {
                try await other.write { db in try db.execute("INSERT INTO t VALUES (1)") }
            }
            release.signal()
            try await holder.value
            #expect(error?.primaryCode == 5) // SQLITE_BUSY
            #expect(error?.code == "store_busy")
            #expect(error?.status == 503)
            #expect(error?.sql == "BEGIN IMMEDIATE")
            await other.close()
        }
    }
}
