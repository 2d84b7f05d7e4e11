import Foundation
import MeshStore
import Migrations

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "meshstore-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with a database file in a fresh temporary directory, then closes and removes it.
func withTemporaryDatabase<T>(
    migrations: [Migrations.Migration] = [],
    configuration: DatabaseConfiguration = DatabaseConfiguration(),
    _ body: (DatabasePool, TemporaryDirectory) async throws -> T
) async throws -> T {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let pool = try await DatabasePool.open(.file(path: dir.file("test.sqlite")), configuration: configuration,
                                           migrations: migrations)
    do {
        let result = try await body(pool, dir)
        await pool.close()
        return result
    } catch {
        await pool.close()
        throw error
    }
}

