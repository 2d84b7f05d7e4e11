import MeshCore

/// Reads a real Moodle database (PostgreSQL or SQLite) read-only.
///
/// Thread-safe. Its one connection lives on a private serial queue, so calls from many tasks
/// run one after another there and never block Swift's cooperative pool. Each call reads inside
/// one read-only snapshot transaction, so its documents, watermark and counters agree with each
/// other. A lost PostgreSQL connection is re-established on the next call. Errors are
/// `MoodleSourceError`s; SQL is always parameterized; nothing is ever written.
public final class DatabaseMoodleReader: MoodleReader {
    private let worker: ConnectionWorker
    private let schema: MoodleSchema
    private let settings: MoodleReaderSettings
    /// The DSN with its password hidden.
    public let dsn: MoodleDSN

    private init(worker: ConnectionWorker, schema: MoodleSchema, settings: MoodleReaderSettings, dsn: MoodleDSN) {
        self.worker = worker
        self.schema = schema
        self.settings = settings
        self.dsn = dsn
    }

    /// Connects to the Moodle named by `dsn` and checks it: tables under the prefix, a Moodle
    /// version of 4.1 or later. Throws the `MoodleSourceError` that says what to fix.
    public static func open(dsn text: String, settings: MoodleReaderSettings) async throws -> DatabaseMoodleReader {
        let dsn = try MoodleDSN.parse(text)
        var settings = settings
        while settings.wwwroot.hasSuffix("/") { settings.wwwroot.removeLast() }
        let statementMS = Int(settings.statementTimeout.milliseconds)
        let connectS = max(1, Int(settings.connectTimeout.milliseconds / 1000))
        let worker = try await ConnectionWorker.start(label: "coursemesh.moodle-reader") {
            switch dsn {
            case .postgres(let target):
                return try PostgresConnection(target: target, connectTimeoutSeconds: connectS, statementTimeoutMilliseconds: statementMS)
            case .sqlite(let path, _):
                return try SQLiteConnection(path: path, busyTimeoutMilliseconds: Int32(clamping: statementMS))
            }
        }
        let dialect: SQLDialect = if case .postgres = dsn { .postgres } else { .sqlite }
        let schema = MoodleSchema(dialect: dialect, prefix: dsn.prefix)
        let language = settings.defaultLanguage
        _ = try await worker.run { db in
            try db.inSnapshot { try SiteContext.load(db, schema: schema, defaultLanguage: language).language }
        }
        return DatabaseMoodleReader(worker: worker, schema: schema, settings: settings, dsn: dsn)
    }

    public func readAll() async throws -> MoodleSnapshot {
        let changes = try await read(since: nil)
        return MoodleSnapshot(documents: changes.documents, watermark: changes.watermark)
    }

    public func changes(since watermark: MoodleWatermark) async throws -> MoodleChanges {
        try await read(since: watermark)
    }

    public func siteStats() async throws -> SiteStats {
        let (schema, settings) = (self.schema, self.settings)
        let now = settings.clock.now().seconds
        return try await worker.run { db in
            try db.inSnapshot {
                let site = try SiteContext.load(db, schema: schema, defaultLanguage: settings.defaultLanguage)
                return try SiteStatsQuery.read(db, schema, site, settings: settings, now: now)
            }
        }
    }

    /// One pass: signatures of every visible course, then documents of those that differ from
    /// `since` (all of them when `since` is nil).
    private func read(since: MoodleWatermark?) async throws -> MoodleChanges {
        let (schema, settings) = (self.schema, self.settings)
        let now = settings.clock.now().seconds
        return try await worker.run { db in
            try db.inSnapshot {
                let site = try SiteContext.load(db, schema: schema, defaultLanguage: settings.defaultLanguage)
                let aggregates = try CourseAggregates.read(db, schema, site, now: now)
                var signatures: [Int64: UInt64] = [:]
                for id in aggregates.courses.keys { signatures[id] = aggregates.signature(id, site) }
                let (changed, removed) = ChangeDetector.diff(previous: since?.signatures ?? [:], current: signatures)
                let reader = CourseDocumentReader(db: db, schema: schema, site: site, aggregates: aggregates,
                                                  wwwroot: settings.wwwroot, batchSize: settings.batchSize)
                return MoodleChanges(documents: try reader.documents(changed), removedCourseIDs: removed,
                                     watermark: MoodleWatermark(readAt: now, signatures: signatures))
            }
        }
    }
}
