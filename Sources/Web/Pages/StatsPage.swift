import MeshCore
import Rollup

/// `/stats`: worldwide totals, countries, Moodle releases and history, as server-drawn SVG
/// charts with the same numbers in tables (for screen readers and for copying).
public struct StatsPage: Sendable {
    public var layout: PageLayout
    public init(layout: PageLayout) { self.layout = layout }

    public func render(global: GlobalStatsReply, local: SiteStats?, history: [Rollup.StatsSnapshot]) -> String {
        let a = global.aggregate
        let t = a.totals
        var body = "<h1>Moodle worldwide</h1>"
        if let asOf = global.asOf {
            body += "<p class=\"summary\">From \(global.sitesContributing) sites, as of \(HTML.escape(RFC3339.format(Timestamp(milliseconds: asOf)))).</p>"
        } else {
            body += "<p class=\"summary\">No worldwide totals have reached this node yet; they climb the tree once a period. "
                + "The figures below are what this node knows so far.</p>"
        }
        let cards: [(String, Int)] = [("Sites", t.sites), ("Countries", a.countries), ("Courses", t.courses), ("Users", t.users),
                                      ("Enrolments", t.enrolments), ("Active users (30 days)", t.activeUsers30d),
                                      ("Forum posts", t.forumPosts), ("Quiz questions", t.quizQuestions), ("Resources", t.resources)]
        body += "<ul class=\"cards\" aria-label=\"Totals\">" + cards.map { label, v in
            "<li><span class=\"big\">\(SVGCharts.grouped(v))</span>\(HTML.escape(label))</li>"
        }.joined() + "</ul>"

        body += section(id: "countries", title: "Sites and courses by country", groups: a.byCountry, unknown: "unknown country")
        body += section(id: "releases", title: "Moodle releases", groups: a.byRelease, unknown: "unknown release")
        body += section(id: "languages", title: "Site languages", groups: a.byLanguage, unknown: "unknown language")

        let subjects = a.topCategories(limit: 15)
        if !subjects.isEmpty {
            body += "<h2 id=\"subjects\">Top subjects</h2>"
            body += SVGCharts.horizontalBars(id: "subjects-chart", title: "Top subjects by course count",
                                             description: "Course categories with the most courses across all sites",
                                             bars: subjects.map { .init(label: $0.name, value: $0.courses) })
            body += table(caption: "Top subjects", headers: ["Subject", "Courses"], rows: subjects.map { [$0.name, SVGCharts.grouped($0.courses)] })
        }

        if history.count >= 2 {
            body += "<h2 id=\"history\">History</h2>"
            for (key, label, value) in [("courses", "Courses", { (s: Rollup.StatsSnapshot) in s.aggregate.totals.courses }),
                                        ("sites", "Sites", { (s: Rollup.StatsSnapshot) in s.aggregate.totals.sites })] {
                body += SVGCharts.line(id: "history-\(key)", title: "\(label) per day", description: "\(label) in the worldwide total, one point per day",
                                       points: history.map { .init(day: $0.day, value: value($0)) })
            }
            body += table(caption: "History", headers: ["Day", "Sites", "Courses", "Users"],
                          rows: history.map { [$0.day.description, SVGCharts.grouped($0.aggregate.totals.sites),
                                               SVGCharts.grouped($0.aggregate.totals.courses), SVGCharts.grouped($0.aggregate.totals.users)] })
        }

        if let local {
            body += "<h2 id=\"local\">This site</h2>"
            body += table(caption: "This site's own record", headers: ["Counter", "Value"], rows: [
                ["Site", local.siteName], ["Moodle release", local.release], ["Country", local.country], ["Language", local.language],
                ["Courses", SVGCharts.grouped(local.courses)], ["Users", SVGCharts.grouped(local.users)],
                ["Enrolments", SVGCharts.grouped(local.enrolments)], ["Active users (30 days)", SVGCharts.grouped(local.activeUsers30d)],
            ])
        }
        return layout.render(title: "Statistics", current: .stats, body: body)
    }

    private func section(id: String, title: String, groups: [String: Counters], unknown: String) -> String {
        guard !groups.isEmpty else { return "" }
        let rows = groups.sorted { ($0.value.sites, $1.key) > ($1.value.sites, $0.key) }
        let name = { (k: String) in k.isEmpty ? unknown : k }
        var html = "<h2 id=\"\(id)\">\(HTML.escape(title))</h2>"
        html += SVGCharts.horizontalBars(id: "\(id)-chart", title: "\(title): sites", description: "Number of sites per group",
                                         bars: rows.prefix(15).map { .init(label: name($0.key), value: $0.value.sites) })
        html += table(caption: title, headers: ["", "Sites", "Courses", "Users", "Enrolments"], rows: rows.map { k, c in
            [name(k), SVGCharts.grouped(c.sites), SVGCharts.grouped(c.courses), SVGCharts.grouped(c.users), SVGCharts.grouped(c.enrolments)]
        })
        return html
    }

    /// A data table; the first column is the row header, the others are right-aligned numbers.
    private func table(caption: String, headers: [String], rows: [[String]]) -> String {
        var html = "<table><caption class=\"visually-hidden\">\(HTML.escape(caption))</caption><thead><tr>"
        for (i, h) in headers.enumerated() { html += "<th scope=\"col\"\(i > 0 ? " class=\"num\"" : "")>\(HTML.escape(h))</th>" }
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for (i, cell) in row.enumerated() {
                html += i == 0 ? "<th scope=\"row\">\(HTML.escape(cell))</th>" : "<td class=\"num\">\(HTML.escape(cell))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }
}
