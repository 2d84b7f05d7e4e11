import MeshCore

/// Why a local federation could not start or change; each message names the node and its log.
public enum FederationError: ServiceError, Equatable, CustomStringConvertible {
    /// `posix_spawn` refused the executable.
    case spawnFailed(executable: String, reason: String)
    /// A node exited before it answered /health.
    case exited(node: Int, status: Int32, log: String, tail: String)
    /// A node did not answer /health (or report every member) within the bound.
    case timedOut(node: Int, waitingFor: String, seconds: Int, log: String, tail: String)
    /// A node index outside the federation, or a node already running/stopped.
    case invalidNode(Int, reason: String)
    /// No free port, or a file system failure preparing the directories.
    case setup(String)

    public var status: Int { 500 }

    public var code: String {
        switch self {
        case .spawnFailed: "spawn_failed"
        case .exited: "node_exited"
        case .timedOut: "node_timeout"
        case .invalidNode: "invalid_node"
        case .setup: "federation_setup"
        }
    }

    public var message: String {
        func tailText(_ tail: String) -> String { tail.isEmpty ? "" : "; its log ends:\n" + tail }
        switch self {
        case let .spawnFailed(executable, reason):
            return "could not start \(executable): \(reason); build it first (swift build) or pass its path"
        case let .exited(node, status, log, tail):
            return "node \(node) exited with status \(status) before answering /health (a port taken? see \(log))" + tailText(tail)
        case let .timedOut(node, what, seconds, log, tail):
            return "node \(node) did not \(what) within \(seconds) s (see \(log))" + tailText(tail)
        case let .invalidNode(node, reason):
            return "node \(node): \(reason)"
        case let .setup(reason):
            return reason
        }
    }

    public var description: String { "\(code): \(message)" }
}
