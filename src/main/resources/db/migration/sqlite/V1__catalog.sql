-- Catalog: the core entities every feature reads. SQLite flavour; postgresql/V1__catalog.sql is the same design.
-- Timestamps are ISO-8601 UTC text with milliseconds; JSON columns hold JSON text.

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE characters (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT,
    tags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    height        TEXT,
    build         TEXT,
    hair_color    TEXT,
    eye_color     TEXT,
    custom_fields TEXT CHECK (custom_fields IS NULL OR (json_valid(custom_fields) AND json_type(custom_fields) = 'object')),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_characters_project ON characters(project_id, id);

CREATE TABLE images (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    character_id        INTEGER NOT NULL REFERENCES characters(id) ON DELETE CASCADE,
    image_type          TEXT NOT NULL CHECK (image_type IN ('source', 'derived')),
    source_image_id     INTEGER REFERENCES images(id) ON DELETE SET NULL,
    filename            TEXT NOT NULL,
    path                TEXT NOT NULL,
    content_hash        TEXT,
    version_number      INTEGER NOT NULL DEFAULT 1 CHECK (version_number >= 1),
    previous_version_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
    is_current_version  INTEGER NOT NULL DEFAULT 1 CHECK (is_current_version IN (0, 1)),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_images_character ON images(character_id, id);
CREATE INDEX idx_images_source ON images(source_image_id);
CREATE INDEX idx_images_previous_version ON images(previous_version_id);
CREATE INDEX idx_images_content_hash ON images(content_hash);

CREATE TABLE image_variants (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    image_id     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    variant_type TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generated', 'approved', 'rejected')),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_image_variants_image ON image_variants(image_id, id);

CREATE TABLE scene_types (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (project_id, name)
);

CREATE TABLE scenes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    character_id  INTEGER NOT NULL REFERENCES characters(id) ON DELETE CASCADE,
    -- NO ACTION (checked at the end of the statement), not RESTRICT: a project delete cascades to both sides.
    scene_type_id INTEGER NOT NULL REFERENCES scene_types(id) ON DELETE NO ACTION,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generating', 'complete', 'approved', 'rejected')),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_scenes_character ON scenes(character_id, id);
CREATE INDEX idx_scenes_scene_type ON scenes(scene_type_id);

CREATE TABLE segments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    scene_id          INTEGER NOT NULL REFERENCES scenes(id) ON DELETE CASCADE,
    sequence_index    INTEGER NOT NULL CHECK (sequence_index >= 0),
    seed_frame_path   TEXT,
    output_video_path TEXT,
    last_frame_path   TEXT,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'generating', 'complete', 'failed', 'approved', 'rejected')),
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_segments_scene ON segments(scene_id, sequence_index, id);

CREATE TABLE segment_quality (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id    INTEGER NOT NULL UNIQUE REFERENCES segments(id) ON DELETE CASCADE,
    overall_score REAL NOT NULL CHECK (overall_score >= 0 AND overall_score <= 1),
    failure_tags  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(failure_tags) AND json_type(failure_tags) = 'array'),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE frame_metrics (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id      INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    frame           INTEGER NOT NULL CHECK (frame >= 0),
    face_confidence REAL,
    motion_score    REAL,
    quality_metric  REAL,
    boundary_ssim   REAL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (segment_id, frame)
);

CREATE TABLE assets (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                TEXT NOT NULL CHECK (kind IN ('model', 'lora', 'workflow', 'custom_node')),
    name                TEXT NOT NULL,
    version_label       TEXT NOT NULL,
    version_number      INTEGER NOT NULL DEFAULT 1 CHECK (version_number >= 1),
    checksum_sha256     TEXT,
    file_path           TEXT,
    description         TEXT,
    is_current_version  INTEGER NOT NULL DEFAULT 1 CHECK (is_current_version IN (0, 1)),
    previous_version_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (kind, name, version_number)
);
-- At most one current version per asset chain.
CREATE UNIQUE INDEX idx_assets_one_current ON assets(kind, name) WHERE is_current_version = 1;
CREATE INDEX idx_assets_previous_version ON assets(previous_version_id);
CREATE INDEX idx_assets_checksum ON assets(checksum_sha256);

CREATE TRIGGER projects_touch_updated_at AFTER UPDATE ON projects
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE projects SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER characters_touch_updated_at AFTER UPDATE ON characters
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE characters SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER images_touch_updated_at AFTER UPDATE ON images
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE images SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER image_variants_touch_updated_at AFTER UPDATE ON image_variants
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE image_variants SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER scene_types_touch_updated_at AFTER UPDATE ON scene_types
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE scene_types SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER scenes_touch_updated_at AFTER UPDATE ON scenes
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE scenes SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER segments_touch_updated_at AFTER UPDATE ON segments
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE segments SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER segment_quality_touch_updated_at AFTER UPDATE ON segment_quality
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE segment_quality SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER frame_metrics_touch_updated_at AFTER UPDATE ON frame_metrics
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE frame_metrics SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER assets_touch_updated_at AFTER UPDATE ON assets
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE assets SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;
