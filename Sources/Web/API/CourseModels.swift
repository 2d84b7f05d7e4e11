import MeshCore

/// Body of `POST /api/v1/courses`: one to `maxCourses` course documents from the Moodle plugin.
public struct CoursePushRequest: Codable, Sendable {
    /// The most documents one request may carry.
    public static let maxCourses = 500
    public var courses: [CourseDocument]
    public init(courses: [CourseDocument]) { self.courses = courses }
}

/// Reply to a course push: how many documents were taken and what changed.
public struct CoursePushReply: Codable, Sendable, Equatable {
    public var accepted: Int
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public init(accepted: Int, added: Int, updated: Int, unchanged: Int) {
        self.accepted = accepted
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// Reply to `DELETE /api/v1/courses/{course_id}`.
public struct CourseDeleteReply: Codable, Sendable, Equatable {
    public var deleted: Bool
    public init(deleted: Bool) { self.deleted = deleted }
}

/// Errors of the JSON API, each with its status and a message that says what to do.
public enum APIError: ServiceError, Equatable {
    case missingToken
    case wrongToken
    case pushDisabled
    case invalidCourses([CourseDocumentValidation.Problem])
    case tooManyCourses(Int)
    case unknownCourse(Int64)
    case badParameter(name: String, reason: String)

    public var status: Int {
        switch self {
        case .missingToken, .wrongToken: 401
        case .pushDisabled: 403
        case .invalidCourses, .tooManyCourses, .badParameter: 400
        case .unknownCourse: 404
        }
    }

    public var code: String {
        switch self {
        case .missingToken: "missing_token"
        case .wrongToken: "wrong_token"
        case .pushDisabled: "push_disabled"
        case .invalidCourses: "invalid_course"
        case .tooManyCourses: "too_many_courses"
        case .unknownCourse: "unknown_course"
        case .badParameter: "bad_parameter"
        }
    }

    public var message: String {
        switch self {
        case .missingToken:
            "this endpoint needs 'Authorization: Bearer <token>'; use the API token configured on this node"
        case .wrongToken:
            "the bearer token is not this node's API token; copy it again from the node's configuration (COURSEMESH_API_TOKEN)"
        case .pushDisabled:
            "course pushes are disabled on this node; start it with --api-token (or COURSEMESH_API_TOKEN) to accept them"
        case .invalidCourses(let problems):
            problems.prefix(10).map(\.description).joined(separator: "; ")
                + (problems.count > 10 ? "; and \(problems.count - 10) more" : "")
        case .tooManyCourses(let n):
            "a push may carry 1 to \(CoursePushRequest.maxCourses) courses, this one has \(n); split it into several requests"
        case .unknownCourse(let id):
            "no course with course_id \(id) is stored on this node; nothing was deleted"
        case .badParameter(let name, let reason):
            "query parameter '\(name)' \(reason)"
        }
    }
}
