import Overlay

/// The in-memory copy of a node's overlay items that `SQLiteKeyValueStore` reads from: items
/// grouped by key, with the keys kept in ring order for range scans. A value type; the store
/// guards it with a mutex. Pure: no I/O.
struct ItemMirror {
    /// Items per key, ordered by name (a key holds one item per site at most, so a binary
    /// search and an insert into a short array beat hashing names).
    private(set) var byKey: [RingKey: [StoredItem]] = [:]
    private(set) var count = 0
    /// The keys in ascending order; rebuilt lazily after the key set changes.
    private var sortedCache: [RingKey]? = []

    /// Position of `name` in `items` (sorted by name): found, or where it would go.
    private static func position(of name: String, in items: [StoredItem]) -> (index: Int, found: Bool) {
        var lo = 0, hi = items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid].name < name { lo = mid + 1 } else { hi = mid }
        }
        return (lo, lo < items.count && items[lo].name == name)
    }

    /// Whether `item` would be stored: no equal or newer version of its identity is held.
    func isNewer(_ item: StoredItem) -> Bool {
        guard let items = byKey[item.key] else { return true }
        let (i, found) = Self.position(of: item.name, in: items)
        return !found || item.version > items[i].version
    }

    /// Stores each newer item; returns those stored, in input order.
    mutating func put(_ items: [StoredItem]) -> [StoredItem] {
        var stored: [StoredItem] = []
        for item in items where isNewer(item) {
            if byKey[item.key] == nil { sortedCache = nil }
            let (i, found) = Self.position(of: item.name, in: byKey[item.key] ?? [])
            if found {
                byKey[item.key]![i] = item
            } else {
                byKey[item.key, default: []].insert(item, at: i)
                count += 1
            }
            stored.append(item)
        }
        return stored
    }

    /// Drops the items with these identities.
    mutating func remove(_ ids: [ItemID]) {
        for id in ids {
            guard let items = byKey[id.key] else { continue }
            let (i, found) = Self.position(of: id.name, in: items)
            guard found else { continue }
            count -= 1
            byKey[id.key]!.remove(at: i)
            if byKey[id.key]!.isEmpty {
                byKey[id.key] = nil
                sortedCache = nil
            }
        }
    }

    /// Every item under `key`, ordered by name.
    func items(at key: RingKey) -> [StoredItem] {
        byKey[key] ?? []
    }

    /// The keys in `range`, in ring order from the range's first key.
    mutating func keys(in range: KeyRange) -> [RingKey] {
        if sortedCache == nil { sortedCache = byKey.keys.sorted() }
        let sorted = sortedCache!
        guard !sorted.isEmpty else { return [] }
        // First index with key > range.after; ring order continues from there and wraps once.
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= range.after { lo = mid + 1 } else { hi = mid }
        }
        var out: [RingKey] = []
        for i in 0..<sorted.count {
            let key = sorted[(lo + i) % sorted.count]
            guard range.contains(key) else { break }
            out.append(key)
        }
        return out
    }

    /// Items in `range` after `after` in ring order (keys from the range's first key, names in
    /// order), at most `limit`.
    mutating func items(in range: KeyRange, after: ItemID?, limit: Int) -> [StoredItem] {
        var out: [StoredItem] = []
        var passed = after == nil
        for key in keys(in: range) {
            if !passed, let after {
                // Skip keys before the cursor's key; within its key, names after the cursor's.
                if key != after.key {
                    continue
                }
                passed = true
                for item in items(at: key) where after < item.id {
                    out.append(item)
                    if out.count >= limit { return out }
                }
                continue
            }
            for item in items(at: key) {
                out.append(item)
                if out.count >= limit { return out }
            }
        }
        if !passed, let after, after.key != range.upTo {
            // The cursor's key is gone: continue with the keys past it in ring order.
            for key in keys(in: KeyRange(after: after.key, upTo: range.upTo)) where range.contains(key) {
                for item in items(at: key) {
                    out.append(item)
                    if out.count >= limit { return out }
                }
            }
        }
        return out
    }

    /// Count and XOR digest (`StoredItem.digestMix`) of the items in `range`.
    mutating func digest(of range: KeyRange) -> (count: Int, digest: UInt64) {
        var n = 0, d: UInt64 = 0
        for key in keys(in: range) {
            for item in byKey[key]! {
                n += 1
                d ^= item.digestMix
            }
        }
        return (n, d)
    }
}
