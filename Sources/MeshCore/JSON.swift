import Foundation

/// JSON encoding and decoding with the project's conventions: keys as declared (the wire
/// formats use snake_case `CodingKeys`), sorted keys for stable output, and decoding errors
/// that name the field that was wrong. Thread-safe; each call uses its own coder.
public enum JSONCoding {
    /// Encodes `value` as compact (or pretty, for humans) JSON bytes.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Encodes `value` as a JSON string.
    public static func encodeString<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        String(decoding: try encode(value, pretty: pretty), as: UTF8.self)
    }

    /// Decodes a `T` from `bytes`; the thrown `JSONDecodingError` says which field was wrong and why.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(JSONDecodingError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw JSONDecodingError(error)
        } catch {
            throw JSONDecodingError(path: "", reason: "\(error)")
        }
    }
}

/// A JSON body that could not be decoded: `path` is the field (`courses[2].url`), `reason` why.
public struct JSONDecodingError: Error, Sendable, CustomStringConvertible, ServiceError {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(_ error: DecodingError) {
        func render(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let at = render(ctx.codingPath + [key])
            self.init(path: at, reason: "the field \(at) is missing")
        case .typeMismatch(let type, let ctx):
            let at = render(ctx.codingPath)
            self.init(path: at, reason: "\(at.isEmpty ? "the body" : at) must be \(JSONDecodingError.describe(type))")
        case .valueNotFound(let type, let ctx):
            let at = render(ctx.codingPath)
            self.init(path: at, reason: "\(at) must be \(JSONDecodingError.describe(type)), not null")
        case .dataCorrupted(let ctx):
            let at = render(ctx.codingPath)
            if at.isEmpty {
                self.init(path: "", reason: "the body is not valid JSON (\(ctx.debugDescription))")
            } else {
                self.init(path: at, reason: "\(at) is invalid: \(ctx.debugDescription)")
            }
        @unknown default:
            self.init(path: "", reason: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Int.self || type == Int64.self || type == Int32.self { return "an integer" }
        if type == Double.self { return "a number" }
        if type == Bool.self { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return "a \(name)"
    }

    public var description: String { reason }
    public var status: Int { 400 }
    public var code: String { "bad_json" }
    public var message: String { reason }
}
