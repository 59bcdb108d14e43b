-- Catalog: the core entities every feature reads. PostgreSQL flavour; sqlite/V1__catalog.sql is the same design.
-- Timestamps are timestamptz; JSON columns are jsonb.

CREATE TABLE projects (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE characters (
    id            BIGSERIAL PRIMARY KEY,
    project_id    BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT,
    tags          JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tags) = 'array'),
    height        TEXT,
    build         TEXT,
    hair_color    TEXT,
    eye_color     TEXT,
    custom_fields JSONB CHECK (custom_fields IS NULL OR jsonb_typeof(custom_fields) = 'object'),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_characters_project ON characters(project_id, id);

CREATE TABLE images (
    id                  BIGSERIAL PRIMARY KEY,
    character_id        BIGINT NOT NULL REFERENCES characters(id) ON DELETE CASCADE,
    image_type          TEXT NOT NULL CHECK (image_type IN ('source', 'derived')),
    source_image_id     BIGINT REFERENCES images(id) ON DELETE SET NULL,
    filename            TEXT NOT NULL,
    path                TEXT NOT NULL,
    content_hash        TEXT,
    version_number      INTEGER NOT NULL DEFAULT 1 CHECK (version_number >= 1),
    previous_version_id BIGINT REFERENCES images(id) ON DELETE SET NULL,
    is_current_version  BOOLEAN NOT NULL DEFAULT TRUE,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_images_character ON images(character_id, id);
CREATE INDEX idx_images_source ON images(source_image_id);
CREATE INDEX idx_images_previous_version ON images(previous_version_id);
CREATE INDEX idx_images_content_hash ON images(content_hash);

CREATE TABLE image_variants (
    id           BIGSERIAL PRIMARY KEY,
    image_id     BIGINT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    variant_type TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generated', 'approved', 'rejected')),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_image_variants_image ON image_variants(image_id, id);

CREATE TABLE scene_types (
    id          BIGSERIAL PRIMARY KEY,
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (project_id, name)
);

CREATE TABLE scenes (
    id            BIGSERIAL PRIMARY KEY,
    character_id  BIGINT NOT NULL REFERENCES characters(id) ON DELETE CASCADE,
    -- NO ACTION (checked at the end of the statement), not RESTRICT: a project delete cascades to both sides.
    scene_type_id BIGINT NOT NULL REFERENCES scene_types(id) ON DELETE NO ACTION,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generating', 'complete', 'approved', 'rejected')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_scenes_character ON scenes(character_id, id);
CREATE INDEX idx_scenes_scene_type ON scenes(scene_type_id);

CREATE TABLE segments (
    id                BIGSERIAL PRIMARY KEY,
    scene_id          BIGINT NOT NULL REFERENCES scenes(id) ON DELETE CASCADE,
    sequence_index    INTEGER NOT NULL CHECK (sequence_index >= 0),
    seed_frame_path   TEXT,
    output_video_path TEXT,
    last_frame_path   TEXT,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generating', 'complete', 'failed', 'approved', 'rejected')),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_segments_scene ON segments(scene_id, sequence_index, id);

CREATE TABLE segment_quality (
    id            BIGSERIAL PRIMARY KEY,
    segment_id    BIGINT NOT NULL UNIQUE REFERENCES segments(id) ON DELETE CASCADE,
    overall_score DOUBLE PRECISION NOT NULL CHECK (overall_score >= 0 AND overall_score <= 1),
    failure_tags  JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(failure_tags) = 'array'),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE frame_metrics (
    id              BIGSERIAL PRIMARY KEY,
    segment_id      BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    frame           INTEGER NOT NULL CHECK (frame >= 0),
    face_confidence DOUBLE PRECISION,
    motion_score    DOUBLE PRECISION,
    quality_metric  DOUBLE PRECISION,
    boundary_ssim   DOUBLE PRECISION,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (segment_id, frame)
);

CREATE TABLE assets (
    id                  BIGSERIAL PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('model', 'lora', 'workflow', 'custom_node')),
    name                TEXT NOT NULL,
    version_label       TEXT NOT NULL,
    version_number      INTEGER NOT NULL DEFAULT 1 CHECK (version_number >= 1),
    checksum_sha256     TEXT,
    file_path           TEXT,
    description         TEXT,
    is_current_version  BOOLEAN NOT NULL DEFAULT TRUE,
    previous_version_id BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (kind, name, version_number)
);
-- At most one current version per asset chain.
CREATE UNIQUE INDEX idx_assets_one_current ON assets(kind, name) WHERE is_current_version;
CREATE INDEX idx_assets_previous_version ON assets(previous_version_id);
CREATE INDEX idx_assets_checksum ON assets(checksum_sha256);

-- updated_at moves forward on every change, even two changes within the same clock tick.
CREATE FUNCTION reelmark_touch_updated_at() RETURNS trigger AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := greatest(clock_timestamp(), OLD.updated_at + interval '1 millisecond');
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_touch_updated_at BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER characters_touch_updated_at BEFORE UPDATE ON characters FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER images_touch_updated_at BEFORE UPDATE ON images FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER image_variants_touch_updated_at BEFORE UPDATE ON image_variants FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER scene_types_touch_updated_at BEFORE UPDATE ON scene_types FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER scenes_touch_updated_at BEFORE UPDATE ON scenes FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER segments_touch_updated_at BEFORE UPDATE ON segments FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER segment_quality_touch_updated_at BEFORE UPDATE ON segment_quality FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER frame_metrics_touch_updated_at BEFORE UPDATE ON frame_metrics FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER assets_touch_updated_at BEFORE UPDATE ON assets FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
