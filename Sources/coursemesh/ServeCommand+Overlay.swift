import CourseMesh
import MeshCore
import MeshHTTP
import Overlay

/// How `coursemesh serve` builds its overlay node.
enum ServeOverlay {
    /// The overlay settings a serving node runs with (documented defaults of `OverlayConfiguration`).
    static let configuration = OverlayConfiguration()

    /// The serving overlay for `node`: an `OverlayNode` on HTTP, the system clock and the
    /// node's SQLite item store, joining through `bootstrap` (a new ring when empty).
    static func make(node: CampusNode, bootstrap: String?, router: inout Router, logger: Logger) async throws -> ServingOverlay? {
        try await ServingOverlay(node: node, bootstrap: bootstrap, period: configuration.period, router: &router, logger: logger) { parts in
            OverlayNode(url: parts.url, site: parts.site, incarnation: parts.incarnation, transport: parts.transport,
                        clock: parts.clock, store: parts.store, configuration: configuration)
        }
    }
}
