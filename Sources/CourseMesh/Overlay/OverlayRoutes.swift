import MeshCore
import MeshHTTP
import Overlay

/// Mounts the overlay wire protocol (Docs/protocol.md) on a node's HTTP router.
///
/// Every `/overlay/v1/*` request is decoded with `OverlayRequest.decode(method:path:body:)` and
/// only then handed to the node, so a malformed, oversize or unknown message is answered with
/// `{"error":{"code","message"}}` and the `OverlayError`'s status and changes nothing. Bodies up
/// to `WireLimits.maxRequestBytes` are read; larger ones are refused by the server with 413
/// before any handler runs. Replies are JSON, except a `deliver`'s raw application bytes.
public enum OverlayRoutes {
    /// What answers a decoded request: `OverlayNode.handle` on a live node, a stub in tests.
    public typealias Handler = @Sendable (OverlayRequest) async throws(OverlayError) -> OverlayReply
    /// What may answer a decoded application message at once, on the server's I/O thread
    /// (`OverlayNode.handleImmediately`); nil hands it to the `Handler`.
    public typealias ImmediateHandler = @Sendable (OverlayRequest) throws(OverlayError) -> OverlayReply?

    /// The POST endpoints with a fixed path, in protocol order.
    static let postPaths = ["ping", "join", "members", "lookup", "store", "fetch", "handover", "leave", "digest", "events"]
        .map { "/overlay/v1/" + $0 }

    /// Adds every overlay route to `router`, each answered by `handler`; application messages
    /// are offered to `immediate` first.
    public static func install(on router: inout Router, immediate: ImmediateHandler? = nil, handler: @escaping Handler) {
        let route: HTTPHandler = { request, _ in await answer(request, handler: handler) }
        router.get("/overlay/v1/ping", route)
        for path in postPaths { router.post(path, bodyLimit: WireLimits.maxRequestBytes, route) }
        if let immediate {
            let attempt: HTTPImmediateAttempt = { request, _ in answerImmediately(request, handler: immediate) }
            router.on(.post, "/overlay/v1/app/:app", bodyLimit: WireLimits.maxRequestBytes, handler: .immediateFirst(attempt, fallback: route))
        } else {
            router.post("/overlay/v1/app/:app", bodyLimit: WireLimits.maxRequestBytes, route)
        }
        // Anything else under the prefix gets the overlay's own 404, naming the protocol document.
        for method in [HTTPMethod.get, .post] {
            router.on(method, "/overlay/v1/*rest", bodyLimit: WireLimits.maxRequestBytes, handler: .async(route))
        }
    }

    /// Decodes `request`, runs `handler`, and renders the reply or the error.
    static func answer(_ request: HTTPRequest, handler: Handler) async -> HTTPResponse {
        do throws(OverlayError) {
            let message = try OverlayRequest.decode(method: request.method.rawValue, path: request.path, body: request.body)
            let reply = try await handler(message)
            return render(reply)
        } catch {
            return .error(error)
        }
    }

    /// Decodes `request` and offers it to `handler`: its reply or error, or nil when it passed.
    /// A request that does not decode is answered here with its error.
    static func answerImmediately(_ request: HTTPRequest, handler: ImmediateHandler) -> HTTPResponse? {
        do throws(OverlayError) {
            let message = try OverlayRequest.decode(method: request.method.rawValue, path: request.path, body: request.body)
            return try handler(message).map(render)
        } catch {
            return .error(error)
        }
    }

    static func render(_ reply: OverlayReply) -> HTTPResponse {
        do {
            let body = try reply.encodeBody()
            if case .payload = reply {
                return HTTPResponse(status: 200, headers: ["Content-Type": "application/octet-stream"], body: body)
            }
            return .json(body)
        } catch {
            return .error(PlainServiceError(status: 500, code: "overlay_encoding_failed",
                                            message: "The overlay reply could not be encoded (\(error)); this is a bug, please report it."))
        }
    }
}
