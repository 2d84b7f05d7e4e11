import MeshCore

/// The scalar counters of one or more Moodle sites: Moodle's own site-registration figures
/// plus ours. Summing is exact (64-bit integers), associative and commutative, with `.zero`
/// as identity. A value type; safe to share across threads.
public struct Counters: Codable, Hashable, Sendable {
    /// Sites counted (1 for one site's record).
    public var sites: Int
    /// Courses, front page excluded (`SiteStats.courses`).
    public var courses: Int
    /// Users not deleted, guest excluded.
    public var users: Int
    /// User enrolments, all states.
    public var enrolments: Int
    /// Distinct users active in the last 30 days, summed per site.
    public var activeUsers30d: Int
    /// Forum posts.
    public var forumPosts: Int
    /// Questions in the question bank.
    public var quizQuestions: Int
    /// Resources in all courses.
    public var resources: Int

    /// All counters 0: the identity of `+`.
    public static let zero = Counters(sites: 0, courses: 0, users: 0, enrolments: 0, activeUsers30d: 0,
                                      forumPosts: 0, quizQuestions: 0, resources: 0)

    /// Counters with the given values.
    public init(sites: Int, courses: Int, users: Int, enrolments: Int, activeUsers30d: Int,
                forumPosts: Int, quizQuestions: Int, resources: Int) {
        self.sites = sites
        self.courses = courses
        self.users = users
        self.enrolments = enrolments
        self.activeUsers30d = activeUsers30d
        self.forumPosts = forumPosts
        self.quizQuestions = quizQuestions
        self.resources = resources
    }

    /// One site's counters (`sites` = 1); negative figures from a broken reader count as 0.
    public init(site: SiteStats) {
        self.init(sites: 1, courses: max(0, site.courses), users: max(0, site.users),
                  enrolments: max(0, site.enrolments), activeUsers30d: max(0, site.activeUsers30d),
                  forumPosts: max(0, site.forumPosts), quizQuestions: max(0, site.quizQuestions),
                  resources: max(0, site.resources))
    }

    /// Field-wise sum.
    public static func + (a: Counters, b: Counters) -> Counters {
        Counters(sites: a.sites + b.sites, courses: a.courses + b.courses, users: a.users + b.users,
                 enrolments: a.enrolments + b.enrolments, activeUsers30d: a.activeUsers30d + b.activeUsers30d,
                 forumPosts: a.forumPosts + b.forumPosts, quizQuestions: a.quizQuestions + b.quizQuestions,
                 resources: a.resources + b.resources)
    }

    /// Adds `b` field-wise.
    public static func += (a: inout Counters, b: Counters) { a = a + b }

    enum CodingKeys: String, CodingKey {
        case sites, courses, users, enrolments
        case activeUsers30d = "active_users_30d"
        case forumPosts = "forum_posts"
        case quizQuestions = "quiz_questions"
        case resources
    }
}

/// Summed lengths (in terms, as the search analyzer counts them) of the fields BM25F weighs,
/// over some set of course documents. Dividing by the document count gives the exact average
/// field length for ranking. Associative and commutative under `+`, identity `.zero`.
public struct FieldLengths: Codable, Hashable, Sendable {
    /// Terms in course titles.
    public var title: Int
    /// Terms in tags.
    public var tags: Int
    /// Terms in category paths.
    public var category: Int
    /// Terms in summaries.
    public var summary: Int
    /// Terms in module names.
    public var modules: Int

    /// All lengths 0: the identity of `+`.
    public static let zero = FieldLengths(title: 0, tags: 0, category: 0, summary: 0, modules: 0)

    /// Lengths with the given values.
    public init(title: Int, tags: Int, category: Int, summary: Int, modules: Int) {
        self.title = title
        self.tags = tags
        self.category = category
        self.summary = summary
        self.modules = modules
    }

    /// Field-wise sum.
    public static func + (a: FieldLengths, b: FieldLengths) -> FieldLengths {
        FieldLengths(title: a.title + b.title, tags: a.tags + b.tags, category: a.category + b.category,
                     summary: a.summary + b.summary, modules: a.modules + b.modules)
    }
}

/// The average length of each BM25F field over the whole index; all 0 when there are no documents.
public struct AverageFieldLengths: Hashable, Sendable {
    /// Mean terms per document in each field.
    public var title: Double
    /// See `title`.
    public var tags: Double
    /// See `title`.
    public var category: Double
    /// See `title`.
    public var summary: Double
    /// See `title`.
    public var modules: Double
}

/// What one site contributes to the rollup: its stats record and, per visible course document,
/// the category path and the field lengths the search analyzer computed for it. Built by the
/// caller so the rollup needs no text analysis of its own.
public struct SiteContribution: Sendable, Hashable {
    /// One course document as the rollup needs it.
    public struct Document: Sendable, Hashable {
        /// Category names from the top down (`CourseDocument.categoryPath`).
        public var categoryPath: [String]
        /// Term counts per field, as indexed.
        public var lengths: FieldLengths

        /// A document summary with the given path and lengths.
        public init(categoryPath: [String], lengths: FieldLengths) {
            self.categoryPath = categoryPath
            self.lengths = lengths
        }

        /// Takes the category path from `document`; `lengths` come from the caller's analyzer.
        public init(_ document: CourseDocument, lengths: FieldLengths) {
            self.init(categoryPath: document.categoryPath, lengths: lengths)
        }
    }

    /// The site's own record.
    public var stats: SiteStats
    /// Its indexed (visible) course documents.
    public var documents: [Document]

    /// One site's record with its documents.
    public init(stats: SiteStats, documents: [Document]) {
        self.stats = stats
        self.documents = documents
    }
}
