-- VFX sidecar templates and training-dataset exports (dev.reelmark.sidecar, dev.reelmark.dataset). SQLite flavour;
-- postgresql/V5__sidecar_dataset.sql is the same design. Timestamps are ISO-8601 UTC text; JSON columns hold JSON text.

CREATE TABLE sidecar_templates (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    description   TEXT,
    format        TEXT NOT NULL CHECK (format IN ('xml', 'csv', 'clip_csv', 'ale', 'otio', 'nk')),
    target_tool   TEXT,
    template_json TEXT NOT NULL CHECK (json_valid(template_json) AND json_type(template_json) = 'object'),
    is_builtin    INTEGER NOT NULL DEFAULT 0 CHECK (is_builtin IN (0, 1)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE dataset_exports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id      INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (length(name) > 0),
    config_json     TEXT NOT NULL CHECK (json_valid(config_json) AND json_type(config_json) = 'object'),
    manifest_json   TEXT CHECK (manifest_json IS NULL OR json_valid(manifest_json)),
    file_path       TEXT,
    file_size_bytes INTEGER CHECK (file_size_bytes IS NULL OR file_size_bytes >= 0),
    sample_count    INTEGER CHECK (sample_count IS NULL OR sample_count >= 0),
    failed_count    INTEGER CHECK (failed_count IS NULL OR failed_count >= 0),
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    job_id          INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    error           TEXT,
    completed_at    TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_dataset_exports_project ON dataset_exports(project_id, id);
CREATE INDEX idx_dataset_exports_job ON dataset_exports(job_id);

CREATE TRIGGER sidecar_templates_touch_updated_at AFTER UPDATE ON sidecar_templates
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE sidecar_templates SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

CREATE TRIGGER dataset_exports_touch_updated_at AFTER UPDATE ON dataset_exports
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE dataset_exports SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;

-- Built-in templates (is_builtin = 1: the API refuses to change or delete them).
INSERT INTO sidecar_templates (name, description, format, target_tool, template_json, is_builtin) VALUES
    ('Nuke XML', 'Foundry Nuke compatible XML sidecar (video.mp4 -> video.xml); Nuke reads it only through a script, see the Nuke Read Nodes template', 'xml', 'nuke',
     '{"root_element": "clip", "fields": ["resolution", "framerate", "codec", "duration", "color_space", "generation_params"]}', 1),
    ('After Effects CSV', 'Adobe After Effects frame-level CSV (video.mp4 -> video.csv), one row per frame', 'csv', 'after_effects',
     '{"columns": ["frame", "face_confidence", "motion_score", "quality_metric", "boundary_ssim"]}', 1),
    ('Resolve XML', 'DaVinci Resolve oriented XML sidecar (video.mp4 -> video.xml)', 'xml', 'resolve',
     '{"root_element": "media", "fields": ["resolution", "framerate", "codec", "duration", "pixel_format"]}', 1),
    ('DaVinci Resolve Metadata CSV', 'One row per clip for Media Pool > Import Metadata (matched by File Name and Clip Directory)', 'clip_csv', 'resolve',
     '{"columns": [{"header": "File Name", "field": "file_name"}, {"header": "Clip Directory", "field": "clip_directory"}, {"header": "Description", "field": "prompt"}, {"header": "Scene", "field": "scene"}, {"header": "Take", "field": "sequence_index"}, {"header": "Keywords", "field": "failure_tags"}, {"header": "Comments", "field": "quality_summary"}]}', 1),
    ('Avid ALE', 'Avid Log Exchange, one clip per line, for Media Composer Import (one file per frame rate)', 'ale', 'avid',
     '{"columns": [{"header": "Name", "field": "clip_name"}, {"header": "Tracks", "field": "tracks"}, {"header": "Start", "field": "start_tc"}, {"header": "End", "field": "end_tc"}, {"header": "Source File", "field": "file_name"}, {"header": "Scene", "field": "scene"}, {"header": "Take", "field": "sequence_index"}, {"header": "Comments", "field": "prompt"}, {"header": "Quality", "field": "quality_score"}]}', 1),
    ('OpenTimelineIO Timeline', 'One .otio timeline per scene, its segments in order, metadata under metadata.reelmark', 'otio', 'opentimelineio',
     '{"fields": ["resolution", "framerate", "codec", "duration", "color_space", "pixel_format", "prompt", "lora_weights", "quality_score", "failure_tags", "generation_params"]}', 1),
    ('Nuke Read Nodes', 'A .nk script with one Read node per clip; the metadata sits on a Reelmark tab of each node', 'nk', 'nuke',
     '{"fields": ["resolution", "framerate", "codec", "duration", "color_space", "prompt", "seed", "lora_weights", "quality_score", "failure_tags"]}', 1);
