/// An application that shares the overlay (the KBR API's `deliver` upcall): the search index,
/// the statistics rollup. Registered on a node under a name; messages sent with
/// `OverlayNode.send(to:app:payload:)` or `route(key:app:payload:)` arrive in `receive`.
///
/// Implementations are thread-safe (called concurrently) and must not block; they own their
/// payload format. Throwing a `ServiceError` makes the sender see `TransportError.rejected`
/// with its status, code and message.
public protocol OverlayApplication: Sendable {
    /// Handles one message and returns the reply bytes.
    /// - Parameters:
    ///   - payload: the bytes the sender passed.
    ///   - key: the ring key it was routed to (`route`), nil for a direct `send`.
    func receive(_ payload: [UInt8], key: RingKey?) async throws -> [UInt8]

    /// Answers one message at once on the caller's thread, without suspending or blocking, or
    /// returns nil to have it go to `receive`. The node calls it first for direct `send`s while
    /// it is a member (on the server's I/O thread: only work bounded by the reply's size belongs
    /// here). Errors are treated as `receive`'s. The default answers nothing.
    func receiveImmediately(_ payload: [UInt8], key: RingKey?) throws -> [UInt8]?
}

extension OverlayApplication {
    public func receiveImmediately(_ payload: [UInt8], key: RingKey?) throws -> [UInt8]? { nil }
}
