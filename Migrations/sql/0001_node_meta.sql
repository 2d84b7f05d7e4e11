-- 0001: placeholder until the store schema lands
CREATE TABLE IF NOT EXISTS node_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
