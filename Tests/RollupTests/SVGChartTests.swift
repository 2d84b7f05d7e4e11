import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Rollup

/// Parses SVG text as XML and collects what the tests look at.
final class SVGProbe: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [[String: String]] = []
    var text = ""
    var failure: String?

    static func parse(_ svg: String) -> SVGProbe {
        let probe = SVGProbe()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = probe
        if !parser.parse() { probe.failure = parser.parserError.map { "\($0)" } ?? "parse failed" }
        return probe
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
        self.attributes.append(attributes)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

let hostile = "<script>alert(1)</script> \"&' \u{1}"

@Suite struct SVGChartRendering {
    @Test func barChartIsWellFormedAccessibleAndScales() throws {
        let svg = SVGCharts.horizontalBars(id: "by-country", title: "Sites per country", description: "Number of sites in each country",
                                           bars: [.init(label: "ES", value: 1200), .init(label: "FR", value: 300)])
        let probe = SVGProbe.parse(svg)
        #expect(probe.failure == nil)
        let root = try #require(probe.attributes.first)
        #expect(probe.elements.first == "svg")
        #expect(root["role"] == "img")
        #expect(root["width"] == "100%")
        #expect(root["viewBox"]?.hasPrefix("0 0 ") == true)
        #expect(root["aria-labelledby"] == "by-country-title by-country-desc")
        let ids = probe.attributes.compactMap { $0["id"] }
        #expect(ids.contains("by-country-title") && ids.contains("by-country-desc"))
        #expect(probe.elements.filter { $0 == "rect" }.count == 2)
        #expect(probe.text.contains("1,200"))
    }

    @Test func longerValueDrawsTheLongerBar() {
        let svg = SVGCharts.horizontalBars(id: "r", title: "t", description: "d",
                                           bars: [.init(label: "5.0", value: 100), .init(label: "4.5", value: 50)])
        let widths = SVGProbe.parse(svg).attributes.compactMap { $0["height"] != nil && $0["x"] != nil ? $0["width"].flatMap { Int($0) } : nil }
        #expect(widths.count == 2)
        #expect(widths[0] == 2 * widths[1])
    }

    @Test func hostileLabelsAndTitlesAreEscapedAndStillParse() throws {
        let bars = SVGCharts.horizontalBars(id: "x\"><script>", title: hostile, description: hostile, bars: [.init(label: hostile, value: 1)])
        let line = SVGCharts.line(id: "h", title: hostile, description: hostile,
                                  points: [.init(day: StatsDay(year: 2026, month: 11, day: 20), value: 3)])
        for svg in [bars, line] {
            #expect(!svg.contains("<script"))
            #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(svg.contains("&quot;&amp;&#39;"))
            let probe = SVGProbe.parse(svg)
            #expect(probe.failure == nil)
            #expect(!probe.elements.contains("script"))
            #expect(probe.text.contains("<script>alert(1)</script> \"&'"))
        }
        #expect(SVGProbe.parse(bars).attributes.first?["aria-labelledby"] == "xscript-title xscript-desc")
    }

    @Test func lineChartPlotsEveryDayInOrderWithTitles() throws {
        let points = [
            SVGCharts.Point(day: StatsDay(year: 2026, month: 11, day: 3), value: 30),
            SVGCharts.Point(day: StatsDay(year: 2026, month: 11, day: 1), value: 10),
            SVGCharts.Point(day: StatsDay(year: 2026, month: 11, day: 2), value: 20),
        ]
        let svg = SVGCharts.line(id: "courses", title: "Courses", description: "Courses per day", points: points)
        let probe = SVGProbe.parse(svg)
        #expect(probe.failure == nil)
        let polyline = try #require(probe.attributes[probe.elements.firstIndex(of: "polyline")!]["points"])
        let xs = polyline.split(separator: " ").map { Int($0.split(separator: ",")[0])! }
        let ys = polyline.split(separator: " ").map { Int($0.split(separator: ",")[1])! }
        #expect(xs == xs.sorted())
        #expect(ys == ys.sorted(by: >))  // rising values draw higher (smaller y)
        #expect(probe.elements.filter { $0 == "circle" }.count == 3)
        #expect(probe.text.contains("2026-11-01: 10"))
        #expect(probe.text.contains("2026-11-03"))
    }

    @Test func emptyChartsStillParse() {
        #expect(SVGProbe.parse(SVGCharts.line(id: "e", title: "t", description: "d", points: [])).failure == nil)
        #expect(SVGProbe.parse(SVGCharts.horizontalBars(id: "e", title: "t", description: "d", bars: [])).failure == nil)
    }

    @Test func numbersAreGroupedByThousands() {
        #expect(SVGCharts.grouped(0) == "0")
        #expect(SVGCharts.grouped(999) == "999")
        #expect(SVGCharts.grouped(1_000) == "1,000")
        #expect(SVGCharts.grouped(1_234_567) == "1,234,567")
        #expect(SVGCharts.grouped(-12_345) == "-12,345")
    }
}
