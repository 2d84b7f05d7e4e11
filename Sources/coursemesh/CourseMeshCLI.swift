import CourseMesh
import Foundation
import MeshCore

/// Entry point: `coursemesh COMMAND [options]`. Exit codes: 0 ok, 1 runtime failure, 2 usage error.
@main
struct Main {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let environment = ProcessInfo.processInfo.environment
        guard let name = arguments.first, !["--help", "-h", "help"].contains(name) else {
            print(overview)
            exit(arguments.isEmpty ? 2 : 0)
        }
        if name == "--version" {
            print("coursemesh \(CourseMeshVersion.current)")
            exit(0)
        }
        guard let command = Commands.all.first(where: { $0.spec.name == name }) else {
            FileHandle.standardError.write(Data("coursemesh: unknown command '\(name)'\n\n\(overview)\n".utf8))
            exit(2)
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            print(command.spec.helpText)
            exit(0)
        }
        do {
            let options = try OptionParser.parse(rest, spec: command.spec, environment: environment,
                                                 allowPositional: command.allowsPositional)
            exit(try await command.run(options, environment: environment))
        } catch let error as CommandLineError {
            FileHandle.standardError.write(Data("coursemesh \(name): \(error.message)\n".utf8))
            exit(2)
        } catch let error as any ServiceError {
            FileHandle.standardError.write(Data("coursemesh \(name): \(error.message)\n".utf8))
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("coursemesh \(name): \(error)\n".utf8))
            exit(1)
        }
    }

    static var overview: String {
        var lines = ["usage: coursemesh COMMAND [options]", "",
                     "CourseMesh: federated course search for Moodle sites.", "", "commands:"]
        let width = (Commands.all.map { $0.spec.name.count }.max() ?? 0) + 4
        for c in Commands.all {
            lines.append("  " + c.spec.name.padding(toLength: width, withPad: " ", startingAt: 0) + c.spec.summary)
        }
        lines += ["", "Run 'coursemesh COMMAND --help' for a command's options and their defaults.",
                  "  --version   print the version", "  --help      show this help"]
        return lines.joined(separator: "\n")
    }
}
