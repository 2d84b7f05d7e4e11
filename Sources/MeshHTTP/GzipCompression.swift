import CZlib

/// gzip response compression through zlib (RFC 1952 wrapper via `deflateInit2`). Pure functions.
public enum GzipCompression {
    /// Whether the `Accept-Encoding` value allows gzip (RFC 9110 §12.5.3: `gzip` or `*` with q > 0).
    public static func accepts(_ acceptEncoding: String?) -> Bool {
        guard let value = acceptEncoding else { return false }
        var star = false
        for item in value.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let coding = parts.first?.trimmingSpaces else { continue }
            var q = 1.0
            for p in parts.dropFirst() {
                let t = p.trimmingSpaces
                if t.hasPrefix("q=") { q = Double(t.dropFirst(2)) ?? 0 }
            }
            if coding == "gzip" || coding == "x-gzip" { return q > 0 }
            if coding == "*" { star = q > 0 }
        }
        return star
    }

    /// Whether a body of this media type is worth compressing (text, JSON, XML, JS, SVG).
    public static func isCompressible(contentType: String?) -> Bool {
        guard let ct = contentType?.lowercased() else { return false }
        let media = ct.split(separator: ";").first.map { $0.trimmingSpaces } ?? ""
        return media.hasPrefix("text/") || media == "application/json" || media.hasSuffix("+json")
            || media == "application/javascript" || media == "application/xml" || media.hasSuffix("+xml")
            || media == "image/svg+xml"
    }

    /// `bytes` compressed as a gzip member, or nil if zlib fails (the caller then sends identity).
    public static func compress(_ bytes: [UInt8], level: Int32 = 5) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status: Int32 = bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        out.removeSubrange(Int(stream.total_out)...)
        return out
    }
}
