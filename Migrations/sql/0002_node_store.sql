-- 0002: the node's own state. Which tables can be rebuilt and which cannot: Docs/storage.md.
-- node_meta (key/value) was created by 0001. Times are Unix milliseconds unless named *_date
-- or time_modified (Moodle's Unix seconds). Postings hosted for others come with the search
-- layer's own migration.

-- The node's own course documents as last read from Moodle (or pushed by the plugin).
-- Arrays are JSON text; content_hash (hex SHA-256 of the canonical JSON document) tells an
-- unchanged document from a changed one without comparing every field.
CREATE TABLE courses (
    course_id      INTEGER PRIMARY KEY NOT NULL CHECK (course_id > 1),
    url            TEXT    NOT NULL,
    full_name      TEXT    NOT NULL,
    short_name     TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    category_path  TEXT    NOT NULL CHECK (json_valid(category_path)),
    tags           TEXT    NOT NULL CHECK (json_valid(tags)),
    language       TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    start_date     INTEGER,
    end_date       INTEGER,
    time_modified  INTEGER NOT NULL,
    open_enrolment INTEGER NOT NULL CHECK (open_enrolment IN (0, 1)),
    enrolled_count INTEGER NOT NULL CHECK (enrolled_count >= 0),
    modules        TEXT    NOT NULL CHECK (json_valid(modules)),
    content_hash   TEXT    NOT NULL CHECK (length(content_hash) = 64),
    first_seen_at  INTEGER NOT NULL,
    changed_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX courses_by_time_modified ON courses (time_modified);

-- One row per Moodle source. `source` is the DSN with any password removed, so the same
-- Moodle read with another password keeps its watermark.
CREATE TABLE sync_state (
    source           TEXT    PRIMARY KEY NOT NULL,
    watermark        INTEGER NOT NULL DEFAULT 0,
    last_full_sync_at INTEGER,
    last_run_at      INTEGER,
    last_run_summary TEXT    CHECK (last_run_summary IS NULL OR json_valid(last_run_summary))
) STRICT;

-- Overlay members this node knows, by normalized base URL.
CREATE TABLE peers (
    url          TEXT    PRIMARY KEY NOT NULL,
    node_id      TEXT    NOT NULL CHECK (length(node_id) = 64),
    state        TEXT    NOT NULL,
    version      TEXT    NOT NULL DEFAULT '',
    last_seen_at INTEGER NOT NULL
) STRICT;

CREATE INDEX peers_by_node_id ON peers (node_id);

-- Daily statistics snapshots for history charts: `scope` is `site` (this node's own Moodle)
-- or `global` (the rollup's worldwide aggregate); `day` is a UTC date YYYY-MM-DD.
CREATE TABLE stats_snapshots (
    scope       TEXT    NOT NULL,
    day         TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    json        TEXT    NOT NULL CHECK (json_valid(json)),
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (scope, day)
) STRICT, WITHOUT ROWID;
