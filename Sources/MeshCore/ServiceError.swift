/// An error that can be shown to a client: an HTTP status, a stable machine-readable code and a
/// human sentence that says what was wrong and what to do.
///
/// Every layer's error type conforms; the HTTP layer renders any of them as
/// `{"error":{"code":"…","message":"…"}}`. Messages never contain personal data from Moodle.
public protocol ServiceError: Error, Sendable {
    /// The HTTP status this error maps to (400…599).
    var status: Int { get }
    /// A stable snake_case code, e.g. `body_too_large`.
    var code: String { get }
    /// One or two sentences: what was wrong and what to do.
    var message: String { get }
}

/// A ready-made `ServiceError` for places that need no type of their own.
public struct PlainServiceError: ServiceError, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// The JSON error body every surface uses: `{"error":{"code":"…","message":"…"}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    public var error: Detail

    public init(code: String, message: String) { error = Detail(code: code, message: message) }
    public init(_ error: any ServiceError) { self.init(code: error.code, message: error.message) }
}
