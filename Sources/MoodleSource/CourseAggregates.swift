/// One row per visible course of everything its document depends on, read with a handful of
/// GROUP BY queries over the whole site. Cheap enough for every incremental run; the signature
/// of these values decides which documents to read again.
struct CourseAggregates: Sendable {
    struct Course: Sendable { var id: Int64; var category: Int64; var timeModified: Int64; var cacheRev: Int64 }
    struct Tags: Sendable { var count: Int64 = 0; var idSum: Int64 = 0; var instanceTime: Int64 = 0; var tagTime: Int64 = 0 }
    struct Enrol: Sendable { var count: Int64 = 0; var statusSum: Int64 = 0; var idSum: Int64 = 0; var time: Int64 = 0; var open = false }
    struct Modules: Sendable { var count: Int64 = 0; var idSum: Int64 = 0; var added: Int64 = 0; var time: Int64 = 0 }

    /// Visible courses (course and whole category path visible), by id.
    var courses: [Int64: Course] = [:]
    var tags: [Int64: Tags] = [:]
    var enrol: [Int64: Enrol] = [:]
    /// Distinct users with an active enrolment, by course.
    var active: [Int64: Int64] = [:]
    /// By course, then module type id.
    var modules: [Int64: [Int64: Modules]] = [:]

    static func read(_ db: any SQLConnection, _ s: MoodleSchema, _ site: SiteContext, now: Int64) throws -> CourseAggregates {
        var a = CourseAggregates()
        for r in try db.query("SELECT id, category, timemodified, cacherev FROM \(s.t("course")) WHERE id <> $1 AND visible = 1",
                              [.int(MoodleSchema.siteCourseID)]) {
            let c = Course(id: r.int(0), category: r.int(1), timeModified: r.int(2), cacheRev: r.int(3))
            if site.categoryVisible(c.category) { a.courses[c.id] = c }
        }
        for r in try db.query("""
            SELECT ti.itemid, COUNT(*), SUM(ti.tagid), MAX(ti.timemodified), MAX(COALESCE(t.timemodified, 0))
            FROM \(s.t("tag_instance")) ti JOIN \(s.t("tag")) t ON t.id = ti.tagid
            WHERE ti.itemtype = $1 AND ti.component = $2 GROUP BY ti.itemid
            """, [.text("course"), .text("core")]) where a.courses[r.int(0)] != nil {
            a.tags[r.int(0)] = Tags(count: r.int(1), idSum: r.int(2), instanceTime: r.int(3), tagTime: r.int(4))
        }
        for r in try db.query("""
            SELECT courseid, COUNT(*), SUM(status), SUM(id), MAX(timemodified),
                   MAX(CASE WHEN status = 0 AND (enrol = $1 OR enrol = $2) THEN 1 ELSE 0 END)
            FROM \(s.t("enrol")) GROUP BY courseid
            """, [.text("self"), .text("guest")]) where a.courses[r.int(0)] != nil {
            a.enrol[r.int(0)] = Enrol(count: r.int(1), statusSum: r.int(2), idSum: r.int(3), time: r.int(4), open: r.int(5) == 1)
        }
        // Distinct users, as Moodle's count_enrolled_users: one person enrolled by two methods counts once.
        for r in try db.query("""
            SELECT e.courseid, COUNT(DISTINCT ue.userid)
            FROM \(s.t("user_enrolments")) ue JOIN \(s.t("enrol")) e ON e.id = ue.enrolid
            WHERE ue.status = 0 AND e.status = 0 AND ue.timestart <= $1 AND (ue.timeend = 0 OR ue.timeend > $1)
            GROUP BY e.courseid
            """, [.int(now)]) where a.courses[r.int(0)] != nil {
            a.active[r.int(0)] = r.int(1)
        }
        // Every module type in one scan of course_modules on PostgreSQL (see `moduleInstances`).
        for x in s.moduleInstances(site.moduleTypes, firstParam: 1, value: { $0.hasTimeModified ? "timemodified" : "0" }) {
            for r in try db.query("""
                SELECT cm.course, cm.module, COUNT(*), SUM(cm.id), MAX(cm.added), MAX(x.value)
                FROM \(s.t("course_modules")) cm JOIN \(x.sql) x ON x.module = cm.module AND x.id = cm.instance
                WHERE cm.visible = 1 AND cm.deletioninprogress = 0 GROUP BY cm.course, cm.module
                """, x.params) where a.courses[r.int(0)] != nil {
                a.modules[r.int(0), default: [:]][r.int(1)] = Modules(count: r.int(2), idSum: r.int(3), added: r.int(4), time: r.int(5))
            }
        }
        return a
    }

    /// The latest change to anything a course's document shows (the enrolled count aside: it is a
    /// live counter that moves with the clock, not with a row).
    func timeModified(_ id: Int64, _ site: SiteContext) -> Int64 {
        guard let c = courses[id] else { return 0 }
        var t = max(c.timeModified, site.pathTime(c.category))
        if let g = tags[id] { t = max(t, g.instanceTime, g.tagTime) }
        if let e = enrol[id] { t = max(t, e.time) }
        for m in (modules[id] ?? [:]).values { t = max(t, m.added, m.time) }
        return t
    }

    /// FNV-1a 64 over every value the document of course `id` depends on.
    func signature(_ id: Int64, _ site: SiteContext) -> UInt64 {
        var h = FNV1a()
        guard let c = courses[id] else { return 0 }
        h.add([c.timeModified, c.cacheRev, c.category, site.pathTime(c.category)])
        h.add(site.pathNames(c.category).joined(separator: "\u{1}"))
        h.add(site.language)
        let g = tags[id] ?? Tags()
        h.add([g.count, g.idSum, g.instanceTime, g.tagTime])
        let e = enrol[id] ?? Enrol()
        h.add([e.count, e.statusSum, e.idSum, e.time, e.open ? 1 : 0, active[id] ?? 0])
        for (type, m) in (modules[id] ?? [:]).sorted(by: { $0.key < $1.key }) {
            h.add([type, m.count, m.idSum, m.added, m.time])
        }
        return h.value
    }
}

/// 64-bit FNV-1a, enough to notice that one course's inputs changed.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    mutating func add(_ values: [Int64]) {
        for v in values { for i in 0..<8 { add(UInt8(truncatingIfNeeded: v >> (i * 8))) } }
        add(0xff)
    }
    mutating func add(_ s: String) {
        for b in s.utf8 { add(b) }
        add(0)
    }
}
