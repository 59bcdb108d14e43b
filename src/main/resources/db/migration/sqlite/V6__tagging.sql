-- Tag writing (dev.reelmark.tagging): people written into video files' comment tag. SQLite flavour;
-- postgresql/V6__tagging.sql is the same design. Timestamps are ISO-8601 UTC text with milliseconds; JSON is text.
-- V3-V5 belong to other features (Flyway allows the gap).

-- People assigned to a segment through the API, in addition to the characters of its scene.
CREATE TABLE segment_people (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (segment_id, name)
);

-- What the planner last read from a file, keyed by path and checked against size + mtime (so a warm plan reads no
-- file). fingerprint is the content fingerprint (size + first and last 64 KiB), which survives renames and moves.
CREATE TABLE tag_file_cache (
    path         TEXT PRIMARY KEY,
    size_bytes   INTEGER NOT NULL,
    mtime_ms     INTEGER NOT NULL,
    fingerprint  TEXT NOT NULL,
    format_name  TEXT,
    comment      TEXT,
    probe_error  TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_tag_file_cache_fingerprint ON tag_file_cache(fingerprint);

-- Per-file changes to the plan (FR3), keyed by content fingerprint.
CREATE TABLE tag_plan_edits (
    fingerprint      TEXT PRIMARY KEY,
    result_people    TEXT CHECK (result_people IS NULL OR (json_valid(result_people) AND json_type(result_people) = 'array')),
    skip             INTEGER NOT NULL DEFAULT 0 CHECK (skip IN (0, 1)),
    preserve_comment INTEGER CHECK (preserve_comment IS NULL OR preserve_comment IN (0, 1)),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE tag_operations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_type TEXT NOT NULL CHECK (operation_type IN ('write', 'rollback')),
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'in_progress', 'paused', 'completed', 'completed_with_errors', 'failed',
                                     'cancelled', 'rolled_back', 'partially_rolled_back')),
    job_id         INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    rollback_of    INTEGER REFERENCES tag_operations(id) ON DELETE SET NULL,
    file_count     INTEGER NOT NULL DEFAULT 0 CHECK (file_count >= 0),
    success_count  INTEGER NOT NULL DEFAULT 0 CHECK (success_count >= 0),
    failure_count  INTEGER NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
    skipped_count  INTEGER NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
    error_message  TEXT,
    user_note      TEXT,
    started_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at   TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_tag_operations_status ON tag_operations(status, id);
CREATE INDEX idx_tag_operations_started ON tag_operations(started_at DESC);

CREATE TABLE tag_operation_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id     INTEGER NOT NULL REFERENCES tag_operations(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    file_hash        TEXT NOT NULL,
    file_hash_after  TEXT,
    file_path        TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'writing', 'success', 'failed', 'skipped', 'conflict')),
    previous_comment TEXT,
    new_comment      TEXT,
    tags_added       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags_added) AND json_type(tags_added) = 'array'),
    tags_removed     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags_removed) AND json_type(tags_removed) = 'array'),
    rollback_item_id INTEGER REFERENCES tag_operation_items(id) ON DELETE SET NULL,
    error_message    TEXT,
    processed_at     TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (operation_id, seq)
);
CREATE INDEX idx_tag_items_operation ON tag_operation_items(operation_id, seq);
CREATE INDEX idx_tag_items_status ON tag_operation_items(status);
CREATE INDEX idx_tag_items_file ON tag_operation_items(file_hash);

-- The original metadata of a file, saved before Reelmark touches it (name from the seed).
CREATE TABLE metadata_history (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_item_id      INTEGER NOT NULL UNIQUE REFERENCES tag_operation_items(id) ON DELETE CASCADE,
    file_hash              TEXT NOT NULL,
    backup_timestamp       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    original_comment       TEXT,
    original_metadata_json TEXT NOT NULL CHECK (json_valid(original_metadata_json))
);
CREATE INDEX idx_metadata_history_file ON metadata_history(file_hash);
CREATE INDEX idx_metadata_history_time ON metadata_history(backup_timestamp);

CREATE TRIGGER segment_people_touch_updated_at AFTER UPDATE ON segment_people
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE segment_people SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0)) WHERE id = NEW.id;
END;
CREATE TRIGGER tag_file_cache_touch_updated_at AFTER UPDATE ON tag_file_cache
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE tag_file_cache SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0)) WHERE path = NEW.path;
END;
CREATE TRIGGER tag_plan_edits_touch_updated_at AFTER UPDATE ON tag_plan_edits
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE tag_plan_edits SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0)) WHERE fingerprint = NEW.fingerprint;
END;
CREATE TRIGGER tag_operations_touch_updated_at AFTER UPDATE ON tag_operations
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE tag_operations SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0)) WHERE id = NEW.id;
END;
CREATE TRIGGER tag_operation_items_touch_updated_at AFTER UPDATE ON tag_operation_items
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE tag_operation_items SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0)) WHERE id = NEW.id;
END;
