-- Metadata files (character_metadata.json, video_metadata.json): one row per generated file, upserted on each
-- write. SQLite flavour; postgresql/V3__metadata.sql is the same design. Owned by dev.reelmark.metadata.
CREATE TABLE metadata_generations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type       TEXT NOT NULL CHECK (entity_type IN ('character', 'scene')),
    entity_id         INTEGER NOT NULL,
    file_type         TEXT NOT NULL CHECK (file_type IN ('character_metadata', 'video_metadata')),
    file_path         TEXT NOT NULL,
    generated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- The newest updated_at over everything the file was built from, at generation time.
    source_updated_at TEXT NOT NULL,
    -- SHA-256 over the ids and updated_at's of those parts: catches a deleted part, which moves no timestamp.
    source_digest     TEXT NOT NULL,
    schema_version    TEXT NOT NULL,
    file_hash         TEXT NOT NULL CHECK (length(file_hash) = 64),
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_metadata_generations_entity ON metadata_generations(entity_type, entity_id);
CREATE INDEX idx_metadata_generations_file_type ON metadata_generations(file_type);
CREATE UNIQUE INDEX uq_metadata_generations_entity_file ON metadata_generations(entity_type, entity_id, file_type);

CREATE TRIGGER metadata_generations_touch_updated_at AFTER UPDATE ON metadata_generations
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE metadata_generations SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;
