import MeshCore
import Testing
@testable import Rollup

@Suite struct AggregateMergeLaws {
    @Test func mergeIsAssociativeOverManySeededAggregates() {
        var sites = RandomSites(seed: 42)
        for _ in 0..<300 {
            let a = sites.aggregate(), b = sites.aggregate(), c = sites.aggregate()
            #expect(a.merging(b).merging(c) == a.merging(b.merging(c)))
        }
    }

    @Test func mergeIsCommutativeOverManySeededAggregates() {
        var sites = RandomSites(seed: 7)
        for _ in 0..<300 {
            let a = sites.aggregate(), b = sites.aggregate()
            #expect(a.merging(b) == b.merging(a))
        }
    }

    @Test func identityChangesNothingOnEitherSide() {
        var sites = RandomSites(seed: 99)
        for _ in 0..<300 {
            let a = sites.aggregate()
            #expect(a.merging(.identity) == a)
            #expect(Aggregate.identity.merging(a) == a)
        }
    }

    @Test func anyGroupingAndOrderOfManySitesGivesTheSameTotal() {
        var sites = RandomSites(seed: 5)
        let parts = (0..<200).map { Aggregate(site: sites.contribution(index: $0)) }
        let sequential = Aggregate.merged(parts)
        var shuffler = SplitMix64(seed: 11)
        let shuffled = parts.shuffled(using: &shuffler)
        let pairwise = stride(from: 0, to: shuffled.count, by: 2).map { shuffled[$0].merging(shuffled[$0 + 1]) }
        #expect(Aggregate.merged(pairwise) == sequential)
        #expect(sequential.totals.sites == 200)
        #expect(sequential.totals.courses == parts.map(\.totals.courses).reduce(0, +))
    }
}

@Suite struct AggregateOfOneSite {
    let stats = SiteStats(siteURL: "https://a.example.edu", siteName: "A", language: "CA", country: "es",
                          release: "5.0.6+ (Build: 20260403)", version: "2025041406.11", courses: 10, users: 200,
                          enrolments: 900, activeUsers30d: 50, forumPosts: 300, quizQuestions: 40, resources: 70,
                          activitiesByType: ["forum": 12, "quiz": 3, "page": 0], readAt: 1_700_000_000)

    @Test func everyCounterIsCarriedAndGroupedByCountryLanguageAndRelease() {
        let docs = [
            SiteContribution.Document(categoryPath: ["Science", "Physics"], lengths: FieldLengths(title: 3, tags: 2, category: 2, summary: 40, modules: 10)),
            SiteContribution.Document(categoryPath: ["Science", "  Physics "], lengths: FieldLengths(title: 5, tags: 0, category: 2, summary: 60, modules: 4)),
            SiteContribution.Document(categoryPath: [], lengths: FieldLengths(title: 1, tags: 1, category: 0, summary: 0, modules: 1)),
        ]
        let a = Aggregate(site: SiteContribution(stats: stats, documents: docs))
        let expected = Counters(sites: 1, courses: 10, users: 200, enrolments: 900, activeUsers30d: 50,
                                forumPosts: 300, quizQuestions: 40, resources: 70)
        #expect(a.totals == expected)
        #expect(a.byCountry == ["ES": expected])
        #expect(a.byLanguage == ["ca": expected])
        #expect(a.byRelease == ["5.0": expected])
        #expect(a.activitiesByType == ["forum": 12, "quiz": 3])
        #expect(a.coursesByCategory == ["Physics": 2])
        #expect(a.documents == 3)
        #expect(a.fieldLengths == FieldLengths(title: 9, tags: 3, category: 4, summary: 100, modules: 15))
        #expect(a.averageFieldLengths.title == 3)
        #expect(a.averageFieldLengths.summary == 100.0 / 3.0)
        #expect(a.countries == 1)
    }

    @Test func averageFieldLengthsOfTheMergeAreTheExactIndexWideAverages() {
        let one = Aggregate(site: SiteContribution(stats: stats, documents: [
            .init(categoryPath: ["X"], lengths: FieldLengths(title: 2, tags: 0, category: 1, summary: 10, modules: 0))]))
        let two = Aggregate(site: SiteContribution(stats: stats, documents: [
            .init(categoryPath: ["X"], lengths: FieldLengths(title: 4, tags: 0, category: 1, summary: 20, modules: 0)),
            .init(categoryPath: ["Y"], lengths: FieldLengths(title: 6, tags: 0, category: 1, summary: 30, modules: 0))]))
        let merged = one.merging(two)
        #expect(merged.averageFieldLengths.title == 4)
        #expect(merged.averageFieldLengths.summary == 20)
        #expect(Aggregate.identity.averageFieldLengths.title == 0)
    }

    @Test func unknownCountryIsNotCountedAsACountry() {
        var blank = stats
        blank.country = ""
        let a = Aggregate(site: SiteContribution(stats: stats, documents: []))
            .merging(Aggregate(site: SiteContribution(stats: blank, documents: [])))
        #expect(a.byCountry.count == 2)
        #expect(a.countries == 1)
    }

    @Test func releaseBranchKeepsMajorAndMinor() {
        #expect(Aggregate.releaseBranch("5.0.6+ (Build: 20260403)") == "5.0")
        #expect(Aggregate.releaseBranch("4.5+ (Build: 20241007)") == "4.5")
        #expect(Aggregate.releaseBranch("3.11.18 (Build: 20240212)") == "3.11")
        #expect(Aggregate.releaseBranch("4") == "4")
        #expect(Aggregate.releaseBranch("") == "unknown")
        #expect(Aggregate.releaseBranch("weird") == "unknown")
    }

    @Test func topCategoriesAreCutOnlyWhenAskedAndTiesSortByName() {
        var a = Aggregate.identity
        a.coursesByCategory = ["b": 5, "a": 5, "c": 9, "d": 1]
        #expect(a.topCategories(limit: 3).map(\.name) == ["c", "a", "b"])
        #expect(a.topCategories(limit: 0).isEmpty)
        #expect(a.coursesByCategory.count == 4)
    }

    @Test func jsonRoundTripsWithSnakeCaseKeys() throws {
        var sites = RandomSites(seed: 3)
        let a = sites.aggregate().merging(Aggregate(site: sites.contribution(index: 9)))
        let text = try JSONCoding.encodeString(a)
        #expect(text.contains("\"by_country\""))
        #expect(text.contains("\"active_users_30d\""))
        #expect(text.contains("\"field_lengths\""))
        #expect(!text.contains("\n"))
        #expect(try JSONCoding.decode(Aggregate.self, from: Array(text.utf8)) == a)
    }
}
