import Testing
@testable import CourseMesh

struct OptionParserTests {
    let spec = CommandSpec(name: "serve", summary: "run a node", options: [
        .value("listen", "HOST:PORT", env: "COURSEMESH_LISTEN", default: "127.0.0.1:8080", help: "where to listen"),
        .value("data", "DIR", env: "COURSEMESH_DATA", default: "data", help: "store folder"),
        .flag("json", help: "print JSON"),
    ])

    @Test func commandLineBeatsEnvironmentBeatsDefault() throws {
        let env = ["COURSEMESH_LISTEN": "127.0.0.1:9000", "COURSEMESH_DATA": "/var/lib/x"]
        let parsed = try OptionParser.parse(["--listen", "127.0.0.1:7000"], spec: spec, environment: env)
        #expect(parsed.string("listen") == "127.0.0.1:7000")
        #expect(parsed.string("data") == "/var/lib/x")
        let defaults = try OptionParser.parse([], spec: spec, environment: [:])
        #expect(defaults.string("listen") == "127.0.0.1:8080")
        #expect(!defaults.flag("json"))
    }

    @Test func equalsFormAndFlags() throws {
        let parsed = try OptionParser.parse(["--data=/tmp/a", "--json"], spec: spec, environment: [:])
        #expect(parsed.string("data") == "/tmp/a")
        #expect(parsed.flag("json"))
    }

    @Test func unknownOptionAndMissingValueAreClearErrors() {
        #expect(throws: CommandLineError.self) { try OptionParser.parse(["--nope"], spec: spec, environment: [:]) }
        do {
            _ = try OptionParser.parse(["--listen"], spec: spec, environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("--listen needs a value"))
        }
    }

    @Test func helpListsEveryOptionWithDefaultAndEnvironment() {
        let help = spec.helpText
        #expect(help.contains("--listen HOST:PORT"))
        #expect(help.contains("env COURSEMESH_LISTEN; default: 127.0.0.1:8080"))
        #expect(help.contains("--json"))
    }

    @Test("listen addresses", arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080), ("[::1]:0", "::1", 0), ("localhost:80", "localhost", 80),
    ])
    func listenAddressParses(text: String, host: String, port: Int) throws {
        let a = try ListenAddress(parsing: text)
        #expect(a.host == host && a.port == port)
    }

    @Test(arguments: ["8080", "::1:80", "host:", "host:70000", "[::1]8080"])
    func badListenAddressIsRefused(text: String) {
        #expect(throws: CommandLineError.self) { try ListenAddress(parsing: text) }
    }
}
