#if canImport(Glibc)
import Glibc
#endif

/// Writes chunks of a streaming response straight to its connection, waiting when the send
/// buffer passes `ServerConnection.streamHighWater`.
struct ConnectionBodyWriter: HTTPBodyWriter {
    let connection: ServerConnection
    let chunked: Bool

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let c = connection
        c.lock.lock()
        guard !c.closed && !c.closing else {
            c.lock.unlock()
            throw HTTPServerError(operation: "write", errno: EPIPE, message: "The client closed the connection.")
        }
        if chunked { ResponseEncoder.encodeChunk(bytes, into: &c.output) } else { c.output.append(contentsOf: bytes) }
        c.flush()
        if c.output.count - c.outputIndex > ServerConnection.streamHighWater && !c.closing {
            try await withCheckedThrowingContinuation { (k: CheckedContinuation<Void, any Error>) in
                c.drainWaiter = k
                c.lock.unlock()
            }
            return
        }
        let close = c.closing
        c.lock.unlock()
        if close {
            c.loop.requestClose(c)
            throw HTTPServerError(operation: "write", errno: EPIPE, message: "The client closed the connection.")
        }
    }
}

extension ServerConnection {
    /// Sends a chunked (or, to HTTP/1.0, close-delimited) body. Called with the lock held; returns with it released.
    func stream(_ response: HTTPResponse, produce: @Sendable (any HTTPBodyWriter) async throws -> Void, head: HTTPRequestHead) async {
        let chunked = head.versionMinor == 1
        let keepAlive = chunked && head.keepAlive && !context.isDraining
        ResponseEncoder.encodeHead(status: response.status, headers: response.headers,
                                   framing: chunked ? .chunked : .closeDelimited, keepAlive: keepAlive,
                                   requestVersionMinor: head.versionMinor, date: HTTPDateCache.shared.current(), into: &output)
        flush()
        lock.unlock()
        var failed = false
        do {
            try await produce(ConnectionBodyWriter(connection: self, chunked: chunked))
        } catch {
            context.logger.warning("streaming response failed", [("error", "\(error)"), ("path", head.path)])
            failed = true
        }
        lock.lock()
        if failed {
            // The status is already sent: the only honest signal left is an incomplete message.
            closing = true
        } else {
            if chunked { output.append(contentsOf: ResponseEncoder.lastChunk) }
            if !keepAlive { closeAfterFlush = true }
        }
        inFlight = false
        if !closing { process() }
        finishOffLoop()
    }
}
