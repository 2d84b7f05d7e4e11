import CourseMesh
import Overlay
import Rollup

/// How `coursemesh serve` runs the statistics rollup on its overlay node.
enum ServeRollup {
    /// Rollup settings from `--stats-period` (seconds; default 60, the documented default).
    static func settings(_ options: ParsedOptions) throws -> RollupSettings {
        let seconds = try options.int("stats-period") ?? 60
        guard seconds >= 1 && seconds <= 86_400 else {
            throw CommandLineError("--stats-period must be between 1 and 86400 seconds, got \(seconds)")
        }
        return RollupSettings(period: .seconds(seconds))
    }

    /// Starts the rollup on `overlay`'s node when it is an `OverlayNode` (it always is in serve).
    static func start(node: CampusNode, overlay: ServingOverlay?, settings: RollupSettings) async {
        guard let member = overlay?.member as? OverlayNode else { return }
        await node.startRollup(on: member, settings: settings)
    }
}
