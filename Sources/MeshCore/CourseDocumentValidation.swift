/// Checks a course document received from outside (the Moodle plugin's push, a peer) before
/// anything stores it. Pure and total: any document, however hostile, gets a list of problems
/// or none, never a crash.
public enum CourseDocumentValidation {
    /// Size limits of one document's fields (named, so the API documentation can quote them).
    public enum Limits {
        public static let maxTitle = 1333
        public static let maxShortName = 255
        public static let maxSummary = 20_000
        public static let maxURL = 2048
        public static let maxCategories = 16
        public static let maxTags = 64
        public static let maxTag = 100
        public static let maxModules = 500
        public static let maxModuleName = 1333
        public static let maxLanguage = 30
    }

    /// One thing wrong with a field: `field` is its path (`courses[0].url`), `message` says why.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }

        public var description: String { "\(field) \(message)" }
    }

    /// Every problem of `document`, with field paths prefixed by `path` (e.g. `courses[3]`).
    public static func problems(of document: CourseDocument, path: String = "") -> [Problem] {
        var found: [Problem] = []
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        func check(_ ok: Bool, _ name: String, _ message: String) {
            if !ok { found.append(Problem(field: field(name), message: message)) }
        }
        check(document.courseID >= 2, "course_id", "must be a Moodle course id of 2 or more (1 is the front page)")
        check(isHTTPURL(document.url), "url", "must be an absolute http(s) URL")
        check(document.url.utf8.count <= Limits.maxURL, "url", "must be at most \(Limits.maxURL) bytes")
        check(!document.fullName.trimmed.isEmpty, "full_name", "must not be empty")
        check(document.fullName.count <= Limits.maxTitle, "full_name", "must be at most \(Limits.maxTitle) characters")
        check(document.shortName.count <= Limits.maxShortName, "short_name", "must be at most \(Limits.maxShortName) characters")
        check(document.summary.count <= Limits.maxSummary, "summary", "must be at most \(Limits.maxSummary) characters")
        check(document.categoryPath.count <= Limits.maxCategories, "category_path", "must have at most \(Limits.maxCategories) levels")
        for (i, name) in document.categoryPath.enumerated() {
            check(name.count <= Limits.maxTitle, "category_path[\(i)]", "must be at most \(Limits.maxTitle) characters")
        }
        check(document.tags.count <= Limits.maxTags, "tags", "must have at most \(Limits.maxTags) tags")
        for (i, tag) in document.tags.enumerated() {
            check(tag.count <= Limits.maxTag, "tags[\(i)]", "must be at most \(Limits.maxTag) characters")
        }
        check(isLanguageCode(document.language), "language",
              "must be a language code like en, es or pt_br (letters, digits, _ or -, at most \(Limits.maxLanguage))")
        check(document.format.count <= 21, "format", "must be at most 21 characters")
        if let s = document.startDate { check(s >= 0, "start_date", "must be unix seconds (0 or more) or null") }
        if let e = document.endDate { check(e >= 0, "end_date", "must be unix seconds (0 or more) or null") }
        check(document.timeModified >= 0, "time_modified", "must be unix seconds (0 or more)")
        check(document.enrolledCount >= 0, "enrolled_count", "must be 0 or more")
        check(document.modules.count <= Limits.maxModules, "modules", "must have at most \(Limits.maxModules) entries")
        for (i, m) in document.modules.prefix(Limits.maxModules).enumerated() {
            check(!m.type.isEmpty && m.type.count <= 40 && m.type.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") },
                  "modules[\(i)].type", "must be a Moodle module name such as forum or quiz")
            check(m.name.count <= Limits.maxModuleName, "modules[\(i)].name", "must be at most \(Limits.maxModuleName) characters")
        }
        return found
    }

    /// True for `http://host…` or `https://host…` with a non-empty host (after any userinfo,
    /// before any port) and no spaces or control characters. `https://user:@/path` and
    /// `https://:443/` have no host and are refused (found by fuzzing: they passed before, and
    /// origin binding could not tell whose course they were).
    public static func isHTTPURL(_ text: String) -> Bool {
        if case .scanned(let host) = asciiHost(text) { return host != nil }
        return isGeneralHTTPURL(text)
    }

    /// `isHTTPURL` for any text, on Characters (the path non-ASCII URLs take).
    static func isGeneralHTTPURL(_ text: String) -> Bool {
        guard !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) else { return false }
        return authorityHost(text) != nil
    }

    /// Host of an http(s) URL, lower-cased, without userinfo or port; nil when there is none.
    public static func host(of url: String) -> String? {
        if case .scanned(let host) = asciiHost(url) { return host }
        return isGeneralHTTPURL(url) ? authorityHost(url) : nil
    }

    /// `host(of:)` computed on the bytes of an all-ASCII `text` (what nearly every URL is): the
    /// same rules as `isHTTPURL` and `authorityHost`, without building Characters or lower-casing
    /// the whole URL. `.notASCII` when `text` has a non-ASCII byte (then the general path decides).
    static func asciiHost(_ text: String) -> ASCIIHostScan {
        text.utf8.withContiguousStorageIfAvailable { bytes -> ASCIIHostScan in
            var hasControl = false
            for b in bytes {
                if b >= 0x80 { return .notASCII }
                if b <= 0x20 || b == 0x7F { hasControl = true }
            }
            if hasControl { return .scanned(nil) }
            func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }
            func hasPrefix(_ p: StaticString) -> Bool {
                guard bytes.count >= p.utf8CodeUnitCount else { return false }
                for i in 0..<p.utf8CodeUnitCount where lower(bytes[i]) != p.utf8Start[i] { return false }
                return true
            }
            let start = hasPrefix("https://") ? 8 : hasPrefix("http://") ? 7 : -1
            guard start >= 0 else { return .scanned(nil) }
            var end = start
            while end < bytes.count, bytes[end] != 0x2F, bytes[end] != 0x3F, bytes[end] != 0x23 { end += 1 }
            var from = start
            for i in start..<end where bytes[i] == 0x40 { from = i + 1 }
            var to = from
            if from < end, bytes[from] == 0x5B {
                guard let close = bytes[from..<end].firstIndex(of: 0x5D), close - from > 1 else { return .scanned(nil) }
                to = close + 1
            } else {
                while to < end, bytes[to] != 0x3A { to += 1 }
            }
            guard to > from else { return .scanned(nil) }
            return .scanned(String(decoding: bytes[from..<to].map(lower), as: UTF8.self))
        } ?? .notASCII
    }

    /// What `asciiHost` found: the host (nil: not an http(s) URL with a host), or that the
    /// text needs the general path.
    enum ASCIIHostScan: Equatable {
        case scanned(String?)
        case notASCII
    }

    /// The non-empty host of `http(s)://[userinfo@]host[:port]…`, lower-cased, or nil.
    static func authorityHost(_ url: String) -> String? {
        let lower = url.lowercased()
        let afterScheme: Substring
        if lower.hasPrefix("https://") { afterScheme = lower.dropFirst(8) } else if lower.hasPrefix("http://") { afterScheme = lower.dropFirst(7) } else { return nil }
        var authority = afterScheme.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]"), authority.distance(from: authority.startIndex, to: close) > 1 else { return nil }
            return String(authority[...close])
        }
        let host = authority.prefix(while: { $0 != ":" })
        return host.isEmpty ? nil : String(host)
    }

    static func isLanguageCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= Limits.maxLanguage
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}

extension String {
    var trimmed: Substring {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return self[start...end]
    }
}
