import CCurl
import Foundation
import Glibc
import Synchronization

/// One libcurl multi handle and the dedicated thread that drives it.
///
/// libcurl's multi interface keeps a connection cache, so consecutive requests to a peer reuse
/// its keep-alive connections, and `CURLMOPT_MAX_HOST_CONNECTIONS` queues requests beyond the
/// per-peer limit inside libcurl. All libcurl calls except `curl_multi_wakeup` happen on the
/// engine's own thread, so no blocking call ever runs on Swift's shared pool. Callers talk to the
/// thread through `inbox` and a wakeup; the thread completes each request (`CurlTransfer.complete`).
final class CurlEngine: Sendable {
    private struct Inbox {
        var submitted: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
    }

    /// libcurl's `CURLM *`; freed by the thread when it stops.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())

    /// Longest sleep of the thread between deadline checks when libcurl has no timer due.
    private static let idlePollMilliseconds: Int32 = 1000

    /// Starts the thread. Fails only if libcurl cannot allocate its multi handle.
    init(maxConnectionsPerPeer: Int, maxIdleConnections: Int) {
        _ = CurlEngine.globalInit
        guard let multi = curl_multi_init() else { fatalError("libcurl could not allocate a multi handle") }
        self.multi = multi
        ccurl_multi_set_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerPeer)
        ccurl_multi_set_long(multi, CURLMOPT_MAXCONNECTS, maxIdleConnections)
        let loop = CurlEngineLoop(multi: multi)
        let thread = Thread { [self] in self.run(loop) }
        thread.name = "MeshHTTP.client"
        thread.start()
    }

    /// libcurl's global state, initialised once per process before any handle (it is not
    /// thread-safe to initialise it concurrently).
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Hands transfers to the thread with one wakeup, or fails them at once if the engine has
    /// stopped.
    func submit(_ transfers: [CurlTransfer]) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.submitted += transfers
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted {
            for transfer in transfers { transfer.complete(.failure(.cancelled(url: transfer.request.url))) }
        }
    }

    /// Asks the thread to abandon a transfer; harmless if it already finished.
    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .releasing)
        inbox.withLock { inbox in
            guard !inbox.stopping else { return }
            inbox.cancelled.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the thread: requests in flight or queued fail with `cancelled`, connections close.
    func stop() {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return }
            inbox.stopping = true
            curl_multi_wakeup(multi)
        }
    }

    private func run(_ loop: CurlEngineLoop) {
        while true {
            let (submitted, cancelled, stopping) = inbox.withLock { inbox in
                defer { inbox.submitted = []; inbox.cancelled = [] }
                return (inbox.submitted, inbox.cancelled, inbox.stopping)
            }
            if stopping {
                for transfer in submitted { loop.fail(transfer, .cancelled(url: transfer.request.url)) }
                loop.shutdown()
                return
            }
            for transfer in submitted { loop.start(transfer) }
            for transfer in cancelled { loop.abandon(transfer, .cancelled(url: transfer.request.url)) }
            loop.performAndCollect()
            let wait = loop.expireOverdue(now: monotonicNanoseconds(), longest: CurlEngine.idlePollMilliseconds)
            curl_multi_poll(multi, nil, 0, wait, nil)
        }
    }
}

/// The state only the engine's thread touches: active transfers by easy handle, and a pool of
/// reset easy handles (reusing them saves their allocation; connections live in the multi).
/// Unchecked Sendable: it is created before the thread starts and used by that thread alone.
private final class CurlEngineLoop: @unchecked Sendable {
    let multi: UnsafeMutableRawPointer
    var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    var idleHandles: [UnsafeMutableRawPointer] = []

    init(multi: UnsafeMutableRawPointer) { self.multi = multi }

    func start(_ transfer: CurlTransfer) {
        if transfer.cancelRequested.load(ordering: .acquiring) {
            return fail(transfer, .cancelled(url: transfer.request.url))
        }
        guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
            return fail(transfer, .transport(peer: peerAddress(of: transfer.request.url).description,
                                             reason: "libcurl could not allocate a handle"))
        }
        transfer.configure(easy)
        active[easy] = transfer
        curl_multi_add_handle(multi, easy)
    }

    /// Removes a transfer that has not finished and fails it with `error`.
    func abandon(_ transfer: CurlTransfer, _ error: HTTPClientError) {
        guard let easy = active.first(where: { $0.value === transfer })?.key else { return }
        finish(easy, .failure(error))
    }

    func performAndCollect() {
        var running: Int32 = 0
        curl_multi_perform(multi, &running)
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = active[easy] else { continue }
            let code = message.pointee.data.result
            finish(easy, transfer.outcome(code))
        }
    }

    /// Fails transfers past their deadline; returns how long the thread may sleep (ms).
    func expireOverdue(now: UInt64, longest: Int32) -> Int32 {
        var wait = Int64(longest)
        for (easy, transfer) in active {
            if transfer.deadline <= now {
                finish(easy, .failure(.timeout(url: transfer.request.url, after: transfer.request.timeout)))
            } else {
                wait = min(wait, Int64((transfer.deadline - now) / 1_000_000) + 1)
            }
        }
        return Int32(wait)
    }

    func fail(_ transfer: CurlTransfer, _ error: HTTPClientError) {
        transfer.complete(.failure(error))
    }

    private func finish(_ easy: UnsafeMutableRawPointer, _ result: Result<HTTPClientResponse, HTTPClientError>) {
        guard let transfer = active.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        curl_easy_reset(easy)
        idleHandles.append(easy)
        transfer.complete(result)
    }

    func shutdown() {
        for (easy, transfer) in active { finish(easy, .failure(.cancelled(url: transfer.request.url))) }
        for easy in idleHandles { curl_easy_cleanup(easy) }
        idleHandles = []
        curl_multi_cleanup(multi)
    }
}

/// CLOCK_MONOTONIC in nanoseconds: immune to wall-clock steps, for deadlines.
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}
