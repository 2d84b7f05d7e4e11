import Foundation

/// Defaults shared by the commands, in one place so `--help` and the code agree.
public enum Defaults {
    public static let listen = "127.0.0.1:8080"
    /// Shown in `--help`; resolved by `dataDirectory(_:)`.
    public static let dataDirectory = "~/.local/share/coursemesh"

    /// Expands a leading `~` to the user's home folder.
    public static func expand(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
