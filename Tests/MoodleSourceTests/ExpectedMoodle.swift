import MeshCore
import MoodleSource
import Testing

/// What a guest should see, derived by SQL written here independently of the reader (other
/// joins, a path-prefix test for hidden categories instead of the reader's in-memory walk).
struct ExpectedMoodle {
    var visibleIDs: [Int64] = []
    var tags: [Int64: [String]] = [:]
    var open: Set<Int64> = []
    var active: [Int64: Int] = [:]
    var modules: [Int64: [String]] = [:]
    var fullNames: [Int64: String] = [:]

    init(_ db: any TestDatabase, now: Int64) throws {
        visibleIDs = try db.rows("""
            SELECT c.id FROM mdl_course c JOIN mdl_course_categories cc ON cc.id = c.category
            WHERE c.id <> 1 AND c.visible = 1 AND NOT EXISTS (
              SELECT 1 FROM mdl_course_categories h WHERE h.visible = 0 AND (cc.path = h.path OR cc.path LIKE h.path || '/%'))
            ORDER BY c.id
            """).map { Int64($0[0]!)! }
        for r in try db.rows("SELECT ti.itemid, t.rawname FROM mdl_tag t, mdl_tag_instance ti WHERE t.id = ti.tagid AND ti.itemtype = 'course' AND ti.component = 'core'") {
            tags[Int64(r[0]!)!, default: []].append(r[1]!)
        }
        open = Set(try db.rows("SELECT courseid FROM mdl_enrol WHERE status = 0 AND enrol IN ('self', 'guest')").map { Int64($0[0]!)! })
        for r in try db.rows("""
            SELECT e.courseid, COUNT(DISTINCT ue.userid) FROM mdl_enrol e, mdl_user_enrolments ue
            WHERE ue.enrolid = e.id AND e.status = 0 AND ue.status = 0 AND ue.timestart <= \(now)
              AND (ue.timeend = 0 OR ue.timeend > \(now)) GROUP BY e.courseid
            """) {
            active[Int64(r[0]!)!] = Int(r[1]!)!
        }
        for t in try db.rows("SELECT id, name FROM mdl_modules WHERE visible = 1") {
            let type = t[1]!
            guard (try? db.rows("SELECT name FROM mdl_\(type) WHERE 1 = 0")) != nil else { continue }
            for r in try db.rows("""
                SELECT cm.course, x.name FROM mdl_course_modules cm, mdl_\(type) x
                WHERE x.id = cm.instance AND cm.module = \(t[0]!) AND cm.visible = 1 AND cm.deletioninprogress = 0
                """) {
                modules[Int64(r[0]!)!, default: []].append("\(type):\(r[1]!)")
            }
        }
        for r in try db.rows("SELECT id, fullname FROM mdl_course") { fullNames[Int64(r[0]!)!] = r[1]! }
    }

    /// Every field the tests can derive, compared document by document.
    func check(_ docs: [CourseDocument], wwwroot: String) {
        #expect(docs.map(\.courseID) == visibleIDs)
        #expect(!docs.contains { $0.courseID == 1 })
        for d in docs {
            #expect(d.url == "\(wwwroot)/course/view.php?id=\(d.courseID)")
            #expect(d.fullName == fullNames[d.courseID])
            #expect(d.tags.sorted() == (tags[d.courseID] ?? []).sorted(), "tags of course \(d.courseID)")
            #expect(d.openEnrolment == open.contains(d.courseID), "open enrolment of course \(d.courseID)")
            #expect(d.enrolledCount == active[d.courseID] ?? 0, "active enrolments of course \(d.courseID)")
            #expect(d.modules.map { "\($0.type):\($0.name)" }.sorted() == (modules[d.courseID] ?? []).sorted(),
                    "modules of course \(d.courseID)")
        }
    }
}

/// Facts about the fixture that hold for both backends (the data are the same).
func checkFixtureFacts(_ docs: [CourseDocument]) throws {
    let byID = Dictionary(uniqueKeysWithValues: docs.map { ($0.courseID, $0) })
    #expect(byID[17] == nil, "BIO240 is hidden")
    #expect(byID[26] == nil, "STAT-2019 is hidden and in the hidden category")
    let es = try #require(byID[23])
    #expect(es.fullName == "Introducción a la programación en Python")
    #expect(es.language == "es")
    #expect(es.categoryPath == ["Cursos en español"])
    #expect(es.summary.contains("¡No se necesita experiencia previa!"))
    #expect(es.summary.contains("programación con Python"))
    let ca = try #require(byID[25])
    #expect(ca.fullName == "Química orgànica bàsica")
    #expect(ca.language == "ca")
    #expect(ca.categoryPath == ["Science", "Química"])
    #expect(ca.tags.contains("orgànica"))
    let md = try #require(byID[19])
    #expect(md.summary == "Learn to plan, draft and revise academic essays.\nThesis statements\nParagraph structure\nReferencing (APA and Harvard)")
    #expect(md.categoryPath == ["Humanities", "Languages & Writing"])
    let phys = try #require(byID[14])
    #expect(phys.summary.hasPrefix("An introduction to quantum mechanics: wave functions"))
    #expect(phys.summary.hasSuffix("\nPrerequisite: PHYS101\nWeekly problem sets"))
    #expect(!phys.summary.contains("<"))
    #expect(phys.language == "en")
    #expect(phys.format == "topics")
    #expect(phys.startDate != nil && phys.endDate != nil)
    #expect(try #require(byID[27]).endDate == nil)
    #expect(byID[20]?.openEnrolment == true)
    #expect(docs.allSatisfy { $0.timeModified > 0 })
}
