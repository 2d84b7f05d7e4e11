import MeshCore

/// What an upsert did, document by document.
public struct CourseUpsertCounts: Sendable, Equatable, Codable {
    /// Documents whose course id was not stored before.
    public var added: Int
    /// Stored documents whose content changed.
    public var updated: Int
    /// Stored documents whose content hash was identical: nothing was written for them.
    public var unchanged: Int

    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// The node's own course documents as last read from its Moodle, in table `courses`.
///
/// Thread-safe; every method runs on the database's own threads. Writes are one transaction each
/// and durable when they return (the node store runs `synchronous=FULL`). The `static … in:`
/// variants run inside a caller's `write` closure, to combine course changes with other writes
/// (e.g. the sync watermark) atomically. All methods throw `StoreError`.
public struct CourseStore: Sendable {
    /// The database holding the `courses` table (migration 0002).
    public let database: DatabasePool

    public init(_ database: DatabasePool) { self.database = database }

    /// Inserts new documents and replaces changed ones, all in one transaction; documents whose
    /// content hash is unchanged are not rewritten. `time` becomes `first_seen_at` / `changed_at`.
    @discardableResult
    public func upsert(_ documents: [CourseDocument], at time: Timestamp) async throws -> CourseUpsertCounts {
        try await database.write { db in try Self.upsert(documents, at: time, in: db) }
    }

    /// Deletes the given courses (ids not stored are ignored) and returns how many were removed.
    @discardableResult
    public func delete(courseIDs: [Int64]) async throws -> Int {
        try await database.write { db in try Self.delete(courseIDs: courseIDs, in: db) }
    }

    /// The stored document for `courseID`, or nil.
    public func get(_ courseID: Int64) async throws -> CourseDocument? {
        try await database.read { db in
            try db.fetchOne("SELECT \(Self.columns) FROM courses WHERE course_id = ?", [.integer(courseID)])
                .map(Self.document(from:))
        }
    }

    /// Stored documents in course id order, starting after `afterCourseID`, at most `limit`:
    /// page through all with the last id of each page.
    public func list(after afterCourseID: Int64 = 0, limit: Int = Int(Int32.max)) async throws -> [CourseDocument] {
        try await database.read { db in
            try db.fetchAll("SELECT \(Self.columns) FROM courses WHERE course_id > ? ORDER BY course_id LIMIT ?",
                            [.integer(afterCourseID), .integer(Int64(max(0, limit)))]).map(Self.document(from:))
        }
    }

    /// Every stored course id, ascending (to find courses that disappeared from Moodle).
    public func courseIDs() async throws -> [Int64] {
        try await database.read { db in
            try db.fetchAll("SELECT course_id FROM courses ORDER BY course_id").map { try $0.get(0, as: Int64.self) }
        }
    }

    /// The number of stored documents.
    public func count() async throws -> Int {
        try await database.read { db in try db.scalar("SELECT count(*) FROM courses", as: Int.self) ?? 0 }
    }

    // MARK: Inside a transaction

    /// `upsert` inside the caller's transaction.
    public static func upsert(_ documents: [CourseDocument], at time: Timestamp, in db: Database) throws -> CourseUpsertCounts {
        let existing = try db.prepare("SELECT content_hash FROM courses WHERE course_id = ?")
        let insert = try db.prepare("""
            INSERT INTO courses (course_id, url, full_name, short_name, summary, category_path, tags, language,
                format, start_date, end_date, time_modified, open_enrolment, enrolled_count, modules,
                content_hash, first_seen_at, changed_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)
            """)
        let update = try db.prepare("""
            UPDATE courses SET url = ?2, full_name = ?3, short_name = ?4, summary = ?5, category_path = ?6,
                tags = ?7, language = ?8, format = ?9, start_date = ?10, end_date = ?11, time_modified = ?12,
                open_enrolment = ?13, enrolled_count = ?14, modules = ?15, content_hash = ?16, changed_at = ?17
            WHERE course_id = ?1
            """)
        var counts = CourseUpsertCounts()
        for document in documents {
            let hash = contentHash(of: document)
            let stored = try existing.fetchOne([.integer(document.courseID)])
            if let stored, try stored.get(0, as: String.self) == hash {
                counts.unchanged += 1
                continue
            }
            let arguments = try values(of: document) + [.text(hash), .integer(time.milliseconds)]
            if stored == nil {
                try insert.execute(arguments)
                counts.added += 1
            } else {
                try update.execute(arguments)
                counts.updated += 1
            }
        }
        return counts
    }

    /// `delete(courseIDs:)` inside the caller's transaction.
    public static func delete(courseIDs: [Int64], in db: Database) throws -> Int {
        let delete = try db.prepare("DELETE FROM courses WHERE course_id = ?")
        var removed = 0
        for id in courseIDs { removed += try delete.execute([.integer(id)]) }
        return removed
    }

    /// Hex SHA-256 of the document's canonical byte form: equal iff every field is equal.
    ///
    /// The form (`course-v1`, then each field in declaration order: strings as UTF-8 length +
    /// bytes, integers as 8 bytes big-endian, nil as a marker, arrays as count + elements) is
    /// built by hand rather than through JSON because this runs for every document of every
    /// sync, unchanged ones included. Changing the form marks every stored course changed once.
    public static func contentHash(of d: CourseDocument) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + d.summary.utf8.count)
        func int(_ v: Int64) { for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> Int64(shift))) } }
        func str(_ s: String) { int(Int64(s.utf8.count)); bytes.append(contentsOf: s.utf8) }
        func opt(_ v: Int64?) { if let v { bytes.append(1); int(v) } else { bytes.append(0) } }
        func list(_ items: [String]) { int(Int64(items.count)); items.forEach(str) }
        str("course-v1")
        int(d.courseID); str(d.url); str(d.fullName); str(d.shortName); str(d.summary)
        list(d.categoryPath); list(d.tags); str(d.language); str(d.format)
        opt(d.startDate); opt(d.endDate); int(d.timeModified); bytes.append(d.openEnrolment ? 1 : 0)
        int(Int64(d.enrolledCount)); int(Int64(d.modules.count))
        for module in d.modules { str(module.type); str(module.name) }
        return SHA256.digest(bytes).hexString
    }

    // MARK: Row mapping

    static let columns = """
        course_id, url, full_name, short_name, summary, category_path, tags, language, format, start_date,
        end_date, time_modified, open_enrolment, enrolled_count, modules
        """

    /// The first 15 arguments of the insert/update statements, in `columns` order.
    private static func values(of d: CourseDocument) throws -> [SQLValue] {
        [.integer(d.courseID), .text(d.url), .text(d.fullName), .text(d.shortName), .text(d.summary),
         .text(try JSONCoding.encodeString(d.categoryPath)), .text(try JSONCoding.encodeString(d.tags)),
         .text(d.language), .text(d.format), SQLValue(d.startDate), SQLValue(d.endDate), .integer(d.timeModified),
         SQLValue(d.openEnrolment), .integer(Int64(d.enrolledCount)), .text(try JSONCoding.encodeString(d.modules))]
    }

    static func document(from row: Row) throws -> CourseDocument {
        CourseDocument(
            courseID: try row.get(0), url: try row.get(1), fullName: try row.get(2), shortName: try row.get(3),
            summary: try row.get(4), categoryPath: try decodeJSON([String].self, row, 5),
            tags: try decodeJSON([String].self, row, 6), language: try row.get(7), format: try row.get(8),
            startDate: try row.get(9), endDate: try row.get(10), timeModified: try row.get(11),
            openEnrolment: try row.get(12), enrolledCount: try row.get(13),
            modules: try decodeJSON([CourseDocument.Module].self, row, 14))
    }
}

/// Decodes the JSON text in column `index` of `row`; a `StoreError(.decoding)` names the column.
func decodeJSON<T: Decodable>(_ type: T.Type, _ row: Row, _ index: Int) throws -> T {
    let text = try row.get(index, as: String.self)
    do {
        return try JSONCoding.decode(T.self, from: Array(text.utf8))
    } catch {
        throw StoreError.decoding("column \(row.columnNames[index]) holds invalid JSON: \(error.reason)", sql: row.sql)
    }
}
