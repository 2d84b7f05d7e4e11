import CZlib

/// gzip decompression for the demo's bundled data (zlib's inflate with the gzip wrapper).
enum Gunzip {
    /// The decompressed bytes of one or more gzip members; nil if `bytes` is not valid gzip
    /// or would exceed `limit` bytes.
    static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16: expect the gzip wrapper.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        return bytes.withUnsafeBufferPointer { input -> [UInt8]? in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer -> (Int32, Int) in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, buffer.count - Int(stream.avail_out))
                }
                out.append(contentsOf: chunk[..<produced])
                guard out.count <= limit else { return nil }
                switch status {
                case Z_STREAM_END:
                    // Another member may follow (concatenated gzip files).
                    guard stream.avail_in > 0 else { return out }
                    guard inflateReset(&stream) == Z_OK else { return nil }
                case Z_OK:
                    if produced == 0 && stream.avail_in == 0 { return nil }   // truncated input
                default:
                    return nil
                }
            }
        }
    }
}
