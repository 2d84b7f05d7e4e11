/// A binary min-heap of timed events for the discrete-event simulator. Ties in time are broken
/// by insertion order, so a run is a pure function of its inputs. Not thread-safe.
struct EventQueue<Payload> {
    private struct Entry {
        var time: Int64
        var seq: UInt64
        var payload: Payload
        func before(_ o: Entry) -> Bool { time != o.time ? time < o.time : seq < o.seq }
    }

    private var heap: [Entry] = []
    private var seq: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func push(at time: Int64, _ payload: Payload) {
        seq += 1
        heap.append(Entry(time: time, seq: seq, payload: payload))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !heap[i].before(heap[parent]) { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (time: Int64, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && heap[l].before(heap[m]) { m = l }
            if r < heap.count && heap[r].before(heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return (top.time, top.payload)
    }
}
