import CourseMesh

/// A subcommand of `coursemesh`: its spec (name, options, help) and what it does.
/// Each command lives in its own file; `Commands.all` lists them.
protocol Command: Sendable {
    static var spec: CommandSpec { get }
    /// Runs the command; returns the process exit status.
    static func run(_ options: ParsedOptions, environment: [String: String]) async throws -> Int32
    /// Whether bare arguments (not `--options`) are accepted.
    static var allowsPositional: Bool { get }
}

extension Command {
    static var allowsPositional: Bool { false }
}

enum Commands {
    /// Every subcommand, in the order `coursemesh --help` lists them.
    static let all: [any Command.Type] = [
        ServeCommand.self,
        IndexCommand.self,
        SimCommand.self,
        DemoCommand.self,
    ]
}
