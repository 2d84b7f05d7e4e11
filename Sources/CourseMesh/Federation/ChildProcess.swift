import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One child process started with `posix_spawn`: its own process group (so a terminal's Ctrl-C
/// reaches only the parent, which then stops its children in order), SIGINT and SIGTERM back to
/// their default disposition, stdin from /dev/null, stdout and stderr appended to a log file.
///
/// Every child is recorded in a process-wide registry that SIGKILLs the survivors when the parent
/// exits normally (`atexit`); `ParentWatch` in the child covers a parent killed outright.
/// Thread safety: a final class whose only mutable state (the exit status) sits behind a mutex.
/// No method blocks: `waitForExit` polls `waitpid(WNOHANG)` with short sleeps.
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// The file its stdout and stderr are appended to.
    public let logPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    /// Environment variable naming the parent's pid, read by `ParentWatch` in the child.
    public static let parentEnvironmentKey = "COURSEMESH_PARENT_PID"

    /// Spawns `executable` with `arguments`. The child inherits this process's environment plus
    /// `COURSEMESH_PARENT_PID`, then `extraEnvironment`. Throws `FederationError.spawnFailed`
    /// naming the executable.
    public init(executable: String, arguments: [String], logPath: String,
                extraEnvironment: [String: String] = [:]) throws(FederationError) {
        var environment = ProcessInfo.processInfo.environment
        environment[Self.parentEnvironmentKey] = String(getpid())
        environment.merge(extraEnvironment) { $1 }
        self.logPath = logPath
        self.pid = try Self.spawn(executable, arguments, environment: environment, logPath: logPath)
        ChildRegistry.shared.add(pid)
    }

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                              logPath: String) throws(FederationError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGPIPE, SIGCHLD] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw .spawnFailed(executable: executable, reason: String(cString: strerror(rc)))
        }
        return pid
    }

    /// The exit status once the child has been reaped: the exit code, or 128 + signal number.
    public var status: Int32? { reap() }

    /// Whether the child has not been reaped yet.
    public var isRunning: Bool { reap() == nil }

    /// Sends `signal` to the child (a no-op once it has exited and been reaped).
    public func send(_ signal: Int32) {
        guard reap() == nil else { return }
        kill(pid, signal)
    }

    /// Waits up to `timeout` for the child to exit; returns its status, nil if still running
    /// (also at once when the calling task is cancelled).
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = reap() { return status }
            if ContinuousClock.now >= deadline { return nil }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return reap() }   // cancelled: no busy loop
        }
    }

    /// Non-blocking `waitpid`; records the status once.
    private func reap() -> Int32? {
        exitStatus.withLock { recorded in
            if let recorded { return recorded }
            var raw: Int32 = 0
            let rc = waitpid(pid, &raw, WNOHANG)
            guard rc == pid else {
                if rc == -1 && errno == ECHILD { recorded = -1 }   // reaped elsewhere: gone, status unknown
                return recorded
            }
            let signalled = raw & 0x7f
            recorded = signalled == 0 ? (raw >> 8) & 0xff : 128 + signalled
            ChildRegistry.shared.remove(pid)
            return recorded
        }
    }

    /// The last `lines` lines of the child's log, for error messages.
    public func logTail(lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }
}

/// The children this process started and has not reaped: SIGKILLed when this process exits
/// normally, so a test or command that returns early leaves no server behind.
final class ChildRegistry: Sendable {
    static let shared = ChildRegistry()
    private let pids = Mutex<Set<pid_t>>([])

    private init() {
        atexit { ChildRegistry.shared.killAll() }
    }

    func add(_ pid: pid_t) { pids.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: pid_t) { pids.withLock { _ = $0.remove(pid) } }
    func killAll() {
        for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
    }
}
