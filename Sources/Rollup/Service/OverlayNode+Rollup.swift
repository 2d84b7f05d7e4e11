import Overlay

/// The overlay node is the rollup's seam to the ring: its next hop toward `RingKey.stats` is
/// the tree parent and its application messages carry the reports.
extension OverlayNode: RollupOverlay {}
