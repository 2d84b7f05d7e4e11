/// Where a database lives.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A file on disk, created if missing. Opened in WAL mode, so `-wal` and `-shm` files appear
    /// beside it; all three must stay on the same local file system.
    case file(path: String)
    /// A private in-memory database that disappears when closed (tests, throwaway indexes).
    /// It has only one connection, so reads run on the writer.
    case memory

    public var description: String {
        switch self {
        case .file(let path): return path
        case .memory: return ":memory:"
        }
    }
}

/// How a `DatabasePool` opens its connections. Every field has a documented default.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// SQLite's `PRAGMA synchronous` on the writer connection, chosen per database.
    public enum Synchronous: String, Sendable, Equatable {
        /// In WAL mode: every COMMIT fsyncs the WAL before returning, so a committed
        /// transaction survives power loss. Required where data cannot be rebuilt or where a
        /// write is acknowledged to someone else.
        case full = "FULL"
        /// In WAL mode: commits are atomic and survive a process crash, but the last commits
        /// may be lost on power loss (fsync only at checkpoints). Only for databases whose
        /// whole content can be rebuilt.
        case normal = "NORMAL"
    }

    /// How long a connection waits for a lock held by another connection (another process,
    /// e.g. `coursemesh index` beside a running node) before failing with `store_busy`.
    /// Default 5 s.
    public var busyTimeout: Duration
    /// Durability of commits. Default `.full` (see `Docs/storage.md`).
    public var synchronous: Synchronous
    /// Read-only connections, each on its own thread, that serve `read` while the writer
    /// writes (WAL readers never block the writer nor each other). Default 2; `0` makes reads
    /// use the writer. Ignored for `.memory`.
    public var readerCount: Int
    /// `PRAGMA foreign_keys`. Default on.
    public var foreignKeys: Bool
    /// Page cache of each connection, in KiB (`PRAGMA cache_size = -N`). Default 16,384
    /// (16 MiB): SQLite's own 2 MiB made a node re-read B-tree pages of its overlay items
    /// on every write during a publish. Memory is taken only as pages are read.
    public var cacheKibibytes: Int

    /// The defaults: 5 s busy timeout, `synchronous=FULL`, 2 readers, foreign keys on, 16 MiB
    /// page cache per connection.
    public init(busyTimeout: Duration = .seconds(5), synchronous: Synchronous = .full,
                readerCount: Int = 2, foreignKeys: Bool = true, cacheKibibytes: Int = 16_384) {
        self.busyTimeout = busyTimeout
        self.synchronous = synchronous
        self.readerCount = readerCount
        self.foreignKeys = foreignKeys
        self.cacheKibibytes = cacheKibibytes
    }
}

/// How a transaction takes its locks (SQLite `BEGIN DEFERRED|IMMEDIATE|EXCLUSIVE`).
public enum TransactionKind: String, Sendable {
    /// Takes locks on first use; what reads use (a consistent snapshot in WAL mode).
    case deferred = "DEFERRED"
    /// Takes the write lock at BEGIN, so the transaction cannot fail later with `SQLITE_BUSY`
    /// when upgrading from reading to writing. What `write` uses.
    case immediate = "IMMEDIATE"
    /// Like immediate; in WAL mode the same.
    case exclusive = "EXCLUSIVE"
}
