-- Metadata files (character_metadata.json, video_metadata.json): one row per generated file, upserted on each
-- write. PostgreSQL flavour; sqlite/V3__metadata.sql is the same design. Owned by dev.reelmark.metadata.
CREATE TABLE metadata_generations (
    id                BIGSERIAL PRIMARY KEY,
    entity_type       TEXT NOT NULL CHECK (entity_type IN ('character', 'scene')),
    entity_id         BIGINT NOT NULL,
    file_type         TEXT NOT NULL CHECK (file_type IN ('character_metadata', 'video_metadata')),
    file_path         TEXT NOT NULL,
    generated_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- The newest updated_at over everything the file was built from, at generation time.
    source_updated_at TIMESTAMPTZ NOT NULL,
    -- SHA-256 over the ids and updated_at's of those parts: catches a deleted part, which moves no timestamp.
    source_digest     TEXT NOT NULL,
    schema_version    TEXT NOT NULL,
    file_hash         TEXT NOT NULL CHECK (length(file_hash) = 64),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_metadata_generations_entity ON metadata_generations(entity_type, entity_id);
CREATE INDEX idx_metadata_generations_file_type ON metadata_generations(file_type);
CREATE UNIQUE INDEX uq_metadata_generations_entity_file ON metadata_generations(entity_type, entity_id, file_type);

CREATE TRIGGER metadata_generations_touch_updated_at BEFORE UPDATE ON metadata_generations
    FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
