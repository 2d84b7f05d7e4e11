import MeshCore

/// Worldwide (or subtree-wide) statistics: a mergeable summary of any set of sites.
///
/// `merging` is associative and commutative and `Aggregate.identity` is its identity, so a tree
/// may combine contributions in any grouping and order and still get the exact total. Every
/// figure is an integer sum or a union of integer-keyed sums; nothing is truncated or averaged
/// inside, so merging never loses precision (top lists are cut only by `topCategories`).
/// A value type; safe to share across threads.
public struct Aggregate: Codable, Hashable, Sendable {
    /// All scalar counters over every site (`totals.sites` = number of sites).
    public var totals: Counters
    /// Course modules by module type name, summed over all sites.
    public var activitiesByType: [String: Int]
    /// Counters per ISO country code (`""` when a site did not say).
    public var byCountry: [String: Counters]
    /// Counters per site default language code.
    public var byLanguage: [String: Counters]
    /// Counters per Moodle release branch (`"5.0"`, see `releaseBranch`).
    public var byRelease: [String: Counters]
    /// Indexed course documents per category name (the course's own category, the last
    /// element of its category path), exact so merges stay exact.
    public var coursesByCategory: [String: Int]
    /// Course documents in the index.
    public var documents: Int
    /// Summed field lengths over those documents.
    public var fieldLengths: FieldLengths

    /// No sites: merging with it changes nothing.
    public static let identity = Aggregate(totals: .zero, activitiesByType: [:], byCountry: [:], byLanguage: [:],
                                           byRelease: [:], coursesByCategory: [:], documents: 0, fieldLengths: .zero)

    public init(totals: Counters, activitiesByType: [String: Int], byCountry: [String: Counters],
                byLanguage: [String: Counters], byRelease: [String: Counters], coursesByCategory: [String: Int],
                documents: Int, fieldLengths: FieldLengths) {
        self.totals = totals
        self.activitiesByType = activitiesByType
        self.byCountry = byCountry
        self.byLanguage = byLanguage
        self.byRelease = byRelease
        self.coursesByCategory = coursesByCategory
        self.documents = documents
        self.fieldLengths = fieldLengths
    }

    /// The aggregate of exactly one site: its stats record plus its indexed course documents.
    public init(site: SiteContribution) {
        let stats = site.stats
        let counters = Counters(site: stats)
        var activities: [String: Int] = [:]
        for (type, count) in stats.activitiesByType where count > 0 { activities[type, default: 0] += count }
        var categories: [String: Int] = [:]
        var lengths = FieldLengths.zero
        for document in site.documents {
            if let name = Aggregate.categoryName(document.categoryPath) { categories[name, default: 0] += 1 }
            lengths = lengths + document.lengths
        }
        self.init(totals: counters, activitiesByType: activities,
                  byCountry: [stats.country.uppercased(): counters],
                  byLanguage: [stats.language.lowercased(): counters],
                  byRelease: [Aggregate.releaseBranch(stats.release): counters],
                  coursesByCategory: categories, documents: site.documents.count, fieldLengths: lengths)
    }

    /// `self` combined with `other`: every sum added, every group map unioned with sums.
    public func merging(_ other: Aggregate) -> Aggregate {
        var out = self
        out.merge(other)
        return out
    }

    /// Adds `other` into `self` (see `merging`).
    public mutating func merge(_ other: Aggregate) {
        totals += other.totals
        activitiesByType.merge(other.activitiesByType, uniquingKeysWith: +)
        byCountry.merge(other.byCountry, uniquingKeysWith: +)
        byLanguage.merge(other.byLanguage, uniquingKeysWith: +)
        byRelease.merge(other.byRelease, uniquingKeysWith: +)
        coursesByCategory.merge(other.coursesByCategory, uniquingKeysWith: +)
        documents += other.documents
        fieldLengths = fieldLengths + other.fieldLengths
    }

    /// The merge of all `parts` (`identity` when empty).
    public static func merged(_ parts: some Sequence<Aggregate>) -> Aggregate {
        var out = Aggregate.identity
        for part in parts { out.merge(part) }
        return out
    }

    /// Distinct known countries (the unknown country `""` is not counted).
    public var countries: Int { byCountry.keys.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) } }

    /// Exact average field lengths over the index, for BM25F; zeros when it is empty.
    public var averageFieldLengths: AverageFieldLengths {
        guard documents > 0 else { return AverageFieldLengths(title: 0, tags: 0, category: 0, summary: 0, modules: 0) }
        let n = Double(documents)
        return AverageFieldLengths(title: Double(fieldLengths.title) / n, tags: Double(fieldLengths.tags) / n,
                                   category: Double(fieldLengths.category) / n,
                                   summary: Double(fieldLengths.summary) / n, modules: Double(fieldLengths.modules) / n)
    }

    /// The `limit` categories with most courses, ties broken by name so the list is stable.
    public func topCategories(limit: Int) -> [(name: String, courses: Int)] {
        coursesByCategory.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(max(0, limit)).map { (name: $0.key, courses: $0.value) }
    }

    /// The category a course is counted under: the last non-blank path element, whitespace
    /// trimmed; nil when the path is empty.
    public static func categoryName(_ path: [String]) -> String? {
        for element in path.reversed() {
            let trimmed = element.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
            if !trimmed.isEmpty { return trimmed }
        }
        return nil
    }

    /// The release branch a Moodle release string belongs to: its first two numeric components
    /// (`"5.0.6+ (Build: 20260403)"` → `"5.0"`), or `"unknown"` when it has none.
    public static func releaseBranch(_ release: String) -> String {
        var parts: [Substring] = []
        var rest = Substring(release.drop(while: { $0 == " " }))
        for _ in 0..<2 {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty else { break }
            parts.append(digits)
            rest = rest.dropFirst(digits.count)
            guard rest.first == "." else { break }
            rest = rest.dropFirst()
        }
        return parts.isEmpty ? "unknown" : parts.joined(separator: ".")
    }

    enum CodingKeys: String, CodingKey {
        case totals
        case activitiesByType = "activities_by_type"
        case byCountry = "by_country"
        case byLanguage = "by_language"
        case byRelease = "by_release"
        case coursesByCategory = "courses_by_category"
        case documents
        case fieldLengths = "field_lengths"
    }
}
