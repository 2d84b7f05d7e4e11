import MeshCore

/// Reads the documents of given visible courses, in batches, and assembles them.
struct CourseDocumentReader {
    let db: any SQLConnection
    let schema: MoodleSchema
    let site: SiteContext
    let aggregates: CourseAggregates
    let wwwroot: String
    let batchSize: Int

    func documents(_ ids: [Int64]) throws -> [CourseDocument] {
        var out: [CourseDocument] = []
        out.reserveCapacity(ids.count)
        var start = 0
        let sorted = ids.sorted()
        while start < sorted.count {
            let batch = Array(sorted[start..<min(start + max(1, batchSize), sorted.count)])
            out += try readBatch(batch)
            start += batch.count
        }
        return out
    }

    /// Rows of the batch's courses: a range when the ids are dense (a full read; an index range
    /// scan), an explicit list otherwise (an incremental read of scattered ids). Range extras are
    /// dropped by the caller. Placeholders of the filter are `$1` and `$2`.
    private func filter(_ ids: [Int64]) -> (sql: (String) -> String, params: [SQLParam]) {
        let lo = ids.first ?? 0, hi = ids.last ?? 0
        if hi - lo < 2 * Int64(ids.count) {
            return ({ "\($0) BETWEEN $1 AND $2" }, [.int(lo), .int(hi)])
        }
        let d = db.dialect
        return ({ "(\(d.inIDs($0, "$1")) AND CAST($2 AS BIGINT) = 0)" }, [d.ids(ids), .int(0)])
    }

    private func readBatch(_ ids: [Int64]) throws -> [CourseDocument] {
        let s = schema
        let wanted = Set(ids)
        let (inBatch, idParams) = filter(ids)
        var tags: [Int64: [String]] = [:]
        for r in try db.query("""
            SELECT ti.itemid, t.rawname FROM \(s.t("tag_instance")) ti JOIN \(s.t("tag")) t ON t.id = ti.tagid
            WHERE ti.itemtype = $3 AND ti.component = $4 AND \(inBatch("ti.itemid"))
            ORDER BY ti.itemid, ti.ordering, ti.id
            """, idParams + [.text("course"), .text("core")]) {
            tags[r.int(0), default: []].append(r.text(1))
        }
        // Position of each module on the course page: section number, then place in the sequence.
        var position: [Int64: (Int64, Int)] = [:]
        for r in try db.query("SELECT section, sequence FROM \(s.t("course_sections")) WHERE \(inBatch("course"))", idParams) {
            for (i, cm) in r.text(1).split(separator: ",").enumerated() {
                if let cmid = Int64(cm) { position[cmid] = (r.int(0), i) }
            }
        }
        var modules: [Int64: [(cm: Int64, module: CourseDocument.Module)]] = [:]
        let typeNames = Dictionary(site.moduleTypes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        for x in s.moduleInstances(site.moduleTypes, firstParam: 3, value: { _ in "name" }) {
            for r in try db.query("""
                SELECT cm.id, cm.course, cm.module, x.value FROM \(s.t("course_modules")) cm
                JOIN \(x.sql) x ON x.module = cm.module AND x.id = cm.instance
                WHERE cm.visible = 1 AND cm.deletioninprogress = 0 AND \(inBatch("cm.course"))
                """, idParams + x.params) {
                guard let type = typeNames[r.int(2)] else { continue }
                let name = SummaryText.tidy(r.text(3))
                modules[r.int(1), default: []].append((r.int(0), CourseDocument.Module(type: type, name: name)))
            }
        }
        var docs: [CourseDocument] = []
        for r in try db.query("""
            SELECT id, category, fullname, shortname, summary, summaryformat, format, lang, startdate, enddate
            FROM \(s.t("course")) WHERE \(inBatch("id")) ORDER BY id
            """, idParams) {
            let id = r.int(0)
            guard wanted.contains(id), aggregates.courses[id] != nil else { continue }
            // Sort keys looked up once per module, not once per comparison.
            let ordered = (modules[id] ?? []).map { m -> (key: (Int64, Int, Int64), module: CourseDocument.Module) in
                let p = position[m.cm] ?? (Int64.max, 0)
                return ((p.0, p.1, m.cm), m.module)
            }.sorted { $0.key < $1.key }
            let lang = r.text(7)
            docs.append(CourseDocument(
                courseID: id,
                url: "\(wwwroot)/course/view.php?id=\(id)",
                fullName: r.text(2),
                shortName: r.text(3),
                summary: SummaryText.plainText(r.text(4), format: Int(r.int(5))),
                categoryPath: site.pathNames(r.int(1)),
                tags: tags[id] ?? [],
                language: lang.isEmpty ? site.language : lang,
                format: r.text(6),
                startDate: r.int(8) == 0 ? nil : r.int(8),
                endDate: r.int(9) == 0 ? nil : r.int(9),
                timeModified: aggregates.timeModified(id, site),
                openEnrolment: aggregates.enrol[id]?.open ?? false,
                enrolledCount: Int(aggregates.active[id] ?? 0),
                modules: ordered.map(\.module)))
        }
        return docs
    }
}

/// Which courses to read again and which to drop, from two sets of signatures. Pure.
enum ChangeDetector {
    static func diff(previous: [Int64: UInt64], current: [Int64: UInt64]) -> (changed: [Int64], removed: [Int64]) {
        let changed = current.filter { previous[$0.key] != $0.value }.map(\.key).sorted()
        let removed = previous.keys.filter { current[$0] == nil }.sorted()
        return (changed, removed)
    }
}
