/// One course as a guest of its Moodle site sees it: the unit that is indexed, published and
/// returned by searches. Produced by the Moodle reader (`MoodleSource`) and by the Moodle
/// plugin (`POST /api/v1/courses`); both send exactly this shape (Docs/api.md, "Course document").
///
/// Holds no personal data: no user names, e-mails, teacher names or log rows.
public struct CourseDocument: Codable, Hashable, Sendable {
    /// A visible activity or resource of the course.
    public struct Module: Codable, Hashable, Sendable {
        /// Moodle module type, e.g. `forum`, `quiz`, `page`, `url`, `resource`.
        public var type: String
        /// The activity's name as shown on the course page.
        public var name: String

        public init(type: String, name: String) {
            self.type = type
            self.name = name
        }
    }

    /// Moodle's `course.id` on its own site (never 1, the front page).
    public var courseID: Int64
    /// `{wwwroot}/course/view.php?id={courseID}`.
    public var url: String
    public var fullName: String
    public var shortName: String
    /// Plain text: HTML stripped, Markdown rendered to text, entities resolved.
    public var summary: String
    /// Category names from the top of the tree down to the course's own category.
    public var categoryPath: [String]
    public var tags: [String]
    /// A language code such as `en`, `es`, `ca` (course.lang, else the site's default).
    public var language: String
    /// Moodle course format: `topics`, `weeks`, `social`, `singleactivity`.
    public var format: String
    /// Unix seconds; nil when Moodle has 0 (not set).
    public var startDate: Int64?
    public var endDate: Int64?
    /// Unix seconds of the latest change to anything this document shows.
    public var timeModified: Int64
    /// True when an enabled self or guest enrolment instance exists.
    public var openEnrolment: Bool
    /// Active enrolments: enrolment enabled, not suspended, within its dates.
    public var enrolledCount: Int
    public var modules: [Module]

    public init(courseID: Int64, url: String, fullName: String, shortName: String, summary: String,
                categoryPath: [String], tags: [String], language: String, format: String,
                startDate: Int64?, endDate: Int64?, timeModified: Int64, openEnrolment: Bool,
                enrolledCount: Int, modules: [Module]) {
        self.courseID = courseID
        self.url = url
        self.fullName = fullName
        self.shortName = shortName
        self.summary = summary
        self.categoryPath = categoryPath
        self.tags = tags
        self.language = language
        self.format = format
        self.startDate = startDate
        self.endDate = endDate
        self.timeModified = timeModified
        self.openEnrolment = openEnrolment
        self.enrolledCount = enrolledCount
        self.modules = modules
    }

    enum CodingKeys: String, CodingKey {
        case courseID = "course_id"
        case url
        case fullName = "full_name"
        case shortName = "short_name"
        case summary
        case categoryPath = "category_path"
        case tags, language, format
        case startDate = "start_date"
        case endDate = "end_date"
        case timeModified = "time_modified"
        case openEnrolment = "open_enrolment"
        case enrolledCount = "enrolled_count"
        case modules
    }
}

/// The counters a Moodle site reports about itself (the ones Moodle's own site registration
/// sends, plus ours), as read from its database. Totals only, no personal data.
public struct SiteStats: Codable, Hashable, Sendable {
    /// The site's public base URL (`wwwroot`).
    public var siteURL: String
    /// The front page's full name.
    public var siteName: String
    /// Default language code of the site.
    public var language: String
    /// ISO 3166-1 alpha-2 country code from configuration, upper case; "" when unknown.
    public var country: String
    /// Moodle release string, e.g. `5.0.6+ (Build: 20260403)`.
    public var release: String
    /// Moodle version number, e.g. `2025041406.11`.
    public var version: String
    /// Courses excluding the front page (visible or not).
    public var courses: Int
    /// Users not deleted (excluding the guest user).
    public var users: Int
    /// User enrolments (all states).
    public var enrolments: Int
    /// Distinct users with activity in the last 30 days.
    public var activeUsers30d: Int
    public var forumPosts: Int
    public var quizQuestions: Int
    /// Resources (files, folders, pages, urls, books, labels ...) in all courses.
    public var resources: Int
    /// Course modules by module type name (`forum`: 31, …).
    public var activitiesByType: [String: Int]
    /// Unix seconds when the record was read.
    public var readAt: Int64

    public init(siteURL: String, siteName: String, language: String, country: String, release: String,
                version: String, courses: Int, users: Int, enrolments: Int, activeUsers30d: Int,
                forumPosts: Int, quizQuestions: Int, resources: Int, activitiesByType: [String: Int], readAt: Int64) {
        self.siteURL = siteURL
        self.siteName = siteName
        self.language = language
        self.country = country
        self.release = release
        self.version = version
        self.courses = courses
        self.users = users
        self.enrolments = enrolments
        self.activeUsers30d = activeUsers30d
        self.forumPosts = forumPosts
        self.quizQuestions = quizQuestions
        self.resources = resources
        self.activitiesByType = activitiesByType
        self.readAt = readAt
    }

    enum CodingKeys: String, CodingKey {
        case siteURL = "site_url"
        case siteName = "site_name"
        case language, country, release, version, courses, users, enrolments
        case activeUsers30d = "active_users_30d"
        case forumPosts = "forum_posts"
        case quizQuestions = "quiz_questions"
        case resources
        case activitiesByType = "activities_by_type"
        case readAt = "read_at"
    }
}
