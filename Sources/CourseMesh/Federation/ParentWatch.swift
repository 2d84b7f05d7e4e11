import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The child's half of "never leave orphans": a process started by `ChildProcess` (which sets
/// `COURSEMESH_PARENT_PID`) checks twice a second whether that parent is still its parent, and
/// sends itself SIGTERM (a graceful stop) when it is not, e.g. after the parent was SIGKILLed.
///
/// Polling `getppid()` rather than `PR_SET_PDEATHSIG`: the latter fires when the spawning
/// *thread* exits, and Swift's pool threads come and go.
public enum ParentWatch {
    /// How often the parent is checked.
    public static let period: DispatchTimeInterval = .milliseconds(500)

    nonisolated(unsafe) private static var timer: (any DispatchSourceTimer)?

    /// Starts watching when `environment` names a parent pid; a no-op otherwise. Call once at start.
    /// The first check comes one period later, so the caller's own SIGTERM handling is in place by then.
    public static func startIfRequested(environment: [String: String]) {
        guard timer == nil, let text = environment[ChildProcess.parentEnvironmentKey], let parent = pid_t(text) else { return }
        let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "coursemesh.parent-watch"))
        source.schedule(deadline: .now() + period, repeating: period)
        source.setEventHandler {
            if getppid() != parent { kill(getpid(), SIGTERM) }
        }
        source.resume()
        timer = source
    }
}
