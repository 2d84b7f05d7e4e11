import Synchronization

/// A clock for tests: time stands still until `advance(by:)` moves it, which wakes every
/// sleeper whose deadline has passed, in deadline order. Thread-safe.
public final class ManualClock: Clock {
    private struct Sleeper {
        let deadline: Timestamp
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Timestamp
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
    }

    private let state: Mutex<State>

    /// A clock that reads `start` until advanced.
    public init(start: Timestamp = Timestamp(milliseconds: 1_700_000_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Timestamp { state.withLock { $0.now } }

    /// How many tasks are currently suspended in `sleep(for:)`.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> Bool in
                    if Task.isCancelled { return true }
                    let deadline = s.now + duration
                    if deadline <= s.now { return true }
                    s.sleepers.append(Sleeper(deadline: deadline, id: id, continuation: c))
                    return false
                }
                if resumeNow { Task.isCancelled ? c.resume(throwing: CancellationError()) : c.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { s -> Sleeper? in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: i)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and resumes the sleepers whose deadline is now due.
    public func advance(by duration: Duration) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = s.now + duration
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
