import MeshCore

/// Values of a route's `:name` segments, percent-decoded.
public struct RouteParameters: Sendable, Equatable {
    /// `(name, value)` in pattern order.
    public private(set) var pairs: [(name: String, value: String)] = []

    public init() {}
    init(_ pairs: [(name: String, value: String)]) { self.pairs = pairs }

    /// The value bound to `:name`, or nil.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    public static func == (a: RouteParameters, b: RouteParameters) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// A route handler that may suspend; runs on Swift's shared executor, never on an I/O thread.
public typealias HTTPHandler = @Sendable (HTTPRequest, RouteParameters) async throws -> HTTPResponse
/// A handler that returns at once (no I/O, no locks held for long); the server calls it on the
/// connection's event-loop thread and writes its response without a thread hop. It must never block.
public typealias HTTPImmediateHandler = @Sendable (HTTPRequest, RouteParameters) throws -> HTTPResponse
/// Like `HTTPImmediateHandler`, but may pass: nil hands the request to the route's async handler.
public typealias HTTPImmediateAttempt = @Sendable (HTTPRequest, RouteParameters) throws -> HTTPResponse?

/// Method + path routing with `:param` segments, per-route body limits, 404 and 405 answers.
///
/// Build it before starting the server (a value type: the server keeps its own copy), then it is
/// read-only and safe to share. `GET` routes answer `HEAD` too, with the body left off.
public struct Router: Sendable {
    /// How a route runs.
    public enum Handler: Sendable {
        case async(HTTPHandler)
        case immediate(HTTPImmediateHandler)
        /// Tried on the event-loop thread first; when it returns nil, `fallback` runs as `.async`.
        case immediateFirst(HTTPImmediateAttempt, fallback: HTTPHandler)
        /// Like `.async`, but the handler's task prefers the connection's event-loop thread as
        /// its executor, and the requests it sends with `HTTPClient` to plain-http peers go out
        /// from that loop: for handlers that mostly wait on peers (a federated query), whose
        /// round trips then wake no other thread. Between awaits it must only compute briefly
        /// and never block: it shares the thread with every connection of the loop.
        case asyncOnLoop(HTTPHandler)
    }

    struct Route: Sendable {
        var method: HTTPMethod
        var segments: [Segment]
        var bodyLimit: Int?
        var handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    /// The result of looking a request up.
    public enum Match: Sendable {
        case found(Handler, RouteParameters, bodyLimit: Int?)
        case methodNotAllowed(allow: [HTTPMethod])
        case notFound
    }

    var staticRoutes: [String: [Route]] = [:]
    var patternRoutes: [Route] = []

    /// An empty router (every path is 404).
    public init() {}

    /// Adds a route. `pattern` is a path whose segments may be `:name` (one segment) or a final
    /// `*name` (the rest of the path). `bodyLimit` overrides the server's `maxBodyBytes`.
    public mutating func on(_ method: HTTPMethod, _ pattern: String, bodyLimit: Int? = nil, handler: Handler) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { s -> Segment in
            if s.hasPrefix(":") { return .parameter(String(s.dropFirst())) }
            if s.hasPrefix("*") { return .rest(String(s.dropFirst())) }
            return .literal(String(s))
        }
        let route = Route(method: method, segments: segments, bodyLimit: bodyLimit, handler: handler)
        if segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            staticRoutes["/" + segments.map { if case .literal(let l) = $0 { l } else { "" } }.joined(separator: "/"), default: []].append(route)
        } else {
            patternRoutes.append(route)
        }
    }

    /// Adds a `GET` (and so `HEAD`) route with an async handler.
    public mutating func get(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) { on(.get, pattern, bodyLimit: bodyLimit, handler: .async(handler)) }
    /// Adds a `POST` route with an async handler.
    public mutating func post(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) { on(.post, pattern, bodyLimit: bodyLimit, handler: .async(handler)) }
    /// Adds a `PUT` route with an async handler.
    public mutating func put(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) { on(.put, pattern, bodyLimit: bodyLimit, handler: .async(handler)) }
    /// Adds a `DELETE` route with an async handler.
    public mutating func delete(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) { on(.delete, pattern, bodyLimit: bodyLimit, handler: .async(handler)) }
    /// Adds a `PATCH` route with an async handler.
    public mutating func patch(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) { on(.patch, pattern, bodyLimit: bodyLimit, handler: .async(handler)) }
    /// Adds a `GET` (and `HEAD`) route whose handler never suspends nor blocks (see `HTTPImmediateHandler`).
    public mutating func getImmediate(_ pattern: String, _ handler: @escaping HTTPImmediateHandler) { on(.get, pattern, handler: .immediate(handler)) }

    /// Finds the route for `method` and `path` (the raw, encoded path).
    public func match(_ method: HTTPMethod, path: String) -> Match {
        let lookup: HTTPMethod = method == .head ? .get : method
        if let routes = staticRoutes[path] ?? (path.count > 1 && path.hasSuffix("/") ? staticRoutes[String(path.dropLast())] : nil) {
            if let r = routes.first(where: { $0.method == method }) ?? routes.first(where: { $0.method == lookup }) {
                return .found(r.handler, RouteParameters(), bodyLimit: r.bodyLimit)
            }
            return .methodNotAllowed(allow: Self.allow(routes.map(\.method)))
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [HTTPMethod] = []
        var found: (Route, RouteParameters)? = nil
        for route in patternRoutes {
            guard let params = Self.bind(route.segments, parts) else { continue }
            if route.method == method || (route.method == lookup && found == nil) {
                if route.method == method { return .found(route.handler, params, bodyLimit: route.bodyLimit) }
                found = (route, params)
            }
            allowed.append(route.method)
        }
        if let (r, p) = found { return .found(r.handler, p, bodyLimit: r.bodyLimit) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allow: Self.allow(allowed))
    }

    /// The methods for `Allow` (RFC 9110 §10.2.1): HEAD wherever GET is, deduplicated, sorted.
    static func allow(_ methods: [HTTPMethod]) -> [HTTPMethod] {
        var set = Set(methods)
        if set.contains(.get) { set.insert(.head) }
        return HTTPMethod.allCases.filter { set.contains($0) }
    }

    static func bind(_ segments: [Segment], _ parts: [Substring]) -> RouteParameters? {
        var params: [(name: String, value: String)] = []
        for (i, segment) in segments.enumerated() {
            switch segment {
            case .rest(let name):
                guard i < parts.count else { return nil }
                params.append((name: name, value: parts[i...].map { PercentDecoding.decode($0, plusAsSpace: false) }.joined(separator: "/")))
                return RouteParameters(params)
            case .literal(let l):
                guard i < parts.count, parts[i] == l else { return nil }
            case .parameter(let name):
                guard i < parts.count else { return nil }
                params.append((name: name, value: PercentDecoding.decode(parts[i], plusAsSpace: false)))
            }
        }
        return parts.count == segments.count ? RouteParameters(params) : nil
    }
}

/// The 404 and 405 errors the router produces.
public struct RoutingError: ServiceError {
    public var status: Int
    public var code: String
    public var message: String

    static func notFound(_ path: String) -> RoutingError {
        RoutingError(status: 404, code: "not_found", message: "No resource at \(path.prefix(200)); see /api/v1/openapi.json for the API.")
    }
    static func methodNotAllowed(_ method: HTTPMethod, allow: [HTTPMethod]) -> RoutingError {
        RoutingError(status: 405, code: "method_not_allowed",
                     message: "\(method.rawValue) is not allowed here; use \(allow.map(\.rawValue).joined(separator: ", ")).")
    }
}
