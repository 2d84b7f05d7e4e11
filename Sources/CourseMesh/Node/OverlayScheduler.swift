import MeshCore
import Overlay

/// Delays between attempts to join through a bootstrap that is down: doubling from `initial`
/// up to `maximum`. A value type; pure.
public struct JoinBackoff: Sendable, Equatable {
    /// The first delay (default 1 s).
    public var initial: Duration
    /// The longest delay (default 30 s).
    public var maximum: Duration
    private var next: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
        next = initial
    }

    /// The delay before the next attempt; each call doubles the following one, up to `maximum`.
    public mutating func nextDelay() -> Duration {
        let delay = next
        next = min(maximum, next * 2)
        return delay
    }
}

/// Drives a serving node's overlay membership: start alone or join through a bootstrap
/// (retrying with `JoinBackoff` while the bootstrap is down, with one log line per attempt),
/// then one `tick()` every `period` until `stop()`, which leaves gracefully.
///
/// An actor; `start` returns at once (joining runs in a task of its own), `stop` waits for that
/// task and for `leave()`. Sleeps suspend, never block a thread.
public actor OverlayScheduler {
    /// The node being driven.
    public nonisolated let member: any OverlayMember
    /// Time between maintenance ticks.
    public nonisolated let period: Duration
    private let logger: Logger
    private var loop: Task<Void, Never>?
    private var joined = false

    public init(member: any OverlayMember, period: Duration, logger: Logger) {
        self.member = member
        self.period = period
        self.logger = logger
    }

    /// Whether the node has become a member (alone or by joining).
    public var isMember: Bool { joined }

    /// Starts the node alone (no `bootstrap`) or joins through `bootstrap`, then ticks every
    /// `period`. Calling it twice has no effect.
    public func start(bootstrap: NodeURL?, backoff: JoinBackoff = JoinBackoff()) {
        guard loop == nil else { return }
        loop = Task { [member, period, logger] in
            if let bootstrap, bootstrap != member.memberURL {
                var backoff = backoff
                var attempt = 1
                while !Task.isCancelled {
                    do throws(OverlayError) {
                        try await member.join(via: bootstrap)
                        self.joined = true
                        logger.info("joined the overlay", [("bootstrap", bootstrap.string), ("attempts", String(attempt))])
                        break
                    } catch {
                        let delay = backoff.nextDelay()
                        logger.warning("cannot join the overlay through the bootstrap; retrying",
                                       [("bootstrap", bootstrap.string), ("attempt", String(attempt)),
                                        ("retry_in_ms", String(delay.milliseconds)), ("error", error.description)])
                        attempt += 1
                        try? await Task.sleep(for: delay)
                    }
                }
            } else {
                await member.startAlone()
                self.joined = true
                logger.info("started a new overlay ring", [("id", member.memberURL.id.hex)])
            }
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                if Task.isCancelled { break }
                await member.tick()
            }
        }
    }

    /// Stops ticking and, if the node had become a member, leaves gracefully. Idempotent.
    public func stop() async {
        guard let loop else { return }
        loop.cancel()
        await loop.value
        self.loop = nil
        if joined {
            joined = false
            await member.leave()
            logger.info("left the overlay")
        }
    }
}
