-- 0006: overlay_items becomes a rowid table with a unique (key, name) index. Its values are
-- posting lists of kilobytes; in a WITHOUT ROWID table every insert moved those payloads through
-- the primary-key B-tree (SQLite advises WITHOUT ROWID only for rows under ~1/20 of a page), and
-- profiling a 16-node publish put a quarter of its CPU in page reads and writes. Same columns,
-- same identity and rules as 0005; the rows are copied over.
CREATE TABLE overlay_items_rowid (
    key      BLOB    NOT NULL CHECK (length(key) = 32),
    name     TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    value    BLOB    NOT NULL,
    UNIQUE (key, name)
) STRICT;
INSERT INTO overlay_items_rowid (key, name, version, value)
    SELECT key, name, version, value FROM overlay_items ORDER BY key, name;
DROP TABLE overlay_items;
ALTER TABLE overlay_items_rowid RENAME TO overlay_items;
