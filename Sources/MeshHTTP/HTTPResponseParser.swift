/// Reads one HTTP/1.1 response as its bytes arrive (RFC 9112 §4 status line, §5 fields, §6
/// framing, §7.1 chunked coding): the loop client's parser. Pure logic, no I/O; a value that
/// one connection owns.
///
/// Interim 1xx responses are skipped (RFC 9110 §15.2). The body is framed by, in order: no body
/// for a HEAD request and for 1xx, 204 and 304; `Transfer-Encoding: chunked`; `Content-Length`;
/// otherwise everything until the peer closes (`finish()`).
struct HTTPResponseParser {
    /// What the bytes fed so far amount to.
    enum Progress: Equatable {
        /// The response is not complete yet.
        case needMore
        /// The response is complete; `leftover` bytes followed it (a peer may not send any).
        case complete(leftover: Int)
        /// The bytes are not a valid HTTP/1.1 response; `reason` says what was wrong.
        case invalid(String)
        /// The head or the body passed its limit.
        case tooLarge
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    /// Largest status line plus header section accepted.
    let maxHeadBytes: Int
    /// Largest body accepted.
    let maxBodyBytes: Int
    /// Whether the request was HEAD (its response has no body whatever it says).
    let headRequest: Bool

    private(set) var status = 0
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body: [UInt8] = []
    /// Whether the connection may carry another request after this response.
    private(set) var keepAlive = true
    /// Whether any byte has arrived (a reused connection that closes before one is retried).
    private(set) var receivedAny = false

    private var state = State.head
    private var buffer: [UInt8] = []
    private var position = 0

    init(maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int, headRequest: Bool) {
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
        self.headRequest = headRequest
    }

    /// Adds `bytes` and parses as far as they go.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Progress {
        if !bytes.isEmpty { receivedAny = true }
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        buffer.append(contentsOf: bytes)
        return advance()
    }

    /// The peer closed the connection: completes a body read until close, fails anything else.
    mutating func finish() -> Progress {
        switch state {
        case .untilClose:
            state = .done
            keepAlive = false
            return .complete(leftover: 0)
        case .done:
            return .complete(leftover: buffer.count - position)
        default:
            return .invalid(receivedAny ? "the connection closed before the reply was complete"
                                        : "the connection closed before any reply")
        }
    }

    private mutating func advance() -> Progress {
        while true {
            switch state {
            case .head:
                guard let end = find([0x0D, 0x0A, 0x0D, 0x0A], from: position) else {
                    return buffer.count - position > maxHeadBytes ? .tooLarge : .needMore
                }
                guard end + 4 - position <= maxHeadBytes else { return .tooLarge }
                if let stop = parseHead(upTo: end) { return stop }
                position = end + 4
            case .fixed(let remaining):
                let left = takeBody(remaining)
                if left > 0 { state = .fixed(remaining: left); return .needMore }
                state = .done
            case .chunkSize:
                guard let lineEnd = find([0x0D, 0x0A], from: position) else {
                    return buffer.count - position > 1024 ? .invalid("a chunk-size line is too long") : .needMore
                }
                var size = 0, digits = 0
                for byte in buffer[position..<lineEnd] {
                    guard let digit = Self.hexValue(byte) else { break }   // a `;` starts chunk extensions
                    size = size &* 16 &+ digit
                    digits += 1
                    guard digits <= 15 else { return .invalid("a chunk size is too large") }
                }
                guard digits > 0 else { return .invalid("a chunk-size line holds no hexadecimal size") }
                position = lineEnd + 2
                guard body.count + size <= maxBodyBytes else { return .tooLarge }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let left = takeBody(remaining)
                if left > 0 { state = .chunkData(remaining: left); return .needMore }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard buffer.count - position >= 2 else { return .needMore }
                guard buffer[position] == 0x0D, buffer[position + 1] == 0x0A else {
                    return .invalid("a chunk's data is not followed by CRLF")
                }
                position += 2
                state = .chunkSize
            case .trailers:
                // Trailer fields are read and dropped (RFC 9112 §7.1.2): none of ours needs them.
                guard let lineEnd = find([0x0D, 0x0A], from: position) else {
                    return buffer.count - position > maxHeadBytes ? .tooLarge : .needMore
                }
                let empty = lineEnd == position
                position = lineEnd + 2
                if empty { state = .done }
            case .untilClose:
                body.append(contentsOf: buffer[position...])
                position = buffer.count
                return body.count > maxBodyBytes ? .tooLarge : .needMore
            case .done:
                return .complete(leftover: buffer.count - position)
            }
        }
    }

    /// Moves up to `remaining` buffered bytes into the body; returns how many are still due.
    private mutating func takeBody(_ remaining: Int) -> Int {
        let take = min(remaining, buffer.count - position)
        body.append(contentsOf: buffer[position..<position + take])
        position += take
        return remaining - take
    }

    /// Parses the head in `buffer[position..<end]` and chooses the framing; returns nil to go
    /// on, or why parsing stops. A 1xx head is dropped and parsing goes on with the next one.
    private mutating func parseHead(upTo end: Int) -> Progress? {
        let lines = buffer[position..<end].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        guard let statusLine = lines.first, statusLine.starts(with: "HTTP/1.".utf8), statusLine.count >= 12,
              statusLine[statusLine.startIndex + 8] == 0x20 else {
            return .invalid("the status line is not `HTTP/1.x NNN reason`")
        }
        let minor = statusLine[statusLine.startIndex + 7]
        let codeBytes = statusLine[(statusLine.startIndex + 9)..<(statusLine.startIndex + 12)]
        guard codeBytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return .invalid("the status code is not three digits") }
        let code = codeBytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let field = fieldLine(line) else { return .invalid("a header line has no field name") }
            fields.append(field)
        }
        if (100..<200).contains(code) { return nil }   // interim: the final head follows
        status = code
        headers = fields
        let connection = Self.values(of: "connection", in: fields)
        keepAlive = minor == UInt8(ascii: "0") ? connection.contains("keep-alive") : !connection.contains("close")
        if headRequest || code == 204 || code == 304 {
            state = .done
        } else if let coding = Self.values(of: "transfer-encoding", in: fields).last {
            guard coding == "chunked" else { return .invalid("the transfer coding \(coding) is not supported") }
            state = .chunkSize
        } else if let lengths = fields.first(where: { $0.name.lowercased() == "content-length" }) {
            guard let length = Int(lengths.value), length >= 0 else { return .invalid("the Content-Length \(lengths.value) is not a number") }
            guard length <= maxBodyBytes else { return .tooLarge }
            state = length == 0 ? .done : .fixed(remaining: length)
        } else {
            state = .untilClose
            keepAlive = false
        }
        return nil
    }

    /// The comma-separated, lower-cased values of every field named `name`.
    private static func values(of name: String, in fields: [(name: String, value: String)]) -> [String] {
        fields.filter { $0.name.lowercased() == name }
            .flatMap { $0.value.lowercased().utf8.split(separator: UInt8(ascii: ",")).map { String(decoding: trimmingWhitespace($0), as: UTF8.self) } }
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count - start >= needle.count else { return nil }
        var i = start
        let last = buffer.count - needle.count
        while i <= last {
            if buffer[i] == needle[0] {
                var match = true
                for k in 1..<needle.count where buffer[i + k] != needle[k] { match = false; break }
                if match { return i }
            }
            i += 1
        }
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }
}

/// A field line `name: value` without its line break (RFC 9112 §5): the name, and the value
/// without surrounding spaces and tabs; nil when there is no colon or no name.
func fieldLine<Line: BidirectionalCollection>(_ line: Line) -> (name: String, value: String)? where Line.Element == UInt8 {
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex else { return nil }
    let value = trimmingWhitespace(line[line.index(after: colon)...])
    return (String(decoding: line[line.startIndex..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self))
}

/// `bytes` without leading and trailing spaces and tabs (optional whitespace, RFC 9110 §5.6.3).
func trimmingWhitespace<Bytes: BidirectionalCollection>(_ bytes: Bytes) -> Bytes.SubSequence where Bytes.Element == UInt8 {
    var slice = bytes[...]
    while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
    while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
    return slice
}
