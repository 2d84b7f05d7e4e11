import MeshCore

/// Reads the site's counters. Counts only; no row content leaves this function.
enum SiteStatsQuery {
    /// Module types counted as resources (Moodle's MOD_ARCHETYPE_RESOURCE plugins).
    static let resourceTypes: Set<String> = ["book", "folder", "imscp", "label", "page", "resource", "url"]

    static func read(_ db: any SQLConnection, _ s: MoodleSchema, _ site: SiteContext, settings: MoodleReaderSettings, now: Int64) throws -> SiteStats {
        func count(_ sql: String, _ params: [SQLParam] = []) throws -> Int {
            Int(try db.query(sql, params).first?.int(0) ?? 0)
        }
        let tables = Set(try db.query(db.dialect.tablesQuery, []).map { $0.text(0) })
        let guest = Int64(site.config["siteguest"] ?? "") ?? 1
        var byType: [String: Int] = [:]
        for r in try db.query("""
            SELECT m.name, COUNT(*) FROM \(s.t("course_modules")) cm JOIN \(s.t("modules")) m ON m.id = cm.module
            WHERE cm.deletioninprogress = 0 GROUP BY m.name
            """, []) {
            byType[r.text(0)] = Int(r.int(1))
        }
        let siteName = try db.query("SELECT fullname FROM \(s.t("course")) WHERE id = $1", [.int(MoodleSchema.siteCourseID)]).first?.text(0) ?? ""
        let country = (site.config["country"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.defaultCountry).uppercased()
        return SiteStats(
            siteURL: settings.wwwroot,
            siteName: siteName,
            language: site.language,
            country: country,
            release: site.config["release"] ?? "",
            version: site.config["version"] ?? "",
            courses: try count("SELECT COUNT(*) FROM \(s.t("course")) WHERE id <> $1", [.int(MoodleSchema.siteCourseID)]),
            users: try count("SELECT COUNT(*) FROM \(s.t("user")) WHERE deleted = 0 AND id <> $1", [.int(guest)]),
            enrolments: try count("SELECT COUNT(*) FROM \(s.t("user_enrolments"))"),
            activeUsers30d: try count("SELECT COUNT(*) FROM \(s.t("user")) WHERE deleted = 0 AND id <> $1 AND lastaccess > $2",
                                      [.int(guest), .int(now - 30 * 86400)]),
            forumPosts: tables.contains(s.prefix + "forum_posts") ? try count("SELECT COUNT(*) FROM \(s.t("forum_posts"))") : 0,
            quizQuestions: tables.contains(s.prefix + "question") ? try count("SELECT COUNT(*) FROM \(s.t("question"))") : 0,
            resources: byType.filter { resourceTypes.contains($0.key) }.values.reduce(0, +),
            activitiesByType: byType,
            readAt: now)
    }
}
