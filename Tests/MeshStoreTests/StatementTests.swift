import MeshStore
import Testing

@Suite struct StatementTests {
    @Test func everyStorageClassRoundTripsThroughBindAndDecode() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let row = try await pool.write { db in
            try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
            try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                           [.integer(Int64.max), .real(-2.5), .text("Català: ñ €"), .blob([0, 1, 255]), .null])
            return try db.fetchOne("SELECT i, r, s, b, n FROM t")!
        }
        #expect(try row.get(0, as: Int64.self) == Int64.max)
        #expect(try row.get(1, as: Double.self) == -2.5)
        #expect(try row.get("s", as: String.self) == "Català: ñ €")
        #expect(try row.get(3, as: [UInt8].self) == [0, 1, 255])
        #expect(try row.get(4, as: String?.self) == nil)
        #expect(row["n"] == .null)
        #expect(row.columnNames == ["i", "r", "s", "b", "n"])
    }

    @Test func emptyBlobAndEmptyTextStayDistinctFromNull() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let row = try await pool.write { db in
            try db.fetchOne("SELECT ?, ?, typeof(?), typeof(?)", [.blob([]), .text(""), .blob([]), .text("")])!
        }
        #expect(row[0] == .blob([]))
        #expect(row[1] == .text(""))
        #expect(try row.get(2, as: String.self) == "blob")
        #expect(try row.get(3, as: String.self) == "text")
    }

    @Test func swiftValuesConvertToSQLValues() {
        #expect(SQLValue(42) == .integer(42))
        #expect(SQLValue(true) == .integer(1))
        #expect(SQLValue(Optional<String>.none) == .null)
        #expect(SQLValue("x") == .text("x"))
        let literals: [SQLValue] = [1, 2.5, "a", nil, false]
        #expect(literals == [.integer(1), .real(2.5), .text("a"), .null, .integer(0)])
    }

    @Test func preparedStatementRunsRepeatedlyWithNewArguments() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let sum = try await pool.write { db in
            try db.execute("CREATE TABLE t (v INTEGER NOT NULL)")
            let insert = try db.prepare("INSERT INTO t (v) VALUES (?)")
            for v in 1...100 { try insert.execute([.integer(Int64(v))]) }
            return try db.scalar("SELECT sum(v) FROM t", as: Int.self)
        }
        #expect(sum == 5050)
    }

    @Test func namedParametersBindByName() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let value = try await pool.write { db in
            let statement = try db.prepare("SELECT :a || :b")
            try statement.bind("x", named: ":a")
            try statement.bind("y", named: ":b")
            #expect(try statement.step())
            return try statement.row().get(0, as: String.self)
        }
        #expect(value == "xy")
    }

    @Test func decodingNullIntoNonOptionalThrowsNamingTheColumn() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let row = try await pool.write { db in try db.fetchOne("SELECT NULL AS missing, 'x' AS word")! }
        let error = try #require(throws: StoreError.self) { try row.get("missing", as: Int64.self) }
        #expect(error.kind == .decoding)
        #expect(error.message.contains("missing"))
        #expect(throws: StoreError.self) { try row.get("word", as: Int.self) }
    }

    @Test func wrongArgumentCountIsRejectedBeforeRunning() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let error = await #expect(throws: StoreError.self) {
            try await pool.write { db in try db.execute("SELECT ?, ?", [1]) }
        }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.sql == "SELECT ?, ?")
    }

    @Test func syntaxErrorCarriesSQLiteCodeMessageAndSQL() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let error = await #expect(throws: StoreError.self) {
            try await pool.write { db in try db.execute("SELEKT 1") }
        }
        #expect(error?.kind == .sqlite)
        #expect(error?.primaryCode == 1) // SQLITE_ERROR
        #expect(error?.reason.contains("syntax error") == true)
        #expect(error?.sql == "SELEKT 1")
        #expect(error?.description.contains("SELEKT 1") == true)
        #expect(error?.status == 500)
    }

    @Test func constraintViolationCarriesExtendedCodeAndMapsTo409() async throws {
        let pool = try await DatabasePool.open(.memory, migrations: [])
        let sql = "INSERT INTO t (id) VALUES (?)"
        let error = await #expect(throws: StoreError.self) {
            try await pool.write { db in
                try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
                try db.execute(sql, [1])
                try db.execute(sql, [1])
            }
        }
        #expect(error?.sqliteCode == 1555) // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(error?.isConstraintViolation == true)
        #expect(error?.code == "store_constraint")
        #expect(error?.status == 409)
        #expect(error?.sql == sql)
    }
}
