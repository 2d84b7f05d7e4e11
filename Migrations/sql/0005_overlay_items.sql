-- 0005: the items this node holds on the overlay as a key's owner or replica (Docs/protocol.md,
-- "store"). Identity is (key, name); a higher version replaces a lower one; an empty value is a
-- tombstone. `key` is the 32 big-endian bytes of the ring key, so BLOB order is ring order.
-- `version` holds the UInt64 version's bit pattern. Loaded whole into memory at open.
CREATE TABLE overlay_items (
    key      BLOB    NOT NULL CHECK (length(key) = 32),
    name     TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    value    BLOB    NOT NULL,
    PRIMARY KEY (key, name)
) STRICT, WITHOUT ROWID;
