import MeshCore

/// Errors of the rollup layer, renderable as HTTP errors.
public struct RollupError: ServiceError, CustomStringConvertible {
    /// HTTP status.
    public var status: Int
    /// Stable snake_case code.
    public var code: String
    /// What was wrong and what to do.
    public var message: String

    /// An error with the given parts.
    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// No global aggregate has reached this node yet.
    public static let noGlobalYet = RollupError(
        status: 503, code: "stats_not_ready",
        message: "This node has not yet received the worldwide statistics from the tree; try again after one rollup period.")

    /// A history range whose start is after its end.
    public static func badRange(from: StatsDay, to: StatsDay) -> RollupError {
        RollupError(status: 400, code: "bad_range", message: "The history range starts (\(from)) after it ends (\(to)); swap the dates.")
    }

    public var description: String { "\(code): \(message)" }
}
