extension Array where Element: Sendable {
    /// `map` with `transform` run for every element concurrently (one child task each); the
    /// results come back in the order of the elements, once all have finished.
    public func concurrentMap<T: Sendable>(_ transform: @escaping @Sendable (Element) async -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for (index, element) in enumerated() {
                group.addTask { (index, await transform(element)) }
            }
            var results = [T?](repeating: nil, count: count)
            for await (index, value) in group { results[index] = value }
            return results.map { $0! }
        }
    }
}
