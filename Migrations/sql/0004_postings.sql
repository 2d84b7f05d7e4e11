-- 0004: posting lists this node holds as a term owner (or replica) for other campuses.
-- One row per (term, document). `origin_host` is the host of the site that published the
-- posting: owners accept a posting only from the node whose site URL has the course URL's host
-- (origin binding), and quotas count rows per origin. `document` is the compact JSON the search
-- layer ships (what ranking and a result need); `occurrence` holds term frequency and positions
-- per field. Rebuildable: publishers send their postings again on their next sync.
CREATE TABLE postings (
    term         TEXT    NOT NULL,
    document_id  TEXT    NOT NULL,
    origin_host  TEXT    NOT NULL,
    document     TEXT    NOT NULL CHECK (json_valid(document)),
    occurrence   TEXT    NOT NULL CHECK (json_valid(occurrence)),
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (term, document_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX postings_by_document ON postings (document_id);
CREATE INDEX postings_by_origin ON postings (origin_host);
