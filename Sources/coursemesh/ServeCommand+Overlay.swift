import CourseMesh
import MeshCore
import MeshHTTP
import Overlay

/// How `coursemesh serve` builds its overlay node.
enum ServeOverlay {
    /// The maintenance period between overlay ticks.
    static let period: Duration = .seconds(1)

    /// The serving overlay for `node`, or nil while this build has no overlay node to run
    /// (then `--bootstrap` is reported as ignored).
    static func make(node: CampusNode, bootstrap: String?, router: inout Router, logger: Logger) async throws -> ServingOverlay? {
        if let bootstrap, !bootstrap.isEmpty {
            logger.warning("this build runs no overlay node; --bootstrap is ignored", [("bootstrap", bootstrap)])
        }
        return nil
    }
}
