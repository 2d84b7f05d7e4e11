import MeshCore
/// Server-side SVG charts for the statistics page: pure functions returning a complete `<svg>`
/// element as a String. Every chart has `role="img"`, a `<title>` and `<desc>` referenced by
/// `aria-labelledby`, scales with its container (`viewBox`, `width="100%"`), uses colours with
/// at least 4.5:1 contrast on white, and XML-escapes every piece of text it prints, so hostile
/// labels cannot inject markup. The numbers should also be given in a table for screen readers.
/// Thread-safe (no state).
public enum SVGCharts {
    /// One bar: a label (country, release …) and its value.
    public struct Bar: Hashable, Sendable {
        public var label: String
        public var value: Int

        public init(label: String, value: Int) {
            self.label = label
            self.value = value
        }
    }

    /// One point of a history line: a day and its value.
    public struct Point: Hashable, Sendable {
        public var day: CalendarDay
        public var value: Int

        public init(day: CalendarDay, value: Int) {
            self.day = day
            self.value = value
        }
    }

    /// Bars: #1f5f99 (6.9:1 on white). Text: #1a1a1a (17:1). Grid: #6b6b6b (5.3:1).
    static let barColour = "#1f5f99"
    static let textColour = "#1a1a1a"
    static let gridColour = "#6b6b6b"
    /// Longest label drawn, in characters; longer ones end in "…" (the full text stays in the table).
    public static let maxLabelCharacters = 28

    /// A horizontal bar chart, one row per bar in the given order, each bar's length
    /// proportional to its value (negative values draw as 0). `id` names the chart on its page
    /// (only letters, digits, `-` and `_` are kept).
    public static func horizontalBars(id: String, title: String, description: String, bars: [Bar]) -> String {
        let key = sanitizedID(id)
        let rowHeight = 28, top = 8, labelWidth = 200, barSpace = 340, width = 640
        let height = top * 2 + max(1, bars.count) * rowHeight
        let largest = max(1, bars.map(\.value).max() ?? 1)
        var out = open(key: key, title: title, description: description, width: width, height: height)
        for (row, bar) in bars.enumerated() {
            let y = top + row * rowHeight
            let length = Int((Double(max(0, bar.value)) / Double(largest) * Double(barSpace)).rounded())
            out += "<g>"
            out += "<title>\(escape(bar.label)): \(grouped(bar.value))</title>"
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 19)\" text-anchor=\"end\" font-size=\"14\" fill=\"\(textColour)\">\(escape(truncated(bar.label)))</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(length)\" height=\"\(rowHeight - 10)\" fill=\"\(barColour)\"/>"
            out += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 19)\" font-size=\"14\" fill=\"\(textColour)\">\(grouped(bar.value))</text>"
            out += "</g>"
        }
        return out + "</svg>"
    }

    /// A line chart of `points` (sorted by day here), with a 0-based y axis labelled at 0, half
    /// and the maximum, and the first and last day on the x axis. Each point carries a
    /// `<title>` with its day and value.
    public static func line(id: String, title: String, description: String, points: [Point]) -> String {
        let key = sanitizedID(id)
        let width = 640, height = 300, left = 80, right = 20, top = 20, bottom = 40
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let sorted = points.sorted { $0.day < $1.day }
        let largest = max(1, sorted.map(\.value).max() ?? 1)
        func x(_ i: Int) -> Int { sorted.count < 2 ? left + plotWidth / 2 : left + i * plotWidth / (sorted.count - 1) }
        func y(_ v: Int) -> Int { top + plotHeight - Int((Double(max(0, v)) / Double(largest) * Double(plotHeight)).rounded()) }
        var out = open(key: key, title: title, description: description, width: width, height: height)
        for tick in [0, largest / 2, largest] {
            out += "<line x1=\"\(left)\" y1=\"\(y(tick))\" x2=\"\(width - right)\" y2=\"\(y(tick))\" stroke=\"\(gridColour)\" stroke-width=\"1\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(y(tick) + 5)\" text-anchor=\"end\" font-size=\"13\" fill=\"\(textColour)\">\(grouped(tick))</text>"
        }
        if let first = sorted.first, let last = sorted.last {
            out += "<text x=\"\(left)\" y=\"\(height - 12)\" font-size=\"13\" fill=\"\(textColour)\">\(escape(first.day.description))</text>"
            if sorted.count > 1 {
                out += "<text x=\"\(width - right)\" y=\"\(height - 12)\" text-anchor=\"end\" font-size=\"13\" fill=\"\(textColour)\">\(escape(last.day.description))</text>"
            }
            let coordinates = sorted.indices.map { "\(x($0)),\(y(sorted[$0].value))" }.joined(separator: " ")
            out += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(barColour)\" stroke-width=\"2\"/>"
            for (i, point) in sorted.enumerated() {
                out += "<circle cx=\"\(x(i))\" cy=\"\(y(point.value))\" r=\"3\" fill=\"\(barColour)\"><title>\(escape(point.day.description)): \(grouped(point.value))</title></circle>"
            }
        } else {
            out += "<text x=\"\(width / 2)\" y=\"\(height / 2)\" text-anchor=\"middle\" font-size=\"14\" fill=\"\(textColour)\">No data yet</text>"
        }
        return out + "</svg>"
    }

    /// `text` safe inside XML text and attribute values (see `MarkupEscaping`).
    public static func escape(_ text: String) -> String { MarkupEscaping.escape(text) }

    /// `1234567` → `"1,234,567"`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    private static func truncated(_ label: String) -> String {
        label.count <= maxLabelCharacters ? label : String(label.prefix(maxLabelCharacters - 1)) + "…"
    }

    private static func sanitizedID(_ id: String) -> String {
        let kept = String(id.unicodeScalars.filter { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" })
        return kept.isEmpty ? "chart" : kept
    }

    private static func open(key: String, title: String, description: String, width: Int, height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" "
            + "preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-labelledby=\"\(key)-title \(key)-desc\" "
            + "font-family=\"system-ui, sans-serif\">"
            + "<title id=\"\(key)-title\">\(escape(title))</title><desc id=\"\(key)-desc\">\(escape(description))</desc>"
    }
}
