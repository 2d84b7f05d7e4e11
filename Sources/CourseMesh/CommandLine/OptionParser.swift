/// One command-line option: `--name VALUE` (or a bare `--name` flag), its environment variable,
/// its default and its help line. Every option of every command is declared this way, so
/// `--help` always lists every option with its default.
public struct OptionSpec: Sendable {
    public var name: String
    public var valueName: String
    public var environment: String?
    public var defaultValue: String?
    public var isFlag: Bool
    public var help: String

    /// An option that takes a value.
    public static func value(_ name: String, _ valueName: String, env: String? = nil, default defaultValue: String? = nil,
                             help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, environment: env, defaultValue: defaultValue, isFlag: false, help: help)
    }

    /// A flag: present means true.
    public static func flag(_ name: String, env: String? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: "", environment: env, defaultValue: nil, isFlag: true, help: help)
    }
}

/// A subcommand's name, one-line summary and options.
public struct CommandSpec: Sendable {
    public var name: String
    public var summary: String
    public var options: [OptionSpec]
    /// Extra lines printed after the option list (examples, notes).
    public var notes: [String]

    public init(name: String, summary: String, options: [OptionSpec], notes: [String] = []) {
        self.name = name
        self.summary = summary
        self.options = options
        self.notes = notes
    }

    /// The `--help` text: usage, every option with its environment variable and default.
    public var helpText: String {
        var lines = ["usage: coursemesh \(name) [options]", "", summary, "", "options:"]
        let rendered = options.map { o in o.isFlag ? "--\(o.name)" : "--\(o.name) \(o.valueName)" }
        let width = min(34, (rendered.map(\.count).max() ?? 0) + 2)
        for (o, left) in zip(options, rendered) {
            var line = "  " + left.padding(toLength: max(width, left.count + 1), withPad: " ", startingAt: 0) + o.help
            var extras: [String] = []
            if let env = o.environment { extras.append("env \(env)") }
            if !o.isFlag { extras.append("default: \(o.defaultValue.map { $0.isEmpty ? "(none)" : $0 } ?? "(none)")") }
            if !extras.isEmpty { line += " [\(extras.joined(separator: "; "))]" }
            lines.append(line)
        }
        lines.append("  " + "--help".padding(toLength: width, withPad: " ", startingAt: 0) + "show this help")
        if !notes.isEmpty { lines += [""] + notes }
        return lines.joined(separator: "\n")
    }
}

/// Options after parsing: command line first, then environment, then defaults.
public struct ParsedOptions: Sendable {
    public var values: [String: String]
    public var flags: Set<String>
    public var positional: [String]

    /// The option's value (command line, environment or default), or nil when none applies.
    public func string(_ name: String) -> String? { values[name] }

    /// The option's value as an integer; throws a `CommandLineError` naming the option otherwise.
    public func int(_ name: String) throws(CommandLineError) -> Int? {
        guard let raw = values[name] else { return nil }
        guard let v = Int(raw) else { throw CommandLineError("--\(name) must be an integer, got '\(raw)'") }
        return v
    }

    /// The option's value as a number.
    public func double(_ name: String) throws(CommandLineError) -> Double? {
        guard let raw = values[name] else { return nil }
        guard let v = Double(raw) else { throw CommandLineError("--\(name) must be a number, got '\(raw)'") }
        return v
    }

    /// Whether a flag was given (or its environment variable is `1`/`true`/`yes`).
    public func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// A command line that cannot be run; the message says what to change.
public struct CommandLineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Parses `--name value`, `--name=value` and flags against a `CommandSpec`.
public enum OptionParser {
    /// Parses `arguments` (without the program and command names). Throws on unknown options,
    /// missing values and unexpected positional arguments when `allowPositional` is false.
    public static func parse(_ arguments: [String], spec: CommandSpec, environment: [String: String],
                             allowPositional: Bool = false) throws(CommandLineError) -> ParsedOptions {
        var values: [String: String] = [:]
        var flags = Set<String>()
        var positional: [String] = []
        var i = 0
        let byName = Dictionary(spec.options.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            guard arg.hasPrefix("--"), arg.count > 2 else {
                if allowPositional || arg == "-" { positional.append(arg); continue }
                throw CommandLineError("unexpected argument '\(arg)'; see 'coursemesh \(spec.name) --help'")
            }
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = byName[name] else {
                throw CommandLineError("unknown option --\(name) for '\(spec.name)'; see 'coursemesh \(spec.name) --help'")
            }
            if option.isFlag {
                if inline != nil { throw CommandLineError("--\(name) is a flag and takes no value") }
                flags.insert(name)
                continue
            }
            if let inline {
                values[name] = inline
            } else {
                guard i < arguments.count else { throw CommandLineError("--\(name) needs a value (\(option.valueName))") }
                values[name] = arguments[i]
                i += 1
            }
        }
        for option in spec.options {
            if option.isFlag {
                if let env = option.environment, let raw = environment[env], ["1", "true", "yes"].contains(raw.lowercased()) {
                    flags.insert(option.name)
                }
            } else if values[option.name] == nil {
                if let env = option.environment, let raw = environment[env], !raw.isEmpty {
                    values[option.name] = raw
                } else if let d = option.defaultValue, !d.isEmpty {
                    values[option.name] = d
                }
            }
        }
        return ParsedOptions(values: values, flags: flags, positional: positional)
    }
}
