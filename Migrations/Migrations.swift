/// The node store's schema migrations, in the order they must be applied.
///
/// Append-only: a landed migration is never edited or removed; a change is a new file in `sql/`
/// plus a new line at the end of `all`. `MeshStore` applies each one once, in its own transaction.
public enum Migrations {
    /// One migration: a stable name (the file name without `.sql`) and its SQL text.
    public struct Migration: Sendable {
        public let name: String
        public let sql: String

        /// A migration named `name` (its file name without `.sql`) running `sql`. Besides the
        /// embedded files in `all`, used to test the migration runner with lists of its own.
        public init(name: String, sql: String) {
            self.name = name
            self.sql = sql
        }
    }

    /// Every migration, oldest first. The test suite checks this list against the files in `sql/`.
    public static let all: [Migration] = [
        Migration(name: "0001_node_meta", sql: text(PackageResources._001_node_meta_sql)),
        Migration(name: "0002_node_store", sql: text(PackageResources._002_node_store_sql)),
        Migration(name: "0003_sync_reader_state", sql: text(PackageResources._003_sync_reader_state_sql)),
        Migration(name: "0004_postings", sql: text(PackageResources._004_postings_sql)),
        Migration(name: "0005_overlay_items", sql: text(PackageResources._005_overlay_items_sql)),
        Migration(name: "0006_overlay_items_rowid", sql: text(PackageResources._006_overlay_items_rowid_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
