-- Tag writing (dev.reelmark.tagging): people written into video files' comment tag. PostgreSQL flavour;
-- sqlite/V6__tagging.sql is the same design. Timestamps are timestamptz; JSON columns are jsonb.
-- V3-V5 belong to other features (Flyway allows the gap).

-- People assigned to a segment through the API, in addition to the characters of its scene.
CREATE TABLE segment_people (
    id         BIGSERIAL PRIMARY KEY,
    segment_id BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (segment_id, name)
);

-- What the planner last read from a file, keyed by path and checked against size + mtime (so a warm plan reads no
-- file). fingerprint is the content fingerprint (size + first and last 64 KiB), which survives renames and moves.
CREATE TABLE tag_file_cache (
    path         TEXT PRIMARY KEY,
    size_bytes   BIGINT NOT NULL,
    mtime_ms     BIGINT NOT NULL,
    fingerprint  TEXT NOT NULL,
    format_name  TEXT,
    comment      TEXT,
    probe_error  TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_tag_file_cache_fingerprint ON tag_file_cache(fingerprint);

-- Per-file changes to the plan (FR3), keyed by content fingerprint.
CREATE TABLE tag_plan_edits (
    fingerprint      TEXT PRIMARY KEY,
    result_people    JSONB CHECK (result_people IS NULL OR jsonb_typeof(result_people) = 'array'),
    skip             INTEGER NOT NULL DEFAULT 0 CHECK (skip IN (0, 1)),
    preserve_comment INTEGER CHECK (preserve_comment IS NULL OR preserve_comment IN (0, 1)),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE tag_operations (
    id             BIGSERIAL PRIMARY KEY,
    operation_type TEXT NOT NULL CHECK (operation_type IN ('write', 'rollback')),
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'in_progress', 'paused', 'completed', 'completed_with_errors', 'failed',
                                     'cancelled', 'rolled_back', 'partially_rolled_back')),
    job_id         BIGINT REFERENCES jobs(id) ON DELETE SET NULL,
    rollback_of    BIGINT REFERENCES tag_operations(id) ON DELETE SET NULL,
    file_count     INTEGER NOT NULL DEFAULT 0 CHECK (file_count >= 0),
    success_count  INTEGER NOT NULL DEFAULT 0 CHECK (success_count >= 0),
    failure_count  INTEGER NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
    skipped_count  INTEGER NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
    error_message  TEXT,
    user_note      TEXT,
    started_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    completed_at   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_tag_operations_status ON tag_operations(status, id);
CREATE INDEX idx_tag_operations_started ON tag_operations(started_at DESC);

CREATE TABLE tag_operation_items (
    id               BIGSERIAL PRIMARY KEY,
    operation_id     BIGINT NOT NULL REFERENCES tag_operations(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    file_hash        TEXT NOT NULL,
    file_hash_after  TEXT,
    file_path        TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'writing', 'success', 'failed', 'skipped', 'conflict')),
    previous_comment TEXT,
    new_comment      TEXT,
    tags_added       JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tags_added) = 'array'),
    tags_removed     JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tags_removed) = 'array'),
    rollback_item_id BIGINT REFERENCES tag_operation_items(id) ON DELETE SET NULL,
    error_message    TEXT,
    processed_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (operation_id, seq)
);
CREATE INDEX idx_tag_items_operation ON tag_operation_items(operation_id, seq);
CREATE INDEX idx_tag_items_status ON tag_operation_items(status);
CREATE INDEX idx_tag_items_file ON tag_operation_items(file_hash);

-- The original metadata of a file, saved before Reelmark touches it (name from the seed).
CREATE TABLE metadata_history (
    id                     BIGSERIAL PRIMARY KEY,
    operation_item_id      BIGINT NOT NULL UNIQUE REFERENCES tag_operation_items(id) ON DELETE CASCADE,
    file_hash              TEXT NOT NULL,
    backup_timestamp       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    original_comment       TEXT,
    original_metadata_json JSONB NOT NULL
);
CREATE INDEX idx_metadata_history_file ON metadata_history(file_hash);
CREATE INDEX idx_metadata_history_time ON metadata_history(backup_timestamp);

-- reelmark_touch_updated_at() is defined in V1.
CREATE TRIGGER segment_people_touch_updated_at BEFORE UPDATE ON segment_people FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER tag_file_cache_touch_updated_at BEFORE UPDATE ON tag_file_cache FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER tag_plan_edits_touch_updated_at BEFORE UPDATE ON tag_plan_edits FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER tag_operations_touch_updated_at BEFORE UPDATE ON tag_operations FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER tag_operation_items_touch_updated_at BEFORE UPDATE ON tag_operation_items FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
