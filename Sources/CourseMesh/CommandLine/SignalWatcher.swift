import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into an async stream, so a command can stop gracefully instead of
/// dying mid-request. Creating a watcher ignores the default disposition of those signals for
/// the life of the process.
/// `@unchecked`: `sources` is set once in `init` and only cancelled in `deinit`.
public final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    /// One element per signal received (`SIGINT` or `SIGTERM`).
    public let signals: AsyncStream<Int32>

    /// Starts watching SIGINT and SIGTERM.
    public init() {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        signals = stream
        let queue = DispatchQueue(label: "coursemesh.signals")
        var made: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    /// Waits for the first signal and returns it.
    public func next() async -> Int32? {
        for await sig in signals { return sig }
        return nil
    }

    deinit {
        for s in sources { s.cancel() }
    }
}
