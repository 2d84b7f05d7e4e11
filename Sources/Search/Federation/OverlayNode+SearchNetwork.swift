import Overlay

/// The overlay node is the search layer's network: replica sets from its membership view,
/// direct app messages (`requestTimeout` bounds each), `storeLocal` into its item store and
/// pings that carry the peer's site.
extension OverlayNode: SearchNetwork {}
