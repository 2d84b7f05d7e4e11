-- 0003: the Moodle reader's own resume point (per-course signatures, opaque JSON) beside the
-- numeric watermark, so an incremental run can detect deleted and newly hidden courses.
ALTER TABLE sync_state ADD COLUMN reader_state TEXT CHECK (reader_state IS NULL OR json_valid(reader_state));
