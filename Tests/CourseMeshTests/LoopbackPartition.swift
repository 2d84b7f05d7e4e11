import CourseMesh
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Splits live nodes on loopback into two sides with iptables, for partition tests.
///
/// On loopback every connection's source address is 127.0.0.1, so sides are told apart by the
/// user running them: side A's nodes run as uid 1001, side B's as uid 1002 (a wrapper script
/// execs `setpriv`), and OUTPUT rules drop TCP from one side's uid to the other side's ports.
/// The test process (root) still reaches every node. Every rule carries `tag` as its comment;
/// `heal()` deletes each rule with it, and `init` first deletes any left by an earlier run.
struct LoopbackPartition {
    static let uids = (a: 1001, b: 1002)
    static let tagPrefix = "coursemesh-fault-partition"
    let directory: String
    let tag = tagPrefix + "-" + UUID().uuidString.prefix(8).lowercased()

    /// Makes `directory` (writable by both uids), installs iptables from Debian when missing,
    /// and removes stale rules. Throws naming the command and its log.
    init(directory: String) async throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        chmod(directory, 0o777)
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/iptables") {
            _ = try await run("/usr/bin/apt-get", ["install", "-y", "-q", "--no-install-recommends", "iptables"], bound: .seconds(300),
                              environment: ["DEBIAN_FRONTEND": "noninteractive"])
        }
        try await removeRules(matching: Self.tagPrefix)
    }

    /// A script that runs the `coursemesh` at `binary` as side A's uid for nodes below `split`
    /// (by the `node-N` data directory `LocalFederation` passes), else as side B's.
    func wrapper(binary: String, split: Int) throws -> String {
        let path = directory + "/run-as-side.sh"
        let script = """
        #!/bin/sh
        # Runs one node as the uid of its side of the partition.
        prev=""; dir=""
        for a in "$@"; do [ "$prev" = "--data" ] && dir="$a"; prev="$a"; done
        n="${dir##*node-}"
        uid=\(Self.uids.b); [ "$n" -lt \(split) ] && uid=\(Self.uids.a)
        exec /usr/bin/setpriv --reuid="$uid" --regid="$uid" --clear-groups "\(binary)" "$@"

        """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Drops TCP from side A's uid to `portsB` and from side B's uid to `portsA`.
    func split(portsA: [Int], portsB: [Int]) async throws {
        for (uid, ports) in [(Self.uids.a, portsB), (Self.uids.b, portsA)] {
            _ = try await run("/usr/sbin/iptables", ["-I", "OUTPUT", "-p", "tcp", "-m", "owner", "--uid-owner", String(uid),
                                                    "-m", "multiport", "--dports", ports.map(String.init).joined(separator: ","),
                                                    "-m", "comment", "--comment", tag, "-j", "DROP"])
        }
    }

    /// Removes this partition's rules (idempotent).
    func heal() async throws { try await removeRules(matching: tag) }

    private func removeRules(matching text: String) async throws {
        let listing = try await run("/usr/sbin/iptables", ["-S", "OUTPUT"])
        for line in listing.split(separator: "\n") where line.hasPrefix("-A OUTPUT") && line.contains(text) {
            // `-S` prints rules as `-A ...` arguments; the same with `-D` deletes the rule.
            let words = line.dropFirst(3).split(separator: " ").map { String($0).replacingOccurrences(of: "\"", with: "") }
            _ = try await run("/usr/sbin/iptables", ["-D"] + words)
        }
    }

    /// Runs a command (bounded), returns its output; throws with the output when it fails.
    @discardableResult
    func run(_ executable: String, _ arguments: [String], bound: Duration = .seconds(20),
             environment: [String: String] = [:]) async throws -> String {
        let log = directory + "/cmd-\(UUID().uuidString.prefix(8)).log"
        let child = try ChildProcess(executable: executable, arguments: arguments, logPath: log, extraEnvironment: environment)
        let status = await child.waitForExit(timeout: bound)
        if status == nil { child.send(SIGKILL) }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: log)
        guard status == 0 else {
            throw PlainError("`\(executable) \(arguments.joined(separator: " "))` " +
                             (status.map { "exited \($0)" } ?? "ran past \(bound)") + ": \(output.suffix(400))")
        }
        return output
    }
}

/// A test failure with a plain message.
struct PlainError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
