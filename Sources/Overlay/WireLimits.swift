/// Named size limits of the overlay wire protocol (Docs/protocol.md, "Limits"). A message over
/// any of them is refused with `OverlayError.tooLarge` before it changes anything.
public enum WireLimits {
    /// The protocol version every message carries in `v`.
    public static let protocolVersion = 1
    /// Longest node URL accepted, in bytes.
    public static let maxURLBytes = 2048
    /// Largest request body, in bytes (4 MiB).
    public static let maxRequestBytes = 4 << 20
    /// Largest reply body, in bytes (8 MiB).
    public static let maxReplyBytes = 8 << 20
    /// Most members in one member-list page.
    public static let maxMembersPerPage = 1000
    /// Most membership events piggybacked on or carried by one message.
    public static let maxEventsPerMessage = 64
    /// Most closer nodes in one lookup reply.
    public static let maxCloserNodes = 16
    /// Most stored items in one store, fetch, handover or leave message.
    public static let maxItemsPerMessage = 1000
    /// Longest application name, in bytes.
    public static let maxAppNameBytes = 64
    /// Largest routed payload, in bytes (1 MiB).
    public static let maxPayloadBytes = 1 << 20
    /// Longest stored item name, in bytes.
    public static let maxItemNameBytes = 512
}
