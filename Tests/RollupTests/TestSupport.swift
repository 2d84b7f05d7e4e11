import MeshCore
@testable import Rollup

/// Seeded random sites and aggregates shared by the rollup tests.
struct RandomSites {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let countries = ["ES", "FR", "DE", "US", "BR", "JP", "", "CA", "IN", "MX"]
    static let languages = ["en", "es", "ca", "fr", "de", "pt", "it"]
    static let releases = ["4.1.2 (Build: 20230313)", "4.5+ (Build: 20241007)", "5.0.6+ (Build: 20260403)", "weird"]
    static let categories = ["Mathematics", "Physics", "History", "Languages", "Computer science", "Art", "Music"]
    static let moduleTypes = ["forum", "quiz", "page", "url", "resource", "assign"]

    mutating func int(_ upper: Int) -> Int { Int(random.next() % UInt64(upper)) }

    mutating func pick<T>(_ list: [T]) -> T { list[int(list.count)] }

    mutating func stats(index: Int) -> SiteStats {
        var activities: [String: Int] = [:]
        for _ in 0..<int(4) { activities[pick(Self.moduleTypes), default: 0] += 1 + int(50) }
        return SiteStats(siteURL: "https://site\(index).example.edu", siteName: "Site \(index)", language: pick(Self.languages),
                         country: pick(Self.countries), release: pick(Self.releases), version: "2025041406.11",
                         courses: int(500), users: int(10_000), enrolments: int(50_000), activeUsers30d: int(3_000),
                         forumPosts: int(9_000), quizQuestions: int(2_000), resources: int(4_000),
                         activitiesByType: activities, readAt: 1_700_000_000)
    }

    mutating func contribution(index: Int, maxDocuments: Int = 6) -> SiteContribution {
        let stats = stats(index: index)
        let documents = (0..<int(maxDocuments + 1)).map { _ in
            SiteContribution.Document(categoryPath: ["Faculty", pick(Self.categories)],
                                      lengths: FieldLengths(title: 1 + int(8), tags: int(5), category: 1 + int(3),
                                                            summary: int(200), modules: int(40)))
        }
        return SiteContribution(stats: stats, documents: documents)
    }

    /// The merge of 0…3 random single-site aggregates.
    mutating func aggregate() -> Aggregate {
        var out = Aggregate.identity
        for i in 0..<int(4) { out.merge(Aggregate(site: contribution(index: i))) }
        return out
    }
}
