/// One result row, copied out of SQLite so it stays valid after the statement moves on.
///
/// A value type and `Sendable`: rows may be returned from `read`/`write` closures.
public struct Row: Sendable, Hashable, CustomStringConvertible {
    /// The column names of the statement, in order.
    public let columnNames: [String]
    /// The values, one per column.
    public let values: [SQLValue]
    /// The statement the row came from, for error messages.
    let sql: String

    init(columnNames: [String], values: [SQLValue], sql: String) {
        self.columnNames = columnNames
        self.values = values
        self.sql = sql
    }

    /// The number of columns.
    public var count: Int { values.count }

    /// The raw value at `index`; traps when out of range, like an array.
    public subscript(index: Int) -> SQLValue { values[index] }

    /// The raw value of the first column named `name`, nil if there is no such column.
    public subscript(name: String) -> SQLValue? {
        columnNames.firstIndex(of: name).map { values[$0] }
    }

    /// The column at `index` as a `T`; throws `StoreError(.decoding)` naming the column and SQL
    /// when the index is out of range or the value does not convert (e.g. NULL into non-optional).
    public func get<T: SQLValueConvertible>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard values.indices.contains(index) else {
            throw StoreError.decoding("column \(index) does not exist (the row has \(values.count))", sql: sql)
        }
        guard let v = T(sqlValue: values[index]) else {
            throw StoreError.decoding(
                "column \(index) (\(columnNames[index])) holds \(values[index].typeName), not \(T.self)", sql: sql)
        }
        return v
    }

    /// The column named `name` as a `T`; throws like `get(_:as:)`, also when no column has that name.
    public func get<T: SQLValueConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let index = columnNames.firstIndex(of: name) else {
            throw StoreError.decoding("no column named \(name)", sql: sql)
        }
        return try get(index, as: type)
    }

    public var description: String {
        "[" + zip(columnNames, values).map { "\($0): \($1)" }.joined(separator: ", ") + "]"
    }
}

extension SQLValue {
    /// The storage class name, for messages.
    var typeName: String {
        switch self {
        case .null: return "NULL"
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .text: return "TEXT"
        case .blob: return "BLOB"
        }
    }
}
