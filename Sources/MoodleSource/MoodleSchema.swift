/// Table names of one Moodle database and the checks that it is one we can read.
struct MoodleSchema: Sendable {
    let dialect: SQLDialect
    let prefix: String

    /// Tables the reader needs (without prefix).
    static let required = ["config", "course", "course_categories", "course_modules", "course_sections", "enrol",
                           "modules", "tag", "tag_instance", "user", "user_enrolments"]
    /// Moodle 4.1 (2022112800): the oldest schema these queries were checked against.
    static let oldestSupportedVersion = 2022112800.0
    /// The front page course, never a course document.
    static let siteCourseID: Int64 = 1

    /// The quoted, prefixed name of Moodle table `name` (prefix validated by `MoodleDSN`).
    func t(_ name: String) -> String { "\"\(prefix)\(name)\"" }

    /// Checks that `tables` (every table of the database) hold Moodle's tables under `prefix`;
    /// otherwise says which are missing and which prefix the database seems to use.
    static func check(tables: Set<String>, prefix: String) throws(MoodleSourceError) {
        let missing = required.filter { !tables.contains(prefix + $0) }
        guard !missing.isEmpty else { return }
        let others = tables.compactMap { name -> String? in
            guard name.hasSuffix("course_categories") else { return nil }
            let p = String(name.dropLast("course_categories".count))
            return required.allSatisfy { tables.contains(p + $0) } ? p : nil
        }.sorted()
        let names = missing.map { prefix + $0 }
        if !others.isEmpty {
            throw MoodleSourceError(.wrongPrefix,
                "No Moodle tables with prefix '\(prefix)' (missing: \(names.joined(separator: ", "))). The database has Moodle tables with prefix \(others.map { "'\($0)'" }.joined(separator: " or ")): set ?prefix=\(others[0]) in the DSN.",
                missingTables: names)
        }
        if missing.count < required.count {
            throw MoodleSourceError(.wrongPrefix,
                "Some Moodle tables with prefix '\(prefix)' are missing: \(names.joined(separator: ", ")). Check the prefix in the DSN ($CFG->prefix in Moodle's config.php) and that the database is complete.",
                missingTables: names)
        }
        throw MoodleSourceError(.notMoodle,
            "This database holds no Moodle tables (looked for \(names.prefix(3).joined(separator: ", ")), …). Point the DSN at the database named by $CFG->dbname in Moodle's config.php.",
            missingTables: names)
    }

    /// Checks Moodle's `version` setting against the oldest supported one.
    static func checkVersion(_ version: String?, release: String?) throws(MoodleSourceError) {
        guard let version, let v = Double(version) else {
            throw MoodleSourceError(.notMoodle,
                "The config table has no Moodle version: this does not look like an installed Moodle. Finish Moodle's installation or point the DSN at the right database.")
        }
        guard v >= oldestSupportedVersion else {
            throw MoodleSourceError(.unsupportedVersion,
                "Moodle \(release ?? version) (version \(version)) is older than the oldest supported, Moodle 4.1 (2022112800). Upgrade Moodle to 4.1 or later.")
        }
    }
}

/// What each read needs to know about the site before reading courses.
struct SiteContext: Sendable {
    struct Category: Sendable { var name: String; var pathIDs: [Int64]; var visible: Bool; var timeModified: Int64 }
    struct ModuleType: Sendable { var id: Int64; var name: String; var hasTimeModified: Bool }

    var config: [String: String]
    var categories: [Int64: Category]
    /// Enabled module types whose instance table exists and has a `name` column.
    var moduleTypes: [ModuleType]
    var language: String

    /// True when the category and every ancestor are visible.
    func categoryVisible(_ id: Int64) -> Bool {
        guard let c = categories[id] else { return false }
        return c.pathIDs.allSatisfy { categories[$0]?.visible ?? false }
    }

    func pathNames(_ id: Int64) -> [String] {
        (categories[id]?.pathIDs ?? []).compactMap { categories[$0]?.name }
    }

    func pathTime(_ id: Int64) -> Int64 {
        (categories[id]?.pathIDs ?? []).compactMap { categories[$0]?.timeModified }.max() ?? 0
    }

    static let configNames = ["version", "release", "lang", "country", "siteguest"]

    /// Reads tables, checks them, and loads config, categories and module types.
    static func load(_ db: any SQLConnection, schema: MoodleSchema, defaultLanguage: String) throws -> SiteContext {
        let tables = Set(try db.query(db.dialect.tablesQuery, []).map { $0.text(0) })
        try MoodleSchema.check(tables: tables, prefix: schema.prefix)
        var config: [String: String] = [:]
        for row in try db.query("SELECT name, value FROM \(schema.t("config")) WHERE \(db.dialect.inTexts("name", "$1"))",
                                [db.dialect.textList(configNames)]) {
            config[row.text(0)] = row.text(1)
        }
        try MoodleSchema.checkVersion(config["version"], release: config["release"])
        var categories: [Int64: Category] = [:]
        for row in try db.query("SELECT id, name, path, visible, timemodified FROM \(schema.t("course_categories"))", []) {
            let ids = row.text(2).split(separator: "/").compactMap { Int64($0) }
            categories[row.int(0)] = Category(name: row.text(1), pathIDs: ids.isEmpty ? [row.int(0)] : ids,
                                              visible: row.int(3) == 1, timeModified: row.int(4))
        }
        let modules = try db.query("SELECT id, name FROM \(schema.t("modules")) WHERE visible = 1 ORDER BY id", [])
            .filter { $0.text(1).unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" } }
        var columns: [String: Set<String>] = [:]
        for row in try db.query(db.dialect.columnsQuery(), [db.dialect.textList(modules.map { schema.prefix + $0.text(1) })]) {
            columns[row.text(0), default: []].insert(row.text(1))
        }
        let types = modules.compactMap { row -> ModuleType? in
            guard let cols = columns[schema.prefix + row.text(1)], cols.contains("name"), cols.contains("id") else { return nil }
            return ModuleType(id: row.int(0), name: row.text(1), hasTimeModified: cols.contains("timemodified"))
        }
        let lang = config["lang"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultLanguage
        return SiteContext(config: config, categories: categories, moduleTypes: types, language: lang)
    }
}

extension MoodleSchema {
    /// Derived tables `(module, id, value)` over the instance tables of `types`, `value(type)`
    /// giving the column (or constant) to select from each, to join to `course_modules` on
    /// `(module, instance)`. Module type ids are bound from `$firstParam` on.
    ///
    /// PostgreSQL gets one UNION ALL of all types: one scan of `course_modules` and one round
    /// trip instead of one per type, which was most of a large site's read time. SQLite gets one
    /// table per type: it cannot push the join into a UNION (it materializes it and probes
    /// `course_modules` by instance, 3x slower), while a single-table subquery is flattened into
    /// an index scan on `cm.module`, and in-process queries cost no round trip.
    func moduleInstances(_ types: [SiteContext.ModuleType], firstParam: Int,
                         value: (SiteContext.ModuleType) -> String) -> [(sql: String, params: [SQLParam])] {
        func part(_ type: SiteContext.ModuleType, _ n: Int) -> String {
            "SELECT CAST($\(n) AS BIGINT) AS module, id, \(value(type)) AS value FROM \(t(type.name))"
        }
        switch dialect {
        case .postgres:
            guard !types.isEmpty else { return [] }  // an empty UNION is not SQL
            let parts = types.enumerated().map { i, type in part(type, firstParam + i) }
            return [("(" + parts.joined(separator: " UNION ALL ") + ")", types.map { .int($0.id) })]
        case .sqlite:
            return types.map { ("(" + part($0, firstParam) + ")", [.int($0.id)]) }
        }
    }
}

extension SQLDialect {
    /// A predicate testing a text `column` against a list bound at `placeholder` (see `textList`).
    func inTexts(_ column: String, _ placeholder: String) -> String {
        switch self {
        case .postgres: "\(column) = ANY(\(placeholder)::text[])"
        case .sqlite: "\(column) IN (SELECT value FROM json_each(\(placeholder)))"
        }
    }
}
