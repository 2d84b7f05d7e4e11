// libFuzzer harness: the overlay wire decoder (`OverlayRequest.decode`, `OverlayReply.decode`).
//
// The first byte picks the endpoint, the rest is the body. Invariants besides "no crash, no
// leak": a decoded request passes `validate()`, re-encodes, and decodes again to itself.
import MeshCore
import Overlay

let paths = ["/overlay/v1/ping", "/overlay/v1/join", "/overlay/v1/members", "/overlay/v1/lookup",
             "/overlay/v1/store", "/overlay/v1/fetch", "/overlay/v1/handover", "/overlay/v1/leave",
             "/overlay/v1/digest", "/overlay/v1/events", "/overlay/v1/app/search", "/overlay/v1/app/",
             "/overlay/v1/nope"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOverlayDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let method = selector & 0x80 != 0 && body.isEmpty ? "GET" : "POST"
    let path = paths[selector % paths.count]
    guard let request = try? OverlayRequest.decode(method: method, path: path, body: body) else { return 0 }
    do {
        try request.validate()
        let encoded = try request.encodeBody()
        let endpoint = request.endpoint
        let again = try OverlayRequest.decode(method: endpoint.method, path: endpoint.path, body: encoded)
        precondition(again == request, "a decoded request did not survive encode/decode")
    } catch {
        preconditionFailure("a decoded request failed to re-encode: \(error)")
    }
    // The same bytes as a reply to that request must decode or fail cleanly.
    _ = try? OverlayReply.decode(replyTo: request, body: body)
    return 0
}
